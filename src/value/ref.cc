// References: counted handles that keep a value alive past its scope, weak at count zero.
#include "core/call.h"
#include "v8host.h"

using namespace vh;

namespace {

int resolve_ref(vh_ref handle, Ref** out) {
  if (handle.id_ == 0) return VH_EINVAL;
  Ref* r = ref_table().get(handle.id_);
  if (!r) return VH_EDISPOSED;
  *out = r;
  return VH_OK;
}

// A reference used on a thread that must hold its runtime's lock.
int resolve_locked_ref(vh_ref handle, Ref** out) {
  Ref* r;
  VH_TRY(resolve_ref(handle, &r));
  ThreadState* ts = ThreadState::peek();
  if (!ts || r->rt->lock_owner.load(std::memory_order_relaxed) != ts->ordinal)
    return not_locked_status(r->rt);
  *out = r;
  return VH_OK;
}

}  // namespace

extern "C" {

int vh_ref_new(vh_value value, uint32_t count, vh_ref* out) {
  if (!out) return VH_EINVAL;
  const Slot* slot;
  VH_TRY(lookup_value(value, &slot));
  Runtime* rt = slot->rt;
  auto r = std::make_unique<Ref>();
  r->rt = rt;
  r->count = count;
  r->can_be_weak = slot->local->IsObject();
  r->value.Reset(rt->isolate, slot->local);
  if (count == 0 && r->can_be_weak) r->value.SetWeak();
  r->handle = ref_table().add(r.get());
  if (r->handle == 0) return VH_ENOMEM;
  rt->refs.insert(r.get());
  out->id_ = r.release()->handle;
  return VH_OK;
}

int vh_ref_inc(vh_ref ref, uint32_t* count) {
  Ref* r;
  VH_TRY(resolve_locked_ref(ref, &r));
  if (r->count == UINT32_MAX) return VH_ERANGE;
  if (r->count++ == 0 && r->can_be_weak && !r->value.IsEmpty()) r->value.ClearWeak();
  if (count) *count = r->count;
  return VH_OK;
}

int vh_ref_dec(vh_ref ref, uint32_t* count) {
  Ref* r;
  VH_TRY(resolve_locked_ref(ref, &r));
  if (r->count == 0) return VH_ERANGE;
  if (--r->count == 0 && r->can_be_weak && !r->value.IsEmpty()) r->value.SetWeak();
  if (count) *count = r->count;
  return VH_OK;
}

int vh_ref_get(vh_ref ref, vh_value* out) {
  if (!out) return VH_EINVAL;
  Ref* r;
  VH_TRY(resolve_locked_ref(ref, &r));
  if (r->value.IsEmpty()) return VH_ECOLLECTED;
  ThreadState* ts = ThreadState::peek();
  *out = ts->push(r->rt, r->value.Get(r->rt->isolate));
  return VH_OK;
}

int vh_ref_dispose(vh_ref ref) {
  Ref* r;
  VH_TRY(resolve_ref(ref, &r));
  Runtime* rt = r->rt;
  RuntimeLock lock(rt);
  rt->refs.erase(r);
  ref_table().remove(r->handle);
  delete r;
  return VH_OK;
}

}  // extern "C"
