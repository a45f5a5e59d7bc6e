#!/usr/bin/env bash
# Delivery metrics over 10,000 deploys in 90 days: API server time per request; see DeliveryBench's Javadoc.
# Builds through the reactor (no `mvn install`: the local repository is shared) and runs the bench's main.
# Usage: bench/delivery.sh [deploys]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
mvn -B -q -pl deploy -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
CP="deploy/target/test-classes:deploy/target/classes:$(cat deploy/target/bench.classpath)"
echo "load before: $(uptime)"
java -Xmx2g -cp "$CP" dev.tollgate.deploy.bench.DeliveryBench "$N" 2>&1 | grep -vE '^\S+ (INFO|WARN|DEBUG) '
echo "load after: $(uptime)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1), $(date -u +%Y-%m-%d)"
