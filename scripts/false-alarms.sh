#!/usr/bin/env bash
# False-alarm check of the regression gate: N times, save a baseline of
# fixtures/demo and compare a second run of the unchanged code with it, at
# the default settings and threshold. Prints each comparison's changes and
# verdicts, and how many of the N compares flagged a regression.
#
#   scripts/false-alarms.sh            # N=10
#   N=20 scripts/false-alarms.sh --quick
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-10}
cargo build -q --release -p cargo-perf
perf=target/release/cargo-perf
manifest=fixtures/demo/Cargo.toml
base=$(mktemp -d)/aa-base.json
# Build the demo once, outside the timed loop.
$perf perf --manifest-path $manifest --list >/dev/null
flagged=0
for i in $(seq 1 "$N"); do
  $perf perf --manifest-path $manifest "$@" --save-baseline "$base" >/dev/null 2>&1
  set +e
  out=$($perf perf --manifest-path $manifest "$@" --compare "$base" --message-format json 2>/dev/null)
  code=$?
  set -e
  [ "$code" -ne 0 ] && flagged=$((flagged + 1))
  printf '%s\n' "$out" | python3 -c "
import sys, json
for line in sys.stdin:
    m = json.loads(line)
    if m['reason'] == 'comparison':
        cells = []
        for t in m['comparison']['tests']:
            mark = {'regressed': ' REGRESSED', 'improved': ' improved', 'within_noise': ' noise'}.get(t['verdict'], '')
            cells.append(f\"{t['id']['name']} {t['change_pct']:+.1f}%{mark}\")
        print('run $i exit $code: ' + ', '.join(cells))
"
done
echo "flagged: $flagged of $N no-change compares"
