// The part of V8's inspector interface (v8-inspector.h) v8host uses, declared for V8 10.2.
//
// Why this file exists: Debian's libnode108 exports the inspector (V8Inspector::create and the
// classes behind it) but libnode-dev does not ship v8-inspector.h. Calls across this boundary
// are virtual calls by vtable slot, so every virtual function below is declared in V8 10.2's
// order, including the ones v8host never calls. cmake/InspectorCheck.cmake compiles, links
// and runs cmake/inspector_abi_check.cc against this file and the library: it compares each
// slot declared here with the library's own vtables (V8InspectorImpl, V8InspectorSessionImpl,
// and Node's V8InspectorClient subclass), and the inspector is left out of the build when one
// differs. When the V8 in use ships a real v8-inspector.h, that header is used instead.
#pragma once

#if defined(VH_HAVE_V8_INSPECTOR_H)
#include <v8-inspector.h>
#else

#include <v8.h>

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "core/v8_compat.h"

#if !VH_V8_IS_10_2
#error "src/inspector/v8_inspector_abi.h declares V8 10.2's inspector only"
#endif

namespace v8_inspector {

namespace protocol {
namespace Debugger { namespace API { class SearchMatch; } }
namespace Runtime { namespace API { class RemoteObject; class StackTrace; } }
namespace Schema { namespace API { class Domain; } }
}  // namespace protocol

// A view of 8-bit (Latin-1) or 16-bit (UTF-16) characters: two words and a flag.
class V8_EXPORT StringView {
 public:
  StringView() : is8_(true), length_(0), chars8_(nullptr) {}
  StringView(const uint8_t* chars, size_t length) : is8_(true), length_(length), chars8_(chars) {}
  StringView(const uint16_t* chars, size_t length) : is8_(false), length_(length), chars16_(chars) {}
  bool is8Bit() const { return is8_; }
  size_t length() const { return length_; }
  const uint8_t* characters8() const { return chars8_; }
  const uint16_t* characters16() const { return chars16_; }

 private:
  bool is8_;
  size_t length_;
  union {
    const uint8_t* chars8_;
    const uint16_t* chars16_;
  };
};

class V8_EXPORT StringBuffer {
 public:
  virtual ~StringBuffer() = default;
  virtual StringView string() const = 0;
  static std::unique_ptr<StringBuffer> create(StringView);
};

// Passed to V8Inspector::contextCreated; only read by the library during the call.
class V8_EXPORT V8ContextInfo {
 public:
  V8ContextInfo(v8::Local<v8::Context> ctx, int group, StringView name)
      : context(ctx), contextGroupId(group), humanReadableName(name), hasMemoryOnConsole(false) {}
  v8::Local<v8::Context> context;
  int contextGroupId;
  StringView humanReadableName;
  StringView origin;
  StringView auxData;
  bool hasMemoryOnConsole;
  static int executionContextId(v8::Local<v8::Context> context);
  V8ContextInfo(const V8ContextInfo&) = delete;
  V8ContextInfo& operator=(const V8ContextInfo&) = delete;
};

// Returned by value from uniqueDebuggerId (two int64 words); never used by v8host.
class V8_EXPORT V8DebuggerId {
 public:
  V8DebuggerId() = default;

 private:
  int64_t first_ = 0;
  int64_t second_ = 0;
};

class V8_EXPORT V8StackTrace;  // only passed around as a pointer

struct V8_EXPORT V8StackTraceId {
  uintptr_t id;
  std::pair<int64_t, int64_t> debugger_id;
  bool should_pause = false;
  V8StackTraceId();
};

class V8_EXPORT V8InspectorSession {
 public:
  virtual ~V8InspectorSession() = default;
  class V8_EXPORT Inspectable {
   public:
    virtual v8::Local<v8::Value> get(v8::Local<v8::Context>) = 0;
    virtual ~Inspectable() = default;
  };
  class V8_EXPORT CommandLineAPIScope {
   public:
    virtual ~CommandLineAPIScope() = default;
  };
  virtual void addInspectedObject(std::unique_ptr<Inspectable>) = 0;
  virtual void dispatchProtocolMessage(StringView message) = 0;
  virtual std::vector<uint8_t> state() = 0;
  virtual std::vector<std::unique_ptr<protocol::Schema::API::Domain>> supportedDomains() = 0;
  virtual std::unique_ptr<CommandLineAPIScope> initializeCommandLineAPIScope(int contextId) = 0;
  virtual void schedulePauseOnNextStatement(StringView reason, StringView details) = 0;
  virtual void cancelPauseOnNextStatement() = 0;
  virtual void breakProgram(StringView reason, StringView details) = 0;
  virtual void setSkipAllPauses(bool) = 0;
  virtual void resume(bool terminateOnResume = false) = 0;
  virtual void stepOver() = 0;
  virtual std::vector<std::unique_ptr<protocol::Debugger::API::SearchMatch>> searchInTextByLines(
      StringView text, StringView query, bool caseSensitive, bool isRegex) = 0;
  virtual std::unique_ptr<protocol::Runtime::API::RemoteObject> wrapObject(
      v8::Local<v8::Context>, v8::Local<v8::Value>, StringView group, bool preview) = 0;
  virtual bool unwrapObject(std::unique_ptr<StringBuffer>* error, StringView objectId,
                            v8::Local<v8::Value>*, v8::Local<v8::Context>*,
                            std::unique_ptr<StringBuffer>* objectGroup) = 0;
  virtual void releaseObjectGroup(StringView) = 0;
  virtual void triggerPreciseCoverageDeltaUpdate(StringView occasion) = 0;
};

// What serializeToWebDriverValue returns; v8host returns none.
class V8_EXPORT WebDriverValue {
 public:
  explicit WebDriverValue(StringView t, v8::MaybeLocal<v8::Value> v = {}) : type(t), value(v) {}
  StringView type;
  v8::MaybeLocal<v8::Value> value;
};

// The embedder's side: V8 calls these. Every slot has a default, as in V8's own header.
class V8_EXPORT V8InspectorClient {
 public:
  virtual ~V8InspectorClient() = default;
  virtual void runMessageLoopOnPause(int) {}
  virtual void quitMessageLoopOnPause() {}
  virtual void runIfWaitingForDebugger(int) {}
  virtual void muteMetrics(int) {}
  virtual void unmuteMetrics(int) {}
  virtual void beginUserGesture() {}
  virtual void endUserGesture() {}
  virtual std::unique_ptr<WebDriverValue> serializeToWebDriverValue(v8::Local<v8::Value>, int) {
    return nullptr;
  }
  virtual std::unique_ptr<StringBuffer> valueSubtype(v8::Local<v8::Value>) { return nullptr; }
  virtual std::unique_ptr<StringBuffer> descriptionForValueSubtype(v8::Local<v8::Context>,
                                                                   v8::Local<v8::Value>) {
    return nullptr;
  }
  virtual bool isInspectableHeapObject(v8::Local<v8::Object>) { return true; }
  virtual v8::Local<v8::Context> ensureDefaultContextInGroup(int) { return {}; }
  virtual void beginEnsureAllContextsInGroup(int) {}
  virtual void endEnsureAllContextsInGroup(int) {}
  virtual void installAdditionalCommandLineAPI(v8::Local<v8::Context>, v8::Local<v8::Object>) {}
  virtual void consoleAPIMessage(int, v8::Isolate::MessageErrorLevel, const StringView&,
                                 const StringView&, unsigned, unsigned, V8StackTrace*) {}
  virtual v8::MaybeLocal<v8::Value> memoryInfo(v8::Isolate*, v8::Local<v8::Context>) { return {}; }
  virtual void consoleTime(const StringView&) {}
  virtual void consoleTimeEnd(const StringView&) {}
  virtual void consoleTimeStamp(const StringView&) {}
  virtual void consoleClear(int) {}
  virtual double currentTimeMS() { return 0; }
  typedef void (*TimerCallback)(void*);
  virtual void startRepeatingTimer(double, TimerCallback, void*) {}
  virtual void cancelTimer(void*) {}
  virtual bool canExecuteScripts(int) { return true; }
  virtual void maxAsyncCallStackDepthChanged(int) {}
  virtual std::unique_ptr<StringBuffer> resourceNameToUrl(const StringView&) { return nullptr; }
  virtual int64_t generateUniqueId() { return 0; }
  virtual void dispatchError(v8::Local<v8::Context>, v8::Local<v8::Message>, v8::Local<v8::Value>) {}
};

class V8_EXPORT V8Inspector {
 public:
  static std::unique_ptr<V8Inspector> create(v8::Isolate*, V8InspectorClient*);
  virtual ~V8Inspector() = default;
  virtual void contextCreated(const V8ContextInfo&) = 0;
  virtual void contextDestroyed(v8::Local<v8::Context>) = 0;
  virtual void resetContextGroup(int group) = 0;
  virtual v8::MaybeLocal<v8::Context> contextById(int contextId) = 0;
  virtual V8DebuggerId uniqueDebuggerId(int contextId) = 0;
  virtual void idleStarted() = 0;
  virtual void idleFinished() = 0;
  virtual void asyncTaskScheduled(StringView name, void* task, bool recurring) = 0;
  virtual void asyncTaskCanceled(void* task) = 0;
  virtual void asyncTaskStarted(void* task) = 0;
  virtual void asyncTaskFinished(void* task) = 0;
  virtual void allAsyncTasksCanceled() = 0;
  virtual V8StackTraceId storeCurrentStackTrace(StringView description) = 0;
  virtual void externalAsyncTaskStarted(const V8StackTraceId& parent) = 0;
  virtual void externalAsyncTaskFinished(const V8StackTraceId& parent) = 0;
  virtual unsigned exceptionThrown(v8::Local<v8::Context>, StringView message,
                                   v8::Local<v8::Value> exception, StringView detailed,
                                   StringView url, unsigned line, unsigned column,
                                   std::unique_ptr<V8StackTrace>, int scriptId) = 0;
  virtual void exceptionRevoked(v8::Local<v8::Context>, unsigned id, StringView message) = 0;
  virtual bool associateExceptionData(v8::Local<v8::Context>, v8::Local<v8::Value> exception,
                                      v8::Local<v8::Name> key, v8::Local<v8::Value> value) = 0;
  class V8_EXPORT Channel {
   public:
    virtual ~Channel() = default;
    virtual void sendResponse(int callId, std::unique_ptr<StringBuffer> message) = 0;
    virtual void sendNotification(std::unique_ptr<StringBuffer> message) = 0;
    virtual void flushProtocolNotifications() = 0;
  };
  virtual std::unique_ptr<V8InspectorSession> connect(int group, Channel*, StringView state) = 0;
  virtual std::unique_ptr<V8StackTrace> createStackTrace(v8::Local<v8::StackTrace>) = 0;
  virtual std::unique_ptr<V8StackTrace> captureStackTrace(bool fullStack) = 0;
};

}  // namespace v8_inspector

#endif  // VH_HAVE_V8_INSPECTOR_H
