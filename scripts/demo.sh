#!/usr/bin/env bash
# `npm run demo`: sets everything up, starts rcim-server on an embedded SQLite store in a
# temporary directory, registers two users through the Server API and runs example/demo.ts in
# rcim-jshost (Hermes + the real JSI host object + the Rust engine): they chat, then the
# conversation list and history are printed.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rcim/target}"
bash scripts/setup.sh >&2
exec node scripts/demo.mjs
