#!/usr/bin/env bash
# The tutorial's Etcd chapter: the member service registered in etcd, and a client that finds it there.
#   examples/run-etcd.sh MemberEtcdServer [-addr localhost:8972] [-etcdAddr localhost:2379] [-base /rpcx_test]
#   examples/run-etcd.sh MemberEtcdClient [-etcdAddr localhost:2379] [-base /rpcx_test]
# Builds the member example and rpcx.registry.etcd, then runs from the module path. The example names the registry
# only by its etcd:// address: rpcx.registry.etcd is found through ServiceLoader, and jetcd's automatic modules
# need --add-modules ALL-MODULE-PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
main=${1:?usage: examples/run-etcd.sh MemberEtcdServer|MemberEtcdClient [flags...]}
shift
./mvnw -q -B -DskipTests package -pl examples/rpcx.examples.member,rpcx.registry.etcd -am
ex=examples/rpcx.examples.member/target
reg=rpcx.registry.etcd/target
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
path="$ex/lib:$(ls "$ex"/rpcx.examples.member-*.jar | head -1):$(ls "$reg"/rpcx.registry.etcd-*.jar | head -1):$reg/lib"
exec "$java" -p "$path" --add-modules ALL-MODULE-PATH -m "rpcx.examples.member/rpcx.examples.member.cmd.$main" "$@"
