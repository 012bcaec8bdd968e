/* worker.c — a worker runtime fed from the main thread.
 *
 * A worker is a runtime living on a thread of its own, running its event loop. Its init function
 * defines a JavaScript word counter there; the main thread posts jobs to it (vh_engine_post, with
 * malloc'd job data that the task frees), then collects the totals with vh_engine_post_and_wait and
 * stops the worker. Every task is called exactly once: with VH_OK when it runs, or with
 * VH_EDISPOSED when the worker went away first. A post refused with VH_EDISPOSED is never called,
 * so the poster frees the job itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <v8host.h>

/* Runs in the worker's engine. countWords() keeps running totals in the worker's global state. */
static const char kCounter[] =
    "const totals = { jobs: 0, words: 0 };\n"
    "function countWords(text) {\n"
    "  const words = text.toLowerCase().match(/[a-z']+/g) || [];\n"
    "  const seen = new Map();\n"
    "  let top = '', topCount = 0;\n"
    "  for (const w of words) {\n"
    "    const n = (seen.get(w) || 0) + 1;\n"
    "    seen.set(w, n);\n"
    "    if (n > topCount) { top = w; topCount = n; }\n"
    "  }\n"
    "  totals.jobs++;\n"
    "  totals.words += words.length;\n"
    "  return { words: words.length, distinct: seen.size, top };\n"
    "}\n";

/* A result slot of the main thread. The worker writes it; the main thread reads it only after
 * a vh_engine_post_and_wait posted later has returned, so the task has run by then. */
typedef struct result {
  int status; /* VH_OK, or what went wrong */
  int32_t words, distinct;
  char top[32];
} result;

/* One job: malloc'd by the main thread, freed by the task (whatever its status). */
typedef struct job {
  char *text;
  result *out;
} job;

static void free_job(job *j) {
  free(j->text);
  free(j);
}

/* Reads an int32 property of obj. */
static int get_int(vh_engine e, vh_value obj, const char *name, int32_t *out) {
  vh_value v;
  int rc = vh_get(e, obj, name, &v);
  return rc == VH_OK ? vh_value_int32(v, out) : rc;
}

/* The counting itself, on the worker's thread, with a scope open on its engine. */
static int count_words(vh_engine e, job *j) {
  vh_value global, fn, arg, r, top;
  int rc = vh_engine_global(e, &global);
  if (rc == VH_OK) rc = vh_get(e, global, "countWords", &fn);
  if (rc == VH_OK) rc = vh_new_string_utf8(e, j->text, VH_AUTO_LENGTH, &arg);
  if (rc == VH_OK) rc = vh_call(e, fn, (vh_value){0}, 1, &arg, &r);
  if (rc == VH_OK) rc = get_int(e, r, "words", &j->out->words);
  if (rc == VH_OK) rc = get_int(e, r, "distinct", &j->out->distinct);
  if (rc == VH_OK) rc = vh_get(e, r, "top", &top);
  if (rc == VH_OK) rc = vh_value_string_utf8(top, j->out->top, sizeof j->out->top, NULL);
  /* On VH_EEXCEPTION the exception stays pending: the loop reports it as uncaught when the task
   * returns (to stderr, or to vh_runtime_set_error_handler's handler). */
  return rc;
}

/* The task: runs once, on the worker's loop. */
static void count_task(vh_engine engine, int status, void *data) {
  job *j = data;
  j->out->status = status == VH_OK ? count_words(engine, j) : status;
  free_job(j); /* in every case, VH_EDISPOSED included */
}

/* Posts one job; on failure the task will never be called, so the job is freed here. */
static int post_job(vh_engine worker, const char *text, result *out) {
  job *j = malloc(sizeof *j);
  if (!j) return VH_ENOMEM;
  j->text = malloc(strlen(text) + 1);
  if (!j->text) {
    free(j);
    return VH_ENOMEM;
  }
  strcpy(j->text, text);
  j->out = out;
  out->status = 1; /* not run yet */
  int rc = vh_engine_post(worker, count_task, j);
  if (rc != VH_OK) free_job(j);
  return rc;
}

/* Collects the worker's totals as JSON; run with vh_engine_post_and_wait (data: a char[128]). */
static void totals_task(vh_engine e, int status, void *data) {
  char *out = data;
  vh_value v;
  if (status != VH_OK) return; /* the caller sees it as vh_engine_post_and_wait's code */
  if (vh_eval(e, "JSON.stringify(totals)", VH_AUTO_LENGTH, "totals.js", &v) != VH_OK ||
      vh_value_string_utf8(v, out, 128, NULL) != VH_OK)
    strcpy(out, "(unavailable)");
}

/* The worker's init: on its thread, before its loop starts. A failure stops the worker and
 * vh_worker_start returns the code. */
static int init(vh_engine engine, void *data) {
  (void)data;
  return vh_eval(engine, kCounter, VH_AUTO_LENGTH, "counter.js", NULL);
}

int main(void) {
  static const char *texts[] = {
      "The quick brown fox jumps over the lazy dog.",
      "To be, or not to be, that is the question.",
      "It was the best of times, it was the worst of times.",
      "A rose is a rose is a rose.",
  };
  enum { N = sizeof texts / sizeof texts[0] };
  result results[N];
  char totals[128] = "";
  vh_worker worker;
  vh_engine engine;

  int rc = vh_worker_start(NULL, init, NULL, &worker, &engine);
  if (rc != VH_OK) {
    fprintf(stderr, "vh_worker_start: %s\n", vh_err_name(rc));
    return 1;
  }
  /* Hand out the jobs: vh_engine_post returns at once, the worker runs them in this order. */
  for (int i = 0; i < N; i++) {
    rc = post_job(engine, texts[i], &results[i]);
    if (rc != VH_OK) {
      fprintf(stderr, "post job %d: %s\n", i, vh_err_name(rc));
      vh_worker_stop(worker);
      return 1;
    }
  }
  /* Posted after the jobs, so it runs after them: once it returns, every result is in. */
  rc = vh_engine_post_and_wait(engine, totals_task, totals);
  if (rc != VH_OK) {
    fprintf(stderr, "vh_engine_post_and_wait: %s\n", vh_err_name(rc));
    vh_worker_stop(worker);
    return 1;
  }
  for (int i = 0; i < N; i++) {
    if (results[i].status != VH_OK)
      printf("job %d: failed: %s\n", i, vh_err_name(results[i].status));
    else
      printf("job %d: %2d words, %2d distinct, most frequent \"%s\"\n", i, results[i].words,
             results[i].distinct, results[i].top);
  }
  printf("totals: %s\n", totals);

  /* Stop: tasks already posted would still run; then the runtime is disposed. */
  rc = vh_worker_stop(worker);
  if (rc != VH_OK) {
    fprintf(stderr, "vh_worker_stop: %s\n", vh_err_name(rc));
    return 1;
  }
  /* The worker is gone: a post is refused, and post_job frees the job itself. */
  result late;
  rc = post_job(engine, "too late", &late);
  printf("post after stop: %s\n", vh_err_name(rc));
  return rc == VH_EDISPOSED ? 0 : 1;
}
