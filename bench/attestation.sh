#!/usr/bin/env bash
# What signing verdicts costs: a microbench of statement/sign/verify, then request -> verdict at a fixed rate with the
# gate signing and not signing, alternating in one run (AttestationBench). Issue 23's goal: <= 2 ms added to p99 at 20/s.
# Usage: bench/attestation.sh [seconds-per-round] [rounds] [rate]     e.g. bench/attestation.sh 30 2 20
set -euo pipefail
cd "$(dirname "$0")/.."
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(date -u +%Y-%m-%dT%H:%MZ), uptime: $(uptime)"
bench/run-java.sh dev.tollgate.deploy.bench.AttestationBench "$@"
echo "uptime at end: $(uptime)"
