#!/usr/bin/env bash
# Live inspection of one loopback nginx, side by side in one run:
# chainscope's default inspection (the policy's handshake, the full handshake and
# one probe for TLS 1.1 and below),
# chainscope --ciphers, one `openssl s_client` handshake, sslscan and
# testssl.sh -e (when installed). Prints hyperfine's table, peak RSS and the
# TCP connections each tool opens (nginx's stub_status accepts counter).
#
#   bench/live.sh            # all peers
#   RUNS=10 bench/live.sh    # fewer runs
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-30}
. bench/lib.sh
bench_setup
start_nginx 1
port=${ports[0]}
conns() { local a b; a=$(accepts); "$@" >/dev/null 2>&1 </dev/null || true; b=$(accepts); echo $((b - a - 1)); }

cs="$tmp/chainscope --json --roots $tmp/root.pem --servername bench.test 127.0.0.1:$port"
sclient="openssl s_client -connect 127.0.0.1:$port -servername bench.test"
cmds=(-n "chainscope (default)" "$cs"
      -n "chainscope --ciphers" "$cs --ciphers"
      -n "openssl s_client" "$sclient")
command -v sslscan >/dev/null && cmds+=(-n "sslscan" "sslscan --no-colour 127.0.0.1:$port")
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$tmp/live.json" "${cmds[@]}" >/dev/null
python3 - "$tmp/live.json" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
base = next(r["median"] for r in res if r["command"] == "openssl s_client")
print("| command | median wall (ms) | user+sys CPU (ms) | ratio to one s_client |")
print("|---|---|---|---|")
for r in res:
    print(f"| {r['command']} | {r['median']*1000:.1f} | {(r['user']+r['system'])*1000:.1f} | {r['median']/base:.2f} |")
PY
echo
printf "| tool | TCP connections | peak RSS (KiB) |\n|---|---|---|\n"
for row in "chainscope (default)|$cs" "chainscope --ciphers|$cs --ciphers" "openssl s_client|$sclient" \
           "sslscan|sslscan --no-colour 127.0.0.1:$port" "testssl.sh -e|testssl -e --quiet --color 0 127.0.0.1:$port"; do
  name=${row%%|*}; cmd=${row#*|}
  command -v "${cmd%% *}" >/dev/null || [ -x "${cmd%% *}" ] || continue
  rss=$( { /usr/bin/time -f "%M" $cmd </dev/null >/dev/null 2>"$tmp/err" || true; } ; tail -1 "$tmp/err")
  printf "| %s | %s | %s |\n" "$name" "$(conns $cmd)" "$rss"
done
echo
echo "Suites found, by IANA code point:"
$cs --ciphers > "$tmp/cs.json" || true
sslscan --no-colour --xml="$tmp/sslscan.xml" "127.0.0.1:$port" >/dev/null 2>&1 || true
if command -v testssl >/dev/null && [ "${TESTSSL:-1}" = 1 ]; then
  /usr/bin/time -f "%e" -o "$tmp/testssl.time" testssl -e --quiet --color 0 "127.0.0.1:$port" >"$tmp/testssl.txt" 2>&1 || true
  python3 bench/compare_ciphers.py "$tmp/cs.json" "$tmp/sslscan.xml" "$tmp/testssl.txt" || true
  echo; echo "testssl.sh -e, one run: $(cat "$tmp/testssl.time") s wall"
else
  python3 bench/compare_ciphers.py "$tmp/cs.json" "$tmp/sslscan.xml" || true
fi
