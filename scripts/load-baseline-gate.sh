#!/usr/bin/env bash
# Whether a load test's comparison with a *saved* baseline can be trusted
# on this machine: how often an unchanged server is called regressed (false
# alarms), and how often a fast endpoint made 30 ms slower is caught.
#
# Sets up a copy of fixtures/demo with a load test against /fast, saves a
# baseline, then runs, with the default 10% threshold:
#   A/A  N x  cargo perf gate_fast --compare main   (no change: any p95/p99/rps regression is a false alarm)
#   A/B  N x  the same against a server whose /fast sleeps 30 ms first
# each a separate `cargo perf` invocation, and prints the counts and the
# median wall time of a comparison.
#
#   scripts/load-baseline-gate.sh          # N=10
#   N=3 scripts/load-baseline-gate.sh      # a quicker look
# Needs cargo and python3.
set -euo pipefail

N=${N:-10}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d -t load-baseline-gate-XXXX)"
log="$work/log"
mkdir -p "$log"
say() { printf '%s\n' "$*" >&2; }
now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
say "work dir: $work"

export CARGO_TARGET_DIR="$work/target"
cargo build --quiet --release --manifest-path "$root/Cargo.toml" -p cargo-perf
perf="$CARGO_TARGET_DIR/release/cargo-perf"

demo="$work/demo"
cp -r "$root/fixtures/demo" "$demo"
rm -rf "$demo/target"
sed -i "s#\"../../perf-runtime\"#\"$root/perf-runtime\"#" "$demo/Cargo.toml"
cat >>"$demo/Cargo.toml" <<'TOML'

[[bench]]
name = "gate_fast"
harness = false
TOML
cat >"$demo/benches/gate_fast.rs" <<'RUST'
//! A fixed-rate load test against a fast endpoint, for
//! scripts/load-baseline-gate.sh.
use perf_runtime::{User, perf_test};

#[perf_test(load(rate = 200, duration = "6s"))]
async fn gate_fast(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/fast").await?.expect_status(200)?;
    Ok(())
}

perf_runtime::main!();
RUST

# compare NAME: one `cargo perf gate_fast --compare main`; keeps its JSON
# and appends "NAME SECONDS" to wall.txt.
i=0
compare() {
    i=$((i + 1))
    local start
    start=$(now)
    "$perf" perf --manifest-path "$demo/Cargo.toml" gate_fast --compare main \
        --message-format json >"$log/$1-$i.jsonl" 2>"$log/$1-$i.err" || true
    echo "$1 $(python3 -c "print($(now) - $start)")" >>"$log/wall.txt"
}

say "saving the baseline"
"$perf" perf --manifest-path "$demo/Cargo.toml" gate_fast --save-baseline main \
    --message-format json >"$log/save.jsonl" 2>"$log/save.err"
for ((k = 1; k <= N; k++)); do say "A/A $k of $N"; compare aa; done

# The same server, with /fast 30 ms slower.
server="$demo/server/src/main.rs"
sed -i 's|(&Method::GET, "/health" \| "/fast") => text(StatusCode::OK, "ok"),|(\&Method::GET, "/health") => text(StatusCode::OK, "ok"),\n        (\&Method::GET, "/fast") => {\n            tokio::time::sleep(Duration::from_millis(30)).await;\n            text(StatusCode::OK, "ok")\n        }|' "$server"
grep -q 'from_millis(30)' "$server" || { say "error: could not plant the 30 ms"; exit 1; }
for ((k = 1; k <= N; k++)); do say "A/B $k of $N"; compare ab; done

python3 - "$log" "$N" <<'PY'
import json, statistics, sys
from pathlib import Path

log, n = Path(sys.argv[1]), int(sys.argv[2])

def metrics(name):
    """Each run's comparison metrics of gate_fast, by metric."""
    for path in sorted(log.glob(f"{name}-*.jsonl")):
        found = {}
        for line in path.read_text().splitlines():
            m = json.loads(line)
            if m.get("reason") == "comparison":
                for t in m["comparison"]["tests"]:
                    found[t["metric"]] = t
        yield path.stem, found

walls = {}
for line in (log / "wall.txt").read_text().splitlines():
    name, secs = line.split()
    walls.setdefault(name, []).append(float(secs))

def row(label, name, hit):
    runs = list(metrics(name))
    flagged = sum(1 for _, m in runs if hit(m))
    print(f"{label:<52} {flagged:>2} of {len(runs):<3} {statistics.median(walls[name]):>6.1f} s")
    for stem, m in runs:
        p95 = m.get("p95_us", {})
        est = p95.get("estimate") or {}
        print(f"    {stem:<8} p95 {p95.get('change_pct', float('nan')):+8.1f}%  "
              f"95% CI {est.get('ci_pct', ['-', '-'])}  {p95.get('verdict', '?')}")

regressed = lambda metric: lambda m: m.get(metric, {}).get("verdict") == "regressed"
print(f"{'comparison with a saved baseline (threshold 10%)':<52} flagged  wall (median)")
row("load A/A, p95, p99 or rps regressed (false alarms)", "aa",
    lambda m: any(m.get(k, {}).get("verdict") == "regressed" for k in ("p95_us", "p99_us", "rps")))
row("load A/B /fast +30 ms, p95 regressed", "ab", regressed("p95_us"))
PY
