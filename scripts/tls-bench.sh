#!/usr/bin/env bash
# cargo perf's load generator over HTTPS beside oha, in one run, against
# the same published TLS server on loopback (Python's http.server wrapped
# with ssl, scripts/tls-server.py, with a certificate made here by
# openssl): requests per generator CPU-second with keep-alive and with a
# new connection (a TLS handshake) per request, and the same two over
# cleartext against the same server for the cost of TLS itself.
#
#   scripts/tls-bench.sh                  # 10 s per run, the median of 3
#   SECS=5 ROUNDS=1 scripts/tls-bench.sh
#
# Needs: oha (cargo install oha), openssl, taskset, GNU time, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${SECS:-10}
ROUNDS=${ROUNDS:-3}
SERVER_CORE=${SERVER_CORE:-0}
GEN_CORE=${GEN_CORE:-1}
CONNS=10
for tool in oha openssl taskset /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is missing (see the header of $0)" >&2; exit 1; }
done

cargo build -q --release -p cargo-perf
perf=$PWD/target/release/cargo-perf
out=$(mktemp -d)
# An authority, and the server's certificate it signs (webpki refuses a
# CA certificate as the server's own, which plain `req -x509` makes).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=bench-ca \
  -keyout "$out/ca-key.pem" -out "$out/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost \
  -keyout "$out/key.pem" -out "$out/csr.pem" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' > "$out/ext"
openssl x509 -req -in "$out/csr.pem" -CA "$out/ca.pem" -CAkey "$out/ca-key.pem" -CAcreateserial -days 2 \
  -extfile "$out/ext" -out "$out/cert.pem" 2>/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
tls_port=$(free_port)
plain_port=$(free_port)
taskset -c "$SERVER_CORE" python3 scripts/tls-server.py "$tls_port" "$out/cert.pem" "$out/key.pem" &
tls_pid=$!
# The same server without ssl, for the cleartext rows.
taskset -c "$SERVER_CORE" python3 scripts/tls-server.py "$plain_port" &
plain_pid=$!
trap 'kill $tls_pid $plain_pid 2>/dev/null || true' EXIT
until curl -sfk "https://127.0.0.1:$tls_port/health" >/dev/null 2>&1 && curl -sf "http://127.0.0.1:$plain_port/health" >/dev/null 2>&1; do sleep 0.1; done
scale=$(python3 -c "print($SECS/10)")
$perf perf --manifest-path fixtures/loadbench/Cargo.toml --list >/dev/null

cpu() { python3 -c "import sys; u,s=open(sys.argv[1]).read().split()[-2:]; print(float(u)+float(s))" "$1"; }

perf_run() { # test url [flags] -> "rps p50_ms p99_ms cpu_s handshakes"
  local test=$1 url=$2; shift 2
  CARGO_PERF_GENERATOR_THREADS=1 taskset -c "$GEN_CORE" "$perf" perf --manifest-path fixtures/loadbench/Cargo.toml \
    --exact "$test" --processes 1 --target-url "$url" --duration-scale "$scale" --message-format json "$@" 2>/dev/null \
    | python3 -c "
import sys, json
for line in sys.stdin:
    m = json.loads(line)
    if m['reason'] == 'run-finished':
        l = m['record']['tests'][0]['load']
        c = l.get('connections') or {}
        print(f\"{l['rps']:.0f} {l['latency']['p50_us']/1e3:.2f} {l['latency']['p99_us']/1e3:.2f} {l['generator_cpu_s']:.2f} {c.get('tls_handshakes', 0)} {c.get('tls_handshake_mean_us', 0):.0f}\")
"
}

oha_run() { # url [flags]
  local url=$1; shift
  /usr/bin/time -f "%U %S" -o "$out/time" taskset -c "$GEN_CORE" oha -c "$CONNS" -z "${SECS}s" --no-tui --output-format json "$@" "$url/fast" > "$out/oha" 2>/dev/null
  python3 - "$out/oha" "$(cpu "$out/time")" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
p = d['latencyPercentiles']
print(f"{d['summary']['requestsPerSec']:.0f} {p['p50']*1000:.2f} {p['p99']*1000:.2f} {sys.argv[2]} 0 0")
PY
}

median_of() {
  local runs=()
  for _ in $(seq 1 "$ROUNDS"); do runs+=("$("$@")"); done
  printf '%s\n' "${runs[@]}" | python3 -c "
import sys, statistics
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
print(' '.join(f'{statistics.median(c):.2f}' for c in zip(*rows)))"
}

row() { # label "rps p50 p99 cpu handshakes handshake_us"
  read -r rps p50 p99 cpu hs hs_us <<<"$2"
  python3 -c "
rps, cpu, hs = float('$rps'), float('$cpu'), float('$hs')
shown = f'{hs:.0f} x {float(\"$hs_us\"):.0f} us' if hs else ''
print(f\"{'$1':<40} {rps:>7.0f} {float('$p50'):>7.2f} {float('$p99'):>7.2f} {cpu:>6.2f} {rps*$SECS/cpu if cpu > 0 else float('nan'):>10.0f}  {shown}\")"
}

tls=https://localhost:$tls_port
plain=http://127.0.0.1:$plain_port
echo "Each run ${SECS}s, median of $ROUNDS, $CONNS connections; server (Python http.server + ssl, one process) on core $SERVER_CORE, generator on core $GEN_CORE."
printf '%-40s %7s %7s %7s %6s %10s  %s\n' "run" "req/s" "p50 ms" "p99 ms" "cpu s" "req/cpu-s" "TLS handshakes (perf)"
row "https keep-alive: oha"                 "$(median_of oha_run "$tls" --cacert "$out/ca.pem")"
row "https keep-alive: perf"                "$(median_of perf_run fast_keep_alive "$tls" --ca-cert "$out/ca.pem")"
row "https keep-alive, --insecure: perf"    "$(median_of perf_run fast_keep_alive "$tls" --insecure)"
row "https new connection/request: oha"     "$(median_of oha_run "$tls" --cacert "$out/ca.pem" --disable-keepalive)"
row "https new connection/request: perf"    "$(median_of perf_run fast_new_connection "$tls" --ca-cert "$out/ca.pem")"
row "http keep-alive: oha"                  "$(median_of oha_run "$plain")"
row "http keep-alive: perf"                 "$(median_of perf_run fast_keep_alive "$plain")"
row "http new connection/request: oha"      "$(median_of oha_run "$plain" --disable-keepalive)"
row "http new connection/request: perf"     "$(median_of perf_run fast_new_connection "$plain")"
