#!/usr/bin/env bash
# A private PostgreSQL 15 for the cluster and the tests: its own data directory and port, nothing shared with a
# system server. Debian's package is installed when missing.
#   cluster/postgres.sh start DIR PORT   initdb in DIR (when empty) and start on 127.0.0.1:PORT; prints the connection string
#   cluster/postgres.sh stop DIR         fast shutdown; the data stays in DIR
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$bin" ]; then
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  echo "$bin"
}

# PostgreSQL refuses to run as root: as root, the server runs as the package's postgres user.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cmd=${1:-}
dir=${2:?data directory}
case "$cmd" in
  start)
    port=${3:?port}
    bin=$(pg_bin)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    chmod 0700 "$dir"
    if [ ! -f "$dir/PG_VERSION" ]; then
      # Trust on loopback only: a private, throw-away server for one machine's cluster and tests.
      as_owner "$bin/initdb" -D "$dir" -U hikiconsult --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$dir' -c max_connections=300 -c fsync=on" start >/dev/null
    echo "Host=127.0.0.1;Port=$port;Username=hikiconsult;Database=postgres"
    ;;
  stop)
    bin=$(pg_bin)
    [ -f "$dir/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null || true
    ;;
  *)
    echo "usage: $0 start DIR PORT | stop DIR" >&2
    exit 2
    ;;
esac
