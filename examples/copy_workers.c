/* copy_workers.c — postMessage between two workers: a structured clone through bytes.
 *
 * Two workers, each a runtime on a thread of its own. The producer's script builds a message
 * (a Map, a Date, a typed array, a cycle); the host turns it into bytes on the producer's thread
 * (vh_engine_copy_to_bytes), posts the bytes to the consumer (vh_engine_post), and on the consumer's
 * thread rebuilds the value (vh_engine_copy_from_bytes) and hands it to the consumer's
 * onmessage(). Neither thread ever holds the other's runtime: only bytes cross, as with
 * postMessage between Web Workers. (Within one thread holding both runtimes, vh_engine_copy()
 * copies directly, shares SharedArrayBuffers and transfers ArrayBuffers.)
 *
 * Build against an installed v8host:
 *   cc -Wall -Wextra copy_workers.c $(pkg-config --cflags --libs v8host) -o copy_workers */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <v8host.h>

static const char kProducer[] =
    "function makeMessage(n) {\n"
    "  const msg = { n, sent: new Date(Date.UTC(2026, 11, 5)), scores: new Map([['ada', 3], ['bob', 5]]),\n"
    "                samples: Float64Array.from({ length: n }, (_, i) => i / 2) };\n"
    "  msg.self = msg;   // a cycle survives the copy\n"
    "  return msg;\n"
    "}\n";

static const char kConsumer[] =
    "let log = [];\n"
    "function onmessage(m) {\n"
    "  const sum = m.samples.reduce((a, b) => a + b, 0);\n"
    "  log.push(`#${m.n}: ${m.scores.size} scores, bob=${m.scores.get('bob')}, sum=${sum},`\n"
    "           + ` ${m.sent.toISOString().slice(0, 10)}, cycle=${m.self === m}`);\n"
    "}\n";

typedef struct message {
  uint8_t *bytes;
  size_t length;
} message;

static vh_engine g_consumer;

static int run_script(vh_engine e, void *source) {
  vh_value ignored;
  return vh_eval(e, source, VH_AUTO_LENGTH, "worker.js", &ignored);
}

/* On the consumer's thread: bytes back into a value, then onmessage(value). */
static void deliver(vh_engine e, int status, void *data) {
  message *m = data;
  vh_value global, fn, value, ignored;
  if (status == VH_OK && vh_engine_copy_from_bytes(e, m->bytes, m->length, &value) == VH_OK &&
      vh_engine_global(e, &global) == VH_OK && vh_get(e, global, "onmessage", &fn) == VH_OK)
    vh_call(e, fn, (vh_value){0}, 1, &value, &ignored);
  vh_free(m->bytes);
  free(m);
}

/* On the producer's thread: makeMessage(n) into bytes, posted to the consumer. */
static void produce(vh_engine e, int status, void *data) {
  int n = (int)(intptr_t)data;
  vh_value global, fn, arg, msg;
  message *m;
  if (status != VH_OK || vh_engine_global(e, &global) != VH_OK ||
      vh_get(e, global, "makeMessage", &fn) != VH_OK || vh_new_int32(e, n, &arg) != VH_OK ||
      vh_call(e, fn, (vh_value){0}, 1, &arg, &msg) != VH_OK || !(m = malloc(sizeof *m)))
    return;
  if (vh_engine_copy_to_bytes(e, msg, &m->bytes, &m->length) != VH_OK) {
    free(m);
    return;
  }
  if (vh_engine_post(g_consumer, deliver, m) != VH_OK) { /* refused: never called, so free here */
    vh_free(m->bytes);
    free(m);
  }
}

/* On the consumer's thread: prints what onmessage logged. */
static void print_log(vh_engine e, int status, void *data) {
  (void)data;
  vh_value log;
  char *text;
  if (status == VH_OK && vh_eval(e, "log.join('\\n')", VH_AUTO_LENGTH, "log.js", &log) == VH_OK &&
      vh_value_string_utf8_dup(log, &text, NULL) == VH_OK) {
    printf("%s\n", text);
    vh_free(text);
  }
}

static void nothing(vh_engine e, int status, void *data) {
  (void)e, (void)status, (void)data;
}

int main(void) {
  vh_worker producer, consumer;
  vh_engine producer_engine;
  if (vh_worker_start(NULL, run_script, (void *)kProducer, &producer, &producer_engine) != VH_OK ||
      vh_worker_start(NULL, run_script, (void *)kConsumer, &consumer, &g_consumer) != VH_OK)
    return 1;
  for (int n = 1; n <= 3; n++) vh_engine_post(producer_engine, produce, (void *)(intptr_t)(n * 4));
  /* The producer's tasks run in order; once this wait returns, every message has been posted
   * to the consumer, ahead of print_log. */
  vh_engine_post_and_wait(producer_engine, nothing, NULL);
  vh_engine_post_and_wait(g_consumer, print_log, NULL);
  vh_worker_stop(producer);
  vh_worker_stop(consumer);
  return 0;
}
