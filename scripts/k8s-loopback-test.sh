#!/usr/bin/env bash
# The Kubernetes recipe's commands for real, without a cluster (run as root): the orchestrator's and the
# workers' command lines and environment are taken from the rendered manifests (kubectl kustomize
# deploy/k8s/cpu) and run as local processes, as the pods would run them:
#   - pod DNS names (<pod>.<service>.bitsweep.svc.cluster.local) are mapped to loopback addresses in
#     /etc/hosts (removed again at the end), so the nodes bind and dial those names;
#   - the TLS Secret is made by deploy/k8s/tls-secrets.sh and its keys are written to a folder, as the
#     kubelet mounts a Secret volume; hostname verification checks the pod names;
#   - the journal is the local PostgreSQL (scripts/postgres.sh), credentials from the environment as
#     the Secret bitsweep-journal would give them; paths of volumes become temporary folders;
#   - the trainer is the simulated one (--simulate 300-600 is appended to the workers' arguments).
# Checks: two workers join over mutually authenticated TLS, the sweep completes, the orchestrator exits 0.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
work=${BITSWEEP_K8S_TEST_DIR:-$(mktemp -d /tmp/bitsweep-k8s-loopback.XXXXXX)}
mkdir -p "$work"
python=/usr/bin/python3
say() { echo "k8s-loopback-test: $*" >&2; }
fail() { say "FAILED: $*"; for f in "$work"/*.log; do [ -f "$f" ] && { echo "---- $f" >&2; tail -15 "$f" >&2; }; done; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root (/etc/hosts, PostgreSQL)"

ns=bitsweep
pods=(bitsweep-orchestrator-0 bitsweep-worker-0 bitsweep-worker-1)
hosts_marker="# bitsweep k8s-loopback-test"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  sed -i "/$hosts_marker/d" /etc/hosts
}
trap cleanup EXIT
i=11
for pod in "${pods[@]}"; do
  echo "127.0.0.$i $pod.${pod%-*}.$ns.svc.cluster.local $hosts_marker" >> /etc/hosts
  i=$((i + 1))
done

eval "$(./scripts/postgres.sh)"
./bitsweep --version >/dev/null
export BITSWEEP_CA_PASSWORD=k8s-test-ca BITSWEEP_KEYSTORE_PASSWORD=k8s-test-ks BITSWEEP_TRUSTSTORE_PASSWORD=k8s-test-ts
deploy/k8s/tls-secrets.sh 2 "$ns" "$work/certs" 2>"$work/certs.log" || fail "tls-secrets.sh"
kubectl kustomize deploy/k8s/cpu > "$work/rendered.yaml"

# Secret → files (as a secret volume), and each container's command line with its volumes mapped here
"$python" - "$work" "$root" <<'EOF' || fail "could not turn the rendered manifests into commands"
import base64, json, os, re, shlex, sys, yaml
work, root = sys.argv[1:3]
tls = os.path.join(work, "tls")
os.makedirs(tls, exist_ok=True)
for d in yaml.safe_load_all(open(os.path.join(work, "certs", "secrets.yaml"))):
    if d and d["metadata"]["name"] == "bitsweep-tls":
        for key, value in d["data"].items():
            with open(os.path.join(tls, key), "wb") as f:
                f.write(base64.b64decode(value))
objs = {(d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(open(os.path.join(work, "rendered.yaml"))) if d}
settings = objs[("ConfigMap", next(n for k, n in objs if k == "ConfigMap" and n.startswith("bitsweep-settings")))]["data"]
sweep_cm = objs[("ConfigMap", next(n for k, n in objs if k == "ConfigMap" and n.startswith("bitsweep-sweep")))]["data"]
os.makedirs(os.path.join(work, "sweep"), exist_ok=True)
# a sweep name of its own: the journal database is shared with other runs
open(os.path.join(work, "sweep", "sweep.yaml"), "w").write(
    re.sub(r"(?m)^name: .*$", f"name: k8s-loopback-{os.getpid()}", sweep_cm["sweep.yaml"], count=1))
paths = {"/etc/bitsweep/tls": tls, "/etc/bitsweep/sweep": os.path.join(work, "sweep"), "/results": os.path.join(work, "results"),
         "/scratch": os.path.join(work, "scratch-$POD_NAME"), "/usr/local/bin/bitsweep": os.path.join(root, "bitsweep")}
def local(text):
    for k, v in paths.items():
        text = text.replace(k, v)
    return text
def env_of(c, pod):
    env = {"POD_NAME": pod, "POD_NAMESPACE": "bitsweep", "DATA_DIR": os.path.join(root, "data"),
           "BITSWEEP_JOURNAL_USER": os.environ["BITSWEEP_TEST_PG_USER"], "BITSWEEP_JOURNAL_PASSWORD": os.environ["BITSWEEP_TEST_PG_PASSWORD"],
           "BITSWEEP_API_TOKEN": "k8s-loopback-test-api-token"}
    for e in c.get("env", []):
        if "value" in e:
            env[e["name"]] = re.sub(r"\$\((\w+)\)", lambda m: env.get(m.group(1), m.group(0)), e["value"])
    env.update({k: v for k, v in settings.items() if k != "DATA_DIR"})
    env["BITSWEEP_JOURNAL_URL"] = os.environ["BITSWEEP_TEST_PG_URL"]
    env["HOME"] = os.path.join(work, "home")
    env["BITSWEEP_JAVA_OPTS"] = "-Xmx512m"
    return env
def script(name, pod, c, argv):
    env = env_of(c, pod)
    lines = ["#!/bin/sh", "set -e"] + [f"export {k}={shlex.quote(v)}" for k, v in env.items()]
    lines.append(f'mkdir -p "$HOME" {shlex.quote(os.path.join(work, "results"))}')
    lines.append(argv)
    open(os.path.join(work, name), "w").write("\n".join(lines) + "\n")
orch = objs[("StatefulSet", "bitsweep-orchestrator")]["spec"]["template"]["spec"]["containers"][0]
assert orch["command"] == ["/bin/sh", "-c"], orch["command"]
body = local(orch["args"][0]).replace("exec sleep infinity", "true")
body = body.replace("; echo", "\nstatus=$?; echo").replace("with status $?", "with status $status") + "\nexit $status"
script("orchestrator.sh", "bitsweep-orchestrator-0", orch, "set +e\n" + body)
worker = objs[("StatefulSet", "bitsweep-worker")]["spec"]["template"]["spec"]["containers"][0]
for i in (0, 1):
    pod = f"bitsweep-worker-{i}"
    env = env_of(worker, pod)
    args = [re.sub(r"\$\((\w+)\)", lambda m: env[m.group(1)], a) for a in worker["args"]]
    argv = " ".join([shlex.quote(os.path.join(root, "bitsweep"))] + [shlex.quote(local(a)).replace("$POD_NAME", pod) for a in args]
                    + ["--simulate", "300-600", "--worker-heap", "512m"])
    script(f"worker-{i}.sh", pod, worker, "exec " + argv)
EOF

for i in 0 1; do sh "$work/worker-$i.sh" > "$work/worker-$i.log" 2>&1 & pids+=($!); done
say "workers started with the manifest's arguments: $(tail -1 "$work/worker-0.sh" | cut -c1-200)…"
t0=$(date +%s)
# the readiness probe's request while the sweep runs (httpGet /healthz on the http port, no token), and the
# API with the token from the Secret
api="http://bitsweep-orchestrator-0.bitsweep-orchestrator.$ns.svc.cluster.local:8080"
(for _ in $(seq 1 240); do
   if curl -sf "$api/healthz" > "$work/healthz.txt" \
       && curl -sf -H "Authorization: Bearer k8s-loopback-test-api-token" "$api/api/sweep" > "$work/api.json"; then
     break
   fi
   sleep 0.5
 done) & probe=$!
set +e
timeout 600 sh "$work/orchestrator.sh" > "$work/orchestrator.log" 2>&1
status=$?
set -e
wait "$probe" || true
[ "$(cat "$work/healthz.txt" 2>/dev/null)" = ok ] || fail "/healthz on the http port did not answer ok while the sweep ran"
[ -s "$work/api.json" ] || fail "the API did not answer with the Secret's token"
say "orchestrator exited with $status after $(( $(date +%s) - t0 )) s"
[ "$status" = 0 ] || fail "orchestrator exit status $status"
grep -q "cluster traffic uses mutually authenticated TLS" "$work/orchestrator.log" || fail "the orchestrator did not run TLS"
grep -q "journal: PostgreSQL" "$work/orchestrator.log" || fail "the orchestrator did not journal to PostgreSQL"
for i in 0 1; do
  grep -q "bitsweep-worker-$i.bitsweep-worker.$ns.svc.cluster.local:25520/worker-0:cpu() joined\|bitsweep-worker-$i.bitsweep-worker.$ns.svc.cluster.local:25520/user/worker-0 joined" "$work/orchestrator.log" \
    || fail "worker $i did not join by its pod name"
done
grep -q "orchestrator exited with status 0" "$work/orchestrator.log" || fail "no exit line from the manifest's shell wrapper"
n=$(grep -c '"status":"completed"' "$work/results/sweep/trials.jsonl")
[ "$n" = 8 ] || fail "$n of 8 trials completed"
say "PASSED: 2 workers joined bitsweep-orchestrator-0 by pod name over mutually authenticated TLS, journal in PostgreSQL, /healthz and the API answered on the http port, 8 trials completed ($work)"
