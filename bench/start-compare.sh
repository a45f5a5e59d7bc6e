#!/usr/bin/env bash
# Cold start (fresh data dir) and restart (same data dir) to /health/ready of two jars, alternating run by run in one
# invocation so both see the same machine: `java -jar JAR serve`, as users run it.
# Usage: [PORT=19072] bench/start-compare.sh JAR_A:LABEL JAR_B:LABEL [runs=3]
set -euo pipefail
cd "$(dirname "$0")/.."
A=${1:?JAR_A:LABEL}; B=${2:?JAR_B:LABEL}; RUNS=${3:-3}
PORT=${PORT:-19072}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

start_ready() { # $1 = jar, $2 = data dir; prints ms to ready, then stops it (SIGTERM) and waits
  local start end pid
  start=$(date +%s%N)
  java -jar "$1" serve --data-dir "$2" --http-port "$PORT" >>"$2.log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; do
    kill -0 $pid 2>/dev/null || { echo "tollgate exited; see $2.log" >&2; exit 1; }
    sleep 0.02
  done
  end=$(date +%s%N)
  kill -TERM $pid; wait $pid 2>/dev/null || true
  echo $(( (end - start) / 1000000 ))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

echo "start: $(date -u +%FT%TZ), $(uptime)"
declare -A cold warm
for i in $(seq 1 "$RUNS"); do
  for spec in "$A" "$B"; do
    jar=${spec%:*}; label=${spec##*:}
    c=$(start_ready "$jar" "$tmp/$label$i"); w=$(start_ready "$jar" "$tmp/$label$i")
    cold[$label]+="$c "; warm[$label]+="$w "
    echo "run $i $label: cold start $c ms, restart $w ms; $(uptime | sed 's/.*load average/load average/')"
  done
done
echo "end: $(date -u +%FT%TZ), $(uptime)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
for spec in "$A" "$B"; do
  label=${spec##*:}
  echo "$label: cold start ${cold[$label]}median $(tr ' ' '\n' <<<"${cold[$label]}" | grep . | median) ms;" \
    "restart ${warm[$label]}median $(tr ' ' '\n' <<<"${warm[$label]}" | grep . | median) ms"
done
