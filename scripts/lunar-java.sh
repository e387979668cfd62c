#!/usr/bin/env bash
# Runs the JVM with the agent's defaults: a bounded heap and direct memory so the daemon's RSS stays
# predictable next to the workloads it serves, and native access for the FFM calls (fallocate, ioctl).
# LUNAR_JAVA_OPTS replaces the defaults.
set -euo pipefail
defaults="-XX:+UseSerialGC -Xms32m -Xmx128m -XX:MaxDirectMemorySize=96m -XX:ReservedCodeCacheSize=32m --enable-native-access=ALL-UNNAMED"
# shellcheck disable=SC2086 # the options are a word list on purpose
exec java ${LUNAR_JAVA_OPTS:-$defaults} "$@"
