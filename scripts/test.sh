#!/usr/bin/env bash
# A wrapper for `dotnet test` that ends with the line "N passed, N failed", counted from the TRX results.
# `dotnet test` starts its own in-memory Azurite on free ports (or uses SCIM_TEST_STORAGE when set) and runs
# everything but the scale tests; arguments are passed on, e.g.
#   scripts/test.sh --filter "FullyQualifiedName~Storage.ResourceStoreTests"
#   scripts/test.sh --filter Category=Scale        # the scale tests, which the default run leaves out
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
dotnet test "$root/ScimFunctions.slnx" --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@"
status=$?

read -r passed failed total < <(node "$root/scripts/lib/trx-summary.js" "$results")
if [ "$status" -eq 0 ] && [ "${total:-0}" -eq 0 ]; then echo "No tests ran." >&2; status=1; fi
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"
