/* A libFuzzer target for the copy's byte form (copy.h): vh_engine_copy_from_bytes() must refuse
 * malformed input with VH_EBADDATA and never crash, leak, hang or leave an exception pending.
 *
 * The first input byte chooses how the rest is framed, so that random inputs get past the
 * checks they would otherwise never pass:
 *   bit 0 set: the rest is given as it is (the header's own checks);
 *   else: the library's 16-byte header with the right length is put in front, and when bit 1
 *   is set, V8's wire-format header too (0xFF, version 15), so the rest is read as V8's tags.
 * A value that is read back is written to bytes again and read once more (the round trip must
 * succeed then).
 *
 * The seeds in tests/fuzz/corpus_copy are real byte forms (objects, arrays, Map, Set, Date,
 * RegExp, BigInt, typed arrays and DataViews, cycles) framed with mode byte 1 (given whole). The engine lives
 * for the whole process, with a 64 MiB heap limit; each input gets its own scope. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <v8host.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { kHeader = 16, kMaxInput = 1 << 16 };

static vh_engine g_engine;
static int g_ready;

static void fail(const char *what, int rc) {
  fprintf(stderr, "fuzz_copy: %s: %s\n", what, vh_err_name(rc));
  abort();
}

static vh_runtime g_runtime;

/* At exit: the runtime disposed, so that leak checkers see V8's memory released. */
static void stop(void) { vh_runtime_dispose(g_runtime); }

static void start(void) {
  vh_runtime_options o;
  vh_runtime rt;
  vh_runtime_options_init(&o);
  o.heap_max_bytes = 64u << 20;
  int rc = vh_runtime_new(&o, &rt);
  if (rc != VH_OK) fail("vh_runtime_new", rc);
  rc = vh_engine_new(rt, NULL, &g_engine);
  if (rc != VH_OK) fail("vh_engine_new", rc);
  g_runtime = rt;
  atexit(stop);
  g_ready = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!g_ready) start();
  if (size == 0 || size > kMaxInput) return 0;
  uint8_t mode = data[0];
  const uint8_t *rest = data + 1;
  size_t n = size - 1;
  uint8_t *framed = malloc(kHeader + 2 + n);
  if (!framed) return 0;
  size_t len;
  if (mode & 1) {
    memcpy(framed, rest, n);
    len = n;
  } else {
    size_t v8_head = (mode & 2) ? 2 : 0;
    uint64_t payload = n + v8_head;
    memcpy(framed, "VHCB\1\0\0\0", 8);
    for (int i = 0; i < 8; i++) framed[8 + i] = (uint8_t)(payload >> (8 * i));
    framed[kHeader] = 0xFF;
    framed[kHeader + 1] = 15;
    memcpy(framed + kHeader + v8_head, rest, n);
    len = kHeader + payload;
  }

  vh_scope scope;
  int rc = vh_scope_open(g_engine, &scope);
  if (rc != VH_OK) fail("vh_scope_open", rc);
  vh_value out;
  rc = vh_engine_copy_from_bytes(g_engine, framed, len, &out);
  if (rc != VH_OK && rc != VH_EBADDATA) fail("vh_engine_copy_from_bytes", rc);
  bool pending = false;
  vh_exception_pending(g_engine, &pending);
  if (pending) fail("an exception left pending", VH_EEXCEPTION);
  if (rc == VH_OK) {
    uint8_t *again;
    size_t again_len;
    /* What was read can be written again (a getter cannot exist on a fresh copy; a value V8
     * reads may still be one it refuses to write, e.g. a detached buffer: that is an exception). */
    rc = vh_engine_copy_to_bytes(g_engine, out, &again, &again_len);
    if (rc == VH_OK) {
      vh_value twice;
      rc = vh_engine_copy_from_bytes(g_engine, again, again_len, &twice);
      if (rc != VH_OK) fail("reading back a re-written copy", rc);
      vh_free(again);
    } else if (rc == VH_EEXCEPTION) {
      vh_exception_discard(g_engine);
    } else {
      fail("vh_engine_copy_to_bytes", rc);
    }
  }
  rc = vh_scope_close(scope);
  if (rc != VH_OK) fail("vh_scope_close", rc);
  free(framed);
  return 0;
}
