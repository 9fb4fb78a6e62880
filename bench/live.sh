#!/usr/bin/env bash
# Live inspection of one loopback nginx, side by side in one run:
# chainscope's default inspection (policy handshake + version probes),
# chainscope --ciphers, one `openssl s_client` handshake, sslscan and
# testssl.sh -e (when installed). Prints hyperfine's table, peak RSS and the
# TCP connections each tool opens (nginx's stub_status accepts counter).
#
#   bench/live.sh            # all peers
#   RUNS=10 bench/live.sh    # fewer runs
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-30}
tmp=$(mktemp -d)
cleanup() { [ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

go build -o "$tmp/chainscope" .
# An RSA hierarchy, so that DHE, static RSA and ECDHE_RSA suites all work.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/root.key" -out "$tmp/root.pem" -subj "/CN=bench root" -days 30 \
  -addext basicConstraints=critical,CA:true 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$tmp/leaf.key" -out "$tmp/leaf.csr" -subj "/CN=bench.test" 2>/dev/null
openssl x509 -req -in "$tmp/leaf.csr" -CA "$tmp/root.pem" -CAkey "$tmp/root.key" -CAcreateserial -days 30 \
  -extfile <(printf "subjectAltName=DNS:bench.test\nbasicConstraints=CA:false\n") -out "$tmp/leaf.pem" 2>/dev/null
openssl dhparam -dsaparam -out "$tmp/dh.pem" 2048 2>/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$tmp/nginx.conf" <<CONF
pid $tmp/nginx.pid;
error_log $tmp/error.log;
worker_processes 2;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $tmp; proxy_temp_path $tmp; fastcgi_temp_path $tmp; uwsgi_temp_path $tmp; scgi_temp_path $tmp;
  server {
    listen 127.0.0.1:$port ssl;
    ssl_certificate $tmp/leaf.pem;
    ssl_certificate_key $tmp/leaf.key;
    ssl_dhparam $tmp/dh.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ALL:COMPLEMENTOFALL:@SECLEVEL=0;
    ssl_prefer_server_ciphers on;
    location / { return 204; }
  }
  server {
    listen 127.0.0.1:$sport;
    location / { stub_status; }
  }
}
CONF
nginx -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/error.log"
sleep 0.3
accepts() { curl -s "http://127.0.0.1:$sport/" | awk 'NR==3 {print $1}'; }
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
if command -v testssl >/dev/null && [ "${TESTSSL:-1}" = 1 ]; then
  echo; echo "testssl.sh -e (one run, wall seconds):"
  /usr/bin/time -f "%e s" testssl -e --quiet --color 0 "127.0.0.1:$port" >/dev/null 2>"$tmp/t" || true; tail -1 "$tmp/t"
fi
