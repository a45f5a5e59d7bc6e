# Sourced by the start benches (coldstart.sh, start-compare.sh, appcds.sh): one way to time a start.
# start_ready JAR DATA_DIR PORT [JVM options...]: starts `java [options] -jar JAR serve` on DATA_DIR and PORT, prints
# the milliseconds from process start to /health/ready answering 200, then stops it (SIGTERM) and waits for it.
start_ready() {
  local jar=$1 dir=$2 port=$3; shift 3
  local start end pid
  start=$(date +%s%N)
  java "$@" -jar "$jar" serve --data-dir "$dir" --http-port "$port" >>"$dir.log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do
    kill -0 $pid 2>/dev/null || { echo "tollgate exited; see $dir.log" >&2; exit 1; }
    sleep 0.02
  done
  end=$(date +%s%N)
  kill -TERM $pid; wait $pid 2>/dev/null || true
  echo $(( (end - start) / 1000000 ))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
