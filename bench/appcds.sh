#!/usr/bin/env bash
# AppCDS (Java 17 dynamic class-data archive) for the all-in-one's start: cold start to ready (fresh data dir each run)
# without an archive and with one, alternating run by run in one invocation so both see the same machine.
# The archive is made once by a training start (-XX:ArchiveClassesAtExit: written when that JVM exits after ready).
# Usage: [JAR=deploy/target/tollgate.jar] [PORT=19070] bench/appcds.sh [runs=5]
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-deploy/target/tollgate.jar}
RUNS=${1:-5}
PORT=${PORT:-19070}
[ -f "$JAR" ] || { echo "build first: mvn -B -pl deploy -am package -DskipTests" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ARCHIVE=$tmp/tollgate.jsa

start_ready() { # $1 = data dir, then JVM options; prints ms to ready, stops the process (SIGTERM) and waits for it
  local dir=$1; shift
  local start end pid
  start=$(date +%s%N)
  java "$@" -jar "$JAR" serve --data-dir "$dir" --http-port "$PORT" >"$dir.log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; do
    kill -0 $pid 2>/dev/null || { echo "tollgate exited; see $dir.log" >&2; exit 1; }
    sleep 0.02
  done
  end=$(date +%s%N)
  kill -TERM $pid; wait $pid 2>/dev/null || true
  echo $(( (end - start) / 1000000 ))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

echo "start: $(date -u +%FT%TZ), $(uptime)"
t0=$(date +%s%N)
train=$(start_ready "$tmp/train" -XX:ArchiveClassesAtExit="$ARCHIVE")
echo "training start (archive written at exit): ready in $train ms, archive $(du -m "$ARCHIVE" | cut -f1) MiB," \
  "$(( ($(date +%s%N) - t0) / 1000000 )) ms in all"
plain=(); cds=()
for i in $(seq 1 "$RUNS"); do
  plain+=("$(start_ready "$tmp/plain$i")")
  cds+=("$(start_ready "$tmp/cds$i" -XX:SharedArchiveFile="$ARCHIVE")")
  echo "run $i: without $(echo "${plain[-1]}") ms, with archive ${cds[-1]} ms; $(uptime | sed 's/.*load average/load average/')"
done
pm=$(printf '%s\n' "${plain[@]}" | median); cm=$(printf '%s\n' "${cds[@]}" | median)
echo "end: $(date -u +%FT%TZ), $(uptime)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "cold start to ready (ms) without archive: ${plain[*]}  median $pm"
echo "cold start to ready (ms) with archive:    ${cds[*]}  median $cm"
awk -v a="$cm" -v b="$pm" 'BEGIN {printf "ratio with/without (medians): %.2f\n", a / b}'
