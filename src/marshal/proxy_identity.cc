// Identity between runtimes (marshal/proxy.h): the ids objects keep for life. (Symbols keep
// theirs through symbol.cc.)
#include <atomic>

#include "core/call.h"
#include "marshal/proxy.h"

namespace vh {

namespace {

std::atomic<uint64_t> g_next_object_id{1};

// The private symbol that holds identity ids in rt (made on first use).
v8::Local<v8::Private> id_key(Runtime* rt) {
  if (rt->marshal->id_key.IsEmpty())
    rt->marshal->id_key.Reset(rt->isolate, v8::Private::New(rt->isolate, v8::String::NewFromUtf8Literal(rt->isolate, "v8host.id")));
  return rt->marshal->id_key.Get(rt->isolate);
}

// A context of rt to work on object in: its creation context, else any engine's.
bool context_for(Runtime* rt, v8::Local<v8::Object> object, v8::Local<v8::Context>* out) {
  if (object->GetCreationContext().ToLocal(out)) return true;
  if (rt->engines.empty()) return false;
  *out = strong_local((*rt->engines.begin())->context);
  return true;
}

}  // namespace

uint64_t identity_of(Runtime* rt, v8::Local<v8::Object> object) {
  v8::Isolate* iso = rt->isolate;
  v8::Isolate::Scope entered(iso);
  v8::HandleScope handles(iso);
  v8::Local<v8::Context> ctx;
  if (!context_for(rt, object, &ctx)) return 0;
  v8::Context::Scope in_context(ctx);
  v8::Local<v8::Private> key = id_key(rt);
  v8::Local<v8::Value> v;
  if (object->GetPrivate(ctx, key).ToLocal(&v) && v->IsNumber())
    return static_cast<uint64_t>(v.As<v8::Number>()->Value());
  uint64_t id = g_next_object_id.fetch_add(1, std::memory_order_relaxed);
  if (object->SetPrivate(ctx, key, v8::Number::New(iso, static_cast<double>(id))).FromMaybe(false)) return id;
  return 0;
}

}  // namespace vh
