// bench_loop — what a task posted to a runtime's loop from another thread costs through v8host,
// against the bare libuv wake-up it is built on. One figure; unit: us per round trip.
//
// post_latency — thread T (this program's main thread) hands work to a loop running on another
//   thread and waits until it has run: T posts, the loop's thread runs the work, which signals T
//   back with uv_sem_post; T waits in uv_sem_wait, then posts the next. 10000 round trips per
//   round (× --scale).
//     ours: a worker (vh_worker_start, no init) runs the loop; T calls vh_post(engine, task, &sem)
//           and the task (called with the engine, a scope open on it: the runtime's lock taken,
//           then V8's due platform tasks and the microtasks run after it) does uv_sem_post.
//     raw:  a libuv loop of its own on another thread (uv_run, UV_RUN_DEFAULT) with a uv_async_t;
//           T calls uv_async_send and the async callback does uv_sem_post. No V8 at all: the
//           cheapest cross-thread wake-up libuv offers, which vh_post uses underneath.
//
// Both sides wake a sleeping thread twice per round trip (the loop's thread through its
// eventfd/epoll, T through its semaphore), which dominates the figure; the difference is what
// the library adds: the task queue (a mutex and a deque), the engine's lookup, the runtime's
// lock around the task, and the platform-task and microtask checks after it. The ours side uses
// only v8host.h (and libuv's semaphore, as the raw side).
#include <uv.h>

#include "harness.h"

namespace {

constexpr long kRoundTrips = 10000;  // per round (× --scale)
constexpr double kTarget = 1.20;

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

double ours_round(Ours& o, long n) {
  double us = bench::time_per_op(n, "us", [&](long) {
    BENCH_VH(vh_post(o.engine, signal_task, &o));
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
  uv_thread_t thread;
  uv_sem_t done;  // loop -> T
};

void on_ping(uv_async_t* a) { uv_sem_post(&static_cast<Raw*>(a->data)->done); }

void on_quit(uv_async_t* a) {
  auto* r = static_cast<Raw*>(a->data);
  uv_close(reinterpret_cast<uv_handle_t*>(&r->ping), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&r->quit), nullptr);
}

void raw_loop_thread(void* arg) {
  auto* r = static_cast<Raw*>(arg);
  uv_run(&r->loop, UV_RUN_DEFAULT);  // until both handles are closed
}

void raw_start(Raw& r) {
  BENCH_CHECK(uv_loop_init(&r.loop) == 0);
  BENCH_CHECK(uv_async_init(&r.loop, &r.ping, on_ping) == 0);
  BENCH_CHECK(uv_async_init(&r.loop, &r.quit, on_quit) == 0);
  r.ping.data = r.quit.data = &r;
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

  bench::run_figure(opt, {"post_latency", "us", kTarget, [&] { return ours_round(ours, n); },
                          [&] { return raw_round(raw, n); }});

  raw_stop(raw);
  BENCH_VH(vh_worker_stop(ours.worker));
  uv_sem_destroy(&ours.done);
  BENCH_VH(vh_runtime_dispose(first));
  return 0;
}
