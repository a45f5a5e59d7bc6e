#!/usr/bin/env bash
# What the lock/queue check costs a verdict: two all-in-one jars side by side in the same seconds (each its own embedded
# broker, data dir and port), BEFORE (a build of the commit before issue 21, where a GO went straight to the verdicts
# topic) and AFTER (this checkout: every GO passes the environment gate), each sent the same rate of evaluations of a
# small repository in staging (default config: every probe), request -> verdict measured by the client (POST
# ?waitSeconds=30 answers when the verdict is in). Prints p50/p95/p99 per jar and the AFTER - BEFORE difference.
# Usage: bench/locks.sh [seconds=60] [rate=20] [base-commit=the merge-base with main before issue 21]
# Ports: 18060 (before), 18061 (after). Data in /tmp/tollgate-locks-bench.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_=${1:-60}; RATE=${2:-20}
BASE=${3:-$(git log --format=%H --grep='Locks and queue (issue 21): contracts' -1)^}
WORK=/tmp/tollgate-locks-bench
rm -rf "$WORK/data-before" "$WORK/data-after" "$WORK/repo"; mkdir -p "$WORK"
if [ ! -f "$WORK/before/deploy/target/tollgate.jar" ] || [ "$(cat "$WORK/before.commit" 2>/dev/null)" != "$(git rev-parse "$BASE")" ]; then
  rm -rf "$WORK/before"; mkdir -p "$WORK/before"
  git archive "$BASE" | tar -x -C "$WORK/before"
  (cd "$WORK/before" && mvn -B -q -pl deploy -am package -DskipTests >/dev/null)   # package only: never install
  git rev-parse "$BASE" > "$WORK/before.commit"
fi
mvn -B -q -pl deploy -am package -DskipTests >/dev/null
git init -q "$WORK/repo" && (cd "$WORK/repo" && for i in $(seq 1 20); do echo "key$i=value$i" > "f$i.properties"; done \
  && git add . && git -c user.name=bench -c user.email=bench@example.com commit -qm first)
COMMIT=$(cd "$WORK/repo" && git rev-parse HEAD)
PIDS=()
java -jar "$WORK/before/deploy/target/tollgate.jar" serve --data-dir "$WORK/data-before" --http-port 18060 > "$WORK/before.log" 2>&1 &
PIDS+=($!)
java -jar deploy/target/tollgate.jar serve --data-dir "$WORK/data-after" --http-port 18061 > "$WORK/after.log" 2>&1 &
PIDS+=($!)
trap 'kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true' EXIT
for port in 18060 18061; do
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 1; done
done
echo "start: $(date -u +%FT%TZ), $(uptime)"
python3 - "$SECONDS_" "$RATE" "$WORK" "$COMMIT" <<'PY'
import json, sys, threading, time, urllib.request
seconds, rate, work, commit = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4]
runs = {"before": 18060, "after": 18061}
tokens = {k: open(f"{work}/data-{k}/admin.token").read().strip() for k in runs}
body = json.dumps({"repository": f"{work}/repo", "environment": "staging", "candidate": commit}).encode()
lat = {k: [] for k in runs}; errors = {k: 0 for k in runs}; kinds = {}; lock = threading.Lock()
def one(k):
    req = urllib.request.Request(f"http://127.0.0.1:{runs[k]}/api/v1/evaluations?waitSeconds=30", data=body, method="POST",
        headers={"Authorization": "Bearer " + tokens[k], "Content-Type": "application/json"})
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=40) as r:
            doc = json.loads(r.read())
        why = "GO" if r.status == 200 and (doc.get("verdict") or {}).get("decision") == "GO" else f"{r.status} {doc.get('status')}"
    except Exception as e:
        why = type(e).__name__
    ok = why == "GO"
    ms = (time.perf_counter() - t0) * 1000
    with lock:
        if ok: lat[k].append(ms)
        else:
            errors[k] += 1; kinds[why] = kinds.get(why, 0) + 1
def drive(total, record):
    threads = []; start = time.perf_counter()
    for i in range(total):
        time.sleep(max(0, start + i / rate - time.perf_counter()))
        for k in (("before", "after") if i % 2 == 0 else ("after", "before")):   # same instants, alternating order
            t = threading.Thread(target=one, args=(k,)); t.start(); threads.append(t)
    for t in threads: t.join()
drive(int(rate * 10), False)                     # warm-up: JIT, caches, consumer assignments
for k in runs: lat[k].clear(); errors[k] = 0
drive(int(rate * seconds), True)
def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")
print(f"{rate:.0f} evaluations/s to each jar for {seconds} s (after 10 s of warm-up)")
print(f"{'run':7} {'n':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
for k in runs:
    print(f"{k:7} {len(lat[k]):6d} {errors[k]:6d} {pct(lat[k],50):8.1f} {pct(lat[k],95):8.1f} {pct(lat[k],99):8.1f}")
if kinds: print("errors by kind (both jars):", kinds)
for p in (50, 95, 99):
    print(f"p{p} after - before: {pct(lat['after'],p) - pct(lat['before'],p):+.1f} ms (ratio {pct(lat['after'],p) / pct(lat['before'],p):.2f})")
PY
echo "end: $(date -u +%FT%TZ), $(uptime)"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(date -u +%Y-%m-%d)"
