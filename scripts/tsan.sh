#!/usr/bin/env bash
# The threaded tests under ThreadSanitizer (CI step; about 5 minutes on 2 cores from scratch).
#   scripts/tsan.sh            configure build-tsan/, build the library and the threaded tests,
#                              run them with tests/tsan.supp
# libnode's V8 is not built with TSan: races inside it are invisible, and the few reports whose
# every racing access is V8's own are suppressed (tests/tsan.supp says which and why). Any
# report with a v8host frame fails the run.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)
dir="$here/build-tsan"
tests=(test_threads test_marshal_threads test_loop test_races)

"$here/scripts/setup.sh"
cmake -S "$here" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVH_BUILD_TESTS=ON -DVH_SANITIZE=thread \
  ${VH_CMAKE_ARGS:-} >/dev/null
cmake --build "$dir" -j "$jobs" --target "${tests[@]}"

# detect_deadlocks=0: TSan's lock-order checker reports every pair of runtime mutexes taken in
# both orders, which the library does on purpose: a thread that cannot have a lock in order
# only tries it, or releases everything and waits holding nothing (docs/threading.md,
# "Deadlocks"); test_races proves the waits end. second_deadlock_stack: fuller reports.
# test_races: a quarter of the rounds (each is ten times slower here; TSan needs no timing sweep).
export VH_RACES_QUICK=1
export TSAN_OPTIONS="suppressions=$here/tests/tsan.supp halt_on_error=1 exitcode=66 detect_deadlocks=0 second_deadlock_stack=1 history_size=4 ${TSAN_OPTIONS:-}"
status=0
for t in "${tests[@]}"; do
  start=$(date +%s)
  if "$dir/tests/$t" >"$dir/$t.tsan.log" 2>&1; then
    echo "tsan: $t passed ($(( $(date +%s) - start )) s)"
  else
    echo "tsan: $t FAILED, log: $dir/$t.tsan.log" >&2
    tail -n 60 "$dir/$t.tsan.log" >&2
    status=1
  fi
done
exit $status
