#!/usr/bin/env bash
# Builds DJL 0.36's PyTorch JNI (libdjl_torch.so) against the PyTorch that `python3` imports on this node, and
# installs it where DJL looks first, so BitSweep trains on the node's own libtorch/CUDA instead of DJL's 2.7.1
# natives. For GPU nodes that cannot download DJL's cu128 natives but have a (newer) PyTorch, e.g. a cluster
# image with torch 2.11/cu130. DJL's prebuilt JNI must NOT be used with another libtorch: its inline header code
# assumes 2.7.1's tensor layout (seen: "set_stride is not allowed on a Tensor created from .data or .detach()").
#
#   scripts/djl-jni-for-local-torch.sh DJL_SRC [FLAVOR]
#     DJL_SRC  a checkout of https://github.com/deepjavalibrary/djl at tag v0.36.0 (the DJL this build uses)
#     FLAVOR   a label for DJL's cache folder (default cu128); use the same value in PYTORCH_FLAVOR
# Needs: python3 with torch, g++ (C++17), a JDK (javac, JNI headers), the CUDA headers for a CUDA torch.
# Prints the environment to export; see docs/gpu.md "The node's own PyTorch".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
djl="${1:?usage: $0 DJL_SRC [FLAVOR]}"; flavor="${2:-cu128}"
src="$djl/engines/pytorch/pytorch-native/src/main/native"
lib_java="$djl/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"
for f in "$src" "$lib_java" "$djl/api/src/main/native/djl/utils.h"; do
  [ -e "$f" ] || { echo "$0: $f not found: DJL_SRC must be a DJL v0.36.0 checkout" >&2; exit 2; }
done
jar="${BITSWEEP_JAR:-$root/app/target/bitsweep.jar}"  # any jar with DJL 0.36 classes
[ -f "$jar" ] || { echo "$0: $jar missing: build it first (./bitsweep --help)" >&2; exit 2; }
torch="$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')"
abi="$(python3 -c 'import torch;print(int(torch._C._GLIBCXX_USE_CXX11_ABI))')"
cuda="$(python3 -c 'import torch;print(torch.version.cuda or "")')"
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
# The JNI header comes from DJL's Java side, compiled against the DJL classes inside bitsweep.jar.
javac -h "$work/include" -cp "$jar" -d "$work/classes" "$lib_java"
flags=(-std=c++17 -O2 -fPIC "-D_GLIBCXX_USE_CXX11_ABI=$abi" "-I$work/include" "-I$java_home/include"
       "-I$java_home/include/linux" "-I$djl/api/src/main/native" "-I$src" "-I$torch/include"
       "-I$torch/include/torch/csrc/api/include")
libs=(-lc10 -ltorch_cpu -ltorch)
if [ -n "$cuda" ]; then
  hdr="$(find /usr/local/cuda*/ "$torch/../nvidia" -name cuda_runtime_api.h 2>/dev/null | head -1)"
  [ -n "$hdr" ] || { echo "$0: torch is built for CUDA $cuda but no cuda_runtime_api.h was found" >&2; exit 2; }
  flags+=(-DUSE_CUDA "-I$(dirname "$hdr")"); libs+=(-lc10_cuda -ltorch_cuda)
fi
echo "building libdjl_torch.so for torch $(python3 -c 'import torch;print(torch.__version__)') in $torch" >&2
ls "$src"/*.cc | xargs -P "$(nproc)" -I{} sh -c 'g++ "$@" -c "{}" -o "'"$work"'/$(basename "{}" .cc).o"' _ "${flags[@]}"
cache="${ENGINE_CACHE_DIR:-$HOME/.djl.ai}/pytorch/2.7.1-$flavor-linux-x86_64"
mkdir -p "$cache"
g++ -shared -o "$work/libdjl_torch.so" "$work"/*.o "-L$torch/lib" "${libs[@]}" "-Wl,-rpath,$torch/lib"
mv "$work/libdjl_torch.so" "$cache/0.36.0-libdjl_torch.so"
echo "installed $cache/0.36.0-libdjl_torch.so; now:" >&2
echo "export PYTORCH_LIBRARY_PATH=$torch/lib PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=$flavor"
