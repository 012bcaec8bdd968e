// The shared-backing-store path: placeholder until the real implementation lands.
#include "internal/marshal.h"
#include "v8host/errors.h"

namespace vh {

bool is_shared_backed(v8::Local<v8::Value>) { return false; }
int pass_shared(Runtime*, v8::Local<v8::Value>, Engine*, v8::Local<v8::Value>*) { return VH_ETYPE; }
void clear_shared_cache(Engine* engine) { engine->shared_buffers.clear(); }

}  // namespace vh
