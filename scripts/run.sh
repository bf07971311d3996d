#!/usr/bin/env bash
# Installs what numberdesk needs, builds it, creates the demo account in a
# SQLite data directory, prints the demo tokens and the URL, and serves.
#
#   NUMBERDESK_DATA_DIR  data directory (default: data)
#   NUMBERDESK_LISTEN    HOST:PORT to listen on (default: 127.0.0.1:8080)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build build --target numberdesk

data_dir=${NUMBERDESK_DATA_DIR:-data}
listen=${NUMBERDESK_LISTEN:-127.0.0.1:8080}
tokens=$(build/numberdesk demo --data-dir "$data_dir")

echo
echo "Demo tokens (fresh on every run):"
echo "$tokens"
echo
echo "Try it:"
echo "  export TOKEN=$(printf '%s' "$tokens" | sed -E 's/.*"token":"([^"]+)".*/\1/')"
echo "  curl -H \"Authorization: Bearer \$TOKEN\" http://$listen/api/numbers/requests"
echo
exec build/numberdesk serve --data-dir "$data_dir" --listen "$listen"
