// The inspector without its DevTools endpoint (libwebsockets was not found at configure time).
#include "debug/inspector/inspector_impl.h"
#include "v8host.h"

namespace vh {
void stop_server(Server*) {}
}  // namespace vh

extern "C" {
int vh_inspector_listen(vh_inspector, const vh_inspector_listen_options*) { return VH_ENOTSUP; }
int vh_inspector_url(vh_inspector, char*, size_t, size_t*) { return VH_ENOTSUP; }
}
