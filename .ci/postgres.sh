#!/usr/bin/env bash
# Start the local PostgreSQL 15 cluster and make sure the test role and database exist (idempotent).
# Prints the URL to export as NEWSCLAIMS_TEST_POSTGRES_URL. The role gets CREATEDB: the PostgreSQL
# tests create a fresh database per test and drop it afterwards. Runs as root or as postgres.
set -euo pipefail
ROLE="${NEWSCLAIMS_PG_ROLE:-newsclaims}"
PASSWORD="${NEWSCLAIMS_PG_PASSWORD:-newsclaims}"
DATABASE="${NEWSCLAIMS_PG_DATABASE:-newsclaims}"
as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else su postgres -c "$(printf '%q ' "$@")"; fi
}
if ! pg_lsclusters 15 main | grep -q online; then
  pg_ctlcluster 15 main start >&2
fi
for _ in $(seq 1 30); do
  as_postgres pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
as_postgres psql -q -v ON_ERROR_STOP=1 -d postgres >&2 <<SQL
SELECT 'CREATE ROLE "$ROLE" LOGIN CREATEDB PASSWORD ''$PASSWORD'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE')\gexec
ALTER ROLE "$ROLE" LOGIN CREATEDB PASSWORD '$PASSWORD';
SELECT 'CREATE DATABASE "$DATABASE" OWNER "$ROLE"'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DATABASE')\gexec
SQL
echo "postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:5432/$DATABASE"
