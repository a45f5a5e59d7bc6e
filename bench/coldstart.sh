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

. bench/start-ready.sh

tmp=$(mktemp -d)
cold=(); warm=()
for i in $(seq 1 "$RUNS"); do
  cold+=("$(start_ready "$JAR" "$tmp/cold$i" "$PORT")")
  warm+=("$(start_ready "$JAR" "$tmp/cold$i" "$PORT")")
done
echo "load after: $(uptime | sed 's/.*load average/load average/')"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "cold start to ready (ms): ${cold[*]}  median $(printf '%s\n' "${cold[@]}" | median)"
echo "warm restart to ready (ms): ${warm[*]}  median $(printf '%s\n' "${warm[@]}" | median)"
rm -rf "$tmp"
