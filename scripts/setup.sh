#!/usr/bin/env bash
# Installs what Lunar needs on a Debian machine, idempotently, and selects JDK 25.
# Both README commands source this first. When everything is present it takes well under a second.
#
#   source scripts/setup.sh      exports JAVA_HOME and PATH for JDK 25
#   scripts/setup.sh             the same checks and installs, for a one-off run
#   scripts/setup.sh WHAT...     only those Go builds (lunar_kube_builds: release, newest, csi-sanity,
#                                csi-sidecars), as ./lunar test runs them in the background
#
# It also builds the real Kubernetes components for the operator's tests, the single-node test
# cluster and `./lunar run`, once per machine (the first build takes about 10 minutes; later runs only
# check that the binaries are there), and installs what that cluster and the image build need.
# Set LUNAR_SKIP_KUBE_APISERVER=1 to skip both, for example when only running the target.
set -euo pipefail

LUNAR_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

lunar_log() { printf 'setup: %s\n' "$*" >&2; }

# Debian packages: real iSCSI initiators (libiscsi, qemu-img over iscsi://) and the reference target
# (tgt); with Kubernetes, what the node of the test cluster runs on (containerd, runc, the CNI
# plugins, iptables and conntrack for kube-proxy, jq for the runtime wrapper) and what builds the
# images (docker.io, debootstrap, gcc for the pod sandbox program).
lunar_install_packages() {
  local wanted=(libiscsi-bin qemu-utils qemu-block-extra tgt) missing=()
  [ -n "${LUNAR_SKIP_KUBE_APISERVER:-}" ] || wanted+=(containerd runc containernetworking-plugins
    iptables conntrack jq docker.io debootstrap gcc libc6-dev)
  local pkg
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    lunar_log "missing Debian packages: ${missing[*]}; run this script as root once to install them"
    return 1
  fi
  lunar_log "installing ${missing[*]} (apt-get)"
  apt-get update -qq >/dev/null &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# JDK 25: the machine's default java may be older, so look under /usr/lib/jvm explicitly.
lunar_find_jdk25() {
  local candidate version
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] && [ -f "$candidate/release" ] || continue
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$candidate/release")
    if [ "${version:-0}" -ge 25 ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

# The official Kubernetes components, built from the Go modules pinned in
# operator/src/test/go/kubernetes/go.mod, placed where fabric8's kube-api-test looks for the API
# server in offline mode: $KUBE_API_TEST_DIR (default ~/.kubeapitest)/k8s/<version>-linux-<arch>/.
# The directory of those binaries (printed); `./lunar run` starts them from there too.
# The Go module of a Kubernetes release under operator/src/test/go: "kubernetes" (the release the
# node and every API-server test run, the default) or "kube-apiserver-newest" (the newest stable
# API server, for a second run of the API-server suites).
lunar_kube_bin_dir() {
  local version arch
  version=$(lunar_kube_version "${1:-kubernetes}")
  case "$(uname -m)" in
    aarch64 | arm64) arch=arm64 ;;
    ppc64le) arch=ppc64le ;;
    *) arch=amd64 ;;
  esac
  echo "${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/$version-linux-$arch"
}

lunar_kube_version() {
  sed -n 's/^[[:space:]]*k8s.io\/kubernetes v\([0-9.]*\)$/\1/p' \
    "$LUNAR_ROOT/operator/src/test/go/${1:-kubernetes}/go.mod"
}

# etcd, the API server and kubectl serve the API-server tests and `./lunar run`; the others make the
# single-node cluster (scripts/cluster.sh).
LUNAR_KUBE_BINARIES=(etcd kube-apiserver kubectl kubelet kube-controller-manager kube-scheduler kube-proxy)

# LUNAR_TEST_TOOLS=1 adds what only the tests use: the newest stable API server, csi-sanity, and the
# external-provisioner and external-attacher sidecars (the PVC flow of CsiProvisioningIT).
# ./lunar test builds the same things itself, in the background while tests that need none of them
# run (lunar_kube_builds below).
lunar_kube_apiserver() {
  lunar_kube_builds release || return 1
  [ -n "${LUNAR_TEST_TOOLS:-}" ] || return 0
  lunar_kube_builds newest csi-sanity csi-sidecars
}

# lunar_kube_builds WHAT...: builds what is not built yet of each WHAT: release (the components of
# the Kubernetes release the node runs), newest (the newest stable API server, with its etcd and
# kubectl), csi-sanity, csi-sidecars (external-provisioner and external-attacher).
lunar_kube_builds() {
  local what csi_tools=("$LUNAR_ROOT/operator/src/test/go/csi-tools/build.sh" "$(lunar_csi_tools_dir)")
  for what in "$@"; do
    case "$what" in
      release) lunar_kube_build kubernetes "${LUNAR_KUBE_BINARIES[@]}" ;;
      newest) lunar_kube_build kube-apiserver-newest etcd kube-apiserver kubectl ;;
      csi-sanity) "${csi_tools[@]}" csi-sanity >&2 ;;
      csi-sidecars) "${csi_tools[@]}" csi-provisioner csi-attacher >&2 ;;
      *)
        lunar_log "lunar_kube_builds: unknown build $what (release, newest, csi-sanity, csi-sidecars)"
        return 2
        ;;
    esac || return 1
  done
}

# The CSI test tools (operator/src/test/go/csi-tools), beside the Kubernetes binaries.
lunar_csi_tools_dir() {
  echo "${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/csi-tools"
}

# lunar_kube_build MODULE BINARY...: builds the binaries of that module that are not built yet.
lunar_kube_build() {
  local module="$LUNAR_ROOT/operator/src/test/go/$1"
  local version dir binary missing=()
  version=$(lunar_kube_version "$1")
  dir=$(lunar_kube_bin_dir "$1")
  shift
  for binary in "$@"; do
    [ -x "$dir/$binary" ] || missing+=("$binary")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  command -v go >/dev/null || [ ! -x /usr/local/go/bin/go ] || export PATH="$PATH:/usr/local/go/bin"
  command -v go >/dev/null || {
    lunar_log "Go (1.26 or later) is needed once to build Kubernetes; install it, or set LUNAR_SKIP_KUBE_APISERVER=1"
    return 1
  }
  lunar_log "building ${missing[*]} v$version from the official Go modules into $dir"
  lunar_log "(first time on this machine: 5 to 10 minutes; Go's module and build caches make later builds fast)"
  local ldflags started ticker
  # Stamp the version the binaries report, as the upstream release build does.
  ldflags="-s -w"
  local pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=v$version -X $pkg.gitMajor=${version%%.*}"
    ldflags+=" -X $pkg.gitMinor=$(echo "$version" | cut -d. -f2) -X $pkg.gitTreeState=clean"
  done
  # One `go build` for all of them: Go then links one binary while it compiles another's packages,
  # where one build after another left a core idle during each link. Into a partial directory first:
  # a build cut short never leaves a binary that looks complete.
  local partial="$dir/.partial" packages=()
  rm -rf "$partial"
  mkdir -p "$partial"
  for binary in "${missing[@]}"; do
    packages+=("./cmd/$binary")
  done
  started=$SECONDS
  # The ticker takes its sleep with it when killed, so no sleep holds the caller's output open.
  (
    trap 'kill "$nap" 2>/dev/null; exit 0' TERM
    while :; do
      sleep 60 &
      nap=$!
      wait "$nap"
      lunar_log "  ... still building ($((SECONDS - started))s)"
    done
  ) &
  ticker=$!
  if ! (cd "$module" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "$ldflags" \
    -o "$partial/" "${packages[@]}"); then
    kill "$ticker" 2>/dev/null
    lunar_log "building ${missing[*]} failed (output above)"
    return 1
  fi
  kill "$ticker" 2>/dev/null
  for binary in "${missing[@]}"; do
    mv "$partial/$binary" "$dir/$binary"
  done
  rmdir "$partial"
  lunar_log "  built in $((SECONDS - started))s"
  lunar_log "Kubernetes v$version ready in $dir"
}

lunar_setup() {
  lunar_install_packages || { lunar_log "installing Debian packages failed"; return 1; }
  local jdk
  if ! jdk=$(lunar_find_jdk25); then
    lunar_log "no JDK 25 found under /usr/lib/jvm (or JAVA_HOME); install a JDK 25 (for example Temurin 25) and run again"
    return 1
  fi
  export JAVA_HOME="$jdk"
  export PATH="$JAVA_HOME/bin:$PATH"
  command -v curl >/dev/null || { lunar_log "curl is needed to fetch Maven through ./mvnw: apt-get install curl"; return 1; }
  # LUNAR_KUBE_BUILD_LATER (a plain variable, so that the caller's child processes do not inherit
  # it): the caller runs lunar_kube_builds itself.
  [ -n "${LUNAR_SKIP_KUBE_APISERVER:-}${LUNAR_KUBE_BUILD_LATER:-}" ] || lunar_kube_apiserver
}

if [ "${BASH_SOURCE[0]}" = "$0" ] && [ $# -gt 0 ]; then
  set -euo pipefail
  lunar_kube_builds "$@"
elif [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  lunar_setup
  lunar_log "ready: JAVA_HOME=$JAVA_HOME"
else
  lunar_setup || return 1
fi
