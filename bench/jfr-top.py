#!/usr/bin/env python3
# The hottest top frames of a flight recording's CPU samples, and the first Tollgate frame under each sample.
# Usage: python3 bench/jfr-top.py file.jfr   (see bench/jfr-windows.py for the recording)
import json, subprocess, sys, collections
f=sys.argv[1]
ev=json.loads(subprocess.run(["jfr","print","--stack-depth","64","--json","--events","jdk.ExecutionSample",f],capture_output=True,text=True).stdout)["recording"]["events"]
c=collections.Counter(); c2=collections.Counter()
for e in ev:
    fr=(e["values"].get("stackTrace") or {}).get("frames") or []
    if not fr: continue
    m=fr[0]["method"]; c[m["type"]["name"]+"."+m["name"]]+=1
    for x in fr:
        n=x["method"]["type"]["name"]
        if n.startswith("dev/tollgate") or n.startswith("dev.tollgate"):
            c2[n+"."+x["method"]["name"]]+=1; break
n=len(ev)
print(n); print([(k,v) for k,v in c.most_common(15)]); print([(k,v) for k,v in c2.most_common(15)])
