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

. bench/start-ready.sh

echo "start: $(date -u +%FT%TZ), $(uptime)"
declare -A cold warm
for i in $(seq 1 "$RUNS"); do
  for spec in "$A" "$B"; do
    jar=${spec%:*}; label=${spec##*:}
    c=$(start_ready "$jar" "$tmp/$label$i" "$PORT"); w=$(start_ready "$jar" "$tmp/$label$i" "$PORT")
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
