#!/usr/bin/env bash
# CI step for the Debian packages (run as root on Debian 12; .ci/run calls it):
#   1. builds the packages: a RelWithDebInfo build in build-deb/ with the /usr prefix and
#      VH_BUNDLE_V8=OFF, then `cpack -G DEB` -> build-deb/packages/: libv8host1, libv8host-dev,
#      v8host-shell (stripped) and their -dbgsym .ddeb files (the split debug information);
#   2. checks each package's Depends and contents (no bundled libnode, no RUNPATH, no path of
#      this checkout);
#   3. makes a fresh Debian 12 (debootstrap --variant=minbase into a temporary folder, started
#      in the background while step 1 compiles), runs `apt-get install ./*.deb` in it (apt
#      fetches libnode108, libuv1 and the rest from Debian) with gcc and pkg-config, and there
#      builds and runs tests/install/consumer.c through `pkg-config v8host` and
#      `pkg-config --static v8host-static`, and runs v8host-shell.
# Why a chroot: on a machine where another Node.js package owns /usr/include/node (NodeSource's
# nodejs 20, for one), Debian's libnode108 cannot be installed at all (it depends on node-acorn,
# which wants Debian's nodejs), so the packages cannot be installed there; a clean Debian 12 is
# the machine the packages are for. Time: about 2.5 min for debootstrap (overlapping the build)
# and 1.5 min for apt in the chroot; each network step is bounded (VH_CI_NET_TIMEOUT seconds).
# Mounts (/proc, /dev in the chroot) live in a private mount namespace and vanish with it.
# VH_CI_KEEP=1 keeps the chroot (printed); VH_DEBIAN_MIRROR overrides deb.debian.org.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
build="$here/build-deb"
jobs=$(nproc 2>/dev/null || echo 2)
[ "$jobs" -le 4 ] || jobs=4
net_timeout=${VH_CI_NET_TIMEOUT:-600}
mirror=${VH_DEBIAN_MIRROR:-http://deb.debian.org/debian}
say() { echo "ci-package: $*"; }
fail() { echo "ci-package FAILED: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root (debootstrap and chroot need it)"

"$here/scripts/setup.sh" --package
work=$(mktemp -d /tmp/v8host-ci-package.XXXXXX)
if [ "${VH_CI_KEEP:-0}" = 1 ]; then say "keeping $work"; else trap 'rm -rf "$work"' EXIT; fi
root="$work/debian12"

say "debootstrap bookworm into $root (background, log $work/debootstrap.log)"
start=$SECONDS
timeout "$net_timeout" debootstrap --variant=minbase bookworm "$root" "$mirror" \
  >"$work/debootstrap.log" 2>&1 &
boot_pid=$!

say "building the packages in $build"
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
  -DVH_BUNDLE_V8=OFF -DVH_BUILD_TESTS=OFF -DVH_BUILD_EXAMPLES=ON >/dev/null
cmake --build "$build" -j "$jobs" >"$work/build.log" 2>&1 || { tail -50 "$work/build.log"; fail "build"; }
rm -rf "$build/packages"
(cd "$build" && cpack -G DEB -B "$build/packages" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log"; fail "cpack -G DEB"; }
ver=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
debs=()
for p in libv8host1 libv8host-dev v8host-shell; do
  f=""
  for c in "$build/packages/${p}_${ver}-1_"*.deb; do [ ! -e "$c" ] || f=$c; done
  [ -n "$f" ] || fail "no $p package in $build/packages: $(ls "$build/packages")"
  debs+=("$f")
  say "$(basename "$f"): Depends: $(dpkg-deb -f "$f" Depends)"
done
ls "$build/packages/"*.ddeb >/dev/null 2>&1 || fail "no -dbgsym packages (split debug information)"

say "checking the packages' contents"
dpkg-deb -f "${debs[0]}" Depends | grep -q 'libnode108' || fail "libv8host1 does not depend on libnode108"
dpkg-deb -f "${debs[0]}" Depends | grep -q 'libuv1' || fail "libv8host1 does not depend on libuv1"
x="$work/contents"
for f in "${debs[@]}"; do dpkg-deb -x "$f" "$x"; done
[ -z "$(find "$x" -name 'libnode*')" ] || fail "a package carries libnode: $(find "$x" -name 'libnode*')"
for elf in "$x"/usr/lib/*/libv8host.so.1 "$x"/usr/bin/v8host-shell; do
  [ -e "$elf" ] || fail "missing in the packages: $elf"
  ! readelf -d "$elf" | grep -qE '\((RUNPATH|RPATH)\)' || fail "$elf has an RPATH: $(readelf -d "$elf" | grep PATH)"
  ! readelf -S "$elf" | grep -q '\.debug_info' || fail "$elf is not stripped"
done
a=$(ls "$x"/usr/lib/*/libv8host.a)
! objdump -h "$a" | grep -q '\.debug_info' || fail "$a carries debug information"
! grep -rIl -F -e "$here" "$x" || fail "a package names the checkout $here"
[ -e "$x/usr/share/doc/v8host/LICENSE" ] || fail "LICENSE is not in the packages"

wait "$boot_pid" || { tail -20 "$work/debootstrap.log"; fail "debootstrap (exit $?; timeout ${net_timeout}s)"; }
say "debootstrap took $((SECONDS - start)) s"

say "apt-get install ./*.deb in the fresh Debian 12, then a consumer"
mkdir -p "$root/tmp/v8host"
cp "${debs[@]}" "$here/tests/install/consumer.c" "$root/tmp/v8host/"
cp /etc/resolv.conf "$root/etc/resolv.conf"
cat >"$root/tmp/v8host/consume.sh" <<'EOF'
set -eu
cd /tmp/v8host
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Only our packages and a C compiler are asked for: libnode108, libuv1 and the rest come
# through the packages' Depends.
apt-get install -y -qq --no-install-recommends ./*.deb gcc libc6-dev >apt.log 2>&1 ||
  { cat apt.log; exit 1; }
dpkg -s libnode108 libuv1 >/dev/null
echo "installed: $(dpkg-query -W -f '${Package} ${Version}; ' libv8host1 libv8host-dev v8host-shell libnode108)"
cflags="-std=c99 -Wall -Wextra -Werror"
cc $cflags consumer.c -o consumer_shared $(pkg-config --cflags --libs v8host)
cc $cflags consumer.c -o consumer_static $(pkg-config --cflags --libs --static v8host-static)
./consumer_shared
./consumer_static
! ldd consumer_static | grep -q libv8host || { echo "consumer_static needs libv8host.so"; exit 1; }
[ "$(v8host-shell -e 'print(6*7)')" = 42 ]
echo "v8host-shell -e 'print(6*7)': 42"
EOF
start=$SECONDS
# shellcheck disable=SC2016  # $1 and $2 are the inner shell's
unshare --mount --propagation private bash -c '
  set -e
  mount -t proc proc "$1/proc"
  mount --rbind /dev "$1/dev"
  timeout "$2" chroot "$1" /bin/bash /tmp/v8host/consume.sh' _ "$root" "$net_timeout" ||
  fail "installing the packages into a fresh Debian 12 and building a consumer"
say "install and consume took $((SECONDS - start)) s"
say "passed"
