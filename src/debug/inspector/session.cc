// Inspector sessions: queuing requests from any thread, dispatching them on the runtime's
// thread, delivering replies, closing; and the loop that serves them while script is paused.
#include <chrono>
#include <thread>

#include "debug/inspector/inspector_impl.h"
#include "core/call.h"
#include "debug/diagnostics.h"
#include "v8host/loop.h"
#include "core/v8_compat.h"
#include "core/stop.h"

namespace vh {

std::mutex g_inspector_mu;
std::condition_variable g_delivery_cv;
std::unordered_map<uint64_t, Inspector*> g_inspectors;
std::unordered_map<uint64_t, std::shared_ptr<Session>> g_sessions;

uint64_t next_inspector_handle() {
  static uint64_t next = 0;
  return ++next;  // one counter for inspectors and sessions: a handle never names both
}

namespace {

// UTF-16 from V8 to UTF-8 for the host (unpaired surrogates become U+FFFD).
void append_utf8(std::string* out, const uint16_t* s, size_t n) {
  out->reserve(out->size() + n);
  for (size_t i = 0; i < n; i++) {
    uint32_t c = s[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
      i++;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      c = 0xFFFD;
    }
    if (c < 0x80) {
      out->push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (c >> 6)));
      out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (c >> 12)));
      out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (c >> 18)));
      out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
}

// Hands one request to V8 as UTF-16. Why not the UTF-8 bytes: V8 reads an 8-bit message that
// starts like CBOR as CBOR, and a client's garbage must only ever reach the JSON parser.
void dispatch(Runtime* rt, Session* s, const std::string& message) {
  v8::Isolate* iso = rt->isolate;
  v8::HandleScope handles(iso);
  v8::Local<v8::String> text;
  if (!v8::String::NewFromUtf8(iso, message.data(), v8::NewStringType::kNormal,
                               static_cast<int>(message.size())).ToLocal(&text))
    return;  // too long for a V8 string: nothing V8 could parse either
  std::vector<uint16_t> wide(static_cast<size_t>(text->Length()));
  compat::write_two_byte(iso, text, 0, static_cast<uint32_t>(text->Length()), wide.data());
  s->v8->dispatchProtocolMessage(v8_inspector::StringView(wide.data(), wide.size()));
}

bool any_live_session_locked(Inspector* in) {
  for (auto& s : in->sessions)
    if (!s->closing) return true;
  return false;
}

bool has_work_locked(Inspector* in) {
  for (auto& s : in->sessions)
    if (s->closing || !s->inbox.empty()) return true;
  return false;
}

// Wake-ups: an interrupt for running script, a task for an idle loop. Both carry the
// inspector's handle, never a pointer: either may arrive after the inspector is gone.
void wake_interrupt(v8::Isolate* iso, void* data) {
  Runtime* rt = runtime_of(iso);
  if (!rt || !rt->debug->inspector || rt->debug->inspector->handle != reinterpret_cast<uintptr_t>(data)) return;
  {
    std::lock_guard<std::mutex> g(g_inspector_mu);
    rt->debug->inspector->interrupt_ms = 0;
  }
  v8::HandleScope handles(iso);
  pump(rt->debug->inspector);
}

uint64_t now_ms() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch()).count()) + 1;
}

void wake_task(vh_engine engine, int status, void* data) {
  if (status != VH_OK) {  // its engine went away: the next wake-up posts to another
    std::lock_guard<std::mutex> g(g_inspector_mu);
    auto it = g_inspectors.find(reinterpret_cast<uintptr_t>(data));
    if (it != g_inspectors.end()) it->second->task_posted = false;
    return;
  }
  Engine* e;
  if (resolve_engine(engine, &e) != VH_OK) return;
  Runtime* rt = e->rt;
  if (!rt->debug->inspector || rt->debug->inspector->handle != reinterpret_cast<uintptr_t>(data)) return;
  {
    std::lock_guard<std::mutex> g(g_inspector_mu);
    rt->debug->inspector->task_posted = false;
  }
  pump(rt->debug->inspector);
}

}  // namespace

void Session::deliver(std::unique_ptr<v8_inspector::StringBuffer> message) {
  if (!message) return;
  vh_inspector_message_cb fn;
  void* fn_data;
  {
    std::lock_guard<std::mutex> g(g_inspector_mu);
    if (closing || !cb) return;
    fn = cb;
    fn_data = data;
    delivering++;
  }
  v8_inspector::StringView view = message->string();
  std::string utf8;
  if (view.is8Bit())  // V8's 8-bit protocol text is ASCII JSON (non-ASCII is escaped)
    utf8.assign(reinterpret_cast<const char*>(view.characters8()), view.length());
  else
    append_utf8(&utf8, view.characters16(), view.length());
  fn(vh_inspector_session{handle}, utf8.data(), utf8.size(), fn_data);
  {
    std::lock_guard<std::mutex> g(g_inspector_mu);
    delivering--;
  }
  g_delivery_cv.notify_all();
}

void wake_locked(Inspector* in) {
  in->wake_cv.notify_all();
  if (in->paused) return;
  void* data = reinterpret_cast<void*>(static_cast<uintptr_t>(in->handle));
  // An interrupt for running script. V8 may drop the request's flag when the runtime's lock
  // changes hands (its callback stays queued), so one older than 50 ms is requested again.
  uint64_t now = now_ms();
  if (in->interrupt_ms == 0 || now - in->interrupt_ms > 50) {
    in->interrupt_ms = now;
    in->rt->isolate->RequestInterrupt(wake_interrupt, data);
  }
  // A task for an idle loop: one at a time.
  if (!in->task_posted && in->post_engine && vh_engine_post(vh_engine{in->post_engine}, wake_task, data) == VH_OK)
    in->task_posted = true;
}

void pump(Inspector* in) {
  in->dispatch_depth++;
  for (;;) {
    std::shared_ptr<Session> s;
    std::string message;
    bool destroy = false, connect = false;
    {
      std::lock_guard<std::mutex> g(g_inspector_mu);
      for (auto it = in->sessions.begin(); it != in->sessions.end(); ++it) {
        Session* c = it->get();
        if (c->closing && c->dispatching == 0 && c->delivering == 0) {
          s = *it;
          destroy = true;
          in->sessions.erase(it);
          break;
        }
        if (!c->closing && !c->v8) {
          s = *it;
          connect = true;
          break;
        }
        if (!c->closing && !c->inbox.empty()) {
          s = *it;
          message = std::move(c->inbox.front());
          c->inbox.pop_front();
          break;
        }
      }
    }
    if (!s) break;
    if (destroy) {
      s->v8.reset();  // V8 resumes a script this session paused (quitMessageLoopOnPause)
      continue;
    }
    if (connect) {
      s->v8 = in->v8->connect(kContextGroup, s.get(), v8_inspector::StringView());
      if (!s->v8) {  // cannot happen with V8 10.2; closed rather than retried forever
        std::lock_guard<std::mutex> g(g_inspector_mu);
        s->closing = true;
      }
      continue;
    }
    s->dispatching++;
    dispatch(in->rt, s.get(), message);
    s->dispatching--;
  }
  in->dispatch_depth--;
}

void Inspector::runMessageLoopOnPause(int) {
  if (paused) return;
  ++pauses;
  {
    std::lock_guard<std::mutex> g(g_inspector_mu);  // wake_locked reads it on other threads
    paused = true;
  }
  quit_pause = false;
  for (;;) {
    pump(this);
    if (quit_pause) break;
    if (rt->stop_reason.load(std::memory_order_relaxed) != 0) {
      // vh_runtime_terminate or a deadline: leave the pause; the script stops once it resumes.
      std::vector<std::shared_ptr<Session>> all;
      {
        std::lock_guard<std::mutex> g(g_inspector_mu);  // the endpoint may be adding one
        all = sessions;
      }
      for (auto& s : all)
        if (s->v8) s->v8->resume(true);
      break;
    }
    {
      std::lock_guard<std::mutex> g(g_inspector_mu);
      if (!any_live_session_locked(this) && !has_work_locked(this)) break;  // nobody to resume it
    }
    if (paused_cb) paused_cb(vh_inspector{handle}, paused_data);
    std::unique_lock<std::mutex> g(g_inspector_mu);
    if (!has_work_locked(this) && !quit_pause)
      wake_cv.wait_for(g, std::chrono::milliseconds(50));
  }
  {
    std::lock_guard<std::mutex> g(g_inspector_mu);
    paused = false;
  }
  quit_pause = false;
  // A stop requested while paused may have been consumed by script the debugger evaluated.
  if (rt->stop_reason.load(std::memory_order_relaxed) != 0) rt->isolate->TerminateExecution();
}

int open_session(uint64_t inspector, vh_inspector_message_cb cb, void* data, uint64_t* out) {
  auto s = std::make_shared<Session>();
  s->cb = cb;
  s->data = data;
  std::lock_guard<std::mutex> g(g_inspector_mu);
  auto it = g_inspectors.find(inspector);
  if (it == g_inspectors.end()) return VH_EDISPOSED;
  s->owner = it->second;
  s->handle = next_inspector_handle();
  try {
    g_sessions.emplace(s->handle, s);
    s->owner->sessions.push_back(s);
  } catch (const std::bad_alloc&) {
    g_sessions.erase(s->handle);
    return VH_ENOMEM;
  }
  wake_locked(s->owner);  // the runtime's thread connects it to V8
  *out = s->handle;
  return VH_OK;
}

int queue_message(uint64_t handle, const char* message, size_t length) {
  std::lock_guard<std::mutex> g(g_inspector_mu);
  auto it = g_sessions.find(handle);
  if (it == g_sessions.end() || it->second->closing) return VH_EDISPOSED;
  Session* s = it->second.get();
  try {
    s->inbox.emplace_back(message, length);
  } catch (const std::bad_alloc&) {
    return VH_ENOMEM;
  }
  wake_locked(s->owner);
  return VH_OK;
}

int close_session(uint64_t handle) {
  std::unique_lock<std::mutex> g(g_inspector_mu);
  auto it = g_sessions.find(handle);
  if (it == g_sessions.end()) return VH_EDISPOSED;
  std::shared_ptr<Session> s = it->second;
  g_sessions.erase(it);
  s->closing = true;
  s->cb = nullptr;
  s->inbox.clear();
  if (s->owner) wake_locked(s->owner);
  // A delivery in progress on the runtime's thread finishes before this returns, unless this
  // thread is the one delivering (a callback closing its own session).
  Runtime* rt = s->owner ? s->owner->rt : nullptr;
  ThreadState* ts = ThreadState::current();
  bool on_runtime_thread = rt && rt->lock_owner.load(std::memory_order_relaxed) == ts->ordinal;
  if (!on_runtime_thread)
    g_delivery_cv.wait(g, [&] { return s->delivering == 0; });
  return VH_OK;
}

}  // namespace vh
