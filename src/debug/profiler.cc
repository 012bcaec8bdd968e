// CPU profiles (.cpuprofile JSON) and heap snapshots (.heapsnapshot JSON) of a runtime
// (include/v8host/diagnostics.h), through V8's profilers.
#include <v8-profiler.h>

#include <cstdio>
#include <string>

#include "core/call.h"
#include "debug/diagnostics.h"
#include "v8host.h"

namespace vh {

namespace {

constexpr uint32_t kDefaultIntervalUs = 1000;
constexpr char kTitle[] = "v8host";

// Appends s as a JSON string (quoted, escaped; V8's names are UTF-8, passed through).
void json_string(std::string* out, const char* s) {
  out->push_back('"');
  for (; s && *s; ++s) {
    unsigned char c = static_cast<unsigned char>(*s);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", c);
      out->append(esc);
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
  out->push_back('"');
}

// Writes out through the host's callback in pieces, flushing at about 64 KiB.
class Writer {
 public:
  Writer(vh_write_cb write, void* user) : write_(write), user_(user) {}
  std::string buf;
  int flush(bool force) {
    if (rc_ != VH_OK || (!force && buf.size() < (64u << 10))) return rc_;
    if (!buf.empty()) rc_ = write_(buf.data(), buf.size(), user_);
    buf.clear();
    return rc_;
  }
  int rc() const { return rc_; }

 private:
  vh_write_cb write_;
  void* user_;
  int rc_ = VH_OK;
};

// The nodes of the call tree, depth first, as .cpuprofile node objects.
int write_nodes(Writer& w, const v8::CpuProfileNode* node, bool* first) {
  std::string& o = w.buf;
  if (!*first) o.push_back(',');
  *first = false;
  char num[128];
  std::snprintf(num, sizeof num, "{\"id\":%u,\"callFrame\":{\"functionName\":", node->GetNodeId());
  o.append(num);
  json_string(&o, node->GetFunctionNameStr());
  std::snprintf(num, sizeof num, ",\"scriptId\":\"%d\",\"url\":", node->GetScriptId());
  o.append(num);
  json_string(&o, node->GetScriptResourceNameStr());
  // V8 counts lines and columns from 1 (0: none); the format from 0 (-1: none).
  std::snprintf(num, sizeof num, ",\"lineNumber\":%d,\"columnNumber\":%d},\"hitCount\":%u,\"children\":[",
                node->GetLineNumber() - 1, node->GetColumnNumber() - 1, node->GetHitCount());
  o.append(num);
  int n = node->GetChildrenCount();
  for (int i = 0; i < n; ++i) {
    std::snprintf(num, sizeof num, i ? ",%u" : "%u", node->GetChild(i)->GetNodeId());
    o.append(num);
  }
  o.append("]}");
  VH_TRY(w.flush(false));
  for (int i = 0; i < n; ++i) VH_TRY(write_nodes(w, node->GetChild(i), first));
  return VH_OK;
}

int write_profile(const v8::CpuProfile* profile, vh_write_cb write, void* user) {
  Writer w(write, user);
  w.buf.append("{\"nodes\":[");
  bool first = true;
  VH_TRY(write_nodes(w, profile->GetTopDownRoot(), &first));
  char num[128];
  std::snprintf(num, sizeof num, "],\"startTime\":%lld,\"endTime\":%lld,\"samples\":[",
                static_cast<long long>(profile->GetStartTime()), static_cast<long long>(profile->GetEndTime()));
  w.buf.append(num);
  int samples = profile->GetSamplesCount();
  for (int i = 0; i < samples; ++i) {
    std::snprintf(num, sizeof num, i ? ",%u" : "%u", profile->GetSample(i)->GetNodeId());
    w.buf.append(num);
    VH_TRY(w.flush(false));
  }
  w.buf.append("],\"timeDeltas\":[");
  int64_t last = profile->GetStartTime();
  for (int i = 0; i < samples; ++i) {
    int64_t t = profile->GetSampleTimestamp(i);
    std::snprintf(num, sizeof num, i ? ",%lld" : "%lld", static_cast<long long>(t - last));
    last = t;
    w.buf.append(num);
    VH_TRY(w.flush(false));
  }
  w.buf.append("]}");
  return w.flush(true);
}

// V8's snapshot serializer, streamed to the host's callback.
class SnapshotStream final : public v8::OutputStream {
 public:
  SnapshotStream(vh_write_cb write, void* user) : write_(write), user_(user) {}
  void EndOfStream() override {}
  int GetChunkSize() override { return 64 << 10; }
  WriteResult WriteAsciiChunk(char* data, int size) override {
    rc = write_(data, static_cast<size_t>(size), user_);
    return rc == VH_OK ? kContinue : kAbort;
  }
  int rc = VH_OK;

 private:
  vh_write_cb write_;
  void* user_;
};

}  // namespace

void stop_profiler(Runtime* rt) {
  if (!rt->debug->cpu_profiler) return;
  v8::HandleScope handles(rt->isolate);
  v8::CpuProfile* profile = rt->debug->cpu_profiler->StopProfiling(v8::String::NewFromUtf8Literal(rt->isolate, kTitle));
  if (profile) profile->Delete();
  rt->debug->cpu_profiler->Dispose();
  rt->debug->cpu_profiler = nullptr;
}

}  // namespace vh

using namespace vh;

extern "C" {

int vh_runtime_cpu_profile_start(vh_runtime runtime, uint32_t interval_us) {
  if (interval_us == 0) interval_us = kDefaultIntervalUs;
  if (interval_us < 50 || interval_us > 1000000) return VH_ERANGE;
  Runtime* rt;
  VH_TRY(resolve_runtime(runtime, &rt));
  RuntimeLock lock(rt);
  if (rt->debug->cpu_profiler) return VH_EBUSY;
  v8::CpuProfiler* profiler = v8::CpuProfiler::New(rt->isolate);
  if (!profiler) return VH_ENOMEM;
  profiler->SetSamplingInterval(static_cast<int>(interval_us));
  profiler->StartProfiling(v8::String::NewFromUtf8Literal(rt->isolate, kTitle), true);
  rt->debug->cpu_profiler = profiler;
  return VH_OK;
}

int vh_runtime_cpu_profile_stop(vh_runtime runtime, vh_write_cb write, void* user) {
  if (!write) return VH_EINVAL;
  Runtime* rt;
  VH_TRY(resolve_runtime(runtime, &rt));
  RuntimeLock lock(rt);
  if (!rt->debug->cpu_profiler) return VH_EINVAL;
  v8::CpuProfile* profile = rt->debug->cpu_profiler->StopProfiling(v8::String::NewFromUtf8Literal(rt->isolate, kTitle));
  // The profile belongs to its profiler: written before either is freed.
  int rc = profile ? write_profile(profile, write, user) : VH_ENOMEM;
  if (profile) profile->Delete();
  rt->debug->cpu_profiler->Dispose();
  rt->debug->cpu_profiler = nullptr;
  return rc;
}

int vh_runtime_heap_snapshot(vh_runtime runtime, vh_write_cb write, void* user) {
  if (!write) return VH_EINVAL;
  Runtime* rt;
  VH_TRY(resolve_runtime(runtime, &rt));
  RuntimeLock lock(rt);
  v8::HeapProfiler* heap = rt->isolate->GetHeapProfiler();
  const v8::HeapSnapshot* snapshot = heap->TakeHeapSnapshot();
  if (!snapshot) return VH_ENOMEM;
  SnapshotStream stream(write, user);
  snapshot->Serialize(&stream, v8::HeapSnapshot::kJSON);
  const_cast<v8::HeapSnapshot*>(snapshot)->Delete();
  return stream.rc;
}

}  // extern "C"
