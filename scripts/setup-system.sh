#!/usr/bin/env bash
# Installs the Debian packages the test suites need, only those missing, with one apt-get update:
# clang + lld build the wasm (the reproducibility check), chromium runs the browser suite, and nodejs + npm
# only bootstrap npm itself (Node 22 then comes from the `node` devDependency). Needs root to install;
# without root it says what is missing and leaves the choice to the caller.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
missing=()
for pkg in clang lld chromium; do installed "$pkg" || missing+=("$pkg"); done
command -v npm >/dev/null || missing+=(nodejs npm)
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${missing[*]} (install them as root: apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "apt: installing ${missing[*]}"
apt-get update
apt-get install -y "${missing[@]}"
