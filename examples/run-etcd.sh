#!/usr/bin/env bash
# The tutorial's Etcd chapter: the member service registered in etcd, and a client that finds it there.
#   examples/run-etcd.sh MemberEtcdServer [-addr localhost:8972] [-etcdAddr localhost:2379] [-base /rpcx_test]
#   examples/run-etcd.sh MemberEtcdClient [-etcdAddr localhost:2379] [-base /rpcx_test]
# Same as examples/run-registry.sh etcd ...
exec "$(dirname "$0")/run-registry.sh" etcd "$@"
