#!/usr/bin/env bash
# Load as production sends it (LoadBench): the all-in-one jar over HTTP, open loop, every production probe, a fresh
# 50-file candidate commit per request by default. Phases per jar: cold start, restart + the first minute after
# ready (5/s), fresh commits at each rate, a REPEATED commit (labelled: fully cached), 10 candidates in rotation at 20/s.
# Several jars run one after the other in one invocation (before/after in one session).
# Usage: bench/load.sh [seconds-per-rate=30] [rates=5,10,20] [rotation-seconds=120] [JAR:LABEL ...]
#   e.g. bench/load.sh 30 5,10,20 120 /tmp/load-before/tollgate.jar:before deploy/target/tollgate.jar:after
#   JAVA_OPTS=-Dbench.phases=fresh,rotation runs only those phases. Ports: 17930 (gate), 17940-17941 (broker).
# Needs the jar(s): mvn -B -q -pl deploy -am package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
echo "start: $(date -u +%FT%TZ), $(uptime)"
bench/run-java.sh dev.tollgate.deploy.bench.LoadBench "$@"
echo "end: $(date -u +%FT%TZ), $(uptime)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
