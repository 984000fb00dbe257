#!/usr/bin/env bash
# The HTTP benchmark: cubeauth beside a Node.js peer (bench/peer) and nginx (the ceiling),
# driven by wrk on loopback; prints one table (docs/PERFORMANCE.md explains it).
#   bash scripts/bench.sh                 # the default run, a few minutes
#   bash scripts/bench.sh --soak 300      # then 5 minutes of load on cubeauth, figures again
#   bash scripts/bench.sh --help          # every option (run lengths, connections, servers)
# Figures only: timing never makes it fail.
set -euo pipefail
cd "$(dirname "$0")/.."
CUBEAUTH_SETUP_BENCH=1 bash scripts/setup.sh
# Builds what is missing, keeping an existing build/release configured as it is.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
if [ -f build/release/CMakeCache.txt ]; then
  cmake --build build/release -j "${CUBEAUTH_JOBS:-$(nproc)}" --target cubeauth connectycube_emulator >/dev/null
else
  bash scripts/build.sh release cubeauth connectycube_emulator >/dev/null
fi
if [ ! -f bench/peer/node_modules/.package-lock.json ] ||
   [ bench/peer/package-lock.json -nt bench/peer/node_modules/.package-lock.json ]; then
  (cd bench/peer && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
exec python3 bench/http/run_bench.py "$@"
