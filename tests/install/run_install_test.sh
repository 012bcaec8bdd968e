#!/usr/bin/env bash
# The install test (ctest "install", registered by tests/install/CMakeLists.txt). In a temporary
# folder ($TMPDIR, removed at the end; KEEP=1 keeps it):
#   1. cmake --install <build> --prefix <tmp>/a/prefix; checks the installed files (LICENSE, both
#      .pc files, the bundled libnode when V8 came from a private folder), that no installed text
#      file names the source checkout, the build tree or V8's private folder, and that every
#      installed RUNPATH is $ORIGIN-relative; then `cmake --build <build> --target uninstall`
#      must leave the prefix empty.
#   2. installs again and moves the prefix to <tmp>/b/moved.
#   3. in a private mount namespace where the source checkout, the build tree and V8's private
#      folder are empty (as if deleted; nothing real is touched), from copies of the consumer
#      sources:
#        shell            <moved>/bin/v8host-shell -e 'print(6*7)'
#        cmake-shared     find_package(v8host CONFIG) + v8host::v8host
#        cmake-static     find_package(v8host CONFIG) + v8host::v8host_static
#        pc-shared        cc consumer.c $(pkg-config --cflags --libs v8host)
#        pc-static-gcc    gcc consumer.c $(pkg-config --cflags --libs --static v8host-static)
#        pc-static-clang  clang, the same line (README.md's recipe)
#      Consumers are built without CMake's build RPATH: they run only if the installed files carry
#      the run-time paths themselves; the shared ones find libv8host.so through -Wl,-rpath or
#      LD_LIBRARY_PATH, as a user's program would.
# Arguments are name=value pairs, see tests/install/CMakeLists.txt.
set -euo pipefail

for a in "$@"; do
  case "$a" in
    *=*) declare "${a%%=*}=${a#*=}" ;;
    *) echo "run_install_test: bad argument '$a'" >&2; exit 2 ;;
  esac
done
: "${BUILD_DIR:?}" "${SOURCE_DIR:?}" "${CMAKE:?}" "${PKG_CONFIG:?}" "${GCC:?}"
: "${LIBDIR:=lib}" "${GENERATOR:=}" "${SANITIZE:=}" "${V8_LIBRARY:=}" "${VERSION:=}"
: "${BUNDLED:=OFF}" "${CLANG:=}" "${PHASE:=outside}" "${KEEP:=0}"

fail() { echo "install test FAILED: $*" >&2; exit 1; }
step() { echo "== $*"; }
run_logged() {  # run a command, show its output only when it fails
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    fail "command failed: $*"
  fi
}
runpath() { readelf -d "$1" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p;s/.*(RPATH).*\[\(.*\)\]/\1/p'; }
if [ "$PHASE" = outside ]; then
  # What the installed tree must not depend on: the checkout (with .deps), the build tree, and
  # V8's private folder (.deps may be a symlink to a folder outside the checkout).
  hidden=("$(cd "$SOURCE_DIR" && pwd -P)" "$(cd "$BUILD_DIR" && pwd -P)")
  v8_dir=""
  [ -z "$V8_LIBRARY" ] || v8_dir=$(cd "$(dirname "$V8_LIBRARY")" && pwd -P)
  case "$v8_dir" in ""|/usr/lib*) ;; *) hidden+=("$v8_dir") ;; esac
  [ -n "$CLANG" ] || [ -n "$SANITIZE" ] || fail "clang not found (scripts/setup.sh installs it)"
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/v8host-install.XXXXXX")
  if [ "$KEEP" = 1 ]; then echo "keeping $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi
  log="$tmp/log"
  prefix="$tmp/a/prefix"
  libdir="$prefix/$LIBDIR"

  step "cmake --install $BUILD_DIR --prefix $prefix"
  run_logged "$CMAKE" --install "$BUILD_DIR" --prefix "$prefix"
  expect=(include/v8host.h include/v8host/api.h bin/v8host-shell "$LIBDIR/libv8host.so"
          "$LIBDIR/libv8host.a" "$LIBDIR/cmake/v8host/v8hostConfig.cmake"
          "$LIBDIR/cmake/v8host/v8hostConfigVersion.cmake" "$LIBDIR/cmake/v8host/v8hostTargets.cmake"
          "$LIBDIR/pkgconfig/v8host.pc" "$LIBDIR/pkgconfig/v8host-static.pc"
          share/doc/v8host/LICENSE share/doc/v8host/CHANGELOG.md)
  [ "$BUNDLED" != ON ] || expect+=("$LIBDIR/v8host/$(basename "$V8_LIBRARY")")
  for f in "${expect[@]}"; do
    [ -e "$prefix/$f" ] || fail "not installed: $f"
  done
  cmp -s "$SOURCE_DIR/LICENSE" "$prefix/share/doc/v8host/LICENSE" || fail "installed LICENSE differs"

  step "no installed text file names the checkout, the build tree or V8's private folder"
  pats=()
  for h in "${hidden[@]}" "$SOURCE_DIR" "$BUILD_DIR"; do pats+=(-e "$h"); done
  leaks=$(grep -rIn -F "${pats[@]}" "$prefix" || true)
  [ -z "$leaks" ] || fail "installed files name the checkout or build tree: $leaks"

  step "RUNPATHs are \$ORIGIN-relative"
  lib_rp=$(runpath "$libdir/libv8host.so")
  shell_rp=$(runpath "$prefix/bin/v8host-shell")
  echo "   libv8host.so: '$lib_rp'  v8host-shell: '$shell_rp'"
  if [ "$BUNDLED" = ON ]; then
    [ "$lib_rp" = "\$ORIGIN/v8host" ] || fail "libv8host.so RUNPATH '$lib_rp', expected '\$ORIGIN/v8host'"
  else
    [ -z "$lib_rp" ] || fail "libv8host.so RUNPATH '$lib_rp', expected none (V8 from the system)"
  fi
  [ "$shell_rp" = "\$ORIGIN/../$LIBDIR" ] || fail "v8host-shell RUNPATH '$shell_rp'"

  step "cmake --build $BUILD_DIR --target uninstall"
  run_logged "$CMAKE" --build "$BUILD_DIR" --target uninstall
  left=$(find "$prefix" -mindepth 1 ! -type d)
  [ -z "$left" ] || fail "uninstall left files behind: $left"

  step "install again, move the prefix to $tmp/b/moved"
  run_logged "$CMAKE" --install "$BUILD_DIR" --prefix "$prefix"
  mkdir -p "$tmp/b" "$tmp/src"
  mv "$prefix" "$tmp/b/moved"
  cp -a "$SOURCE_DIR/tests/install/consumer.c" "$SOURCE_DIR/tests/install/consumer_cmake" \
    "$SOURCE_DIR/tests/install/run_install_test.sh" "$tmp/src/"
  step "hiding ${hidden[*]} (private mount namespace)"
  ns=(unshare --mount --propagation private)
  [ "$(id -u)" = 0 ] || ns=(unshare --map-root-user --mount --propagation private)
  "${ns[@]}" true 2>/dev/null || fail "cannot make a mount namespace (${ns[*]}): util-linux unshare, \
root or unprivileged user namespaces are needed"
  hide=""
  mounted=()
  while read -r h; do  # parents first; a folder inside a hidden one is gone already
    for m in "${mounted[@]}"; do case "$h/" in "$m"/*) continue 2 ;; esac; done
    hide+="mount -t tmpfs -o size=1m v8host-hidden '$h' && "
    mounted+=("$h")
  done < <(printf '%s\n' "${hidden[@]}" | sort -u)
  # shellcheck disable=SC2016  # expanded by the inner shell
  exec "${ns[@]}" bash -c "$hide"'exec bash "$0" "$@"' "$tmp/src/run_install_test.sh" "$@" \
    PHASE=inside TMP="$tmp" KEEP="$KEEP" HIDDEN="$(IFS=:; echo "${hidden[*]}")"
fi

# ---- inside: the checkout, the build tree and V8's private folder are empty ----
: "${TMP:?}" "${HIDDEN:?}"
IFS=: read -r -a hidden <<<"$HIDDEN"
if [ "$KEEP" != 1 ]; then trap 'rm -rf "$TMP"' EXIT; fi
here="$TMP/src"
prefix="$TMP/b/moved"
libdir="$prefix/$LIBDIR"
log="$TMP/log"
for h in "${hidden[@]}"; do
  [ ! -e "$h" ] || [ -z "$(ls -A "$h")" ] || fail "$h is not hidden"
done

san_flags=""
if [ -n "$SANITIZE" ]; then
  for s in ${SANITIZE//,/ }; do san_flags+=" -fsanitize=$s"; done
fi

step "installed shell from the moved prefix"
out=$("$prefix/bin/v8host-shell" -e 'print(6*7)' 2>&1) || fail "v8host-shell exited with $?: $out"
[ "$out" = 42 ] || fail "v8host-shell printed '$out', expected 42"
echo "   v8host-shell -e 'print(6*7)': $out"

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
run_logged "$CMAKE" -S "$here/consumer_cmake" -B "$TMP/cmake" "${gen[@]}" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$GCC" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_SKIP_BUILD_RPATH=ON -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  -DCMAKE_C_FLAGS="$san_flags" -DCMAKE_EXE_LINKER_FLAGS="$san_flags"
grep -q "^v8host_DIR:PATH=$libdir/cmake/v8host\$" "$TMP/cmake/CMakeCache.txt" ||
  fail "find_package found another v8host: $(grep '^v8host_DIR' "$TMP/cmake/CMakeCache.txt")"
run_logged "$CMAKE" --build "$TMP/cmake"
check_run cmake-shared "$TMP/cmake/consumer_shared" shared LD_LIBRARY_PATH="$libdir"
check_run cmake-static "$TMP/cmake/consumer_static" static -u LD_LIBRARY_PATH

step "pkg-config consumers: PKG_CONFIG_PATH=$libdir/pkgconfig"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
"$PKG_CONFIG" --exists v8host v8host-static || fail "pkg-config does not find v8host.pc / v8host-static.pc"
for m in v8host v8host-static; do
  [ -z "$VERSION" ] || [ "$("$PKG_CONFIG" --modversion $m)" = "$VERSION" ] ||
    fail "pkg-config --modversion $m: $("$PKG_CONFIG" --modversion $m), expected $VERSION"
done
pc_libdir=$("$PKG_CONFIG" --variable=libdir v8host)
[ "$(cd "$pc_libdir" && pwd -P)" = "$(cd "$libdir" && pwd -P)" ] ||
  fail "the .pc's libdir is $pc_libdir, expected $libdir"
cflags="-std=c99 -Wall -Wextra -Werror$san_flags"
cd "$TMP"
# shellcheck disable=SC2046,SC2086  # word splitting of the flags is intended
{
  echo "   cc consumer.c \$(pkg-config --cflags --libs v8host): $("$PKG_CONFIG" --cflags --libs v8host)"
  run_logged "$GCC" $cflags "$here/consumer.c" -o pc_shared $("$PKG_CONFIG" --cflags --libs v8host) \
    -Wl,-rpath,"$pc_libdir"
  check_run pc-shared "$TMP/pc_shared" shared -u LD_LIBRARY_PATH

  echo "   cc consumer.c \$(pkg-config --cflags --libs --static v8host-static):" \
    "$("$PKG_CONFIG" --cflags --libs --static v8host-static)"
  compilers=("gcc=$GCC")
  # gcc's and clang's sanitizer runtimes do not mix: a sanitized (gcc-built) archive is linked by
  # gcc only; the plain build is linked by both.
  if [ -z "$SANITIZE" ]; then compilers+=("clang=$CLANG"); else echo "   (sanitized build: gcc only)"; fi
  for c in "${compilers[@]}"; do
    run_logged "${c#*=}" $cflags "$here/consumer.c" -o "pc_static_${c%%=*}" \
      $("$PKG_CONFIG" --cflags --libs --static v8host-static)
    check_run "pc-static-${c%%=*}" "$TMP/pc_static_${c%%=*}" static -u LD_LIBRARY_PATH
  done
}
echo "install test passed"
