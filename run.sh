#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine (run as root):
#   ./run.sh showcase         install what is missing, build, run examples/showcase
#   ./run.sh test             install what is missing, build, run the whole suite through ctest
#   ./run.sh test-sanitize    the same suite built with AddressSanitizer + UndefinedBehaviorSanitizer
# Builds go to build/ (or build-sanitize/); extra CMake options can come through $VH_CMAKE_ARGS.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cmd=${1:-}
jobs=$(nproc 2>/dev/null || echo 2)

configure_and_build() {  # $1 build dir, rest: cmake options
  local dir=$1; shift
  "$here/scripts/setup.sh"
  cmake -S "$here" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" ${VH_CMAKE_ARGS:-} >/dev/null
  cmake --build "$dir" -j "$jobs"
}

case "$cmd" in
  showcase)
    configure_and_build "$here/build"
    "$here/build/examples/showcase"
    ;;
  test)
    configure_and_build "$here/build" -DVH_BUILD_TESTS=ON
    ctest --test-dir "$here/build" --output-on-failure -j "$jobs"
    ;;
  test-sanitize)
    configure_and_build "$here/build-sanitize" -DVH_BUILD_TESTS=ON -DVH_SANITIZE=address,undefined
    ctest --test-dir "$here/build-sanitize" --output-on-failure -j "$jobs"
    ;;
  *)
    echo "usage: ./run.sh showcase | test | test-sanitize" >&2
    exit 2
    ;;
esac
