#!/usr/bin/env bash
# A real single-node Kubernetes cluster on this machine, for the tests of tier 4 (DESIGN.md) and
# `./lunar run --cluster`: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kube-proxy
# and kubelet (built from the official Go modules by scripts/setup.sh), containerd and runc from
# Debian with the CNI bridge plugin, and Lunar's images (scripts/images.sh --save) imported into
# containerd. No registry is needed or reached.
#
#   scripts/cluster.sh up IMAGES_TAR   start it; returns once the node is Ready. Prints the
#                                      kubeconfig path; $dir/cluster.env has the details.
#   scripts/cluster.sh down            stop everything it started and leave the host as it found it
#                                      (processes, mounts, network namespaces and links, iptables
#                                      rules, cgroups, sysctls); exits 1 naming anything left
#
# Addresses come from 198.18.0.0/15, the range RFC 2544 reserves for benchmarks, so that nothing
# here can collide with a real network: the node is 198.18.255.1 on a link of its own, pods get
# 198.18.0.0/24 on a bridge, Services 198.19.0.0/24. Pods are routed only to the node and to
# Services, never beyond this machine. Every component listens on the node address or on loopback,
# on free ports.
#
#   LUNAR_CLUSTER_DIR   state, certificates, containerd's images, kubelet's root
#                       (default /var/lib/lunar-cluster; removed by `down`)
#   LUNAR_CLUSTER_LOGS  the components' logs (default: $LUNAR_CLUSTER_DIR/logs); set it outside the
#                       state dir to keep them after `down`
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source scripts/setup.sh

dir=${LUNAR_CLUSTER_DIR:-/var/lib/lunar-cluster}
logs=${LUNAR_CLUSTER_LOGS:-$dir/logs}
# Sockets live under /run: a unix socket path may not exceed 107 bytes.
run=/run/lunar-cluster
pidfile=$dir/pids
LUNAR_SAY=cluster LUNAR_SAY_FD=2
source scripts/lib.sh

bin=$(lunar_kube_bin_dir)
node=lunar-node
node_ip=198.18.255.1
pod_cidr=198.18.0.0/24
service_cidr=198.19.0.0/24
service_ip=198.19.0.1
node_link=lunar-node0
bridge=lunar-cni0
cgroup_root=lunar
# Host directories the components make outside the state dirs, wherever they are told to work:
# kubelet's container log links and device-plugin socket, the chart's hostPath volumes of type
# DirectoryOrCreate (the agent's /run/udev), the CNI library's result cache, the runc shims' socket
# directory. `down` removes those that were not there before.
host_paths=(/var/log/containers /run/udev /var/lib/kubelet /var/lib/cni /run/containerd)
# Sysctls that kubelet or kube-proxy may set; `down` puts back what `up` found.
sysctls=(vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys
  kernel.keys.root_maxbytes net.ipv4.conf.all.route_localnet net.ipv4.ip_forward
  net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables)

k() { "$bin/kubectl" --kubeconfig "$dir/admin.kubeconfig" --cache-dir "$dir/kube-cache" "$@"; }
ctr_() { ctr --address "$run/containerd.sock" --namespace k8s.io "$@"; }

# What the host looks like, for `down` to compare with: rules, mounts, namespaces, links, cgroups.
host_state() {
  local cmd
  for cmd in iptables-nft-save ip6tables-nft-save iptables-legacy-save ip6tables-legacy-save; do
    echo "## $cmd"
    # Rules and chains, without counters: an empty table that a component created is no change.
    command -v "$cmd" >/dev/null || continue
    "$cmd" 2>/dev/null | sed -e 's/ *\[[0-9]*:[0-9]*\]$//' |
      grep -Ev '^(#|\*|COMMIT$|:(PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING) ACCEPT$)' | sort || true
  done
  echo "## mounts"
  findmnt -rn -o TARGET,PROPAGATION | sort
  echo "## netns"
  ip netns list 2>/dev/null | awk '{print $1}' | sort
  echo "## links"
  ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort
  echo "## paths"
  ls -d "${host_paths[@]}" 2>/dev/null || true
  echo "## cgroups"
  ls -d /sys/fs/cgroup/*/"$cgroup_root" 2>/dev/null || true
}

pki() {
  local p=$dir/pki
  mkdir -p "$p" && chmod 700 "$p"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=lunar-cluster-ca \
    -keyout "$p/ca.key" -out "$p/ca.crt" 2>/dev/null
  # $1 name, $2 subject, $3 extensions
  issue() {
    openssl req -newkey rsa:2048 -nodes -subj "$2" -keyout "$p/$1.key" -out "$p/$1.csr" 2>/dev/null
    printf '%s\n' "$3" >"$p/$1.ext"
    openssl x509 -req -in "$p/$1.csr" -CA "$p/ca.crt" -CAkey "$p/ca.key" -CAcreateserial -days 2 \
      -extfile "$p/$1.ext" -out "$p/$1.crt" 2>/dev/null
  }
  issue apiserver /CN=kube-apiserver "subjectAltName=IP:$node_ip,IP:$service_ip,IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
extendedKeyUsage=serverAuth"
  issue apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "extendedKeyUsage=clientAuth"
  openssl genrsa -out "$p/sa.key" 2048 2>/dev/null
  openssl rsa -in "$p/sa.key" -pubout -out "$p/sa.pub" 2>/dev/null
  # One static token per client (token,user,uid[,group]); the Node authorizer knows the kubelet by
  # its user name and group.
  local client user group token
  for client in "admin lunar-admin system:masters" "kubelet system:node:$node system:nodes" \
    "controller-manager system:kube-controller-manager" "scheduler system:kube-scheduler" \
    "proxy system:kube-proxy"; do
    read -r client user group <<<"$client"
    token=$(openssl rand -hex 24)
    echo "$token,$user,$user${group:+,$group}" >>"$p/tokens.csv"
    kubeconfig "$dir/$client.kubeconfig" "$token"
  done
  chmod 600 "$p"/*.key "$p/tokens.csv"
}

kubeconfig() {
  (
    umask 077
    cat >"$1" <<YAML
apiVersion: v1
kind: Config
clusters:
  - name: lunar-cluster
    cluster: {server: "https://$node_ip:$api_port", certificate-authority: "$dir/pki/ca.crt"}
users:
  - name: lunar
    user: {token: "$2"}
contexts:
  - name: lunar-cluster
    context: {cluster: lunar-cluster, user: lunar}
current-context: lunar-cluster
YAML
  )
}

control_plane() {
  say "starting etcd on 127.0.0.1:$etcd_port"
  start etcd "$bin/etcd" --name lunar --data-dir "$dir/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "lunar=http://127.0.0.1:$peer_port" --listen-metrics-urls "http://127.0.0.1:$etcd_metrics_port"
  await "etcd health" 60 etcd curl -sf "http://127.0.0.1:$etcd_port/health"

  say "starting kube-apiserver on https://$node_ip:$api_port"
  local p=$dir/pki
  start kube-apiserver "$bin/kube-apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address "$node_ip" --advertise-address "$node_ip" --secure-port "$api_port" \
    --tls-cert-file "$p/apiserver.crt" --tls-private-key-file "$p/apiserver.key" --client-ca-file "$p/ca.crt" \
    --token-auth-file "$p/tokens.csv" --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
    --allow-privileged=true --kubelet-preferred-address-types InternalIP --kubelet-client-certificate "$p/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$p/apiserver-kubelet-client.key" \
    --service-account-key-file "$p/sa.pub" --service-account-signing-key-file "$p/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local --service-cluster-ip-range "$service_cidr"
  await "kube-apiserver readiness" 120 kube-apiserver k get --raw /readyz

  say "starting kube-controller-manager and kube-scheduler"
  start kube-controller-manager "$bin/kube-controller-manager" --kubeconfig "$dir/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$dir/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$dir/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$kcm_port" --leader-elect=false --use-service-account-credentials \
    --service-account-private-key-file "$p/sa.key" --root-ca-file "$p/ca.crt" \
    --service-cluster-ip-range "$service_cidr" --cluster-cidr "$pod_cidr" --allocate-node-cidrs=false
  start kube-scheduler "$bin/kube-scheduler" --kubeconfig "$dir/scheduler.kubeconfig" \
    --authentication-kubeconfig "$dir/scheduler.kubeconfig" --authorization-kubeconfig "$dir/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$scheduler_port" --leader-elect=false
}

containerd_up() {
  local images=$1
  mkdir -p "$dir/cni" "$run"
  cat >"$dir/cni/10-lunar.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "lunar",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$bridge",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$dir/cni-ipam",
        "ranges": [[{"subnet": "$pod_cidr"}]],
        "routes": [{"dst": "$node_ip/32"}, {"dst": "$service_cidr"}]
      }
    }
  ]
}
JSON
  cat >"$dir/containerd.toml" <<TOML
version = 2
root = "$dir/containerd"
state = "$run/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "$run/containerd.sock"
[ttrpc]
  address = "$run/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "docker.io/lunar/pause:1"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$root/scripts/cluster/runc-within-host-caps"
        Root = "$run/runc"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$dir/cni"
TOML
  say "starting containerd ($run/containerd.sock)"
  start containerd containerd --config "$dir/containerd.toml"
  await "containerd" 30 containerd ctr_ version
  say "importing $(basename "$images") into containerd"
  ctr_ images import "$images" >"$logs/images-import.log" 2>&1 ||
    fail "ctr images import failed: $(tail -n 5 "$logs/images-import.log")"
}

kubelet_up() {
  local controller
  # kubelet puts every pod under this cgroup in each v1 hierarchy; cpuset needs its values filled.
  for controller in /sys/fs/cgroup/*/; do
    [ -f "$controller/cgroup.procs" ] && [ "$controller" != /sys/fs/cgroup/unified/ ] || continue
    mkdir -p "$controller$cgroup_root"
    if [ -f "$controller/cpuset.cpus" ]; then
      cat "$controller/cpuset.cpus" >"$controller$cgroup_root/cpuset.cpus"
      cat "$controller/cpuset.mems" >"$controller$cgroup_root/cpuset.mems"
    fi
  done
  cat >"$dir/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $node_ip
port: $kubelet_port
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $kubelet_health_port
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: "$dir/pki/ca.crt"}
authorization: {mode: Webhook}
containerRuntimeEndpoint: unix://$run/containerd.sock
cgroupDriver: cgroupfs
cgroupRoot: /$cgroup_root
# This machine's kernel offers cgroup v1 only (hybrid layout); Kubernetes 1.35 still runs there when told.
failCgroupV1: false
failSwapOn: false
resolvConf: /etc/resolv.conf
# No registry to pull from: the images imported at start must stay.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%}
serializeImagePulls: false
shutdownGracePeriod: 0s
podLogsDir: $dir/pod-logs
YAML
  say "starting kubelet as node $node ($node_ip)"
  start kubelet "$bin/kubelet" --config "$dir/kubelet.yaml" --kubeconfig "$dir/kubelet.kubeconfig" \
    --root-dir "$dir/kubelet" --cert-dir "$dir/kubelet/pki" --hostname-override "$node" --node-ip "$node_ip"

  cat >"$dir/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: "$dir/proxy.kubeconfig"}
hostnameOverride: $node
mode: iptables
clusterCIDR: $pod_cidr
bindAddress: 127.0.0.1
healthzBindAddress: 127.0.0.1:$proxy_health_port
metricsBindAddress: 127.0.0.1:$proxy_metrics_port
nodePortAddresses: ["$node_ip/32"]
# Zero leaves the host's conntrack settings as they are; no route_localnet for NodePorts on loopback.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
iptables: {localhostNodePorts: false}
YAML
  say "starting kube-proxy (iptables)"
  start kube-proxy "$bin/kube-proxy" --config "$dir/kube-proxy.yaml"
}

node_ready() {
  [ "$(k get node "$node" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]
}

up() {
  local images=${1:?usage: scripts/cluster.sh up IMAGES_TAR (from scripts/images.sh --save)}
  [ -s "$images" ] || fail "no images at $images: scripts/images.sh --save $images builds them"
  images=$(cd "$(dirname "$images")" && pwd)/$(basename "$images")
  [ "$(id -u)" -eq 0 ] || fail "a node needs root (kubelet, containerd, network links, cgroups)"
  local b
  for b in etcd kube-apiserver kube-controller-manager kube-scheduler kube-proxy kubelet kubectl; do
    [ -x "$bin/$b" ] || fail "no $b in $bin: scripts/setup.sh builds it"
  done
  if [ -e "$dir/host-before" ]; then
    say "a cluster in $dir is still there: stopping it first"
    down || true
  fi
  mkdir -p "$dir" "$logs"
  host_state >"$dir/host-before"
  for b in "${sysctls[@]}"; do
    echo "$b=$(sysctl -n "$b" 2>/dev/null || echo -)"
  done >"$dir/sysctls-before"
  # Whatever ends this function early (a failed command, fail's exit, a signal) stops what started.
  trap 'say "starting failed: stopping what started"; down >&2' EXIT
  trap 'exit 1' INT TERM HUP

  # A pod may mount a host path with HostToContainer propagation (the agent's /dev) only where the
  # host's mount is shared, as systemd makes every mount; a host without systemd keeps them private.
  if [ "$(findmnt -no PROPAGATION /dev)" = private ]; then
    mount --make-shared /dev
    echo /dev >>"$dir/made-shared"
  fi
  # A bridge without ports holds the node's address (this kernel has no dummy links).
  ip link add "$node_link" type bridge
  ip addr add "$node_ip/32" dev "$node_link"
  ip link set "$node_link" up
  pick_ports etcd_port peer_port etcd_metrics_port api_port kcm_port scheduler_port kubelet_port \
    kubelet_health_port proxy_health_port proxy_metrics_port
  pki
  control_plane
  containerd_up "$images"
  kubelet_up
  await "node $node Ready" 120 kubelet node_ready
  await "kube-proxy health" 60 kube-proxy curl -sf "http://127.0.0.1:$proxy_health_port/healthz"
  check_running
  cat >"$dir/cluster.env" <<ENV
KUBECONFIG=$dir/admin.kubeconfig
LUNAR_CLUSTER_NODE=$node
LUNAR_CLUSTER_NODE_IP=$node_ip
LUNAR_CLUSTER_API=https://$node_ip:$api_port
LUNAR_CLUSTER_KUBECTL=$bin/kubectl
LUNAR_CLUSTER_LOGS=$logs
ENV
  trap - EXIT INT TERM HUP
  say "node $node is Ready: kubeconfig $dir/admin.kubeconfig"
  echo "$dir/admin.kubeconfig"
}

# The part of what `up` recorded that follows "## NAME" (see host_state), up to the next part.
recorded() { sed -n "/^## $1\$/,/^## /p" "$dir/host-before"; }

# Removes the iptables chains that kubelet, kube-proxy and the CNI plugins made (KUBE-*, CNI-*) and
# every rule jumping to them, in each table, for both iptables front ends; chains that were there
# before `up`, and the rules that use them, stay.
remove_chains() {
  local cmd table chain made
  for cmd in iptables-nft ip6tables-nft iptables-legacy ip6tables-legacy; do
    command -v "$cmd" >/dev/null || continue
    for table in filter nat mangle raw; do
      made=$("$cmd" -t "$table" -S 2>/dev/null | awk '/^-N (KUBE|CNI)-/ {print $2}' |
        grep -vxF -f <(recorded "$cmd-save" | sed -n 's/^:\([^ ]*\) .*/\1/p'))
      for chain in $made; do
        "$cmd" -t "$table" -S 2>/dev/null | grep -E -- "-j $chain( |\$)" | while read -r rule; do
          eval "\"$cmd\" -t $table ${rule/-A /-D }" 2>/dev/null
        done
      done
      # A chain goes only once it is empty, and after no other made chain jumps to it.
      for chain in $made; do "$cmd" -t "$table" -F "$chain" 2>/dev/null; done
      for chain in $made; do "$cmd" -t "$table" -X "$chain" 2>/dev/null; done
    done
  done
}

# Stops the named components of $pidfile, in the order given.
stop_named() {
  local name pid
  for name in "$@"; do
    pid=$(awk -v n="$name" '$2 == n {print $1}' "$pidfile" 2>/dev/null)
    [ -z "$pid" ] || stop_pid "$pid" 20
  done
}

down() {
  trap '' INT TERM HUP
  set +e
  [ -f "$dir/host-before" ] || { say "no cluster in $dir"; return 0; }
  say "stopping the cluster in $dir"
  # Pods first, while kubelet runs: it tears their sandboxes down (CNI DEL, network namespaces).
  if [ -f "$dir/admin.kubeconfig" ] && k get --raw /readyz >/dev/null 2>&1; then
    k delete pods --all --all-namespaces --grace-period 5 --wait=false >/dev/null 2>&1
    for _ in $(seq 60); do
      [ -z "$(k get pods -A -o name 2>/dev/null)" ] && [ -z "$(ctr_ tasks ls -q 2>/dev/null)" ] && break
      sleep 1
    done
  fi
  # Then kube-proxy and kubelet; containerd's leftovers by hand; the control plane; etcd last.
  stop_named kube-proxy kubelet
  if ctr_ version >/dev/null 2>&1; then
    for id in $(ctr_ tasks ls -q 2>/dev/null); do
      ctr_ tasks kill -s SIGKILL "$id" >/dev/null 2>&1
      ctr_ tasks delete -f "$id" >/dev/null 2>&1
    done
    for id in $(ctr_ containers ls -q 2>/dev/null); do ctr_ containers delete "$id" >/dev/null 2>&1; done
  fi
  stop_named containerd kube-scheduler kube-controller-manager kube-apiserver etcd
  end_leftovers "$dir/"
  pkill -KILL -f "containerd-shim-runc-v2 .*-address $run/containerd.sock" 2>/dev/null
  mkdir -p "$logs"
  "$bin/kube-proxy" --cleanup >"$logs/kube-proxy-cleanup.log" 2>&1
  remove_chains

  # Mounts under the state dirs, deepest first; then the pods' network namespaces.
  findmnt -rn -o TARGET | grep -E "^($dir|$run)(/|$)" | sort -r | while read -r target; do
    umount "$target" 2>/dev/null || umount -l "$target" 2>/dev/null
  done
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
    grep -qx "$ns" <(recorded netns) || ip netns delete "$ns" 2>/dev/null
  done
  # kubelet links every container's log into /var/log/containers, a path it does not let one move.
  find /var/log/containers -maxdepth 1 -lname "$dir/*" -delete 2>/dev/null
  for path in "${host_paths[@]}"; do
    grep -qx "$path" <(recorded paths) || rm -rf "$path"
  done
  ip link delete "$bridge" 2>/dev/null
  ip link delete "$node_link" 2>/dev/null
  while read -r target; do mount --make-private "$target"; done <"$dir/made-shared" 2>/dev/null
  # Pod cgroups, deepest first, in every v1 hierarchy.
  find /sys/fs/cgroup/*/"$cgroup_root" -depth -type d -exec rmdir {} + 2>/dev/null
  while IFS='=' read -r key value; do
    [ "$value" = - ] || [ "$(sysctl -n "$key" 2>/dev/null)" = "$value" ] || sysctl -qw "$key=$value"
  done <"$dir/sysctls-before"

  local left name
  left=$(diff "$dir/host-before" <(host_state) | grep '^[<>]')
  for name in "${sysctls[@]}"; do
    grep -qx "$name=$(sysctl -n "$name" 2>/dev/null || echo -)" "$dir/sysctls-before" || left+=$'\n'"sysctl $name"
  done
  pgrep -f "$dir/|$run/" >/dev/null && left+=$'\n'"processes: $(pgrep -af "$dir/|$run/" | head -5)"
  rm -rf "$run"
  # With it go the logs, unless LUNAR_CLUSTER_LOGS put them elsewhere.
  rm -rf "$dir"
  if [ -n "$left" ]; then
    say "the host is not as it was; left behind:"
    printf '%s\n' "$left" >&2
    return 1
  fi
  say "stopped; the host is as it was"
}

case "${1:-}" in
  up) up "${2:-}" ;;
  down) down ;;
  *)
    sed -n '2,24p' "$0"
    exit 2
    ;;
esac
