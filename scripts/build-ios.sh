#!/usr/bin/env bash
# Builds the Rust bridge (crate rust/bridge, static library librcim_bridge.a) for iOS and packs it
# into ios/RCIMBridge.xcframework, which react-native-rcim.podspec vendors. Runs on macOS with
# Xcode and rustup. `npm run release` (scripts/release.sh) runs it for the published package.
#
#   scripts/build-ios.sh            device (aarch64-apple-ios) + simulator (arm64 + x86_64)
#   SIM_ONLY=1 scripts/build-ios.sh simulator only;  PROFILE=dev for a debug build
#
# The xcframework holds one static library per platform variant: ios-arm64 (device) and
# ios-arm64_x86_64-simulator (aarch64-apple-ios-sim and x86_64-apple-ios merged with lipo).
# IPHONEOS_DEPLOYMENT_TARGET defaults to 13.4 (the minimum of React Native 0.75, the oldest
# supported); the arm64 simulator slice is built for at least 14.0, its own minimum.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROFILE=${PROFILE:-release}
DEPLOYMENT_TARGET=${IPHONEOS_DEPLOYMENT_TARGET:-13.4}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=$ROOT/ios/RCIMBridge.xcframework
LIB=librcim_bridge.a
# Release builds of the shipped library: smaller and faster (the workspace profile stays untouched).
export CARGO_PROFILE_RELEASE_LTO=${CARGO_PROFILE_RELEASE_LTO:-true}
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=${CARGO_PROFILE_RELEASE_CODEGEN_UNITS:-1}
export CARGO_PROFILE_RELEASE_STRIP=${CARGO_PROFILE_RELEASE_STRIP:-debuginfo}

[ "$(uname -s)" = Darwin ] || { echo "build-ios.sh needs macOS with Xcode" >&2; exit 1; }
profile_dir() { if [ "$PROFILE" = dev ]; then echo debug; else echo "$PROFILE"; fi; }

# The larger of two versions "MAJOR.MINOR".
max_version() { printf '%s\n%s\n' "$1" "$2" | sort -t. -k1,1n -k2,2n | tail -1; }

build() { # TRIPLE MIN_IOS: builds; prints only the library's path on stdout
  rustup target add "$1" >&2
  (cd "$ROOT" && IPHONEOS_DEPLOYMENT_TARGET=$2 \
    cargo build -p rcim-bridge --lib --profile "$PROFILE" --target "$1" >&2)
  echo "$TARGET_DIR/$1/$(profile_dir)/$LIB"
}

args=()
if [ -z "${SIM_ONLY:-}" ]; then
  device=$(build aarch64-apple-ios "$DEPLOYMENT_TARGET")
  args+=(-library "$device")
fi
sim_arm=$(build aarch64-apple-ios-sim "$(max_version "$DEPLOYMENT_TARGET" 14.0)")
sim_x86=$(build x86_64-apple-ios "$DEPLOYMENT_TARGET")
# One library per platform variant: merge both simulator architectures.
sim_dir=$TARGET_DIR/ios-sim-universal/$(profile_dir)
mkdir -p "$sim_dir"
lipo -create "$sim_arm" "$sim_x86" -output "$sim_dir/$LIB"
args+=(-library "$sim_dir/$LIB")

rm -rf "$OUT"
xcodebuild -create-xcframework "${args[@]}" -output "$OUT"
echo "wrote $OUT"
