#!/usr/bin/env bash
# Offline check of the Kubernetes recipe (deploy/k8s), with tools Debian ships and no cluster:
#   1. `kubectl kustomize` renders the GPU setup (deploy/k8s) and the CPU overlay (deploy/k8s/cpu);
#   2. every rendered object passes deploy/k8s/schema_check.py (field names, required fields and
#      structure against the OpenAPI-generated models of python3-kubernetes);
#   3. the recipe's own promises hold in the rendered output (GPU workers request nvidia.com/gpu: 1,
#      the CPU overlay none; probes on the cluster port, readiness on /healthz; secrets referenced; seed service headless);
#   4. the checker itself rejects a manifest with a misspelled field and one with a missing required field.
# Needs kubectl >= 1.21; installs python3-kubernetes when missing (as root).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
python=/usr/bin/python3 # Debian's, where python3-kubernetes lives (not a pyenv shim)
work=$(mktemp -d /tmp/bitsweep-k8s.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "k8s-validate: FAILED: $*" >&2; exit 1; }

# kubectl with kustomize v4+ (kubectl >= 1.21): Debian bookworm's kubernetes-client is 1.20, whose
# kustomize 2.0.3 knows neither `labels:` nor `patches:`; the Google Cloud SDK's kubectl package is fine.
# A CI machine without such a kubectl skips this check loudly (Debian has no kubectl >= 1.21 to install);
# BITSWEEP_K8S_VALIDATE=required turns that into a failure.
minor=$(kubectl version --client 2>/dev/null | sed -n 's/^Client Version: v1\.\([0-9]*\).*/\1/p' || true)
if [ "${minor:-0}" -lt 21 ]; then
  why="needs kubectl >= 1.21 (e.g. the kubectl package of the Google Cloud SDK apt repository); found: $(kubectl version --client 2>/dev/null | head -1 || echo none)"
  [ "${BITSWEEP_K8S_VALIDATE:-}" = required ] && fail "$why"
  echo "k8s-validate: SKIPPED: $why" >&2
  exit 0
fi
if ! "$python" -c 'import kubernetes, yaml' 2>/dev/null; then
  [ "$(id -u)" = 0 ] || fail "needs python3-kubernetes (apt-get install python3-kubernetes)"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-kubernetes python3-yaml >&2
fi

kubectl kustomize deploy/k8s > "$work/gpu.yaml" || fail "kubectl kustomize deploy/k8s"
kubectl kustomize deploy/k8s/cpu > "$work/cpu.yaml" || fail "kubectl kustomize deploy/k8s/cpu"
"$python" deploy/k8s/schema_check.py < "$work/gpu.yaml" || fail "schema check of deploy/k8s"
"$python" deploy/k8s/schema_check.py < "$work/cpu.yaml" || fail "schema check of deploy/k8s/cpu"

# what the recipe promises, read from the rendered objects
"$python" - "$work/gpu.yaml" "$work/cpu.yaml" <<'EOF' || fail "the rendered manifests do not keep the recipe's promises"
import sys, yaml
def objects(path):
    return {(d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(open(path)) if d}
problems = []
def expect(cond, what):
    if not cond:
        problems.append(what)
for path, gpu in ((sys.argv[1], True), (sys.argv[2], False)):
    o = objects(path)
    tag = "deploy/k8s" if gpu else "deploy/k8s/cpu"
    orch = o[("StatefulSet", "bitsweep-orchestrator")]["spec"]
    work = o[("StatefulSet", "bitsweep-worker")]["spec"]
    oc, wc = orch["template"]["spec"]["containers"][0], work["template"]["spec"]["containers"][0]
    expect(orch["replicas"] == 1, f"{tag}: one orchestrator")
    gpus = wc["resources"].get("limits", {}).get("nvidia.com/gpu")
    expect(gpus == 1 if gpu else gpus is None, f"{tag}: worker nvidia.com/gpu is {gpus}")
    args = " ".join(wc["args"])
    expect(("--gpus all" in args) if gpu else ("--cpu-workers 1" in args and "--gpus" not in args), f"{tag}: worker devices: {args}")
    expect("bitsweep-orchestrator-0.bitsweep-orchestrator" in str(wc["env"]), f"{tag}: workers join the orchestrator's pod name")
    for name, c in (("orchestrator", oc), ("worker", wc)):
        expect(c["livenessProbe"]["tcpSocket"]["port"] == "cluster", f"{tag}: {name} liveness probe on the cluster port")
        expect(c["startupProbe"]["tcpSocket"]["port"] == "cluster", f"{tag}: {name} startup probe on the cluster port")
        expect("--tls-truststore" in str(c.get("args")), f"{tag}: {name} uses TLS")
        expect(c["image"].startswith("registry.example.com/bitsweep:0.1.0-SNAPSHOT-" + ("cuda" if gpu else "cpu")), f"{tag}: {name} image {c['image']}")
    secrets = {e["valueFrom"]["secretKeyRef"]["name"] for e in oc["env"] if "secretKeyRef" in e.get("valueFrom", {})}
    expect({"bitsweep-journal", "bitsweep-tls-passwords", "bitsweep-api-token"} <= secrets, f"{tag}: orchestrator secrets {secrets}")
    expect("--journal" in str(oc["args"]), f"{tag}: orchestrator journals to PostgreSQL")
    expect("--http 0.0.0.0:8080" in str(oc["args"]), f"{tag}: orchestrator serves the dashboard and API")
    expect(oc["readinessProbe"].get("httpGet") == {"path": "/healthz", "port": "http"},
           f"{tag}: orchestrator ready when /healthz answers")
    expect(not any(e.get("valueFrom", {}).get("secretKeyRef", {}).get("optional") for e in oc["env"]
                   if e["name"] == "BITSWEEP_API_TOKEN"), f"{tag}: the API token is required (--http beyond loopback)")
    expect(any(p["name"] == "http" for p in o[("Service", "bitsweep-orchestrator")]["spec"]["ports"]),
           f"{tag}: orchestrator service names the http port")
    for svc in ("bitsweep-orchestrator", "bitsweep-worker"):
        s = o[("Service", svc)]["spec"]
        expect(s["clusterIP"] == "None" and s["publishNotReadyAddresses"], f"{tag}: {svc} headless, names published before ready")
    expect(("PersistentVolumeClaim", "bitsweep-djl-natives") in o if gpu else ("PersistentVolumeClaim", "bitsweep-djl-natives") not in o,
           f"{tag}: natives volume only with GPUs")
    expect(all(d["metadata"].get("namespace") == "bitsweep" for k, d in o.items() if k[0] != "Namespace"), f"{tag}: namespace bitsweep")
for p in problems:
    print("  " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
EOF

# the checker must be able to fail: a misspelled field, and a container without its required name
sed 's/containerPort:/containerPrt:/' "$work/gpu.yaml" > "$work/typo.yaml"
if "$python" deploy/k8s/schema_check.py < "$work/typo.yaml" 2>"$work/typo.err"; then fail "schema check accepted a misspelled field"; fi
grep -q "containerPrt: unknown field of V1ContainerPort" "$work/typo.err" || fail "schema check did not name the misspelled field: $(cat "$work/typo.err")"
"$python" - "$work/gpu.yaml" <<'EOF' > "$work/noname.yaml"
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
for d in docs:
    if d["kind"] == "StatefulSet":
        d["spec"]["template"]["spec"]["containers"][0].pop("name", None)
print(yaml.safe_dump_all(docs))
EOF
if "$python" deploy/k8s/schema_check.py < "$work/noname.yaml" 2>"$work/noname.err"; then fail "schema check accepted a container without a name"; fi
grep -q "Invalid value for \`name\`, must not be \`None\`" "$work/noname.err" || fail "schema check did not name the missing field: $(cat "$work/noname.err")"

echo "k8s-validate: deploy/k8s ($(grep -c '^kind:' "$work/gpu.yaml") objects) and deploy/k8s/cpu ($(grep -c '^kind:' "$work/cpu.yaml") objects) render, pass the schema check and keep the recipe's promises; the checker rejects a misspelled and a missing required field" >&2
