#!/usr/bin/env bash
# Builds the harness C++ (cpp/jshost.cpp + the repo's host object + cpp/fake_bridge.cpp) with
# AddressSanitizer/UBSan against the Hermes libraries that `cargo build -p rcim-jshost` built, and
# runs the given bundled fixtures on several fresh runtimes each. Catches use-after-free and leaks
# of jsi values across runtime teardown (contract 6), without the Rust engine.
#
#   rust/jshost/tests/asan.sh [FIXTURE.ts...]     default: bridge.ts runtime.ts
#   BRIDGE=real rust/jshost/tests/asan.sh         link the real Rust bridge (librcim_bridge.a)
#   SANITIZE=0 REPEAT=1 rust/jshost/tests/asan.sh bench/bridge-bench.ts   (-O2, output shown:
#   the host object + event loop cost against the C++ fake bridge)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CRATE=$(cd "$HERE/.." && pwd)
ROOT=$(cd "$CRATE/../.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
SANITIZE=${SANITIZE:-1}
REPEAT=${REPEAT:-3}
OUT=${TMPDIR:-/tmp}/rcim-jshost-asan
if [ "$SANITIZE" = 1 ]; then
  cxxflags=(-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined)
else
  cxxflags=(-O2)
  OUT=$OUT-O2
fi
mkdir -p "$OUT"

output=$(grep -l 'rustc-link-lib=static=hermesapi' "$TARGET"/debug/build/hermes-engine-*/output | head -1)
[ -n "$output" ] || { echo "build rcim-jshost first (no hermes-engine build output)" >&2; exit 1; }
mapfile -t search < <(sed -n 's/^cargo:rustc-link-search=native=/-L/p' "$output")
mapfile -t libs < <(sed -n 's/^cargo:rustc-link-lib=static=/-l/p' "$output")
hermes=$(cd "$(dirname "$(cargo metadata --format-version 1 --offline --filter-platform "$(rustc -vV | sed -n 's/^host: //p')" --manifest-path "$CRATE/Cargo.toml" |
  python3 -c 'import json,sys; print(next(p["manifest_path"] for p in json.load(sys.stdin)["packages"] if p["name"]=="hermes-engine"))')")/hermes-vendor" && pwd)

if [ "${BRIDGE:-fake}" = real ]; then
  (cd "$ROOT" && cargo build -q -p rcim-bridge --lib)
  bridge=("$TARGET/debug/librcim_bridge.a")
else
  bridge=("$CRATE/cpp/fake_bridge.cpp")
fi

cat >"$OUT/main.cpp" <<'CPP'
#include <fstream>
#include <sstream>
#include <string>
extern "C" int rcim_jshost_run(const char *, size_t, const char *, size_t, const char *, double,
                               unsigned);
static std::string slurp(const char *path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
int main(int argc, char **argv) {
  if (argc < 3) return 2;
  std::string prelude = slurp(argv[1]), bundle = slurp(argv[2]);
  return rcim_jshost_run(prelude.data(), prelude.size(), bundle.data(), bundle.size(), argv[2], 60,
                         argc > 3 ? std::stoi(argv[3]) : 3);
}
CPP

g++ -std=c++17 "${cxxflags[@]}" \
  -I"$hermes/API" -I"$hermes/API/jsi" -I"$hermes/public" -I"$ROOT/cpp" \
  "$OUT/main.cpp" "$CRATE/cpp/jshost.cpp" "$ROOT/cpp/RCIMBridgeHostObject.cpp" \
  "${search[@]}" -Wl,--start-group "${libs[@]}" "${bridge[@]}" -Wl,--end-group \
  -licuuc -licui18n -licudata -lpthread -ldl -lm \
  -o "$OUT/rcim-jshost-asan"

esbuild=$ROOT/node_modules/.bin/esbuild
fixtures=("$@")
[ ${#fixtures[@]} -gt 0 ] || fixtures=("$HERE/fixtures/bridge.ts" "$HERE/fixtures/runtime.ts")
status=0
for f in "${fixtures[@]}"; do
  "$esbuild" "$f" --bundle --format=iife --global-name=__rcimMain --platform=neutral --target=es2019 --supported:bigint=true \
    --log-level=warning --outfile="$OUT/bundle.js"
  if RCIM_TEST_VALUE=hello RCIM_DATA_DIR=$OUT ASAN_OPTIONS=detect_leaks=1 \
    "$OUT/rcim-jshost-asan" "$CRATE/src/prelude.js" "$OUT/bundle.js" "$REPEAT" >"$OUT/out.txt" 2>&1; then
    [ "$SANITIZE" = 1 ] || cat "$OUT/out.txt"
    echo "ok   $(basename "$f")"
  else
    echo "FAIL $(basename "$f")"; cat "$OUT/out.txt"; status=1
  fi
done
exit $status
