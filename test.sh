#!/usr/bin/env bash
# Runs every test of HikiConsult on a fresh machine: installs what is missing (Debian's chromium for the
# browser tests, postgresql and haproxy for the cluster tests, npm packages), builds, runs the .NET test projects
# (on SQLite; the cluster tests start PostgreSQL, three nodes and HAProxy through cluster/local.sh), runs the
# server's and the early consultation's tests again on a private PostgreSQL, then the end-to-end browser tests,
# and ends with one summary line.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { printf '\n== %s\n' "$*"; }

if [ ! -x /usr/bin/chromium ]; then
  log "Installing Debian's chromium for the browser tests"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null;
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi
fi

missing=()
command -v haproxy >/dev/null || missing+=(haproxy)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  log "Installing Debian's ${missing[*]} for the cluster and PostgreSQL tests"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null;
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; fi
fi

log "Building"
dotnet build HikiConsult.sln -c Debug -nologo -v:q || { echo "tests: 0 passed, 1 failed"; exit 1; }

log "Running .NET tests"
dotnet_log=$(mktemp)
dotnet test HikiConsult.sln -c Debug --no-build -nologo -v:q 2>&1 | tee "$dotnet_log"
dotnet_status=${PIPESTATUS[0]}

# The same server and early consultation tests on PostgreSQL (a private server, removed afterwards); the tests that
# read or edit the SQLite file itself (Storage=Sqlite) have no PostgreSQL counterpart.
log "Running the server's tests on PostgreSQL"
pg_root=$(mktemp -d)
chmod 0755 "$pg_root"
trap 'cluster/postgres.sh stop "$pg_root/data" >/dev/null 2>&1; rm -rf "$pg_root"' EXIT
if HIKICONSULT_TEST_POSTGRES=$(cluster/postgres.sh start "$pg_root/data" "${TEST_POSTGRES_PORT:-55432}"); then
  export HIKICONSULT_TEST_POSTGRES
  for project in tests/HikiConsult.Server.Tests tests/HikiConsult.EarlyConsultation.Tests; do
    dotnet test "$project" -c Debug --no-build -nologo -v:q --filter "Storage!=Sqlite" 2>&1 | tee -a "$dotnet_log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || dotnet_status=1
  done
  unset HIKICONSULT_TEST_POSTGRES
else
  echo "Could not start PostgreSQL for the tests" | tee -a "$dotnet_log"
  dotnet_status=1
fi

passed=$(grep -Eo 'Passed: +[0-9]+' "$dotnet_log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$dotnet_log" | awk '{s+=$2} END {print s+0}')

e2e_status=0
if [ -f web/run-e2e.sh ]; then
  log "Running end-to-end browser tests"
  e2e_log=$(mktemp)
  bash web/run-e2e.sh 2>&1 | tee "$e2e_log"
  e2e_status=${PIPESTATUS[0]}
  passed=$((passed + $(grep -Eo '^# pass [0-9]+' "$e2e_log" | awk '{s+=$3} END {print s+0}')))
  failed=$((failed + $(grep -Eo '^# fail [0-9]+' "$e2e_log" | awk '{s+=$3} END {print s+0}')))
fi

if [ "$dotnet_status" -ne 0 ] || [ "$e2e_status" -ne 0 ]; then
  [ "$failed" -eq 0 ] && failed=1
  echo
  echo "tests: $passed passed, $failed failed"
  exit 1
fi
echo
echo "tests: $passed passed, $failed failed"
