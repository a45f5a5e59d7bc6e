#!/usr/bin/env bash
# Plots soak.tsv files (SoakBench) with gnuplot (Debian: apt-get install gnuplot-nox): latency, memory, threads and
# files, CPU and lag per minute; several runs overlaid (e.g. before and after).
# Usage: bench/plot-soak.sh OUT.png TSV LABEL [TSV LABEL]...   (or the soak.sh form: TSV OUT.png LABEL)
set -euo pipefail
if [[ "${1:-}" == *.tsv ]]; then set -- "$2" "$1" "$3"; fi
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
set terminal pngcairo size 1400,1000 font ",10"
set output '$OUT'
set datafile separator "\t"
set datafile missing "NaN"
set key top left
set grid
set multiplot layout 2,2 title "Tollgate soak: $(date -u +%F), $(nproc) cores"
set xlabel "minute"
set ylabel "ms"; set title "request -> verdict (client)"; set logscale y
plot $(plots p50_ms), $(plots p99_ms)
unset logscale y
set ylabel "MiB"; set title "gate process memory"; set yrange [0:*]
plot $(plots heap_after_gc_mib), $(plots rss_mib)
set ylabel "count"; set title "gate process threads and open files"
plot $(plots threads), $(plots open_files)
set ylabel "% of one core / records"; set title "gate CPU and consumer lag"
plot $(plots cpu_pct), $(plots lag_aggregator), $(plots lag_workers)
unset multiplot
GP
echo "plot: $OUT"
