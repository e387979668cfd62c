# Sourced by the bench scripts: a free loopback port, and a Lunar daemon serving one tmpfs LUN.
# shellcheck shell=bash

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_lunar JAR WORK_DIR PORT [LUN_FILE]: exports LUN_FILE (default WORK_DIR/lunar.img; it must
# exist) as LUN 1 of iqn.2026-11.dev.lunar:bench on 127.0.0.1:PORT through the launcher's JVM
# defaults, waits for the portal, and sets lunar_pid and lunar_url.
start_lunar() {
  local jar=$1 work=$2 port=$3 lun=${4:-$2/lunar.img}
  cat >"$work/lunar.yaml" <<YAML
targets:
  - tid: 1
    iqn: iqn.2026-11.dev.lunar:bench
    initiatorAddresses: [ALL]
    luns:
      - lun: 1
        backingStore: $lun
YAML
  LUNAR_CONTROL_DIR="$work/ctl" scripts/lunar-java.sh -jar "$jar" tgtd -f -C 9 \
    --iscsi "portal=127.0.0.1:$port" --config "$work/lunar.yaml" >"$work/lunar.log" 2>&1 &
  lunar_pid=$!
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
  lunar_url="iscsi://127.0.0.1:$port/iqn.2026-11.dev.lunar:bench/1"
}
