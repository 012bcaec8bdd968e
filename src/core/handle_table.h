// A process-wide table that turns objects into generation-checked 64-bit handles.
//
// Why: public handles (runtimes, engines, references, classes, deferreds) must survive misuse.
// A raw pointer kept after its object was freed can only crash or alias a newer object; a
// table index plus a generation is recognised as stale. Lookups are lock-free (two acquire
// loads) because they sit on every API call; adding and removing take a mutex. The table is
// constant-initialised (a plain global, no static-initialisation order or guard to pay).
//
// Handle layout: low 32 bits = index + 1 (so 0 is never a handle), high 32 bits = generation.
// Freed indices are reused first-in first-out, which spreads generations over the indices.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <new>

namespace vh {

template <typename T>
class HandleTable {
 public:
  static constexpr uint32_t kChunkBits = 10;
  static constexpr uint32_t kChunkSize = 1u << kChunkBits;
  static constexpr uint32_t kMaxChunks = 4096;  // 4M live handles of one kind
  static constexpr uint32_t kNone = UINT32_MAX;

  constexpr HandleTable() = default;
  HandleTable(const HandleTable&) = delete;
  HandleTable& operator=(const HandleTable&) = delete;

  // Registers obj; returns its handle, or 0 when the table is full or memory ran out.
  uint64_t add(T* obj) {
    std::lock_guard<std::mutex> lock(mu_);
    uint32_t index;
    if (free_head_ != kNone) {
      index = free_head_;
      free_head_ = entry(index).next_free;
      if (free_head_ == kNone) free_tail_ = kNone;
    } else {
      if (next_ == kChunkSize * kMaxChunks) return 0;
      index = next_;
      Entry*& chunk = chunk_storage_[index >> kChunkBits];
      if (!chunk) {
        chunk = new (std::nothrow) Entry[kChunkSize];
        if (!chunk) return 0;
        chunks_[index >> kChunkBits].store(chunk, std::memory_order_release);
      }
      ++next_;
    }
    Entry& e = entry(index);
    uint32_t gen = e.gen.load(std::memory_order_relaxed) + 1;
    if (gen == 0) gen = 1;
    e.ptr.store(obj, std::memory_order_relaxed);
    e.gen.store(gen, std::memory_order_release);
    return (static_cast<uint64_t>(gen) << 32) | (static_cast<uint64_t>(index) + 1);
  }

  // The object behind a live handle, or nullptr for 0, a stale or a made-up handle.
  T* get(uint64_t handle) const {
    uint32_t low = static_cast<uint32_t>(handle);
    uint32_t index = low - 1;  // 0 wraps to UINT32_MAX, rejected below
    if ((index >> kChunkBits) >= kMaxChunks) return nullptr;
    Entry* chunk = chunks_[index >> kChunkBits].load(std::memory_order_acquire);
    if (!chunk) return nullptr;
    const Entry& e = chunk[index & (kChunkSize - 1)];
    if (e.gen.load(std::memory_order_acquire) != static_cast<uint32_t>(handle >> 32)) return nullptr;
    return e.ptr.load(std::memory_order_relaxed);
  }

  // Calls f(object) with the table's mutex held, so the object cannot be removed (and, as every
  // owner removes before it frees, not freed) meanwhile. For calls from any thread, such as
  // posting a task; false when the handle is not live.
  template <typename F>
  bool with(uint64_t handle, F f) {
    std::lock_guard<std::mutex> lock(mu_);
    T* obj = get(handle);
    if (!obj) return false;
    f(obj);
    return true;
  }

  // Like with(), then removes the handle in the same critical section when f returns true:
  // of several threads taking the same handle, exactly one succeeds.
  template <typename F>
  bool take(uint64_t handle, F f) {
    std::lock_guard<std::mutex> lock(mu_);
    T* obj = get(handle);
    if (!obj || !f(obj)) return false;
    remove_unlocked(handle);
    return true;
  }

  // Makes handle stale. Its index is reused later under a new generation.
  void remove(uint64_t handle) {
    std::lock_guard<std::mutex> lock(mu_);
    remove_unlocked(handle);
  }

 private:
  void remove_unlocked(uint64_t handle) {
    if (get(handle) == nullptr) return;
    uint32_t index = static_cast<uint32_t>(handle) - 1;
    Entry& e = entry(index);
    e.ptr.store(nullptr, std::memory_order_relaxed);
    // A generation never handed out: the old handle no longer matches.
    e.gen.store(e.gen.load(std::memory_order_relaxed) + 1, std::memory_order_release);
    e.next_free = kNone;
    if (free_tail_ == kNone)
      free_head_ = index;
    else
      entry(free_tail_).next_free = index;
    free_tail_ = index;
  }

  struct Entry {
    std::atomic<uint32_t> gen{0};
    uint32_t next_free = kNone;  // free-list link, guarded by mu_
    std::atomic<T*> ptr{nullptr};
  };
  Entry& entry(uint32_t index) { return chunk_storage_[index >> kChunkBits][index & (kChunkSize - 1)]; }

  std::atomic<Entry*> chunks_[kMaxChunks] = {};
  Entry* chunk_storage_[kMaxChunks] = {};  // the same pointers, for writers under mu_
  std::mutex mu_;
  uint32_t next_ = 0;
  uint32_t free_head_ = kNone;
  uint32_t free_tail_ = kNone;
};

struct Runtime;
struct Engine;
struct Ref;

// The tables of core's objects (handle_table.cc): constant-initialised globals, never destroyed.
// The layers above keep the tables of their own objects (host/class.cc, host/promise.cc,
// loop/worker.cc, embed/pool.cc).
extern HandleTable<Runtime> g_runtime_table;
extern HandleTable<Engine> g_engine_table;
extern HandleTable<Ref> g_ref_table;
inline HandleTable<Runtime>& runtime_table() { return g_runtime_table; }
inline HandleTable<Engine>& engine_table() { return g_engine_table; }
inline HandleTable<Ref>& ref_table() { return g_ref_table; }

}  // namespace vh
