#!/usr/bin/env bash
# Who writes the thread-state fields: only the one state transition (ThreadState::enter/leave,
# src/core/thread_state.{h,cc}) writes which runtime is current on a thread, who holds a runtime's
# lock, a runtime's entered engine, the in-use and script-call counts, the host nesting and the
# loop's running thread; only the pending-exception and rethrow helpers (src/core/call.{h,cc})
# write an engine's pending exception and a runtime's rethrown message. Run by ctest (the
# `state_writes` entry); prints every write found elsewhere in src/ and fails when there is one.
set -euo pipefail
src=$(cd "$(dirname "$0")/../src" && pwd)

# A member write: `x.f = ...`, `x->f += ...`, `x->f++`, `++x->f`, `x.f.store(...)`, ...
member() {  # $1 field name
  local f=$1
  printf '%s' "(->|\\.)$f\\s*([-+*/|&]?=[^=]|\\+\\+|--)|(\\+\\+|--)\\s*[A-Za-z_][A-Za-z0-9_>.()-]*(->|\\.)$f\\b|(->|\\.)$f\\.(store|exchange|compare_exchange_weak|compare_exchange_strong|fetch_add|fetch_sub|push_back|emplace_back|pop_back|erase|clear|insert|swap|resize|Reset)\\b"
}

# field:allowed files (regular expression on the path below src/)
checks=(
  "lock_owner:core/thread_state\\.(h|cc)"
  "owner:core/thread_state\\.(h|cc)|debug/inspector/"  # RuntimeLink::owner (the inspector's owner is another struct's pointer)
  "current_rt:core/thread_state\\.(h|cc)"
  "frame_rt:core/thread_state\\.(h|cc)"
  "held:core/thread_state\\.(h|cc)"
  "depth:core/thread_state\\.(h|cc)"
  "entered:core/thread_state\\.(h|cc)"
  "js_calls:core/thread_state\\.(h|cc)"
  "in_use:core/thread_state\\.(h|cc)"
  "loop_thread:core/thread_state\\.(h|cc)"
  "pending_exception:core/call\\.(h|cc)"
  "pending_message:core/call\\.(h|cc)"
  "has_pending:core/call\\.(h|cc)"
  "rethrown_exception:core/call\\.(h|cc)"
  "rethrown_message:core/call\\.(h|cc)"
)

bad=0
for c in "${checks[@]}"; do
  field=${c%%:*}
  allowed=${c#*:}
  while IFS= read -r hit; do
    file=${hit%%:*}
    rel=${file#"$src"/}
    [[ $rel =~ ^($allowed)$ || $rel =~ ^($allowed) ]] && continue
    echo "state_writes: ${hit#"$src"/} writes $field outside ${allowed//\\/}"
    bad=1
  done < <(grep -rnE "$(member "$field")" "$src" --include='*.cc' --include='*.h' | grep -vE '^[^:]+:[0-9]+:\s*//' || true)
done
[[ $bad -eq 0 ]] && echo "state_writes: the thread-state fields are written only by ThreadState::enter/leave, the pending exception and rethrow only by core/call's helpers"
exit $bad
