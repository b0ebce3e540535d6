#!/usr/bin/env bash
# The cluster of docker-compose.yml as local processes: a private PostgreSQL, three server nodes, HAProxy.
#   cluster/local.sh up        install what is missing, start PostgreSQL, build once, start nodes 1-3 and HAProxy,
#                              wait until every /health answers, print the URLs
#   cluster/local.sh kill N    kill -9 node N
#   cluster/local.sh start N   start node N again
#   cluster/local.sh stop N    stop node N gracefully (SIGTERM: HAProxy drains it, its grains move)
#   cluster/local.sh down      stop everything and remove the temporary data
# Ports: HAProxy on CLUSTER_BASE_PORT (default 5180), node N on CLUSTER_BASE_PORT+N, PostgreSQL on 5432+offset
# (offset = CLUSTER_BASE_PORT-5180), Orleans silo and gateway ports on CLUSTER_BASE_PORT+100+N and +200+N.
# CLUSTER_SERVER_DLL skips the build and runs that HikiConsult.Server.dll (the tests pass the one they built);
# CLUSTER_ENV_FILE adds settings of its own to every node (KEY=VALUE lines, read after cluster/node.env).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
base=${CLUSTER_BASE_PORT:-5180}
offset=$((base - 5180))
pg_port=${CLUSTER_PG_PORT:-$((5432 + offset))}
state=${CLUSTER_STATE:-${TMPDIR:-/tmp}/hikiconsult-cluster-$base}
nodes=(1 2 3)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
log() { printf '== %s\n' "$*" >&2; }

node_port() { echo $((base + $1)); }
connection_string() { echo "Host=127.0.0.1;Port=$pg_port;Username=hikiconsult;Database=hikiconsult;Maximum Pool Size=40"; }

install_missing() {
  if ! command -v haproxy >/dev/null || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    log "Installing Debian's postgresql and haproxy"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql haproxy >/dev/null
  fi
}

server_dll() {
  if [ -n "${CLUSTER_SERVER_DLL:-}" ]; then echo "$CLUSTER_SERVER_DLL"; return; fi
  echo "$repo/src/HikiConsult.Server/bin/Release/net10.0/HikiConsult.Server.dll"
}

start_node() {
  local n=$1 port
  port=$(node_port "$n")
  mkdir -p "$state/node$n"
  (
    set -a
    # shellcheck source=cluster/node.env
    . "$repo/cluster/node.env"
    if [ -n "${CLUSTER_ENV_FILE:-}" ]; then . "$CLUSTER_ENV_FILE"; fi
    set +a
    export Storage__ConnectionString
    Storage__ConnectionString=$(connection_string)
    export Storage__DataDirectory="$state/node$n"
    export Auth__SigningKey
    Auth__SigningKey=$(cat "$state/signing-key")
    export Keys__Directory="$state/keys"
    export Orleans__AdvertisedAddress=127.0.0.1
    export Orleans__SiloPort=$((base + 100 + n))
    export Orleans__GatewayPort=$((base + 200 + n))
    cd "$repo/src/HikiConsult.Server"
    exec dotnet "$(server_dll)" --urls "http://127.0.0.1:$port" >>"$state/node$n.log" 2>&1
  ) &
  echo $! >"$state/node$n.pid"
}

wait_healthy() {
  local url=$1 i
  for i in $(seq 1 120); do
    if curl -sf -o /dev/null --max-time 2 "$url/health"; then return 0; fi
    sleep 0.5
  done
  log "$url/health did not answer within 60 s"
  return 1
}

node_pid() { cat "$state/node$1.pid" 2>/dev/null || true; }

start_haproxy() {
  HAPROXY_BIND="127.0.0.1:$base" NODE1="127.0.0.1:$(node_port 1)" NODE2="127.0.0.1:$(node_port 2)" NODE3="127.0.0.1:$(node_port 3)" \
    haproxy -D -f "$repo/cluster/haproxy.cfg" -p "$state/haproxy.pid"
}

cmd=${1:-}
case "$cmd" in
  up)
    install_missing
    mkdir -p "$state"
    chmod 0755 "$state"
    log "PostgreSQL on 127.0.0.1:$pg_port ($state/postgres)"
    "$repo/cluster/postgres.sh" start "$state/postgres" "$pg_port" >/dev/null
    psql -q "host=127.0.0.1 port=$pg_port user=hikiconsult dbname=postgres" -tc "SELECT 1 FROM pg_database WHERE datname = 'hikiconsult'" | grep -q 1 \
      || psql -q "host=127.0.0.1 port=$pg_port user=hikiconsult dbname=postgres" -c "CREATE DATABASE hikiconsult"
    # One signing key for every node: a token from one node is good on the others.
    [ -f "$state/signing-key" ] || (umask 077; head -c 64 /dev/urandom | base64 -w0 >"$state/signing-key")
    if [ -z "${CLUSTER_SERVER_DLL:-}" ]; then
      log "Building the server"
      dotnet build "$repo/src/HikiConsult.Server" -c Release -nologo -v:q >/dev/null
    fi
    for n in "${nodes[@]}"; do start_node "$n"; done
    for n in "${nodes[@]}"; do wait_healthy "http://127.0.0.1:$(node_port "$n")"; done
    start_haproxy
    wait_healthy "http://127.0.0.1:$base"
    echo "HAProxy  http://127.0.0.1:$base"
    for n in "${nodes[@]}"; do echo "node$n    http://127.0.0.1:$(node_port "$n")"; done
    echo "Postgres $(connection_string)"
    ;;
  kill)
    n=${2:?node number}
    pid=$(node_pid "$n")
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    rm -f "$state/node$n.pid"
    ;;
  stop)
    n=${2:?node number}
    pid=$(node_pid "$n")
    if [ -n "$pid" ]; then
      kill -TERM "$pid" 2>/dev/null || true
      while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
    fi
    rm -f "$state/node$n.pid"
    ;;
  start)
    n=${2:?node number}
    start_node "$n"
    wait_healthy "http://127.0.0.1:$(node_port "$n")"
    echo "node$n    http://127.0.0.1:$(node_port "$n")"
    ;;
  down)
    [ -f "$state/haproxy.pid" ] && kill "$(cat "$state/haproxy.pid")" 2>/dev/null || true
    for n in "${nodes[@]}"; do
      pid=$(node_pid "$n")
      [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    done
    [ -d "$state/postgres" ] && "$repo/cluster/postgres.sh" stop "$state/postgres"
    rm -rf "$state"
    ;;
  *)
    echo "usage: $0 up | kill N | stop N | start N | down" >&2
    exit 2
    ;;
esac
