#!/bin/sh
# Applies Temporal's PostgreSQL schemas (runs in temporalio/admin-tools, after PostgreSQL is healthy).
# Both steps are idempotent: setup-schema keeps an existing version and update-schema only applies newer
# migrations, so this runs on every `docker compose up` and migrates after an image upgrade.
# Connection comes from SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER and SQL_PASSWORD (read by temporal-sql-tool).
set -eu

: "${SQL_HOST:?SQL_HOST is not set}"
: "${SQL_PASSWORD:?SQL_PASSWORD is not set}"
SCHEMA_ROOT=/etc/temporal/schema/postgresql/v12

for store in temporal:temporal visibility:temporal_visibility; do
  dir=${store%%:*}
  db=${store#*:}
  echo "schema: ${db}"
  temporal-sql-tool --db "$db" setup-schema -v 0.0
  temporal-sql-tool --db "$db" update-schema -d "$SCHEMA_ROOT/$dir/versioned"
done
echo 'schema: up to date'
