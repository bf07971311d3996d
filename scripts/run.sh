#!/usr/bin/env bash
# Installs what numberdesk needs, builds it, creates the demo account in a
# SQLite data directory, prints the demo tokens and the URL, and serves.
#
#   NUMBERDESK_DATA_DIR  data directory (default: data)
#   NUMBERDESK_LISTEN    HOST:PORT to listen on (default: 127.0.0.1:8080)
#   NUMBERDESK_SMTP_URL  an SMTP server, e.g. smtp://127.0.0.1:2525 (default: none,
#                        mail is written as .eml files to DATA_DIR/mail)
#   NUMBERDESK_SUPPORT_EMAIL  where new requests and replies are mailed
#                        (default: support@numberdesk.example)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build build --target numberdesk

data_dir=${NUMBERDESK_DATA_DIR:-data}
listen=${NUMBERDESK_LISTEN:-127.0.0.1:8080}
export NUMBERDESK_SUPPORT_EMAIL=${NUMBERDESK_SUPPORT_EMAIL:-support@numberdesk.example}
tokens=$(build/numberdesk demo --data-dir "$data_dir")

echo
echo "Demo tokens (fresh on every run):"
echo "$tokens"
echo
echo "Try it:"
echo "  export TOKEN=$(printf '%s' "$tokens" | sed -E 's/.*"token":"([^"]+)".*/\1/')"
echo "  curl -H \"Authorization: Bearer \$TOKEN\" http://$listen/api/numbers/requests"
echo "  or open http://$listen/swagger/index.html, Authorize with the token, and Try it out."
echo
if [ -n "${NUMBERDESK_SMTP_URL:-}" ]; then
  echo "Mail goes to $NUMBERDESK_SMTP_URL."
else
  echo "No SMTP server is set (NUMBERDESK_SMTP_URL), so every notification is written"
  echo "as an .eml file to $data_dir/mail/ (open one with any mail program, or less)."
fi
echo
exec build/numberdesk serve --data-dir "$data_dir" --listen "$listen"
