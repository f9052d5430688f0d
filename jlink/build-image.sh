#!/usr/bin/env bash
# Links a runtime image: bash build-image.sh <java.home> <modules dir> <output dir> [profile]
#   member  (default) the tutorial's member example and the rpcx tool: tcp + kcp, msgpack + json
#   minimal           the core, tcp, msgpack and the rpcx tool: the smallest image that calls rpcx services
# Only explicit modules go in; provider modules (transport, codecs) are listed by name because jlink does not
# bind services by default, and the epoll native module is added at link time AND to the boot layer
# (--add-options), since nothing requires it (see shared/spec/dependencies.md, section (e)).
set -euo pipefail
java_home=$1 modules=$2 out=$3 profile=${4:-member}
jlink="$java_home/bin/jlink"
[ -x "$jlink" ] || { echo "jlink not found at $jlink: build with a full JDK 17+" >&2; exit 1; }
rm -rf "$out"
launchers=(--launcher "rpcx=rpcx.cli/rpcx.cli.Rpcx")
case "$profile" in
  member)
    add=rpcx.examples.member,rpcx.cli,rpcx.transport.tcp,rpcx.transport.kcp,rpcx.codec.msgpack,rpcx.codec.json,java.logging
    main=rpcx.examples.member/rpcx.examples.member.cmd
    launchers+=(--launcher "member-server=$main.MemberServer" --launcher "member-client=$main.MemberClient"
      --launcher "member-fn-client=$main.MemberFnClient" --launcher "member-demo=$main.MemberDemo")
    ;;
  minimal)
    add=rpcx.api,rpcx.cli,rpcx.transport.tcp,rpcx.codec.msgpack,java.logging
    ;;
  *) echo "unknown profile '$profile' (member, minimal)" >&2; exit 2 ;;
esac
# EC keys (a PKCS#12 key store made with -keyalg EC, for -keystore) need jdk.crypto.ec on JDK 17 (java.base has
# them from JDK 22 on, where the module is an empty shell)
if [ "$profile" = member ] && "$java_home/bin/java" --list-modules | grep -q '^jdk.crypto.ec@'; then
  add="$add,jdk.crypto.ec"
fi
native=
if ls "$modules" | grep -q 'netty-transport-native-epoll-.*linux-x86_64'; then
  native=io.netty.transport.epoll.linux.x86_64
  add="$add,$native"
fi
opts="-Drpcx.image=true"
[ -n "$native" ] && opts="$opts --add-modules=$native"
"$jlink" --module-path "$modules" \
  --add-modules "$add" \
  "--add-options=$opts" \
  "${launchers[@]}" \
  --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$out"
# jlink's launchers run java as a child of the script; exec it instead, so a signal to the launcher (SIGTERM from a
# service manager, SIGHUP for a restart) reaches the JVM and its graceful shutdown.
for launcher in "$out"/bin/member-* "$out"/bin/rpcx; do
  [ -f "$launcher" ] && sed -i 's|^\$DIR/java |exec "$DIR"/java |' "$launcher"
done
echo "jlink image ($profile): $out ($(du -sh "$out" | cut -f1)), modules: $("$out/bin/java" --list-modules | wc -l)"
