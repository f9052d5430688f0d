#!/usr/bin/env bash
# Builds one example module (and what it needs) and runs one of its main classes from the module path.
#   examples/run.sh member MemberDemo                 the tutorial's member service and clients, one JVM
#   examples/run.sh memberproto MemberProtoDemo       the protobuf variant (UserInfo and Mul), one JVM
#   examples/run.sh memberproto MemberProtoServer -addr 127.0.0.1:8972   (then MemberProtoClient in another shell)
# The example is examples/rpcx.examples.<name>; the class is in its package rpcx.examples.<name>.cmd.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: examples/run.sh <example> <MainClass> [args...]}
main=${2:?usage: examples/run.sh <example> <MainClass> [args...]}
shift 2
module=rpcx.examples.$name
./mvnw -q -B -DskipTests package -pl "examples/$module" -am
target=examples/$module/target
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
native=()
if ls "$target/lib" | grep -q 'netty-transport-native-epoll-.*linux-x86_64'; then
  native=(--add-modules io.netty.transport.epoll.linux.x86_64)
fi
exec "$java" -p "$target/lib:$(ls "$target/$module"-*.jar | head -1)" "${native[@]}" -m "$module/$module.cmd.$main" "$@"
