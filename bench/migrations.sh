#!/usr/bin/env bash
# Benchmark: `tollgate lint-migrations` against squawk 2.66 on one 50,000-statement PostgreSQL file, timed in the
# same run (alternating, RUNS times each; medians reported), JVM start included. Also prints the single-run rate
# (--stats), the warm in-process rate (bench/LintThroughput.java) and the comparison corpus score
# (bench/compare_migrations.py).
#
#   bench/migrations.sh            # from the repository root (builds the jar if missing)
#   RUNS=7 STATEMENTS=50000 bench/migrations.sh
#
# Everything generated goes to bench/out/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-5}"
STATEMENTS="${STATEMENTS:-50000}"
OUT=bench/out
FILE="$OUT/bench_${STATEMENTS}.sql"
JAR=deploy/target/tollgate.jar
mkdir -p "$OUT"

if [ ! -f "$JAR" ]; then
  echo "building $JAR (mvn -q -o package -DskipTests)"
  mvn -q -o package -DskipTests
fi
if [ ! -x "$OUT/node_modules/.bin/squawk" ]; then
  echo "installing squawk-cli@2.66.0 into $OUT"
  npm install --silent --no-audit --no-fund --prefix "$OUT" squawk-cli@2.66.0 >/dev/null
fi
SQUAWK="$OUT/node_modules/.bin/squawk"

python3 bench/gen_migrations.py "$FILE" "$STATEMENTS"
echo "file: $FILE ($(wc -c < "$FILE") bytes, $STATEMENTS statements); machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "squawk: $("$SQUAWK" --version)   java: $(java -version 2>&1 | head -1)"

# time_cmd OUTFILE CMD... -> prints "wall user+sys" seconds; exit codes 0/1 are both fine (1 = findings).
time_cmd() {
  local out=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$OUT/.cpu" "$@" > "$out" 2>"$OUT/.err" || true
  t1=$(date +%s.%N)
  read -r u s < <(tail -n 1 "$OUT/.cpu")
  python3 -c "print(f'{$t1 - $t0:.3f} {$u + $s:.2f}')"
}

tg=(); sq=(); tgc=(); sqc=()
for i in $(seq 1 "$RUNS"); do
  read -r w c < <(time_cmd "$OUT/tollgate.json" java -jar "$JAR" lint-migrations --format json --stats "$FILE"); tg+=("$w"); tgc+=("$c")
  grep -h "statements/s" "$OUT/.err" || true
  read -r w c < <(time_cmd "$OUT/squawk.json" "$SQUAWK" --reporter json "$FILE"); sq+=("$w"); sqc+=("$c")
done
python3 - "${tg[*]}" "${sq[*]}" "${tgc[*]}" "${sqc[*]}" <<'PY'
import statistics, sys
tg, sq, tgc, sqc = ([float(x) for x in a.split()] for a in sys.argv[1:5])
mt, ms = statistics.median(tg), statistics.median(sq)
print(f"tollgate lint-migrations: wall median {mt:.2f} s (runs {', '.join(f'{x:.2f}' for x in tg)}), cpu median {statistics.median(tgc):.2f} s")
print(f"squawk 2.66             : wall median {ms:.2f} s (runs {', '.join(f'{x:.2f}' for x in sq)}), cpu median {statistics.median(sqc):.2f} s")
print(f"ratio tollgate/squawk   : {mt / ms:.2f} (wall), {statistics.median(tgc) / statistics.median(sqc):.2f} (cpu)")
PY
python3 -c "import json; d=json.load(open('$OUT/tollgate.json')); f=d['files'][0]; print('tollgate findings:', len(f['findings']), 'unsafe:', f['unsafe'])"
python3 -c "import json; print('squawk findings:', len(json.load(open('$OUT/squawk.json'))))"

echo
javac -d "$OUT" -cp "$JAR" bench/LintThroughput.java
java -cp "$JAR:$OUT" LintThroughput "$FILE" 5 7

echo
echo "comparison corpus (bench/migrations-corpus):"
python3 bench/compare_migrations.py
