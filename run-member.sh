#!/usr/bin/env bash
# Quick start, command 1: builds the modules the member example needs and runs the tutorial's member
# server and clients in one JVM, over real TCP on 127.0.0.1, from the module path (no registry).
# Extra arguments go to the demo, e.g. ./run-member.sh -addr 127.0.0.1:8972
set -euo pipefail
cd "$(dirname "$0")"
./mvnw -q -B -DskipTests package -pl examples/rpcx.examples.member -am
example=examples/rpcx.examples.member/target
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
native=()
if ls "$example/lib" | grep -q 'netty-transport-native-epoll-.*linux-x86_64'; then
  native=(--add-modules io.netty.transport.epoll.linux.x86_64)
fi
exec "$java" -p "$example/lib:$(ls "$example"/rpcx.examples.member-*.jar | head -1)" "${native[@]}" \
  -m rpcx.examples.member/rpcx.examples.member.cmd.MemberDemo "$@"
