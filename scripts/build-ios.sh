#!/usr/bin/env bash
# Builds the Rust bridge (crate rust/bridge, static library librcim_bridge.a) for iOS and packs it
# into ios/RCIMBridge.xcframework, which react-native-rcim.podspec vendors. Runs on macOS with
# Xcode and rustup.
#
#   scripts/build-ios.sh            device (aarch64-apple-ios) + simulator (arm64 + x86_64)
#   SIM_ONLY=1 scripts/build-ios.sh simulator only;  PROFILE=dev for a debug build
#
# IPHONEOS_DEPLOYMENT_TARGET defaults to 15.1 (React Native >= 0.76's minimum).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROFILE=${PROFILE:-release}
export IPHONEOS_DEPLOYMENT_TARGET=${IPHONEOS_DEPLOYMENT_TARGET:-15.1}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=$ROOT/ios/RCIMBridge.xcframework
LIB=librcim_bridge.a
# Release builds of the shipped library: smaller and faster (the workspace profile stays untouched).
export CARGO_PROFILE_RELEASE_LTO=${CARGO_PROFILE_RELEASE_LTO:-true}
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=${CARGO_PROFILE_RELEASE_CODEGEN_UNITS:-1}
export CARGO_PROFILE_RELEASE_STRIP=${CARGO_PROFILE_RELEASE_STRIP:-debuginfo}

[ "$(uname -s)" = Darwin ] || { echo "build-ios.sh needs macOS with Xcode" >&2; exit 1; }
profile_dir() { if [ "$PROFILE" = dev ]; then echo debug; else echo "$PROFILE"; fi; }

build() { # TRIPLE
  rustup target add "$1" >/dev/null
  (cd "$ROOT" && cargo build -p rcim-bridge --lib --profile "$PROFILE" --target "$1")
  echo "$TARGET_DIR/$1/$(profile_dir)/$LIB"
}

args=()
if [ -z "${SIM_ONLY:-}" ]; then
  args+=(-library "$(build aarch64-apple-ios | tail -1)")
fi
sim_arm=$(build aarch64-apple-ios-sim | tail -1)
sim_x86=$(build x86_64-apple-ios | tail -1)
# One library per platform variant: merge both simulator architectures.
sim_dir=$TARGET_DIR/ios-sim-universal/$(profile_dir)
mkdir -p "$sim_dir"
lipo -create "$sim_arm" "$sim_x86" -output "$sim_dir/$LIB"
args+=(-library "$sim_dir/$LIB")

rm -rf "$OUT"
xcodebuild -create-xcframework "${args[@]}" -output "$OUT"
echo "wrote $OUT"
