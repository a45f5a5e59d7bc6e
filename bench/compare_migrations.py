#!/usr/bin/env python3
"""Scores tollgate lint-migrations and squawk on bench/migrations-corpus/<rule-id>/{unsafe,safe}/*.sql.

A file's first line comment '-- case: ...' says what it shows. Files named *.mysql.sql are MySQL.
- tollgate detects an unsafe case when the case's rule is reported (error or warning);
  a safe case is a false alarm when the file is unsafe (any error), or, for a warning rule, when that rule is reported
  (a warning that says "cannot tell without the schema history" on an error rule's safe case does not block).
- squawk detects an unsafe case when it reports anything but style/idempotency/timeout rules and syntax errors
  (timeout rules count for the missing-lock-timeout cases); a safe case is a false alarm when it reports anything
  but style/idempotency/timeout rules (a syntax error on valid SQL counts: squawk is PostgreSQL-only).
Prints a per-case table and totals; writes the same table to bench/out/corpus.md.
Usage: bench/compare_migrations.py [--jar deploy/target/tollgate.jar] [--squawk bench/out/node_modules/.bin/squawk]
"""
import json, os, subprocess, sys, glob

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CORPUS = os.path.join(ROOT, "bench", "migrations-corpus")
JAR = os.path.join(ROOT, "deploy", "target", "tollgate.jar")
SQUAWK = os.path.join(ROOT, "bench", "out", "node_modules", ".bin", "squawk")
STYLE = {"prefer-robust-stmts", "prefer-bigint-over-int", "prefer-bigint-over-smallint", "prefer-identity",
         "prefer-text-field", "prefer-timestamptz", "ban-char-field", "identifier-too-long", "require-table-schema",
         "require-enum-value-ordering", "require-statement-timeout", "ban-uncommitted-transaction", "transaction-nesting"}
TIMEOUT = {"require-lock-timeout", "require-timeout-settings"}
WARNING_RULES = {"drop-not-null", "add-json-column", "create-trigger-lock", "missing-lock-timeout",
                 "flyway-concurrently-advisory-lock", "dynamic-sql"}

def args():
    a = sys.argv[1:]
    jar, sq = JAR, SQUAWK
    for i, x in enumerate(a):
        if x == "--jar": jar = a[i + 1]
        if x == "--squawk": sq = a[i + 1]
    return jar, sq

def tollgate(jar, files, dialect):
    if not files: return {}
    p = subprocess.run(["java", "-jar", jar, "lint-migrations", "--format", "json", "--dialect", dialect] + files,
                       capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit("tollgate failed: " + p.stderr)
    return {f["file"]: f for f in json.loads(p.stdout)["files"]}

def squawk(sq, files):
    if not files: return {}
    p = subprocess.run([sq, "--reporter", "json"] + files, capture_output=True, text=True)
    out = {f: [] for f in files}
    for v in json.loads(p.stdout or "[]"):
        out.setdefault(v["file"], []).append(v["rule_name"])
    return out

def main():
    jar, sq = args()
    cases = sorted(glob.glob(os.path.join(CORPUS, "*", "*", "*.sql")))
    rel = lambda f: os.path.relpath(f, ROOT)
    pg = [rel(f) for f in cases if not f.endswith(".mysql.sql")]
    my = [rel(f) for f in cases if f.endswith(".mysql.sql")]
    os.chdir(ROOT)
    ours = {**tollgate(jar, pg, "postgresql"), **tollgate(jar, my, "mysql")}
    theirs = squawk(sq, pg + my) if os.path.exists(sq) else {}
    rows, score = [], {"tg_tp": 0, "tg_fn": 0, "tg_ok": 0, "tg_fp": 0, "sq_tp": 0, "sq_fn": 0, "sq_ok": 0, "sq_fp": 0}
    for f in pg + my:
        parts = f.split(os.sep)
        rule, kind, name = parts[-3], parts[-2], parts[-1]
        with open(f) as fh:
            note = next((l[len("-- case: "):].strip() for l in fh if l.startswith("-- case: ")), "")
        r = ours[f]
        reported = {x.get("ruleId", x.get("rule")) for x in r["findings"] if x["severity"] in ("error", "warning")}
        hit = ("migration/" + rule) in reported
        sqr = theirs.get(f, [])
        ignore = STYLE | (set() if rule == "missing-lock-timeout" else TIMEOUT)
        sq_rules = sorted({x for x in sqr if x not in ignore})
        if kind == "unsafe":
            tg_ok = hit
            sq_ok = any(x != "syntax-error" for x in sq_rules)
            score["tg_tp" if tg_ok else "tg_fn"] += 1
            score["sq_tp" if sq_ok else "sq_fn"] += 1
        else:
            warning_rule = all(x["severity"] == "warning" for x in r["findings"] if x.get("ruleId", x.get("rule")) == "migration/" + rule) \
                and rule in WARNING_RULES
            tg_ok = not r["unsafe"] and not (hit and warning_rule)
            sq_ok = not sq_rules
            score["tg_ok" if tg_ok else "tg_fp"] += 1
            score["sq_ok" if sq_ok else "sq_fp"] += 1
        rows.append((rule, kind, name, "yes" if tg_ok else "NO", "yes" if sq_ok else "NO", ", ".join(sq_rules) or "-", note))
    unsafe_n = score["tg_tp"] + score["tg_fn"]
    safe_n = score["tg_ok"] + score["tg_fp"]
    lines = ["| rule | case | file | tollgate right | squawk right | squawk reported | what it shows |", "|---|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    lines += ["", f"unsafe cases detected: tollgate {score['tg_tp']}/{unsafe_n}, squawk {score['sq_tp']}/{unsafe_n}",
              f"safe cases without false alarm: tollgate {score['tg_ok']}/{safe_n}, squawk {score['sq_ok']}/{safe_n}"]
    text = "\n".join(lines)
    print(text)
    os.makedirs(os.path.join(ROOT, "bench", "out"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "out", "corpus.md"), "w") as fh:
        fh.write(text + "\n")

if __name__ == "__main__":
    main()
