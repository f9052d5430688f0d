#!/usr/bin/env bash
# Network namespace for target d1 (Dubbo triple), spec/benchmark.md §4.1b (5).
#
# Dubbo rewrites a loopback host to the machine's interface address when it dials, and with `lo` alone it finds no
# local address and re-scans the interfaces on every call. So both Dubbo JVMs run in a namespace of their own that
# holds `lo` and a veth pair whose BOTH ends stay inside it, with test addresses on one end. Dubbo dials those
# addresses; the kernel delivers traffic to a local address through `lo`, so no packet leaves the namespace (the
# veth's peer is in the same namespace, nothing is routed out, there is no default route).
#
# Addresses: 10.203.0.1 .. 10.203.0.$RPCXBENCH_ADDRS (default 10) on veth rb-test0. Triple opens one HTTP/2
# connection per address and ignores `connections`, so the d1 client gives connection k the address .1+k: n
# connections need n addresses (4 for phase T, 10 for phase P).
#
# usage: netns.sh up | down | status        (as root)
#   then: ip netns exec rpcxbench java ... rpcx.bench.harness.Main server --target d1 --host 10.203.0.1 ...
set -euo pipefail

NS=${RPCXBENCH_NS:-rpcxbench}
PREFIX=${RPCXBENCH_PREFIX:-10.203.0}
ADDRS=${RPCXBENCH_ADDRS:-10}
DEV=rb-test0
PEER=rb-test1

up() {
    if ip netns list | grep -qw "$NS"; then
        echo "namespace $NS exists; recreating" >&2
        down
    fi
    ip netns add "$NS"
    ip -n "$NS" link set lo up
    # created inside the namespace, so neither end ever appears in the root namespace
    ip -n "$NS" link add "$DEV" type veth peer name "$PEER"
    for i in $(seq 1 "$ADDRS"); do
        ip -n "$NS" addr add "$PREFIX.$i/24" dev "$DEV"
    done
    ip -n "$NS" link set "$DEV" up
    ip -n "$NS" link set "$PEER" up
    status
}

down() {
    if ip netns list | grep -qw "$NS"; then
        ip netns delete "$NS" # deletes the veth pair with it
    fi
}

status() {
    echo "namespace $NS:"
    ip -n "$NS" -br addr
    ip -n "$NS" route
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    status) status ;;
    *) echo "usage: $0 up|down|status" >&2; exit 64 ;;
esac
