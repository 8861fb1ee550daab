#!/usr/bin/env bash
# Builds the Rust bridge (crate rust/bridge, static library librcim_bridge.a) for each Android ABI
# with cargo-ndk and copies it to android/src/main/jniLibs/<abi>/, where android/CMakeLists.txt
# links it into librcim.so.
#
#   scripts/build-android.sh                 all four ABIs, release
#   ABIS="arm64-v8a x86_64" PROFILE=dev scripts/build-android.sh
#
# Needs rustup, cargo-ndk (`cargo install cargo-ndk`) and ANDROID_NDK_HOME (NDK 27 for RN >= 0.77).
# ANDROID_API (default 23 = the minSdk of React Native 0.75, the oldest supported; 0.76+ use 24).
# `npm run release` (scripts/release.sh) runs this for the published package.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROFILE=${PROFILE:-release}
API=${ANDROID_API:-23}
ABIS=${ABIS:-"arm64-v8a armeabi-v7a x86 x86_64"}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
export CARGO_PROFILE_RELEASE_LTO=${CARGO_PROFILE_RELEASE_LTO:-true}
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=${CARGO_PROFILE_RELEASE_CODEGEN_UNITS:-1}
export CARGO_PROFILE_RELEASE_STRIP=${CARGO_PROFILE_RELEASE_STRIP:-debuginfo}

triple() {
  case $1 in
    arm64-v8a) echo aarch64-linux-android ;;
    armeabi-v7a) echo armv7-linux-androideabi ;;
    x86) echo i686-linux-android ;;
    x86_64) echo x86_64-linux-android ;;
    *) echo "unknown ABI $1" >&2; return 1 ;;
  esac
}
profile_dir() { if [ "$PROFILE" = dev ]; then echo debug; else echo "$PROFILE"; fi; }

command -v cargo-ndk >/dev/null || { echo "cargo-ndk missing: cargo install cargo-ndk" >&2; exit 1; }
for abi in $ABIS; do
  t=$(triple "$abi")
  rustup target add "$t" >/dev/null
  (cd "$ROOT" && cargo ndk -t "$abi" -P "$API" build -p rcim-bridge --lib --profile "$PROFILE")
  mkdir -p "$ROOT/android/src/main/jniLibs/$abi"
  cp "$TARGET_DIR/$t/$(profile_dir)/librcim_bridge.a" "$ROOT/android/src/main/jniLibs/$abi/"
  echo "wrote android/src/main/jniLibs/$abi/librcim_bridge.a"
done
