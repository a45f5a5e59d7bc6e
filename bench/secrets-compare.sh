#!/usr/bin/env bash
# The secrets scanner of this build against the scanner of another revision (default: main), side by side in one
# JVM: the other revision's secrets package and rule data are loaded by their own class loader, and ScanThroughput
# alternates one round of each on the labelled corpus of bench/secrets.sh, so both see the same load, heap and JIT.
# Prints MB/s per core inside each scanner (JVM start excluded), the rule count of each, and the median ratio of the
# pairs of rounds: the figure to quote on a shared machine, where separate runs spread more than the difference.
#
#   bench/secrets-compare.sh                 # main vs this build, seed 42, 15 pairs of rounds
#   REV=771e0f6 ROUNDS=25 bench/secrets-compare.sh   # the 262-rule scanner of issue #3
#
# Needs the corpus of bench/secrets.sh (run it once) and deploy/target/tollgate.jar.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/bench/out
JAR=$ROOT/deploy/target/tollgate.jar
REV=${REV:-main}
SEED=${SEED:-42}
ROUNDS=${ROUNDS:-15}
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
# CP=probe-workers/target/classes:deploy/target/tollgate.jar measures a compiled change without packaging the jar
java -cp "${CP:-$JAR}" dev.tollgate.probes.secrets.ScanThroughput "$CORPUS" "$ROUNDS" "$W/classes"
echo "== machine at the end: load average $(cut -d' ' -f1-3 /proc/loadavg)"
