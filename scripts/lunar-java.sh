#!/usr/bin/env bash
# Runs the JVM with the agent's defaults: a bounded heap and direct memory so the daemon's RSS stays
# predictable next to the workloads it serves, and native access for the FFM calls (fallocate, ioctl).
# LUNAR_JAVA_OPTS replaces the defaults.
#
# glibc malloc: Netty takes its direct-buffer chunks from malloc, and a 1 MiB read or write needs a
# chunk of its own. Above the default mmap threshold every such chunk was a fresh mmap, page-faulted
# in while the data was copied into it, then munmapped (bench/profile.sh seqread-1m-qd8). A 32 MiB
# threshold keeps them in the heap for reuse; two arenas and a 64 MiB trim threshold bound what is
# kept. Measured: CPU per 1 MiB read -37%, per 1 MiB write -27%, peak RSS no higher. Each setting
# already in the environment wins. What the trim threshold keeps under load goes back to the system
# when the load stops: -XX:TrimNativeHeapInterval trims malloc's free memory every 5 s (measured:
# RSS 15 s after the bench's four workloads 134 -> 96 MiB; peak unchanged).
#
# Heap: the daemon's live heap is about 10 MiB, so it starts at 8 MiB, not 32, with a fixed 4 MiB
# young generation; unbounded, SerialGC grew the young generation by 10 MiB within seconds of
# small-request load, and kept it. Netty's JFR events are off (-Dio.netty.jfr.enabled=false): their
# set-up loaded the JDK's flight recorder classes into every daemon. Measured with
# bench/profile.sh's daemon: RSS 10 s after start 79 -> 67 MiB together with the logging set up in
# code (dev.lunar.agent.logging.LogConfigurator); docs/benchmarks.md has the rest.
set -euo pipefail
defaults="-XX:+UseSerialGC -Xms8m -Xmn4m -Xmx128m -XX:MaxDirectMemorySize=96m -XX:ReservedCodeCacheSize=32m -XX:TrimNativeHeapInterval=5000 -Dio.netty.jfr.enabled=false --enable-native-access=ALL-UNNAMED"
export MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-33554432}
export MALLOC_TRIM_THRESHOLD_=${MALLOC_TRIM_THRESHOLD_:-67108864}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
# shellcheck disable=SC2086 # the options are a word list on purpose
exec java ${LUNAR_JAVA_OPTS:-$defaults} "$@"
