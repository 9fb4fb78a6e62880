#!/usr/bin/env bash
# chainscope serve beside Debian's prometheus-blackbox-exporter (a tcp
# module with tls: one handshake per probe, the chain verified against the
# same root), both probing the same loopback nginx (bench/lib.sh), both
# driven by ab against /probe at concurrency 1 and 8, runs interleaved
# (blackbox_exporter's run, then chainscope's, RUNS times). Prints
# probes/s per run, medians, the ratio of each run pair and their median
# (pairs in time cancel most of a shared machine's drifting load), CPU
# per probe (the prober's and nginx's, from /proc) and TCP connections per
# probe (nginx's accepts counter), then chainscope's RSS after its first
# probe and after 10,000.
#
#   bench/serve.sh               # 2000 probes per ab run, 5 runs each
#   N=500 RUNS=1 bench/serve.sh  # quicker
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-2000}
RUNS=${RUNS:-5}
TOTAL=${TOTAL:-10000}
. bench/lib.sh
for tool in prometheus-blackbox-exporter ab curl; do
  command -v "$tool" >/dev/null || { echo "bench/serve.sh needs $tool" >&2; exit 1; }
done
bench_setup
start_nginx 1
port=${ports[0]}

cat > "$tmp/blackbox.yml" <<CONF
modules:
  tls:
    prober: tcp
    timeout: 10s
    tcp:
      tls: true
      tls_config:
        ca_file: $tmp/root.pem
        server_name: bench.test
CONF
bport=$(free_port)
cport=$(free_port)
prometheus-blackbox-exporter --config.file="$tmp/blackbox.yml" --web.listen-address="127.0.0.1:$bport" \
  >"$tmp/blackbox.log" 2>&1 &
bpid=$!
"$tmp/chainscope" serve --listen "127.0.0.1:$cport" --roots "$tmp/root.pem" >"$tmp/chainscope.log" 2>&1 &
cpid=$!
trap 'kill $bpid $cpid 2>/dev/null; bench_cleanup' EXIT
for p in $bport $cport; do
  for _ in $(seq 100); do curl -sf "127.0.0.1:$p/metrics" >/dev/null && break; sleep 0.1; done
done

burl="http://127.0.0.1:$bport/probe?target=127.0.0.1:$port&module=tls"
curl_="http://127.0.0.1:$cport/probe?target=127.0.0.1:$port&servername=bench.test"
workers=$(pgrep -P "$(cat "$tmp/nginx.pid")" | tr '\n' ' ')
rss() { awk '/^VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
# cpu PID...: user+system CPU of the processes, in clock ticks.
cpu() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo "$t"; }
hz=$(getconf CLK_TCK)

# One probe each: both must succeed, or the comparison means nothing.
conns() { local a b; a=$(accepts); curl -s "$1" >"$tmp/probe.out"; b=$(accepts); echo $((b - a - 1)); }
cconns=$(conns "$curl_")
rss_first=$(rss $cpid)
grep -q '^chainscope_probe_success 1' "$tmp/probe.out" || { echo "chainscope's probe failed:"; cat "$tmp/probe.out"; exit 1; }
bconns=$(conns "$burl")
grep -q '^probe_success 1' "$tmp/probe.out" || { echo "blackbox_exporter's probe failed:"; cat "$tmp/probe.out"; exit 1; }

# ab_run URL N C: one ab run; fails on any failed or non-2xx probe (-l: a
# probe's length varies with its duration).
ab_run() {
  ab -q -l -n "$2" -c "$3" "$1" >"$tmp/ab.out" 2>&1 || { cat "$tmp/ab.out" >&2; exit 1; }
  if grep -q '^Non-2xx' "$tmp/ab.out" || ! grep -q '^Failed requests: *0' "$tmp/ab.out"; then
    cat "$tmp/ab.out" >&2; exit 1
  fi
}

# chainscope's RSS after its first probe and after TOTAL probes in all.
ab_run "$curl_" $((TOTAL - 1)) 8
rss_total=$(rss $cpid)

median() { printf "%s\n" "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
declare -A rate cpums
for c in 1 8; do
  for _ in $(seq "$RUNS"); do
    for tool in blackbox chainscope; do
      if [ $tool = blackbox ]; then url=$burl; pid=$bpid; else url=$curl_; pid=$cpid; fi
      p0=$(cpu $pid); n0=$(cpu $workers)
      ab_run "$url" "$N" "$c"
      p1=$(cpu $pid); n1=$(cpu $workers)
      rate[$tool$c]+="$(awk '/^Requests per second/ {print $4}' "$tmp/ab.out") "
      cpums[$tool$c]+="$(awk -v p=$((p1 - p0)) -v n=$((n1 - n0)) -v hz="$hz" -v N="$N" 'BEGIN {printf "%.2f/%.2f", p*1000/hz/N, n*1000/hz/N}') "
    done
  done
done

echo "| tool | concurrency | probes/s per run (ab -n $N) | median | ratio of medians | ratio per run pair | median pair ratio | CPU ms per probe, prober/nginx, per run |"
echo "|---|---|---|---|---|---|---|---|"
for c in 1 8; do
  # shellcheck disable=SC2086
  bm=$(median ${rate[blackbox$c]}); sm=$(median ${rate[chainscope$c]})
  read -ra b <<<"${rate[blackbox$c]}"; read -ra s <<<"${rate[chainscope$c]}"
  pairs=""
  for i in "${!b[@]}"; do pairs+="$(awk -v s="${s[$i]}" -v b="${b[$i]}" 'BEGIN {printf "%.2f", s/b}') "; done
  # shellcheck disable=SC2086
  echo "| blackbox_exporter (tcp+tls) | $c | ${rate[blackbox$c]}| $bm | | | | ${cpums[blackbox$c]}|"
  # shellcheck disable=SC2086
  echo "| chainscope serve | $c | ${rate[chainscope$c]}| $sm | $(awk -v s="$sm" -v b="$bm" 'BEGIN {printf "%.2f", s/b}') | $pairs| $(median $pairs) | ${cpums[chainscope$c]}|"
done
echo
echo "| | chainscope serve | blackbox_exporter |"
echo "|---|---|---|"
echo "| TCP connections per probe | $cconns | $bconns |"
echo "| RSS after the first probe (MiB) | $rss_first | |"
echo "| RSS after $TOTAL probes (MiB) | $rss_total | |"
echo "| ratio | $(awk -v a="$rss_total" -v b="$rss_first" 'BEGIN {printf "%.2f", a/b}') | |"
echo "| RSS at the end (MiB) | $(rss $cpid) | $(rss $bpid) |"
curl -s "127.0.0.1:$cport/metrics" | grep -E '^chainscope_serve_probes_total|^go_goroutines'
