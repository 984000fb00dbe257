#!/usr/bin/env bash
# Configures and builds one configuration: scripts/build.sh <release|debug|asan> [ninja targets...]
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-release}
shift || true
case "$kind" in
  release) type=Release ;;
  debug) type=Debug ;;
  asan) type=Asan ;;
  *) echo "build.sh: unknown configuration '$kind' (release, debug or asan)" >&2; exit 2 ;;
esac
# ccache shares compiled objects between clones (CI builds in a fresh one): paths
# below the repository are hashed relative to it.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
werror=OFF
[ "${CI:-}" = true ] && werror=ON
[ "${CUBEAUTH_WERROR:-}" = ON ] && werror=ON
cmake -S . -B "build/$kind" -G Ninja -DCMAKE_BUILD_TYPE="$type" -DCUBEAUTH_WERROR="$werror" \
  -DCUBEAUTH_SKIP="${CUBEAUTH_SKIP:-}" >/dev/null
cmake --build "build/$kind" -j "${CUBEAUTH_JOBS:-$(nproc)}" -- "$@"
