# Shared by the run and test commands: install and start Azurite (the pinned npm dev dependency) and stop it
# by process id. Azurite 3.37 ignores SIGTERM, so stopping is SIGINT, then SIGKILL after a grace period.

repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd; }

ensure_node_modules() {
  local root; root=$(repo_root)
  if [ ! -f "$root/node_modules/azurite/dist/src/azurite.js" ]; then
    echo "Installing Azurite (npm ci)..."
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error) || return 1
  fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_azurite BLOB_PORT QUEUE_PORT TABLE_PORT [LOCATION]: LOCATION keeps data on disk; without it, in memory.
start_azurite() {
  local blob=$1 queue=$2 table=$3 location=${4:-} root; root=$(repo_root)
  local port
  for port in "$blob" "$queue" "$table"; do
    # Another process on the port would answer in Azurite's place, with other data.
    if port_open "$port"; then echo "Port $port is already in use (another Azurite?); choose other ports (see the script's *_PORT variables)." >&2; return 1; fi
  done
  local storage_args=(--inMemoryPersistence)
  if [ -n "$location" ]; then mkdir -p "$location"; storage_args=(--location "$location"); fi
  node "$root/node_modules/azurite/dist/src/azurite.js" --silent --skipApiVersionCheck --loose \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --blobPort "$blob" --queuePort "$queue" --tablePort "$table" "${storage_args[@]}" \
    >"${AZURITE_LOG:-/dev/null}" 2>&1 &
  AZURITE_PID=$!
  for _ in $(seq 1 150); do
    if port_open "$blob" && port_open "$queue" && port_open "$table"; then return 0; fi
    if ! kill -0 "$AZURITE_PID" 2>/dev/null; then echo "Azurite exited during start-up." >&2; return 1; fi
    sleep 0.2
  done
  echo "Azurite did not open its ports within 30 s." >&2
  return 1
}

stop_azurite() {
  local pid=${AZURITE_PID:-}
  [ -n "$pid" ] || return 0
  kill -INT "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || { AZURITE_PID=; return 0; }; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
  AZURITE_PID=
}

azurite_connection_string() {
  local blob=$1 queue=$2 table=$3
  # The well-known Azurite development account key (public, emulator only).
  echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
}
