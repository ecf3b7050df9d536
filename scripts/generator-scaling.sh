#!/usr/bin/env bash
# The load generator's scaling across threads, beside wrk with the same
# thread and connection counts, in one session against the demo server:
# requests per second, and requests per generator CPU-second, for
# 1, 2, 4, ... threads (issue 21, item 5).
#
#   scripts/generator-scaling.sh                  # THREADS="1 2", 10 s a run
#   THREADS="1 2 4 8 16" SERVER_WORKERS=8 scripts/generator-scaling.sh
#
# The server gets SERVER_WORKERS worker threads (default: the cores left
# beside the most generator threads, at least 1). Both generators run
# unpinned. Needs: wrk, GNU time (/usr/bin/time), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${SECS:-10}
THREADS=${THREADS:-1 2}
CORES=$(nproc)
most=$(printf '%s\n' $THREADS | sort -n | tail -1)
SERVER_WORKERS=${SERVER_WORKERS:-$(( CORES > most ? CORES - most : 1 ))}
for tool in wrk /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is missing (see the header of $0)" >&2; exit 1; }
done
cargo build -q --release -p cargo-perf
cargo build -q --release --manifest-path fixtures/demo/Cargo.toml -p demo-server
perf=$PWD/target/release/cargo-perf
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
fixtures/demo/target/release/demo-server --port "$port" --workers "$SERVER_WORKERS" 2>/dev/null &
server_pid=$!
out=$(mktemp -d)
trap 'kill $server_pid 2>/dev/null || true; rm -rf "$out"' EXIT
until python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/health')" 2>/dev/null; do sleep 0.1; done
url=http://127.0.0.1:$port
scale=$(python3 -c "print($SECS/10)")
$perf perf --manifest-path fixtures/loadbench/Cargo.toml --list >/dev/null

wrk_run() { # threads conns path -> "rps cpu_s"
  /usr/bin/time -f "%U %S" -o "$out/time" wrk -t"$1" -c"$2" -d"${SECS}s" "$url$3" > "$out/wrk" 2>&1
  python3 - "$out/wrk" "$out/time" <<'PY'
import re, sys
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", open(sys.argv[1]).read()).group(1))
u, s = open(sys.argv[2]).read().split()[-2:]
print(f"{rps:.0f} {float(u) + float(s):.2f}")
PY
}

perf_run() { # threads test -> "rps cpu_s"
  "$perf" perf --manifest-path fixtures/loadbench/Cargo.toml --exact "$2" --processes 1 \
    --generator-threads "$1" --target-url "$url" --duration-scale "$scale" --message-format json 2>/dev/null \
    | python3 -c "
import sys, json
for line in sys.stdin:
    m = json.loads(line)
    if m['reason'] == 'run-finished':
        l = m['record']['tests'][0]['load']
        print(f\"{l['rps']:.0f} {l['generator_cpu_s']:.2f}\")
"
}

echo "$CORES cores; demo server with $SERVER_WORKERS worker(s); each run ${SECS}s."
printf '%-28s %7s %10s %10s %12s %12s %8s\n' load threads 'wrk req/s' 'perf req/s' 'wrk req/cpu' 'perf req/cpu' ratio
for load in "saturate_fast 50 /fast" "delay_10ms 200 /delay?ms=10"; do
  read -r test conns path <<<"$load"
  for t in $THREADS; do
    read -r wrps wcpu <<<"$(wrk_run "$t" "$conns" "$path")"
    read -r prps pcpu <<<"$(perf_run "$t" "$test")"
    python3 -c "
w, p = $wrps * $SECS / max($wcpu, 1e-9), $prps * $SECS / max($pcpu, 1e-9)
print(f\"{'$path, $conns conns':<28} {$t:>7} {$wrps:>10.0f} {$prps:>10.0f} {w:>12.0f} {p:>12.0f} {p / w:>7.2f}x\")"
  done
done
