#!/usr/bin/env bash
# Peak memory of one inspection of a file holding 5,000 copies of one
# certificate (issue 9: under 64 MiB), JSON and text, beside openssl
# parsing the same file; /usr/bin/time's maximum resident set size.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/chainscope" .
for _ in $(seq 5000); do cat testdata/intermediate.pem; done >"$tmp/copies-5000.pem"
printf 'file: %s bytes, %s certificates\n' "$(wc -c <"$tmp/copies-5000.pem")" "$(grep -c BEGIN "$tmp/copies-5000.pem")"
echo "| command | peak RSS (MiB) | exit |"
echo "|---|---|---|"
measure() {
  local name=$1; shift
  local code=0
  /usr/bin/time -f "%M" -o "$tmp/rss" "$@" >/dev/null 2>&1 || code=$?
  printf '| %s | %.1f | %s |\n' "$name" "$(tail -1 "$tmp/rss" | awk '{print $1/1024}')" "$code"
}
measure "chainscope --json" "$tmp/chainscope" --json --roots testdata/root.pem --at 2026-06-01 "$tmp/copies-5000.pem"
measure "chainscope --text" "$tmp/chainscope" --text --roots testdata/root.pem --at 2026-06-01 "$tmp/copies-5000.pem"
measure "chainscope --json (mozilla store)" "$tmp/chainscope" --json --at 2026-06-01 "$tmp/copies-5000.pem"
measure "openssl storeutl -certs (parse only)" openssl storeutl -noout -certs "$tmp/copies-5000.pem"
