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

. bench/start-ready.sh

echo "start: $(date -u +%FT%TZ), $(uptime)"
t0=$(date +%s%N)
train=$(start_ready "$JAR" "$tmp/train" "$PORT" -XX:ArchiveClassesAtExit="$ARCHIVE")
echo "training start (archive written at exit): ready in $train ms, archive $(du -m "$ARCHIVE" | cut -f1) MiB," \
  "$(( ($(date +%s%N) - t0) / 1000000 )) ms in all"
plain=(); cds=()
for i in $(seq 1 "$RUNS"); do
  plain+=("$(start_ready "$JAR" "$tmp/plain$i" "$PORT")")
  cds+=("$(start_ready "$JAR" "$tmp/cds$i" "$PORT" -XX:SharedArchiveFile="$ARCHIVE")")
  echo "run $i: without $(echo "${plain[-1]}") ms, with archive ${cds[-1]} ms; $(uptime | sed 's/.*load average/load average/')"
done
pm=$(printf '%s\n' "${plain[@]}" | median); cm=$(printf '%s\n' "${cds[@]}" | median)
echo "end: $(date -u +%FT%TZ), $(uptime)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "cold start to ready (ms) without archive: ${plain[*]}  median $pm"
echo "cold start to ready (ms) with archive:    ${cds[*]}  median $cm"
awk -v a="$cm" -v b="$pm" 'BEGIN {printf "ratio with/without (medians): %.2f\n", a / b}'
