// How a running script is reached and stopped, and how its runtime comes back: the stop reason
// and its end, the heap-limit callback that stops a script instead of letting V8 end the process
// (the host's own callback first), interrupts requested from any thread, and the one stack limit
// of each thread. Every call into script (call.h, the loop, proxies) uses these; the limits a host
// sets (deadlines, termination, the heap size) are above, in limits/.
#include "core/stop.h"

#include <pthread.h>

#include <algorithm>
#include <mutex>

#include "core/call.h"
#include "v8host.h"

namespace vh {
namespace {

constexpr uintptr_t kV8StackBudget = 984u << 10;  // V8's default --stack-size
constexpr uintptr_t kStackMargin = 192u << 10;    // kept free at the bottom of every thread's stack
constexpr size_t kHeapHeadroom = 16u << 20;  // least room past the limit for a stopped script to unwind
// V8 puts the configured limit back by itself once a collection finds the old generation below
// this share of it (after host allocations raised it, say). Not higher: a restore while a stopped
// script still unwinds leaves an allocation the script is making (a Map's or an old array's new
// backing store) without room, and V8 ends the process. After a stop, end_stop restores it.
constexpr double kRestoreShare = 0.5;

// The room a stopped script gets to unwind in: half the configured limit, at least 16 MiB.
size_t unwind_room(size_t initial_limit) {
  return initial_limit / 2 > kHeapHeadroom ? initial_limit / 2 : kHeapHeadroom;
}

// V8 calls this after a collection that left its old generation at or over current_limit; the
// limit returned must hold the whole heap or V8 ends the process. The heap can be far over the
// limit already: V8 lets one large object into the young generation whatever its size (one huge
// string or array), and moves it to the old generation at the next collection. So the new limit
// is the heap's size now (or the old limit) plus room to unwind, never a fixed step.
size_t near_heap_limit(void* data, size_t current_limit, size_t initial_limit) {
  auto* rt = static_cast<Runtime*>(data);
  rt->heap_old_limit = initial_limit;
  v8::HeapStatistics s;
  rt->isolate->GetHeapStatistics(&s);
  size_t in_use = s.total_heap_size() > current_limit ? s.total_heap_size() : current_limit;
  size_t limit = in_use + unwind_room(initial_limit);
  ThreadState* ts = ThreadState::peek();
  // Script may be running: a call that runs it, a host callback, or a run of the runtime's loop
  // on this thread (its timers call script directly).
  bool script = rt->js_calls > 0 || (ts && (ts->depth > 0 || rt->loop_thread.load(std::memory_order_relaxed) == ts->ordinal));
  if (!script) {
    // The host itself is allocating (a large string, say): no script to stop, and stopping
    // would hit the next, innocent one. The room is for the allocation instead; the limit comes
    // back once the heap shrinks, and the next script that allocates is stopped then.
    return limit;
  }
  // The host may raise the limit once instead of the stop (vh_runtime_set_heap_limit_cb); what
  // it grants must still hold the whole heap.
  if (size_t raised = host_heap_limit(rt, current_limit, initial_limit)) return raised > in_use ? raised : limit;
  stop_for_heap_limit(rt);
  return limit;
}

// True when the configured heap limit is in force again, after collecting what a stopped
// script left and putting the limit back: V8 sets it to the configured one when the live objects
// fill at most 80% of it, else to 1.25 times what they fill (and then the runtime stays stopped).
bool heap_back_under_limit(Runtime* rt) {
  v8::HeapStatistics s;
  rt->isolate->GetHeapStatistics(&s);
  if (s.heap_size_limit() <= rt->heap_limit || rt->heap_old_limit == 0) {
    // A stop the library made before V8 raised its limit (the safe builtins' heap check) may
    // leave the stopped script's garbage over the limit: collect it, as after a raised one.
    if (s.used_heap_size() > rt->heap_limit) rt->isolate->LowMemoryNotification();
    return true;
  }
  rt->isolate->LowMemoryNotification();
  rt->isolate->RemoveNearHeapLimitCallback(near_heap_limit, rt->heap_old_limit);
  rt->isolate->AddNearHeapLimitCallback(near_heap_limit, rt);
  rt->isolate->GetHeapStatistics(&s);
  return s.heap_size_limit() <= rt->heap_limit;
}

}  // namespace

// V8 may deliver a request twice (it is re-requested after a lock is taken, in case the first was
// lost): the pending list decides; a request no longer in it has run and been freed.
void run_interrupt(v8::Isolate* iso, void* data) {
  auto* request = static_cast<Interrupt*>(data);
  Runtime* rt = runtime_of(iso);
  {
    std::lock_guard<std::mutex> lock(rt->interrupts_mu);
    auto it = std::find(rt->interrupts.begin(), rt->interrupts.end(), request);
    if (it == rt->interrupts.end()) return;
    rt->interrupts.erase(it);
    rt->has_interrupts.store(!rt->interrupts.empty(), std::memory_order_release);
  }
  request->fn(vh_runtime{request->runtime}, request->data);
  delete request;
}

size_t host_heap_limit(Runtime* rt, size_t current_limit, size_t initial_limit) {
  if (!rt->heap_limit_cb) return 0;
  size_t wanted = rt->heap_limit_cb(vh_runtime{rt->handle}, current_limit, initial_limit, rt->heap_limit_data);
  if (wanted <= current_limit || rt->heap_limit_raised) return 0;
  rt->heap_limit_raised = true;
  return wanted;
}

void reissue_requests(Runtime* rt) {
  if (rt->stop_reason.load(std::memory_order_relaxed) != 0) rt->isolate->TerminateExecution();
  std::lock_guard<std::mutex> lock(rt->interrupts_mu);
  for (Interrupt* request : rt->interrupts) rt->isolate->RequestInterrupt(run_interrupt, request);
}

void free_interrupts(Runtime* rt) {
  std::lock_guard<std::mutex> lock(rt->interrupts_mu);
  for (Interrupt* request : rt->interrupts) delete request;
  rt->interrupts.clear();
  rt->has_interrupts.store(false, std::memory_order_relaxed);
}

void install_heap_limit(Runtime* rt) {
  rt->isolate->AddNearHeapLimitCallback(near_heap_limit, rt);
  rt->isolate->AutomaticallyRestoreInitialHeapLimit(kRestoreShare);
  v8::HeapStatistics s;
  rt->isolate->GetHeapStatistics(&s);
  rt->heap_limit = s.heap_size_limit();
}

void stop_for_heap_limit(Runtime* rt) {
  int expected = 0;
  rt->stop_reason.compare_exchange_strong(expected, VH_EHEAPLIMIT);
  rt->isolate->TerminateExecution();
}

void end_stop(Runtime* rt) {
  // A heap-limit stop whose runtime still holds most of its limit after a full collection
  // (the script kept what it allocated, in globals) goes on: every script the runtime starts
  // is stopped at once, so repeated stops cannot push the heap ever further past the limit.
  if (rt->stop_reason.load(std::memory_order_relaxed) == VH_EHEAPLIMIT && !heap_back_under_limit(rt)) return;
  rt->isolate->CancelTerminateExecution();
  rt->stop_reason.store(0, std::memory_order_relaxed);
}
int stopped_status(Runtime* rt, ThreadState* ts) {
  int reason = rt->stop_reason.load(std::memory_order_relaxed);
  if (reason == 0) reason = VH_ETERMINATED;
  // Back in the host with no script of the runtime left on this thread: the runtime works
  // again. (Deeper, the script being stopped is still unwinding through its callers. Inside a
  // run of the runtime's loop on this thread, the run is the outermost level: it ends the stop
  // when it returns, loop.cc.)
  if (ts->depth == 0 && rt->loop_thread.load(std::memory_order_relaxed) != ts->ordinal) end_stop(rt);
  return reason;
}

uintptr_t thread_stack_limit() {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return 0;
  void* low = nullptr;
  size_t size = 0;
  int rc = pthread_attr_getstack(&attr, &low, &size);
  pthread_attr_destroy(&attr);
  if (rc != 0 || !low) return 0;
  // One limit per thread, for every runtime it enters: V8 on its own sets a runtime's limit
  // about 984 KiB below wherever a thread first locks it, so a chain of runtimes first entered
  // deep in a recursion (through proxies, or host callbacks opening scopes on other runtimes)
  // would each get a fresh budget and run off the end of the stack. The budget is V8's usual
  // one, measured from where the thread first uses the library, but never past the stack's
  // real bottom less a margin for the C frames of host callbacks and traps that run between
  // two of V8's checks, and for V8's own overflow handling.
  uintptr_t bottom = reinterpret_cast<uintptr_t>(low);
  uintptr_t here = reinterpret_cast<uintptr_t>(&attr);
  uintptr_t floor = bottom + kStackMargin;
  if (here < floor + kV8StackBudget) return floor;
  return here - kV8StackBudget;
}

}  // namespace vh
