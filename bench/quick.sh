#!/usr/bin/env bash
# Quick before/after check of one target (not the full protocol): bench/quick.sh <target> [warmup] [measure] [server --opt...]
# Prints the client's summary line. Used for the optimisation log in docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
t=${1:?target}; w=${2:-10}; m=${3:-10}; shift $(( $# < 3 ? $# : 3 ))
case $t in a|a2) mod=netty-echo;; b1|b1d|b2) mod=rpcx;; c) mod=grpc;; d1) mod=dubbo;; esac
CP="bench/$mod/target/$mod-0.1.0-SNAPSHOT.jar:bench/$mod/target/lib/*"
J="-XX:ActiveProcessorCount=1 -Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseG1GC"
taskset -c 0 java $J ${SERVER_JVM:-} -cp "$CP" rpcx.bench.harness.Main server --target $t --port 9600 --control-port 9601 "$@" > /tmp/quick-server.log 2>&1 &
for i in $(seq 50); do grep -q READY /tmp/quick-server.log 2>/dev/null && break; sleep 0.2; done
taskset -c 1 java $J ${CLIENT_JVM:-} -cp "$CP" rpcx.bench.harness.Main client --target $t --port 9600 --control-port 9601 --warmup $w --measure $m --out /tmp/quick-last.json ${CLIENT_OPTS:-} | tail -1
wait
