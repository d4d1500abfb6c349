#!/usr/bin/env bash
# The TLS material of the Kubernetes recipe, as Secret manifests (nothing is sent to a cluster):
#   export BITSWEEP_CA_PASSWORD=… BITSWEEP_KEYSTORE_PASSWORD=… BITSWEEP_TRUSTSTORE_PASSWORD=…
#   deploy/k8s/tls-secrets.sh WORKERS [NAMESPACE] [CERTS_DIR]     → CERTS_DIR/secrets.yaml
#   kubectl apply -f CERTS_DIR/secrets.yaml
# Creates the cluster CA in CERTS_DIR (default ./certs-k8s; an existing CA is reused) and one node
# certificate per pod: bitsweep-orchestrator-0 and bitsweep-worker-0 … WORKERS-1, each naming the pod's DNS
# name behind its headless service (<pod>.<service>.<namespace>.svc.cluster.local), which is the address
# it binds and the name its peers verify. Secrets: bitsweep-tls (truststore.p12 and <pod>.node.p12 for
# every pod) and bitsweep-tls-passwords (keystore, truststore). Keep CERTS_DIR/ca.p12 off the cluster; to
# scale the workers up, run again with the new count (existing node certificates are kept).
set -euo pipefail
workers=${1:?usage: tls-secrets.sh WORKERS [NAMESPACE] [CERTS_DIR]}
namespace=${2:-bitsweep}
dir=${3:-certs-k8s}
bitsweep=${BITSWEEP:-$(cd "$(dirname "$0")/../.." && pwd)/bitsweep}
for v in BITSWEEP_CA_PASSWORD BITSWEEP_KEYSTORE_PASSWORD BITSWEEP_TRUSTSTORE_PASSWORD; do
  [ -n "${!v:-}" ] || { echo "tls-secrets.sh: set $v in the environment" >&2; exit 2; }
done
[ -f "$dir/ca.p12" ] || "$bitsweep" certs init --dir "$dir"
pods=(bitsweep-orchestrator-0)
for i in $(seq 0 $((workers - 1))); do pods+=("bitsweep-worker-$i"); done
files=()
for pod in "${pods[@]}"; do
  service=${pod%-*}
  [ -f "$dir/$pod/node.p12" ] || "$bitsweep" certs node --dir "$dir" --name "$pod" --host "$pod.$service.$namespace.svc.cluster.local"
  files+=("--from-file=$pod.node.p12=$dir/$pod/node.p12")
done
umask 077
{
  kubectl create secret generic bitsweep-tls --namespace "$namespace" --dry-run=client -o yaml \
    "--from-file=truststore.p12=$dir/${pods[0]}/truststore.p12" "${files[@]}"
  echo "---"
  kubectl create secret generic bitsweep-tls-passwords --namespace "$namespace" --dry-run=client -o yaml \
    --from-literal=keystore="$BITSWEEP_KEYSTORE_PASSWORD" --from-literal=truststore="$BITSWEEP_TRUSTSTORE_PASSWORD"
} > "$dir/secrets.yaml"
echo "tls-secrets.sh: $dir/secrets.yaml (Secrets bitsweep-tls for ${#pods[@]} pods and bitsweep-tls-passwords, namespace $namespace)" >&2
