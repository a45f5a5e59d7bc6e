#!/usr/bin/env python3
# What the JIT does after ready (issue #24, round 6): per window after ready, C1 and C2 compiles (count, compile ms),
# how C2's time splits into methods C2 had already compiled before ready (recompiles after a deoptimization), methods
# only C1 had compiled before ready (they crossed C2's thresholds under traffic) and methods new after ready; the
# biggest C2 compiles per window; deoptimizations per window and reason; with --deopts S, every deoptimization of the
# first S seconds with its stack (which input shape the warm-ups never showed).
#
# A recording that keeps every compile (settings=profile keeps those of 100 ms or more) and thread CPU every second:
#   python3 bench/jfr-jit.py --jfc /tmp/jit.jfc
#   JAVA_OPTS="-Dbench.phases=first-minute -Dbench.gateJvm=-XX:StartFlightRecording=filename=/tmp/{label}.jfr,settings=/tmp/jit.jfc,dumponexit=true" \
#     bench/load.sh 10 5 0 JAR:label
#   python3 bench/jfr-jit.py /tmp/label.jfr READY [--deopts 2.5]
# READY: the time the restarted gate logged "Tollgate ready" (the timestamp of the log line before it, e.g.
# 2026-12-07T22:52:07.723; the bench keeps the log in target/bench/load-LABEL-gate.log).
import collections, datetime, json, os, re, subprocess, sys

WINDOWS = [(0, 2), (2, 5), (5, 10), (10, 20), (20, 60), (60, 1e9)]


def window(t):
    if t < 0:
        return "before"
    for a, b in WINDOWS:
        if a <= t < b:
            return f"{a}-{b}" if b < 1e9 else f"{a}+"


def jfc(out):
    java_home = os.path.dirname(os.path.dirname(os.path.realpath(subprocess.run(["which", "java"], capture_output=True,
                                                                                   text=True).stdout.strip())))
    s = open(os.path.join(java_home, "lib", "jfr", "profile.jfc")).read()
    for event, key, value in [("jdk.Compilation", "threshold", "0 ms"), ("jdk.ThreadCPULoad", "period", "1 s"),
                              ("jdk.CPULoad", "period", "1 s")]:
        pattern = r'(<event name="%s">.*?<setting name="%s"[^>]*>)([^<]*)(</setting>)' % (re.escape(event), key)
        s = re.sub(pattern, lambda m: m.group(1) + value + m.group(3), s, count=1, flags=re.S)
    open(out, "w").write(s)
    print("wrote", out)


def events(f, names, depth=None):
    cmd = ["jfr", "print", "--json"] + (["--stack-depth", str(depth)] if depth else []) + ["--events", names, f]
    return json.loads(subprocess.run(cmd, capture_output=True, text=True).stdout)["recording"]["events"]


def seconds(iso_duration):
    m = re.fullmatch(r"PT(?:(\d+)M)?([\d.]+)S", iso_duration)
    return (int(m.group(1) or 0) * 60 + float(m.group(2))) if m else 0.0


def main():
    if sys.argv[1] == "--jfc":
        return jfc(sys.argv[2])
    f = sys.argv[1]
    ready = datetime.datetime.fromisoformat(sys.argv[2]).replace(tzinfo=datetime.timezone.utc).timestamp()
    at = lambda v: datetime.datetime.fromisoformat(v["startTime"].replace("Z", "+00:00")).timestamp() - ready
    names = ["before"] + [window(a) for a, b in WINDOWS]
    compiles = []
    for e in events(f, "jdk.Compilation"):
        v = e["values"]
        m = v["method"]
        compiles.append((at(v), v["compileLevel"], seconds(v["duration"]) * 1000,
                         m["type"]["name"].replace("/", ".") + "." + m["name"] + m["descriptor"]))
    c2_before = {name for t, level, ms, name in compiles if t < 0 and level == 4}
    any_before = {name for t, level, ms, name in compiles if t < 0}
    per = collections.defaultdict(lambda: [0, 0.0, 0, 0.0])
    split = collections.defaultdict(collections.Counter)
    biggest = collections.defaultdict(collections.Counter)
    for t, level, ms, name in compiles:
        w = window(t)
        row = per[w]
        if level == 4:
            row[2] += 1
            row[3] += ms
            if t >= 0:
                kind = "recompiled" if name in c2_before else "C1-only before" if name in any_before else "new"
                split[w][kind] += ms
                biggest[w][name.split("(")[0]] += ms
        else:
            row[0] += 1
            row[1] += ms
    deopts = events(f, "jdk.Deoptimization", 12 if "--deopts" in sys.argv else None)
    reasons = collections.defaultdict(collections.Counter)
    for e in deopts:
        reasons[window(at(e["values"]))][e["values"]["reason"]] += 1
    print("window    C1 n   C1 ms   C2 n   C2 ms   of C2 ms after ready: recompiled / C1-only before / new   deopts")
    for w in names:
        c1n, c1ms, c2n, c2ms = per[w]
        s = split[w]
        parts = "" if w == "before" else f"{s['recompiled']:8.0f} / {s['C1-only before']:8.0f} / {s['new']:6.0f}"
        print(f"{w:>7} {c1n:6d} {c1ms:7.0f} {c2n:6d} {c2ms:7.0f}   {parts:>44}   {sum(reasons[w].values()):5d} "
              f"{dict(reasons[w].most_common(3))}")
    for w in names[1:4]:
        print(f"biggest C2 compiles {w} s:", ", ".join(f"{n.rsplit('.', 2)[-2]}.{n.rsplit('.', 1)[-1]} {ms:.0f}"
                                                      for n, ms in biggest[w].most_common(6)))
    if "--deopts" in sys.argv:
        until = float(sys.argv[sys.argv.index("--deopts") + 1])
        for e in deopts:
            v = e["values"]
            t = at(v)
            if 0 <= t < until:
                frames = [fr["method"]["type"]["name"].split("/")[-1] + "." + fr["method"]["name"]
                          for fr in ((v.get("stackTrace") or {}).get("frames") or [])]
                print(f"{t:6.2f} {v['reason']:>24} {v.get('instruction')}: " + " < ".join(frames[:8]))


main()
