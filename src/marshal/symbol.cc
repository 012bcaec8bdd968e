// Symbols between runtimes (symbol.h): well-known symbols map to the destination's own,
// registered ones to its registry's, any other to one symbol per source symbol in each runtime,
// through a process-wide id both runtimes keep (MarshalPart::symbols_by_id, symbol_ids).
#include "marshal/symbol.h"

#include <atomic>
#include <utility>

#include "core/call.h"
#include "marshal/marshal.h"

namespace vh {

namespace {

std::atomic<uint64_t> g_next_symbol_id{1};

// The process-wide id of a symbol of rt (assigned on first crossing), 0 if none yet and !assign.
uint64_t symbol_id(Runtime* rt, v8::Local<v8::Symbol> symbol, bool assign) {
  int hash = symbol->GetIdentityHash();
  auto range = rt->marshal->symbol_ids.equal_range(hash);
  for (auto it = range.first; it != range.second; ++it)
    if (it->second.first.Get(rt->isolate)->StrictEquals(symbol)) return it->second.second;
  if (!assign) return 0;
  uint64_t id = g_next_symbol_id.fetch_add(1, std::memory_order_relaxed);
  rt->marshal->symbol_ids.emplace(hash, std::make_pair(v8::Global<v8::Symbol>(rt->isolate, symbol), id));
  rt->marshal->symbols_by_id.emplace(id, v8::Global<v8::Symbol>(rt->isolate, symbol));
  return id;
}

// A well-known symbol of from, as to's own; empty when symbol is not well-known.
v8::Local<v8::Symbol> well_known_in(Runtime* from, v8::Local<v8::Symbol> symbol, Runtime* to) {
  using Getter = v8::Local<v8::Symbol> (*)(v8::Isolate*);
  static const Getter kWellKnown[] = {
      v8::Symbol::GetAsyncIterator, v8::Symbol::GetHasInstance, v8::Symbol::GetIsConcatSpreadable,
      v8::Symbol::GetIterator,      v8::Symbol::GetMatch,       v8::Symbol::GetReplace,
      v8::Symbol::GetSearch,        v8::Symbol::GetSplit,       v8::Symbol::GetToPrimitive,
      v8::Symbol::GetToStringTag,   v8::Symbol::GetUnscopables};
  for (Getter well_known : kWellKnown)
    if (symbol->StrictEquals(well_known(from->isolate))) return well_known(to->isolate);
  // The two V8 10.2 has no getter for, read from each runtime's first engine.
  const v8::Global<v8::Symbol> MarshalPart::*kCaptured[] = {&MarshalPart::symbol_match_all,
                                                             &MarshalPart::symbol_species};
  for (auto member : kCaptured)
    if (!(from->marshal->*member).IsEmpty() && !(to->marshal->*member).IsEmpty() &&
        symbol->StrictEquals((from->marshal->*member).Get(from->isolate)))
      return (to->marshal->*member).Get(to->isolate);
  return v8::Local<v8::Symbol>();
}

}  // namespace

int pass_symbol(Runtime* from, v8::Local<v8::Symbol> symbol, Engine* to, v8::Local<v8::Value>* out) {
  Runtime* dest = to->rt;
  v8::Local<v8::Symbol> known = well_known_in(from, symbol, dest);
  if (!known.IsEmpty()) {
    *out = known;
    return VH_OK;
  }
  // A registered symbol (Symbol.for(key)) is the destination's registered symbol for the same
  // key. V8 10.2 cannot say whether a symbol is registered; the registry can: Symbol::For of
  // its description is the symbol itself exactly when it is the registered one (adding that
  // key to the source's registry otherwise, which script cannot observe).
  v8::Local<v8::Value> description = symbol->Description(from->isolate);
  if (description->IsString() &&
      v8::Symbol::For(from->isolate, description.As<v8::String>())->StrictEquals(symbol)) {
    v8::Local<v8::Value> key;
    VH_TRY(copy_string(from->isolate, description.As<v8::String>(), dest->isolate,
                       v8::NewStringType::kInternalized, &key));
    *out = v8::Symbol::For(dest->isolate, key.As<v8::String>());
    return VH_OK;
  }
  // Any other symbol: one symbol per source symbol in each runtime, through a shared id, so
  // identity holds both ways (both runtimes keep the symbols that crossed alive).
  uint64_t id = symbol_id(from, symbol, true);
  auto it = dest->marshal->symbols_by_id.find(id);
  if (it != dest->marshal->symbols_by_id.end()) {
    *out = it->second.Get(dest->isolate);
    return VH_OK;
  }
  v8::Local<v8::Value> copied;
  if (description->IsString()) VH_TRY(pass_value(from, description, to, &copied, nullptr));
  v8::Local<v8::Symbol> mapped =
      v8::Symbol::New(dest->isolate, copied.IsEmpty() ? v8::Local<v8::String>() : copied.As<v8::String>());
  dest->marshal->symbols_by_id.emplace(id, v8::Global<v8::Symbol>(dest->isolate, mapped));
  dest->marshal->symbol_ids.emplace(mapped->GetIdentityHash(),
                           std::make_pair(v8::Global<v8::Symbol>(dest->isolate, mapped), id));
  *out = mapped;
  return VH_OK;
}

void destroy_symbols(Runtime* rt) {
  rt->marshal->symbol_match_all.Reset();
  rt->marshal->symbol_species.Reset();
  rt->marshal->symbols_by_id.clear();
  rt->marshal->symbol_ids.clear();
}

}  // namespace vh
