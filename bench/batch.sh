#!/usr/bin/env bash
# 1,000 targets (three local nginx server blocks, repeated) inspected with
# --json --concurrency 32: wall time, targets per second, peak RSS, and a
# check that every report arrived, in the order given.
#
#   N=1000 CONCURRENCY=32 bench/batch.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000}
CONCURRENCY=${CONCURRENCY:-32}
. bench/lib.sh
bench_setup
start_nginx 3
for i in $(seq 0 $((N - 1))); do
  echo "127.0.0.1:${ports[$((i % 3))]}"
done > "$tmp/targets.txt"
before=$(accepts)
/usr/bin/time -f "%e %M" -o "$tmp/time" "$tmp/chainscope" --json --concurrency "$CONCURRENCY" \
  --roots "$tmp/root.pem" --servername bench.test --input "$tmp/targets.txt" > "$tmp/out.jsonl" || true
after=$(accepts)
read -r wall rss < "$tmp/time"
python3 - "$tmp/targets.txt" "$tmp/out.jsonl" "$wall" "$rss" "$((after - before - 1))" "$CONCURRENCY" <<'PY'
import json, sys
targets = open(sys.argv[1]).read().split()
reports = [json.loads(l) for l in open(sys.argv[2])]
in_order = [r["target"] for r in reports] == targets
verdicts = {}
for r in reports:
    verdicts[r["verdict"]] = verdicts.get(r["verdict"], 0) + 1
wall, rss, conns = float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print("| targets | concurrency | reports | in order | verdicts | wall (s) | targets/s | peak RSS (MiB) | connections |")
print("|---|---|---|---|---|---|---|---|---|")
print(f"| {len(targets)} | {sys.argv[6]} | {len(reports)} | {'yes' if in_order else 'NO'} | {verdicts} | {wall:.2f} | {len(targets)/wall:.0f} | {rss/1024:.1f} | {conns} |")
sys.exit(0 if in_order and len(reports) == len(targets) else 1)
PY
