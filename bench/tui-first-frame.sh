#!/usr/bin/env bash
# Time from process start to the first full frame of the interface for a
# file target (issue: within 100 ms), measured in tmux by polling the pane
# every 2 ms; repeated N times, median printed. Polling adds up to ~2 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-20}
tmp=$(mktemp -d)
trap 'tmux -L csbench kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
go build -o "$tmp/chainscope" .
times=()
tmux -L csbench new-session -d -s keep "sleep 600"
for i in $(seq "$N"); do
  tmux -L csbench new-session -d -s "b$i" -x 120 -y 40 "sleep 0.2; touch $tmp/go; exec $tmp/chainscope --roots testdata/root.pem --at 2026-06-01 testdata/chain-ok.pem"
  while [ ! -e "$tmp/go" ]; do sleep 0.001; done
  start=$(date +%s%N)
  until tmux -L csbench capture-pane -p -t "b$i" | grep -q "cert.strength"; do sleep 0.002; done
  end=$(date +%s%N)
  rm -f "$tmp/go"
  tmux -L csbench kill-session -t "b$i"
  times+=($(( (end - start) / 1000 )))
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "first frame, %d runs: median %.1f ms, min %.1f ms, max %.1f ms\n", NR, a[int((NR+1)/2)]/1000, a[1]/1000, a[NR]/1000}'
