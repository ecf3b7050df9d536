#!/usr/bin/env bash
# The load generator's memory: peak RSS of the generator process for
# 1,000, 10,000 and 50,000 users (think time 1 s, keep-alive, one
# generator thread) against the demo server, beside k6's documented
# figure (issue 23, item 5).
#
#   scripts/generator-memory.sh                 # 1k 10k 50k, 5 s ramp + 10 s hold
#   USERS="1k 10k" SCALE=0.5 scripts/generator-memory.sh
#
# k6: "Simple tests will use ~1-5MB per VU. (1000VUs = 1-5GB)", from
# "Running large tests", Memory,
# https://grafana.com/docs/k6/latest/testing-guides/running-large-tests/
# (its maintainers give ~2.7-3 MB per VU for small scripts in
# https://github.com/grafana/k6/issues/1543); the table uses 3 MB.
#
# The peak is the generator process's VmHWM (/proc/PID/status), read
# every 100 ms while it runs: the test binary's own, not cargo perf's.
# A run the limits refuse (file descriptors, ephemeral ports) prints the
# generator's message, then measures one share of the same users split
# over as many generators as the limits need (--split 1/N). Needs: python3.
set -euo pipefail
cd "$(dirname "$0")/.."
USERS=${USERS:-1k 10k 50k}
SCALE=${SCALE:-1}
THREADS=${THREADS:-1}
cargo build -q --release -p cargo-perf
cargo build -q --release --manifest-path fixtures/demo/Cargo.toml -p demo-server
perf=$PWD/target/release/cargo-perf
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# The server holds as many connections as there are users.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fixtures/demo/target/release/demo-server --port "$port" --workers 1 2>/dev/null &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
until python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/health')" 2>/dev/null; do sleep 0.1; done
# Build the load tests once (not measured).
$perf perf --manifest-path fixtures/loadbench/Cargo.toml --list >/dev/null

echo "generator threads: $THREADS; think time 1 s, keep-alive; file limit $(ulimit -Sn)/$(ulimit -Hn)," \
  "ephemeral ports $(tr '\t' - </proc/sys/net/ipv4/ip_local_port_range)"
printf '%-8s %14s %14s %12s %16s %10s\n' users 'peak RSS MiB' 'KiB per user' 'req/s' 'k6 at 3 MB/VU' 'vs k6'
for users in $USERS; do
  python3 - "$perf" "$port" "$users" "$SCALE" "$THREADS" <<'PY'
import json, os, re, subprocess, sys, time

perf, port, users, scale, threads = sys.argv[1:]
count = int(users.rstrip("k")) * 1000
bench_dir = os.path.realpath("fixtures/loadbench/target")

def generators():
    """PIDs of running loadbench test binaries."""
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                exe = os.readlink(f"/proc/{pid}/exe")
            except OSError:
                continue
            if exe.startswith(bench_dir) and "/deps/generator-" in exe:
                yield pid

def hwm_kib(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0

def measure(extra):
    """Runs the test; its load record (or None) and all it printed, with
    the generator's peak RSS in KiB."""
    run = subprocess.Popen(
        [perf, "perf", "--manifest-path", "fixtures/loadbench/Cargo.toml", "--exact", f"memory_{users}",
         "--generator-threads", threads, "--target-url", f"http://127.0.0.1:{port}",
         "--duration-scale", scale, "--message-format", "json", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peaks = {}
    while run.poll() is None:
        for pid in generators():
            peaks[pid] = max(peaks.get(pid, 0), hwm_kib(pid))
        time.sleep(0.1)
    out, err = run.communicate()
    load = None
    for line in out.splitlines():
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if message.get("reason") == "run-finished":
            tests = message["record"]["tests"]
            load = tests[0].get("load") if tests else None
    return load, out + err, max(peaks.values(), default=0)

def row(label, users_run, load, peak):
    k6_mib = users_run * 3
    print(f"{label:<8} {peak / 1024:>14.1f} {peak / users_run:>14.2f} {load['rps']:>12.0f} "
          f"{k6_mib / 1024:>12.1f} GiB {k6_mib / (peak / 1024):>9.0f}x")

load, said, peak = measure(["--processes", "1"])
if load is not None:
    row(str(count), count, load, peak)
    sys.exit(0)
refusal = re.findall(r"\d+ virtual users need [^\"\n]*", said)
lines = refusal or [l for l in said.splitlines() if "error" in l.lower()] or ["(no message)"]
print(f"{count:<8} refused at start: {lines[0].strip()}")
allowed = re.search(r"which allows (\d+) users", lines[0])
if allowed:
    # The same load from several generators (--split): one share here.
    shares = -(-count // int(allowed.group(1)))
    start = str(int(time.time()) + 2)
    load, said, peak = measure(["--split", f"1/{shares}", "--start-at", start])
    mine = -(-count // shares)
    if load is not None:
        row(f"  1/{shares}", mine, load, peak)
        print(f"         (share 1 of {shares} of the {count} users, {mine} of them, with --split)")
PY
done
