#!/usr/bin/env bash
# Builds a V8 monolith (libv8_monolith.a) that v8host can use with -DV8_ROOT, following V8's
# documented steps (https://v8.dev/docs/source-code, https://v8.dev/docs/build-gn):
# depot_tools, `fetch v8`, the wanted version checked out, `gclient sync`, `gn gen` with the
# arguments below, `ninja ... v8_monolith`. Needs network access (chromium.googlesource.com and
# the toolchains gclient downloads), git, python3, about 10 GB of disk and an hour or more.
#
#   scripts/build-v8.sh [options] VERSION
#
#   VERSION            a V8 release tag (12.4.254.21) or a release branch (12.4: its head)
#   --dir DIR          where depot_tools/ and v8/ go (default: ./v8-build)
#   --cpu CPU          gn target_cpu: x64 or arm64 (default: this machine's)
#   --no-sandbox       v8_enable_sandbox=false (default: true; needs pointer compression)
#   --no-pointer-compression
#                      v8_enable_pointer_compression=false (implies --no-sandbox)
#   --debug            is_debug=true (V8's DCHECKs; v8host then gets V8_ENABLE_CHECKS)
#   --external-data    keep the snapshot and ICU's data in files (snapshot_blob.bin,
#                      icudtl.dat) instead of inside the library; v8host finds and installs them
#   --jobs N           ninja -j N (default: ninja's choice)
#   --dry-run          print the commands, run nothing
#
# At the end it prints the cmake line for v8host. The gn arguments and why: docs/building.md.
set -euo pipefail

usage() { sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }

dir=$PWD/v8-build
cpu=
sandbox=true
compression=true
debug=false
external=false
jobs=()
dry=0
version=
while [ $# -gt 0 ]; do
  case $1 in
    --dir) dir=$2; shift ;;
    --cpu) cpu=$2; shift ;;
    --no-sandbox) sandbox=false ;;
    --no-pointer-compression) compression=false; sandbox=false ;;
    --debug) debug=true ;;
    --external-data) external=true ;;
    --jobs) jobs=(-j "$2"); shift ;;
    --dry-run) dry=1 ;;
    -h|--help) usage 0 ;;
    -*) echo "build-v8.sh: unknown option $1" >&2; usage ;;
    *) [ -z "$version" ] || usage; version=$1 ;;
  esac
  shift
done
[ -n "$version" ] || usage
if [[ ! $version =~ ^[0-9]+\.[0-9]+(\.[0-9]+\.[0-9]+)?$ ]]; then
  echo "build-v8.sh: VERSION is a tag like 12.4.254.21 or a branch like 12.4, not '$version'" >&2
  exit 2
fi
if [ -z "$cpu" ]; then
  case $(uname -m) in
    x86_64|amd64) cpu=x64 ;;
    aarch64|arm64) cpu=arm64 ;;
    *) echo "build-v8.sh: pass --cpu (x64 or arm64) for $(uname -m)" >&2; exit 2 ;;
  esac
fi
config=$cpu.release
[ "$debug" = false ] || config=$cpu.debug
dir=$(realpath -m "$dir")
out=out/$config

# run CMD...: shows the command, runs it unless --dry-run.
run() {
  printf '+'
  printf ' %q' "$@"
  printf '\n'
  [ "$dry" = 1 ] || "$@"
}
# run_in DIR CMD...: run in DIR.
run_in() {
  local d=$1; shift
  printf '+ cd %q &&' "$d"
  printf ' %q' "$@"
  printf '\n'
  [ "$dry" = 1 ] || (cd "$d" && "$@")
}

# The gn arguments v8host needs (docs/building.md explains each).
gn_args=(
  "is_debug=$debug"
  "target_cpu=\"$cpu\""
  "v8_target_cpu=\"$cpu\""
  "is_component_build=false"
  "v8_monolithic=true"
  "v8_use_external_startup_data=$external"
  "icu_use_data_file=$external"
  "v8_enable_i18n_support=true"
  "use_custom_libcxx=false"
  "v8_enable_pointer_compression=$compression"
  "v8_enable_sandbox=$sandbox"
  "treat_warnings_as_errors=false"
  "symbol_level=1"
)

run mkdir -p "$dir"
# 1. depot_tools (gclient, fetch, gn, autoninja) on PATH.
if [ -d "$dir/depot_tools/.git" ]; then
  run_in "$dir/depot_tools" git pull --ff-only
else
  run git clone https://chromium.googlesource.com/chromium/tools/depot_tools.git "$dir/depot_tools"
fi
echo "+ export PATH=$dir/depot_tools:\$PATH"
export PATH="$dir/depot_tools:$PATH"

# 2. The V8 checkout, at VERSION, with the dependencies of that version.
if [ -d "$dir/v8/.git" ]; then
  run_in "$dir/v8" git fetch origin --tags
else
  run_in "$dir" fetch v8
fi
if [[ $version =~ ^[0-9]+\.[0-9]+$ ]]; then
  run_in "$dir/v8" git fetch origin "+refs/branch-heads/$version:refs/remotes/branch-heads/$version"
  run_in "$dir/v8" git checkout --detach "branch-heads/$version"
else
  run_in "$dir/v8" git checkout --detach "refs/tags/$version"
fi
run_in "$dir/v8" gclient sync -D

# 3. Configure and build the monolith.
args="${gn_args[*]}"
run_in "$dir/v8" gn gen "$out" "--args=$args"
run_in "$dir/v8" autoninja "${jobs[@]}" -C "$out" v8_monolith

echo
echo "V8 $version: $dir/v8/$out/obj/libv8_monolith.a. Build v8host against it with:"
echo "  cmake -S . -B build-v8-$version -DV8_ROOT=$dir/v8 -DV8_OUT=$out && cmake --build build-v8-$version"
