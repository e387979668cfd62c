#!/usr/bin/env bash
# What `./lunar run --cluster` starts after the build: a real single-node Kubernetes cluster on this
# machine (scripts/cluster.sh), Lunar's images built here (scripts/images.sh), the chart installed
# with Helm and deploy/examples/ fitted to the node. It prints what to try with kubectl, helm and the
# initiators, runs until Ctrl-C or SIGTERM, then uninstalls and stops everything, leaving the host as
# it found it. Needs root.
#
#   LUNAR_DEMO_PORT   the agent pod's iSCSI port on the node (default 3260)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

port=${LUNAR_DEMO_PORT:-3260}
bin=$(lunar_kube_bin_dir)
work=$PWD/.lunar/cluster
images=$work/lunar-images.tar
helm_version=v3.21.4
LUNAR_SAY=run
logs=$work pidfile=/dev/null
source scripts/lib.sh

[ "$(id -u)" -eq 0 ] || fail "a node needs root (kubelet, containerd, network links, cgroups)"
# The agent pod listens on every address of the node: no local socket may hold the port.
if ss -Hltn "sport = :$port" | grep -q .; then
  fail "port $port is taken (another iSCSI target?): set LUNAR_DEMO_PORT to a free one"
fi
mkdir -p "$work"
export LUNAR_CLUSTER_LOGS=$work/logs

# Helm itself, built once from its Go module like the Kubernetes binaries.
if [ ! -x "$bin/helm" ]; then
  say "building helm $helm_version from its Go module (once, a few minutes)"
  GOBIN=$bin GOFLAGS=-mod=mod go install "helm.sh/helm/v3/cmd/helm@$helm_version"
fi

loop=""
stop_all() {
  say "stopping: uninstalling the chart, then the cluster"
  if [ -n "${KUBECONFIG:-}" ]; then
    "$bin/kubectl" delete -k "$work/examples" --wait=true --timeout=60s >/dev/null 2>&1
    "$bin/helm" uninstall lunar -n lunar-system --wait --timeout 60s >/dev/null 2>&1
  fi
  scripts/cluster.sh down
  [ -z "$loop" ] || losetup -d "$loop"
  rm -f "$work/disk.img"
}
stop_on_exit stop_all

LUNAR_IMAGE_TAG=demo scripts/images.sh --save "$images"
export KUBECONFIG
KUBECONFIG=$(scripts/cluster.sh up "$images")
source <(grep -E '^LUNAR_CLUSTER_(NODE|NODE_IP)=' "$(dirname "$KUBECONFIG")/cluster.env")
node=$LUNAR_CLUSTER_NODE node_ip=$LUNAR_CLUSTER_NODE_IP

# The CSI driver, with the sidecars built here from their Go modules (`./lunar test` builds them;
# no registry serves their images) and an open-iscsi configuration naming the node's initiator, as
# the open-iscsi package writes it on a real node. Without the sidecars the driver stays off.
csi_tools=$(lunar_csi_tools_dir)
csi=(--set csi.enabled=false)
if [ -f "$csi_tools/.csi-provisioner.version" ] && [ -f "$csi_tools/.csi-attacher.version" ]; then
  mkdir -p "$work/iscsi"
  echo "InitiatorName=iqn.2026-12.dev.lunar.demo:$node" >"$work/iscsi/initiatorname.iscsi"
  csi=(--set csi.provisioner.image.repository=lunar/csi-provisioner
    --set csi.provisioner.image.tag="$(cat "$csi_tools/.csi-provisioner.version")"
    --set csi.provisioner.image.pullPolicy=Never
    --set csi.attacher.image.repository=lunar/csi-attacher
    --set csi.attacher.image.tag="$(cat "$csi_tools/.csi-attacher.version")"
    --set csi.attacher.image.pullPolicy=Never
    --set csi.node.kubeletDir=/var/lib/lunar-cluster/kubelet
    --set csi.node.iscsiConfigDir="$work/iscsi" --set csi.node.iscsiStateDir="$work/iscsi-state"
    --set csi.node.iscsiLockDir="$work/iscsi-lock")
else
  say "the CSI driver stays off: its sidecars are not built (LUNAR_TEST_TOOLS=1 source scripts/setup.sh)"
fi

say "installing the chart (helm/lunar) with the images built here"
"$bin/helm" install lunar helm/lunar -n lunar-system --create-namespace --wait --timeout 300s \
  --set operator.image.tag=demo --set operator.image.pullPolicy=Never \
  --set agent.image.tag=demo --set agent.image.pullPolicy=Never --set agent.portalPort="$port" \
  --set agent.stateHostPath=/var/lib/lunar-cluster/agent-state "${csi[@]}" >/dev/null

truncate -s 1G "$work/disk.img"
loop=$(losetup -f --show "$work/disk.img")
mkdir -p "$work/examples"
for f in deploy/examples/*.yaml; do
  sed -e "s|node: worker-1|node: $node|" -e "s|/dev/disk/by-id/wwn-0x5000c500a1b2c3d4|$loop|" \
    -e "s|port: 3260|port: $port|" -e "s|10\.0\.0\.0/8|$node_ip/32|" "$f" >"$work/examples/$(basename "$f")"
done
say "applying deploy/examples/ fitted to node $node (copies in $work/examples): LUN 1 is $loop"
"$bin/kubectl" apply -k "$work/examples" >/dev/null
"$bin/kubectl" wait --for=condition=Ready -n lunar-demo iscsitarget/demo --timeout=180s >/dev/null
"$bin/kubectl" wait --for=condition=Ready -n lunar-demo iscsilun --all --timeout=180s >/dev/null

url="iscsi://demo-initiator%change-me-12345@$node_ip:$port/iqn.2026-11.dev.lunar:demo/1?target_user=lunar-target&target_password=change-me-too-67"
echo
"$bin/kubectl" get pods -n lunar-system -o wide
echo
"$bin/kubectl" get iscsi -A
cat <<MSG

Lunar runs as pods on a real node ($node, $node_ip): kubelet on containerd, the whole control plane,
the chart installed by Helm. Try:
  export KUBECONFIG=$KUBECONFIG PATH=$bin:\$PATH
  kubectl get pods,iscsi -A; kubectl get iscsinodes,pv
  helm list -A
  iscsi-inq -i iqn.1993-08.org.debian:01:demo-client '$url'
Logs of the cluster's components: $work/logs/

Ctrl-C stops it.
MSG

run_until_stopped true
