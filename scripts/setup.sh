#!/usr/bin/env bash
# Installs what v8host needs on Debian 12, as root, idempotently:
#   build tools, libuv, cmocka, pkg-config, and V8 10.2 from Debian's libnode108/libnode-dev.
# V8 comes from the system package when it can be installed; when another Node.js package owns
# /usr/include/node (or apt refuses), the two .deb files are unpacked into .deps/libnode instead,
# with their runtime libraries installed the ordinary way. cmake/FindV8.cmake looks there first.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
deb_root="$here/.deps/libnode"
arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)

need=()
for p in cmake g++ make pkg-config libuv1-dev libcmocka-dev; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
# The inspector's DevTools endpoint (optional: without it vh_inspector_listen returns VH_ENOTSUP).
for p in libwebsockets-dev; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
apt_updated=0
apt_update() { [ $apt_updated = 1 ] || { apt-get update -qq; apt_updated=1; }; }
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  apt_update
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-remove "${need[@]}" >/dev/null
fi

v8_ok() { [ -f "$1/usr/include/node/v8-version.h" ] && [ -f "$1/usr/lib/$arch/libnode.so.108" ] &&
          grep -q "^#define V8_MAJOR_VERSION 10$" "$1/usr/include/node/v8-version.h" &&
          grep -q "^#define V8_MINOR_VERSION 2$" "$1/usr/include/node/v8-version.h"; }

if v8_ok "$deb_root" || v8_ok ""; then
  exit 0
fi
owner=$(dpkg -S /usr/include/node 2>/dev/null | cut -d: -f1 || true)
if [ -z "$owner" ] || [ "$owner" = libnode-dev ]; then
  apt_update
  # --no-remove: never let apt take away another package (say, a Node.js) to make room.
  if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-remove libnode-dev >/dev/null 2>&1 &&
     v8_ok ""; then
    echo "setup: V8 from the system's libnode-dev"
    exit 0
  fi
fi
echo "setup: /usr/include/node belongs to '${owner:-nobody}'; unpacking libnode108 + libnode-dev into $deb_root"
apt_update
# The runtime libraries libnode.so.108 links against (not its JavaScript dependencies).
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-remove libbrotli1 libc-ares2 libicu72 \
  libnghttp2-14 libssl3 libuv1 zlib1g >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 777 "$tmp"   # apt's sandbox user downloads into it
(cd "$tmp" && apt-get download -qq libnode108 libnode-dev) ||
  { echo "setup: apt-get download libnode108 libnode-dev failed" >&2; exit 1; }
rm -rf "$deb_root" && mkdir -p "$deb_root"
for f in "$tmp"/*.deb; do dpkg-deb -x "$f" "$deb_root"; done
v8_ok "$deb_root" || { echo "setup: unpacked packages do not hold V8 10.2" >&2; exit 1; }
