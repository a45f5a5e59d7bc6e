#!/usr/bin/env bash
# The secrets probe on real repositories (issue #18): public repositories known to hold example and test
# credentials, scanned the way a deploy gate scans them, with the findings counted per rule. Nothing here is labelled:
# a person reads the findings (redacted: file, line, rule, 4-character preview) and sorts them into test credentials
# (true findings: real-format keys in fixtures), documented examples and false alarms; docs/bench/secrets.md has the
# last reading.
#
#   bench/secrets-realworld.sh                       # the repositories below, cloned from GitHub into bench/out/rw
#   RW_SRC=/work/.mirror bench/secrets-realworld.sh  # clone from local mirrors (owner+name[/repo]) instead
#
# Each repository: its whole history (`--git HEAD`, the newest 1,000 commits: the probe's commit limit) and its
# tree at HEAD. Output: bench/out/rw/<name>-{history,tree}.json (git-ignored).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/bench/out/rw
JAR=$ROOT/deploy/target/tollgate.jar
REPOS=${REPOS:-"gitleaks/gitleaks trufflesecurity/trufflehog Yelp/detect-secrets awslabs/git-secrets stripe/stripe-python firebase/firebase-android-sdk"}
mkdir -p "$OUT"
[[ -f "$JAR" ]] || { echo "build $JAR first: mvn -q -o package -DskipTests" >&2; exit 2; }

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
for r in $REPOS; do
  name=${r#*/}
  dir=$OUT/src-$name
  if [[ ! -d "$dir/.git" ]]; then
    if [[ -n "${RW_SRC:-}" ]]; then src="$RW_SRC/${r/\//+}"; [[ -d "$src/repo" ]] && src="$src/repo"; else src="https://github.com/$r.git"; fi
    git clone -q "$src" "$dir"
  fi
  for mode in history tree; do
    if [[ $mode == history ]]; then args=("$dir" --git HEAD); else args=("$dir"); fi
    /usr/bin/time -f "%e %U %S" -o "$OUT/$name-$mode.time" \
      java -jar "$JAR" scan-secrets "${args[@]}" --format json > "$OUT/$name-$mode.json" 2> "$OUT/$name-$mode.log" || true
    python3 - "$OUT/$name-$mode.json" "$OUT/$name-$mode.time" "$name" "$mode" <<'PY'
import collections, json, sys
d = json.load(open(sys.argv[1]))
wall = open(sys.argv[2]).read().split()[-3]
f = d["findings"]
block = [x for x in f if x.get("severity") != "INFO"]
info = len(f) - len(block)
rules = collections.Counter(x["rule"].removeprefix("secrets/") for x in block)
top = ", ".join(f"{r} {n}" for r, n in rules.most_common(8))
print(f"{sys.argv[3]:<22} {sys.argv[4]:<8} {len(block):>5} blocking, {info:>3} INFO, {len(d.get('warnings', [])):>2} warnings, "
      f"{wall} s;  {top}")
PY
  done
done
echo "== machine at the end: load average $(cut -d' ' -f1-3 /proc/loadavg)"
