#!/usr/bin/env bash
# Whole-process time to inspect a file of 200 certificates (issue: under
# 50 ms), beside openssl parsing the same file, with hyperfine.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/chainscope" .
go run ./bench/gen200 -n 200 -o "$tmp/chain-200.pem"
hyperfine -N -i --warmup 5 --runs 50 --export-json "$tmp/file200.json" \
  -n "chainscope --json (200 certs)" "$tmp/chainscope --json --roots testdata/root.pem --at 2026-06-01 $tmp/chain-200.pem" \
  -n "chainscope --text (200 certs)" "$tmp/chainscope --text --roots testdata/root.pem --at 2026-06-01 $tmp/chain-200.pem" \
  -n "chainscope --json (mozilla store)" "$tmp/chainscope --json --at 2026-06-01 $tmp/chain-200.pem" \
  -n "openssl storeutl -certs (parse only)" "openssl storeutl -noout -certs $tmp/chain-200.pem" >/dev/null
python3 - "$tmp/file200.json" <<'PY'
import json, sys
print("| command | median wall (ms) | min (ms) | user+sys CPU (ms) |")
print("|---|---|---|---|")
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"| {r['command']} | {r['median']*1000:.1f} | {r['min']*1000:.1f} | {(r['user']+r['system'])*1000:.1f} |")
PY
/usr/bin/time -f "peak RSS %M KiB" "$tmp/chainscope" --json --at 2026-06-01 "$tmp/chain-200.pem" >/dev/null || true
