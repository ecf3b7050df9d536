"""What moves a benchmark's median between processes of the same binary.

Runs one perf test of a built perf binary in many short processes, in a
random interleaved order, varying one factor at a time, and prints how much
each moves the median (one-way analysis of variance: the factor's share of
the spread, and the range of its level means):

  env size   the length of an environment variable (0 .. 4 KiB), with the
             kernel's address-space randomisation on, and off (setarch -R),
             where the environment's size alone sets the stack's alignment
  block      blocks of consecutive processes, as one invocation's processes
             are: how much the machine's state shared by a block moves them

  python3 scripts/factors.py BINARY TEST [PROCESSES_PER_LEVEL]

BINARY is a perf binary cargo perf built (target/release/deps/perf-*), TEST
one of its tests (`BINARY --list --bench`). Each process measures for 0.3 s.
"""

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile


def run(binary, test, pad, no_aslr):
    with tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False) as f:
        out = f.name
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env.update({
        "CARGO_PERF_RESULT_OUT": out,
        "CARGO_PERF_SHARE": "1",
        "CARGO_PERF_WARM_UP_TIME": "100000000ns",
        "CARGO_PERF_MEASUREMENT_TIME": "300000000ns",
        "FACTOR_PAD": "." * pad,
    })
    command = [binary, "--exact", test, "--bench", "--test-threads", "1"]
    if no_aslr:
        command = ["setarch", os.uname().machine, "-R"] + command
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    try:
        for line in open(out):
            stats = json.loads(line).get("stats")
            if stats:
                return stats["median_ns"]
    finally:
        os.unlink(out)
    raise RuntimeError(f"{test}: no result")


def anova(groups):
    """The between-level share of the variance and the range of level means, in %."""
    values = [v for g in groups.values() for v in g]
    grand = statistics.mean(values)
    ss_between = sum(len(g) * (statistics.mean(g) - grand) ** 2 for g in groups.values())
    ss_within = sum((v - statistics.mean(g)) ** 2 for g in groups.values() for v in g)
    k, n = len(groups), len(values)
    ms_between = ss_between / (k - 1)
    ms_within = ss_within / (n - k)
    f = ms_between / ms_within if ms_within > 0 else float("inf")
    means = [statistics.mean(g) for g in groups.values()]
    spread = (max(means) - min(means)) / grand * 100
    cv = statistics.stdev(values) / grand * 100
    return f, spread, cv


def main():
    binary, test = sys.argv[1], sys.argv[2]
    per_level = int(sys.argv[3]) if len(sys.argv) > 3 else 12
    rng = random.Random(1)
    has_setarch = shutil.which("setarch") is not None
    pads = [0, 512, 1024, 1536, 2048, 2560, 3072, 3584]
    jobs = [("pad", p, False) for p in pads for _ in range(per_level)]
    if has_setarch:
        jobs += [("pad, no ASLR", p, True) for p in pads for _ in range(per_level)]
    rng.shuffle(jobs)
    results = {}
    for factor, level, no_aslr in jobs:
        results.setdefault(factor, {}).setdefault(level, []).append(run(binary, test, level, no_aslr))
    # Blocks: consecutive processes, as an invocation runs them.
    blocks = {}
    for block in range(len(pads)):
        for _ in range(per_level):
            blocks.setdefault(block, []).append(run(binary, test, rng.randrange(4096), False))
    results["block of consecutive processes"] = blocks
    print(f"{test}: {per_level} processes per level; F is the between-level variance over the within")
    print(f"{'factor':32} {'F':>7} {'level means span':>17} {'cv of processes':>16}")
    for factor, groups in results.items():
        f, spread, cv = anova(groups)
        print(f"{factor:32} {f:7.2f} {spread:16.2f}% {cv:15.2f}%")
    for factor, groups in results.items():
        means = "  ".join(f"{level}:{statistics.mean(g) / 1e3:.2f}" for level, g in sorted(groups.items()))
        print(f"  {factor}: level means (µs) {means}")


if __name__ == "__main__":
    main()
