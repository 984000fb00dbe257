#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL 15 server:
#   scripts/with-postgres.sh ctest --test-dir build
# initdb in a fresh temporary folder, a free loopback port, the server run as an
# unprivileged user when we are root (PostgreSQL refuses to run as root). Exports
#   TEST_POSTGRES_URL      postgres://cubeauth@127.0.0.1:<port>/cubeauth
#   TEST_POSTGRES_PGCTL    path of pg_ctl
#   TEST_POSTGRES_DATA     the data folder
#   TEST_POSTGRES_RUN_AS   the user that must run pg_ctl ("" when it is us)
#   TEST_POSTGRES_LOG      the server's log file
# so that a fault test can stop and restart the server. Stops the server, removes
# the folder and exits with the command's status.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 command [args...]" >&2
  exit 2
fi

pg_bin=${POSTGRES_BIN:-/usr/lib/postgresql/15/bin}
for tool in initdb pg_ctl postgres; do
  if [ ! -x "$pg_bin/$tool" ]; then
    echo "with-postgres: $pg_bin/$tool not found (Debian package postgresql-15)" >&2
    exit 2
  fi
done

run_as=""
if [ "$(id -u)" = 0 ]; then
  if id postgres >/dev/null 2>&1; then run_as=postgres; else run_as=nobody; fi
fi
as_server_user() {
  if [ -n "$run_as" ]; then
    runuser -u "$run_as" -- "$@"
  else
    "$@"
  fi
}

dir=$(mktemp -d "${TMPDIR:-/tmp}/cubeauth-pg.XXXXXX")
data="$dir/data"
if [ -n "$run_as" ]; then
  chown "$run_as" "$dir"
fi

started=0
cleanup() {
  if [ "$started" = 1 ]; then
    as_server_user "$pg_bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

as_server_user "$pg_bin/initdb" -D "$data" -U cubeauth --auth=trust -E UTF8 --locale=C.UTF-8 \
  >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 2; }

# Settings go into postgresql.conf (not -o) so that a plain `pg_ctl start -D` by a
# fault test brings the server back on the same port. A port can be taken between
# choosing and binding it: try a few.
cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
CONF
for attempt in 1 2 3 4 5; do
  port=$(free_port)
  echo "port = $port" >>"$data/postgresql.conf"
  if as_server_user "$pg_bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 30 start \
    >/dev/null 2>&1; then
    started=1
    break
  fi
done
if [ "$started" != 1 ]; then
  echo "with-postgres: the server did not start; its log:" >&2
  cat "$dir/server.log" >&2 || true
  exit 2
fi

"$pg_bin/psql" -h 127.0.0.1 -p "$port" -U cubeauth -d postgres -q -v ON_ERROR_STOP=1 \
  -c 'CREATE DATABASE cubeauth' >/dev/null
export TEST_POSTGRES_URL="postgres://cubeauth@127.0.0.1:$port/cubeauth"
export TEST_POSTGRES_PGCTL="$pg_bin/pg_ctl"
export TEST_POSTGRES_DATA="$data"
export TEST_POSTGRES_RUN_AS="$run_as"
export TEST_POSTGRES_LOG="$dir/server.log"
echo "with-postgres: PostgreSQL 15 at $TEST_POSTGRES_URL" >&2

status=0
"$@" || status=$?
exit "$status"
