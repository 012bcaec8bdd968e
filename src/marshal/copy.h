// The copy (structured clone) between engines and to and from bytes (copy.cc), shared by the
// C API (copy.h) and the structuredClone builtin (clone_builtin.cc).
#pragma once

#include <v8.h>

#include <memory>
#include <vector>

#include "core/objects.h"
#include "v8host/types.h"

namespace vh {

class Copier;

// One copy of a value: write() serializes in the source (its isolate current), read() builds the
// copy in the destination (its isolate current, a HandleScope open), finish() detaches the
// transferred buffers in the source. Locals of the source stay referenced between write() and
// read(): both must happen under the same source HandleScope.
class Copy {
 public:
  // from: the source runtime. bytes_form: no SharedArrayBuffer, transfer or wasm module allowed
  // (the result leaves the process).
  Copy(Runtime* from, bool bytes_form);
  ~Copy();
  Copy(const Copy&) = delete;
  Copy& operator=(const Copy&) = delete;

  // Serializes value in ctx. transfer: detachable, distinct ArrayBuffers of ctx's isolate
  // (checked by the caller). False with an exception thrown in the source isolate.
  bool write(v8::Local<v8::Context> ctx, v8::Local<v8::Value> value,
             const std::vector<v8::Local<v8::ArrayBuffer>>& transfer);
  // The copy in engine to (ctx: to's context, entered). Empty with an exception thrown in to's
  // isolate.
  v8::MaybeLocal<v8::Value> read(v8::Local<v8::Context> ctx, Engine* to);
  // After a successful read(): detaches the transferred source buffers.
  void finish();
  // The serialized bytes (after write()); ownership passes to the caller (free with free()).
  std::pair<uint8_t*, size_t> release();

 private:
  std::unique_ptr<Copier> impl_;
};

// Reads a value from bytes made by a bytes-form Copy (payload only, no header), in ctx (entered,
// HandleScope open). Empty with an exception thrown for any malformed input.
v8::MaybeLocal<v8::Value> read_bytes(v8::Local<v8::Context> ctx, const uint8_t* data, size_t size);

// Throws a DataCloneError (an Error whose name is "DataCloneError") in the current context.
void throw_data_clone_error(v8::Isolate* iso, v8::Local<v8::String> message);
void throw_data_clone_error(v8::Isolate* iso, const char* message);

}  // namespace vh
