#!/usr/bin/env bash
# Validation on real applications (issue #17): runs the migrations probe over every first-parent commit of a git
# repository that adds a migration of a framework the probe reads, as a deploy of that commit over its parent.
#
#   bench/frameworks.sh GIT_DIR [MAX_COMMITS] [OUT.tsv]
#
# GIT_DIR is any local clone or bare mirror (the search tool's fetch puts them under /work/.mirror/<owner>+<name>/repo).
# Findings go to stdout (and OUT.tsv); totals per framework and rule at the end. Nothing is written to the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
exec bench/run-java.sh dev.tollgate.deploy.bench.FrameworkHistory "$@"
