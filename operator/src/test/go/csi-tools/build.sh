#!/usr/bin/env bash
# Builds the official Kubernetes CSI test tools from their Go modules (Go module proxy only).
#
#   build.sh OUTDIR [TOOL...]
#
# Builds csi-sanity, csi-provisioner and csi-attacher (or only the TOOLs named) into OUTDIR. Idempotent: a tool whose binary
# is already in OUTDIR at the pinned version (recorded in OUTDIR/.<tool>.version) is skipped.
# csi-node-driver-registrar and livenessprobe are not served by the Go module proxy, so they
# cannot be built here; the script says so and goes on. See README.md.
set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: $0 OUTDIR [TOOL...]" >&2
    exit 2
fi

HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
OUT=$(cd "$1" && pwd)
shift
WANTED=" ${*:-csi-sanity csi-provisioner csi-attacher} "
wanted() { [[ "$WANTED" == *" $1 "* ]]; }

# Pinned versions. csi-sanity's version is in this directory's go.mod; the sidecars are pinned here
# because each is built inside its own module, with the go.mod/go.sum it was released with.
PROVISIONER_MODULE=github.com/kubernetes-csi/external-provisioner/v6
PROVISIONER_VERSION=v6.4.0
ATTACHER_MODULE=github.com/kubernetes-csi/external-attacher/v4
ATTACHER_VERSION=v4.13.0
SANITY_MODULE=github.com/kubernetes-csi/csi-test/v5

if ! command -v go >/dev/null 2>&1; then
    export PATH="/usr/local/go/bin:$PATH"
fi
command -v go >/dev/null 2>&1 || { echo "build.sh: no go command (looked on PATH and in /usr/local/go/bin)" >&2; exit 1; }

# Same flags as the upstream release builds (release-tools/build.make): static, no cgo.
# GOFLAGS is set, not inherited, so a -mod=mod or similar in the caller's environment cannot
# rewrite or re-resolve anyone's go.mod; GOWORK=off keeps a stray go.work out of it.
export CGO_ENABLED=0 GOWORK=off GOFLAGS=-buildvcs=false

SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT

human_size() { # bytes -> "NN MiB"
    echo "$(( ($1 + 524288) / 1048576 )) MiB"
}

# is_current NAME VERSION: OUTDIR/NAME exists and was built from VERSION (then say so).
is_current() {
    local bin="$OUT/$1" stamp="$OUT/.$1.version"
    if [ -x "$bin" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$2" ]; then
        echo "$1 $2: present in $OUT, skipped"
        return 0
    fi
    return 1
}

# build_tool NAME VERSION WORKDIR PACKAGE LDFLAGS_X
# Runs `go build PACKAGE` in WORKDIR and installs the result as OUTDIR/NAME. WORKDIR may be
# module:PATH, meaning the module cache directory of module PATH at VERSION (downloaded first).
build_tool() {
    local name=$1 version=$2 workdir=$3 pkg=$4 xflag=$5 start=$SECONDS
    if [ "${workdir#module:}" != "$workdir" ]; then
        workdir=$(module_dir "${workdir#module:}" "$version") || exit 1
    fi
    local bin="$OUT/$name" stamp="$OUT/.$name.version"
    local log="$SCRATCH/$name.log" tmp="$OUT/.$name.tmp.$$"
    if ! (cd "$workdir" && go build -mod=readonly -trimpath \
            -ldflags "-s -w -X $xflag=$version" -o "$tmp" "$pkg") >"$log" 2>&1; then
        rm -f "$tmp"
        echo "$name $version: BUILD FAILED; go said:" >&2
        cat "$log" >&2
        exit 1
    fi
    mv -f "$tmp" "$bin"
    echo "$version" >"$stamp"
    echo "$name $version: built in $(( SECONDS - start )) s, $(human_size "$(stat -c %s "$bin")")"
}

# module_dir MODULE VERSION -> prints the (read-only) module cache directory, downloading it first.
# Runs outside any module so nothing's go.mod or go.sum is touched; the download is checked
# against the checksum database like any module download.
module_dir() {
    local json
    json=$(cd "$SCRATCH" && go mod download -json "$1@$2") || {
        echo "build.sh: go mod download $1@$2 failed:" >&2
        echo "$json" >&2
        exit 1
    }
    local dir
    dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")
    [ -n "$dir" ] && [ -f "$dir/go.mod" ] || { echo "build.sh: no module directory for $1@$2" >&2; exit 1; }
    echo "$dir"
}

# 1. csi-sanity: a plain dependency of this module (go.mod `tool` line); its go.mod has no
#    replace directives, so the build list here is exactly the one it was released with.
SANITY_VERSION=$(sed -n "s|^[[:space:]]*$SANITY_MODULE \(v[^ ]*\).*|\1|p" "$HERE/go.mod")
[ -n "$SANITY_VERSION" ] || { echo "build.sh: no $SANITY_MODULE version in $HERE/go.mod" >&2; exit 1; }
! wanted csi-sanity || is_current csi-sanity "$SANITY_VERSION" ||
    build_tool csi-sanity "$SANITY_VERSION" "$HERE" "$SANITY_MODULE/cmd/csi-sanity" main.VERSION

# 2./3. The sidecars: their go.mod files carry replace directives (k8s.io/* pins), which `go install
#    pkg@version` refuses and a requiring module would ignore, and their main packages cannot be
#    imported. So build each one inside its own downloaded module, under its own go.mod and go.sum.
#    -mod=readonly: the module cache copy is read-only and nothing needs writing.
! wanted csi-provisioner || is_current csi-provisioner "$PROVISIONER_VERSION" ||
    build_tool csi-provisioner "$PROVISIONER_VERSION" "module:$PROVISIONER_MODULE" ./cmd/csi-provisioner main.version
! wanted csi-attacher || is_current csi-attacher "$ATTACHER_VERSION" ||
    build_tool csi-attacher "$ATTACHER_VERSION" "module:$ATTACHER_MODULE" ./cmd/csi-attacher main.version

# 4./5. Not served by the Go module proxy (every version, `latest` and the version list answer
#    403 "This module version is not available"), so there is nothing to build from.
[ $# -gt 0 ] && exit 0
echo "csi-node-driver-registrar: not built: github.com/kubernetes-csi/node-driver-registrar is not served by the Go module proxy (see README.md)"
echo "livenessprobe: not built: github.com/kubernetes-csi/livenessprobe is not served by the Go module proxy (see README.md)"
