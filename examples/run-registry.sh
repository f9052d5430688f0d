#!/usr/bin/env bash
# The tutorial's member service registered in a registry, and a client that finds it there.
#   examples/run-registry.sh etcd|zookeeper|consul MemberEtcdServer [-addr localhost:8972] [-registry <address>]
#   examples/run-registry.sh etcd|zookeeper|consul MemberEtcdClient [-registry <address>]
# e.g. examples/run-registry.sh zookeeper MemberEtcdServer -registry zookeeper://localhost:2181/rpcx_test
# Builds the member example and rpcx.registry.<name>, then runs from the module path. The example names the
# registry only by its address: the module is found through ServiceLoader. --add-modules ALL-MODULE-PATH resolves
# the registry module and its libraries (jetcd's and the Consul client's are automatic modules).
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: examples/run-registry.sh etcd|zookeeper|consul MemberEtcdServer|MemberEtcdClient [flags...]}
main=${2:?usage: examples/run-registry.sh etcd|zookeeper|consul MemberEtcdServer|MemberEtcdClient [flags...]}
shift 2
./mvnw -q -B -DskipTests package -pl "examples/rpcx.examples.member,rpcx.registry.$name" -am
ex=examples/rpcx.examples.member/target
reg=rpcx.registry.$name/target
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
path="$ex/lib:$(ls "$ex"/rpcx.examples.member-*.jar | head -1):$(ls "$reg"/rpcx.registry."$name"-*.jar | head -1):$reg/lib"
exec "$java" -p "$path" --add-modules ALL-MODULE-PATH -m "rpcx.examples.member/rpcx.examples.member.cmd.$main" "$@"
