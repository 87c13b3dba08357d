#!/usr/bin/env bash
# The benchmark's private PostgreSQL cluster: created fresh on every start, tuned the same way for
# every run (pgbench and the service share it). Durability stays on: fsync, synchronous_commit,
# full_page_writes.
#   pg.sh start DATA_DIR PORT [track]   track = top (default) | all (pg_stat_statements inside functions)
#   pg.sh stop DATA_DIR
set -euo pipefail

cmd=${1:?usage: pg.sh start|stop DATA_DIR [PORT] [track]}
data=$(realpath -m "${2:?data directory}")
port=${3:-55440}
track=${4:-top}

bindir=${PG_BINDIR:-}
if [ -z "$bindir" ]; then
  for candidate in /usr/lib/postgresql/*/bin; do [ -x "$candidate/initdb" ] && bindir=$candidate; done
fi
if [ -z "$bindir" ]; then
  echo "PostgreSQL server binaries not found; installing them (Debian package postgresql)..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >/dev/null
  for candidate in /usr/lib/postgresql/*/bin; do [ -x "$candidate/initdb" ] && bindir=$candidate; done
fi

# PostgreSQL refuses to run as root: as root the cluster belongs to the 'postgres' user.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    as_owner "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$data"
    mkdir -p "$data"
    if [ "$(id -u)" = 0 ]; then
      chown postgres:postgres "$data"
      dir=$(dirname "$data"); while [ "$dir" != / ]; do chmod o+x "$dir" 2>/dev/null || true; dir=$(dirname "$dir"); done
    fi
    as_owner "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >> "$data/postgresql.conf" <<CONF
# --- bench/pg.sh: the same for every run ---
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$data'
max_connections = 150
shared_buffers = 1GB
effective_cache_size = 4GB
work_mem = 4MB
maintenance_work_mem = 256MB
wal_buffers = 64MB
min_wal_size = 2GB
max_wal_size = 16GB
checkpoint_timeout = 30min
checkpoint_completion_target = 0.9
fsync = on
synchronous_commit = on
full_page_writes = on
random_page_cost = 1.1
jit = off
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = $track
pg_stat_statements.max = 5000
track_io_timing = on
log_checkpoints = on
log_lock_waits = on
log_autovacuum_min_duration = 0
CONF
    as_owner "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start >/dev/null
    as_owner "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE referral" >/dev/null
    as_owner "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE pgbench" >/dev/null
    for db in referral pgbench; do
      as_owner "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d "$db" -qc "CREATE EXTENSION pg_stat_statements" >/dev/null
    done
    echo "$bindir"
    ;;
  stop)
    [ -f "$data/PG_VERSION" ] && as_owner "$bindir/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "unknown command $cmd" >&2; exit 2 ;;
esac
