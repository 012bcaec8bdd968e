// V8's platform as the library installs it (platform.cc): libplatform's default platform, wrapped
// so that the library knows, per isolate, whether V8 still has work in flight for it (worker
// tasks and jobs it posted, foreground tasks queued), and is told when that changes. The loop
// uses it to stay alive until async WebAssembly and the like have completed.
#pragma once

#include <v8.h>

#include <memory>

namespace vh {

struct IsolateWork;

// Starts V8 once per process (runtime creation).
void ensure_platform();
// libplatform's default platform, for v8::platform::PumpMessageLoop.
v8::Platform* platform();

// Starts tracking isolate's platform work (loop creation). wake(data) is called, from any
// thread and possibly while V8 holds its own locks (so it must only signal), when a foreground
// task is posted for the isolate or a piece of its background work ends.
std::shared_ptr<IsolateWork> track_isolate_work(v8::Isolate* isolate, void (*wake)(void*), void* data);
// Stops it (loop destruction): wake is never called again once this returns. Work still in
// flight keeps the record alive until it ends.
void untrack_isolate_work(const std::shared_ptr<IsolateWork>& work);
// What V8 has in flight for the isolate (delayed and idle tasks excluded: the loop's pump timer
// runs those, and they must not keep a run alive).
enum class PlatformWork {
  kNone,
  // worker tasks posted and not yet run, foreground tasks queued and not yet run, jobs a worker
  // runs now: each ends with a wake-up
  kRunning,
  // only jobs no worker runs now that had work left after their last run (V8 normally runs them
  // again soon; one that is never run again must not keep a loop alive for ever)
  kIdleJobs
};
PlatformWork isolate_work_state(IsolateWork* work);

}  // namespace vh
