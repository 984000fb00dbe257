#!/usr/bin/env bash
# Installs what is needed, builds and runs every test: the Release build, clang-tidy over
# src/, the fuzz targets for a bounded time, then the whole suite again under ASan+UBSan.
# A throwaway PostgreSQL server runs for the duration (scripts/with-postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
CUBEAUTH_SETUP_BROWSER=1 bash scripts/setup.sh

# Node test tooling (graphql-js, the ConnectyCube SDK, the browser driver), from the npm registry.
while IFS= read -r lock; do
  dir=$(dirname "$lock")
  echo "test.sh: npm ci in $dir"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
done < <(find tests bench -name package-lock.json -not -path '*/node_modules/*' | sort)

with_postgres=()
if [ -x scripts/with-postgres.sh ]; then
  with_postgres=(scripts/with-postgres.sh)
fi
ctest_args=(--output-on-failure -j "${CUBEAUTH_TEST_JOBS:-2}" --timeout 300)

echo "== Release build and tests"
bash scripts/build.sh release
"${with_postgres[@]}" ctest --test-dir build/release "${ctest_args[@]}"

echo "== clang-tidy over src/ (results of unchanged files are kept in ~/.cache/cubeauth-tidy)"
bash scripts/tidy.sh >build/tidy-run.txt 2>&1 || { cat build/tidy-run.txt; exit 1; }
grep -E "^tidy" build/tidy-run.txt

if [ -x scripts/fuzz.sh ]; then
  echo "== Fuzz targets (bounded time, sanitizers on)"
  bash scripts/fuzz.sh
fi

echo "== The suite again under AddressSanitizer + UndefinedBehaviorSanitizer"
bash scripts/build.sh asan
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
echo "test.sh: $((SECONDS - started)) s so far"
"${with_postgres[@]}" ctest --test-dir build/asan "${ctest_args[@]}"
