#!/bin/sh
# Run by Patroni once, on the node that initialises the cluster, with a connection string as $1.
# The service's role and database, and the settings the API would otherwise send at connection start
# (PgBouncer in transaction mode does not pass them on).
set -eu
psql "$1" -v ON_ERROR_STOP=1 -q <<SQL
CREATE ROLE media_graph LOGIN PASSWORD '${MEDIA_GRAPH_PASSWORD}';
CREATE DATABASE media_graph OWNER media_graph;
ALTER DATABASE media_graph SET timezone TO 'UTC';
ALTER DATABASE media_graph SET pg_trgm.word_similarity_threshold TO 0.5;
ALTER ROLE media_graph IN DATABASE media_graph SET statement_timeout TO '5s';
SQL
