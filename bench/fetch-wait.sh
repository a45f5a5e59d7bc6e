#!/usr/bin/env bash
# What a consumer's fetch.max.wait.ms costs, idle CPU and latency, side by side: waits 50 / 500 ms x max.poll.records
# 4 / 1000 on one embedded broker (see FetchWaitBench). Usage: bench/fetch-wait.sh [bursts=200] [idleSeconds=20]
set -euo pipefail
cd "$(dirname "$0")/.."
echo "start: $(date -u +%FT%TZ), $(uptime)"
bench/run-java.sh dev.tollgate.deploy.bench.FetchWaitBench "${1:-200}" "${2:-20}"
echo "end: $(date -u +%FT%TZ), $(uptime); machine: $(nproc) cores"
