// Process-wide V8 start-up. V8 can be initialised once per process and never again after
// disposal, so the platform lives until the process ends.
#include <libplatform/libplatform.h>
#include <v8.h>

#include <memory>
#include <mutex>

#include "internal/objects.h"

namespace vh {

void ensure_platform() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Resizable ArrayBuffer and growable SharedArrayBuffer are behind a flag on V8 10.2.
    static const char kFlags[] = "--harmony-rab-gsab";
    v8::V8::SetFlagsFromString(kFlags, sizeof(kFlags) - 1);
    static std::unique_ptr<v8::Platform> platform = v8::platform::NewDefaultPlatform();
    v8::V8::InitializePlatform(platform.get());
    v8::V8::Initialize();
  });
}

HandleTable<Runtime>& runtime_table() {
  static HandleTable<Runtime>* table = new HandleTable<Runtime>();  // never destroyed: see file
  return *table;
}
HandleTable<Engine>& engine_table() {
  static HandleTable<Engine>* table = new HandleTable<Engine>();
  return *table;
}
HandleTable<Ref>& ref_table() {
  static HandleTable<Ref>* table = new HandleTable<Ref>();
  return *table;
}

HandleTable<HostClass>& class_table() {
  static HandleTable<HostClass>* table = new HandleTable<HostClass>();
  return *table;
}
HandleTable<Deferred>& deferred_table() {
  static HandleTable<Deferred>* table = new HandleTable<Deferred>();
  return *table;
}

}  // namespace vh
