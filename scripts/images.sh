#!/usr/bin/env bash
# Builds Lunar's two container images on this machine, from nothing a registry has to serve:
#
#   1. a Debian bookworm base from `debootstrap --variant=minbase` (the Debian mirror apt uses) with
#      open-iscsi and xfsprogs for the CSI node service, lvm2 and thin-provisioning-tools for LVM pools,
#      slimmed, with a Java 25 runtime `jlink`ed from this machine's JDK 25 at /opt/java/openjdk, the
#      layout of the public eclipse-temurin images: lunar/jre:25-bookworm
#   2. target-agent/Dockerfile and operator/Dockerfile on that base (BASE_IMAGE build argument; their
#      default stays the public eclipse-temurin:25-jre): lunar/target-agent:TAG and lunar/operator:TAG
#   3. the pod sandbox image the test cluster's containerd needs, from scripts/cluster/pause.c:
#      lunar/pause:1
#   4. the CSI sidecars external-provisioner and external-attacher, when their binaries were built
#      (operator/src/test/go/csi-tools): lunar/csi-provisioner:VERSION, lunar/csi-attacher:VERSION
#
# and prints their sizes. Needs root (debootstrap) and the jars (./mvnw -DskipTests package).
#
#   scripts/images.sh [--save FILE]   build; with --save, also write all three to one docker-archive
#                                     tar that `ctr images import` takes
#   scripts/images.sh --with-engine COMMAND...
#                                     run COMMAND with a Docker engine answering at DOCKER_HOST
#
# Docker: an engine that already answers is used as it is; otherwise the script starts a private
# dockerd (Debian's docker.io, which setup.sh installs) with no network of its own (no bridge, no
# iptables rules), keeps its images under $LUNAR_CACHE/docker so that later builds are quick, and
# stops it before it returns.
#
#   LUNAR_CACHE       where the base rootfs and the private engine's images are kept
#                     (default ~/.cache/lunar)
#   LUNAR_IMAGE_TAG   the tag of both images (default: the chart's appVersion)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cache=${LUNAR_CACHE:-$HOME/.cache/lunar}
tag=${LUNAR_IMAGE_TAG:-$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' helm/lunar/Chart.yaml)}
base=lunar/jre:25-bookworm
pause=lunar/pause:1
# The Java modules both jars need (jdeps --print-module-deps over the shaded jars).
modules=java.base,java.compiler,java.desktop,java.naming,java.net.http,java.sql,jdk.httpserver,jdk.jfr,jdk.management,jdk.unsupported

say() { printf 'images: %s\n' "$*" >&2; }
fail() {
  say "$*"
  exit 1
}

engine_dir=/run/lunar-docker
engine_pid=""
# Run-time directories dockerd and its containerd make outside the engine's own (plugin sockets,
# the runc shims' socket directory): removed with the engine if they were not there before.
engine_paths=(/run/docker /run/containerd)
engine_made=()

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

# Starts the private dockerd unless an engine already answers; exports DOCKER_HOST either way.
engine_up() {
  engine_answers && return 0
  command -v dockerd >/dev/null || fail "no Docker engine answers and dockerd is not installed (scripts/setup.sh installs docker.io)"
  mkdir -p "$cache/docker"
  export DOCKER_HOST=unix://$engine_dir/docker.sock
  engine_answers && return 0
  local path
  for path in "${engine_paths[@]}" "$engine_dir"; do
    [ -e "$path" ] || engine_made+=("$path")
  done
  mkdir -p "$engine_dir"
  say "starting a private dockerd (data: $cache/docker, log: $cache/dockerd.log)"
  setsid dockerd --host "$DOCKER_HOST" --data-root "$cache/docker" --exec-root "$engine_dir/exec" \
    --pidfile "$engine_dir/dockerd.pid" --bridge none --iptables=false --ip6tables=false --ip-masq=false \
    --storage-driver overlay2 >"$cache/dockerd.log" 2>&1 </dev/null &
  engine_pid=$!
  for _ in $(seq 120); do
    engine_answers && return 0
    kill -0 "$engine_pid" 2>/dev/null || break
    sleep 0.5
  done
  tail -n 20 "$cache/dockerd.log" >&2 || true
  fail "the private dockerd did not answer within 60 s (its log is above)"
}

# Stops the private dockerd (and the containerd it started), if this script started it.
engine_down() {
  [ -n "$engine_pid" ] || return 0
  kill -TERM "$engine_pid" 2>/dev/null || return 0
  for _ in $(seq 100); do
    kill -0 "$engine_pid" 2>/dev/null || break
    sleep 0.2
  done
  kill -KILL "$engine_pid" 2>/dev/null || true
  wait "$engine_pid" 2>/dev/null || true
  engine_pid=""
  [ ${#engine_made[@]} -eq 0 ] || rm -rf "${engine_made[@]}"
}
trap engine_down EXIT

# What the CSI node service runs besides minbase: open-iscsi's iscsiadm (it talks to the node's
# iscsid), and mkfs.xfs (mkfs.ext4, blkid and mount are in minbase). What the agent runs for LVM
# pools: lvm2's tools, and thin-provisioning-tools, whose thin_check LVM runs to activate a thin
# pool (only a Recommends of lvm2, which debootstrap leaves out). The cache tar's name and the base
# image's label both carry this list, so a change rebuilds both.
packages=open-iscsi,xfsprogs,lvm2,thin-provisioning-tools

# The minbase root filesystem with $packages, made once per machine and kept as a tar.
rootfs_tar() {
  local tar=$cache/bookworm-minbase+${packages//,/+}.tar
  if [ ! -s "$tar" ]; then
    command -v debootstrap >/dev/null || fail "debootstrap is not installed (scripts/setup.sh installs it)"
    local mirror work
    # The mirror apt already uses on this machine.
    mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p;s/^deb \(http[^ ]*debian\) bookworm main.*/\1/p' \
      /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | head -1)
    work=$(mktemp -d)
    say "debootstrap --variant=minbase --include=$packages bookworm from ${mirror:=http://deb.debian.org/debian} (about a minute, once)"
    debootstrap --variant=minbase --include="$packages" bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
      fail "debootstrap failed: $(tail -n 5 "$work/debootstrap.log")"
    # What a container never reads: documentation, manuals, translations, apt's package lists.
    # The initiator name open-iscsi's install generated: a node's own comes from its /etc/iscsi.
    rm -rf "$work"/rootfs/usr/share/{doc,man,info,locale} "$work"/rootfs/var/cache/apt/* \
      "$work"/rootfs/var/lib/apt/lists/* "$work"/rootfs/var/log/* "$work"/rootfs/etc/iscsi/initiatorname.iscsi
    mkdir -p "$cache"
    tar --numeric-owner -C "$work/rootfs" -cf "$tar.partial" . && mv "$tar.partial" "$tar"
    rm -rf "$work"
  fi
  echo "$tar"
}

# The base image, rebuilt when this machine's JDK or the module list changes (a label records both).
build_base() {
  local jdk=${JAVA_HOME:?source scripts/setup.sh first: JAVA_HOME must be a JDK 25}
  local stamp
  stamp="$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$jdk/release") $modules $packages"
  if [ "$(docker image inspect -f '{{index .Config.Labels "dev.lunar.jre"}}' "$base" 2>/dev/null)" = "$stamp" ]; then
    return 0
  fi
  local tar work
  tar=$(rootfs_tar)
  work=$(mktemp -d)
  say "jlink a Java runtime of $(echo "$modules" | tr ',' ' ' | wc -w) modules from $jdk"
  # A default CDS archive keeps the JVM's start quick although the modules are compressed.
  "$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --compress zip-6 --generate-cds-archive --output "$work/openjdk"
  cp "$tar" "$work/base.tar"
  tar --numeric-owner --owner 0 --group 0 -C "$work" --transform 's,^openjdk,opt/java/openjdk,' \
    -rf "$work/base.tar" openjdk
  docker import \
    --change 'ENV JAVA_HOME=/opt/java/openjdk' \
    --change 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change "LABEL dev.lunar.jre=\"$stamp\"" \
    --change 'CMD ["jshell"]' \
    "$work/base.tar" "$base" >/dev/null
  rm -rf "$work"
}

build_pause() {
  docker image inspect "$pause" >/dev/null 2>&1 && return 0
  local work
  work=$(mktemp -d)
  gcc -static -Os -s -o "$work/pause" scripts/cluster/pause.c || fail "compiling scripts/cluster/pause.c failed"
  tar --owner 0 --group 0 -C "$work" -cf "$work/pause.tar" pause
  docker import --change 'ENTRYPOINT ["/pause"]' "$work/pause.tar" "$pause" >/dev/null
  rm -rf "$work"
}

build_app() {
  local dir=$1 jar=$2 name=$3
  [ -s "$dir/target/$jar" ] || fail "$dir/target/$jar is missing: build the jars first (./mvnw -DskipTests package)"
  # No network inside the build: the Dockerfiles fetch nothing.
  local log
  log=$(mktemp)
  docker build --quiet --network none --build-arg "BASE_IMAGE=$base" -t "lunar/$name:$tag" "$dir" >"$log" 2>&1 ||
    fail "docker build of $dir failed: $(cat "$log")"
  rm -f "$log"
}

# The CSI sidecars, when operator/src/test/go/csi-tools/build.sh built them (./lunar test does):
# each static binary alone in an image, tagged with the version it was built from. No registry
# serves the official images here; with one, the chart's defaults pull those instead.
csi_tools=${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/csi-tools
sidecars=()
build_sidecars() {
  local tool version work
  for tool in csi-provisioner csi-attacher; do
    [ -x "$csi_tools/$tool" ] && [ -f "$csi_tools/.$tool.version" ] || continue
    version=$(cat "$csi_tools/.$tool.version")
    sidecars+=("lunar/$tool:$version")
    docker image inspect "lunar/$tool:$version" >/dev/null 2>&1 && continue
    work=$(mktemp -d)
    cp "$csi_tools/$tool" "$work/$tool"
    tar --owner 0 --group 0 -C "$work" -cf "$work/$tool.tar" "$tool"
    docker import --change "ENTRYPOINT [\"/$tool\"]" --change 'USER 65532:65532' "$work/$tool.tar" "lunar/$tool:$version" >/dev/null
    rm -rf "$work"
  done
}

size_mib() { docker image inspect -f '{{.Size}}' "$1" | awk '{printf "%.0f MiB", $1 / 1048576}'; }

if [ "${1:-}" = --with-engine ]; then
  shift
  engine_up
  if [ -n "$engine_pid" ]; then
    # The private engine has no bridge network, which Testcontainers asks for to learn the engine's
    # address, and Ryuk, its clean-up container, would need an image from a registry.
    export TESTCONTAINERS_HOST_OVERRIDE=localhost TESTCONTAINERS_RYUK_DISABLED=true
  fi
  set +e
  "$@"
  status=$?
  engine_down
  exit "$status"
fi

save=""
case "${1:-}" in
  "") ;;
  --save) save=${2:?--save needs a file} ;;
  *) fail "unknown option $1 (see the top of $0)" ;;
esac
[ "$(id -u)" -eq 0 ] || fail "building the base image needs root (debootstrap)"
started=$SECONDS
engine_up
build_base
build_pause
build_sidecars
build_app target-agent target-agent.jar target-agent
# The agent's AOT cache (made in its Dockerfile) must be usable by the image's own runtime, jar and
# options: -XX:AOTMode=on makes the JVM refuse to start otherwise, where the default only warns.
docker run --rm --network none --entrypoint /bin/sh "lunar/target-agent:$tag" \
  -c 'exec java $LUNAR_JAVA_OPTS -XX:AOTMode=on -jar /opt/lunar/target-agent.jar version' >/dev/null ||
  fail "lunar/target-agent:$tag cannot use its AOT cache (target-agent/Dockerfile)"
build_app operator operator.jar operator
say "built in $((SECONDS - started)) s: $base $(size_mib "$base"), lunar/target-agent:$tag $(size_mib "lunar/target-agent:$tag"), lunar/operator:$tag $(size_mib "lunar/operator:$tag"), $pause $(size_mib "$pause")${sidecars:+, ${sidecars[*]}}"
if [ -n "$save" ]; then
  mkdir -p "$(dirname "$save")"
  docker save -o "$save" "lunar/target-agent:$tag" "lunar/operator:$tag" "$pause" "${sidecars[@]}"
  say "saved to $save"
fi
