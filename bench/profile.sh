#!/usr/bin/env bash
# Profiles Lunar under one bench workload with JDK Flight Recorder.
#
#   bench/profile.sh WORKLOAD [SECONDS] [OUT.jfr]
#
# WORKLOAD is one of bench/run.sh's: randread-4k-qd32, seqwrite-4k-qd32, seqread-1m-qd8,
# seqwrite-1m-qd8. Starts the daemon the way bench/run.sh does (tmpfs LUN, the launcher's JVM
# defaults), records while the workload runs, then prints the hottest methods.
#   JFR_EXTRA='jdk.CPUTimeSample#enabled=true'  adds CPU-time sampling (JDK 25; counts native and
#                                              kernel time too, which the default sampler misses)
#   PROFILE_THREADS=1                           prints CPU ticks per thread group (bench/threads.sh)
#   PROFILE_LOG=FILE                            keeps the daemon's log
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

workload=${1:?workload}
seconds=${2:-15}
out=${3:-/tmp/lunar-$workload.jfr}
source bench/lunar-daemon.sh
work=$(mktemp -d /dev/shm/lunar-profile.XXXXXX)
port=$(free_port)
lunar_pid=""
cleanup() {
  # wait answers the killed daemon's status (143): keep it from ending the trap under set -e.
  if [ -n "$lunar_pid" ]; then kill "$lunar_pid" 2>/dev/null || true; wait "$lunar_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
truncate -s 1G "$work/lunar.img"
start_lunar target-agent/target/target-agent.jar "$work" "$port"
pid=$lunar_pid url=$lunar_url

drive() {
  case "$workload" in
    randread-4k-qd32) iscsi-perf -r -m 32 -b 8 -t "$1" "$url" 2>&1 | tr '\r' '\n' | grep 'iops average' | tail -1 ;;
    seqwrite-4k-qd32) qemu-img bench -f raw -w -c 1000000000 -d 32 -s 4096 "$url" & sleep "$1"; kill $! ;;
    seqread-1m-qd8) qemu-img bench -f raw -c 1000000000 -d 8 -s 1M "$url" & sleep "$1"; kill $! ;;
    seqwrite-1m-qd8) qemu-img bench -f raw -w -c 1000000000 -d 8 -s 1M "$url" & sleep "$1"; kill $! ;;
  esac
}
drive 3 >/dev/null 2>&1 || true # warm up the JIT
[ -n "${PROFILE_THREADS:-}" ] && (sleep 3; bench/threads.sh "$pid" 5 >&2) &
jcmd "$pid" JFR.start name=bench settings=profile ${JFR_EXTRA:-} filename="$out" >/dev/null
drive "$seconds" || true
jcmd "$pid" JFR.stop name=bench >/dev/null
echo "RSS: $(awk '/VmHWM/ {print $2/1024 " MiB peak"}' "/proc/$pid/status"), $(awk '/VmRSS/ {print $2/1024 " MiB now"}' "/proc/$pid/status")"
[ -n "${PROFILE_LOG:-}" ] && cp "$work/lunar.log" "$PROFILE_LOG"
jfr view --width 160 hot-methods "$out" | head -40
