#!/usr/bin/env bash
# PostgreSQL for the tests and CI (run as root): installs Debian's postgresql if missing, starts its
# cluster, creates a role and a database for the tests and prints the environment the tests read:
#   eval "$(./scripts/postgres.sh)" && ./scripts/test.sh
# BITSWEEP_TEST_PG_STOP / _START let the journal-outage test stop and restart the server.
# Everything but the exports goes to stderr.
set -euo pipefail
db=bitsweep_test
role=bitsweep_test
password=bitsweep_test

if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
  echo "installing postgresql" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -qx "$version main"; then
  pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
  pg_ctlcluster "$version" main start >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')

psql_admin() { runuser -u postgres -- psql -q -X -p "$port" -v ON_ERROR_STOP=1 "$@"; }
psql_admin -d postgres >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN PASSWORD '$password';
  END IF;
END \$\$;
SQL
if [ "$(psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
  psql_admin -d postgres -c "CREATE DATABASE $db OWNER $role" >&2
fi

echo "export BITSWEEP_TEST_PG_URL=postgresql://127.0.0.1:$port/$db"
echo "export BITSWEEP_TEST_PG_USER=$role"
echo "export BITSWEEP_TEST_PG_PASSWORD=$password"
echo "export BITSWEEP_TEST_PG_STOP=$(printf '%q' "pg_ctlcluster $version main stop -m fast")"
echo "export BITSWEEP_TEST_PG_START=$(printf '%q' "pg_ctlcluster $version main start")"
