#!/usr/bin/env bash
# Runs the project's Maven: the wrapper's pinned, checksum-verified Maven 3.8.7 (./mvnw, downloaded once
# from Maven Central into ~/.m2/wrapper), or the machine's mvn when the wrapper cannot fetch it (offline).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if "$root/mvnw" -q -v >/dev/null 2>&1; then
  exec "$root/mvnw" "$@"
fi
if command -v mvn >/dev/null; then
  echo "scripts/mvn.sh: the Maven wrapper could not fetch Maven 3.8.7 (offline?); using $(command -v mvn)" >&2
  exec mvn "$@"
fi
echo "scripts/mvn.sh: neither the Maven wrapper (no network) nor an installed mvn works" >&2
exit 1
