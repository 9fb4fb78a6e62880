#!/usr/bin/env bash
# Hostile servers against the built chainscope: for each scenario of
# bench/hostile-server (chainscope/internal/hostile), start the server, run
# `chainscope --json --timeout $TIMEOUT ADDR` under /usr/bin/time, and print
# a markdown table: exit status, wall seconds, peak RSS, and the first 80
# characters of the error (the address replaced by ADDR) or the verdict.
# Then the hostile files, when bench/hostile-files.sh exists.
#
# Exits non-zero when a case's peak RSS reaches 64 MiB, its wall time
# exceeds 4 × TIMEOUT + 2 s (every connection bounded by the timeout, one
# batch of five through four slots, one more probe, then slack), it ends in
# a status the headless contract does not have (a panic exits 2 too, but
# the arguments here are never bad usage), or it writes anything but
# `chainscope: …` lines on stderr (a multi-line error would).
#
#   bench/hostile.sh
#   TIMEOUT=5s bench/hostile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
TIMEOUT=${TIMEOUT:-2s}
RSS_LIMIT_MIB=64
wall_limit=$(python3 -c 'import sys; t=sys.argv[1]; print(4*float(t.rstrip("s"))+2)' "$TIMEOUT")

tmp=$(mktemp -d)
srv_pid=""
cleanup() {
  if [ -n "$srv_pid" ]; then kill "$srv_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
go build -o "$tmp/chainscope" .
go build -o "$tmp/hostile-server" ./bench/hostile-server

# start_server NAME: starts the scenario, sets srv_pid and addr.
start_server() {
  : >"$tmp/addr"
  "$tmp/hostile-server" -scenario "$1" >"$tmp/addr" 2>"$tmp/server.err" &
  srv_pid=$!
  addr=""
  for _ in $(seq 100); do
    addr=$(head -n 1 "$tmp/addr")
    [ -n "$addr" ] && return 0
    kill -0 "$srv_pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "hostile.sh: server for $1 did not start: $(cat "$tmp/server.err")" >&2
  return 1
}

stop_server() {
  kill "$srv_pid" 2>/dev/null || true
  wait "$srv_pid" 2>/dev/null || true
  srv_pid=""
}

failed=0
printf "| scenario | exit | wall (s) | peak RSS (MiB) | error or verdict |\n|---|---|---|---|---|\n"
for name in $("$tmp/hostile-server" -list); do
  start_server "$name"
  status=0
  /usr/bin/time -f '%e %M' -o "$tmp/time" \
    "$tmp/chainscope" --json --timeout "$TIMEOUT" "$addr" >"$tmp/out.json" 2>"$tmp/err" </dev/null || status=$?
  stop_server
  read -r wall rss_kib < <(tail -n 1 "$tmp/time")
  row=$(python3 - "$name" "$tmp/out.json" "$addr" "$status" "$wall" "$rss_kib" "$RSS_LIMIT_MIB" "$wall_limit" "$tmp/err" <<'PY'
import json, sys
name, out, addr, status, wall, rss_kib, rss_limit, wall_limit, err = sys.argv[1:]
problems = []
lines = open(out).read().splitlines()
what = ""
if len(lines) == 1:
    r = json.loads(lines[0])
    what = r.get("error") or r.get("verdict", "")
else:
    problems.append(f"{len(lines)} lines on stdout")
what = what.replace(addr, "ADDR")[:80].replace("|", "\\|")
rss = int(rss_kib) / 1024
if rss >= float(rss_limit):
    problems.append(f"peak RSS {rss:.1f} MiB >= {rss_limit}")
if float(wall) > float(wall_limit):
    problems.append(f"wall {wall} s > {wall_limit}")
if status not in ("0", "1", "3"):
    problems.append(f"exit status {status}")
for line in open(err, errors="replace").read().splitlines():
    if not line.startswith("chainscope: "):
        problems.append("stderr line not from chainscope: " + line[:60])
        break
mark = " **FAIL: " + "; ".join(problems) + "**" if problems else ""
print(f"| {name} | {status} | {wall} | {rss:.1f} | {what}{mark} |")
print(1 if problems else 0)
PY
  )
  head -n 1 <<<"$row"
  [ "$(tail -n 1 <<<"$row")" = 0 ] || failed=1
done

if [ -f bench/hostile-files.sh ]; then
  echo
  bash bench/hostile-files.sh || failed=1
fi
exit "$failed"
