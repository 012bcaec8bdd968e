// Startup snapshots: a builder runtime whose isolate belongs to a v8::SnapshotCreator, turned
// into a blob of its heap plus one engine's context; runtimes deserialized from such a blob.
//
// Host functions survive the trip through the external-reference registry: V8 writes every C
// pointer it finds in the heap (a template's callback, a v8::External's value) as an index
// into the array of addresses the embedder gives it, and on load maps the index back through
// the array given then. The library's own callbacks come first (the same addresses in the same
// build); then the records behind the runtime's host functions and classes (HostFunction, the
// v8::External of every template), in registration order. A runtime made from a blob
// pre-allocates that many records before its isolate exists and hands them out, in order, to
// the host's registrations, which fill in the C callback and data: the host's pointers live in
// the host's process, so the host registers the same functions and classes again, in the same
// order, before its first engine (checked by name and kind: VH_EBADDATA otherwise).
//
// The blob starts with a header of ours, because V8 aborts the process on a blob of another
// version or a damaged one: magic, format, the V8 version, a build id (the GNU build ids of
// libv8 and of this library), the total length, then an xxHash64 of everything after it.
#include <dlfcn.h>
#include <link.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <libplatform/libplatform.h>
#include <v8-snapshot.h>

#include "core/call.h"
#include "core/platform.h"
#include "core/hash.h"
#include "host/host.h"
#include "embed/lifecycle.h"
#include "loop/loop.h"
#include "embed/snapshot.h"
#include "marshal/proxy.h"
#include "module/module.h"
#include "limits/safe_builtins.h"
#include "v8host.h"

namespace vh {

v8::Platform* platform();  // platform.cc

// The most host-function records (functions, constructors, methods, accessors) a snapshot
// refers to: the builder's reference array is sized once, as V8 keeps a pointer to it.
constexpr size_t kMaxRecords = 65536;

namespace {
struct CheckedBlob;  // below: a checked blob, shared by the runtimes made from it
}  // namespace

struct SnapshotState {
  enum Mode { kBuilder, kLoaded } mode = kBuilder;
  std::vector<intptr_t> refs;  // the external-reference array V8 holds a pointer to
  size_t static_refs = 0;
  // Builder.
  v8::SnapshotCreator* creator = nullptr;
  bool create = false;               // vh_snapshot_create: serialize in dispose_isolate
  bool keep = false;                 // vh_snapshot_create owns this state past disposal
  v8::StartupData out{nullptr, 0};
  std::string signatures;            // of the runtime's records (HostPart::order), in the blob's format
  // Loaded.
  // The blob: V8 reads contexts from its bytes after Isolate::New (shared, checked_blob()).
  std::shared_ptr<const CheckedBlob> blob;
  v8::StartupData data{nullptr, 0};
  // The records the blob refers to, made before the runtime (then its HostPart::order's).
  std::vector<HostFunction*> placeholders;
  std::vector<std::string> expected;  // kind + name of each placeholder, from the blob
  bool verified = false;
};

namespace {

// ---- The blob's header (native byte order: a blob is as specific to the machine as V8's). ----
constexpr char kMagic[8] = {'V', '8', 'H', 'S', 'N', 'A', 'P', '1'};
constexpr uint32_t kFormat = 1;
constexpr size_t kVersionField = 32;

struct Header {
  char magic[8];
  uint32_t format;
  uint32_t record_count;  // host-function records, then that many signatures
  char v8_version[kVersionField];
  uint64_t build_id;
  uint64_t total_length;
  uint64_t checksum;      // xxh64 of the bytes after the header
  uint64_t signatures_length;
};
static_assert(sizeof(Header) == 80, "the header has no padding");

// The library's own C callbacks that V8 may find in a snapshot's heap. Order matters: it is
// part of the build (the build id covers this code).
std::vector<intptr_t> static_references() {
  std::vector<intptr_t> refs;
  refs.push_back(reinterpret_cast<intptr_t>(host_callback));
  refs.push_back(reinterpret_cast<intptr_t>(numeric_callback));
  refs.push_back(reinterpret_cast<intptr_t>(native_method_callback));
  module_external_references(&refs);
  proxy_external_references(&refs);
  safe_builtins_external_references(&refs);
  return refs;
}

struct NoteSearch {
  uintptr_t address;
  uint64_t id;
  bool found;
};

// The GNU build id of the loaded object that contains search->address, hashed.
int find_build_id(struct dl_phdr_info* info, size_t, void* arg) {
  auto* search = static_cast<NoteSearch*>(arg);
  bool contains = false;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    uintptr_t start = info->dlpi_addr + ph.p_vaddr;
    if (ph.p_type == PT_LOAD && search->address >= start && search->address < start + ph.p_memsz)
      contains = true;
  }
  if (!contains) return 0;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_NOTE) continue;
    const uint8_t* p = reinterpret_cast<const uint8_t*>(info->dlpi_addr + ph.p_vaddr);
    const uint8_t* end = p + ph.p_memsz;
    while (p + sizeof(ElfW(Nhdr)) <= end) {
      const auto* note = reinterpret_cast<const ElfW(Nhdr)*>(p);
      const uint8_t* name = p + sizeof(ElfW(Nhdr));
      const uint8_t* desc = name + ((note->n_namesz + 3) & ~3u);
      if (desc + note->n_descsz > end) break;
      if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 && !memcmp(name, "GNU", 4)) {
        search->id = xxh64(desc, note->n_descsz, 0);
        search->found = true;
        return 1;
      }
      p = desc + ((note->n_descsz + 3) & ~3u);
    }
  }
  // No build id note: the object's path and its size in memory stand in for it.
  const char* path = info->dlpi_name ? info->dlpi_name : "";
  search->id = xxh64(path, strlen(path), 0);
  for (int i = 0; i < info->dlpi_phnum; ++i)
    search->id = xxh64(&info->dlpi_phdr[i].p_memsz, sizeof(info->dlpi_phdr[i].p_memsz), search->id);
  search->found = true;
  return 1;
}

uint64_t object_id(const void* address) {
  NoteSearch search{reinterpret_cast<uintptr_t>(address), 0, false};
  dl_iterate_phdr(find_build_id, &search);
  return search.id;
}

// Identifies the V8 binary and this library's build: a blob made by another is refused.
uint64_t build_id() {
  static const uint64_t id = [] {
    uint64_t h = object_id(reinterpret_cast<const void*>(&v8::V8::GetVersion));
    h = xxh64(&h, sizeof h, object_id(reinterpret_cast<const void*>(&host_callback)));
    const char* version = v8::V8::GetVersion();
    h = xxh64(version, strlen(version), h);
    uint64_t facts[3] = {static_cast<uint64_t>(vh_version()), static_references().size(), sizeof(void*)};
    return xxh64(facts, sizeof facts, h);
  }();
  return id;
}

void version_field(char out[kVersionField]) {
  memset(out, 0, kVersionField);
  strncpy(out, v8::V8::GetVersion(), kVersionField - 1);
}

std::string signature(const HostFunction* rec) {
  std::string s(1, static_cast<char>('0' + rec->kind));
  s += rec->name;
  if (rec->cls) {
    s += '@';
    s += rec->cls->name;
  }
  return s;
}

// Checks a blob completely; fills h and the signatures when it is sound.
int parse(const void* blob, size_t length, Header* h, std::vector<std::string>* sigs) {
  if (!blob) return VH_EINVAL;
  if (length < sizeof(Header)) return VH_EBADDATA;
  memcpy(h, blob, sizeof *h);
  char version[kVersionField];
  version_field(version);
  if (memcmp(h->magic, kMagic, sizeof kMagic) != 0 || h->format != kFormat ||
      memcmp(h->v8_version, version, kVersionField) != 0 || h->build_id != build_id() ||
      h->total_length != length || h->record_count > kMaxRecords ||
      h->signatures_length > length - sizeof(Header))
    return VH_EBADDATA;
  const uint8_t* body = static_cast<const uint8_t*>(blob) + sizeof(Header);
  if (xxh64(body, length - sizeof(Header), 0) != h->checksum) return VH_EBADDATA;
  if (length - sizeof(Header) - h->signatures_length == 0) return VH_EBADDATA;  // no V8 bytes
  // Signatures: NUL-terminated strings, record_count of them, filling signatures_length.
  const char* p = reinterpret_cast<const char*>(body);
  const char* end = p + h->signatures_length;
  for (uint32_t i = 0; i < h->record_count; ++i) {
    const char* nul = static_cast<const char*>(memchr(p, 0, static_cast<size_t>(end - p)));
    if (!nul) return VH_EBADDATA;
    if (sigs) sigs->emplace_back(p, nul);
    p = nul + 1;
  }
  return p == end ? VH_OK : VH_EBADDATA;
}

// A checked blob's bytes, shared by every runtime made from the same blob. V8 reads a blob's
// contexts from its bytes for as long as the runtime lives (every vh_engine_new), so a runtime
// needs bytes the caller cannot change: the library's copy, made when the blob was checked.
struct CheckedBlob {
  std::string bytes;
  Header header;
  std::vector<std::string> signatures;
};

// The copy of the blob last checked is kept, also after its last runtime went, so a process
// making runtimes from one blob (a server, a pool) checks and copies it once: every later call
// compares the caller's bytes with the copy (memcmp, no hash, no allocation). The compare is
// complete on purpose: a caller's buffer changed after a check (damaged, or refilled with
// another blob of the same length) is checked again, never taken for the blob it was.
// Another blob replaces it (the first one lives on in its runtimes while they do).
std::shared_ptr<const CheckedBlob> checked_blob(const void* blob, size_t length, int* rc) {
  static std::mutex mu;
  static std::shared_ptr<const CheckedBlob> last;
  std::shared_ptr<const CheckedBlob> known;
  {
    std::lock_guard<std::mutex> lock(mu);
    known = last;
  }
  // Outside the lock: runtimes made on several threads at once compare in parallel.
  if (blob && known && known->bytes.size() == length && memcmp(known->bytes.data(), blob, length) == 0)
    return known;
  auto fresh = std::make_shared<CheckedBlob>();
  *rc = parse(blob, length, &fresh->header, &fresh->signatures);
  if (*rc != VH_OK) return nullptr;
  fresh->bytes.assign(static_cast<const char*>(blob), length);
  std::lock_guard<std::mutex> lock(mu);
  last = fresh;
  return fresh;
}

}  // namespace

void free_snapshot_state(SnapshotState* state) {
  if (!state) return;
  for (HostFunction* rec : state->placeholders) delete rec;  // not yet the runtime's
  delete[] state->out.data;
  delete state;
}

v8::Isolate* make_isolate(Runtime* rt, v8::Isolate::CreateParams& params) {
  SnapshotState* s = rt->embed->snapshot;
  if (!s) return v8::Isolate::New(params);
  RecordOrder& order = rt->host->order;
  std::vector<intptr_t> statics = static_references();
  s->static_refs = statics.size();
  v8::Isolate* iso = nullptr;
  if (s->mode == SnapshotState::kBuilder) {
    // V8 reads the array when it serializes: sized now for every record, filled then.
    s->refs.assign(statics.size() + kMaxRecords + 1, 0);
    std::copy(statics.begin(), statics.end(), s->refs.begin());
    order.numbering = true;
    order.limit = kMaxRecords;
    iso = v8::Isolate::Allocate();
    if (iso) {
      s->creator = new v8::SnapshotCreator(iso, s->refs.data());
      // The creator leaves the isolate entered on this thread; the runtime's lock enters it
      // whenever it is used, and an isolate left entered would be the thread's "current" one
      // under the scopes of other runtimes.
      iso->Exit();
    }
  } else {
    s->refs = statics;
    for (HostFunction* rec : s->placeholders) {
      rec->rt = rt;
      s->refs.push_back(reinterpret_cast<intptr_t>(rec));
    }
    s->refs.push_back(0);
    // The host's registrations get them, in order (RecordOrder::next).
    order.records = std::move(s->placeholders);
    s->placeholders.clear();
    size_t skip = sizeof(Header) + s->blob->header.signatures_length;
    s->data.data = s->blob->bytes.data() + skip;
    s->data.raw_size = static_cast<int>(s->blob->bytes.size() - skip);
    params.snapshot_blob = &s->data;
    params.external_references = s->refs.data();
    iso = v8::Isolate::New(params);
  }
  if (!iso) {
    free_snapshot_state(s);
    rt->embed->snapshot = nullptr;
  }
  return iso;
}

void dispose_isolate(Runtime* rt) {
  SnapshotState* s = rt->embed->snapshot;
  if (!s) return rt->isolate->Dispose();
  if (s->creator) {
    if (s->create) {
      v8::Locker locker(rt->isolate);
      v8::Isolate::Scope entered(rt->isolate);
      s->out = s->creator->CreateBlob(v8::SnapshotCreator::FunctionCodeHandling::kKeep);
    }
    rt->isolate->Enter();  // the creator's destructor exits the isolate before disposing it
    delete s->creator;
    s->creator = nullptr;
  } else {
    rt->isolate->Dispose();
  }
  rt->embed->snapshot = nullptr;
  if (!s->keep) free_snapshot_state(s);
}

bool snapshot_restored(Runtime* rt) {
  return rt->embed->snapshot && rt->embed->snapshot->mode == SnapshotState::kLoaded;
}

int check_snapshot_bindings(Runtime* rt) {
  SnapshotState* s = rt->embed->snapshot;
  const RecordOrder& order = rt->host->order;
  if (s->mode == SnapshotState::kBuilder || s->verified) return VH_OK;
  if (order.handed != order.records.size()) return VH_EBADDATA;
  for (size_t i = 0; i < order.records.size(); ++i)
    if (signature(order.records[i]) != s->expected[i]) return VH_EBADDATA;
  s->verified = true;
  return VH_OK;
}

}  // namespace vh

using namespace vh;

namespace {

// The refusals of vh_snapshot_create, checked before anything changes (lock held).
int check_snapshottable(Runtime* rt, Engine* chosen) {
  if (rt->host->order.overflow) return VH_ENOTSUP;
  if (!rt->host->instances.empty()) return VH_ENOTSUP;  // native pointers in internal fields
  if (!rt->marshal->proxies.empty() || !rt->marshal->live_records.empty()) return VH_ENOTSUP;
  for (HostFunction* rec : rt->host->functions)
    if (!rec->weak.IsEmpty()) return VH_ENOTSUP;  // an engine's function: not re-bindable
  // V8 10.2 cannot save a module namespace (its accessors are not in V8's own reference table:
  // it would end the process), and any module an engine loaded may be reachable from it.
  if (rt->module->dropped_modules) return VH_ENOTSUP;
  for (Engine* e : rt->engines)
    if (e->modules) return VH_ENOTSUP;
  (void)chosen;
  return VH_OK;
}

}  // namespace

extern "C" {

int vh_snapshot_runtime_new(const vh_runtime_options* options, vh_runtime* out) {
  if (!out) return VH_EINVAL;
  ensure_platform();
  auto* state = new SnapshotState();
  state->mode = SnapshotState::kBuilder;
  return new_runtime(options, state, out);
}

int vh_snapshot_create(vh_runtime runtime, vh_engine engine, void** blob, size_t* length) {
  if (!blob || !length) return VH_EINVAL;
  Runtime* rt;
  VH_TRY(resolve_runtime(runtime, &rt));
  Engine* e;
  VH_TRY(resolve_engine(engine, &e));
  if (e->rt != rt) return VH_ERUNTIME_MISMATCH;
  SnapshotState* s = rt->embed->snapshot;
  if (!s || s->mode != SnapshotState::kBuilder) return VH_EINVAL;
  // What would make the disposal below refuse, refused first: nothing has changed yet.
  if (rt->lock_owner.load(std::memory_order_relaxed) != 0) return VH_EBUSY;
  if (rt->parked.load(std::memory_order_relaxed) != 0) return VH_EBUSY;
  VH_TRY(check_loop_idle(rt));
  {
    RuntimeLock lock(rt);
    for (Engine* other : rt->engines)
      if (other->in_use) return VH_EBUSY;
    // Collects what only garbage holds (an engine function no longer referenced), then runs
    // the FinalizationRegistry cleanups that made due: V8 refuses (ends the process on) a heap
    // with a registry whose cleanup is pending.
    rt->isolate->LowMemoryNotification();
    while (v8::platform::PumpMessageLoop(platform(), rt->isolate,
                                         v8::platform::MessageLoopBehavior::kDoNotWait)) {
    }
    VH_TRY(check_snapshottable(rt, e));
    VH_TRY(check_heap_serializable(rt->isolate));
    v8::Local<v8::Context> ctx = e->context.Get(rt->isolate);
    // The engine pointer must not come back from the blob: set again by each new engine.
    ctx->SetAlignedPointerInEmbedderData(kEngineEmbedderSlot, nullptr);
    s->creator->SetDefaultContext(ctx);
    const std::vector<HostFunction*>& order = rt->host->order.records;
    for (size_t i = 0; i < order.size(); ++i) {
      s->refs[s->static_refs + i] = reinterpret_cast<intptr_t>(order[i]);
      s->signatures += signature(order[i]);
      s->signatures += '\0';
    }
  }
  s->create = true;
  s->keep = true;
  uint32_t records = static_cast<uint32_t>(rt->host->order.records.size());
  int rc = dispose_runtime(rt);  // serializes in dispose_isolate, after every handle is gone
  if (rc != VH_OK) {             // cannot happen after the checks above, on the builder's thread
    s->create = s->keep = false;
    return rc;
  }
  std::unique_ptr<SnapshotState, void (*)(SnapshotState*)> owned(s, free_snapshot_state);
  if (!s->out.data || s->out.raw_size <= 0) return VH_ENOMEM;
  size_t total = sizeof(Header) + s->signatures.size() + static_cast<size_t>(s->out.raw_size);
  auto* bytes = static_cast<uint8_t*>(malloc(total));
  if (!bytes) return VH_ENOMEM;
  Header h{};
  memcpy(h.magic, kMagic, sizeof kMagic);
  h.format = kFormat;
  h.record_count = records;
  version_field(h.v8_version);
  h.build_id = build_id();
  h.total_length = total;
  h.signatures_length = s->signatures.size();
  memcpy(bytes + sizeof h, s->signatures.data(), s->signatures.size());
  memcpy(bytes + sizeof h + s->signatures.size(), s->out.data, static_cast<size_t>(s->out.raw_size));
  h.checksum = xxh64(bytes + sizeof h, total - sizeof h, 0);
  memcpy(bytes, &h, sizeof h);
  *blob = bytes;
  *length = total;
  return VH_OK;
}

int vh_snapshot_check(const void* blob, size_t length) {
  Header h;
  return parse(blob, length, &h, nullptr);
}

int vh_runtime_new_from_snapshot(const vh_runtime_options* options, const void* blob, size_t length,
                                 vh_runtime* out) {
  if (!out) return VH_EINVAL;
  if (!blob) return VH_EINVAL;
  ensure_platform();
  auto state = std::make_unique<SnapshotState>();
  int rc = VH_OK;
  state->blob = checked_blob(blob, length, &rc);
  if (!state->blob) return rc;
  const Header& h = state->blob->header;
  if (length - sizeof(Header) - h.signatures_length > static_cast<size_t>(INT32_MAX)) return VH_EBADDATA;
  state->mode = SnapshotState::kLoaded;
  state->expected = state->blob->signatures;
  state->placeholders.reserve(h.record_count);
  for (uint32_t i = 0; i < h.record_count; ++i) state->placeholders.push_back(new HostFunction());
  return new_runtime(options, state.release(), out);
}

}  // extern "C"
