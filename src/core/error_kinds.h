// The standard error kinds, written once: vh_new_error / vh_throw_error (function.cc), the
// errors the library throws itself (callback.cc), the intrinsic prototypes each engine captures
// at creation (engine.cc), and the kind an exception keeps when it crosses runtimes through a
// proxy (proxy.cc) all use this one table.
#pragma once

#include <v8.h>

#include <string>

#include "v8host/function.h"

namespace vh {

// X(public kind, JavaScript constructor name, V8 factory or nullptr). A kind without a factory
// (V8 10.2's API has none for it) is made as an Error whose prototype is set to the engine's
// intrinsic <Name>.prototype. Order: the public enum's, VH_ERROR_KIND_ERROR first.
#define VH_ERROR_KINDS(X)                                               \
  X(VH_ERROR_KIND_ERROR, "Error", v8::Exception::Error)                            \
  X(VH_ERROR_KIND_TYPE_ERROR, "TypeError", v8::Exception::TypeError)               \
  X(VH_ERROR_KIND_RANGE_ERROR, "RangeError", v8::Exception::RangeError)            \
  X(VH_ERROR_KIND_SYNTAX_ERROR, "SyntaxError", v8::Exception::SyntaxError)         \
  X(VH_ERROR_KIND_REFERENCE_ERROR, "ReferenceError", v8::Exception::ReferenceError) \
  X(VH_ERROR_KIND_EVAL_ERROR, "EvalError", nullptr)                                \
  X(VH_ERROR_KIND_URI_ERROR, "URIError", nullptr)                                  \
  X(VH_ERROR_KIND_AGGREGATE_ERROR, "AggregateError", nullptr)

#define VH_COUNT_KIND_(kind, name, factory) +1
constexpr int kErrorKindCount = 0 VH_ERROR_KINDS(VH_COUNT_KIND_);
#undef VH_COUNT_KIND_

// Index of kind in the table (kind - VH_ERROR_KIND_ERROR), or -1 for a value that is no kind.
inline int error_kind_index(int kind) {
  return kind >= VH_ERROR_KIND_ERROR && kind < VH_ERROR_KIND_ERROR + kErrorKindCount ? kind - VH_ERROR_KIND_ERROR : -1;
}

// The constructor name of the kind at index i (0 <= i < kErrorKindCount).
const char* error_kind_name(int index);

struct Engine;

// A new error of kind (a valid vh_error_kind) with message text, made in the isolate's current
// context (whose Engine is e, or nullptr when unknown: then a kind without a V8 factory is made
// as a plain Error). Runs no script. Empty only when V8 cannot allocate.
v8::Local<v8::Value> make_error_of_kind(v8::Isolate* iso, Engine* e, int kind, v8::Local<v8::String> text);

// The nearest standard kind of an error object of engine e's runtime: its prototype chain is
// walked (v8::Object::GetPrototype, which runs no script and stops at a proxy) and compared with
// the intrinsic prototypes captured by e and by the engine the error was made in. VH_ERROR_KIND_ERROR when
// no standard prototype is on the chain.
int error_kind_of(Engine* e, v8::Local<v8::Object> error);

// "<VH_NAME>: <sentence>" (vh_strerror's sentence when sentence is null).
std::string status_text(int rc, const char* sentence = nullptr);
// A new error of kind, in the current context, with message and an own property `code`
// "<VH_NAME>" of rc: how every status reaches script (docs/errors.md, "Errors in script").
v8::Local<v8::Value> status_error(v8::Isolate* iso, int rc, const std::string& message,
                                  vh_error_kind kind = VH_ERROR_KIND_ERROR);
// Throws status_error(status_text(rc, sentence)) into the running script.
void throw_status(v8::Isolate* iso, int rc, const char* sentence = nullptr, vh_error_kind kind = VH_ERROR_KIND_ERROR);
// Throws an error of kind (of the current engine's realm) with text as its message.
void throw_message(v8::Isolate* iso, vh_error_kind kind, const char* text);

}  // namespace vh
