#!/usr/bin/env bash
# The benchmark command: starts Azurite in memory on its own ports, builds the benchmark program in Release,
# runs the SCIM HTTP benchmark (the local host in-process, real traffic over loopback), and stops Azurite.
# Prints the tables and writes benchmark-results/<timestamp>.json.
#   scripts/benchmark.sh                 full run (100,000 users; minutes)
#   scripts/benchmark.sh --users 20000   a smaller full run
#   scripts/benchmark.sh --quick         a tiny run for CI smoke (a few minutes: its cold start section publishes twice)
#   scripts/benchmark.sh --quick --activity-log off --out benchmark-results/no-log
#                                        the same without the request log, to compare ops/s and calls per request
#   scripts/benchmark.sh --quick --cold-starts 0
#                                        the same without the cold start section (publishes the local host twice,
#                                        plain and ReadyToRun, and starts each 5 times; --quick 2)
#   scripts/benchmark.sh --group-reads-only
#                                        only the group reads with members (a page of groups of 1,000 members, the
#                                        GET of the full-size group) and the two directories they need
# Ports: BENCH_AZURITE_BLOB_PORT / _QUEUE_PORT / _TABLE_PORT (default 10150-10152).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/azurite.sh"
root=$(repo_root)
cd "$root"

blob=${BENCH_AZURITE_BLOB_PORT:-10150} queue=${BENCH_AZURITE_QUEUE_PORT:-10151} table=${BENCH_AZURITE_TABLE_PORT:-10152}
project="$root/tools/ScimFunctions.Benchmarks/ScimFunctions.Benchmarks.csproj"
started=$(date +%s)

ensure_node_modules || exit 1
echo "Building the benchmark (Release)..."
dotnet build "$project" -c Release --nologo -v quiet -clp:ErrorsOnly || exit 1

# Ctrl+C / SIGTERM go to the benchmark, which stops its hosts and prints what it measured; Azurite is stopped
# when the script exits. The program runs as a direct child (no `dotnet run` in between) so it gets the signal.
bench_pid=""
forward() { if [ -n "$bench_pid" ]; then kill -s "$1" "$bench_pid" 2>/dev/null; fi; }
trap 'forward TERM' INT
trap 'forward TERM' TERM
trap stop_azurite EXIT
start_azurite "$blob" "$queue" "$table" || exit 1
export SCIM_BENCH_STORAGE; SCIM_BENCH_STORAGE=$(azurite_connection_string "$blob" "$queue" "$table")
export BENCH_AZURITE_PID=$AZURITE_PID

dotnet "$root/tools/ScimFunctions.Benchmarks/bin/Release/net10.0/ScimFunctions.Benchmarks.dll" http --out "$root/benchmark-results" "$@" &
bench_pid=$!
# A trapped signal ends `wait` early: wait again until the benchmark has finished its own shutdown.
while true; do
  wait "$bench_pid"; status=$?
  kill -0 "$bench_pid" 2>/dev/null || break
done
echo "Benchmark command wall time: $(( $(date +%s) - started )) s (exit $status)"
exit "$status"
