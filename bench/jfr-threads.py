#!/usr/bin/env python3
# (jfr print shows 5 frames of each stack unless told: --stack-depth 64 reaches the Tollgate frame under deep library stacks.)
# CPU samples of a flight recording per thread (digits folded: "kafka-producer-network-thread | x-3" counts with its
# kind), and per thread the first Tollgate frame and the top frame of its samples: where the gate's CPU outside the
# probes goes. Optional window: seconds from the recording's first sample.
# Usage: python3 bench/jfr-threads.py file.jfr [from-seconds [to-seconds]]
import json, subprocess, sys, collections, re
from datetime import datetime
f = sys.argv[1]
lo = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
hi = float(sys.argv[3]) if len(sys.argv) > 3 else 1e18
ev = json.loads(subprocess.run(["jfr", "print", "--stack-depth", "64", "--json", "--events", "jdk.ExecutionSample", f], capture_output=True,
                               text=True).stdout)["recording"]["events"]
def ts(e):
    return datetime.fromisoformat(e["values"]["startTime"].replace("Z", "+00:00")).timestamp()
t0 = min(ts(e) for e in ev) if ev else 0
threads = collections.Counter(); first = collections.defaultdict(collections.Counter); top = collections.defaultdict(collections.Counter)
n = 0
for e in ev:
    if not lo <= ts(e) - t0 < hi:
        continue
    t = (e["values"].get("sampledThread") or {}).get("javaName") or "?"
    t = re.sub(r"\d+", "N", t)
    fr = (e["values"].get("stackTrace") or {}).get("frames") or []
    n += 1
    threads[t] += 1
    if fr:
        m = fr[0]["method"]; top[t][m["type"]["name"].split("/")[-1] + "." + m["name"]] += 1
    for x in fr:
        name = x["method"]["type"]["name"]
        if name.startswith("dev/tollgate"):
            first[t][name.split("/")[-1] + "." + x["method"]["name"]] += 1
            break
print(f"{n} samples")
for t, c in threads.most_common(25):
    print(f"{100.0 * c / n:5.1f} % {c:6d}  {t}")
    print("        tollgate: " + ", ".join(f"{k} {v}" for k, v in first[t].most_common(4)))
    print("        top:      " + ", ".join(f"{k} {v}" for k, v in top[t].most_common(4)))
