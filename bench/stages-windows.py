#!/usr/bin/env python3
import sys,statistics,re
# LoadBench's per-evaluation dump (-Dbench.stagesOut, issue #24 round 5) per window after ready: the medians of each
# stage, of the total and of the five probes' runs summed, and the p90 of the total.
# Usage: python3 bench/stages-windows.py A.tsv[,A2.tsv ...] [B.tsv[,...] ...]   (comma: several runs of one jar pooled)
def load(spec):
    rows=[]
    for f in spec.split(','):
        for line in open(f).read().splitlines()[1:]:
            p=line.split('\t'); runs=[int(x) for x in re.findall(r'=(\d+)',p[9])]
            rows.append([int(x) for x in p[:8]]+[sum(runs)])
    return rows
cols=['http→sent','→dispatched','→started','run','→verdict','→answer','total','probes Σ']
wins=[(0,2000),(2000,5000),(5000,10000),(10000,20000),(20000,60000)]
for spec in sys.argv[1:]:
    rows=load(spec); print(spec)
    print(f"{'window s':10}{'n':>4}"+''.join(f"{c:>13}" for c in cols)+f"{'p90 total':>11}")
    for a,b in wins:
        w=[r for r in rows if a<=r[0]<b]
        if not w: continue
        med=[statistics.median(r[i] for r in w) for i in range(1,9)]
        tot=sorted(r[7] for r in w); p90=tot[min(len(tot)-1,int(0.9*len(tot)))]
        print(f"{a/1000:>4.0f}-{b/1000:<5.0f}{len(w):>4}"+''.join(f"{m:>13.0f}" for m in med)+f"{p90:>11}")
