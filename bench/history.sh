#!/usr/bin/env bash
# A gate with a week of history (7,000 decided evaluations, their deploys and audit records) beside an empty gate,
# same jar, same run: start to ready, idle CPU, request -> verdict latency, API reads, memory (see HistoryBench).
# Usage: bench/history.sh [jar=deploy/target/tollgate.jar] [label=history] [evaluations=7000] [requests=200]
#   before/after: bench/history.sh /tmp/history-before/deploy/target/tollgate.jar before
#                 bench/history.sh deploy/target/tollgate.jar after
# Output: target/bench/<label>/history.txt. Ports 18300-18301 (gates), 18310-18311 (broker); another range with
# JAVA_OPTS=-Dbench.portBase=19600 (gates at base and base+1, broker at base+10 and base+11).
# -Dbench.idleSettleSeconds=120 waits that long after the warm-up before the idle minute (default 10): the JIT is
# still compiling the idle loops a minute after it, a cost that ends (the bench prints the compiler threads apart).
# JAVA_OPTS=-Dbench.jfr=week.jfr records the week gate with JFR into target/bench/<label>/ (the empty one into empty-week.jfr).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "start: $(date -u +%FT%TZ), $(uptime)"
bench/run-java.sh dev.tollgate.deploy.bench.HistoryBench "${1:-deploy/target/tollgate.jar}" "${2:-history}" "${3:-7000}" "${4:-200}"
echo "end: $(date -u +%FT%TZ), $(uptime)"
