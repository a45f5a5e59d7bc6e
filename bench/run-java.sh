#!/usr/bin/env bash
# Runs a main class from the deploy module's test classpath, built through the reactor (so our own modules come
# from this checkout, never from a stale ~/.m2). Usage: [JAVA_OPTS=...] bench/run-java.sh <main-class> [args...]
set -euo pipefail
cd "$(dirname "$0")/.."
CP_FILE=$(mktemp)
mvn -B -q -pl deploy -am package -DskipTests dependency:build-classpath -Dmdep.outputFile="$CP_FILE" \
  -Dmdep.includeScope=test >/dev/null
MAIN=$1; shift
java ${JAVA_OPTS:-} -cp "deploy/target/test-classes:deploy/target/classes:$(cat "$CP_FILE")" "$MAIN" "$@" 2>&1 | grep --line-buffered -vE '^[0-9:.]+ (INFO|WARN|DEBUG) '
rm -f "$CP_FILE"
