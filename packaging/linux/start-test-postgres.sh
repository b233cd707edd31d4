#!/usr/bin/env bash
# Starts Debian's PostgreSQL cluster on loopback and makes a role and database for the tests.
# Idempotent. Prints the URL to export as SWITCHBOARD_TEST_DATABASE_URL.
set -euo pipefail

role=${SWITCHBOARD_TEST_PG_ROLE:-switchboard}
password=${SWITCHBOARD_TEST_PG_PASSWORD:-switchboard}
database=${SWITCHBOARD_TEST_PG_DATABASE:-switchboard_test}

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -q "^${version}/main$"; then
  pg_createcluster "$version" main >/dev/null
fi
conf="/etc/postgresql/${version}/main/postgresql.conf"
if ! grep -q "^listen_addresses = 'localhost'" "$conf"; then
  echo "listen_addresses = 'localhost'" >> "$conf"
fi
if ! pg_lsclusters -h | grep -q "^${version} *main .* online"; then
  pg_ctlcluster "$version" main start
fi

as_postgres() { (cd / && runuser -u postgres -- "$@"); }
for _ in $(seq 1 50); do
  as_postgres psql -qtAc 'select 1' >/dev/null 2>&1 && break
  sleep 0.2
done
if [ "$(as_postgres psql -qtAc "select 1 from pg_roles where rolname='${role}'")" != "1" ]; then
  as_postgres psql -qc "create role ${role} login createdb password '${password}'"
fi
if [ "$(as_postgres psql -qtAc "select 1 from pg_database where datname='${database}'")" != "1" ]; then
  as_postgres createdb -O "$role" "$database"
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
echo "postgres://${role}:${password}@127.0.0.1:${port}/${database}"
