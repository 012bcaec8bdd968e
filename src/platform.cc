// Process-wide V8 start-up. V8 can be initialised once per process and never again after
// disposal, so the platform lives until the process ends.
#include <libplatform/libplatform.h>
#include <v8.h>

#include <memory>
#include <mutex>

#include "internal/objects.h"

namespace vh {

static v8::Platform* g_platform = nullptr;

v8::Platform* platform() { return g_platform; }

void ensure_platform() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Resizable ArrayBuffer and growable SharedArrayBuffer are behind a flag on V8 10.2.
    static const char kFlags[] = "--harmony-rab-gsab";
    v8::V8::SetFlagsFromString(kFlags, sizeof(kFlags) - 1);
    static std::unique_ptr<v8::Platform> platform = v8::platform::NewDefaultPlatform();
    g_platform = platform.get();
    v8::V8::InitializePlatform(platform.get());
    v8::V8::Initialize();
  });
}

// Constant-initialised (HandleTable has a constexpr constructor), so usable from any static
// initialiser and never destroyed while threads may still look handles up at exit.
HandleTable<Runtime> g_runtime_table;
HandleTable<Engine> g_engine_table;
HandleTable<Ref> g_ref_table;
HandleTable<HostClass> g_class_table;
HandleTable<Deferred> g_deferred_table;

}  // namespace vh
