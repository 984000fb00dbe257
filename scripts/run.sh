#!/usr/bin/env bash
# Installs what is needed, builds (Release) and starts cubeauth on port 3000 with
# the embedded SQLite store (./data/cubeauth.db). Configuration: README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh release cubeauth
exec build/release/src/cubeauth
