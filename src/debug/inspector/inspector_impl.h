// The inspector's objects (src/inspector/): shared by the core, the sessions and the endpoint.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "debug/inspector/v8_inspector_abi.h"
#include "core/objects.h"
#include "v8host/inspector.h"

namespace vh {

struct Inspector;
struct Server;  // server.cc: the DevTools endpoint

// One protocol session. The V8 session is made, used and destroyed on the runtime's thread
// (lock held); the inbox and the closing flag are g_inspector_mu's; the callback is cb_mu's.
struct Session final : v8_inspector::V8Inspector::Channel {
  uint64_t handle = 0;
  Inspector* owner = nullptr;
  std::unique_ptr<v8_inspector::V8InspectorSession> v8;
  vh_inspector_message_cb cb = nullptr;
  void* data = nullptr;
  std::deque<std::string> inbox;  // g_inspector_mu
  bool closing = false;           // g_inspector_mu
  int delivering = 0;             // g_inspector_mu: callbacks running now (runtime thread)
  int dispatching = 0;            // runtime thread: dispatches of this session on the stack

  void deliver(std::unique_ptr<v8_inspector::StringBuffer> message);
  void sendResponse(int, std::unique_ptr<v8_inspector::StringBuffer> message) override {
    deliver(std::move(message));
  }
  void sendNotification(std::unique_ptr<v8_inspector::StringBuffer> message) override {
    deliver(std::move(message));
  }
  void flushProtocolNotifications() override {}
};

struct Inspector final : v8_inspector::V8InspectorClient {
  uint64_t handle = 0;
  Runtime* rt = nullptr;
  uint64_t rt_handle = 0;
  std::string title = "v8host";
  vh_inspector_paused_cb paused_cb = nullptr;
  void* paused_data = nullptr;
  std::unique_ptr<v8_inspector::V8Inspector> v8;
  std::vector<std::shared_ptr<Session>> sessions;  // g_inspector_mu to change or read off the runtime thread
  std::condition_variable wake_cv;     // with g_inspector_mu: a message, a close, a go
  bool paused = false;      // written by the runtime thread under g_inspector_mu
  bool quit_pause = false;  // runtime thread
  int dispatch_depth = 0;                   // runtime thread: pumps on the stack
  bool go = false;                          // g_inspector_mu: runIfWaitingForDebugger was sent
  // g_inspector_mu: a wake-up task is queued on the loop; when the last interrupt was requested
  // (both bounded: a host that never runs its loop or script must not pile them up).
  bool task_posted = false;
  uint64_t interrupt_ms = 0;
  uint64_t post_engine = 0;                 // g_inspector_mu: an engine to post wake-ups to
  std::unordered_map<Engine*, std::string> names;  // runtime thread
  Engine* default_engine = nullptr;                // runtime thread: the first engine
  Server* server = nullptr;                        // g_inspector_mu
  // vh_inspector_pause_on_start's pending pause (runtime thread): the engine whose context it
  // waits for (nullptr: none pending), whether its interrupt is requested and not run yet, and
  // whether the isolate's before-call hook that re-requests it is installed.
  Engine* start_engine = nullptr;
  bool start_requested = false;
  bool before_call_hooked = false;
  uint64_t pauses = 0;  // runtime thread: pauses entered so far (did a break really pause?)

  // V8InspectorClient
  void runMessageLoopOnPause(int group) override;
  void quitMessageLoopOnPause() override { quit_pause = true; }
  void runIfWaitingForDebugger(int group) override;
  double currentTimeMS() override;
  v8::Local<v8::Context> ensureDefaultContextInGroup(int group) override;
};

// Guards the inspector and session tables' lookups, inboxes, flags and the endpoint pointer.
// Never held while V8 or a host callback runs.
// Sessions are shared: a thread closing one keeps it alive while it waits for a delivery.
// Defined in session.cc.
extern std::mutex g_inspector_mu;
extern std::condition_variable g_delivery_cv;  // a delivery ended
extern std::unordered_map<uint64_t, Inspector*> g_inspectors;               // g_inspector_mu
extern std::unordered_map<uint64_t, std::shared_ptr<Session>> g_sessions;   // g_inspector_mu
uint64_t next_inspector_handle();  // g_inspector_mu held

constexpr int kContextGroup = 1;  // one group per runtime: every engine is a context in it
constexpr size_t kMaxMessageBytes = 64u << 20;

// Dispatches queued requests and destroys closed sessions (runtime thread, lock held).
void pump(Inspector* in);
// Makes the runtime's thread look at the queues soon (any thread; g_inspector_mu held).
void wake_locked(Inspector* in);
// Destroys the inspector's sessions and V8 inspector (runtime thread, lock held).
void destroy_inspector(Inspector* in);
// Makes a session (any thread): the runtime's thread connects it to V8 at its next pump, before
// dispatching its requests.
int open_session(uint64_t inspector, vh_inspector_message_cb cb, void* data, uint64_t* out);
// Queues a request for a session (any thread).
int queue_message(uint64_t session, const char* message, size_t length);
// Marks a session closed (any thread); destroyed by the runtime thread's next pump.
int close_session(uint64_t session);

// The endpoint (server.cc or server_stub.cc): stops and frees it (any thread but the
// endpoint's own; g_inspector_mu not held).
void stop_server(Server* server);

}  // namespace vh
