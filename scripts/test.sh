#!/usr/bin/env bash
# The test command: fetches MNIST if missing (real data for the training tests), then runs every
# module's tests (unit, actor, multi-JVM cluster, end-to-end) with Maven.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/get-mnist.sh"
cd "$root"
exec mvn -B verify "$@"
