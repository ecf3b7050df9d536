#!/usr/bin/env bash
# Sets `cargo perf` beside `cargo bench` with criterion, on the same six
# functions: fixtures/demo (perf tests) and fixtures/demo-criterion (the same
# benchmarks written for criterion, under criterion's default settings).
#
# Builds everything once (not timed), then runs, ROUNDS times in turn:
#   cargo perf            (fixtures/demo, default 1s warm-up + 3s measurement)
#   cargo perf --quick    (fixtures/demo, 100ms + 500ms)
#   cargo bench --bench criterion   (fixtures/demo-criterion, 3s + 5s, 100 samples)
# and prints the wall time of each and, per function, the median each reports.
#
# Usage, from anywhere in the repository:  ROUNDS=3 scripts/compare-criterion.sh
# Needs cargo and python3. Logs and raw results stay in
# fixtures/demo-criterion/target/compare/.

set -euo pipefail

rounds="${ROUNDS:-1}"
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
    echo "error: ROUNDS must be a positive integer, not '$rounds'" >&2
    exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
demo_manifest="$root/fixtures/demo/Cargo.toml"
crit_dir="$root/fixtures/demo-criterion"
# criterion's project keeps its own target dir, apart from the workspace's
# and the demo's, whatever CARGO_TARGET_DIR says.
crit_target="$crit_dir/target"
out="$crit_target/compare"
rm -rf "$out"
mkdir -p "$out"

say() { printf '%s\n' "$*" >&2; }

# Seconds since the epoch, with microseconds (bash 5).
now() { printf '%s' "${EPOCHREALTIME/,/.}"; }

say "building cargo-perf, fixtures/demo's perf tests and fixtures/demo-criterion's benchmark (not timed)"
cargo build --quiet --release --manifest-path "$root/Cargo.toml" -p cargo-perf
perf_bin="$(cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')/release/cargo-perf"
# `--list` builds the perf binaries, as a run would, and runs nothing.
"$perf_bin" perf --manifest-path "$demo_manifest" --list >"$out/build-perf.log" 2>&1 ||
    { cat "$out/build-perf.log" >&2; exit 1; }
(cd "$crit_dir" && CARGO_TARGET_DIR="$crit_target" cargo bench --quiet --locked --bench criterion --no-run) \
    >"$out/build-criterion.log" 2>&1 ||
    { cat "$out/build-criterion.log" >&2; exit 1; }

# run NAME ROUND COMMAND...: runs COMMAND with its stdout in
# $out/NAME-ROUND.out and its stderr in $out/NAME-ROUND.err, and appends
# "NAME ROUND SECONDS" to $out/wall.txt.
run() {
    local name="$1" round="$2"
    shift 2
    say "round $round/$rounds: $name"
    local start end
    start="$(now)"
    if ! "$@" >"$out/$name-$round.out" 2>"$out/$name-$round.err"; then
        say "error: $name failed; its output:"
        cat "$out/$name-$round.err" >&2
        exit 1
    fi
    end="$(now)"
    printf '%s %s %s\n' "$name" "$round" "$(python3 -c "print(f'{$end - $start:.2f}')")" >>"$out/wall.txt"
}

bench_criterion() (
    cd "$crit_dir" && CARGO_TARGET_DIR="$crit_target" cargo bench --locked --bench criterion
)

for ((round = 1; round <= rounds; round++)); do
    run perf "$round" "$perf_bin" perf --manifest-path "$demo_manifest" demo/perf:: --message-format json
    run perf-quick "$round" "$perf_bin" perf --manifest-path "$demo_manifest" demo/perf:: --quick --message-format json
    run criterion "$round" bench_criterion
    # criterion keeps only the latest run's estimates; copy them per round.
    mkdir -p "$out/criterion-$round"
    for estimates in "$crit_target"/criterion/*/new/estimates.json; do
        bench="$(basename "$(dirname "$(dirname "$estimates")")")"
        cp "$estimates" "$out/criterion-$round/$bench.json"
    done
done

python3 - "$out" "$rounds" <<'EOF'
import json, statistics, sys
from pathlib import Path

out, rounds = Path(sys.argv[1]), int(sys.argv[2])

def perf_medians(name, r):
    """Median ns per test from cargo perf's run-finished line."""
    for line in (out / f"{name}-{r}.out").read_text().splitlines():
        message = json.loads(line)
        if message.get("reason") == "run-finished":
            return {t["id"]["name"]: t["stats"]["median_ns"]
                    for t in message["record"]["tests"] if t.get("stats")}
    sys.exit(f"error: no run-finished line in {out}/{name}-{r}.out")

def criterion_medians(r):
    return {p.stem: json.loads(p.read_text())["median"]["point_estimate"]
            for p in (out / f"criterion-{r}").glob("*.json")}

def across_rounds(per_round):
    """Per function, the median over the rounds of its median."""
    names = set().union(*per_round)
    return {n: statistics.median(m[n] for m in per_round if n in m) for n in names}

perf = across_rounds([perf_medians("perf", r) for r in range(1, rounds + 1)])
quick = across_rounds([perf_medians("perf-quick", r) for r in range(1, rounds + 1)])
crit = across_rounds([criterion_medians(r) for r in range(1, rounds + 1)])

def fmt_ns(ns):
    if ns is None:
        return "-"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.4g} {unit}"
    return f"{ns:.4g} ns"

def diff(ns, ref):
    return "-" if ns is None or ref is None else f"{(ns - ref) / ref * 100:+.1f}%"

of = f"median of {rounds} rounds" if rounds > 1 else "1 round"
print(f"Median time per iteration ({of}); difference relative to criterion")
rows = [("function", "cargo perf", "vs criterion", "perf --quick", "vs criterion", "criterion")]
for n in sorted(set(perf) | set(crit)):
    p, q, c = perf.get(n), quick.get(n), crit.get(n)
    rows.append((n, fmt_ns(p), diff(p, c), fmt_ns(q), diff(q, c), fmt_ns(c)))
widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
for i, row in enumerate(rows):
    print("  ".join(cell.ljust(w) if j == 0 else cell.rjust(w)
                    for j, (cell, w) in enumerate(zip(row, widths))).rstrip())
    if i == 0:
        print("  ".join("-" * w for w in widths))

walls = {}
for line in (out / "wall.txt").read_text().splitlines():
    name, _, secs = line.split()
    walls.setdefault(name, []).append(float(secs))
print()
print("Wall time (seconds; builds done beforehand, not counted)")
labels = {
    "perf": "cargo perf",
    "perf-quick": "cargo perf --quick",
    "criterion": "cargo bench --bench criterion",
}
width = max(map(len, labels.values()))
for name, label in labels.items():
    secs = walls[name]
    each = ", ".join(f"{s:.1f}" for s in secs)
    summary = f"median {statistics.median(secs):.1f}  ({each})" if rounds > 1 else f"{secs[0]:.1f}"
    print(f"{label:<{width}}  {summary}")
EOF
say "logs and raw results: $out"
