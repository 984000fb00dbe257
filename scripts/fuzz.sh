#!/usr/bin/env bash
# Builds the libFuzzer targets with clang under ASan+UBSan and runs each for a bounded
# time (FUZZ_SECONDS, default 60) from its checked-in seeds. New inputs go to
# build/fuzz/corpus-<target>, never into the seed folders. Exits non-zero on a crash.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
CC=clang CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=Asan -DCUBEAUTH_BUILD_FUZZ=ON \
  -DCUBEAUTH_BUILD_TESTS=OFF -DCUBEAUTH_BUILD_BENCH=OFF >/dev/null
cmake --build build/fuzz -j "${CUBEAUTH_JOBS:-$(nproc)}" --target graphql_fuzz

run_target() {
  local name=$1 binary=$2 seeds=$3 dict=$4
  mkdir -p "build/fuzz/corpus-$name"
  echo "fuzz: $name for ${seconds}s"
  "$binary" -max_total_time="$seconds" -max_len=16384 -timeout=10 -print_final_stats=1 \
    ${dict:+-dict="$dict"} "build/fuzz/corpus-$name" "$seeds" 2>&1 | tail -n 12
  return "${PIPESTATUS[0]}"
}
run_target graphql build/fuzz/fuzz/graphql/graphql_fuzz fuzz/graphql/seeds fuzz/graphql/graphql.dict
