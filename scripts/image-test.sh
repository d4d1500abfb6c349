#!/usr/bin/env bash
# The container image recipe without a registry or a container runtime (run as root):
#   1. a base image is made from this machine's JRE 17 (its files and the libraries they load, as a
#      docker-archive tar), standing in for eclipse-temurin:17-jre, which needs Docker Hub;
#   2. `mvn -Pimage package` builds BitSweep's image on it with Jib (base given as tar://…), into
#      app/target-image/jib-image.tar (a separate build folder: app/target is what ./bitsweep runs);
#   3. the image's layers are unpacked into a folder and its entry point is run there under chroot,
#      as a container runtime would: `bitsweep --version`, `bitsweep validate` of a sweep file and a local
#      sweep with the simulated trainer on two device processes (`bitsweep run --simulate`).
# Usage: ./scripts/image-test.sh [extra mvn options, e.g. -o]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
work=${BITSWEEP_IMAGE_TEST_DIR:-$(mktemp -d /tmp/bitsweep-image-test.XXXXXX)}
mkdir -p "$work"
say() { echo "image-test: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root (chroot)"

# 1. the base image: the JRE, /bin/sh and every shared library they need
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
rootfs=$work/base-rootfs
rm -rf "$rootfs" && mkdir -p "$rootfs"
# Debian's merged /usr: /lib, /lib64 and /bin are links into /usr, so every path is taken as its /usr
# twin plus the file it finally resolves to, and the rootfs gets the same links.
usr_path() { sed -E 's#^/(lib|lib64|bin|sbin)/#/usr/\1/#'; }
{
  find "$java_home" \( -type f -o -type l \)
  [ -d /etc/java-17-openjdk ] && find /etc/java-17-openjdk \( -type f -o -type l \)
  echo /bin/sh; echo /usr/bin/env
  find "$java_home" /bin/sh /usr/bin/env -type f \( -name '*.so' -o -perm -u+x \) -exec ldd {} \; 2>/dev/null \
    | grep -o '/[^ ]*' | sort -u
  echo /etc/ssl/certs/java/cacerts
} | usr_path | while read -r f; do realpath -sm "$f"; readlink -f "$f" || true; done | usr_path | sort -u \
  | while read -r f; do if [ -e "$f" ] || [ -L "$f" ]; then echo "$f"; fi; done > "$work/base-files.txt"
tar -cf - -T "$work/base-files.txt" 2>/dev/null | tar -xf - -C "$rootfs"
for d in lib lib64 bin sbin; do mkdir -p "$rootfs/usr/$d"; ln -s "usr/$d" "$rootfs/$d"; done
mkdir -p "$rootfs/tmp" "$rootfs/proc" "$rootfs/work" && chmod 1777 "$rootfs/tmp"
ln -sf "$java_home/bin/java" "$rootfs/usr/bin/java"
(cd "$rootfs" && tar --numeric-owner -cf "$work/layer.tar" .)
diff_id=sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
cat > "$work/config.json" <<EOF
{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=$java_home"]},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},"history":[{"created_by":"scripts/image-test.sh: this machine's JRE"}]}
EOF
echo '[{"Config":"config.json","RepoTags":["local/jre17:test"],"Layers":["layer.tar"]}]' > "$work/manifest.json"
(cd "$work" && tar -cf base.tar manifest.json config.json layer.tar)
say "base image $work/base.tar ($(du -m "$work/base.tar" | cut -f1) MiB: $java_home, /bin/sh and $(grep -c '\.so' "$work/base-files.txt") libraries)"

# 2. Jib
t0=$(date +%s)
mvn -B -q -Pimage -Dbitsweep.buildDir=target-image -DskipTests package -pl app -am \
    "-Dbitsweep.image.base=tar://$work/base.tar" -Dimage=bitsweep:test "$@" || fail "mvn -Pimage package"
image=app/target-image/jib-image.tar
[ -f "$image" ] || fail "no $image"
say "Jib built $image ($(du -m "$image" | cut -f1) MiB) in $(( $(date +%s) - t0 )) s"

# 3. unpack the layers in order, then run the entry point from the image's own config
img=$work/image
rm -rf "$img" "$work/rootfs" && mkdir -p "$img" "$work/rootfs"
tar -xf "$image" -C "$img"
/usr/bin/python3 - "$img" "$work/rootfs" "$work/entrypoint.txt" <<'EOF'
import json, sys, tarfile, os
img, rootfs, out = sys.argv[1:4]
manifest = json.load(open(os.path.join(img, "manifest.json")))[0]
config = json.load(open(os.path.join(img, manifest["Config"])))
for layer in manifest["Layers"]:
    with tarfile.open(os.path.join(img, layer)) as t:
        t.extractall(rootfs)
c = config["config"]
open(out, "w").write("\n".join(c["Entrypoint"]) + "\n")
print("entrypoint", c["Entrypoint"], "cmd", c.get("Cmd"), "workdir", c.get("WorkingDir"), "ports", list(c.get("ExposedPorts", {})),
      "layers", len(manifest["Layers"]), file=sys.stderr)
EOF
entry=$(head -1 "$work/entrypoint.txt")
[ "$entry" = /usr/local/bin/bitsweep ] || fail "entry point is $entry"
[ -x "$work/rootfs$entry" ] || fail "$entry is not executable in the image"
[ -f "$work/rootfs/app/jib-classpath-file" ] || fail "no /app/jib-classpath-file in the image"
grep -q '/app/libs/djl-pytorch-native\|pytorch-native-cpu' "$work/rootfs/app/jib-classpath-file" \
  || fail "the CPU image's class path has no pytorch-native-cpu"
mkdir -p "$work/rootfs/work/sweeps" "$work/rootfs/proc" "$work/rootfs/tmp"
cp sweeps/mnist-smoke.yaml "$work/rootfs/work/sweeps/"
# the folder becomes a mount point of its own and gets /proc: the JVM looks up the file store of the
# results folder in /proc/self/mounts (atomic writes), which a plain chroot folder would not be in
mount --bind "$work/rootfs" "$work/rootfs"
mount -t proc proc "$work/rootfs/proc"
trap 'umount "$work/rootfs/proc" 2>/dev/null; umount "$work/rootfs" 2>/dev/null || true' EXIT
run() { chroot "$work/rootfs" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/tmp sh -c "cd /work && $entry $*"; }
version=$(run --version) || fail "bitsweep --version in the image"
say "in the image: bitsweep --version → $version"
run validate sweeps/mnist-smoke.yaml > "$work/validate.txt" 2>&1 || { cat "$work/validate.txt" >&2; fail "bitsweep validate in the image"; }
grep -q "mu0.05-pruning-s0-9b32afd872" "$work/validate.txt" || fail "validate printed no trial table: $(head -5 "$work/validate.txt")"
say "in the image: bitsweep validate sweeps/mnist-smoke.yaml → $(grep -c -- '-s0-' "$work/validate.txt") trials"
# a whole local sweep inside the image: the supervisor plus two device processes (child JVMs started from
# the image's java and class path), simulated trainer
run run sweeps/mnist-smoke.yaml --simulate 300-600 --cpu-workers 2 --worker-heap 512m --results /tmp/sim \
  > "$work/run.txt" 2>&1 || { tail -20 "$work/run.txt" >&2; fail "bitsweep run in the image"; }
grep -q "worker-1:cpu() started" "$work/run.txt" || fail "no second device process in the image's run"
grep -q "8 trials: queued 0, running 0, completed 8, failed 0" "$work/run.txt" || fail "the image's run did not complete 8 trials"
say "in the image: bitsweep run sweeps/mnist-smoke.yaml --simulate 300-600 --cpu-workers 2 → 8 trials completed on 2 device processes ($(grep -o 'wall time [0-9.]* s' "$work/run.txt"))"
say "PASSED ($work)"
