#!/bin/sh
# Starts PgBouncer with docker/topology/pgbouncer.ini, its password file written from the environment
# (MEDIA_GRAPH_PASSWORD) in a directory of its own: what the topology test does with the same file.
set -eu
dir=${PGBOUNCER_DIR:-/tmp/pgbouncer}
mkdir -p "$dir"
printf '"media_graph" "%s"\n' "$MEDIA_GRAPH_PASSWORD" > "$dir/userlist.txt"
sed "s|^auth_file = .*|auth_file = $dir/userlist.txt|" "$(dirname "$0")/pgbouncer.ini" > "$dir/pgbouncer.ini"
exec pgbouncer "$dir/pgbouncer.ini"
