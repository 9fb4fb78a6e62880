# Shared by the bench scripts: a broad nginx on 127.0.0.1, stopped on exit.
# After start_nginx: $tmp holds the build and the PKI, $ports the TLS ports
# (one per server block), $sport the stub_status port.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

bench_setup() {
  tmp=$(mktemp -d)
  trap 'bench_cleanup' EXIT
  go build -o "$tmp/chainscope" .
}

bench_cleanup() {
  [ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null
  rm -rf "$tmp"
}

# start_nginx N: N TLS server blocks with an RSA certificate for bench.test,
# TLS 1.2 and 1.3, every OpenSSL suite (ALL:COMPLEMENTOFALL at security
# level 0, the five TLS 1.3 suites), DH parameters, server preference on.
start_nginx() {
  local n=${1:-1} servers="" i p
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/root.key" -out "$tmp/root.pem" -subj "/CN=bench root" -days 30 \
    -addext basicConstraints=critical,CA:true 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout "$tmp/leaf.key" -out "$tmp/leaf.csr" -subj "/CN=bench.test" 2>/dev/null
  openssl x509 -req -in "$tmp/leaf.csr" -CA "$tmp/root.pem" -CAkey "$tmp/root.key" -CAcreateserial -days 30 \
    -extfile <(printf "subjectAltName=DNS:bench.test\nbasicConstraints=CA:false\n") -out "$tmp/leaf.pem" 2>/dev/null
  openssl dhparam -dsaparam -out "$tmp/dh.pem" 2048 2>/dev/null
  ports=()
  for i in $(seq "$n"); do
    p=$(free_port); ports+=("$p")
    servers+="
  server {
    listen 127.0.0.1:$p ssl;
    ssl_certificate $tmp/leaf.pem;
    ssl_certificate_key $tmp/leaf.key;
    ssl_dhparam $tmp/dh.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ALL:COMPLEMENTOFALL:@SECLEVEL=0;
    ssl_conf_command Ciphersuites TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256;
    ssl_prefer_server_ciphers on;
    location / { return 204; }
  }"
  done
  sport=$(free_port)
  cat > "$tmp/nginx.conf" <<CONF
pid $tmp/nginx.pid;
error_log $tmp/error.log;
worker_processes 2;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $tmp; proxy_temp_path $tmp; fastcgi_temp_path $tmp; uwsgi_temp_path $tmp; scgi_temp_path $tmp;
$servers
  server {
    listen 127.0.0.1:$sport;
    location / { stub_status; }
  }
}
CONF
  nginx -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/error.log"
  sleep 0.3
}

# accepts prints nginx's count of accepted connections so far.
accepts() { curl -s "http://127.0.0.1:$sport/" | awk 'NR==3 {print $1}'; }
