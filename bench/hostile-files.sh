#!/usr/bin/env bash
# Whole-process wall time and peak RSS of chainscope on each hostile file
# (bench/hostile-files); fails when any run reaches 64 MiB, or when a raw
# ESC or BEL byte from a certificate reaches stdout of the text report.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/chainscope" .
mkdir "$tmp/files"
go run ./bench/hostile-files -dir "$tmp/files"
fail=0
echo "| file | exit | wall (s) | peak RSS (MiB) | raw ESC/BEL on stdout | first line of stderr |"
echo "|---|---|---|---|---|---|"
for f in "$tmp"/files/*; do
  set +e
  /usr/bin/time -f "%e %M" -o "$tmp/time" "$tmp/chainscope" --text --at 2026-06-01 "$f" >"$tmp/out" 2>"$tmp/err"
  code=$?
  set -e
  read -r wall rss < <(tail -1 "$tmp/time")
  raw=no
  if LC_ALL=C grep -q $'[\x1b\x07]' "$tmp/out"; then raw=YES; fail=1; fi
  mib=$(awk -v k="$rss" 'BEGIN {printf "%.1f", k/1024}')
  if [ "$rss" -ge $((64 * 1024)) ]; then fail=1; fi
  err=$(head -c 90 "$tmp/err" | head -1 | sed "s|$tmp/files/||")
  echo "| $(basename "$f") | $code | $wall | $mib | $raw | ${err:-} |"
done
exit $fail
