#!/bin/sh
# A streaming replica of PRIMARY_HOST: on first start, clone it with pg_basebackup (-R writes
# standby.signal and primary_conninfo; -C -S keeps a replication slot so the primary holds the WAL
# the replica still needs), then run PostgreSQL as the image always does.
set -eu
: "${PGDATA:=/var/lib/postgresql/18/docker}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "replica: cloning ${PRIMARY_HOST} with pg_basebackup"
  mkdir -p "$PGDATA"
  chown -R postgres:postgres "$(dirname "$PGDATA")"
  chmod 700 "$PGDATA"
  until gosu postgres pg_isready -h "$PRIMARY_HOST" -U "$POSTGRES_USER" -d "$POSTGRES_DB"; do sleep 1; done
  PGPASSWORD="$REPLICATION_PASSWORD" gosu postgres pg_basebackup -h "$PRIMARY_HOST" -U replicator -D "$PGDATA" -X stream -R -C -S replica_1 --progress
fi
exec docker-entrypoint.sh postgres -c hot_standby=on
