// Process-wide V8 start-up. V8 can be initialised once per process and never again after
// disposal, so the platform lives until the process ends.
#include <libplatform/libplatform.h>
#include <v8.h>

#include <memory>
#include <mutex>

#if defined(VH_V8_EXTERNAL_STARTUP_DATA) || defined(VH_V8_ICU_DATA)
#include <dlfcn.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#endif

#include "internal/objects.h"

namespace vh {

static v8::Platform* g_platform = nullptr;

#if defined(VH_V8_EXTERNAL_STARTUP_DATA) || defined(VH_V8_ICU_DATA)
// A V8 monolith built to read its snapshot (snapshot_blob.bin) or ICU's data (icudtl.dat) from
// files: CMake (cmake/v8hostV8Data.cmake) defines the macros to the paths it found beside the
// build. V8 must be given them before it starts. Each file is looked for at, first that exists:
// $VH_V8_STARTUP_DATA / $VH_V8_ICU_DATA, <dir>/v8host/<name> and <dir>/<name> (<dir>: the
// folder of the binary this code is in, where `cmake --install` puts them), the configure-time
// path. Debian's libnode embeds both: there the macros are undefined and none of this exists.
static bool is_file(const std::string& path) {
  struct stat st;
  return !path.empty() && stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

static std::string find_v8_data(const char* env, const char* built) {
  const char* chosen = std::getenv(env);
  if (chosen && *chosen) {
    if (is_file(chosen)) return chosen;
    std::fprintf(stderr, "v8host: %s=%s is not a file; looking elsewhere\n", env, chosen);
  }
  std::string name = built;
  name = name.substr(name.rfind('/') + 1);
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&find_v8_data), &info) && info.dli_fname) {
    std::string dir = info.dli_fname;
    dir = dir.substr(0, dir.rfind('/') + 1);
    for (const std::string& path : {dir + "v8host/" + name, dir + name})
      if (is_file(path)) return path;
  }
  if (is_file(built)) return built;
  // V8 ends the process when it starts without them: say which file is missing first.
  std::fprintf(stderr, "v8host: V8 needs %s: not found (set %s to its path)\n", name.c_str(), env);
  return built;
}

static void load_v8_data() {
#ifdef VH_V8_ICU_DATA
  v8::V8::InitializeICU(find_v8_data("VH_V8_ICU_DATA", VH_V8_ICU_DATA).c_str());
#endif
#ifdef VH_V8_EXTERNAL_STARTUP_DATA
  v8::V8::InitializeExternalStartupDataFromFile(
      find_v8_data("VH_V8_STARTUP_DATA", VH_V8_EXTERNAL_STARTUP_DATA).c_str());
#endif
}
#else
static void load_v8_data() {}
#endif

v8::Platform* platform() { return g_platform; }

void ensure_platform() {
  static std::once_flag once;
  std::call_once(once, [] {
    load_v8_data();
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
