#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/packages.txt, or in the
# list file given as the first argument (bench/packages.txt for the benchmark),
# and, with the default list, the npm packages pinned in package-lock.json
# (Swagger UI, and the tools that check the OpenAPI document and its page).
#
# Safe to run again: packages already at their pinned version are skipped and
# apt is not touched when nothing is missing. Run as root (or through sudo).
#
# Debian replaces a package in its archive when a security or point release
# comes out, so an exact pin can vanish. When the pinned version is no longer
# offered, the archive's current version is installed instead and a warning
# names the drift, so that a new machine still builds; update packages.txt
# when you see it.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
list=${1:-"$here/packages.txt"}

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
while read -r line; do
  line=${line%%#*}
  [ -n "${line// /}" ] || continue
  name=${line%%=*}
  want=${line#*=}
  have=$(dpkg-query -W -f='${Status} ${Version}' "$name" 2>/dev/null || true)
  case "$have" in
    "install ok installed $want") ;;
    *) missing+=("$name=$want") ;;
  esac
done < "$list"

install_npm_packages() {
  [ "$list" = "$here/packages.txt" ] || return 0
  local top
  top=$(cd "$here/.." && pwd)
  if ! command -v node > /dev/null ||
    ! node -e 'const [a, b] = process.versions.node.split(".").map(Number);
               process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
    echo "setup: error: Node.js 20.19 or newer is needed (found: $(node --version 2>&1))" >&2
    exit 1
  fi
  # npm ci starts from scratch each time; skip it when the lock file is
  # the one installed last.
  if cmp -s "$top/package-lock.json" "$top/node_modules/.numberdesk-installed-lock"; then
    echo "setup: npm packages present"
    return 0
  fi
  (cd "$top" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$top/package-lock.json" "$top/node_modules/.numberdesk-installed-lock"
  echo "setup: installed the npm packages of package-lock.json"
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all pinned packages present"
  install_npm_packages
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
sudo_if_needed apt-get update -qq

install=()
for spec in "${missing[@]}"; do
  name=${spec%%=*}
  want=${spec#*=}
  if apt-cache madison "$name" | awk -F'|' '{gsub(/ /,"",$2); print $2}' | grep -qxF "$want"; then
    install+=("$spec")
  else
    echo "setup: warning: $name $want is no longer offered; installing the current version" >&2
    install+=("$name")
  fi
done

sudo_if_needed apt-get install -y -qq --no-install-recommends "${install[@]}"
echo "setup: installed ${#install[@]} package(s)"
install_npm_packages
