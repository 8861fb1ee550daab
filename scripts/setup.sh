#!/usr/bin/env bash
# Installs everything RCIM needs on a fresh Debian machine (as root) and builds the Rust
# binaries. Safe to run again: each step is skipped when already done.
#
# Build outputs go to $CARGO_TARGET_DIR (default ~/.cache/rcim/target), outside the checkout,
# so the ~17 minute Hermes build (crate hermes-engine) is reused by later runs and CI.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rcim/target}"

step() { printf '\n==> %s\n' "$*"; }

# --- System packages: cmake + ninja + libclang build Hermes; ICU links it; clang-format lints C++.
need_pkgs=()
command -v cmake >/dev/null || need_pkgs+=(cmake)
command -v ninja >/dev/null || need_pkgs+=(ninja-build)
command -v clang-format >/dev/null || need_pkgs+=(clang-format)
command -v g++ >/dev/null || need_pkgs+=(g++)
# openssl makes the Hermes suite's throw-away TLS certificates; curl scrapes /metrics in a test.
command -v openssl >/dev/null || need_pkgs+=(openssl)
command -v curl >/dev/null || need_pkgs+=(curl ca-certificates)
# The development link (libclang.so), not only the runtime library (libclang.so.1).
ls /usr/lib/llvm-*/lib/libclang.so >/dev/null 2>&1 || need_pkgs+=(libclang-dev)
[ -e /usr/include/unicode/ucol.h ] || need_pkgs+=(libicu-dev)
# Python 3 with venv + pip: RongCloud's Python server SDK drives the Server API in a test.
command -v python3 >/dev/null || need_pkgs+=(python3)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need_pkgs+=(python3-venv)
# PostgreSQL and nats-server: scripts/services.sh runs a private instance of each for the
# multi-node tests (the server binaries live in /usr/lib/postgresql/<version>/bin).
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_pkgs+=(postgresql)
command -v nats-server >/dev/null || need_pkgs+=(nats-server)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  step "apt-get install ${need_pkgs[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

# --- npm packages (TypeScript, Jest, ESLint, esbuild used by rcim-jshost to bundle scripts).
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# --- The example app's npm packages (React Native, its Jest preset, Testing Library): its own
# package.json and lock file in example/, used by its type check and Jest tests.
if [ ! -d example/node_modules ] ||
  [ example/package-lock.json -nt example/node_modules/.package-lock.json ]; then
  step "npm ci --prefix example"
  npm ci --prefix example --no-audit --no-fund --loglevel=error
fi

# --- RongCloud's Python server SDK (rc-server-sdk 3.2.0; it needs jinja2 without declaring it)
# in a virtualenv outside the checkout; rust/server/tests/python_sdk.rs runs it.
RCIM_PYENV="${RCIM_PYENV:-$HOME/.cache/rcim/pyenv}"
if ! "$RCIM_PYENV/bin/python" -c 'import rongcloud.rongcloud, jinja2' >/dev/null 2>&1; then
  step "Python server SDK into $RCIM_PYENV"
  python3 -m venv "$RCIM_PYENV"
  "$RCIM_PYENV/bin/pip" install --quiet --disable-pip-version-check rc-server-sdk==3.2.0 jinja2
fi

# --- Rust binaries: the reference server and the Hermes host (first build: ~20 minutes).
step "cargo build (rcim-server, rcim-jshost) into $CARGO_TARGET_DIR"
cargo build --locked -p rcim-server -p rcim-jshost
