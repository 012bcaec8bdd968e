// Property descriptors read from and made for V8 without running script (proxy.cc's traps).
#pragma once

#include <v8.h>

#include <optional>

#include "core/objects.h"

namespace vh {

// A property descriptor's fields (each present or not), as values of one isolate.
struct Desc {
  v8::Local<v8::Value> value, get, set;
  bool has_value = false, has_get = false, has_set = false;
  bool has_writable = false, writable = false, has_enumerable = false, enumerable = false;
  bool has_configurable = false, configurable = false;
};

// Reads the fields of a descriptor object that V8 made (a trap's argument, or the result of
// GetOwnPropertyDescriptor) in ctx, a context of runtime rt: only own properties are read, so
// nothing script put on Object.prototype (a `get` there, say) is seen, and no getter runs. False
// when reading fails.
bool read_desc(Runtime* rt, v8::Local<v8::Context> ctx, v8::Local<v8::Object> object, Desc* d);

// The descriptor object a getOwnPropertyDescriptor trap returns, made in runtime rt (its isolate
// entered; d's values are rt's) in one go: its fields as own data properties of an object with
// no prototype (V8 reads it back with HasProperty, which on an ordinary object would also find
// what script put on Object.prototype). Empty only when V8 cannot allocate.
v8::Local<v8::Object> make_desc(Runtime* rt, const Desc& d);

// The same descriptor as a v8::PropertyDescriptor (for Object::DefineProperty, which runs no
// script of the object's realm on an ordinary object). A `writable` without a `value` is left
// out: V8 10.2's PropertyDescriptor cannot express it.
void build_desc(v8::Isolate* iso, const Desc& d, std::optional<v8::PropertyDescriptor>* pd);

// Proxy invariants: a property a proxy reports (or defines) non-configurable must exist so on
// its target. The target (V8's, passed to every trap) is filled in lazily with the descriptor
// d just reported, through the C++ API: no global or prototype of the destination is read. A
// target that refuses keeps what it has (V8 then reports the invariant as a TypeError).
void mirror_non_configurable(v8::Isolate* iso, v8::Local<v8::Value> target, v8::Local<v8::Value> key, const Desc& d);

}  // namespace vh
