#!/usr/bin/env bash
# Installs what v8host needs on Debian 12, idempotently, and says what and why:
#   the build tools, libuv, cmocka, clang, doxygen (the list below) and V8 10.2 from Debian's
#   libnode108 + libnode-dev.
# Packages are installed with --no-install-recommends, and only the missing ones: when nothing is
# missing it needs no root and changes nothing. When something is missing and it is not root, it
# prints the apt-get line to run and fails.
# V8 comes from the system package when it can be installed; when another Node.js package owns
# /usr/include/node (or apt refuses), the two .deb files are unpacked into .deps/libnode instead,
# with libnode's runtime libraries installed the ordinary way. cmake/FindV8.cmake looks there
# first; `cmake --install` copies libnode.so.108 into the installed tree (cmake/v8hostInstall.cmake).
#   scripts/setup.sh            what building, testing and the docs need
#   scripts/setup.sh --package  also what scripts/ci-package.sh needs (debootstrap)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
deb_root="$here/.deps/libnode"
arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
package=0
for a in "$@"; do
  case "$a" in
    --package) package=1 ;;
    *) echo "usage: scripts/setup.sh [--package]" >&2; exit 2 ;;
  esac
done

# ---- packages: "name|why" (other parts of the project add their lines here) ----
wanted=(
  "cmake|the build system"
  "g++|compiles the library (C++17) and the C examples and tests"
  "make|the build tool cmake drives"
  "pkg-config|finds libuv; checks the installed v8host.pc and v8host-static.pc"
  "libuv1-dev|the event loop (include/v8host/loop.h) and the shell"
  "libcmocka-dev|the test suite"
  "clang|the install test links a static consumer with clang too; ./run.sh fuzz (libFuzzer)"
  "doxygen|the API reference (the docs target and the ctest docs entry)"
  "libedit-dev|v8host-shell's line editing, history and completion (BSD-licensed, as v8host is MIT)"
  "libwebsockets-dev|the inspector's DevTools endpoint (HTTP and WebSocket framing; without it vh_inspector_listen returns VH_ENOTSUP)"
)
[ $package = 0 ] || wanted+=(
  "debootstrap|scripts/ci-package.sh installs the .deb packages into a fresh Debian 12"
)
# ---- end of packages ----

apt_updated=0
apt_update() { [ $apt_updated = 1 ] || { apt-get update -qq; apt_updated=1; }; }
# apt_install WHY PACKAGE...: installs without Recommends; never removes a package to make room.
apt_install() {
  local why=$1; shift
  if [ "$(id -u)" != 0 ]; then
    echo "setup: missing ($why): $*" >&2
    echo "setup: run as root: apt-get install --no-install-recommends $*" >&2
    exit 1
  fi
  apt_update
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends --no-remove "$@" \
    >/dev/null
}

need=()
for w in "${wanted[@]}"; do
  p=${w%%|*}
  if ! dpkg -s "$p" >/dev/null 2>&1; then
    echo "setup: installing $p: ${w#*|}"
    need+=("$p")
  fi
done
[ ${#need[@]} = 0 ] || apt_install "build and test tools" "${need[@]}"

v8_ok() { [ -f "$1/usr/include/node/v8-version.h" ] && [ -f "$1/usr/lib/$arch/libnode.so.108" ] &&
          grep -q "^#define V8_MAJOR_VERSION 10$" "$1/usr/include/node/v8-version.h" &&
          grep -q "^#define V8_MINOR_VERSION 2$" "$1/usr/include/node/v8-version.h"; }
# The shared libraries libnode.so.108 links against (not its JavaScript dependencies).
node_libs=(libbrotli1 libc-ares2 libicu72 libnghttp2-14 libssl3 libuv1 zlib1g)

if v8_ok ""; then
  exit 0
fi
ensure_node_libs() {
  local missing=() p
  for p in "${node_libs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} = 0 ] ||
    { echo "setup: installing ${missing[*]}: libnode.so.108 in $deb_root needs them"
      apt_install "libnode.so.108's libraries" "${missing[@]}"; }
}
if v8_ok "$deb_root"; then
  ensure_node_libs
  exit 0
fi
owner=$(dpkg -S /usr/include/node 2>/dev/null | cut -d: -f1 || true)
if [ -z "$owner" ] || [ "$owner" = libnode-dev ]; then
  echo "setup: installing libnode-dev: V8 10.2 (headers and libnode.so.108, Debian's Node.js 18)"
  if [ "$(id -u)" != 0 ]; then apt_install "V8 10.2" libnode-dev; fi
  apt_update
  if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends --no-remove \
       libnode-dev >/dev/null 2>&1 && v8_ok ""; then
    echo "setup: V8 from the system's libnode-dev"
    exit 0
  fi
  echo "setup: apt cannot install libnode-dev here"
fi
echo "setup: /usr/include/node belongs to '${owner:-nobody}' (or apt refused libnode-dev); unpacking"
echo "setup: Debian's libnode108 + libnode-dev into $deb_root instead (V8 10.2, for this checkout only)"
ensure_node_libs
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 777 "$tmp"   # apt's sandbox user downloads into it
(cd "$tmp" && apt-get download -qq libnode108 libnode-dev) ||
  { echo "setup: apt-get download libnode108 libnode-dev failed" >&2; exit 1; }
rm -rf "$deb_root" && mkdir -p "$deb_root"
for f in "$tmp"/*.deb; do dpkg-deb -x "$f" "$deb_root"; done
v8_ok "$deb_root" || { echo "setup: unpacked packages do not hold V8 10.2" >&2; exit 1; }
