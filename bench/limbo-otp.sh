#!/usr/bin/env bash
# Measures what an Erlang/OTP client configured as the sender makes of
# x509-limbo cases: by default every case of testdata/x509-limbo-divergences.txt,
# or the ids given as arguments. Each case's chain is served by a key-less
# TLS 1.2 server (bench/limbo-otp); the verdict is read from the client's
# alert: "accepts" (decrypt_error: the certificates passed and the
# ServerKeyExchange signature was checked next), "refuses: <alert>", or
# "no verdict" after 60 s. OTP reads the wall clock, so cases whose
# outcome depends on limbo's validation time are not measurable this way.
# An IP address is matched apart, on the server's certificate, with the
# same HTTPS match function (it cannot be sent as SNI).
#
#   bench/limbo-otp.sh                       # the listed divergences
#   bench/limbo-otp.sh webpki::ca-as-leaf    # one case
set -uo pipefail
cd "$(dirname "$0")/.."
suite=testdata/x509-limbo-server.json.gz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/limbo-otp" ./bench/limbo-otp || exit 1
if [ $# -eq 0 ]; then
  set -- $(grep -v '^#' testdata/x509-limbo-divergences.txt | cut -f1)
fi
for id in "$@"; do
  "$work/limbo-otp" "$suite" "$work" "$id" >"$work/port" &
  pid=$!
  for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
  read -r port name <"$work/port"
  timeout 60 escript bench/limbo-otp/client.escript "$port" "$name" "$work/roots.pem" "$work/peer.pem" >"$work/out" 2>/dev/null
  status=$?
  out=$(tr -d '\n' <"$work/out")
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  rm -f "$work/port"
  case "$out" in
    *"ip_match false"*) verdict="refuses: the IP address does not match" ;;
    *decrypt_error*) verdict="accepts" ;;
    *tls_alert*) verdict="refuses: $(sed -E 's/.*tls_alert,\{([a-z_]+),.*/\1/' <<<"$out")" ;;
    *) verdict="other: ${out:0:120}" ;;
  esac
  if [ "$status" = 124 ]; then verdict="no verdict within 60 s"; fi
  printf '%s\t%s\n' "$id" "$verdict"
done
