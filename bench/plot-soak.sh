#!/usr/bin/env bash
# Plots soak.tsv files (SoakBench) with gnuplot (Debian: apt-get install gnuplot-nox): latency, memory, threads and
# files, CPU and lag per minute; several runs overlaid (e.g. before and after).
# Usage: bench/plot-soak.sh OUT.png TSV LABEL [TSV LABEL]...
set -euo pipefail
OUT=$1; shift
if ! command -v gnuplot >/dev/null; then echo "gnuplot not installed: no plot ($OUT)"; exit 0; fi
plots() { # $1: column name, $2: style suffix
  local col=$1 sep="" s=""
  local -a args=("${RUNS[@]}")
  while [ ${#args[@]} -gt 0 ]; do
    s+="${sep}'${args[0]}' using 'minute':'${col}' with linespoints title '${args[1]} ${col//_/ }'"
    sep=", "; args=("${args[@]:2}")
  done
  echo "$s"
}
RUNS=("$@")
gnuplot <<GP
set terminal pngcairo size 1400,1200 font ",10"
set output '$OUT'
set datafile separator "\t"
set datafile missing "NaN"
set key top left
set grid
set multiplot layout 3,2 title "Tollgate soak: $(date -u +%F), $(nproc) cores (load average in each run's soak.tsv)"
set xlabel "minute"
set ylabel "ms"; set title "request -> verdict p50 (client)"; set logscale y
plot $(plots p50_ms)
set ylabel "ms"; set title "request -> verdict p99 (client)"
plot $(plots p99_ms)
unset logscale y
set ylabel "MiB"; set title "gate: heap after a full GC, and RSS"; set yrange [0:*]
plot $(plots heap_after_gc_mib), $(plots rss_mib)
set ylabel "count"; set title "gate: threads and open files"
plot $(plots threads), $(plots open_files)
set ylabel "% of one core"; set title "gate: CPU"
plot $(plots cpu_pct)
set ylabel "records"; set title "consumer lag (aggregator, workers)"
plot $(plots lag_aggregator), $(plots lag_workers)
unset multiplot
GP
echo "plot: $OUT"
