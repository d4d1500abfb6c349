#!/usr/bin/env bash
# The test command: fetches MNIST if missing (real data for the training tests), starts PostgreSQL for
# the journal tests when it can (as root: installs and starts Debian's postgresql, see postgres.sh), then
# runs every module's tests (unit, actor, multi-JVM cluster, end-to-end) with Maven.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/get-mnist.sh"
if [ -z "${BITSWEEP_TEST_PG_URL:-}" ]; then
  if [ "$(id -u)" = 0 ]; then
    eval "$("$root/scripts/postgres.sh")"
  else
    echo "test.sh: not root, so no PostgreSQL was started: the journal tests on PostgreSQL are skipped" \
         "(run eval \"\$(sudo ./scripts/postgres.sh)\" first, or set BITSWEEP_TEST_PG_URL/_USER/_PASSWORD)" >&2
  fi
fi
cd "$root"
exec "$root/scripts/mvn.sh" -B verify "$@"
