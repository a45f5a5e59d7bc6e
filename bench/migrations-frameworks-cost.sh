#!/usr/bin/env bash
# Side by side, in one run: CPU of the migrations probe per check (warm, thread CPU, median of 5 runs) with this
# checkout's classes and with a base revision's (default 8608aa4, the plug point before any framework reader), on real
# deploys ("git-dir commit parent" lines). Without CHECKS it measures two sets built from the repositories that
# bench/migrations-frameworks.sh cloned and checked (run that first):
#   sql        DSpace commits that add a Flyway SQL migration: what the framework readers cost the SQL tools' users;
#   frameworks the first PER_APP framework commits of each application: what reading those migrations costs (the base
#              does not read them, so its figure is the probe finding nothing).
#
#   bench/migrations-frameworks-cost.sh
#   BASE=<rev> ROUNDS=5 CHECKS=my-checks.txt bench/migrations-frameworks-cost.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BASE="${BASE:-8608aa4}"
ROUNDS="${ROUNDS:-3}"
PER_APP="${PER_APP:-5}"
OUT=bench/out/cost
mkdir -p "$OUT"
if [ -z "${CHECKS:-}" ]; then
  R=bench/out/repos
  git --git-dir "$R/DSpace.git" log --format='%H %P' --no-merges --diff-filter=A -n 20 \
    -- '*/sqlmigration/postgres/V*.sql' | awk -v g="$R/DSpace.git" 'NF == 2 {print g, $1, $2}' > "$OUT/checks-sql.txt"
  : > "$OUT/checks-frameworks.txt"
  for f in bench/out/frameworks/*.jsonl; do
    name=$(basename "$f" .jsonl)
    grep -v '"error"' "$f" | head -n "$PER_APP" | sed -E 's/^\{"commit":"([0-9a-f]+)".*/\1/' | while read -r c; do
      echo "$R/$name.git $c $(git --git-dir "$R/$name.git" rev-parse "$c^")"
    done >> "$OUT/checks-frameworks.txt"
  done
  CHECKS="$OUT/checks-sql.txt $OUT/checks-frameworks.txt"
fi
CP_FILE=$(mktemp)
mvn -B -q -pl probe-workers -am compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null
DEPS=$(cat "$CP_FILE"); rm -f "$CP_FILE"
if [ ! -d "$OUT/base-$BASE/classes" ]; then
  rm -rf "$OUT/base-$BASE" && mkdir -p "$OUT/base-$BASE/src" "$OUT/base-$BASE/classes"
  git archive "$BASE" contracts/src/main probe-workers/src/main | tar -x -C "$OUT/base-$BASE/src"
  find "$OUT/base-$BASE/src" -name '*.java' > "$OUT/base-$BASE/files.lst"
  javac -nowarn -d "$OUT/base-$BASE/classes" -cp "$DEPS" @"$OUT/base-$BASE/files.lst"
  cp -r "$OUT/base-$BASE/src/probe-workers/src/main/resources/." "$OUT/base-$BASE/src/contracts/src/main/resources/." \
    "$OUT/base-$BASE/classes/"
fi
mkdir -p "$OUT/classes"
javac -cp "probe-workers/target/classes:contracts/target/classes:$DEPS" -d "$OUT/classes" bench/MigrationsProbeCost.java
HEAD_CP="probe-workers/target/classes:contracts/target/classes:$DEPS:$OUT/classes"
BASE_CP="$OUT/base-$BASE/classes:$DEPS:$OUT/classes"
echo "machine: $(nproc) cores; $(uptime)"
for checks in $CHECKS; do
  echo "$(wc -l < "$checks") checks from $checks"
  for i in $(seq 1 "$ROUNDS"); do
    b=$(java -Dlogback.configurationFile=probe-workers/src/test/resources/logback-test.xml -cp "$BASE_CP" MigrationsProbeCost "$checks" 5 2>/dev/null | tail -1)
    h=$(java -Dlogback.configurationFile=probe-workers/src/test/resources/logback-test.xml -cp "$HEAD_CP" MigrationsProbeCost "$checks" 5 2>/dev/null | tail -1)
    echo "  round $i: base $BASE ${b} ms, this checkout ${h} ms per check (CPU), ratio $(python3 -c "print(f'{$h/$b:.2f}')")"
  done
done
