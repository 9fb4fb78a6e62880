#!/usr/bin/env bash
# Runs every fuzz target of the repository for FUZZTIME each (default 10m),
# JOBS at a time (default 2, one worker each), and prints a table of
# executions and findings. New inputs are minimized for at most 200
# executions: minimizing a multi-kilobyte input for the default minute
# stalls a short run. Go's fuzzer may end a run at -fuzztime with "context
# deadline exceeded" and no failing input; that is no finding. A finding leaves its input under the package's
# testdata/fuzz/<target>/ for `go test` to replay.
#
#   FUZZTIME=30s bench/fuzz.sh          # a quick pass
#   FUZZTIME=10m JOBS=2 bench/fuzz.sh   # the issue's bar
set -uo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-10m}
JOBS=${JOBS:-2}
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
targets=()
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for f in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //'); do
    targets+=("$pkg $f")
  done
done
run_one() {
  local pkg=$1 fn=$2 log="$out/$(basename "$1")-$2.log"
  go test -run '^$' -fuzz "^$fn\$" -fuzztime "$FUZZTIME" -fuzzminimizetime 200x -parallel 1 "$pkg" >"$log" 2>&1
  echo $? >"$log.rc"
}
running=0
for t in "${targets[@]}"; do
  run_one $t &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
done
wait
echo "| target | fuzz time | executions | new interesting | result |"
echo "|---|---|---|---|---|"
for t in "${targets[@]}"; do
  set -- $t
  log="$out/$(basename "$1")-$2.log"
  last=$(grep -o 'elapsed: [^,]*, execs: [0-9]*[^,]*, new interesting: [0-9]*' "$log" | tail -1)
  execs=$(echo "$last" | sed -n 's/.*execs: \([0-9]*\).*/\1/p')
  newi=$(echo "$last" | sed -n 's/.*new interesting: \([0-9]*\).*/\1/p')
  rc=$(cat "$log.rc")
  result="no crash"
  if grep -q "Failing input written\|^panic:\|fuzz: minimizing" "$log"; then
    result="FAILED (see $log)"
  elif [ "$rc" != 0 ] && ! grep -q "context deadline exceeded" "$log"; then
    result="FAILED (see $log)"
  fi
  echo "| $(basename "$1").$2 | $FUZZTIME | ${execs:-?} | ${newi:-?} | $result |"
done
