#!/usr/bin/env bash
# make demo: a real kube-apiserver + etcd, the OCI simulator and the controller on loopback.
# Sample nodes join (initialized by the controller as kubelet --cloud-provider=external
# expects), a NodePort Service and LBRegistrars bind them to two pre-existing load balancers,
# and a compact live view shows the backend sets converge; then a node joins and one leaves.
# --once: exit 0 as soon as everything has converged (used by the tests). Ctrl-C stops all.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="${CCM_BINARY_DIR:-$root/build}/bin"
once=false
[[ "${1:-}" == "--once" ]] && once=true
work=$(mktemp -d /tmp/ccm-demo-XXXXXX)
pids=()
cleanup() {
  trap - EXIT INT TERM
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'echo; echo "stopping..."; exit 0' INT TERM

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
wait_for_file() { for _ in $(seq 1 600); do [[ -s "$1" ]] && return 0; sleep 0.1; done; echo "timed out waiting for $1" >&2; return 1; }

say "starting kube-apiserver and etcd (real binaries, cached under ~/.cache)"
ENVTEST_ASSETS=$(bash "$root/test/envtest/build.sh") CCM_SOURCE_DIR="$root" \
  "$bin/envtest-control-plane" --env-file="$work/plane.env" >"$work/plane.log" 2>&1 &
pids+=($!)
wait_for_file "$work/plane.env"
# shellcheck disable=SC1091
source "$work/plane.env"
export KUBECONFIG
echo "    kube-apiserver $KUBE_VERSION at $KUBE_API"

say "starting the OCI simulator with two existing load balancers"
openssl genrsa -out "$work/api-key.pem" 2048 2>/dev/null
openssl rsa -in "$work/api-key.pem" -pubout -out "$work/api-key.pub" 2>/dev/null
fingerprint=$(openssl rsa -in "$work/api-key.pem" -pubout -outform DER 2>/dev/null | openssl md5 -c | awk '{print $2}')
tenancy=ocid1.tenancy.oc1..demo
user=ocid1.user.oc1..demo
lb=ocid1.loadbalancer.oc1.phx.demo
nlb=ocid1.networkloadbalancer.oc1.phx.demo
compartment=ocid1.compartment.oc1..demo
python3 - "$work/sim-state.json" "$lb" "$nlb" "$compartment" <<'PY'
import json, sys
path, lb, nlb, comp = sys.argv[1:]
hc = {"protocol": "HTTP", "port": 10256, "urlPath": "/healthz", "returnCode": 200, "retries": 3,
      "intervalInMillis": 10000, "timeoutInMillis": 3000}
instances = []
for i in range(1, 6):
    instances.append({"id": f"ocid1.instance.oc1.phx.demo-node-{i}", "displayName": f"demo-node-{i}",
                      "compartmentId": comp, "availabilityDomain": f"Uocm:PHX-AD-{(i - 1) % 3 + 1}",
                      "faultDomain": f"FAULT-DOMAIN-{(i - 1) % 3 + 1}", "region": "phx", "shape": "VM.Standard.E4.Flex",
                      "lifecycleState": "RUNNING",
                      "vnics": [{"privateIp": f"10.0.10.{i}", "publicIp": f"198.51.100.{i}", "isPrimary": True,
                                 "hostnameLabel": f"demo-node-{i}", "subnetId": "ocid1.subnet.oc1.phx.demo"}]})
state = {
  "loadBalancers": [{"id": lb, "displayName": "ingress-lb", "compartmentId": comp,
                     "ipAddresses": [{"ipAddress": "203.0.113.10", "isPublic": True}],
                     "backendSets": {"ingress-http": {"policy": "ROUND_ROBIN", "healthChecker": hc,
                                                      "backends": [{"ipAddress": "192.168.1.50", "port": 8080}]},
                                     "ingress-https": {"policy": "ROUND_ROBIN", "healthChecker": hc, "backends": []}}}],
  "networkLoadBalancers": [{"id": nlb, "displayName": "api-nlb", "compartmentId": comp,
                            "ipAddresses": [{"ipAddress": "203.0.113.20", "isPublic": True}],
                            "backendSets": {"api": {"policy": "FIVE_TUPLE", "healthChecker": {"protocol": "TCP", "port": 6443},
                                                    "backends": []}}}],
  "instances": instances,
}
json.dump(state, open(path, "w"))
PY
"$bin/oci-sim" --state="$work/sim-state.json" --tls-ca-out="$work/sim-ca.pem" --ready-file="$work/sim.port" \
  --key="$tenancy/$user/$fingerprint=$work/api-key.pub" --work-request-latency-ms=1500 >"$work/sim.log" 2>&1 &
pids+=($!)
wait_for_file "$work/sim.port"
sim="https://127.0.0.1:$(cat "$work/sim.port")"
echo "    simulator at $sim (work requests take 1.5 s, as OCI's take seconds)"

cat >"$work/cloud-provider.yaml" <<YAML
auth:
  region: us-phoenix-1
  tenancy: $tenancy
  user: $user
  key_file: $work/api-key.pem
  fingerprint: $fingerprint
compartment: $compartment
endpoints:
  loadBalancer: $sim
  networkLoadBalancer: $sim
  compute: $sim
caBundleFile: $work/sim-ca.pem
registrar:
  allowedCompartments: [$compartment]
  drainPeriod: 3s
YAML

say "installing the shipped CRD, admission policy, ServiceAccount and RBAC; creating sample nodes (tainted uninitialized, as kubelet does)"
for f in crd-lbregistrar.yaml lbregistrar-admission-policy.yaml serviceaccount.yaml rbac.yaml; do
  kubectl apply -f "$root/deploy/kubernetes/$f" >/dev/null
done
kubectl wait --for=condition=Established --timeout=60s crd/lbregistrars.nodes.peppy-ratio.dev >/dev/null
# The controller runs as its ServiceAccount, as in a cluster: a token like the one the kubelet
# projects into its pod, in a kubeconfig of its own.
controller_kubeconfig="$work/controller.kubeconfig"
cp "$KUBECONFIG" "$controller_kubeconfig"
kubectl --kubeconfig="$controller_kubeconfig" config set-credentials oci-lb-registrar-ccm \
  --token="$(kubectl -n kube-system create token oci-lb-registrar-ccm --duration=24h)" >/dev/null
kubectl --kubeconfig="$controller_kubeconfig" config set-context --current --user=oci-lb-registrar-ccm >/dev/null
kubectl create namespace demo >/dev/null
add_node() {
  local i=$1
  kubectl create -f - >/dev/null <<NODE
apiVersion: v1
kind: Node
metadata:
  name: demo-node-$i
  labels: {kubernetes.io/hostname: demo-node-$i, kubernetes.io/os: linux}
spec:
  taints:
  - {key: node.cloudprovider.kubernetes.io/uninitialized, value: "true", effect: NoSchedule}
NODE
  kubectl patch node "demo-node-$i" --subresource=status --type=merge -p \
    "{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"10.0.10.$i\"},{\"type\":\"Hostname\",\"address\":\"demo-node-$i\"}],\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\",\"message\":\"kubelet is posting ready status\",\"lastHeartbeatTime\":\"$(date -u +%FT%TZ)\",\"lastTransitionTime\":\"$(date -u +%FT%TZ)\"}]}}" >/dev/null
}
for i in 1 2 3; do add_node "$i"; done

say "creating a NodePort Service, two LBRegistrars and an annotated Service"
kubectl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Service
metadata: {name: ingress, namespace: demo}
spec:
  type: NodePort
  selector: {app: ingress}
  ports:
  - {name: http, port: 80, targetPort: 8080, nodePort: 30080}
  - {name: https, port: 443, targetPort: 8443, nodePort: 30443}
---
apiVersion: nodes.peppy-ratio.dev/v1alpha1
kind: LBRegistrar
metadata: {name: ingress}
spec:
  loadBalancerId: $lb
  services:
  - {name: ingress, namespace: demo, port: http, backendSetName: ingress-http}
  - {name: ingress, namespace: demo, port: https, backendSetName: ingress-https}
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: demo
  annotations:
    nodes.peppy-ratio.dev/load-balancer-id: $nlb
    nodes.peppy-ratio.dev/backend-sets: "tcp=api"
spec:
  type: LoadBalancer
  selector: {app: api}
  ports:
  - {name: tcp, port: 6443, targetPort: 6443, nodePort: 31443}
YAML

say "starting oci-lb-registrar-ccm"
"$bin/oci-lb-registrar-ccm" --kubeconfig="$controller_kubeconfig" --cloud-config="$work/cloud-provider.yaml" \
  --secure-port=0 --leader-elect-lease-duration=5s --leader-elect-renew-deadline=3s --leader-elect-retry-period=1s \
  --node-monitor-period=2s >"$work/controller.log" 2>&1 &
pids+=($!)
controller=${pids[-1]}

view() {
  python3 - "$sim" "$work/sim-ca.pem" "$lb" "$nlb" <<'PY'
import json, ssl, sys, urllib.request
sim, ca, lb, nlb = sys.argv[1:]
ctx = ssl.create_default_context(cafile=ca)
def get(path):
    with urllib.request.urlopen(sim + path, context=ctx, timeout=5) as r:
        return json.load(r)
rows = []
for kind, lbid, sets in (("loadBalancers", lb, ["ingress-http", "ingress-https"]), ("networkLoadBalancers", nlb, ["api"])):
    for s in sets:
        bs = get(f"/_sim/{kind}/{lbid}/backendSets/{s}")
        names = []
        for b in bs.get("backends", []):
            n = b.get("name") or f"{b.get('ipAddress')}:{b.get('port')}"
            n = n.replace("ocid1.instance.oc1.phx.", "")
            if b.get("drain") or b.get("isDrain"): n += "(draining)"
            names.append(n)
        rows.append(f"  {('LB ' if kind == 'loadBalancers' else 'NLB')} {s:14} {len(names)}: {' '.join(sorted(names))}")
print("\n".join(rows))
PY
}
nodes_view() {
  kubectl get nodes -o custom-columns='NODE:.metadata.name,PROVIDER-ID:.spec.providerID,ZONE:.metadata.labels.topology\.kubernetes\.io/zone,TYPE:.metadata.labels.node\.kubernetes\.io/instance-type,TAINTS:.spec.taints[*].key' 2>/dev/null | sed 's/^/  /'
}
# Converged: every set lists exactly the nodes we expect, plus the hand-added backend.
converged() {
  local want_nodes=$1
  local out; out=$(view)
  local ok=true
  for s in ingress-http ingress-https api; do
    local line; line=$(grep " $s " <<<"$out")
    local count; count=$(awk '{print $3}' <<<"$line" | tr -d ':')
    local expected=$want_nodes
    [[ $s == ingress-http ]] && expected=$((want_nodes + 1))
    [[ "$count" == "$expected" && "$line" != *draining* ]] || ok=false
  done
  [[ "$(kubectl get lbregistrar ingress -o jsonpath='{.status.phase}' 2>/dev/null)" == READY ]] || ok=false
  $ok
}
watch_until() {
  local want=$1 title=$2 deadline=$((SECONDS + 120))
  while true; do
    if ! kill -0 "$controller" 2>/dev/null; then echo "controller exited:"; tail -20 "$work/controller.log"; exit 1; fi
    $once || { printf '\033[2J\033[H'; }
    echo "$title   ($(date +%T))"
    view
    $once || nodes_view
    if converged "$want"; then return 0; fi
    if ((SECONDS > deadline)); then echo "did not converge; controller log:"; tail -30 "$work/controller.log"; exit 1; fi
    sleep 1
  done
}

watch_until 3 "initial registration: 3 nodes (192.168.1.50:8080 was added by hand and stays)"
say "converged"
add_node 4
watch_until 4 "demo-node-4 joins"
say "demo-node-4 registered"
kubectl delete node demo-node-1 >/dev/null
watch_until 3 "demo-node-1 leaves (drained first, then removed)"
say "demo-node-1 removed"
kubectl get lbregistrars
if $once; then
  # The shipped RBAC must grant everything the controller did.
  if grep -qiE '\b403\b|forbidden' "$work/controller.log"; then
    echo "the API server refused the controller:"; grep -iE '\b403\b|forbidden' "$work/controller.log" | head; exit 1
  fi
  say "converged after join and leave: exiting (--once)"
  exit 0
fi
say "live view continues; try: KUBECONFIG=$KUBECONFIG kubectl ... (Ctrl-C to stop everything)"
while true; do watch_until 0 "live view" >/dev/null 2>&1 || true; printf '\033[2J\033[H'; view; nodes_view; sleep 2; done
