// vh_inspector_*: V8's inspector attached to a runtime; each engine a context of one group.
#include <algorithm>
#include <chrono>

#include "debug/inspector/inspector_impl.h"
#include "core/call.h"
#include "debug/diagnostics.h"
#include "core/v8_compat.h"
#include "debug/inspector.h"
#include "core/versioned.h"
#include "v8host.h"

namespace vh {

namespace {

v8_inspector::StringView view_of(const std::string& s) {
  return v8_inspector::StringView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

// Tells V8 about an engine's context (8-bit names are Latin-1 to V8, so names go as UTF-16).
void announce(Inspector* in, Engine* e) {
  v8::Isolate* iso = in->rt->isolate;
  v8::HandleScope handles(iso);
  v8::Local<v8::Context> ctx = e->context.Get(iso);
  auto found = in->names.find(e);
  std::string name = found != in->names.end() ? found->second : "engine " + std::to_string(e->handle & 0xffffffffu);
  v8::Local<v8::String> text;
  std::vector<uint16_t> wide;
  if (v8::String::NewFromUtf8(iso, name.data(), v8::NewStringType::kNormal, static_cast<int>(name.size()))
          .ToLocal(&text)) {
    wide.resize(static_cast<size_t>(text->Length()));
    compat::write_two_byte(iso, text, 0, static_cast<uint32_t>(text->Length()), wide.data());
  }
  v8_inspector::V8ContextInfo info(ctx, kContextGroup, v8_inspector::StringView(wide.data(), wide.size()));
  // DevTools and VS Code evaluate in the default context when none is chosen.
  std::string aux = e == in->default_engine ? "{\"isDefault\":true,\"type\":\"default\",\"frameId\":\"main\"}"
                                            : "{\"isDefault\":false,\"type\":\"isolated\",\"frameId\":\"main\"}";
  info.auxData = view_of(aux);
  in->v8->contextCreated(info);
}

// The engine wake-up tasks are posted to (any engine of the runtime but `going`).
void set_post_engine(Inspector* in, Engine* going = nullptr) {
  uint64_t h = in->default_engine ? in->default_engine->handle : 0;
  for (Engine* e : in->rt->engines)
    if (!h && e != going) h = e->handle;
  std::lock_guard<std::mutex> g(g_inspector_mu);
  in->post_engine = h;
}

// Finds an inspector and takes its runtime's lock: lock is emplaced, *out set.
int enter_inspector(vh_inspector handle, std::optional<RuntimeLock>* lock, Inspector** out) {
  if (handle.id_ == 0) return VH_EINVAL;
  uint64_t rt_handle;
  {
    std::lock_guard<std::mutex> g(g_inspector_mu);
    auto it = g_inspectors.find(handle.id_);
    if (it == g_inspectors.end()) return VH_EDISPOSED;
    rt_handle = it->second->rt_handle;
  }
  Runtime* rt;
  VH_TRY(resolve_runtime(vh_runtime{rt_handle}, &rt));
  lock->emplace(rt);
  std::lock_guard<std::mutex> g(g_inspector_mu);
  auto it = g_inspectors.find(handle.id_);  // closed while this thread waited for the lock?
  if (it == g_inspectors.end() || it->second->rt != rt) return VH_EDISPOSED;
  *out = it->second;
  return VH_OK;
}

// enter_inspector for a call about one engine of the inspector's runtime: the engine is
// resolved first, then looked up again under the lock (disposed while this thread waited for
// it: VH_EDISPOSED), and must be one of the inspector's runtime's.
int enter_inspector_engine(vh_inspector handle, vh_engine engine, std::optional<RuntimeLock>* lock,
                           Inspector** out, Engine** engine_out) {
  Engine* e;
  VH_TRY(resolve_engine(engine, &e));
  VH_TRY(enter_inspector(handle, lock, out));
  if (engine_table().get(engine.id_) != e) return VH_EDISPOSED;
  if (e->rt != (*out)->rt) return VH_ERUNTIME_MISMATCH;
  *engine_out = e;
  return VH_OK;
}

// The engine whose context V8 is in right now (nullptr: none, or not one of rt's engines).
Engine* current_engine(Runtime* rt) {
  v8::Isolate* iso = rt->isolate;
  if (!iso->InContext()) return nullptr;
  v8::HandleScope handles(iso);
  v8::Local<v8::Context> current = iso->GetCurrentContext();
  for (Engine* e : rt->engines)
    if (e->context.Get(iso) == current) return e;
  return nullptr;
}

void break_on_start(vh_runtime runtime, void* data);

// Asks for the interrupt of a pending pause on start, unless it is already asked for (at most
// one outstanding: calls into the engine that run no script must not pile requests up).
void request_start_pause(Inspector* in) {
  if (!in->start_engine || in->start_requested) return;
  in->start_requested = vh_runtime_interrupt(vh_runtime{in->rt_handle}, break_on_start,
                                             reinterpret_cast<void*>(static_cast<uintptr_t>(in->handle))) == VH_OK;
}

// V8 calls this each time the API is entered to run script (Script::Run, Function::Call,
// Module::Evaluate, property access that may run getters...), with the call's context entered:
// a call into the engine the pause waits for asks for the interrupt, whose first stack check is
// then that engine's script. Installed only while a pause on start is pending.
void before_call(v8::Isolate* iso) {
  Runtime* rt = runtime_of(iso);
  Inspector* in = rt ? rt->debug->inspector : nullptr;
  if (!in || !in->start_engine) return;
  if (current_engine(rt) == in->start_engine) request_start_pause(in);
}

// Ends a pending pause on start (it paused, its engine went, or the inspector closes).
void disarm_start_pause(Inspector* in) {
  in->start_engine = nullptr;
  if (in->before_call_hooked) {
    in->rt->isolate->RemoveBeforeCallEnteredCallback(before_call);
    in->before_call_hooked = false;
  }
}

// The interrupt of vh_inspector_pause_on_start, at the first stack check after it was asked
// for. In the named engine's context: breaks there, before the script's next statement (at a
// script's entry: its first). In another engine's script (or none): does nothing and stays
// pending; before_call asks again when the library next enters the named engine to run script.
// (The interrupt is not re-requested from here: V8 runs queued interrupts until the queue is
// empty, so asking again from inside one would never return.)
void break_on_start(vh_runtime runtime, void* data) {
  uint64_t handle = reinterpret_cast<uintptr_t>(data);
  Runtime* rt = runtime_table().get(runtime.id_);
  if (!rt || !rt->debug->inspector || rt->debug->inspector->handle != handle) return;
  Inspector* in = rt->debug->inspector;
  in->start_requested = false;
  Engine* target = in->start_engine;
  if (!target || current_engine(rt) != target) return;
  static const char kReason[] = "Break on start";
  v8_inspector::StringView reason(reinterpret_cast<const uint8_t*>(kReason), sizeof kReason - 1);
  v8_inspector::StringView details(reinterpret_cast<const uint8_t*>("{}"), 2);
  v8::HandleScope handles(rt->isolate);
  std::vector<std::shared_ptr<Session>> sessions;
  {
    std::lock_guard<std::mutex> g(g_inspector_mu);
    sessions = rt->debug->inspector->sessions;
  }
  // Disarmed first: script the debugger evaluates while paused must not ask again.
  disarm_start_pause(in);
  uint64_t before = in->pauses;
  for (auto& s : sessions)
    if (s->v8 && !s->closing) {
      s->v8->breakProgram(reason, details);  // returns once the script is resumed
      break;  // one pause: every session sees it
    }
  {
    std::lock_guard<std::mutex> g(g_inspector_mu);
    if (!g_inspectors.count(handle)) return;  // closed with the runtime while paused
  }
  // V8 refuses to break with no script on the stack (the library's own call into a builtin
  // of the engine reached the check): that was not the engine's first statement, keep waiting.
  if (in->pauses == before && v8::StackTrace::CurrentStackTrace(rt->isolate, 1)->GetFrameCount() == 0 &&
      rt->engines.count(target) && !in->start_engine) {
    in->start_engine = target;
    rt->isolate->AddBeforeCallEnteredCallback(before_call);
    in->before_call_hooked = true;
  }
}

}  // namespace

void Inspector::runIfWaitingForDebugger(int) {
  std::lock_guard<std::mutex> g(g_inspector_mu);
  go = true;
  wake_cv.notify_all();
}

double Inspector::currentTimeMS() {
  using namespace std::chrono;
  return static_cast<double>(duration_cast<microseconds>(system_clock::now().time_since_epoch()).count()) / 1000.0;
}

v8::Local<v8::Context> Inspector::ensureDefaultContextInGroup(int) {
  if (!default_engine) return {};
  return default_engine->context.Get(rt->isolate);
}

void destroy_inspector(Inspector* in) {
  Server* server;
  std::vector<std::shared_ptr<Session>> sessions;
  {
    std::lock_guard<std::mutex> g(g_inspector_mu);
    g_inspectors.erase(in->handle);
    server = in->server;
    in->server = nullptr;
    sessions.swap(in->sessions);
    for (auto& s : sessions) {
      g_sessions.erase(s->handle);
      s->closing = true;
      s->cb = nullptr;
      s->inbox.clear();
      s->owner = nullptr;
    }
  }
  if (server) stop_server(server);  // its connections hold session handles only
  disarm_start_pause(in);
  for (auto& s : sessions) s->v8.reset();
  in->rt->debug->inspector = nullptr;
  in->v8.reset();
  delete in;
}

void inspector_engine_created(Engine* e) {
  Inspector* in = e->rt->debug->inspector;
  if (!in) return;
  if (!in->default_engine) in->default_engine = e;
  announce(in, e);
  set_post_engine(in);
}

void inspector_engine_destroyed(Engine* e) {
  Inspector* in = e->rt->debug->inspector;
  if (!in) return;
  v8::HandleScope handles(in->rt->isolate);
  in->v8->contextDestroyed(e->context.Get(in->rt->isolate));
  in->names.erase(e);
  if (in->start_engine == e) disarm_start_pause(in);  // its pause on start can never come
  if (in->default_engine == e) in->default_engine = nullptr;
  set_post_engine(in, e);
}

void inspector_runtime_disposing(Runtime* rt) {
  if (rt->debug->inspector) destroy_inspector(rt->debug->inspector);
}

}  // namespace vh

using namespace vh;

extern "C" {

int vh_inspector_new(vh_runtime runtime, const vh_inspector_options* options, vh_inspector* out) {
  if (!out) return VH_EINVAL;
  vh_inspector_options opts{};
  opts.struct_size = sizeof opts;
  if (options) VH_TRY(copy_versioned(options, sizeof(vh_inspector_options), &opts));
  Runtime* rt;
  VH_TRY(resolve_runtime(runtime, &rt));
  RuntimeLock lock(rt);
  if (rt->debug->inspector) return VH_EBUSY;
  auto in = std::make_unique<Inspector>();
  in->rt = rt;
  in->rt_handle = rt->handle;
  if (opts.title) in->title = opts.title;
  in->paused_cb = opts.paused;
  in->paused_data = opts.paused_data;
  in->v8 = v8_inspector::V8Inspector::create(rt->isolate, in.get());
  if (!in->v8) return VH_ENOMEM;
  std::vector<Engine*> engines(rt->engines.begin(), rt->engines.end());
  std::sort(engines.begin(), engines.end(), [](Engine* a, Engine* b) { return a->handle < b->handle; });
  if (!engines.empty()) in->default_engine = engines.front();
  for (Engine* e : engines) announce(in.get(), e);
  {
    std::lock_guard<std::mutex> g(g_inspector_mu);
    in->handle = next_inspector_handle();
    g_inspectors.emplace(in->handle, in.get());
  }
  set_post_engine(in.get());
  rt->debug->inspector = in.get();
  out->id_ = in.release()->handle;
  return VH_OK;
}

int vh_inspector_dispose(vh_inspector inspector) {
  std::optional<RuntimeLock> lock;
  Inspector* in;
  VH_TRY(enter_inspector(inspector, &lock, &in));
  if (in->paused || in->dispatch_depth > 0) return VH_EBUSY;
  destroy_inspector(in);
  return VH_OK;
}

int vh_inspector_set_engine_name(vh_inspector inspector, vh_engine engine, const char* name) {
  if (!name) return VH_EINVAL;
  std::optional<RuntimeLock> lock;
  Inspector* in;
  Engine* e;
  VH_TRY(enter_inspector_engine(inspector, engine, &lock, &in, &e));
  in->names[e] = name;
  // Re-announce: debuggers drop the old context and list the renamed one.
  v8::HandleScope handles(in->rt->isolate);
  in->v8->contextDestroyed(e->context.Get(in->rt->isolate));
  announce(in, e);
  return VH_OK;
}

int vh_inspector_session_new(vh_inspector inspector, vh_inspector_message_cb on_message, void* data,
                             vh_inspector_session* out) {
  if (!on_message || !out || inspector.id_ == 0) return VH_EINVAL;
  uint64_t handle;
  VH_TRY(open_session(inspector.id_, on_message, data, &handle));
  out->id_ = handle;
  return VH_OK;
}

int vh_inspector_session_send(vh_inspector_session session, const char* message, size_t length) {
  if (!message || session.id_ == 0) return VH_EINVAL;
  if (length == VH_AUTO_LENGTH) length = strlen(message);
  if (length > kMaxMessageBytes) return VH_ERANGE;
  return queue_message(session.id_, message, length);
}

int vh_inspector_session_dispose(vh_inspector_session session) {
  if (session.id_ == 0) return VH_EINVAL;
  return close_session(session.id_);
}

int vh_inspector_dispatch(vh_inspector inspector) {
  std::optional<RuntimeLock> lock;
  Inspector* in;
  VH_TRY(enter_inspector(inspector, &lock, &in));
  pump(in);
  return VH_OK;
}

int vh_inspector_pause_on_start(vh_inspector inspector, vh_engine engine, uint64_t wait_ms) {
  std::optional<RuntimeLock> lock;
  Inspector* in;
  Engine* e;
  VH_TRY(enter_inspector_engine(inspector, engine, &lock, &in, &e));
  uint64_t handle = in->handle;
  auto start = std::chrono::steady_clock::now();
  for (;;) {
    pump(in);
    {
      std::lock_guard<std::mutex> g(g_inspector_mu);
      if (!g_inspectors.count(handle)) return VH_EDISPOSED;  // closed by a callback
      if (in->go) break;
    }
    if (in->rt->stop_reason.load(std::memory_order_relaxed) != 0) return VH_ETERMINATED;
    uint64_t waited = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                std::chrono::steady_clock::now() - start).count());
    if (waited >= wait_ms) return VH_ETIMEDOUT;
    if (in->paused_cb) in->paused_cb(vh_inspector{handle}, in->paused_data);
    std::unique_lock<std::mutex> g(g_inspector_mu);
    if (!in->go) in->wake_cv.wait_for(g, std::chrono::milliseconds(std::min<uint64_t>(50, wait_ms - waited)));
  }
  {
    std::lock_guard<std::mutex> g(g_inspector_mu);
    in->go = false;  // the next pause_on_start waits for the next client
  }
  // Why an interrupt rather than V8's "pause on the next call" (schedulePauseOnNextStatement):
  // that request is per-thread debugger state V8 drops when the runtime's lock is released and
  // taken again before the script runs (checked: the shell's scripts then never paused); it is
  // also not per context. The library's interrupts survive that, and fire at the first stack
  // check of the next script: its entry, where breaking "right now" stops before its first
  // statement. break_on_start breaks only in e's context; before_call asks again each time the
  // API enters e's context to run script, so other engines' scripts run on unpaused.
  in->start_engine = e;
  if (!in->before_call_hooked) {
    in->rt->isolate->AddBeforeCallEnteredCallback(before_call);
    in->before_call_hooked = true;
  }
  request_start_pause(in);  // for a script of e already running (the host called from it)
  return VH_OK;
}

}  // extern "C"
