#!/usr/bin/env bash
# Runs clang-tidy (checks in .clang-tidy) over the C++ sources under src/, with a compile
# database configured for clang in build/tidy (nothing is compiled). Prints each finding, then
# a count per check; exits 1 when there is any finding or a file does not parse, 0 when clean.
#   scripts/tidy.sh                      every file under src/
#   scripts/tidy.sh src/auth src/http    only files under these paths
#   scripts/tidy.sh --changed [BASE]     only what changed since the merge base of BASE (default
#                                        main) and HEAD, committed or not: each changed .cpp,
#                                        and each .cpp that includes a changed header (also
#                                        through other headers); every file when BASE is not
#                                        a commit here (a fresh clone without it)
# CUBEAUTH_JOBS sets the parallel clang-tidy processes (default: one per core).
# CUBEAUTH_TIDY_CACHE: where results are kept (default ~/.cache/cubeauth-tidy; off: keep none).
# Needs Debian's clang-tidy package (clang-tidy 14). The whole of src/ costs about 13 CPU
# minutes (about 6.5 min of wall time on 2 idle cores) when nothing is kept yet; with every
# result kept, about 1 min of preprocessing. Pass paths or --changed to check less.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-tidy >/dev/null || { echo "tidy.sh: clang-tidy is not installed (apt-get install clang-tidy)" >&2; exit 2; }
jobs=${CUBEAUTH_JOBS:-$(nproc)}

mode=paths
base=main
if [ "${1:-}" = "--changed" ]; then
  mode=changed
  base=${2:-main}
  set --
  if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
    # A fresh clone without that branch: check everything rather than nothing.
    echo "tidy.sh: no commit '$base' here; checking every file under src/"
    mode=paths
  fi
fi

CC=clang CXX=clang++ cmake -S . -B build/tidy -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCUBEAUTH_BUILD_TESTS=OFF \
  -DCUBEAUTH_BUILD_BENCH=OFF -DCUBEAUTH_BUILD_FUZZ=OFF -DCUBEAUTH_WERROR=OFF >/dev/null

paths=("$@")
[ ${#paths[@]} -eq 0 ] && paths=(src)
changed=()
if [ "$mode" = changed ]; then
  merge_base=$(git merge-base "$base" HEAD)
  # Committed since the merge base, staged, unstaged and untracked: what a review would see.
  mapfile -t changed < <({ git diff --name-only --diff-filter=d "$merge_base" -- src;
                           git ls-files --others --exclude-standard -- src; } | sort -u)
  echo "tidy.sh: ${#changed[@]} file(s) under src/ changed since $(git rev-parse --short "$merge_base") ($base)"
fi
root=$PWD
files=$(python3 - "$root" "$mode" "${paths[@]}" -- "${changed[@]}" <<'PY'
import json, os, re, sys
root, mode = sys.argv[1], sys.argv[2]
split = sys.argv.index('--')
wanted = [os.path.join(root, p.rstrip('/')) for p in sys.argv[3:split]]
changed = {os.path.normpath(os.path.join(root, p)) for p in sys.argv[split + 1:]}
sources = []
for entry in json.load(open(os.path.join(root, 'build/tidy/compile_commands.json'))):
    path = os.path.normpath(os.path.join(entry['directory'], entry['file']))
    if path.endswith('.cpp') and path.startswith(os.path.join(root, 'src') + '/') and path not in sources:
        sources.append(path)
if mode == 'paths':
    for path in sources:
        if any(path == w or path.startswith(w + '/') for w in wanted):
            print(path)
    sys.exit(0)
# --changed: a changed header reaches every file that includes it, directly or not.
src = os.path.join(root, 'src')
include = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
includes = {}
for folder, _, names in os.walk(src):
    for name in names:
        if name.endswith(('.cpp', '.hpp', '.h', '.ipp')):
            path = os.path.join(folder, name)
            text = open(path, encoding='utf-8', errors='replace').read()
            includes[path] = {os.path.normpath(os.path.join(src, h)) for h in include.findall(text)} | \
                             {os.path.normpath(os.path.join(folder, h)) for h in include.findall(text)}
dirty = set(changed)
grew = True
while grew:
    grew = False
    for path, used in includes.items():
        if path not in dirty and used & dirty:
            dirty.add(path)
            grew = True
for path in sources:
    if path in dirty:
        print(path)
PY
)
count=$(printf '%s\n' "$files" | grep -c . || true)
mkdir -p build/tidy
report=build/tidy/report.txt
if [ "$count" -eq 0 ]; then
  echo "tidy.sh: no file to check"
  : >"$report"
  : >build/tidy/findings.txt
  exit 0
fi
echo "tidy.sh: clang-tidy over $count files with $jobs jobs"
started=$SECONDS
# Results are kept per file (scripts/tidy_run.py says under which key), so an unchanged file
# costs one preprocessing instead of a clang-tidy run. CUBEAUTH_TIDY_CACHE=off runs everything.
cache=${CUBEAUTH_TIDY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cubeauth-tidy}
[ "$cache" = off ] && cache=""
# shellcheck disable=SC2086 # one file per line, no blanks in our paths
python3 scripts/tidy_run.py "$root" "$jobs" "$cache" $files >"$report"
grep -E '^/.*: (warning|error): ' "$report" | sort -u >build/tidy/findings.txt || true
cat "$report"
echo "tidy.sh: $((SECONDS - started)) s; findings per check:"
sed -E 's/.*\[([^]]+)\]$/\1/' build/tidy/findings.txt | sort | uniq -c | sort -rn
findings=$(grep -c . build/tidy/findings.txt || true)
echo "tidy.sh: $findings finding(s) in $count file(s)"
[ "$findings" -eq 0 ]
