// An engine's SharedArrayBuffers by backing store: the identity cache of the shared path of the
// marshaling layer (shared.cc). The same store passed into an engine twice yields the
// same object while that object lives; the cache never keeps one alive.
//
// Why not std::unordered_map: every share of a new buffer inserts an entry, and a node-based
// map pays a malloc per insertion, a free per pruned entry and two dependent cache misses per
// lookup; measured, that was most of what a share cost over V8's own SharedArrayBuffer::New.
// This table is one flat array (open addressing, linear probing, at most half full): a lookup
// is one hash and, usually, one cache line; an insertion allocates nothing.
//
// Entries hold phantom weak Globals: the GC empties them when their buffer dies (it writes
// through the address the Global was made weak at, so entries move only through Global's move,
// which tells V8 the new address). A dead entry is reused by the next new key whose probe
// passes it, or dropped when the table would grow past half full: then the dead entries are
// freed in place (one pass, no allocation), and the table doubles until it has room for at
// least four times the live entries, so the next pruning is at least as many insertions away as
// there are live entries. Pruning costs O(1) amortised per insertion, and the table stays within
// a small factor of the most buffers alive at once.
#pragma once

#include <v8.h>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace vh {

class BufferCache {
 public:
  BufferCache() = default;
  BufferCache(const BufferCache&) = delete;
  BufferCache& operator=(const BufferCache&) = delete;
  ~BufferCache() { clear(); }

  // A key's hash, the same for every table: callers that consult several tables for one key
  // compute it once.
  static uint64_t hash(const void* key) {
    return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(key)) * 0x9E3779B97F4A7C15ull;
  }

  // The slot of key (a backing store's address, never nullptr; hash its hash()), made if
  // absent: an empty Global when the key is new or its buffer was collected. The reference
  // stays valid until the next call of slot() or clear().
  v8::Global<v8::SharedArrayBuffer>& slot(const void* key, uint64_t hash) {
    // The same key again (one buffer shared into several engines in a row looks its source
    // up in the source's engine each time): no probe.
    if (key == last_key_) return entries_[last_index_].sab;
    if (capacity_ == 0) rebuild(kMinCapacity);
    // Probe for key; the first dead entry on the way is where a new key goes (reusing it keeps
    // the table from filling up with dead entries between prunings).
    size_t mask = capacity_ - 1, reuse = SIZE_MAX, i = index_of(hash);
    for (;; i = (i + 1) & mask) {
      Entry& e = entries_[i];
      if (e.key == key) return remember(key, i);
      if (e.key == nullptr) break;
      if (reuse == SIZE_MAX && e.sab.IsEmpty()) reuse = i;
    }
    if (reuse != SIZE_MAX) {
      entries_[reuse].key = key;
      return remember(key, reuse);
    }
    if ((size_ + 1) * 2 > capacity_) {
      prune();
      i = find(key);
    }
    entries_[i].key = key;
    ++size_;
    return remember(key, i);
  }

  // Starts loading key's first probe position into the cache: a lookup that follows other
  // work then finds it there (the table is usually cold when a new buffer arrives).
  void prefetch(const void* key, uint64_t hash) const {
    if (capacity_ != 0 && key != last_key_) __builtin_prefetch(&entries_[index_of(hash)]);
  }

  // Forgets every entry (the buffers stay as they are).
  void clear() {
    last_key_ = nullptr;
    entries_.reset();
    capacity_ = size_ = 0;
  }

 private:
  struct Entry {
    const void* key = nullptr;  // nullptr: a free entry
    v8::Global<v8::SharedArrayBuffer> sab;
  };
  static constexpr size_t kMinCapacity = 16;  // a power of two

  // Fibonacci hashing of the address (its low bits are alignment zeros; the multiplication in
  // hash() spreads the high ones over the index bits, taken from the top).
  size_t index_of(uint64_t hash) const { return static_cast<size_t>(hash >> shift_); }

  // The entry of key, or the free entry where it would go. The table is never full.
  size_t find(const void* key) const {
    size_t mask = capacity_ - 1;
    for (size_t i = index_of(hash(key));; i = (i + 1) & mask) {
      const void* k = entries_[i].key;
      if (k == key || k == nullptr) return i;
    }
  }

  // Drops the dead entries in place, then grows the table if fewer than four free entries
  // remain per live one (see the top). In place: no allocation. Out of line, as rebuild():
  // slot() stays small enough to inline into the share.
  //
  // First a branch-free pass frees every dead entry (whether an entry is free, dead or live is
  // random, and mispredicted branches were most of what pruning cost). Freeing entries can
  // break the probe sequences of live ones, so then the live entries are put back: starting
  // after an entry that was already free before (no probe sequence runs through it: a probe
  // stops at the first free entry) and going round once, each live entry moves back to the first
  // free entry between its key's home and itself. Every entry it passes has been seen by then,
  // so afterwards every probe sequence is unbroken again. That pass costs a branch per entry
  // but mispredicts only around the live ones, and is skipped when none lives.
  __attribute__((noinline)) void prune() {
    last_key_ = nullptr;
    size_t mask = capacity_ - 1, start = 0, live = 0;
    while (entries_[start].key) ++start;  // there is one: the table is never full
    for (size_t i = 0; i < capacity_; ++i) {
      Entry& e = entries_[i];
      // A free entry's Global is empty too: it stays free. A mask, not ?:, which the compiler
      // turns back into a branch.
      uintptr_t keep = uintptr_t{0} - static_cast<uintptr_t>(!e.sab.IsEmpty());
      e.key = reinterpret_cast<const void*>(reinterpret_cast<uintptr_t>(e.key) & keep);
      live += e.key != nullptr;
    }
    for (size_t n = 1, seen = 0; seen < live; ++n) {
      size_t j = (start + n) & mask;
      Entry& e = entries_[j];
      if (!e.key) continue;
      ++seen;
      size_t i = index_of(hash(e.key));
      while (i != j && entries_[i].key) i = (i + 1) & mask;
      if (i == j) continue;
      entries_[i].key = e.key;
      entries_[i].sab = std::move(e.sab);  // Global's move tells V8 the new address
      e.key = nullptr;
    }
    size_ = live;
    size_t capacity = capacity_;
    while (size_ * 4 > capacity) capacity *= 2;
    if (capacity != capacity_) rebuild(capacity);
  }

  v8::Global<v8::SharedArrayBuffer>& remember(const void* key, size_t index) {
    last_key_ = key;
    last_index_ = index;
    return entries_[index].sab;
  }

  // Moves the live entries into a fresh array of the given capacity (a power of two).
  __attribute__((noinline)) void rebuild(size_t capacity) {
    last_key_ = nullptr;
    std::unique_ptr<Entry[]> old = std::move(entries_);
    size_t old_capacity = capacity_;
    entries_.reset(new Entry[capacity]);
    capacity_ = capacity;
    size_ = 0;
    shift_ = 64;
    for (size_t c = capacity; c > 1; c >>= 1) --shift_;
    for (size_t i = 0; i < old_capacity; ++i) {
      Entry& e = old[i];
      if (!e.key || e.sab.IsEmpty()) continue;
      Entry& to = entries_[find(e.key)];
      to.key = e.key;
      to.sab = std::move(e.sab);
      ++size_;
    }
  }

  std::unique_ptr<Entry[]> entries_;
  size_t capacity_ = 0;
  size_t size_ = 0;
  int shift_ = 64;
  const void* last_key_ = nullptr;  // the key of the last slot() call, at last_index_
  size_t last_index_ = 0;
};

}  // namespace vh
