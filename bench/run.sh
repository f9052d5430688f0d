#!/usr/bin/env bash
# The side-by-side benchmark of ../shared/spec/benchmark.md: raw Netty (a, a2), rpcx for Java (b1 protobuf,
# b2 msgpack), gRPC-java (c) and Dubbo triple (d1), each server and client in its own JVM pinned to one core.
# Writes bench/results/<UTC date>/results.md, results.json, one .hlog per target/phase/round and the JMH figures.
#
#   bench/run.sh                  the whole protocol (≈ 35 min on 2 cores); run it in the background:
#                                 nohup bench/run.sh > /tmp/bench.log 2>&1 &   and watch the log (one line a second)
#   BENCH_QUICK=1 bench/run.sh    a 5-minute smoke of the same steps (short phases, one round) — not for results
#   BENCH_TARGETS="a2 b1" ...     only these targets;  BENCH_SKIP_JMH=1 skips the JMH step (skipped when quick)
#
# Needs root for the Dubbo network namespace (spec §4.1b (5)); everything else runs as any user.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

quick=${BENCH_QUICK:-0}
targets=(${BENCH_TARGETS:-a a2 b1 b1d b2 c d1})
rounds=3; t_warm=40; t_meas=30; d1_warm=120; l_warm=20; l_meas=10; s_warm=8; s_meas=8
if [ "$quick" = 1 ]; then
  rounds=1; t_warm=8; t_meas=5; d1_warm=15; l_warm=5; l_meas=3; s_warm=3; s_meas=3
fi
scaling_targets=(${BENCH_SCALING_TARGETS:-a2 b1})

date=$(date -u +%F)
out=${BENCH_OUT:-bench/results/$date}
[ "$quick" = 1 ] && out=${BENCH_OUT:-/tmp/rpcx-bench-quick}
mkdir -p "$out"
rm -f "$out"/run-*.json "$out"/*.hlog

echo "== building (our modules into ~/.m2, then every target's class path)"
./mvnw -q -B install -DskipTests
./mvnw -q -B -f bench/pom.xml package

jvm=(-XX:ActiveProcessorCount=1 -Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseG1GC)
{
  echo "date (UTC):   $(date -u '+%F %T')"
  echo "commit:       $(git rev-parse --short HEAD)$(git diff --quiet -- . ':(exclude)bench/results' || echo ' (with uncommitted changes)')"
  echo "nproc:        $(nproc)"
  echo "cpu:          $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "kernel:       $(uname -srm)"
  echo "java:         $("$java" -version 2>&1 | head -2 | tr '\n' ' ')"
  echo "jvm flags:    ${jvm[*]}; server: taskset -c 0, client: taskset -c 1"
  echo "phases:       T ${t_warm}+${t_meas} s (d1 warm-up ${d1_warm} s) x $rounds rounds; L ${l_warm}+${l_meas} s; scaling ${s_warm}+${s_meas} s (${scaling_targets[*]})"
  echo "loadavg:      $(cat /proc/loadavg) (at start)"
} > "$out/env.txt"
cat "$out/env.txt"

module_of() {
  case $1 in a|a2) echo netty-echo;; b1|b1d|b2) echo rpcx;; c) echo grpc;; d1) echo dubbo;; esac
}
port_of() {
  case $1 in a) echo 9100;; a2) echo 9120;; b1) echo 9200;; b1d) echo 9240;; b2) echo 9220;; c) echo 9300;; d1) echo 9400;; esac
}

dubbo_ns=0
cleanup() {
  pkill -f "rpcx.bench.harness.Main server" 2>/dev/null || true
  if [ "$dubbo_ns" = 1 ]; then bench/dubbo/netns.sh down >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

# run_one TARGET PHASE ROUND CONNS INFLIGHT WARMUP MEASURE [IDLE]
run_one() {
  local t=$1 phase=$2 round=$3 conns=$4 inflight=$5 warm=$6 meas=$7 idle=${8:-0}
  local mod; mod=$(module_of "$t")
  local cp="bench/$mod/target/$mod-0.1.0-SNAPSHOT.jar:bench/$mod/target/lib/*"
  local port; port=$(( $(port_of "$t") + round * 2 ))
  local host=127.0.0.1 prefix=()
  if [ "$t" = d1 ]; then
    host=10.203.0.1; prefix=(ip netns exec rpcxbench)
  fi
  local client_extra=()
  # one client I/O thread, as every other target has (spec §5.4)
  case $t in b1|b1d|b2) client_extra=(-Drpcx.tcp.clientIoThreads=1);; esac
  local log="$out/server-$phase-$t-r$round.log"
  echo "== $phase $t round $round: ${conns}x${inflight}$([ "$idle" -gt 0 ] && echo " + $idle idle"), load $(cut -d' ' -f1-3 /proc/loadavg)"
  "${prefix[@]}" taskset -c 0 "$java" "${jvm[@]}" ${BENCH_SERVER_JVM_OPTS:-} -cp "$cp" rpcx.bench.harness.Main server \
    --target "$t" --host "$host" --port "$port" --control-port $((port + 1)) > "$log" 2>&1 &
  local spid=$!
  for _ in $(seq 300); do grep -q '^READY' "$log" 2>/dev/null && break; sleep 0.2; done
  if ! grep -q '^READY' "$log"; then
    echo "server $t did not start; its log:"; tail -20 "$log"; kill $spid 2>/dev/null || true
    echo "{\"target\":\"$t\",\"phase\":\"$phase\",\"round\":$round,\"valid\":false,\"invalid_reason\":\"server did not start\"}" \
      > "$out/run-$phase-$t-r$round.json"
    return 0
  fi
  "${prefix[@]}" taskset -c 1 "$java" "${jvm[@]}" "${client_extra[@]}" ${BENCH_CLIENT_JVM_OPTS:-} -cp "$cp" rpcx.bench.harness.Main client \
    --target "$t" --host "$host" --port "$port" --control-port $((port + 1)) --phase "$phase" --round "$round" \
    --connections "$conns" --inflight "$inflight" --warmup "$warm" --measure "$meas" --idle "$idle" \
    --hlog "$out/$phase-$t-r$round.hlog" --out "$out/run-$phase-$t-r$round.json" || true
  for _ in $(seq 100); do kill -0 $spid 2>/dev/null || break; sleep 0.1; done
  kill $spid 2>/dev/null || true
  wait $spid 2>/dev/null || true
}

for t in "${targets[@]}"; do
  if [ "$t" = d1 ]; then bench/dubbo/netns.sh up; dubbo_ns=1; fi
done

echo "== phase T: 4 connections x 25 in flight, $rounds interleaved rounds"
for r in $(seq "$rounds"); do
  for t in "${targets[@]}"; do
    w=$t_warm; [ "$t" = d1 ] && w=$d1_warm
    run_one "$t" T "$r" 4 25 "$w" "$t_meas"
  done
done

echo "== phase L: 1 connection x 1 in flight"
for t in "${targets[@]}"; do
  w=$l_warm; [ "$t" = d1 ] && w=$(( l_warm * 3 ))
  run_one "$t" L 1 1 1 "$w" "$l_meas"
done

echo "== scaling: 1, 10, 100, 1000 connections x 1 in flight; 1000 idle connections beside 4x25"
for t in "${scaling_targets[@]}"; do
  for n in 1 10 100 1000; do
    run_one "$t" "S$n" 1 "$n" 1 "$s_warm" "$s_meas"
  done
  run_one "$t" I 1 4 25 "$s_warm" "$s_meas" 1000
done

if [ "${BENCH_SKIP_JMH:-$quick}" != 1 ]; then
  echo "== JMH micro-benchmarks"
  # also writes $out/jmh.txt; a failure here still leaves the network results reported
  bench/jmh/run-jmh.sh "$out/jmh.json" || echo "JMH failed: see above; the other results are reported without it"
fi
cp_report="bench/harness/target/harness-0.1.0-SNAPSHOT.jar:bench/rpcx/target/lib/HdrHistogram-2.2.2.jar"
"$java" -cp "$cp_report" rpcx.bench.harness.Main report --dir "$out" > /dev/null

echo "== done: $out/results.md"
cat "$out/results.md"
