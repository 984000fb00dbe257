#!/usr/bin/env bash
# Builds the libFuzzer targets with clang under ASan+UBSan and runs each for a bounded time
# from its checked-in seeds. New inputs go to build/fuzz/corpus-<target>, never into the
# seed folders. Exits non-zero on the first crash (the reproducer is left in build/fuzz/).
#
# FUZZ_SECONDS (default 120) is the total budget: the GraphQL parser/validation target gets
# half of it and never less than 60 s; the /api request decoder and the JWT decoder share
# the rest, at least 10 s each. FUZZ_TARGETS="graphql jwt" runs only some of them.
set -euo pipefail
cd "$(dirname "$0")/.."
total=${FUZZ_SECONDS:-120}
targets=${FUZZ_TARGETS:-"graphql graphql_request jwt"}
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
CC=clang CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=Asan -DCUBEAUTH_BUILD_FUZZ=ON \
  -DCUBEAUTH_BUILD_TESTS=OFF -DCUBEAUTH_BUILD_BENCH=OFF >/dev/null
ninja_targets=()
for target in $targets; do
  ninja_targets+=("${target}_fuzz")
done
cmake --build build/fuzz -j "${CUBEAUTH_JOBS:-$(nproc)}" --target "${ninja_targets[@]}"

graphql_seconds=$((total / 2 > 60 ? total / 2 : 60))
other_seconds=$(((total - graphql_seconds) / 2 > 10 ? (total - graphql_seconds) / 2 : 10))

run_target() {
  local name=$1 binary=$2 seeds=$3 dict=$4 seconds=$5 max_len=$6
  case " $targets " in *" $name "*) ;; *) return 0 ;; esac
  mkdir -p "build/fuzz/corpus-$name"
  echo "fuzz: $name for ${seconds}s"
  "$binary" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="build/fuzz/$name-" ${dict:+-dict="$dict"} \
    "build/fuzz/corpus-$name" "$seeds" 2>&1 | tail -n 12
  return "${PIPESTATUS[0]}"
}
run_target graphql build/fuzz/fuzz/graphql/graphql_fuzz fuzz/graphql/seeds fuzz/graphql/graphql.dict \
  "$graphql_seconds" 16384
run_target graphql_request build/fuzz/fuzz/http/graphql_request_fuzz fuzz/http/seeds \
  fuzz/http/graphql_request.dict "$other_seconds" 65536
run_target jwt build/fuzz/fuzz/auth/jwt_fuzz fuzz/auth/seeds fuzz/auth/jwt.dict "$other_seconds" 9000
