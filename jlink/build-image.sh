#!/usr/bin/env bash
# Links a runtime image:
#   bash build-image.sh <java.home> <modules dir> <output dir> [profile] [<plugin module>=<its lib dir> ...]
#   member  (default) the tutorial's member example and the rpcx tool: tcp + kcp, msgpack + json
#   minimal           the core, tcp, msgpack and the rpcx tool: the smallest image that calls rpcx services
#   standard          minimal + json, protobuf, the gateway (gzip is in the core); etcd as a plugin
#   full              every library module of the repository; etcd, Consul, Micrometer, OpenTelemetry as plugins
# Only explicit modules are linked; provider modules (transports, codecs, registries) are listed by name because
# jlink does not bind services by default, and native modules (epoll, quic) are added at link time AND to the boot
# layer (--add-options), since nothing requires them (see shared/spec/dependencies.md, section (e)).
#
# Plugins (the hybrid layout): a plugin module whose libraries are automatic modules (jetcd and its gRPC chain, the
# Consul client, Micrometer, OpenTelemetry) cannot be linked. Such a module goes, with every library of its runtime
# closure (<its lib dir>: the module's own dependency:copy-dependencies) that the image does not hold, into the
# image's plugins/ folder; the JDK modules those jars need are linked (jdeps), and the launchers start java with
# --module-path plugins --add-modules ALL-MODULE-PATH,ALL-SYSTEM (automatic modules declare no requires: ALL-SYSTEM
# resolves the image's modules they use). The jars are taken from <modules dir>, so versions are the image's.
set -euo pipefail
java_home=$1 modules=$2 out=$3 profile=${4:-member}
shift $(($# < 4 ? $# : 4))
plugins=("$@")
jlink="$java_home/bin/jlink"
[ -x "$jlink" ] || { echo "jlink not found at $jlink: build with a full JDK 17+" >&2; exit 1; }
rm -rf "$out"
launchers=(--launcher "rpcx=rpcx.cli/rpcx.cli.Rpcx")
gateway=(--launcher "rpcx-gateway=rpcx.gateway/rpcx.gateway.GatewayMain")
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
  standard)
    add=rpcx.api,rpcx.cli,rpcx.transport.tcp,rpcx.codec.msgpack,rpcx.codec.json,rpcx.codec.protobuf,rpcx.gateway,java.logging
    launchers+=("${gateway[@]}")
    ;;
  full)
    add=rpcx.api,rpcx.cli,rpcx.transport.tcp,rpcx.transport.kcp,rpcx.transport.quic,rpcx.codec.msgpack,rpcx.codec.json
    add=$add,rpcx.codec.protobuf,rpcx.codec.thrift,rpcx.gateway,rpcx.transfer,rpcx.plugins,rpcx.registry.zookeeper,java.logging
    launchers+=("${gateway[@]}")
    ;;
  *) echo "unknown profile '$profile' (member, minimal, standard, full)" >&2; exit 2 ;;
esac
# EC keys (a PKCS#12 key store made with -keyalg EC, for -keystore) need jdk.crypto.ec on JDK 17 (java.base has
# them from JDK 22 on, where the module is an empty shell)
if [[ $profile == member || $profile == full ]] && "$java_home/bin/java" --list-modules | grep -q '^jdk.crypto.ec@'; then
  add="$add,jdk.crypto.ec"
fi
natives=()
ls "$modules" | grep -q 'netty-transport-native-epoll-.*linux-x86_64' && natives+=(io.netty.transport.epoll.linux.x86_64)
[[ $add == *rpcx.transport.quic* ]] && natives+=(io.netty.codec.quic.linux.x86_64)

# the plugins' closures, staged from <modules dir>: a lib jar is matched by its name without the version
stage=
if [ ${#plugins[@]} -gt 0 ]; then
  stage=$(mktemp -d)
  trap 'rm -rf "$stage"' EXIT
  for spec in "${plugins[@]}"; do
    name=${spec%%=*} lib=${spec#*=}
    [ -d "$lib" ] || { echo "no $lib: package $name first (its runtime closure is copied there)" >&2; exit 1; }
    cp "$modules/$name"-[0-9]*.jar "$stage/"
    for jar in "$lib"/*.jar; do
      key=$(basename "$jar" | sed -E 's/-[0-9].*\.jar$//')
      # a library the image build swapped for an explicit module (protobuf-java) is not in <modules dir>: skipped
      find "$modules" -maxdepth 1 -name "$key-[0-9]*.jar" -exec cp {} "$stage/" \;
    done
  done
  jdk=$("$java_home/bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps \
    --module-path "$stage" --add-modules ALL-MODULE-PATH)
  add="$add,$jdk"
fi

add="$add${natives[*]:+,$(IFS=,; echo "${natives[*]}")}"
opts="-Drpcx.image=true"
[ ${#natives[@]} -gt 0 ] && opts="$opts --add-modules=$(IFS=,; echo "${natives[*]}")"
"$jlink" --module-path "$modules" \
  --add-modules "$add" \
  "--add-options=$opts" \
  "${launchers[@]}" \
  --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$out"

if [ -n "$stage" ]; then
  mkdir "$out/plugins"
  linked=" $("$out/bin/java" --list-modules | sed 's/@.*//' | tr '\n' ' ') "
  # "name[@version] file:///path [automatic]" for each module of the staging folder
  "$java_home/bin/java" --module-path "$stage" --list-modules | grep ' file:' | while read -r mod uri _; do
    [[ $linked == *" ${mod%%@*} "* ]] || cp "${uri#file://}" "$out/plugins/"
  done
  # java with the plugins (and RPCX_MODULE_PATH, colon-separated: the application's modules) on the module path
  cat > "$out/bin/rpcx-java" <<'EOF'
#!/bin/sh
# java with this image's plugins/ and $RPCX_MODULE_PATH (an application's jars, colon-separated) on the module path:
#   RPCX_MODULE_PATH=app.jar bin/rpcx-java -m app/app.Main
DIR=$(dirname "$0")
exec "$DIR"/java --module-path "$DIR/../plugins${RPCX_MODULE_PATH:+:$RPCX_MODULE_PATH}" \
  --add-modules ALL-MODULE-PATH,ALL-SYSTEM "$@"
EOF
  chmod +x "$out/bin/rpcx-java"
fi
# jlink's launchers run java as a child of the script; exec it instead, so a signal to the launcher (SIGTERM from a
# service manager, SIGHUP for a restart) reaches the JVM and its graceful shutdown. In a hybrid image they go
# through bin/rpcx-java, which puts the plugins on the module path.
for launcher in "$out"/bin/member-* "$out"/bin/rpcx "$out"/bin/rpcx-gateway; do
  [ -f "$launcher" ] || continue
  if [ -n "$stage" ]; then
    sed -i 's|^\$DIR/java |exec "$DIR"/rpcx-java |' "$launcher"
  else
    sed -i 's|^\$DIR/java |exec "$DIR"/java |' "$launcher"
  fi
done
if [ -n "$stage" ]; then # every plugin resolves with the image's modules, or the build fails here
  "$out/bin/rpcx-java" --dry-run -m rpcx.cli/rpcx.cli.Rpcx
fi
echo "jlink image ($profile): $out ($(du -sh "$out" | cut -f1)), modules: $("$out/bin/java" --list-modules | wc -l)" \
  "${stage:+, plugins/: $(ls "$out/plugins" | wc -l) jars ($(du -sh "$out/plugins" | cut -f1))}"
