#!/usr/bin/env bash
# Installs the Debian packages the test suites need, only those missing, with one apt-get update:
# clang + lld build the wasm (the reproducibility check), chromium runs the browser suite, postgresql runs the
# replica tests (a throwaway cluster per test file), softhsm2 is the PKCS#11 token of the HSM keystore tests,
# g++ + make + python3 build pkcs11js (N-API, against the headers of Debian's nodejs), and nodejs + npm only
# bootstrap npm itself (Node 22 then comes from the `node` devDependency). Needs root to install;
# without root it says what is missing and leaves the choice to the caller.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
missing=()
for pkg in clang lld chromium postgresql softhsm2 g++ make python3; do installed "$pkg" || missing+=("$pkg"); done
command -v npm >/dev/null || missing+=(nodejs npm)
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${missing[*]} (install them as root: apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "apt: installing ${missing[*]}"
apt-get update
apt-get install -y "${missing[@]}"
