#!/usr/bin/env bash
# Cold start of the all-in-one: process start -> /health/ready answers 200 (embedded broker formatted, topics
# created, aggregator running, views caught up, workers assigned). Also a warm restart on the same data dir.
# Usage: [PORT=N] bench/coldstart.sh [runs]   (needs deploy/target/tollgate.jar: mvn -B package -DskipTests)
# Prints the load average before and after: cold start depends on the CPU the machine can give (docs/operations.md).
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=deploy/target/tollgate.jar
RUNS=${1:-5}
[ -f "$JAR" ] || { echo "build first: mvn -B package -DskipTests" >&2; exit 2; }
PORT=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
echo "load before: $(uptime | sed 's/.*load average/load average/')"

measure() { # $1 = data dir; prints ms to ready
  local start end pid
  start=$(date +%s%N)
  java -jar "$JAR" serve --data-dir "$1" --http-port "$PORT" >"$1.log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; do
    kill -0 $pid 2>/dev/null || { echo "tollgate exited; see $1.log" >&2; exit 1; }
    sleep 0.02
  done
  end=$(date +%s%N)
  kill -TERM $pid; wait $pid 2>/dev/null || true
  echo $(( (end - start) / 1000000 ))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

tmp=$(mktemp -d)
cold=(); warm=()
for i in $(seq 1 "$RUNS"); do
  cold+=("$(measure "$tmp/cold$i")")
  warm+=("$(measure "$tmp/cold$i")")
done
echo "load after: $(uptime | sed 's/.*load average/load average/')"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "cold start to ready (ms): ${cold[*]}  median $(printf '%s\n' "${cold[@]}" | median)"
echo "warm restart to ready (ms): ${warm[*]}  median $(printf '%s\n' "${warm[@]}" | median)"
rm -rf "$tmp"
