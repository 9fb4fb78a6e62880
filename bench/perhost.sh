#!/usr/bin/env bash
# The default inspection's wall time by --per-host (connections open at
# once to one endpoint), against a loopback nginx and the same nginx behind
# bench/delay-proxy (25 ms each way: a 50 ms round trip), in one run.
#
#   bench/perhost.sh          # RUNS=20 by default
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-20}
. bench/lib.sh
bench_setup
start_nginx 1
port=${ports[0]}
go build -o "$tmp/delay-proxy" ./bench/delay-proxy
"$tmp/delay-proxy" -backend "127.0.0.1:$port" -delay 25ms > "$tmp/proxy.addr" &
proxy_pid=$!
trap 'kill $proxy_pid 2>/dev/null; bench_cleanup' EXIT
sleep 0.3
far=$(cat "$tmp/proxy.addr")
cmds=()
for where in "loopback|127.0.0.1:$port" "50 ms RTT|$far"; do
  name=${where%%|*}; addr=${where#*|}
  for n in 5 4 3 2 1; do
    cmds+=(-n "$name, --per-host $n" "$tmp/chainscope --json --roots $tmp/root.pem --servername bench.test --per-host $n $addr")
  done
done
hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$tmp/perhost.json" "${cmds[@]}" >/dev/null
python3 - "$tmp/perhost.json" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
print("| target, --per-host | median wall (ms) | min (ms) |")
print("|---|---|---|")
for r in res:
    print(f"| {r['command']} | {r['median']*1000:.1f} | {r['min']*1000:.1f} |")
PY
