#!/usr/bin/env bash
# How often the regression gate cries wolf, and how often it catches a real
# slowdown, on this machine: `cargo perf --compare-ref` on fixtures/demo,
# with criterion's verdicts on the same function in the same session.
#
# Sets up a git copy of fixtures/demo with one branch per injected change
# (checksum() doing 5%, 10%, 20% more work; the demo server's /delay 20%
# slower), then runs, with a 5% threshold:
#   micro A/A  N x  cargo perf demo/perf:: --compare-ref HEAD      (no change: any regression is a false alarm)
#   micro A/B  N x  cargo perf checksum_64k --compare-ref base     (per slowdown: detected or not)
#   instr A/B  NINSTR x  the same with --instructions             (the instruction-count verdict)
#   load  A/A  NLOAD x  cargo perf gate_delay --compare-ref HEAD   (p95 and rps)
#   load  A/B  NLOAD x  the same against a /delay 20% slower
#   criterion  NCRIT x  cargo bench -- checksum_64k --baseline base, A/A and each slowdown (DEMO_SLOWDOWN)
# and prints false-alarm and detection counts and the wall time per comparison.
#
#   scripts/gate-accuracy.sh                # N=20, NLOAD=10, NINSTR=5
#   N=5 NLOAD=3 scripts/gate-accuracy.sh    # a quicker look
#   NSIDE=10 NCRIT=10 scripts/gate-accuracy.sh  # fewer runs of the 5% and 20%
#                                             # slowdowns and of criterion (default N)
#   CARGO_PERF=target/release/cargo-perf TARGET_DIR=fixtures/demo/target scripts/gate-accuracy.sh
#       # use a cargo-perf already built from this commit, and build the demo in a
#       # target dir that already holds its dependencies (a busy or full machine)
# (instruction counts are repeatable: a few runs show it.)
# Needs cargo, git, python3 (and valgrind or perf for the instruction counts).
set -euo pipefail

N=${N:-20}
NLOAD=${NLOAD:-10}
NINSTR=${NINSTR:-5}
NSIDE=${NSIDE:-$N}
NCRIT=${NCRIT:-$N}
THRESHOLD=${THRESHOLD:-5%}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d -t gate-accuracy-XXXX)"
target_dir="$(realpath -m "${TARGET_DIR:-$work/target}")"
[[ -z ${CARGO_PERF:-} ]] || CARGO_PERF="$(realpath "$CARGO_PERF")"
export CARGO_TARGET_DIR="$target_dir"
log="$work/log"
mkdir -p "$log"
say() { printf '%s\n' "$*" >&2; }
now() { printf '%s' "${EPOCHREALTIME/,/.}"; }

say "work dir: $work"
# Measure a snapshot of the tree (the last commit, in a git checkout), so
# that edits made while the benchmark runs (about an hour) neither change
# nor break what it measures.
if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
    say "measuring commit $(git -C "$root" rev-parse --short HEAD)"
    git -C "$root" worktree add --quiet --detach "$work/src" HEAD
    trap 'git -C "$root" worktree remove --force "$work/src" 2>/dev/null || true' EXIT
else
    mkdir "$work/src"
    (cd "$root" && tar --exclude=./target -cf - .) | (cd "$work/src" && tar -xf -)
fi
root="$work/src"
if [[ -n ${CARGO_PERF:-} ]]; then
    perf="$CARGO_PERF"
else
    cargo build --quiet --release --manifest-path "$root/Cargo.toml" -p cargo-perf
    perf="$(cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')/release/cargo-perf"
fi
# That build went to our own target dir; the demo's go to $target_dir.
unset CARGO_TARGET_DIR
export CARGO_TARGET_DIR="$target_dir"

# The demo as a git repository of its own, with a load test against /delay.
demo="$work/demo"
cp -r "$root/fixtures/demo" "$demo"
rm -rf "$demo/target"
sed -i "s#\"../../perf-runtime\"#\"$root/perf-runtime\"#" "$demo/Cargo.toml"
cat >>"$demo/Cargo.toml" <<'TOML'

[[bench]]
name = "gate_load"
harness = false
TOML
cat >"$demo/benches/gate_load.rs" <<'RUST'
//! A fixed-rate load test against /delay, for scripts/gate-accuracy.sh.
use perf_runtime::{User, perf_test};

#[perf_test(load(rate = 100, duration = "6s"))]
async fn gate_delay(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/delay").await?.expect_status(200)?;
    Ok(())
}

perf_runtime::main!();
RUST
git_() { git -C "$demo" -c user.name=gate -c user.email=gate@example.com "$@"; }
git_ init -q
git_ add .
git_ commit -qm base
git_ branch base
for s in 5 10 20; do
    git_ checkout -q -b "slow-$s" base
    sed -i "s/            .unwrap_or(0)/            .unwrap_or($s)/" "$demo/src/lib.rs"
    git_ commit -qam "checksum does $s% more work"
done
git_ checkout -q -b delay-20 base
sed -i 's/query(&req, "ms").unwrap_or(10).min(60_000)/query(\&req, "ms").unwrap_or(12).min(60_000)/' "$demo/server/src/main.rs"
git_ diff --quiet HEAD -- server/src/main.rs && { say "error: could not plant the /delay change"; exit 1; }
git_ commit -qam "/delay takes 12 ms"
git_ checkout -q base

# compare NAME REV ARGS...: one `cargo perf --compare-ref REV` on the checked
# out branch; appends "NAME SECONDS" to wall.txt and keeps the JSON.
i=0
compare() {
    local name="$1" rev="$2"
    shift 2
    i=$((i + 1))
    local start end
    start="$(now)"
    (cd "$demo" && "$perf" perf --compare-ref "$rev" --threshold "$THRESHOLD" --message-format json "$@") \
        >"$log/$name-$i.json" 2>"$log/$name-$i.err" || true
    end="$(now)"
    printf '%s %s\n' "$name" "$(python3 -c "print(f'{$end - $start:.1f}')")" >>"$log/wall.txt"
    say "$name #$i: $(python3 "$work/verdicts.py" "$log/$name-$i.json")"
}
cat >"$work/verdicts.py" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    m = json.loads(line)
    if m.get("reason") == "comparison":
        print(", ".join(f"{t['id']['name']} {t['metric']} {t['change_pct']:+.1f}% {t['verdict']}"
                        for t in m["comparison"]["tests"] if t.get("change_pct") is not None))
PY

say "warming up: building base and the branches once (not counted)"
(cd "$demo" && "$perf" perf --compare-ref HEAD --quick checksum_64k >/dev/null 2>&1) || true

# A plain run of the same tests, for the time a comparison costs beside it.
for ((k = 1; k <= 3; k++)); do
    start="$(now)"
    (cd "$demo" && "$perf" perf demo/perf:: --message-format json) >"$log/plain-$k.json" 2>/dev/null
    end="$(now)"
    printf 'plain %s\n' "$(python3 -c "print(f'{$end - $start:.1f}')")" >>"$log/wall.txt"
done
for ((k = 1; k <= N; k++)); do compare micro-aa HEAD demo/perf::; done
for s in 5 10 20; do
    git_ checkout -q "slow-$s"
    runs=$N
    [[ $s == 10 ]] || runs=$NSIDE
    for ((k = 1; k <= runs; k++)); do compare "micro-ab-$s" base checksum_64k; done
    for ((k = 1; k <= NINSTR; k++)); do compare "instr-ab-$s" base checksum_64k --instructions; done
done
git_ checkout -q base
for ((k = 1; k <= NLOAD; k++)); do compare load-aa HEAD gate_delay --rounds 6; done
git_ checkout -q delay-20
for ((k = 1; k <= NLOAD; k++)); do compare load-ab-20 base gate_delay --rounds 6; done
git_ checkout -q base

# criterion on the same function, in the same session (NCRIT=0: not at all,
# nor its build).
if ((NCRIT > 0)); then
crit="$work/demo-criterion"
cp -r "$root/fixtures/demo-criterion" "$crit"
rm -rf "$crit/target"
sed -i "s#path = \"../demo\"#path = \"$demo\"#" "$crit/Cargo.toml"
crit_bench() { (cd "$crit" && cargo bench --quiet --bench criterion -- checksum_64k "$@" 2>&1); }
crit_bench --save-baseline base >"$log/criterion-base.txt"
for s in 0 5 10 20; do
    for ((k = 1; k <= NCRIT; k++)); do
        start="$(now)"
        DEMO_SLOWDOWN=$s crit_bench --baseline base >"$log/criterion-$s-$k.txt"
        end="$(now)"
        printf 'criterion-%s %s\n' "$s" "$(python3 -c "print(f'{$end - $start:.1f}')")" >>"$log/wall.txt"
        say "criterion slowdown $s% #$k: $(grep -Eo 'Performance has (regressed|improved)|No change in performance detected|Change within noise threshold' "$log/criterion-$s-$k.txt" | head -1)"
    done
done
fi

python3 - "$log" "$N" "$NLOAD" "$THRESHOLD" <<'PY'
import json, statistics, sys
from collections import defaultdict
from pathlib import Path

log, n, nload = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
wall = defaultdict(list)
for line in (log / "wall.txt").read_text().splitlines():
    name, seconds = line.split()
    wall[name].append(float(seconds))

def comparisons(name):
    for path in sorted(log.glob(f"{name}-*.json")):
        tests = None
        for line in path.read_text().splitlines():
            m = json.loads(line)
            if m.get("reason") == "comparison":
                tests = m["comparison"]["tests"]
        yield tests or []

def count(name, pick):
    runs = list(comparisons(name))
    return sum(1 for tests in runs if any(pick(t) for t in tests)), len(runs)

rows = []
def row(what, hits, total, name):
    w = statistics.median(wall[name]) if wall[name] else float("nan")
    rows.append((what, f"{hits} of {total}", f"{w:.0f} s"))

regressed = lambda metric=None, test=None: (lambda t: t["verdict"] == "regressed"
    and (metric is None or t["metric"] == metric) and (test is None or t["id"]["name"] == test))
row("plain run of the six tests (no comparison)", 0, 0, "plain")
row("micro A/A, any test regressed (false alarms)", *count("micro-aa", regressed()), "micro-aa")
for s in (5, 10, 20):
    row(f"micro A/B +{s}%, checksum_64k median regressed", *count(f"micro-ab-{s}", regressed("median_ns", "checksum_64k")), f"micro-ab-{s}")
for s in (5, 10, 20):
    row(f"instructions A/B +{s}%, checksum_64k instructions regressed", *count(f"instr-ab-{s}", regressed("instructions", "checksum_64k")), f"instr-ab-{s}")
row("load A/A, p95 or rps regressed (false alarms)", *count("load-aa", lambda t: t["verdict"] == "regressed" and t["metric"] in ("p95_us", "rps")), "load-aa")
row("load A/B /delay +20%, p95 regressed", *count("load-ab-20", regressed("p95_us")), "load-ab-20")
for s in (0, 5, 10, 20):
    files = sorted(log.glob(f"criterion-{s}-*.txt"))
    hits = sum(1 for f in files if "Performance has regressed" in f.read_text())
    label = "criterion A/A, 'Performance has regressed' (false alarms)" if s == 0 else f"criterion +{s}%, 'Performance has regressed'"
    row(label, hits, len(files), f"criterion-{s}")

width = max(len(r[0]) for r in rows)
print(f"\nthreshold {sys.argv[4]}; N={n}, NLOAD={nload}")
print(f"{'comparison':<{width}}  {'flagged':>9}  {'wall (median)':>13}")
for what, hits, w in rows:
    print(f"{what:<{width}}  {hits:>9}  {w:>13}")
PY
