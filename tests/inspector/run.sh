#!/bin/sh
# ctest entry test_inspector_node: installs the pinned npm client (npm ci, from package-lock.json)
# into the build tree and runs cdp_client.js against v8host-shell. Exit 77 (skipped) only when
# node or npm is absent. Usage: run.sh SHELL BUILD_DIR
set -e
here=$(cd "$(dirname "$0")" && pwd)
shell=$1
work=$2/inspector_node
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "node or npm not found: skipped"
  exit 77
fi
mkdir -p "$work"
if ! cmp -s "$here/package-lock.json" "$work/package-lock.json" || [ ! -d "$work/node_modules/ws" ]; then
  cp "$here/package.json" "$here/package-lock.json" "$work/"
  (cd "$work" && npm ci --no-audit --no-fund --loglevel=error)
fi
NODE_PATH="$work/node_modules" exec node "$here/cdp_client.js" "$shell" "$work"
