#!/usr/bin/env python3
# Shares of a flight recording's CPU samples whose stack holds each of the probe costs #24 follows (the diff, the secrets
# scan and its whole-file check, blob reads, regex, parity layouts, the migrations framework scan), side by side per file.
# Usage: python3 bench/jfr-shares.py before.jfr after.jfr ...   (recordings of bench/load.sh with -Dbench.gateJvm=...)
import json, subprocess, sys, collections
for f in sys.argv[1:]:
    ev=json.loads(subprocess.run(["jfr","print","--stack-depth","96","--json","--events","jdk.ExecutionSample",f],capture_output=True,text=True).stdout)["recording"]["events"]
    n=0; c=collections.Counter()
    keys={"LineDiff":"dev.tollgate.probes.repo.LineDiff","ChangeSet.addedLines":"ChangeSet.addedLines","ChangeSet.blob":"ChangeSet.blob",
          "mayMatchLines":"TextScanner.mayMatchLines","TextScanner(all)":"dev.tollgate.probes.secrets.TextScanner","SecretScanner.scanRange":"SecretScanner.scanRange",
          "re2j":"com.google.re2j","java.util.regex":"java.util.regex","Layouts.excluded":"Layouts.excluded","Layouts.detect":"Layouts.detect",
          "FrameworkConfig.scan":"MigrationSet$FrameworkConfig.scan","probes(all)":"dev.tollgate.probes."}
    for e in ev:
        fr=(e["values"].get("stackTrace") or {}).get("frames") or []
        if not fr: continue
        n+=1
        names=[x["method"]["type"]["name"].replace("/",".")+"."+x["method"]["name"] for x in fr]
        for k,v in keys.items():
            if any(v in s for s in names): c[k]+=1
        if "regex" in names[0] or "re2j" in names[0]: c["regex top frame"]+=1
    print(f, n, "samples")
    for k in list(keys)+["regex top frame"]:
        print("  %-24s %5d  %5.1f %%" % (k, c[k], 100.0*c[k]/n))
