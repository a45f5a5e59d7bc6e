#!/usr/bin/env bash
# LineDiff against JGit's histogram diff (#24) on real histories: every modified text file pair of the newest commits
# of each repository must give the same edits; then the CPU of both on those pairs, side by side (DiffCompare); then
# the same on the load bench's fresh candidates (FreshDiffCost). Then the secret scan of every commit's range both ways
# (LazyScanCompare, #24: skipping the diff of files no line of which can match, against diffing every file), under the
# default total limit and a 4,000-byte one: findings, warnings and figures must be equal. Exits non-zero when any pair
# or scan differs. SCAN_COMMITS=N scans the newest N commits of each repository (default: the same as the diffs).
# Usage: bench/diff-compare.sh [commits-per-repo] GIT_DIR...   (git dirs: e.g. /work/.mirror/<owner>+<name>/repo)
set -euo pipefail
cd "$(dirname "$0")/.."
COMMITS=${1:-3000}; shift || true
echo "load before: $(uptime | sed 's/.*load average: //'); $(nproc) cores, $(java -version 2>&1 | head -1), $(date -u '+%Y-%m-%d %H:%M UTC')"
JAVA_OPTS="${JAVA_OPTS:--Xmx3g}" bench/run-java.sh dev.tollgate.probes.repo.DiffCompare "$COMMITS" "$@"
bench/run-java.sh dev.tollgate.deploy.bench.FreshDiffCost 50
JAVA_OPTS="${JAVA_OPTS:--Xmx3g}" bench/run-java.sh dev.tollgate.probes.secrets.LazyScanCompare "${SCAN_COMMITS:-$COMMITS}" "$@"
echo "load after: $(uptime | sed 's/.*load average: //')"
