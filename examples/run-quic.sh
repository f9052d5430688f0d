#!/usr/bin/env bash
# The tutorial's member service and client over QUIC (network quic, Go rpcx's quic build tag).
#   examples/run-quic.sh MemberServer -network quic -addr localhost:8972 -keystore server.p12 -storepass changeit
#   examples/run-quic.sh MemberClient -network quic -addr localhost:8972
# A QUIC server needs TLS (as Go's); make a key store once with the JDK's keytool:
#   keytool -genkeypair -alias server -keyalg EC -groupname secp256r1 -dname CN=localhost \
#     -ext SAN=dns:localhost,ip:127.0.0.1 -storetype PKCS12 -keystore server.p12 -storepass changeit
# The client, as Go's without a TLS config, does not verify the server's certificate.
# Builds the member example and rpcx.transport.quic, then runs from the module path; the native QUIC library is a
# module nothing requires, hence --add-modules.
set -euo pipefail
cd "$(dirname "$0")/.."
main=${1:?usage: examples/run-quic.sh MemberServer|MemberClient [flags...]}
shift
./mvnw -q -B -DskipTests package -pl examples/rpcx.examples.member,rpcx.transport.quic -am
ex=examples/rpcx.examples.member/target
quic=rpcx.transport.quic/target
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
path="$ex/lib:$(ls "$ex"/rpcx.examples.member-*.jar | head -1):$(ls "$quic"/rpcx.transport.quic-*.jar | head -1):$quic/lib"
exec "$java" -p "$path" --add-modules io.netty.codec.quic.linux.x86_64,io.netty.transport.epoll.linux.x86_64 \
  -m "rpcx.examples.member/rpcx.examples.member.cmd.$main" "$@"
