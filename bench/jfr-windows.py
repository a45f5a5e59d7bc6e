#!/usr/bin/env python3
# Splits a flight recording of LoadBench's restarted gate into windows after ready (before ready, the first 10 s,
# 10-60 s: the first minute; then the warm-up and the rates): compilations per tier and by package (the recording's
# settings keep compilations of 100 ms or more with settings=profile), GC pauses, CPU samples' top frames by package.
# Usage (issue #24; docs/bench/load.md, round 3):
#   JAVA_OPTS="-Dbench.phases=first-minute,fresh -Dbench.gateJvm=-XX:StartFlightRecording=filename=/tmp/{label}.jfr,settings=profile" \
#     bench/load.sh 60 10 0 JAR:label
#   python3 bench/jfr-windows.py /tmp/label.jfr <restart-to-ready seconds printed by the bench>
import json, subprocess, sys, collections, datetime
f, ready = sys.argv[1], float(sys.argv[2])
def events(name):
    out = subprocess.run(["jfr", "print", "--json", "--events", name, f], capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]
def ts(e):
    return datetime.datetime.fromisoformat(e["values"]["startTime"].replace("Z", "+00:00")).timestamp()
def dur(e):
    d = e["values"].get("duration", "PT0S")
    # ISO-8601 PT0.001234S
    return float(d[2:-1]) if d.endswith("S") and "M" not in d else 0.0
comp = events("jdk.Compilation")
t0 = min(ts(e) for e in comp)
def window(t):
    s = t - t0 - ready
    if s < 0: return "before ready"
    if s < 10: return "ready+0-10s"
    if s < 60: return "ready+10-60s"
    if s < 130: return "ready+60-130s (warm-up 5/s + 10/s)"
    return "ready+130s+ (10/s)"
def pkg(m):
    t = m.get("type", {}).get("name", "") if isinstance(m, dict) else str(m)
    parts = t.replace("/", ".").split(".")
    return ".".join(parts[:3])
cnt = collections.Counter(); cms = collections.Counter(); bypkg = collections.defaultdict(collections.Counter)
for e in comp:
    w = window(ts(e)); lvl = e["values"].get("compileLevel")
    cnt[(w, lvl)] += 1; cms[(w, lvl)] += dur(e)
    bypkg[w][pkg(e["values"].get("method", {}))] += dur(e)
print("== compilations per window and tier: count, compile ms")
for k in sorted(cnt): print(k, cnt[k], round(cms[k]*1000))
for w in bypkg:
    print("== compile ms by package,", w, [(p, round(v*1000)) for p, v in bypkg[w].most_common(12)])
gc = events("jdk.GCPhasePause")
byw = collections.defaultdict(list)
for e in gc: byw[window(ts(e))].append(dur(e)*1000)
print("== GC pauses per window: count, max ms, total ms")
for w, v in byw.items(): print(w, len(v), round(max(v),1), round(sum(v)))
samples = events("jdk.ExecutionSample")
top = collections.defaultdict(collections.Counter)
for e in samples:
    st = e["values"].get("stackTrace") or {}
    fr = st.get("frames") or []
    if not fr: continue
    # first frame in our code or the top frame's package
    m = fr[0]["method"]
    top[window(ts(e))][pkg(m)] += 1
for w, c in top.items():
    n = sum(c.values()); print("== samples (top frame package)", w, n, [(p, round(100*v/n,1)) for p, v in c.most_common(10)])
