#!/usr/bin/env bash
# Installs every build and test dependency of cubeauth from Debian packages.
# Idempotent and quick when everything is already there (no apt-get update then).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  # build
  cmake ninja-build g++ ccache pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libfmt-dev libssl-dev libcrypt-dev libsqlite3-dev libpq-dev libmongoc-dev libbson-dev
  # tests
  libgtest-dev libgmock-dev libbenchmark-dev postgresql curl python3 python3-mockupdb
  procps
  # fuzzing (clang + libFuzzer runtime) and static checks (scripts/fuzz.sh, scripts/tidy.sh)
  clang libclang-rt-14-dev clang-tidy clang-format
)
# Node.js runs the test tooling (graphql-js, the ConnectyCube SDK, the browser driver).
# Any node >= 18 with npm will do; Debian's own packages are the fallback.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi
if [ "${CUBEAUTH_SETUP_BROWSER:-0}" = 1 ]; then
  packages+=(chromium)
fi
if [ "${CUBEAUTH_SETUP_BENCH:-0}" = 1 ]; then
  packages+=(wrk nginx-light linux-perf)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The playground's GraphiQL and React bundles (npm registry), embedded into the binary at build
# time. Reinstalled only when the lock file changed.
if [ -f web/playground/package-lock.json ]; then
  if [ ! -f web/playground/node_modules/.package-lock.json ] ||
     [ web/playground/package-lock.json -nt web/playground/node_modules/.package-lock.json ]; then
    echo "setup: installing the playground's npm bundles"
    (cd web/playground && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
fi
