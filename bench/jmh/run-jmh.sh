#!/usr/bin/env bash
# JMH micro-benchmarks of rpcx for Java (spec/benchmark.md §5.6): rpcx frame encode/decode, protobuf and msgpack
# codec encode/decode of the 581-byte BenchmarkMessage, selector choice over 10 servers. ns/op and, through
# -prof gc, gc.alloc.rate.norm (B/op).
#
#   bench/jmh/run-jmh.sh [results.json] [extra JMH arguments...]
#
# Builds bench/jmh (with the harness it uses) and runs every benchmark once, in one fork each, with -prof gc;
# writes JMH's JSON to results.json (default bench/results/jmh.json under the repository root; a relative path is
# taken from the current directory) and the console output next to it (.txt). About 5 minutes on 2 cores
# (17 benchmark/parameter combinations x ~18 s). Extra arguments go to JMH, e.g. a benchmark regex
# ('FrameBenchmark') or other settings (later settings win).
#
# Needs our modules in ~/.m2 (cd <repo> && ./mvnw -B -o install -DskipTests). Set JMH_SKIP_BUILD=1 to reuse
# bench/jmh/target/benchmarks.jar, JMH_MVN_FLAGS to pass flags to Maven (e.g. -o).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

OUT="${1:-$ROOT/bench/results/jmh.json}"
case "$OUT" in
  /*) ;;
  *) OUT="$PWD/$OUT" ;;
esac
shift $(( $# > 0 ? 1 : 0 ))

cd "$ROOT"
if [[ "${JMH_SKIP_BUILD:-0}" != 1 ]]; then
  # shellcheck disable=SC2086
  ./mvnw -B -q -f bench/pom.xml -pl harness,jmh -am package -DskipTests ${JMH_MVN_FLAGS:-}
fi

mkdir -p "$(dirname "$OUT")"
LOG="${OUT%.json}.txt"
{
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) nproc=$(nproc) loadavg=$(cat /proc/loadavg)"
  echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "# kernel: $(uname -r)"
  java -version 2>&1 | sed 's/^/# /'
} | tee "$LOG"

java -jar bench/jmh/target/benchmarks.jar \
  -f 1 -wi 3 -w 2s -i 5 -r 2s -tu ns -bm avgt \
  -jvmArgsAppend "-Xms1g -Xmx1g -XX:+UseG1GC" \
  -prof gc \
  -rf json -rff "$OUT" \
  "$@" 2>&1 | tee -a "$LOG"

echo "JMH results: $OUT (console output: $LOG)"
