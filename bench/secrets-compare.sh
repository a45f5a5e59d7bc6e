#!/usr/bin/env bash
# The secrets scanner of this build against the scanner of another revision (default: main), side by side in one run,
# alternating rounds, on the labelled corpus of bench/secrets.sh: MB/s per core inside the scanner (JVM start
# excluded) and the rule count of each. Issue #18 used it to show that 353 rules scan as fast as 262 did.
#
#   bench/secrets-compare.sh                 # main vs this build, seed 42, 3 alternating rounds
#   REV=abc123 ROUNDS=5 bench/secrets-compare.sh
#
# The other revision's secrets package and rule data are compiled against this build's jar and put first on its class
# path, so only the scanner differs. Needs the corpus of bench/secrets.sh (run it once) and deploy/target/tollgate.jar.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/bench/out
JAR=$ROOT/deploy/target/tollgate.jar
REV=${REV:-main}
SEED=${SEED:-42}
ROUNDS=${ROUNDS:-3}
CORPUS=$OUT/corpus-$SEED
[[ -f "$JAR" ]] || { echo "build $JAR first: mvn -q -o package -DskipTests" >&2; exit 2; }
[[ -d "$CORPUS" ]] || { echo "no corpus $CORPUS: run SEEDS=$SEED bench/secrets.sh first" >&2; exit 2; }

W=$OUT/compare-$(git -C "$ROOT" rev-parse --short "$REV")
if [[ ! -d "$W/classes" ]]; then
  rm -rf "$W" && mkdir -p "$W/src" "$W/classes"
  git -C "$ROOT" archive "$REV" probe-workers/src/main/java/dev/tollgate/probes/secrets \
    probe-workers/src/main/resources/secrets | tar -x -C "$W/src"
  javac -nowarn -encoding UTF-8 -d "$W/classes" -cp "$JAR" $(find "$W/src" -name '*.java') 2> "$W/javac.log"
  cp -r "$W/src/probe-workers/src/main/resources/secrets" "$W/classes/"
fi
THIS_RULES=$(grep -cE '^\s*-?\s*id: secrets/' "$ROOT/probe-workers/src/main/resources/secrets/rules.yaml")
REV_RULES=$(grep -cE '^\s*-?\s*id: secrets/' "$W/classes/secrets/rules.yaml")

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
echo "== $REV: $REV_RULES data rules; this build: $THIS_RULES data rules; corpus seed $SEED"
for i in $(seq 1 "$ROUNDS"); do
  printf '%-12s round %d: ' "$REV" "$i"
  java -cp "$W/classes:$JAR" dev.tollgate.probes.secrets.ScanThroughput "$CORPUS" 5
  printf '%-12s round %d: ' "this build" "$i"
  java -cp "$JAR" dev.tollgate.probes.secrets.ScanThroughput "$CORPUS" 5
done
echo "== machine at the end: load average $(cut -d' ' -f1-3 /proc/loadavg)"
