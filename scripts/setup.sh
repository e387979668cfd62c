#!/usr/bin/env bash
# Installs what Lunar needs on a Debian machine, idempotently, and selects JDK 25.
# Both README commands source this first. When everything is present it takes well under a second.
#
#   source scripts/setup.sh      exports JAVA_HOME and PATH for JDK 25
#   scripts/setup.sh             the same checks and installs, for a one-off run
set -euo pipefail

lunar_log() { printf 'setup: %s\n' "$*" >&2; }

# Debian packages: real iSCSI initiators (libiscsi, qemu-img over iscsi://) and the reference target (tgt).
lunar_install_packages() {
  local wanted=(libiscsi-bin qemu-utils qemu-block-extra tgt) missing=()
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
  apt-get update -qq >/dev/null
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

lunar_setup() {
  lunar_install_packages
  local jdk
  if ! jdk=$(lunar_find_jdk25); then
    lunar_log "no JDK 25 found under /usr/lib/jvm (or JAVA_HOME); install a JDK 25 (for example Temurin 25) and run again"
    return 1
  fi
  export JAVA_HOME="$jdk"
  export PATH="$JAVA_HOME/bin:$PATH"
  command -v curl >/dev/null || { lunar_log "curl is needed to fetch Maven through ./mvnw: apt-get install curl"; return 1; }
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  lunar_setup
  lunar_log "ready: JAVA_HOME=$JAVA_HOME"
else
  lunar_setup || return 1
fi
