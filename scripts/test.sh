#!/usr/bin/env bash
# `npm test`: sets everything up, then runs every check and test of the project:
# formatting and lints (Rust, TypeScript, C++), cargo tests, Jest, the example app's type check
# and Jest tests, the C++ header compile check against react-native's JSI/CallInvoker headers,
# and the Hermes integration suite.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rcim/target}"

bash scripts/setup.sh

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --locked --workspace --all-targets -- -D warnings

step "clang-format --dry-run -Werror"
mapfile -t cxx_files < <(git ls-files 'cpp/*.cpp' 'cpp/*.h' 'rust/jshost/*.cpp' 'rust/jshost/*.h' \
  'android/*.cpp' 'ios/*.mm' 'ios/*.h')
if [ ${#cxx_files[@]} -gt 0 ]; then
  clang-format --dry-run -Werror "${cxx_files[@]}"
fi

step "TypeScript: tsc --noEmit, ESLint + Prettier, bob build"
npm run --silent typecheck
npm run --silent lint
npm run --silent build

step "README.md's supported-methods table matches the bridge's method table"
node scripts/gen-methods-table.mjs --check

step "C++ host object against react-native's JSI and CallInvoker headers"
bash scripts/check-rn-headers.sh

step "Private PostgreSQL and nats-server for the tests (scripts/services.sh)"
# Stopped when this script ends, however it ends; they stay up for the Hermes suite too.
trap 'bash scripts/services.sh stop || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
bash scripts/services.sh start
eval "$(bash scripts/services.sh env)"

step "cargo test --workspace"
cargo test --locked --workspace

step "Jest"
npx jest --ci

step "Example app: tsc --noEmit -p example, Jest (React Native Testing Library)"
npx tsc --noEmit -p example
(cd example && npx jest --ci)

step "Hermes integration suite (rcim-jshost + rcim-server)"
node scripts/hermes-tests.mjs

step "Hermes integration suite against two rcim-server nodes on PostgreSQL + NATS"
node scripts/hermes-tests.mjs --cluster --runs 1
