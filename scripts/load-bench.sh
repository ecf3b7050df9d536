#!/usr/bin/env bash
# cargo perf's load generator beside wrk and oha, in one session, against
# the demo server's endpoints (one server worker). The server and the
# generators are pinned to different cores with taskset.
#
#   scripts/load-bench.sh                 # 10 s per run, the median of 3 runs
#   SECS=5 ROUNDS=1 scripts/load-bench.sh
#
# Needs: wrk (Debian: apt-get install wrk), taskset and GNU time
# (/usr/bin/time); oha (cargo install oha) for its rows and the
# coordinated-omission check, which are left out, saying so, without it.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${SECS:-10}
ROUNDS=${ROUNDS:-3}
SERVER_CORE=${SERVER_CORE:-0}
GEN_CORE=${GEN_CORE:-1}
for tool in wrk taskset /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is missing (see the header of $0)" >&2; exit 1; }
done

cargo build -q --release -p cargo-perf
cargo build -q --release --manifest-path fixtures/demo/Cargo.toml -p demo-server
perf=$PWD/target/release/cargo-perf
server=fixtures/demo/target/release/demo-server
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
taskset -c "$SERVER_CORE" "$server" --port "$port" --workers 1 2>/dev/null &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 || python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/health')" 2>/dev/null; do sleep 0.1; done
url=http://127.0.0.1:$port
scale=$(python3 -c "print($SECS/10)")
# Build the load tests once (not timed).
$perf perf --manifest-path fixtures/loadbench/Cargo.toml --list >/dev/null
out=$(mktemp -d)

cpu() { # user+sys seconds from GNU time's output file
  python3 -c "import sys; u,s=open(sys.argv[1]).read().split()[-2:]; print(float(u)+float(s))" "$1"
}

perf_run() { # name -> prints "rps p50_ms p99_ms cpu_s"
  CARGO_PERF_GENERATOR_THREADS=1 taskset -c "$GEN_CORE" "$perf" perf --manifest-path fixtures/loadbench/Cargo.toml \
    --exact "$1" --processes 1 --target-url "$url" --duration-scale "$scale" --message-format json 2>/dev/null \
    | python3 -c "
import sys, json
for line in sys.stdin:
    m = json.loads(line)
    if m['reason'] == 'run-finished':
        l = m['record']['tests'][0]['load']
        raw = l.get('raw_latency') or l['latency']
        print(f\"{l['rps']:.0f} {l['latency']['p50_us']/1e3:.2f} {l['latency']['p99_us']/1e3:.2f} {l['generator_cpu_s']:.2f} {raw['p50_us']/1e3:.2f} {raw['p90_us']/1e3:.2f} {raw['p99_us']/1e3:.2f} {l['latency']['p90_us']/1e3:.2f}\")
"
}

wrk_run() { # conns path
  /usr/bin/time -f "%U %S" -o "$out/time" taskset -c "$GEN_CORE" wrk -t1 -c"$1" -d"${SECS}s" --latency "$url$2" > "$out/wrk" 2>&1
  python3 - "$out/wrk" "$(cpu "$out/time")" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    m = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if not m: return float('nan')
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == 'us' else v * 1000 if u == 's' else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
print(f"{rps:.0f} {ms('50%'):.2f} {ms('99%'):.2f} {sys.argv[2]}")
PY
}

oha_run() { # conns path [extra args]
  local conns=$1 path=$2; shift 2
  /usr/bin/time -f "%U %S" -o "$out/time" taskset -c "$GEN_CORE" oha -c "$conns" -z "${SECS}s" --no-tui --output-format json "$@" "$url$path" > "$out/oha" 2>/dev/null
  python3 - "$out/oha" "$(cpu "$out/time")" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
p = d['latencyPercentiles']
print(f"{d['summary']['requestsPerSec']:.0f} {p['p50']*1000:.2f} {p['p99']*1000:.2f} {sys.argv[2]} {p['p90']*1000:.2f}")
PY
}

median_of() { # command... -> the column-wise median of ROUNDS runs
  local runs=()
  for _ in $(seq 1 "$ROUNDS"); do runs+=("$("$@")"); done
  printf '%s\n' "${runs[@]}" | python3 -c "
import sys, statistics
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
print(' '.join(f'{statistics.median(c):.2f}' for c in zip(*rows)))"
}

row() { # label "rps p50 p99 cpu ..."
  read -r rps p50 p99 cpu _ <<<"$2"
  python3 -c "
rps, cpu = float('$rps'), float('$cpu')
print(f\"{'$1':<34} {rps:>9.0f} {float('$p50'):>8.2f} {float('$p99'):>8.2f} {cpu:>8.2f} {rps*$SECS/cpu if cpu > 0 else float('nan'):>12.0f}\")"
}

echo "Each run ${SECS}s, median of $ROUNDS; server on core $SERVER_CORE (1 worker), generator on core $GEN_CORE."
printf '%-34s %9s %8s %8s %8s %12s\n' "run" "req/s" "p50 ms" "p99 ms" "cpu s" "req/cpu-s"
row "saturated /fast, 50 conns: wrk" "$(median_of wrk_run 50 /fast)"
have_oha=$(command -v oha >/dev/null && echo yes || echo no)
oha_row() { # label args...: a row, or a line saying why there is none
  if [ "$have_oha" = yes ]; then row "$1" "$(shift; median_of oha_run "$@")"; else printf '%-34s (oha is not installed: cargo install oha)\n' "$1"; fi
}
oha_row "saturated /fast, 50 conns: oha" 50 /fast
row "saturated /fast, 50 conns: perf" "$(median_of perf_run saturate_fast)"
row "10ms delay, 200 conns: wrk" "$(median_of wrk_run 200 '/delay?ms=10')"
oha_row "10ms delay, 200 conns: oha" 200 '/delay?ms=10'
row "10ms delay, 200 conns: perf" "$(median_of perf_run delay_10ms)"

echo
echo "Coordinated omission: 1000 req/s on one connection, every 500th request stalls 200 ms."
if [ "$have_oha" = yes ]; then
  stall=$(oha_run 1 '/stall?every=500&ms=200' -q 1000 --latency-correction)
  read -r _ _ o99 _ o90 <<<"$stall"
  echo "oha --latency-correction: p90 $o90 ms, p99 $o99 ms"
else
  echo "oha --latency-correction: (oha is not installed: cargo install oha)"
fi
read -r _ _ p99 _ r50 r90 r99 p90 <<<"$(perf_run stall_open)"
echo "cargo perf (from schedule): p90 $p90 ms, p99 $p99 ms;  raw (from send): p90 $r90 ms, p99 $r99 ms"

echo
echo "1,000 users with think time: generator peak memory"
/usr/bin/time -f "%M" -o "$out/mem" taskset -c "$GEN_CORE" env CARGO_PERF_GENERATOR_THREADS=1 "$perf" perf \
  --manifest-path fixtures/loadbench/Cargo.toml --exact thousand_users --target-url "$url" --duration-scale "$scale" >/dev/null 2>&1 || true
echo "peak RSS of cargo perf's process tree's largest process: $(( $(cat "$out/mem") / 1024 )) MiB (GNU time reports the largest of cargo perf and its children)"
