#!/usr/bin/env bash
# Runs ScimFunctions locally on Azurite, without Azure Functions Core Tools: installs Azurite, starts it
# (data kept in .azurite/), starts the local host on port 7071 (or PORT), creates the "Development"
# directory if needed, mints a fresh bearer token and prints the SCIM base URL and the token.
# Ctrl+C stops the host and Azurite.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/azurite.sh"
root=$(repo_root)
cd "$root"

[ -f local.settings.json ] || { cp local.settings.sample.json local.settings.json; echo "Created local.settings.json from the sample."; }
ensure_node_modules || exit 1
host_pid=
stop_all() {
  if [ -n "$host_pid" ]; then kill -TERM "$host_pid" 2>/dev/null; wait "$host_pid" 2>/dev/null; host_pid=; fi
  stop_azurite
}
trap stop_all EXIT
trap 'exit 130' INT TERM
if port_open 10002; then
  echo "Azurite (or something) already listens on 10002; using it."
else
  AZURITE_LOG="$root/.azurite/azurite.log" start_azurite 10000 10001 10002 "$root/.azurite" || exit 1
  echo "Azurite started (pid $AZURITE_PID, data in .azurite/)."
fi

dotnet build "$root/tools/ScimFunctions.LocalHost" -nologo -v quiet -clp:ErrorsOnly || exit 1
dotnet "$root/tools/ScimFunctions.LocalHost/bin/Debug/net10.0/ScimFunctions.LocalHost.dll" \
  --port "${PORT:-7071}" --settings "$root/local.settings.json" --dev-directory "$@" &
host_pid=$!
wait "$host_pid"
