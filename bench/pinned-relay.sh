#!/usr/bin/env bash
# The relay load tool with the load clients on one core and the measured process (the server, then the bare relay)
# on the other, RUNS times in a row: each run measures both targets, so target and baseline are interleaved.
# Reports land in bench/out/relay-run-N.md. Usage: bench/pinned-relay.sh [extra load tool options]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-5}"
tool_core="${TOOL_CORE:-0}"
target_core="${TARGET_CORE:-1}"
dotnet_bin="$(command -v dotnet)"

HIKICONSULT_SKIP_WEB=1 "$dotnet_bin" build -c Release "$repo/src/HikiConsult.Server" -nologo -v q
"$dotnet_bin" build -c Release "$repo/src/HikiConsult.LoadTest" -nologo -v q

# The tool starts its targets with "dotnet" from PATH: this shim pins them to the target core.
shim="$(mktemp -d)"
trap 'rm -rf "$shim"' EXIT
printf '#!/bin/sh\nexec taskset -c %s %s "$@"\n' "$target_core" "$dotnet_bin" > "$shim/dotnet"
chmod +x "$shim/dotnet"

mkdir -p "$repo/bench/out"
tool="$repo/src/HikiConsult.LoadTest/bin/Release/net10.0/HikiConsult.LoadTest.dll"
server="$repo/src/HikiConsult.Server/bin/Release/net10.0/HikiConsult.Server.dll"
for run in $(seq 1 "$runs"); do
  echo "== run $run of $runs"
  PATH="$shim:$PATH" taskset -c "$tool_core" "$dotnet_bin" "$tool" --server-dll "$server" \
    --markdown "$repo/bench/out/relay-run-$run.md" "$@"
done
