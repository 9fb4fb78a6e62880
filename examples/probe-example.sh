#!/usr/bin/env bash
# Prints the README's example of /probe output: chainscope serve, judging
# against testdata/root.pem, probes an nginx on 127.0.0.1 that serves
# testdata/chain-out-of-order.pem (leaf, root, intermediate).
set -euo pipefail
cd "$(dirname "$0")/.."
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
tmp=$(mktemp -d)
go build -o "$tmp/chainscope" .
tls=$(free_port)
cat > "$tmp/nginx.conf" <<CONF
pid $tmp/nginx.pid;
error_log $tmp/error.log;
worker_processes 1;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $tmp; proxy_temp_path $tmp; fastcgi_temp_path $tmp; uwsgi_temp_path $tmp; scgi_temp_path $tmp;
  server {
    listen 127.0.0.1:$tls ssl;
    ssl_certificate $PWD/testdata/chain-out-of-order.pem;
    ssl_certificate_key $PWD/testdata/leaf.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / { return 204; }
  }
}
CONF
nginx -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/error.log"
"$tmp/chainscope" serve --listen 127.0.0.1:9219 --roots testdata/root.pem 2>"$tmp/serve.log" &
pid=$!
trap 'kill $pid "$(cat "$tmp/nginx.pid")" 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do curl -sf 127.0.0.1:9219/healthz >/dev/null && break; sleep 0.1; done
url="127.0.0.1:9219/probe?target=127.0.0.1:$tls&servername=example.test"
echo "\$ curl -s '$url'"
curl -s -H 'X-Prometheus-Scrape-Timeout-Seconds: 15' "$url"
