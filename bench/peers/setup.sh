#!/usr/bin/env bash
# Installs the peer tools used by vocal's benchmarks and evaluation scripts:
#   - npm packages vader-sentiment and sentiment into bench/peers/node_modules
#     (`npm ci` from package-lock.json when present, else `npm install`);
#   - Debian packages fasttext and python3-sklearn (for /usr/bin/python3), and nodejs/npm,
#     each only when missing.
# usage: bench/peers/setup.sh [--no-apt]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
no_apt=0
case "${1:-}" in
  --no-apt) no_apt=1 ;;
  "") ;;
  *) echo "usage: $0 [--no-apt]" >&2; exit 2 ;;
esac

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

missing=()
command -v fasttext >/dev/null 2>&1 || missing+=(fasttext)
/usr/bin/python3 -c 'import sklearn' >/dev/null 2>&1 || missing+=(python3-sklearn)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$no_apt" -eq 1 ]; then
    echo "setup.sh: missing Debian packages: ${missing[*]} (--no-apt given)" >&2
  else
    echo "setup.sh: installing Debian packages: ${missing[*]}" >&2
    $sudo apt-get update -q
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  fi
fi

cd "$here"
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi

# smoke test
printf 'I love it\n' | node vader.js >/dev/null
printf 'I love it\n' | node afinn.js >/dev/null
echo "setup.sh: peers ready in $here" >&2
