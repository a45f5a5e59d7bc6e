#!/usr/bin/env bash
# What a consumer's fetch.max.wait.ms costs, idle CPU and latency, side by side: waits 50 / 500 ms x max.poll.records
# 4 / 1000 on one embedded broker (see FetchWaitBench). Usage: bench/fetch-wait.sh [bursts=200] [idleSeconds=20] [linger=0]
# (linger 20: each burst of 5 is one batch, so a consumer polling 4 records leaves one buffered)
set -euo pipefail
cd "$(dirname "$0")/.."
echo "start: $(date -u +%FT%TZ), $(uptime)"
bench/run-java.sh dev.tollgate.deploy.bench.FetchWaitBench "${1:-200}" "${2:-20}" "${3:-0}"
echo "end: $(date -u +%FT%TZ), $(uptime); machine: $(nproc) cores"
