#!/usr/bin/env python3
# Per second around ready from a flight recording (issue #24, round 5): the JVM's and the machine's CPU, the threads'
# CPU (C2 compiler threads included), and every compile of 100 ms or more (settings=profile) with its start after ready.
# Usage: python3 bench/jfr-after-ready.py REC.jfr 2026-12-07T19:35:16.650   (ready: the gate log's "Tollgate ready" time)
import json,subprocess,sys,datetime,collections
f=sys.argv[1]; ready=datetime.datetime.fromisoformat(sys.argv[2]).replace(tzinfo=datetime.timezone.utc).timestamp()
def events(n, depth=1):
    return json.loads(subprocess.run(["jfr","print","--json","--stack-depth",str(depth),"--events",n,f],capture_output=True,text=True).stdout)["recording"]["events"]
def ts(e): return datetime.datetime.fromisoformat(e["values"]["startTime"].replace("Z","+00:00")).timestamp()-ready
def dur(e):
    d=e["values"].get("duration","PT0S"); return float(d[2:-1]) if d.endswith("S") and "M" not in d else 0.0
print("== CPULoad per sample: s after ready, jvmUser+jvmSystem (of all cores), machineTotal")
for e in events("jdk.CPULoad"):
    s=ts(e)
    if -4<=s<12: v=e["values"]; print(f"{s:6.1f} jvm {v['jvmUser']+v['jvmSystem']:.2f} machine {v['machineTotal']:.2f}")
print("== ThreadCPULoad: per second after ready, top threads (user+system share of the machine)")
per=collections.defaultdict(collections.Counter)
import re
for e in events("jdk.ThreadCPULoad"):
    s=ts(e)
    if -4<=s<12:
        v=e["values"]; t=re.sub(r'\d+','N',(v["eventThread"] or {}).get("javaName") or (v["eventThread"] or {}).get("osName") or "?")[:40]
        per[int(s//2)*2][t]+=v["user"]+v["system"]
for k in sorted(per): print(k, [(t,round(c,2)) for t,c in per[k].most_common(7)])
print("== compilations >=100ms starting in -4..12 s: start, ms, level, method")
for e in sorted(events("jdk.Compilation"), key=ts):
    s=ts(e)
    if -4<=s<12:
        v=e["values"]; m=v["method"]; print(f"{s:6.2f} {dur(e)*1000:6.0f} L{v['compileLevel']} {m['type']['name'].split('/')[-1]}.{m['name']}")
