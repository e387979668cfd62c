#!/usr/bin/env bash
# What `./lunar run` starts after the build: the standalone tgtd-compatible daemon on an embedded
# default, a file-backed 1 GiB demo LUN (sparse) on 127.0.0.1:3260, until Ctrl-C.
#
#   LUNAR_DEMO_DIR   where the demo disk, state and control socket live (default: .lunar/demo)
#   LUNAR_DEMO_PORT  the iSCSI port (default 3260)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

dir=${LUNAR_DEMO_DIR:-$PWD/.lunar/demo}
port=${LUNAR_DEMO_PORT:-3260}
iqn=iqn.2026-11.dev.lunar:demo
mkdir -p "$dir"
[ -f "$dir/demo.img" ] || truncate -s 1G "$dir/demo.img"
cat >"$dir/demo.yaml" <<YAML
targets:
  - tid: 1
    iqn: $iqn
    initiatorAddresses: [ALL]
    luns:
      - lun: 1
        backingStore: $dir/demo.img
YAML

url="iscsi://127.0.0.1:$port/$iqn/1"
export LUNAR_CONTROL_DIR="$dir/control"
scripts/lunar-java.sh -jar target-agent/target/target-agent.jar tgtd -f -C 0 \
  --iscsi "portal=127.0.0.1:$port" --config "$dir/demo.yaml" --state-dir "$dir/state" &
daemon=$!
trap 'kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null' EXIT INT TERM

for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  kill -0 "$daemon" 2>/dev/null || { echo "run: the daemon did not start" >&2; exit 1; }
  sleep 0.2
done

cat <<MSG

Lunar is serving a 1 GiB demo disk at
  $url

Try:
  iscsi-ls -s iscsi://127.0.0.1:$port
  qemu-img bench -f raw -c 10000 -d 16 $url
  LUNAR_CONTROL_DIR=$dir/control java -jar target-agent/target/target-agent.jar tgtadm --lld iscsi --mode target --op show

Ctrl-C stops it.
MSG
wait "$daemon"
