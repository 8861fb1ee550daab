#!/usr/bin/env bash
# Coverage-guided fuzzing on the stable toolchain: builds the libFuzzer targets of rust/fuzz
# with LLVM SanitizerCoverage (stable `-C passes`/`-C llvm-args` flags, no sanitizer runtime)
# and runs each for a bounded time from its seeds, printing the executions.
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]    default 60 s, every target
# Targets: frame_decoder requests server_api token. Findings (inputs that crash or hang) are
# written to $RCIM_FUZZ_DIR/artifacts/; corpora grow in $RCIM_FUZZ_DIR/corpus/.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rcim/target-fuzz}"
secs="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(frame_decoder requests server_api token)
work="${RCIM_FUZZ_DIR:-$CARGO_TARGET_DIR/fuzz}"
triple="$(rustc -vV | sed -n 's/^host: //p')"

# Seeds: written by the uninstrumented helper binary.
cargo run --locked -q -p rcim-fuzz --bin rcim-fuzz -- seeds "$work/seeds"

# The instrumented build. `--target` keeps the flags off build scripts and proc macros.
flags=(
  -Cpasses=sancov-module
  -Cllvm-args=-sanitizer-coverage-level=4
  -Cllvm-args=-sanitizer-coverage-inline-8bit-counters
  -Cllvm-args=-sanitizer-coverage-pc-table
  -Cllvm-args=-sanitizer-coverage-trace-compares
  --cfg fuzzing
)
bins=()
for t in "${targets[@]}"; do bins+=(--bin "fuzz_$t"); done
RUSTFLAGS="${flags[*]}" cargo build --locked -p rcim-fuzz --features libfuzzer \
  --target "$triple" "${bins[@]}"

mkdir -p "$work/artifacts"
status=0
for t in "${targets[@]}"; do
  printf '\n==> fuzz %s: %s s, coverage-guided (libFuzzer)\n' "$t" "$secs"
  corpus="$work/corpus/$t"
  mkdir -p "$corpus"
  log="$work/$t.log"
  # -timeout: an input answered in more than 20 s is a hang (the request target's own limit
  # is 10 s per request). Exit status 0 unless something was found.
  if ! "$CARGO_TARGET_DIR/$triple/debug/fuzz_$t" "$corpus" "$work/seeds/$t" \
      -max_total_time="$secs" -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
      -artifact_prefix="$work/artifacts/$t-" >"$log" 2>&1; then
    status=1
    echo "FINDING: see $log and $work/artifacts/"
    grep -E 'panicked|ERROR|SUMMARY' "$log" | head -5 || true
  fi
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
  speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")"
  cov="$(grep -E '^#[0-9]+' "$log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' || true)"
  grep '^rcim-fuzz ' "$log" | tail -1 || true
  echo "$t: ${execs:-?} executions (${speed:-?}/s), ${cov:-coverage ?}, corpus $(ls "$corpus" | wc -l) inputs"
done
exit $status
