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
#
# JIT: C2 only (-XX:-TieredCompilation). With C1's tiers every warm method was compiled twice, C1's
# profiled code first, and the two overlapped: the daemon's peak RSS under the bench was 111-124
# MiB; C2 alone with the AOT cache below, 103 MiB, idle 65 MiB (69 before), no more CPU per I/O once
# the hot path is compiled (docs/benchmarks.md, 2026-12-07). Not taken: Netty's direct buffers
# through sun.misc.Unsafe (-Dio.netty.noUnsafe=false) instead of its FFM downcall to malloc gave a
# bench peak of 91-94 MiB and idle 63, but HostileInitiatorIT's 432 connections then peaked at
# 104-136 MiB instead of 80, and it is an API the JDK is removing.
#
# Inlining: C2 inlines a hot callee of up to 180 bytecodes, not 325 (-XX:FreqInlineSize=180). The
# peak was a compilation's working memory, not data: C2 compiles one method at a time here, and the
# session's hot entry points (AnswerShare.resume, CommandFlow.finish, the pipeline's write) pulled
# whole call trees of large Netty and session methods into one graph, whose register allocation
# took 17-23 MB each (-XX:CompileCommand=MemStat) during the first seconds of load. With the
# limit the largest compilation under load takes 12 MB; the bench's peak fell from 96-104 to 88-91
# MiB, with the same CPU per I/O (docs/benchmarks.md, 2026-12-07 05:56).
#
# Buffers: Netty's unpooled allocator (-Dio.netty.allocator.type=unpooled), not its adaptive pool.
# Every buffer is malloc'd and freed when released, and glibc with the settings above is the pool:
# the adaptive allocator's chunks stayed with it after a load (about 2.5 MiB more 15 s after the
# bench's workloads, 2 MiB more at its peak) and it spent no less CPU per I/O: two alternating
# rounds of bench/run.sh each, 4 KiB reads 7.3-7.7 against 7.7-8.2 µs, 4 KiB writes 6.6-7.2
# against 7.5-7.8, 1 MiB writes 513-547 against 556-568 (docs/benchmarks.md, 2026-12-07 16:25).
#
# AOT cache: for `-jar JAR`, a JDK AOT cache beside the jar (JAR without .jar, plus .aot; or
# $LUNAR_AOT_CACHE) newer than the jar is used: the classes the daemon needs come mapped and linked,
# and its JIT starts from the profiles of a training run instead of gathering them. Make it with
#   scripts/lunar-java.sh --train JAR
# which runs the jar's built-in workload (`train`) under these options and writes the cache (about
# 10 s). The image makes its own at build time. Without a cache, or with LUNAR_JAVA_OPTS, the JVM
# runs as before.
set -euo pipefail
defaults="-XX:+UseSerialGC -Xms8m -Xmn4m -Xmx128m -XX:MaxDirectMemorySize=96m -XX:ReservedCodeCacheSize=32m -XX:TrimNativeHeapInterval=5000 -XX:-TieredCompilation -XX:FreqInlineSize=180 -Dio.netty.jfr.enabled=false -Dio.netty.allocator.type=unpooled --enable-native-access=ALL-UNNAMED"
export MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-33554432}
export MALLOC_TRIM_THRESHOLD_=${MALLOC_TRIM_THRESHOLD_:-67108864}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}

# The AOT cache of JAR.
aot_cache() { echo "${LUNAR_AOT_CACHE:-${1%.jar}.aot}"; }

if [ "${1:-}" = --train ]; then
  [ $# -eq 2 ] && [ -f "$2" ] || { echo "usage: scripts/lunar-java.sh --train JAR" >&2; exit 2; }
  cache=$(aot_cache "$2")
  rm -f "$cache"
  # shellcheck disable=SC2086 # the options are a word list on purpose
  exec java ${LUNAR_JAVA_OPTS:-$defaults} -XX:AOTCacheOutput="$cache" -jar "$2" train
fi

options=${LUNAR_JAVA_OPTS:-$defaults}
if [ -z "${LUNAR_JAVA_OPTS:-}" ]; then
  previous=""
  for arg in "$@"; do
    if [ "$previous" = -jar ]; then
      cache=$(aot_cache "$arg")
      [ "$cache" -nt "$arg" ] && options="$options -XX:AOTCache=$cache"
      break
    fi
    previous=$arg
  done
fi
# shellcheck disable=SC2086 # the options are a word list on purpose
exec java $options "$@"
