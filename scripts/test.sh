#!/usr/bin/env bash
# Runs every test: installs Azurite, starts it in memory on its own ports, runs `dotnet test`, stops Azurite,
# and ends with a line "N passed, N failed".
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/azurite.sh"
root=$(repo_root)
cd "$root"

blob=${TEST_AZURITE_BLOB_PORT:-10050} queue=${TEST_AZURITE_QUEUE_PORT:-10051} table=${TEST_AZURITE_TABLE_PORT:-10052}
ensure_node_modules || exit 1
trap stop_azurite EXIT INT TERM
start_azurite "$blob" "$queue" "$table" || exit 1
export SCIM_TEST_STORAGE; SCIM_TEST_STORAGE=$(azurite_connection_string "$blob" "$queue" "$table")

results=$(mktemp -d)
dotnet test "$root/ScimFunctions.slnx" --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@"
status=$?

# The closing line counts what the test runner recorded, so skipped tests are never counted as passed.
read -r passed failed total < <(
  node -e '
    const fs = require("fs"), path = require("path");
    let passed = 0, failed = 0, total = 0;
    for (const file of fs.readdirSync(process.argv[1]).filter(f => f.endsWith(".trx"))) {
      const text = fs.readFileSync(path.join(process.argv[1], file), "utf8");
      const counters = /<Counters [^>]*>/.exec(text);
      if (!counters) continue;
      const read = name => Number((new RegExp(name + "=\"(\\d+)\"").exec(counters[0]) || [0, 0])[1]);
      passed += read("passed"); failed += read("failed") + read("error") + read("timeout") + read("aborted"); total += read("total");
    }
    console.log(passed, failed, total);
  ' "$results")
rm -rf "$results"
if [ "$status" -eq 0 ] && [ "${total:-0}" -eq 0 ]; then echo "No tests ran." >&2; status=1; fi
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"
