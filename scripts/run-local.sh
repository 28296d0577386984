#!/usr/bin/env bash
# Runs ScimFunctions locally on Azurite: a wrapper for `dotnet run --project tools/ScimFunctions.LocalHost`,
# which installs and starts Azurite (data in .azurite/), creates local.settings.json from the sample, ensures
# the "Development" directory and prints its SCIM base URL and a fresh bearer token. Ctrl+C stops everything.
# PORT (default 7071) sets the port; other arguments are passed on (--settings FILE, --no-dev-directory).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
port_args=()
if [ -n "${PORT:-}" ]; then port_args=(--port "$PORT"); fi
exec dotnet run --project "$root/tools/ScimFunctions.LocalHost" -- "${port_args[@]}" "$@"
