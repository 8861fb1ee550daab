#!/usr/bin/env bash
# Runs every benchmark and prints figures (see BENCHMARKS.md). Not part of `npm test`.
#   bash scripts/bench.sh            full run
#   bash scripts/bench.sh --quick    short run
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rcim/target}"
quick=()
[ "${1:-}" = "--quick" ] && quick=(-- --quick)

printf '\n==> messaging: latency, throughput, offline sync (release build)\n'
cargo bench --locked -p rcim-testing --bench messaging "${quick[@]}"
printf '\n==> messaging throughput with synchronous=NORMAL, for comparison with the FULL default\n'
RCIM_BENCH_ONLY=throughput RCIM_BENCH_SYNCHRONOUS=normal \
  cargo bench --locked -p rcim-testing --bench messaging

printf '\n==> cluster: private messages, 1 node SQLite / 1 node PostgreSQL / 2 nodes PostgreSQL + NATS (release build)\n'
bash scripts/services.sh start
eval "$(bash scripts/services.sh env)"
cargo bench --locked -p rcim-testing --bench cluster "${quick[@]}"

printf '\n==> media: upload/download throughput against curl, 12 MP thumbnail (release build)\n'
cargo bench --locked -p rcim-testing --bench media "${quick[@]}"

printf '\n==> local store: 1,000,000 messages, engine API against raw SQLite (release build)\n'
cargo bench --locked -p rcim-testing --bench local_store "${quick[@]}"

printf '\n==> push: one group message to 3,000 offline members through the APNs/FCM stand-ins (release build)\n'
cargo bench --locked -p rcim-testing --bench push "${quick[@]}"

printf '\n==> chatroom: memory per idle connection, fan-out in one room of 10,000 members (release build)\n'
cargo bench --locked -p rcim-testing --bench chatroom "${quick[@]}"

printf '\n==> ultragroup: 1,000 online of 100,000 members: send latency, fan-out, storage per message (release build)\n'
cargo bench --locked -p rcim-testing --bench ultragroup "${quick[@]}"

# Coverage-guided fuzzing (libFuzzer on the stable toolchain, see scripts/fuzz.sh): a bounded
# run of every target, printing its executions. A finding fails the script.
printf '\n==> fuzz: frame decoder, request handlers, Server API, token parser (instrumented dev build)\n'
if [ ${#quick[@]} -gt 0 ]; then
  bash scripts/fuzz.sh 10
else
  bash scripts/fuzz.sh 120
fi

printf '\n==> chaos: rcim-server killed with SIGKILL every few seconds under 50 engines; exactly-once, in-order delivery (release build)\n'
cargo bench --locked -p rcim-testing --bench chaos "${quick[@]}"

# The Hermes host is built with the dev profile (the release profile would rebuild Hermes, ~17
# minutes); our own crates are optimised for this run through --config.
printf '\n==> bridge: JS -> Rust round trip and event rate in rcim-jshost (Hermes)\n'
opt=()
for crate in rcim-bridge rcim-core rcim-store rcim-proto rcim-jshost; do
  opt+=(--config "profile.dev.package.$crate.opt-level=3")
done
cargo build --locked -p rcim-jshost "${opt[@]}"
bin="$CARGO_TARGET_DIR/debug/rcim-jshost"
if [ ${#quick[@]} -gt 0 ]; then
  RCIM_BENCH_N=20000 "$bin" --timeout 300 bench/bridge-bench.ts
else
  "$bin" --timeout 600 bench/bridge-bench.ts
fi
# Leave the usual dev build in place for the tests.
cargo build --locked -p rcim-jshost >/dev/null 2>&1 || true
