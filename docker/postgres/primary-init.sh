#!/bin/sh
# Runs once, when the primary's data directory is created (docker-entrypoint-initdb.d).
# A role for streaming replication, allowed to connect for it, and the settings the API would
# otherwise send at connection start (PgBouncer in transaction mode does not pass them on).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '${REPLICATION_PASSWORD}';
ALTER DATABASE "${POSTGRES_DB}" SET timezone TO 'UTC';
ALTER DATABASE "${POSTGRES_DB}" SET pg_trgm.word_similarity_threshold TO 0.5;
ALTER ROLE "${POSTGRES_USER}" IN DATABASE "${POSTGRES_DB}" SET statement_timeout TO '5s';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
