// Process-wide V8 start-up. V8 can be initialised once per process and never again after
// disposal, so the platform lives until the process ends. The process options
// (vh_process_configure) are read once, here, when the first runtime starts V8.
#include <libplatform/libplatform.h>
#include <v8-version.h>
#include <v8.h>

#include <memory>
#include <mutex>

#include "internal/objects.h"
#include "internal/versioned.h"
#include "v8host.h"

// The one place that knows from which V8 on resizable ArrayBuffer and growable
// SharedArrayBuffer ship by default (V8 11.1). Before that they sit behind
// --harmony-rab-gsab, whose implementation in 10.2 is unfinished: Atomics.load and the BigInt
// Atomics on a view over a resizable or growable buffer hit a fatal CHECK, so any script could
// end the process. The flag is therefore an explicit opt-in (VH_PROCESS_FLAG_UNSAFE_RAB_GSAB).
#define VH_V8_SHIPS_RAB_GSAB (V8_MAJOR_VERSION > 11 || (V8_MAJOR_VERSION == 11 && V8_MINOR_VERSION >= 1))

namespace vh {

static v8::Platform* g_platform = nullptr;

namespace {

std::mutex g_start_mu;           // guards the two below
bool g_started = false;          // V8 initialised: the options are fixed
uint64_t g_process_flags = 0;    // vh_process_options.flags

}  // namespace

v8::Platform* platform() { return g_platform; }

void ensure_platform() {
  static std::once_flag once;
  std::call_once(once, [] {
    uint64_t flags;
    {
      std::lock_guard<std::mutex> lock(g_start_mu);
      g_started = true;
      flags = g_process_flags;
    }
#if !VH_V8_SHIPS_RAB_GSAB
    if (flags & VH_PROCESS_FLAG_UNSAFE_RAB_GSAB) {
      static const char kFlags[] = "--harmony-rab-gsab";
      v8::V8::SetFlagsFromString(kFlags, sizeof(kFlags) - 1);
    }
#else
    (void)flags;  // shipped: nothing to turn on
#endif
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

extern "C" int vh_process_configure(const vh_process_options* options) {
  if (!options) return VH_EINVAL;
  vh_process_options opts{};
  opts.struct_size = sizeof opts;
  int rc = vh::copy_versioned(options, sizeof(vh_process_options), &opts);
  if (rc != VH_OK) return rc;
  if (opts.flags & ~static_cast<uint64_t>(VH_PROCESS_FLAG_UNSAFE_RAB_GSAB)) return VH_EINVAL;
  std::lock_guard<std::mutex> lock(vh::g_start_mu);
  if (vh::g_started) return VH_EBUSY;
  vh::g_process_flags = opts.flags;
  return VH_OK;
}
