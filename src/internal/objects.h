// The objects behind the public handles: runtimes, engines, references; and their tables.
#pragma once

#include <v8.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <unordered_set>

#include "internal/handle_table.h"

namespace vh {

struct Engine;
struct Ref;

struct Runtime {
  uint64_t handle = 0;
  v8::Isolate* isolate = nullptr;
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator;
  // Ordinal of the thread holding the lock through v8host scopes or calls; 0 when none.
  std::atomic<uint32_t> lock_owner{0};
  // The engine whose context is entered at the top of the lock holder's stack.
  Engine* entered = nullptr;
  v8::Global<v8::Value> security_token;  // shared by all engines: direct access between them
  std::unordered_set<Engine*> engines;
  std::unordered_set<Ref*> refs;
  Engine* private_owner = nullptr;  // set for a runtime made by vh_engine_new_private
};

struct Engine {
  uint64_t handle = 0;
  Runtime* rt = nullptr;
  v8::Global<v8::Context> context;
  // Scopes opened on this engine plus calls running in it: disposal waits for zero.
  uint32_t in_use = 0;
  bool has_pending = false;
  v8::Global<v8::Value> pending_exception;
  v8::Global<v8::Message> pending_message;
};

struct Ref {
  uint64_t handle = 0;
  Runtime* rt = nullptr;
  v8::Global<v8::Value> value;
  uint32_t count = 0;
  bool can_be_weak = false;  // objects only: primitives are never observably collected
};

HandleTable<Runtime>& runtime_table();
HandleTable<Engine>& engine_table();
HandleTable<Ref>& ref_table();

// A Local that aliases a Global's slot, without making a new handle (as Node's
// PersistentToLocal::Strong): valid while the Global holds its object.
template <typename T>
inline v8::Local<T> strong_local(const v8::Global<T>& global) {
  static_assert(sizeof(v8::Global<T>) == sizeof(v8::Local<T>), "Global and Local differ in layout");
  return *reinterpret_cast<const v8::Local<T>*>(&global);
}

// Embedder data slot of a context that points back at its Engine.
constexpr int kEngineEmbedderSlot = 1;

// Starts V8 once per process (flags, platform); safe from many threads at once.
void ensure_platform();

}  // namespace vh
