#!/usr/bin/env bash
# The relay load tool through HAProxy in front of cluster/local.sh's three nodes (PostgreSQL), and against one node of
# its own (the tool's embedded server, SQLite), PAIRS times in one invocation, interleaved: cluster then single node
# in odd pairs, single node then cluster in even ones, so that neither always runs on a warmer or busier machine.
# Against the cluster, the CPU of the three nodes is summed as the target's and PostgreSQL's (its postmaster and every
# backend under it) has a column of its own; collections are summed over the nodes' own /api/runtime.
# Reports land in bench/out/cluster-relay-<pair>-{cluster,single}.md and are printed at the end.
#   bench/cluster-relay.sh [extra load tool options]
#   PAIRS=2 SESSIONS=200 RATE=300 CLUSTER_BASE_PORT=5180 (a cluster already up on that port is refused, not reused)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pairs="${PAIRS:-2}"
sessions="${SESSIONS:-200}"
# 200 sessions (400 connections) at 300 msg/s: on 2 shared cores the three nodes, PostgreSQL, HAProxy and the tool
# together stay well below saturation in the open loop, so its latency is not a queue; the closed loop then finds the
# ceiling of the same machine for either shape.
rate="${RATE:-300}"
base="${CLUSTER_BASE_PORT:-5180}"
state="${CLUSTER_STATE:-${TMPDIR:-/tmp}/hikiconsult-cluster-$base}"
export CLUSTER_BASE_PORT="$base" CLUSTER_STATE="$state"

if [ -e "$state" ]; then
  echo "A cluster's state is already at $state (one runs on port $base?): set CLUSTER_BASE_PORT, or cluster/local.sh down first." >&2
  exit 1
fi

HIKICONSULT_SKIP_WEB=1 dotnet build -c Release "$repo/src/HikiConsult.Server" -nologo -v q
dotnet build -c Release "$repo/src/HikiConsult.LoadTest" -nologo -v q
tool="$repo/src/HikiConsult.LoadTest/bin/Release/net10.0/HikiConsult.LoadTest.dll"
server="$repo/src/HikiConsult.Server/bin/Release/net10.0/HikiConsult.Server.dll"

# Every node gets what the tool gives its own server (src/HikiConsult.LoadTest/Program.cs): provisioning pairs a device
# per session and signs in every counselor from one address, one counselor drives several sessions, and the admin
# dashboard (which profiles every grain call) is off as in Production.
env_file="$(mktemp)"
cat >"$env_file" <<'EOF'
Auth__PairingPermitLimit=1000000
Auth__LoginPermitLimit=1000000
Hubs__SendPerSecond=1000000
Hubs__SendBurst=1000000
Hubs__JoinPerSecond=1000000
Hubs__JoinBurst=1000000
Hubs__MaxConnectionsPerPrincipal=1000000
Auth__StaffTokenLifetime=12:00:00
Dashboard__Enabled=false
EOF
export CLUSTER_SERVER_DLL="$server" CLUSTER_ENV_FILE="$env_file"
# The nodes' logs are kept for a failed run (local.sh down removes the state).
finish() {
  mkdir -p "$repo/bench/out/cluster-relay-logs"
  cp "$state"/node*.log "$repo/bench/out/cluster-relay-logs/" 2>/dev/null || true
  "$repo/cluster/local.sh" down || true
  rm -f "$env_file"
}
trap finish EXIT
"$repo/cluster/local.sh" up

node_pids="$(cat "$state"/node{1,2,3}.pid | paste -sd,)"
postgres_pid="$(head -1 "$state/postgres/postmaster.pid")"
nodes="http://127.0.0.1:$((base + 1)),http://127.0.0.1:$((base + 2)),http://127.0.0.1:$((base + 3))"
echo "== nodes (pids $node_pids), PostgreSQL postmaster $postgres_pid, HAProxy http://127.0.0.1:$base"

# CPU seconds of the nodes and of PostgreSQL's processes so far: what the idle cluster takes from the single node's runs.
cluster_cpu_seconds() {
  local pids
  pids="$(echo "$node_pids" | tr , ' ') $postgres_pid $(pgrep -P "$postgres_pid" | tr '\n' ' ')"
  # shellcheck disable=SC2086
  for pid in $pids; do cat "/proc/$pid/stat" 2>/dev/null || true; done |
    awk '{ sub(/^.*\) /, ""); ticks += $12 + $13 + $14 + $15 } END { printf "%.2f", ticks / 100 }'
}

mkdir -p "$repo/bench/out"
common=(--sessions "$sessions" --rate "$rate" --warmup 5 --duration 20 --ceiling-duration 5)
reports=()
for pair in $(seq 1 "$pairs"); do
  if [ $((pair % 2)) = 1 ]; then order="cluster single"; else order="single cluster"; fi
  for target in $order; do
    report="$repo/bench/out/cluster-relay-$pair-$target.md"
    echo "== pair $pair of $pairs: $target"
    if [ "$target" = cluster ]; then
      dotnet "$tool" --target-url "http://127.0.0.1:$base" --target-name cluster --target-pids "$node_pids" \
        --database-pid "$postgres_pid" --target-nodes "$nodes" "${common[@]}" --markdown "$report" "$@"
    else
      before="$(cluster_cpu_seconds)"
      started="$(date +%s)"
      dotnet "$tool" --targets server --server-dll "$server" "${common[@]}" --markdown "$report" "$@"
      idle="$(awk -v a="$before" -v b="$(cluster_cpu_seconds)" -v s="$started" -v e="$(date +%s)" \
        'BEGIN { printf "%.1f CPU s over %d s (%.3f cores)", b - a, e - s, (b - a) / (e - s) }')"
      printf '\nThe idle cluster beside this run (its nodes and PostgreSQL): %s.\n' "$idle" >>"$report"
    fi
    reports+=("$report")
  done
done

for report in "${reports[@]}"; do
  printf '\n==== %s\n\n' "${report#"$repo/"}"
  cat "$report"
done
