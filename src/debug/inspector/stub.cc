// A build without the V8 inspector (cmake/InspectorCheck.cmake said why): every vh_inspector_*
// function returns VH_ENOTSUP, and the library's hooks do nothing.
#include "debug/inspector.h"
#include "v8host.h"

namespace vh {
void inspector_engine_created(Engine*) {}
void inspector_engine_destroyed(Engine*) {}
void inspector_runtime_disposing(Runtime*) {}
}  // namespace vh

extern "C" {
int vh_inspector_new(vh_runtime, const vh_inspector_options*, vh_inspector*) { return VH_ENOTSUP; }
int vh_inspector_dispose(vh_inspector) { return VH_ENOTSUP; }
int vh_inspector_set_engine_name(vh_inspector, vh_engine, const char*) { return VH_ENOTSUP; }
int vh_inspector_session_new(vh_inspector, vh_inspector_message_cb, void*, vh_inspector_session*) {
  return VH_ENOTSUP;
}
int vh_inspector_session_send(vh_inspector_session, const char*, size_t) { return VH_ENOTSUP; }
int vh_inspector_session_dispose(vh_inspector_session) { return VH_ENOTSUP; }
int vh_inspector_dispatch(vh_inspector) { return VH_ENOTSUP; }
int vh_inspector_pause_on_start(vh_inspector, vh_engine, uint64_t) { return VH_ENOTSUP; }
int vh_inspector_listen(vh_inspector, const vh_inspector_listen_options*) { return VH_ENOTSUP; }
int vh_inspector_url(vh_inspector, char*, size_t, size_t*) { return VH_ENOTSUP; }
}
