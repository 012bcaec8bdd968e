// Process-wide V8 start-up. V8 can be initialised once per process and never again after
// disposal, so the platform lives until the process ends. The process options
// (vh_process_configure) are read once, here, when the first runtime starts V8.
#include <libplatform/libplatform.h>
#include <v8-version.h>
#include <v8.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#if defined(VH_V8_EXTERNAL_STARTUP_DATA) || defined(VH_V8_ICU_DATA)
#include <dlfcn.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#endif

#include "core/objects.h"
#include "core/v8_compat.h"
#include "core/platform.h"
#include "core/versioned.h"
#include "v8host.h"


namespace vh {

// ---- per-isolate platform work ---------------------------------------------------------------

class CountedJob;

struct IsolateWork {
  v8::Isolate* isolate = nullptr;
  std::mutex mu;
  void (*wake)(void*) = nullptr;  // nullptr once untracked
  void* data = nullptr;
  int worker_tasks = 0;           // posted, not yet run (or dropped)
  int foreground_tasks = 0;       // queued, not yet run (or dropped)
  std::vector<CountedJob*> jobs;  // live jobs (their JobTask not yet destroyed)

  void notify() {
    std::lock_guard<std::mutex> lock(mu);
    if (wake) wake(data);
  }
};

namespace {

std::mutex g_work_mu;  // guards g_work
std::unordered_map<v8::Isolate*, std::weak_ptr<IsolateWork>> g_work;

// The work of the piece of background work this thread runs now: what it posts belongs to the
// same isolate (V8 chains background steps without entering the isolate).
thread_local IsolateWork* t_running_for = nullptr;

// Whose is a task being posted from this thread: the background work running here, else the
// isolate entered here. nullptr: nobody's we track (another embedder's isolate, a runtime made
// before its loop, V8's own process-wide work).
std::shared_ptr<IsolateWork> work_of_poster() {
  v8::Isolate* iso = nullptr;
  if (t_running_for) {
    iso = t_running_for->isolate;
  } else {
    iso = v8::Isolate::TryGetCurrent();
  }
  if (!iso) return nullptr;
  std::lock_guard<std::mutex> lock(g_work_mu);
  auto it = g_work.find(iso);
  return it == g_work.end() ? nullptr : it->second.lock();
}

std::shared_ptr<IsolateWork> work_of_isolate(v8::Isolate* iso) {
  std::lock_guard<std::mutex> lock(g_work_mu);
  auto it = g_work.find(iso);
  return it == g_work.end() ? nullptr : it->second.lock();
}

// Marks this thread as running background work of work for its lifetime.
class RunningFor {
 public:
  explicit RunningFor(IsolateWork* work) : prev_(t_running_for) { t_running_for = work; }
  ~RunningFor() { t_running_for = prev_; }
  RunningFor(const RunningFor&) = delete;
  RunningFor& operator=(const RunningFor&) = delete;

 private:
  IsolateWork* prev_;
};

// A task counted from its posting until it has run or been dropped: a worker task (kWorker)
// in worker_tasks, a foreground task in foreground_tasks. A worker task runs as background work
// of its isolate (RunningFor) and, ending on a worker thread, wakes the loop; a foreground task
// runs where the loop pumps the isolate's queue (PumpMessageLoop), which needs no waking.
template <bool kWorker>
class Counted final : public v8::Task {
 public:
  Counted(std::unique_ptr<v8::Task> inner, std::shared_ptr<IsolateWork> work)
      : inner_(std::move(inner)), work_(std::move(work)) {
    std::lock_guard<std::mutex> lock(work_->mu);
    ++count();
  }
  ~Counted() override {
    inner_.reset();  // whatever it owns goes first, then the count
    {
      std::lock_guard<std::mutex> lock(work_->mu);
      --count();
    }
    if constexpr (kWorker) work_->notify();
  }
  void Run() override {
    if constexpr (kWorker) {
      RunningFor running(work_.get());
      inner_->Run();
    } else {
      inner_->Run();
    }
  }

 private:
  int& count() { return kWorker ? work_->worker_tasks : work_->foreground_tasks; }

  std::unique_ptr<v8::Task> inner_;
  std::shared_ptr<IsolateWork> work_;
};
using CountedTask = Counted<true>;
using CountedForegroundTask = Counted<false>;

// The isolate's foreground runner, counting what is posted to run as soon as possible and
// waking the loop for it. Delayed and idle tasks pass through uncounted.
class CountingRunner final : public compat::TaskRunnerBase {
 public:
  CountingRunner(std::shared_ptr<v8::TaskRunner> inner, std::shared_ptr<IsolateWork> work)
      : inner_(std::move(inner)), work_(std::move(work)) {}
  void post(std::unique_ptr<v8::Task> task, const compat::TaskLocation& where) override {
    compat::post_task(inner_.get(), std::make_unique<CountedForegroundTask>(std::move(task), work_), where);
    work_->notify();
  }
  void post_non_nestable(std::unique_ptr<v8::Task> task, const compat::TaskLocation& where) override {
    compat::post_non_nestable_task(inner_.get(), std::make_unique<CountedForegroundTask>(std::move(task), work_),
                                   where);
    work_->notify();
  }
  void post_delayed(std::unique_ptr<v8::Task> task, double delay_in_seconds,
                    const compat::TaskLocation& where) override {
    compat::post_delayed_task(inner_.get(), std::move(task), delay_in_seconds, where);
  }
  void post_non_nestable_delayed(std::unique_ptr<v8::Task> task, double delay_in_seconds,
                                 const compat::TaskLocation& where) override {
    compat::post_non_nestable_delayed_task(inner_.get(), std::move(task), delay_in_seconds, where);
  }
  void post_idle(std::unique_ptr<v8::IdleTask> task, const compat::TaskLocation& where) override {
    compat::post_idle_task(inner_.get(), std::move(task), where);
  }
  bool IdleTasksEnabled() override { return inner_->IdleTasksEnabled(); }
  bool NonNestableTasksEnabled() const override { return inner_->NonNestableTasksEnabled(); }
  bool NonNestableDelayedTasksEnabled() const override { return inner_->NonNestableDelayedTasksEnabled(); }

 private:
  std::shared_ptr<v8::TaskRunner> inner_;
  std::shared_ptr<IsolateWork> work_;
};

}  // namespace

// A job: pending while a worker runs it or, as of its last run (or its posting), it had work
// left. Registered in its isolate's record for its whole life, so that the loop can ask. The
// record's mutex is a leaf: nothing holding it calls into V8 (a job's GetMaxConcurrency may
// take V8's own locks, under which V8 also posts tasks, which take the record's mutex).
class CountedJob final : public v8::JobTask {
 public:
  CountedJob(std::unique_ptr<v8::JobTask> inner, std::shared_ptr<IsolateWork> work)
      : inner_(std::move(inner)), work_(std::move(work)) {
    has_work_.store(inner_->GetMaxConcurrency(0) > 0);  // a job posted with no work yet waits for none
    std::lock_guard<std::mutex> lock(work_->mu);
    work_->jobs.push_back(this);
  }
  ~CountedJob() override {
    {
      std::lock_guard<std::mutex> lock(work_->mu);
      auto& jobs = work_->jobs;
      for (size_t i = 0; i < jobs.size(); ++i) {
        if (jobs[i] == this) {
          jobs[i] = jobs.back();
          jobs.pop_back();
          break;
        }
      }
    }
    work_->notify();
  }
  void Run(v8::JobDelegate* delegate) override {
    active_.fetch_add(1);
    {
      RunningFor running(work_.get());
      inner_->Run(delegate);
    }
    has_work_.store(inner_->GetMaxConcurrency(0) > 0);
    if (active_.fetch_sub(1) == 1) work_->notify();
  }
  // V8 asks this whenever it schedules the job (at its posting, on NotifyConcurrencyIncrease, in
  // its workers): the answer is whether it has work.
  size_t GetMaxConcurrency(size_t worker_count) const override {
    size_t n = inner_->GetMaxConcurrency(worker_count);
    has_work_.store(n > 0);
    return n;
  }
  bool running() const { return active_.load() > 0; }
  bool has_work() const { return has_work_.load(); }

 private:
  std::unique_ptr<v8::JobTask> inner_;
  std::shared_ptr<IsolateWork> work_;
  std::atomic<int> active_{0};
  mutable std::atomic<bool> has_work_{false};
};

std::shared_ptr<IsolateWork> track_isolate_work(v8::Isolate* isolate, void (*wake)(void*), void* data) {
  auto work = std::make_shared<IsolateWork>();
  work->isolate = isolate;
  work->wake = wake;
  work->data = data;
  std::lock_guard<std::mutex> lock(g_work_mu);
  g_work[isolate] = work;
  return work;
}

void untrack_isolate_work(const std::shared_ptr<IsolateWork>& work) {
  if (!work) return;
  {
    std::lock_guard<std::mutex> lock(g_work_mu);
    auto it = g_work.find(work->isolate);
    if (it != g_work.end() && it->second.lock() == work) g_work.erase(it);
  }
  std::lock_guard<std::mutex> lock(work->mu);
  work->wake = nullptr;
}

PlatformWork isolate_work_state(IsolateWork* work) {
  std::lock_guard<std::mutex> lock(work->mu);
  if (work->worker_tasks > 0 || work->foreground_tasks > 0) return PlatformWork::kRunning;
  bool idle = false;
  for (CountedJob* job : work->jobs) {
    if (job->running()) return PlatformWork::kRunning;
    idle = idle || job->has_work();
  }
  return idle ? PlatformWork::kIdleJobs : PlatformWork::kNone;
}

// ---- the platform --------------------------------------------------------------------------

namespace {

// libplatform's default platform with the counting above: every call is passed on.
class HostPlatform final : public compat::PlatformBase {
 public:
  explicit HostPlatform(std::unique_ptr<v8::Platform> inner) : PlatformBase(std::move(inner)) {}

  v8::PageAllocator* GetPageAllocator() override { return inner_->GetPageAllocator(); }
  void OnCriticalMemoryPressure() override { inner_->OnCriticalMemoryPressure(); }
  int NumberOfWorkerThreads() override { return inner_->NumberOfWorkerThreads(); }
  std::shared_ptr<v8::TaskRunner> foreground_runner(v8::Isolate* isolate, v8::TaskPriority priority) override {
    std::shared_ptr<v8::TaskRunner> runner = inner_foreground_runner(inner(), isolate, priority);
    std::shared_ptr<IsolateWork> work = work_of_isolate(isolate);
    if (!work || !runner) return runner;
    return std::make_shared<CountingRunner>(std::move(runner), std::move(work));
  }
  void post_on_worker(v8::TaskPriority priority, std::unique_ptr<v8::Task> task,
                      const compat::TaskLocation& where) override {
    std::shared_ptr<IsolateWork> work = work_of_poster();
    if (work) task = std::make_unique<CountedTask>(std::move(task), std::move(work));
    inner_post_on_worker(inner(), priority, std::move(task), where);
  }
  // Delayed worker tasks are not counted: nothing waits for them.
  void post_delayed_on_worker(v8::TaskPriority priority, std::unique_ptr<v8::Task> task, double delay_in_seconds,
                              const compat::TaskLocation& where) override {
    inner_post_delayed_on_worker(inner(), priority, std::move(task), delay_in_seconds, where);
  }
  std::unique_ptr<v8::JobHandle> job(v8::TaskPriority priority, std::unique_ptr<v8::JobTask> task,
                                     const compat::TaskLocation& where) override {
    return inner_job(inner(), priority, wrap(std::move(task)), where);
  }
  bool IdleTasksEnabled(v8::Isolate* isolate) override { return inner_->IdleTasksEnabled(isolate); }
  double MonotonicallyIncreasingTime() override { return inner_->MonotonicallyIncreasingTime(); }
  double CurrentClockTimeMillis() override { return inner_->CurrentClockTimeMillis(); }
  StackTracePrinter GetStackTracePrinter() override { return inner_->GetStackTracePrinter(); }
  v8::TracingController* GetTracingController() override { return inner_->GetTracingController(); }
  void DumpWithoutCrashing() override { inner_->DumpWithoutCrashing(); }

 private:
  static std::unique_ptr<v8::JobTask> wrap(std::unique_ptr<v8::JobTask> job) {
    std::shared_ptr<IsolateWork> work = work_of_poster();
    if (!work) return job;
    return std::make_unique<CountedJob>(std::move(job), std::move(work));
  }
};

v8::Platform* g_platform = nullptr;  // the default platform inside the HostPlatform
std::mutex g_start_mu;               // guards the two below
bool g_started = false;              // V8 initialised: the options are fixed
uint64_t g_process_flags = 0;        // vh_process_options.flags

}  // namespace

#if defined(VH_V8_EXTERNAL_STARTUP_DATA) || defined(VH_V8_ICU_DATA)
// A V8 monolith built to read its snapshot (snapshot_blob.bin) or ICU's data (icudtl.dat) from
// files: CMake (cmake/v8hostV8Data.cmake) defines the macros to the paths it found beside the
// build. V8 must be given them before it starts. Each file is looked for at, first that exists:
// $VH_V8_STARTUP_DATA / $VH_V8_ICU_DATA, <dir>/v8host/<name> and <dir>/<name> (<dir>: the
// folder of the binary this code is in, where `cmake --install` puts them), the configure-time
// path. Debian's libnode embeds both: there the macros are undefined and none of this exists.
static bool is_file(const std::string& path) {
  struct stat st;
  return !path.empty() && stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

static std::string find_v8_data(const char* env, const char* built) {
  const char* chosen = std::getenv(env);
  if (chosen && *chosen) {
    if (is_file(chosen)) return chosen;
    std::fprintf(stderr, "v8host: %s=%s is not a file; looking elsewhere\n", env, chosen);
  }
  std::string name = built;
  name = name.substr(name.rfind('/') + 1);
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&find_v8_data), &info) && info.dli_fname) {
    std::string dir = info.dli_fname;
    dir = dir.substr(0, dir.rfind('/') + 1);
    for (const std::string& path : {dir + "v8host/" + name, dir + name})
      if (is_file(path)) return path;
  }
  if (is_file(built)) return built;
  // V8 ends the process when it starts without them: say which file is missing first.
  std::fprintf(stderr, "v8host: V8 needs %s: not found (set %s to its path)\n", name.c_str(), env);
  return built;
}

static void load_v8_data() {
#ifdef VH_V8_ICU_DATA
  v8::V8::InitializeICU(find_v8_data("VH_V8_ICU_DATA", VH_V8_ICU_DATA).c_str());
#endif
#ifdef VH_V8_EXTERNAL_STARTUP_DATA
  v8::V8::InitializeExternalStartupDataFromFile(
      find_v8_data("VH_V8_STARTUP_DATA", VH_V8_EXTERNAL_STARTUP_DATA).c_str());
#endif
}
#else
static void load_v8_data() {}
#endif

v8::Platform* platform() { return g_platform; }

void ensure_platform() {
  static std::once_flag once;
  std::call_once(once, [] {
    load_v8_data();
    uint64_t flags;
    {
      std::lock_guard<std::mutex> lock(g_start_mu);
      g_started = true;
      flags = g_process_flags;
    }
#if !VH_V8_SHIPS_RAB_GSAB
    if (flags & VH_PROCESS_FLAG_UNSAFE_RAB_GSAB) {
      static const char kFlags[] = "--harmony-rab-gsab";
      v8::V8::SetFlagsFromString(kFlags, sizeof(kFlags) - 1);
    }
#else
    (void)flags;  // shipped: nothing to turn on
#endif
    // Never destroyed: V8 cannot be shut down and started again, and threads may use it at exit.
    static HostPlatform* host = new HostPlatform(v8::platform::NewDefaultPlatform());
    g_platform = host->inner();
    v8::V8::InitializePlatform(host);
    v8::V8::Initialize();
  });
}

}  // namespace vh

extern "C" int vh_process_configure(const vh_process_options* options) {
  if (!options) return VH_EINVAL;
  vh_process_options opts{};
  opts.struct_size = sizeof opts;
  int rc = vh::copy_versioned(options, sizeof(vh_process_options), &opts);
  if (rc != VH_OK) return rc;
  if (opts.flags & ~static_cast<uint64_t>(VH_PROCESS_FLAG_UNSAFE_RAB_GSAB)) return VH_EINVAL;
  std::lock_guard<std::mutex> lock(vh::g_start_mu);
  if (vh::g_started) return VH_EBUSY;
  vh::g_process_flags = opts.flags;
  return VH_OK;
}
