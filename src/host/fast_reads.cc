// The run-time check of host/fast_reads.h: the fast reads are used only once they gave
// the same answers as V8's public API on this process's V8.
#include "host/fast_reads.h"

#include <mutex>

namespace vh {

bool g_fast_reads = false;

void verify_fast_reads(v8::Isolate* isolate, v8::Local<v8::Context> context) {
#if VH_FAST_READS
  static std::once_flag once;
  std::call_once(once, [&] {
    alignas(8) static int probe[2];
    v8::HandleScope handles(isolate);
    v8::Local<v8::ObjectTemplate> tmpl = v8::ObjectTemplate::New(isolate);
    tmpl->SetInternalFieldCount(2);
    v8::Local<v8::Object> object;
    if (!tmpl->NewInstance(context).ToLocal(&object)) return;  // unverified: the public calls
    object->SetAlignedPointerInInternalField(0, &probe[0]);
    object->SetAlignedPointerInInternalField(1, &probe[1]);
    v8::Local<v8::External> external = v8::External::New(isolate, &probe[1]);
    // The fast reads must find what the public API finds (not only the pointers stored: a
    // layout where both happened to land elsewhere must not pass).
    bool same = object->GetAlignedPointerFromInternalField(0) == &probe[0] &&
                object->GetAlignedPointerFromInternalField(1) == &probe[1] &&
                external->Value() == &probe[1] && layout_internal_field(object, 0) == &probe[0] &&
                layout_internal_field(object, 1) == &probe[1] && layout_external_value(external) == &probe[1];
    g_fast_reads = same;
  });
#else
  (void)isolate;
  (void)context;
#endif
}

}  // namespace vh
