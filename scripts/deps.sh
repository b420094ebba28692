#!/usr/bin/env bash
# Install what vocal needs from Debian 12 packages. Idempotent.
#   scripts/deps.sh          build + run
#   scripts/deps.sh --test   also the test tools (cmocka, clang with its
#                            sanitizer and libFuzzer runtimes, valgrind, the
#                            sqlite3 shell the store tests query with)
set -euo pipefail
pkgs=(build-essential cmake pkg-config libutf8proc-dev libstemmer-dev libxml2-dev libcsv-dev libjansson-dev libsqlite3-dev libarchive-dev python3)
if [ "${1:-}" = "--test" ]; then
    pkgs+=(libcmocka-dev clang libclang-rt-14-dev valgrind g++ sqlite3 chromium zip)
fi
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
