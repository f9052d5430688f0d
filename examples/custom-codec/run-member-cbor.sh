#!/usr/bin/env bash
# Runs the tutorial's member server and client, unchanged, over CBOR (SerializeType 5): both on the module path of
# the published rpcx member example plus this plugin. Nothing listens beyond 127.0.0.1; the server is stopped at
# the end. Needs the rpcx artifacts in the local Maven repository (from the rpcx checkout: ./mvnw -B install).
#
#   examples/custom-codec/run-member-cbor.sh            builds the plugin (package, tests skipped) if needed, then runs
#   examples/custom-codec/run-member-cbor.sh --build    builds it again first
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

if [[ "${1:-}" == "--build" || ! -d target/app-modules || ! -d target/plugin-modules ]] \
        || ! ls target/rpcx-codec-cbor-*.jar >/dev/null 2>&1; then
    (cd ../.. && ./mvnw -q -B -f examples/custom-codec/pom.xml package -DskipTests)
fi

plugin_jar="$(ls target/rpcx-codec-cbor-*.jar | head -n 1)"
# the application's module path, then the plugin: its jar and its own dependencies (Jackson's CBOR module)
module_path="target/app-modules:target/plugin-modules:${plugin_jar}"

server_log="target/member-server.log"
java --module-path "$module_path" -m rpcx.examples.member/rpcx.examples.member.cmd.MemberServer \
    -addr 127.0.0.1:0 >"$server_log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT

addr=""
for _ in $(seq 1 300); do   # up to 30 s for "listening on tcp@127.0.0.1:<port>"
    addr="$(grep -o 'listening on tcp@127\.0\.0\.1:[0-9]*' "$server_log" | head -n 1 | sed 's/.*tcp@//' || true)"
    [[ -n "$addr" ]] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$server_log"; echo "the member server did not start" >&2; exit 1; }
    sleep 0.1
done
[[ -n "$addr" ]] || { cat "$server_log"; echo "the member server did not start listening" >&2; exit 1; }

java --module-path "$module_path" -m rpcx.examples.member/rpcx.examples.member.cmd.MemberClient -codec 5 -addr "$addr"
sleep 0.3   # let the server log the closed connection
echo "--- member server (SerializeType 5 = com.example.rpcx.codec.cbor) ---"
cat "$server_log"
