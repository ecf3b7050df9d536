#!/usr/bin/env bash
# How many endpoints, how much generator memory and what throughput a load
# test of `/items/{id}` with random ids gets (issue 20, defect 5): unnamed
# requests (the ids fold into `GET /items/{id}`) and requests each named by
# its own path (past 500 names they share one row), against the demo server.
#
#   scripts/endpoint-cardinality.sh            # 60 s per test
#   SECS=10 scripts/endpoint-cardinality.sh
#
# Needs: taskset, GNU time (/usr/bin/time), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${SECS:-60}
for tool in taskset /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is missing (see the header of $0)" >&2; exit 1; }
done
cargo build -q --release -p cargo-perf
cargo build -q --release --manifest-path fixtures/demo/Cargo.toml -p demo-server
perf=$PWD/target/release/cargo-perf
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
taskset -c 0 fixtures/demo/target/release/demo-server --port "$port" --workers 1 2>/dev/null &
server_pid=$!
out=$(mktemp -d)
trap 'kill $server_pid 2>/dev/null || true; rm -rf "$out"' EXIT
until python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/health')" 2>/dev/null; do sleep 0.1; done
scale=$(python3 -c "print($SECS/10)")
$perf perf --manifest-path fixtures/loadbench/Cargo.toml --list >/dev/null

printf '%-14s %10s %12s %12s %12s\n' test endpoints 'peak RSS' 'req/s' 'record'
for test in random_ids random_names; do
  /usr/bin/time -f "%M" -o "$out/rss" env CARGO_PERF_GENERATOR_THREADS=1 taskset -c 1 "$perf" perf \
    --manifest-path fixtures/loadbench/Cargo.toml --exact "$test" --processes 1 \
    --target-url "http://127.0.0.1:$port" --duration-scale "$scale" --message-format json \
    > "$out/json" 2>/dev/null || true
  python3 - "$test" "$out/json" "$(tail -1 "$out/rss")" <<'PY'
import json, sys
test, path, rss_kib = sys.argv[1], sys.argv[2], int(sys.argv[3])
for line in open(path):
    m = json.loads(line)
    if m.get("reason") == "run-finished":
        record = m["record"]
        load = record["tests"][0]["load"]
        size = len(json.dumps(record))
        print(f"{test:<14} {len(load['endpoints']):>10} {rss_kib/1024:>9.0f} MiB {load['rps']:>12.0f} {size/1024:>9.0f} KiB")
        for w in load.get("warnings", []):
            print(f"  warning: {w['message']}")
PY
done
