#!/usr/bin/env bash
# What `./lunar run` starts after the build: the whole system on this machine, no cluster, no Docker.
#
#   etcd and the official kube-apiserver (the binaries scripts/setup.sh builds for the tests), the
#   CRDs, the operator, one node agent registered as node "worker-1", and deploy/examples/ fitted to
#   this machine; it waits until the examples are Ready, prints the iscsi:// URL to try and the
#   kubeconfig, and runs until Ctrl-C or SIGTERM, then stops everything it started.
#
#   LUNAR_DEMO_DIR   the run dir: logs, kubeconfig, etcd data, the agent's state and LUN files
#                    (default: .lunar/local)
#   LUNAR_DEMO_PORT  the agent's iSCSI port (default 3260); etcd, the API server and the operator's
#                    HTTP endpoints take free ports
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

dir=${LUNAR_DEMO_DIR:-$PWD/.lunar/local}
port=${LUNAR_DEMO_PORT:-3260}
node=worker-1
bin=$(lunar_kube_bin_dir)
mkdir -p "$dir" && dir=$(cd "$dir" && pwd)
logs=$dir/logs
pidfile=$dir/pids
LUNAR_SAY=run
source scripts/lib.sh

k() { "$bin/kubectl" --kubeconfig "$dir/kubeconfig" --cache-dir "$dir/kube-cache" "$@"; }
loop=""

stop_all() {
  say "stopping ${names[*]:-nothing}"
  local i
  # The agent and the operator first, while the API server still answers them; etcd last.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    stop_pid "${pids[$i]}" 20
  done
  [ -z "$loop" ] || losetup -d "$loop" 2>/dev/null || true
  rm -f "$pidfile"
  say "stopped"
}
stop_on_exit stop_all

# A previous run in this dir that was killed hard left its processes and loop device: end them.
end_leftovers "$dir/"
if [ "$(id -u)" -eq 0 ] && [ -f "$dir/disk.img" ]; then
  for stale in $(losetup -j "$dir/disk.img" -O NAME -n 2>/dev/null); do losetup -d "$stale" || true; done
fi

[ -x "$bin/kube-apiserver" ] || fail "no kube-apiserver in $bin: source scripts/setup.sh builds it"
if listening "$port"; then
  fail "port $port is taken (another iSCSI target?): set LUNAR_DEMO_PORT to a free one"
fi
# Each run starts from an empty cluster; only what this script creates is removed.
rm -rf "$dir/etcd" "$dir/pki" "$dir/state" "$dir/control" "$dir/files" "$dir/examples" "$dir/kube-cache" "$logs"
mkdir -p "$logs" "$dir/pki" "$dir/files" "$dir/control"

pick_ports etcd_port peer_port api_port metrics_port health_port

say "starting etcd on 127.0.0.1:$etcd_port"
start etcd "$bin/etcd" --name lunar --data-dir "$dir/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
  --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
  --initial-cluster "lunar=http://127.0.0.1:$peer_port"
await "etcd health" 60 etcd curl -sf "http://127.0.0.1:$etcd_port/health"

# The API server's credentials: a static admin token, and the key pair that signs service account tokens.
token=$(openssl rand -hex 24)
echo "$token,lunar-admin,lunar-admin,system:masters" >"$dir/pki/tokens.csv"
openssl genrsa -out "$dir/pki/sa.key" 2048 2>/dev/null
openssl rsa -in "$dir/pki/sa.key" -pubout -out "$dir/pki/sa.pub" 2>/dev/null
chmod 600 "$dir/pki/tokens.csv" "$dir/pki/sa.key"

say "starting kube-apiserver on https://127.0.0.1:$api_port"
start kube-apiserver "$bin/kube-apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
  --cert-dir "$dir/pki" --token-auth-file "$dir/pki/tokens.csv" --authorization-mode RBAC \
  --service-account-key-file "$dir/pki/sa.pub" --service-account-signing-key-file "$dir/pki/sa.key" \
  --service-account-issuer https://kubernetes.default.svc --service-cluster-ip-range 10.0.0.0/24 \
  --endpoint-reconciler-type none
await "kube-apiserver to create its serving certificate" 60 kube-apiserver test -s "$dir/pki/apiserver.crt"
umask 077
cat >"$dir/kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters:
  - name: lunar-local
    cluster:
      server: https://127.0.0.1:$api_port
      certificate-authority: $dir/pki/apiserver.crt
users:
  - name: lunar-admin
    user:
      token: $token
contexts:
  - name: lunar-local
    context: {cluster: lunar-local, user: lunar-admin}
current-context: lunar-local
YAML
umask 022
await "kube-apiserver readiness" 120 kube-apiserver k get --raw /readyz

say "applying the CRDs"
k apply -f crds/ >/dev/null
k wait --for=condition=Established crd --all --timeout=60s >/dev/null
k create namespace lunar-system >/dev/null

export KUBECONFIG=$dir/kubeconfig
say "starting the operator (log: $logs/operator.log)"
POD_NAMESPACE=lunar-system LUNAR_METRICS_ADDRESS=127.0.0.1:$metrics_port \
  LUNAR_HEALTH_ADDRESS=127.0.0.1:$health_port \
  start operator scripts/lunar-java.sh -jar operator/target/operator.jar
say "starting the agent as node $node with its iSCSI portal on 127.0.0.1:$port (log: $logs/agent.log)"
LUNAR_CONTROL_DIR=$dir/control start agent scripts/lunar-java.sh -jar target-agent/target/target-agent.jar \
  node --node-name "$node" --namespace lunar-system --state-dir "$dir/state" --iscsi "portal=127.0.0.1:$port"

# deploy/examples/ fitted to this machine, on copies; the changes are printed.
[ -f "$dir/disk.img" ] || truncate -s 1G "$dir/disk.img"
changes=("node worker-1 is this machine's agent" "files under /var/lib/lunar/files/ are in $dir/files/"
  "the portal port is $port" "the ACL admits 127.0.0.0/8 instead of 10.0.0.0/8")
if [ "$(id -u)" -eq 0 ] && loop=$(losetup -f --show "$dir/disk.img" 2>/dev/null); then
  disk="device: $loop"
  changes+=("LUN 1's host disk is $loop, a loop device over the sparse 1 GiB file $dir/disk.img")
else
  loop=""
  disk="file: {path: $dir/files/demo-disk.img, size: 1Gi, thin: true}"
  changes+=("LUN 1 is a thin 1 GiB file instead of a host disk (a loop device needs root)")
fi
mkdir -p "$dir/examples"
for f in deploy/examples/*.yaml; do
  sed -e "s|node: worker-1|node: $node|" -e "s|device: /dev/disk/by-id/wwn-0x5000c500a1b2c3d4|$disk|" \
    -e "s|/var/lib/lunar/files/|$dir/files/|" -e "s|port: 3260|port: $port|" -e "s|10\.0\.0\.0/8|127.0.0.0/8|" \
    "$f" >"$dir/examples/$(basename "$f")"
done
say "applying deploy/examples/ with these changes (copies in $dir/examples):"
printf '  - %s\n' "${changes[@]}"
# Right after the CRDs, kubectl's discovery may not list the new kinds yet: try again briefly.
for attempt in $(seq 30); do
  applied=$(k apply -k "$dir/examples" 2>&1) && break
  [ "$attempt" -lt 30 ] || fail "kubectl apply -k $dir/examples failed: $applied"
  sleep 1
done

say "waiting until the target and its LUNs are Ready"
deadline=$((SECONDS + 240))
until k wait --for=condition=Ready -n lunar-demo iscsitarget/demo --timeout=5s >/dev/null 2>&1 &&
  k wait --for=condition=Ready -n lunar-demo iscsilun --all --timeout=5s >/dev/null 2>&1; do
  check_running
  if [ "$SECONDS" -ge "$deadline" ]; then
    k get iscsi -A -o wide >&2 || true
    k describe -n lunar-demo iscsitarget,iscsilun >&2 || true
    fail "not Ready within 240s; logs: $logs/operator.log and $logs/agent.log"
  fi
done
say "Ready"

secret() { sed -n "/name: $1\$/,/^---/s/^ *$2: //p" "$dir/examples/chap-secret.yaml"; }
iqn=$(sed -n 's/^ *iqn: //p' "$dir/examples/target.yaml")
initiator=$(sed -n '/names:/{n;s/^ *- //p}' "$dir/examples/target.yaml")
portal="iscsi://$(secret demo-chap username)%$(secret demo-chap password)@127.0.0.1:$port"
url="$portal/$iqn/1?target_user=$(secret demo-chap-mutual username)&target_password=$(secret demo-chap-mutual password)"

echo
k get iscsi -A
cat <<MSG

Lunar runs on this machine: etcd, kube-apiserver (https://127.0.0.1:$api_port), the operator and
the agent of node $node. The example target serves its LUNs with the example's CHAP Secrets at
  '$url'

Try (the example's ACL admits this initiator name):
  iscsi-inq -i $initiator '$url'
  iscsi-ls -s -i $initiator '$portal'     (one-way CHAP: the discovery session has no mutual CHAP)
  qemu-img info --image-opts driver=iscsi,transport=tcp,portal=127.0.0.1:$port,target=$iqn,lun=1,user=$(secret demo-chap username),password=$(secret demo-chap password),initiator-name=$initiator

kubectl against it, while it runs:
  export KUBECONFIG=$dir/kubeconfig PATH=$bin:\$PATH
  kubectl get iscsi,iscsinodes -A
Logs: $logs/

Ctrl-C stops it.
MSG

run_until_stopped check_running
