#!/usr/bin/env bash
# The install test (ctest "install", registered by tests/install/CMakeLists.txt):
#   1. cmake --install <build dir> --prefix <work>/prefix
#   2. checks the installed tree: files present, no build-tree path in the CMake/pkg-config
#      files and headers, libv8host.so's RUNPATH is only V8's private folder (if any)
#   3. builds tests/install/consumer.c against the installed tree and runs it, four ways:
#        cmake-shared  find_package(v8host CONFIG) + v8host::v8host
#        cmake-static  find_package(v8host CONFIG) + v8host::v8host_static
#        pc-shared     cc consumer.c $(pkg-config --cflags --libs v8host)
#        pc-static     cc consumer.c $(pkg-config --cflags --libs --static v8host), libv8host.a
#      The CMake consumers are built without CMake's build RPATH, so they run only if the
#      installed files carry the run-time paths themselves (libv8host.so's RUNPATH for the
#      shared library, the exported link options / the .pc's Libs.private for the static one);
#      the shared consumers find libv8host.so itself through LD_LIBRARY_PATH / -Wl,-rpath.
# Arguments are name=value pairs, see tests/install/CMakeLists.txt.
set -euo pipefail

for a in "$@"; do
  case "$a" in
    *=*) declare "${a%%=*}=${a#*=}" ;;
    *) echo "run_install_test: bad argument '$a'" >&2; exit 2 ;;
  esac
done
: "${BUILD_DIR:?}" "${SOURCE_DIR:?}" "${WORK_DIR:?}" "${CMAKE:?}" "${CC:?}" "${PKG_CONFIG:?}"
: "${LIBDIR:=lib}" "${GENERATOR:=}" "${SANITIZE:=}" "${V8_LIBRARY_DIR:=}" "${VERSION:=}"
here=$(cd "$(dirname "$0")" && pwd)

# A sanitized library needs sanitized consumers (and the sanitizer runtime loaded first).
san_flags=""
if [ -n "$SANITIZE" ]; then
  for s in ${SANITIZE//,/ }; do san_flags+=" -fsanitize=$s"; done
fi

prefix="$WORK_DIR/prefix"
rm -rf "$WORK_DIR"
mkdir -p "$WORK_DIR"
log="$WORK_DIR/log"
fail() { echo "install test FAILED: $*" >&2; exit 1; }
step() { echo "== $*"; }
run_logged() {  # run a command, show its output only when it fails
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    fail "command failed: $*"
  fi
}

step "cmake --install $BUILD_DIR --prefix $prefix"
run_logged "$CMAKE" --install "$BUILD_DIR" --prefix "$prefix"
libdir="$prefix/$LIBDIR"
for f in include/v8host.h include/v8host/api.h "$LIBDIR/libv8host.so" "$LIBDIR/libv8host.a" \
         "$LIBDIR/cmake/v8host/v8hostConfig.cmake" "$LIBDIR/cmake/v8host/v8hostConfigVersion.cmake" \
         "$LIBDIR/cmake/v8host/v8hostTargets.cmake" "$LIBDIR/pkgconfig/v8host.pc"; do
  [ -e "$prefix/$f" ] || fail "not installed: $f"
done

step "no build-tree paths in the installed text files"
# V8's own location is the one path that has to stay (it may be <source>/.deps/libnode/...).
leaks=$(find "$prefix" -type f \( -name '*.cmake' -o -name '*.pc' -o -name '*.h' \) -print0 |
  xargs -0 cat | { if [ -n "$V8_LIBRARY_DIR" ]; then sed "s#$V8_LIBRARY_DIR##g"; else cat; fi; } |
  grep -n -F -e "$BUILD_DIR" -e "$SOURCE_DIR" || true)
[ -z "$leaks" ] || fail "installed files mention the build or source tree: $leaks"

step "RUNPATH of the installed libv8host.so"
runpath=$(readelf -d "$libdir/libv8host.so" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p;s/.*(RPATH).*\[\(.*\)\]/\1/p')
echo "   '$runpath'"
case "$V8_LIBRARY_DIR" in
  ""|/usr/lib*) [ -z "$runpath" ] || fail "unexpected RUNPATH '$runpath'" ;;
  *) [ "$runpath" = "$V8_LIBRARY_DIR" ] || fail "RUNPATH '$runpath', expected '$V8_LIBRARY_DIR'" ;;
esac

needs() { readelf -d "$1" | grep -q "(NEEDED).*\[$2"; }
check_run() {  # $1 variant, $2 executable, $3 static|shared; runs it with the remaining env
  local name=$1 exe=$2 kind=$3; shift 3
  [ -x "$exe" ] || fail "$name: $exe was not built"
  if [ "$kind" = static ]; then
    ! needs "$exe" libv8host.so || fail "$name: $exe needs libv8host.so, expected the static library"
  else
    needs "$exe" libv8host.so || fail "$name: $exe does not need libv8host.so"
  fi
  local out
  out=$(env "$@" "$exe" 2>&1) || fail "$name: $exe exited with $?: $out"
  echo "   $name: $out"
  case "$out" in
    *"consumer: 6*7 = 42 "*) ;;
    *) fail "$name: unexpected output: $out" ;;
  esac
}

step "CMake consumer: find_package(v8host CONFIG REQUIRED) with CMAKE_PREFIX_PATH=$prefix"
gen=()
[ -z "$GENERATOR" ] || gen=(-G "$GENERATOR")
run_logged "$CMAKE" -S "$here/consumer_cmake" -B "$WORK_DIR/cmake" "${gen[@]}" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$CC" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_SKIP_BUILD_RPATH=ON -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  -DCMAKE_C_FLAGS="$san_flags" -DCMAKE_EXE_LINKER_FLAGS="$san_flags"
grep -q "^v8host_DIR:PATH=$libdir/cmake/v8host\$" "$WORK_DIR/cmake/CMakeCache.txt" ||
  fail "find_package found another v8host: $(grep '^v8host_DIR' "$WORK_DIR/cmake/CMakeCache.txt")"
run_logged "$CMAKE" --build "$WORK_DIR/cmake"
check_run cmake-shared "$WORK_DIR/cmake/consumer_shared" shared LD_LIBRARY_PATH="$libdir"
check_run cmake-static "$WORK_DIR/cmake/consumer_static" static -u LD_LIBRARY_PATH

step "pkg-config consumer: PKG_CONFIG_PATH=$libdir/pkgconfig"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
pc() { "$PKG_CONFIG" "$@" v8host; }
pc --exists || fail "pkg-config does not find v8host.pc"
[ -z "$VERSION" ] || [ "$(pc --modversion)" = "$VERSION" ] ||
  fail "pkg-config --modversion: $(pc --modversion), expected $VERSION"
pc_libdir=$(pc --variable=libdir)
[ "$(cd "$pc_libdir" && pwd -P)" = "$(cd "$libdir" && pwd -P)" ] ||
  fail "the .pc's libdir is $pc_libdir, expected $libdir"
cflags="-std=c99 -Wall -Wextra -Werror$san_flags"
# shellcheck disable=SC2046,SC2086  # word splitting of the flags is intended
{
  echo "   cc consumer.c $(pc --cflags --libs)"
  run_logged "$CC" $cflags "$here/consumer.c" -o "$WORK_DIR/pc_shared" $(pc --cflags --libs) \
    -Wl,-rpath,"$pc_libdir"
  check_run pc-shared "$WORK_DIR/pc_shared" shared -u LD_LIBRARY_PATH

  # Both libv8host.so and libv8host.a sit in libdir and -lv8host picks the shared one: a static
  # user names the archive (-l:libv8host.a); Libs.private brings V8, libuv and the C++ runtime.
  static_libs=$(pc --libs --static | sed 's/-lv8host\b/-l:libv8host.a/')
  echo "   cc consumer.c $(pc --cflags) $static_libs"
  run_logged "$CC" $cflags "$here/consumer.c" -o "$WORK_DIR/pc_static" $(pc --cflags) $static_libs
  check_run pc-static "$WORK_DIR/pc_static" static -u LD_LIBRARY_PATH
}
echo "install test passed"
