#!/usr/bin/env bash
# Compile-checks every cpp/*.cpp (the JSI host object and the React Native install entry) against
# the JSI and CallInvoker headers shipped in the react-native npm package.
#
#   scripts/check-rn-headers.sh [VERSION...]      default: the oldest and newest supported RN
#
# Tarballs are fetched with `npm pack` once and only their ReactCommon/jsi, ReactCommon/callinvoker
# and ReactCommon/react/cxxstableapi headers are kept, in $RCIM_RN_HEADERS_CACHE (default
# $HOME/.cache/rcim/rn-headers/VERSION). Env: CXX (default g++), CXXFLAGS_EXTRA.
# Exits non-zero when a version fails to download or a file fails to compile.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${RCIM_RN_HEADERS_CACHE:-$HOME/.cache/rcim/rn-headers}
CXX=${CXX:-g++}
if [ $# -gt 0 ]; then VERSIONS=("$@"); else VERSIONS=(0.75.5 0.88.1); fi

fetch() { # VERSION -> prints the header root
  local v=$1 dir=$CACHE/$1
  if [ ! -f "$dir/.complete" ]; then
    local tmp
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' RETURN
    echo "fetching react-native@$v" >&2
    (cd "$tmp" && npm pack --silent "react-native@$v" >/dev/null)
    mkdir -p "$tmp/x"
    tar -xzf "$tmp/react-native-$v.tgz" -C "$tmp/x" --wildcards \
      'package/ReactCommon/jsi/jsi/*.h' 'package/ReactCommon/callinvoker/ReactCommon/*.h'
    # Needed by CallInvoker.h from 0.88 on; absent before.
    tar -xzf "$tmp/react-native-$v.tgz" -C "$tmp/x" --wildcards \
      'package/ReactCommon/react/cxxstableapi/*.h' 2>/dev/null || true
    rm -rf "$dir"
    mkdir -p "$(dirname "$dir")"
    mv "$tmp/x/package" "$dir"
    touch "$dir/.complete"
  fi
  echo "$dir"
}

status=0
for v in "${VERSIONS[@]}"; do
  if ! rn=$(fetch "$v"); then
    echo "FAIL react-native@$v: could not fetch headers" >&2
    status=1
    continue
  fi
  for src in "$ROOT"/cpp/*.cpp; do
    # RN headers are -isystem so their own warnings don't count; ours are -Werror.
    # shellcheck disable=SC2086
    if "$CXX" -std=c++20 -fsyntax-only -Wall -Wextra -Werror ${CXXFLAGS_EXTRA:-} \
      -isystem "$rn/ReactCommon/jsi" -isystem "$rn/ReactCommon/callinvoker" \
      -isystem "$rn/ReactCommon" -I"$ROOT/cpp" "$src"; then
      echo "ok   react-native@$v $(basename "$src")"
    else
      echo "FAIL react-native@$v $(basename "$src")" >&2
      status=1
    fi
  done
done
exit $status
