#!/usr/bin/env bash
# Builds the native artifacts the npm package ships, checks them, and optionally packs:
#
#   android/src/main/jniLibs/<abi>/librcim_bridge.a   scripts/build-android.sh (cargo-ndk, 4 ABIs)
#   ios/RCIMBridge.xcframework                        scripts/build-ios.sh (macOS + Xcode)
#
#   scripts/release.sh [--android] [--ios] [--pack DIR] [--dry-run] [--help]
#
#   (no platform flag)  both platforms: needs macOS (for Xcode) with cargo-ndk and an NDK
#   --android           only the Android libraries (any host with cargo-ndk and an NDK)
#   --ios               only the xcframework (macOS); together with artifacts of an --android
#                       run copied in, a Linux machine and a Mac can share the work
#   --pack DIR          afterwards `npm pack` into DIR (its prepack guard checks every artifact)
#   --dry-run           print the commands without running them
#
# Both builds are release builds of the crate rust/bridge (LTO, one codegen unit, debug info
# stripped). Env: CARGO_TARGET_DIR, ANDROID_NDK_HOME, ANDROID_API (23), IPHONEOS_DEPLOYMENT_TARGET
# (13.4): the minimums of the oldest supported React Native, 0.75.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() { sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

android=0 ios=0 pack_dir="" dry_run=0
while [ $# -gt 0 ]; do
  case $1 in
    --android) android=1 ;;
    --ios) ios=1 ;;
    --pack)
      if [ $# -lt 2 ] || [ -z "$2" ]; then
        echo "release.sh: --pack needs a directory" >&2
        exit 2
      fi
      pack_dir=$2
      shift
      ;;
    --dry-run) dry_run=1 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "release.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
if [ $android = 0 ] && [ $ios = 0 ]; then android=1 ios=1; fi

run() {
  echo "+ $*"
  if [ $dry_run = 0 ]; then "$@"; fi
}

if [ $ios = 1 ] && [ "$(uname -s)" != Darwin ] && [ $dry_run = 0 ]; then
  echo "release.sh: the iOS xcframework needs macOS with Xcode; on this machine build only" \
    "--android and finish with --ios on a Mac" >&2
  exit 1
fi

export ANDROID_API=${ANDROID_API:-23}
export IPHONEOS_DEPLOYMENT_TARGET=${IPHONEOS_DEPLOYMENT_TARGET:-13.4}
export PROFILE=release

if [ $android = 1 ]; then
  run bash "$ROOT/scripts/build-android.sh"
fi
if [ $ios = 1 ]; then
  run bash "$ROOT/scripts/build-ios.sh"
fi

# The check npm runs before packing: every artifact of both platforms, valid archives. After a
# one-platform build it only reports what the other platform still lacks.
if { [ $android = 1 ] && [ $ios = 1 ]; } || [ -n "$pack_dir" ]; then
  run node "$ROOT/scripts/prepack.mjs"
else
  run env RCIM_PACK_DRY_RUN=1 node "$ROOT/scripts/prepack.mjs"
fi

if [ -n "$pack_dir" ]; then
  run mkdir -p "$pack_dir"
  (cd "$ROOT" && run npm pack --pack-destination "$pack_dir")
fi
