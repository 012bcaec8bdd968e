// bench_loop — what a task posted to a runtime's loop from another thread costs through v8host,
// against the bare libuv wake-up it is built on. Unit: us per round trip.
//
// post_latency — thread T (this program's main thread) hands work to a loop running on another
//   thread and waits until it has run: T posts, the loop's thread runs the work, which signals T
//   back with uv_sem_post; T waits in uv_sem_wait, then posts the next. 10000 round trips per
//   round (× --scale).
//     ours: a worker (vh_worker_start, no init) runs the loop; T calls vh_engine_post(engine, task, &sem)
//           and the task (called with the engine, a scope open on it: the runtime's lock taken,
//           then the microtasks run after it) does uv_sem_post.
//     raw:  a libuv loop of its own on another thread (uv_run, UV_RUN_DEFAULT) with a uv_async_t;
//           T calls uv_async_send and the async callback does uv_sem_post. No V8 at all: the
//           cheapest cross-thread wake-up libuv offers, which vh_engine_post uses underneath.
//   Both threads of both sides are pinned to one CPU: each round trip is then two switches
//   between threads on that CPU, the cheapest wake-up there is, so what the library adds (the
//   task queue, the engine's lookup, the runtime's lock and scope around the task, the
//   microtask checkpoint after it) shows most. Unpinned, the figure was bimodal on these VMs:
//   whichever side ran first after the other one's round paid cross-CPU wake-ups of an idle
//   vCPU (~25-60 us a round trip) and the second ran on one CPU (~3 us), so the median was
//   decided by the scheduler, not by the library.
// post_latency_cross — the same with T on one CPU and the loop's thread on another (skipped on
//   a one-CPU machine): every wake-up crosses CPUs, as in an embedding with a busy main thread
//   and a worker (1000 round trips per round: each costs ~25 times more). Reported to show
//   the cost in that setting; the target is post_latency's.
//
// The ours side uses only v8host.h (and libuv's semaphore, as the raw side); the pinning is
// pthread_setaffinity_np, done on the loop's thread by a posted task (ours) or an async
// callback (raw).
#include <pthread.h>
#include <sched.h>
#include <uv.h>

#include <thread>

#include "harness.h"

namespace {

constexpr long kRoundTrips = 10000;  // per round (× --scale)
constexpr double kTarget = 1.20;

// Pins the calling thread to one CPU; false when the machine does not let us.
bool pin_to(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
}

// Where a figure's two threads run.
struct Placement {
  int main_cpu;
  int loop_cpu;
};

// ---- ours ----------------------------------------------------------------------------------

struct Ours {
  vh_worker worker{};
  vh_engine engine{};
  uv_sem_t done;
  long bad_status = 0;  // tasks called with anything but VH_OK (written on the worker's thread)
};

void signal_task(vh_engine, int status, void* data) {
  auto* o = static_cast<Ours*>(data);
  if (status != VH_OK) o->bad_status++;
  uv_sem_post(&o->done);  // always, so that a failure cannot hang the program
}

struct PinRequest {
  int cpu;
  bool ok = false;
};

void pin_task(vh_engine, int status, void* data) {
  auto* p = static_cast<PinRequest*>(data);
  p->ok = status == VH_OK && pin_to(p->cpu);
}

bool ours_pin_loop(Ours& o, int cpu) {
  PinRequest p{cpu};
  return vh_engine_post_and_wait(o.engine, pin_task, &p) == VH_OK && p.ok;
}

double ours_round(Ours& o, long n) {
  double us = bench::time_per_op(n, "us", [&](long) {
    BENCH_VH(vh_engine_post(o.engine, signal_task, &o));
    uv_sem_wait(&o.done);
  });
  BENCH_CHECK(o.bad_status == 0);
  return us;
}

// ---- raw -----------------------------------------------------------------------------------

struct Raw {
  uv_loop_t loop;
  uv_async_t ping;  // T -> loop
  uv_async_t quit;
  uv_async_t pin;   // T -> loop: pin yourself to pin_cpu, then post done
  int pin_cpu = 0;
  bool pinned = false;
  uv_thread_t thread;
  uv_sem_t done;  // loop -> T
};

void on_ping(uv_async_t* a) { uv_sem_post(&static_cast<Raw*>(a->data)->done); }

void on_pin(uv_async_t* a) {
  auto* r = static_cast<Raw*>(a->data);
  r->pinned = pin_to(r->pin_cpu);
  uv_sem_post(&r->done);
}

bool raw_pin_loop(Raw& r, int cpu) {
  r.pin_cpu = cpu;
  BENCH_CHECK(uv_async_send(&r.pin) == 0);
  uv_sem_wait(&r.done);
  return r.pinned;
}

void on_quit(uv_async_t* a) {
  auto* r = static_cast<Raw*>(a->data);
  uv_close(reinterpret_cast<uv_handle_t*>(&r->ping), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&r->quit), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&r->pin), nullptr);
}

void raw_loop_thread(void* arg) {
  auto* r = static_cast<Raw*>(arg);
  uv_run(&r->loop, UV_RUN_DEFAULT);  // until both handles are closed
}

void raw_start(Raw& r) {
  BENCH_CHECK(uv_loop_init(&r.loop) == 0);
  BENCH_CHECK(uv_async_init(&r.loop, &r.ping, on_ping) == 0);
  BENCH_CHECK(uv_async_init(&r.loop, &r.quit, on_quit) == 0);
  BENCH_CHECK(uv_async_init(&r.loop, &r.pin, on_pin) == 0);
  r.ping.data = r.quit.data = r.pin.data = &r;
  BENCH_CHECK(uv_sem_init(&r.done, 0) == 0);
  BENCH_CHECK(uv_thread_create(&r.thread, raw_loop_thread, &r) == 0);
}

void raw_stop(Raw& r) {
  BENCH_CHECK(uv_async_send(&r.quit) == 0);
  BENCH_CHECK(uv_thread_join(&r.thread) == 0);
  BENCH_CHECK(uv_loop_close(&r.loop) == 0);
  uv_sem_destroy(&r.done);
}

double raw_round(Raw& r, long n) {
  return bench::time_per_op(n, "us", [&](long) {
    BENCH_CHECK(uv_async_send(&r.ping) == 0);
    uv_sem_wait(&r.done);
  });
}

}  // namespace

int main(int argc, char** argv) {
  bench::Options opt = bench::parse_options(argc, argv);
  vh_runtime first = bench::start_library();
  long n = opt.ops(kRoundTrips);

  Ours ours;
  BENCH_CHECK(uv_sem_init(&ours.done, 0) == 0);
  BENCH_VH(vh_worker_start(nullptr, nullptr, nullptr, &ours.worker, &ours.engine));
  Raw raw;
  raw_start(raw);

  const int cpus = static_cast<int>(std::thread::hardware_concurrency());
  const struct {
    const char* name;
    Placement where;
    long round_trips;  // per round: a cross-CPU wake-up of an idle vCPU costs ~25x more
  } figures[] = {{"post_latency", {0, 0}, n}, {"post_latency_cross", {0, 1}, std::max(1L, n / 10)}};
  for (const auto& f : figures) {
    if (!opt.wants(f.name)) continue;
    if (f.where.loop_cpu >= cpus) {
      std::fprintf(stderr, "# %s: skipped, this machine has %d CPU(s)\n", f.name, cpus);
      continue;
    }
    // Pinning is refused in some containers: then the figure is measured unpinned, and says so.
    bool pinned = pin_to(f.where.main_cpu) && ours_pin_loop(ours, f.where.loop_cpu) &&
                  raw_pin_loop(raw, f.where.loop_cpu);
    if (!pinned) std::fprintf(stderr, "# %s: could not pin the threads; measured unpinned\n", f.name);
    bench::run_figure(opt, {f.name, "us", kTarget, [&] { return ours_round(ours, f.round_trips); },
                            [&] { return raw_round(raw, f.round_trips); }});
  }

  raw_stop(raw);
  BENCH_VH(vh_worker_stop(ours.worker));
  uv_sem_destroy(&ours.done);
  BENCH_VH(vh_runtime_dispose(first));
  return 0;
}
