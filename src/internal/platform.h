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
// Whether V8 has work in flight for the isolate: worker tasks posted and not yet run, jobs with
// work left or workers running, foreground tasks queued and not yet run (delayed and idle tasks
// excluded: the loop's pump timer runs those, and they must not keep a run alive).
bool isolate_work_pending(IsolateWork* work);

}  // namespace vh
