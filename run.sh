#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine (run as root):
#   ./run.sh showcase         install what is missing, build, run examples/showcase
#   ./run.sh test             install what is missing, build, run the whole suite through ctest
#   ./run.sh test-sanitize    the same suite built with AddressSanitizer + UndefinedBehaviorSanitizer
#   ./run.sh fuzz [seconds]   fuzz the API with libFuzzer (clang, ASan + UBSan) for seconds (60)
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
    # Leaks are errors too; a V8 fatal error (a trap) is reported as a crash, with its stack.
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:handle_sigtrap=1} \
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
      ctest --test-dir "$here/build-sanitize" --output-on-failure -j "$jobs"
    ;;
  fuzz)
    shift
    exec "$here/tests/fuzz/run" "$@"
    ;;
  *)
    echo "usage: ./run.sh showcase | test | test-sanitize | fuzz [seconds]" >&2
    exit 2
    ;;
esac
