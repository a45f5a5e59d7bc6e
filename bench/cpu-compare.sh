#!/usr/bin/env bash
# Per-check CPU of every production probe (ProbeCpu), this checkout against another built checkout (e.g. main),
# alternating runs so both see the same machine. Both checkouts must be built through the reactor with test classes
# (mvn -B -q -pl deploy -am test-compile). Usage: bench/cpu-compare.sh OTHER_CHECKOUT [rounds] [runs] [args...]
# CLASS=FreshProbeCpu runs a whole fresh evaluation instead (all probes on a never-seen candidate; #24), its args
# [warmup]: CLASS=FreshProbeCpu bench/cpu-compare.sh OTHER_CHECKOUT 3 300 300
set -euo pipefail
cd "$(dirname "$0")/.."
OTHER=$(cd "$1" && pwd); ROUNDS=${2:-3}; RUNS=${3:-150}; CLASS=${CLASS:-ProbeCpu}; EXTRA=("${@:4}")
CP_FILE=$(mktemp)
mvn -B -q -pl deploy dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null
OUT=$(mktemp -d)
javac -d "$OUT" -cp "deploy/target/test-classes:deploy/target/classes:probe-workers/target/test-classes:probe-workers/target/classes:contracts/target/classes:$(cat "$CP_FILE")" \
  "deploy/src/test/java/dev/tollgate/deploy/bench/$CLASS.java"
for round in $(seq 1 "$ROUNDS"); do
  for tree in "$OTHER" "$PWD"; do
    CP="$OUT:$tree/deploy/target/test-classes:$tree/deploy/target/classes:$tree/probe-workers/target/test-classes:$tree/probe-workers/target/classes:$tree/gate-service/target/classes:$tree/contracts/target/classes:$(cat "$CP_FILE")"
    echo "round $round $tree (load $(uptime | sed 's/.*load average: //')): $(java -cp "$CP" "dev.tollgate.deploy.bench.$CLASS" "$RUNS" "${EXTRA[@]}" 2>/dev/null | grep -E "total|fresh evaluation")"
  done
done
rm -rf "$OUT" "$CP_FILE"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(date -u +%Y-%m-%d)"
