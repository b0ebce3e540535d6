#!/usr/bin/env bash
# Browser end-to-end tests: installs what is missing (Debian's chromium, npm packages), builds the server
# and the pages when needed, and runs the tests with node's test runner in real headless Chromium.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

if [ ! -x /usr/bin/chromium ]; then
  echo "run-e2e: installing chromium (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=""
  if [ "$(id -u)" != "0" ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi

# Japanese pages and screenshots need a CJK font (without one every kana is an empty box).
if ! fc-list :lang=ja 2>/dev/null | grep -q .; then
  echo "run-e2e: installing fonts-noto-cjk (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=""
  if [ "$(id -u)" != "0" ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get install -y -qq fonts-noto-cjk >/dev/null || { $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq fonts-noto-cjk >/dev/null; }
fi

cd "$here"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "run-e2e: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The server build runs the web build through web/HikiConsult.Web.targets (incremental on both sides).
dll="$repo/src/HikiConsult.Server/bin/Debug/net10.0/HikiConsult.Server.dll"
if [ "${HIKICONSULT_E2E_NO_BUILD:-}" != "1" ]; then
  echo "run-e2e: dotnet build src/HikiConsult.Server"
  dotnet build "$repo/src/HikiConsult.Server/HikiConsult.Server.csproj" -nologo -v quiet -clp:ErrorsOnly
fi
if [ ! -f "$dll" ]; then echo "run-e2e: $dll is missing" >&2; exit 1; fi
if [ ! -f "$repo/src/HikiConsult.Server/wwwroot/index.html" ]; then npm run build --silent; fi

exec node --test e2e/
