/* Code cache: vh_code_cache_create and vh_eval_with_cache across engines, runtimes and
 * processes; rejected caches (other source, other name, corrupted, truncated); errors. */
#include "test_util.h"

#include <fcntl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* A script with inner functions (compiled eagerly into the cache) and a non-ASCII literal. */
static const char kScript[] =
    "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\n"
    "function greet(who) {\n"
    "  const parts = ['hello', who];\n"
    "  return parts.map(function (p) { return p.toUpperCase(); }).join(' ');\n"
    "}\n"
    "var Box = class { constructor(v) { this.v = v; } twice() { return this.v * 2; } };\n"
    "globalThis.runs = (globalThis.runs || 0) + 1;\n"
    "greet('cach\xC3\xA9') + ' ' + fib(15) + ' ' + new Box(21).twice()\n";
static const char kResult[] = "HELLO CACH\xC3\x89 610 42";

/* The completion value of a successful vh_eval_with_cache as a string; *accepted is set. */
static void eval_cached(vh_engine e, const char *src, const char *name, const uint8_t *cache,
                        size_t cache_length, bool *accepted, char *buf, size_t size) {
  vh_value v;
  assert_ok(vh_eval_with_cache(e, src, VH_AUTO_LENGTH, name, cache, cache_length, accepted, &v));
  assert_ok(vh_value_string_utf8(v, buf, size, NULL));
}

/* The same, in a new runtime of its own (whose V8 compilation cache has never seen src). */
static bool eval_cached_fresh(const char *src, const char *name, const uint8_t *cache,
                              size_t cache_length, char *buf, size_t size) {
  vh_engine e;
  vh_scope s;
  bool accepted = true; /* the callers expecting true start from false themselves */
  assert_ok(vh_engine_new_private(NULL, NULL, &e));
  assert_ok(vh_scope_open(e, &s));
  eval_cached(e, src, name, cache, cache_length, &accepted, buf, size);
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_dispose(e));
  return accepted;
}

/* A cache of src made in a runtime of its own. */
static size_t make_cache(const char *src, const char *name, uint8_t **cache) {
  vh_engine e;
  vh_scope s;
  size_t n = 0;
  assert_ok(vh_engine_new_private(NULL, NULL, &e));
  assert_ok(vh_scope_open(e, &s));
  assert_ok(vh_code_cache_create(e, src, VH_AUTO_LENGTH, name, cache, &n));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_dispose(e));
  assert_non_null(*cache);
  return n;
}

/* Made by engine A of one runtime, accepted by engine B of another, with the right result;
 * creating compiles without running. */
static void test_cache_across_runtimes(void **state) {
  (void)state;
  vh_runtime r1, r2;
  vh_engine a, b;
  vh_scope s1, s2;
  uint8_t *cache = NULL;
  size_t n = 0;
  bool accepted = false;
  char buf[256];
  assert_ok(vh_runtime_new(NULL, &r1));
  assert_ok(vh_runtime_new(NULL, &r2));
  assert_ok(vh_engine_new(r1, NULL, &a));
  assert_ok(vh_engine_new(r2, NULL, &b));
  assert_ok(vh_scope_open(a, &s1));
  assert_ok(vh_code_cache_create(a, kScript, VH_AUTO_LENGTH, "app.js", &cache, &n));
  assert_non_null(cache);
  assert_true(n > 100);
  assert_eval_string(a, "typeof runs + typeof fib", "undefinedundefined"); /* not run */
  assert_ok(vh_scope_close(s1));

  assert_ok(vh_scope_open(b, &s2));
  eval_cached(b, kScript, "app.js", cache, n, &accepted, buf, sizeof buf);
  assert_true(accepted);
  assert_string_equal(buf, kResult);
  /* The functions it defined work later, and report the script's name. */
  assert_eval_string(b, "String(fib(20)) + ' ' + runs", "6765 1");
  assert_eval_string(b, "greet('x') + ' ' + new Box(1).twice.toString()",
                     "HELLO X twice() { return this.v * 2; }");
  assert_ok(vh_scope_close(s2));
  vh_free(cache);
  assert_ok(vh_runtime_dispose(r1));
  assert_ok(vh_runtime_dispose(r2));
}

/* One cache serves many evaluations: in the same engine (each run runs the script again),
 * another engine of the same runtime, and with accepted and out NULL. */
static void test_cache_reused(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine a, b;
  vh_scope s;
  uint8_t *cache = NULL;
  size_t n = 0;
  bool accepted;
  char buf[256];
  open_runtime(NULL, &rt, &a, NULL);
  assert_ok(vh_engine_new(rt, NULL, &b));
  assert_ok(vh_scope_open(a, &s));
  assert_ok(vh_code_cache_create(a, kScript, VH_AUTO_LENGTH, "app.js", &cache, &n));
  for (int i = 1; i <= 5; i++) {
    accepted = false;
    eval_cached(a, kScript, "app.js", cache, n, &accepted, buf, sizeof buf);
    assert_true(accepted);
    assert_string_equal(buf, kResult);
    char expect[8];
    snprintf(expect, sizeof expect, "%d", i);
    assert_eval_string(a, "String(runs)", expect);
  }
  accepted = false;
  eval_cached(b, kScript, "app.js", cache, n, &accepted, buf, sizeof buf);
  assert_true(accepted);
  assert_string_equal(buf, kResult);
  assert_ok(vh_eval_with_cache(b, kScript, VH_AUTO_LENGTH, "app.js", cache, n, NULL, NULL));
  assert_eval_string(b, "String(runs)", "2");
  assert_eval_string(a, "String(runs)", "5");
  assert_ok(vh_scope_close(s));
  vh_free(cache);
  assert_ok(vh_runtime_dispose(rt));
}

/* A cache used for another source text is rejected and the text given runs: also a text of the
 * same length (V8 alone would take that cache and run the other text's code), and the same
 * text under another resource name (whose stack traces must name the new name). */
static void test_cache_other_source(void **state) {
  (void)state;
  static const char a_src[] = "(function () { return 'aaa' + 1; })()";
  static const char b_src[] = "(function () { return 'bbb' + 2; })()"; /* same length */
  static const char c_src[] = "'a much longer script than the first one, ' + (6 * 7)";
  static const char t_src[] =
      "(function f() { try { throw new Error('x'); } catch (e) { return e.stack; } })()";
  uint8_t *cache = NULL, *tcache = NULL;
  size_t n, tn;
  char buf[512];
  assert_int_equal(strlen(a_src), strlen(b_src));
  n = make_cache(a_src, "a.js", &cache);
  assert_false(eval_cached_fresh(b_src, "a.js", cache, n, buf, sizeof buf));
  assert_string_equal(buf, "bbb2");
  assert_false(eval_cached_fresh(c_src, "a.js", cache, n, buf, sizeof buf));
  assert_string_equal(buf, "a much longer script than the first one, 42");
  assert_false(eval_cached_fresh(a_src, "other.js", cache, n, buf, sizeof buf));
  assert_string_equal(buf, "aaa1");
  assert_false(eval_cached_fresh(a_src, NULL, cache, n, buf, sizeof buf));
  assert_string_equal(buf, "aaa1");
  assert_true(eval_cached_fresh(a_src, "a.js", cache, n, buf, sizeof buf));
  assert_string_equal(buf, "aaa1");

  tn = make_cache(t_src, "made.js", &tcache);
  assert_false(eval_cached_fresh(t_src, "used.js", tcache, tn, buf, sizeof buf));
  assert_non_null(strstr(buf, "at f (used.js:1:"));
  assert_null(strstr(buf, "made.js"));
  assert_true(eval_cached_fresh(t_src, "made.js", tcache, tn, buf, sizeof buf));
  assert_non_null(strstr(buf, "at f (made.js:1:"));
  /* NULL names "<anonymous>", as in vh_eval. */
  vh_free(tcache);
  tn = make_cache(t_src, NULL, &tcache);
  assert_true(eval_cached_fresh(t_src, "<anonymous>", tcache, tn, buf, sizeof buf));
  assert_non_null(strstr(buf, "at f (<anonymous>:1:"));
  vh_free(tcache);
  vh_free(cache);
}

/* Damaged caches are rejected, never crash, and the script still runs from source: bytes
 * flipped anywhere (our header, V8's header, the middle, the end), truncated, extended, zeroed,
 * random. Each is tried in a fresh runtime, whose compilation cache has not seen the script. */
static void test_cache_corrupted(void **state) {
  (void)state;
  uint8_t *cache = NULL, *bad;
  size_t n, flips[] = {0, 5, 9, 17, 25, 33, 39, 40, 44, 48, 52, 56, 60, 64, 0, 0, 0, 0};
  char buf[256];
  uint32_t seed = 12345;
  n = make_cache(kScript, "app.js", &cache);
  assert_true(n > 64);
  bad = malloc(n + 16);
  assert_non_null(bad);
  flips[14] = n / 2;
  flips[15] = n / 2 + 1;
  flips[16] = n - 2;
  flips[17] = n - 1;
  for (size_t i = 0; i < sizeof flips / sizeof flips[0]; i++) {
    memcpy(bad, cache, n);
    bad[flips[i]] ^= 0x40;
    assert_false(eval_cached_fresh(kScript, "app.js", bad, n, buf, sizeof buf));
    assert_string_equal(buf, kResult);
  }
  /* 16 bytes flipped in the middle. */
  memcpy(bad, cache, n);
  for (size_t i = n / 2 - 8; i < n / 2 + 8; i++) bad[i] = (uint8_t)~bad[i];
  assert_false(eval_cached_fresh(kScript, "app.js", bad, n, buf, sizeof buf));
  assert_string_equal(buf, kResult);
  /* Truncated to various lengths, and extended by a byte. */
  size_t lengths[] = {n - 1, n - 8, n / 2, 64, 41, 40, 39, 8, 1, n + 1, n + 16};
  memcpy(bad, cache, n);
  memset(bad + n, 0, 16);
  for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
    assert_false(eval_cached_fresh(kScript, "app.js", bad, lengths[i], buf, sizeof buf));
    assert_string_equal(buf, kResult);
  }
  /* All zero; random; our header kept but V8's part random. */
  memset(bad, 0, n);
  assert_false(eval_cached_fresh(kScript, "app.js", bad, n, buf, sizeof buf));
  assert_string_equal(buf, kResult);
  for (int round = 0; round < 2; round++) {
    for (size_t i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      bad[i] = (uint8_t)(seed >> 16);
    }
    if (round == 1) memcpy(bad, cache, 40);
    assert_false(eval_cached_fresh(kScript, "app.js", bad, n, buf, sizeof buf));
    assert_string_equal(buf, kResult);
  }
  /* The intact cache still works. */
  assert_true(eval_cached_fresh(kScript, "app.js", cache, n, buf, sizeof buf));
  assert_string_equal(buf, kResult);
  free(bad);
  vh_free(cache);
}

/* White box: the cache is a 40-byte header (magic, format, payload length, source length, key
 * over source and name, xxHash64 of the payload) and V8's bytes. To reach V8's own checks, the
 * payload is altered and the header's payload hash recomputed, as a cache of another V8 build
 * would look. xxHash64 as in src/code_cache.cc. */
static uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
static uint64_t xxh_round(uint64_t acc, uint64_t in) {
  return rotl64(acc + in * 0xC2B2AE3D27D4EB4FULL, 31) * 0x9E3779B185EBCA87ULL;
}
static uint64_t xxh64(const uint8_t *p, size_t len, uint64_t seed) {
  const uint64_t P1 = 0x9E3779B185EBCA87ULL, P2 = 0xC2B2AE3D27D4EB4FULL,
                 P3 = 0x165667B19E3779F9ULL, P4 = 0x85EBCA77C2B2AE63ULL,
                 P5 = 0x27D4EB2F165667C5ULL;
  const uint8_t *end = p + len;
  uint64_t h, w;
  uint32_t w32;
  if (len >= 32) {
    uint64_t v[4] = {seed + P1 + P2, seed + P2, seed, seed - P1};
    for (; p + 32 <= end; p += 32)
      for (int i = 0; i < 4; i++) {
        memcpy(&w, p + 8 * i, 8);
        v[i] = xxh_round(v[i], w);
      }
    h = rotl64(v[0], 1) + rotl64(v[1], 7) + rotl64(v[2], 12) + rotl64(v[3], 18);
    for (int i = 0; i < 4; i++) h = (h ^ xxh_round(0, v[i])) * P1 + P4;
  } else {
    h = seed + P5;
  }
  h += len;
  for (; p + 8 <= end; p += 8) {
    memcpy(&w, p, 8);
    h = rotl64(h ^ xxh_round(0, w), 27) * P1 + P4;
  }
  if (p + 4 <= end) {
    memcpy(&w32, p, 4);
    h = rotl64(h ^ (uint64_t)w32 * P1, 23) * P2 + P3;
    p += 4;
  }
  for (; p < end; p++) h = rotl64(h ^ *p * P5, 11) * P1;
  h = (h ^ (h >> 33)) * P2;
  h = (h ^ (h >> 29)) * P3;
  return h ^ (h >> 32);
}

static void test_cache_rejected_by_v8(void **state) {
  (void)state;
  uint8_t *cache = NULL, *bad;
  size_t n = make_cache(kScript, "app.js", &cache);
  uint64_t hash;
  char buf[256];
  /* The header's payload hash is right: unchanged, the cache is accepted. */
  memcpy(&hash, cache + 32, 8);
  assert_true(hash == xxh64(cache + 40, n - 40, 0));
  bad = malloc(n);
  assert_non_null(bad);
  /* V8's header: magic number, version hash, source hash (the length), flags hash: each
   * altered, each rejected by V8 and compiled from source. (Not the payload: that V8 catches
   * only when its checksum flag is on.) */
  size_t offsets[] = {40, 44, 48, 52};
  for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++) {
    memcpy(bad, cache, n);
    bad[offsets[i]] ^= 0x01;
    hash = xxh64(bad + 40, n - 40, 0);
    memcpy(bad + 32, &hash, 8);
    assert_false(eval_cached_fresh(kScript, "app.js", bad, n, buf, sizeof buf));
    assert_string_equal(buf, kResult);
  }
  free(bad);
  vh_free(cache);
}

/* The child side of test_cache_later_process: evaluates a script (argv "same": kScript, else
 * another) with the cache read from a file, printing accepted=... result=... */
static int child_main(const char *path, const char *which) {
  FILE *f = fopen(path, "rb");
  uint8_t *cache;
  long n;
  vh_engine e;
  vh_scope s;
  vh_value v;
  bool accepted = false;
  char buf[256];
  const char *src = strcmp(which, "same") == 0 ? kScript : "'other ' + (1 + 1)";
  if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0) return 2;
  rewind(f);
  cache = malloc((size_t)n);
  if (!cache || fread(cache, 1, (size_t)n, f) != (size_t)n) return 3;
  fclose(f);
  if (vh_engine_new_private(NULL, NULL, &e) != VH_OK || vh_scope_open(e, &s) != VH_OK) return 4;
  if (vh_eval_with_cache(e, src, VH_AUTO_LENGTH, "app.js", cache, (size_t)n, &accepted, &v) !=
          VH_OK ||
      vh_value_string_utf8(v, buf, sizeof buf, NULL) != VH_OK)
    return 5;
  printf("accepted=%d result=%s\n", accepted ? 1 : 0, buf);
  vh_scope_close(s);
  vh_engine_dispose(e);
  free(cache);
  return 0;
}

/* Runs this test binary as a child on the cache file; returns its output. */
static void run_child(const char *path, const char *which, char *out, size_t size) {
  int fds[2], status = -1;
  size_t got = 0;
  ssize_t r;
  pid_t pid;
  assert_int_equal(pipe(fds), 0);
  fflush(NULL);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execl("/proc/self/exe", "test_code_cache", "--eval-cache-file", path, which, (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  while (got + 1 < size && (r = read(fds[0], out + got, size - 1 - got)) > 0) got += (size_t)r;
  out[got] = 0;
  close(fds[0]);
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);
}

/* A cache written to a file is accepted by a later process (a fresh V8 in another process). */
static void test_cache_later_process(void **state) {
  (void)state;
  char path[] = "/tmp/vh_code_cache_XXXXXX";
  char out[512], expect[300];
  uint8_t *cache = NULL;
  size_t n = make_cache(kScript, "app.js", &cache);
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, cache, n), (ssize_t)n);
  assert_int_equal(close(fd), 0);
  vh_free(cache);
  run_child(path, "same", out, sizeof out);
  snprintf(expect, sizeof expect, "accepted=1 result=%s\n", kResult);
  assert_string_equal(out, expect);
  run_child(path, "other", out, sizeof out);
  assert_string_equal(out, "accepted=0 result=other 2\n");
  unlink(path);
}

/* A SyntaxError while creating is VH_EEXCEPTION with the error pending (outputs untouched);
 * while it is pending both calls are refused; a throwing script is VH_EEXCEPTION too. */
static void test_cache_exceptions(void **state) {
  (void)state;
  vh_engine e;
  vh_scope s;
  vh_exception x;
  vh_value v;
  uint8_t *cache = (uint8_t *)&x, *good = NULL;
  size_t n = 777, gn = 0;
  bool accepted = true, is_pending = false;
  assert_ok(vh_engine_new_private(NULL, NULL, &e));
  assert_ok(vh_scope_open(e, &s));
  assert_status(VH_EEXCEPTION,
                vh_code_cache_create(e, "var a = 1;\nvar b = ;\n", VH_AUTO_LENGTH, "bad.js", &cache, &n));
  assert_ptr_equal(cache, (uint8_t *)&x);
  assert_int_equal(n, 777);
  assert_ok(vh_exception_pending(e, &is_pending));
  assert_true(is_pending);
  assert_status(VH_EPENDING_EXCEPTION,
                vh_code_cache_create(e, "1", VH_AUTO_LENGTH, NULL, &cache, &n));
  assert_status(VH_EPENDING_EXCEPTION,
                vh_eval_with_cache(e, "1", VH_AUTO_LENGTH, NULL, NULL, 0, &accepted, &v));
  assert_ok(vh_exception_take(e, &x));
  assert_int_equal(strncmp(x.message, "Uncaught SyntaxError: ", 22), 0);
  assert_string_equal(x.resource_name, "bad.js");
  assert_int_equal(x.line, 2);
  vh_exception_free(&x);

  /* The script throws: VH_EEXCEPTION, accepted untouched; the error is the script's. */
  assert_ok(vh_code_cache_create(e, "throw new TypeError('boom')", VH_AUTO_LENGTH, "t.js", &good, &gn));
  assert_status(VH_EEXCEPTION, vh_eval_with_cache(e, "throw new TypeError('boom')",
                                                  VH_AUTO_LENGTH, "t.js", good, gn, &accepted, &v));
  assert_true(accepted);
  assert_ok(vh_exception_take(e, &x));
  assert_string_equal(x.message, "Uncaught TypeError: boom");
  assert_string_equal(x.resource_name, "t.js");
  vh_exception_free(&x);
  /* A syntax error in a text used with another text's cache. */
  assert_status(VH_EEXCEPTION,
                vh_eval_with_cache(e, "var = 1", VH_AUTO_LENGTH, "t.js", good, gn, &accepted, &v));
  assert_ok(vh_exception_take(e, &x));
  assert_int_equal(strncmp(x.message, "Uncaught SyntaxError: ", 22), 0);
  vh_exception_free(&x);
  vh_free(good);
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_dispose(e));
}

/* NULL arguments, empty and stale handles, no scope: refused with outputs untouched. */
static void test_cache_arguments(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e, gone;
  vh_scope s;
  vh_value v = {0};
  uint8_t *cache = NULL, *good = NULL;
  size_t n = 5, gn = 0;
  bool accepted = true;
  open_runtime(NULL, &rt, &e, NULL);
  assert_ok(vh_engine_new(rt, NULL, &gone));
  assert_ok(vh_engine_dispose(gone));
  assert_status(VH_ENOSCOPE, vh_code_cache_create(e, "1", VH_AUTO_LENGTH, NULL, &cache, &n));
  assert_status(VH_ENOSCOPE, vh_eval_with_cache(e, "1", VH_AUTO_LENGTH, NULL, NULL, 0, &accepted, &v));
  assert_ok(vh_scope_open(e, &s));
  assert_status(VH_EINVAL, vh_code_cache_create(e, NULL, VH_AUTO_LENGTH, NULL, &cache, &n));
  assert_status(VH_EINVAL, vh_code_cache_create(e, "1", VH_AUTO_LENGTH, NULL, NULL, &n));
  assert_status(VH_EINVAL, vh_code_cache_create(e, "1", VH_AUTO_LENGTH, NULL, &cache, NULL));
  assert_status(VH_EINVAL, vh_code_cache_create((vh_engine){0}, "1", VH_AUTO_LENGTH, NULL, &cache, &n));
  assert_status(VH_EDISPOSED, vh_code_cache_create(gone, "1", VH_AUTO_LENGTH, NULL, &cache, &n));
  assert_null(cache);
  assert_int_equal(n, 5);
  assert_ok(vh_code_cache_create(e, "6 * 7", VH_AUTO_LENGTH, NULL, &good, &gn));
  assert_status(VH_EINVAL, vh_eval_with_cache(e, NULL, VH_AUTO_LENGTH, NULL, good, gn, &accepted, &v));
  /* No bytes but a length: refused like a NULL string with a length elsewhere. */
  assert_status(VH_EINVAL, vh_eval_with_cache(e, "6 * 7", VH_AUTO_LENGTH, NULL, NULL, gn, &accepted, &v));
  assert_status(VH_EINVAL, vh_eval_with_cache((vh_engine){0}, "6 * 7", VH_AUTO_LENGTH, NULL, good, gn, &accepted, &v));
  assert_status(VH_EDISPOSED, vh_eval_with_cache(gone, "6 * 7", VH_AUTO_LENGTH, NULL, good, gn, &accepted, &v));
  assert_true(accepted);
  assert_int_equal(v.serial_, 0);
  vh_free(good);
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(rt));
}

/* A NULL cache is plain vh_eval (accepted false); cache_length 0 with bytes is an empty cache:
 * rejected, compiled from source. */
static void test_cache_empty(void **state) {
  (void)state;
  vh_engine e;
  vh_scope s;
  vh_value v;
  uint8_t byte = 0;
  bool accepted = true;
  int32_t got = 0;
  assert_ok(vh_engine_new_private(NULL, NULL, &e));
  assert_ok(vh_scope_open(e, &s));
  assert_ok(vh_eval_with_cache(e, "6 * 7", VH_AUTO_LENGTH, NULL, NULL, 0, &accepted, &v));
  assert_false(accepted);
  assert_ok(vh_value_int32(v, &got));
  assert_int_equal(got, 42);
  accepted = true;
  assert_ok(vh_eval_with_cache(e, "6 * 8", VH_AUTO_LENGTH, NULL, &byte, 0, &accepted, &v));
  assert_false(accepted);
  assert_ok(vh_value_int32(v, &got));
  assert_int_equal(got, 48);
  assert_ok(vh_eval_with_cache(e, "6 * 9", VH_AUTO_LENGTH, NULL, &byte, 0, NULL, NULL));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_dispose(e));
}

/* V8 makes no cache for a script with an asm.js module: an empty cache (length 0, freeable),
 * which vh_eval_with_cache takes as rejected. */
static void test_cache_uncacheable(void **state) {
  (void)state;
  static const char asm_src[] =
      "function M() { 'use asm'; function f() { return 7; } return { f: f }; }\n"
      "String(M().f())";
  uint8_t *cache = NULL;
  size_t n = 99;
  char buf[64];
  vh_engine e;
  vh_scope s;
  assert_ok(vh_engine_new_private(NULL, NULL, &e));
  assert_ok(vh_scope_open(e, &s));
  assert_ok(vh_code_cache_create(e, asm_src, VH_AUTO_LENGTH, "asm.js", &cache, &n));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_dispose(e));
  assert_non_null(cache);
  assert_int_equal(n, 0);
  assert_false(eval_cached_fresh(asm_src, "asm.js", cache, n, buf, sizeof buf));
  assert_string_equal(buf, "7");
  vh_free(cache);
}

/* Explicit lengths: the cache belongs to the bytes given, so an explicit length and
 * VH_AUTO_LENGTH over the same bytes match; embedded NULs are part of the text. */
static void test_cache_explicit_length(void **state) {
  (void)state;
  static const char text[] = "'x\0y'.length + 40;garbage";
  vh_engine e;
  vh_scope s;
  vh_value v;
  uint8_t *cache = NULL;
  size_t n = 0;
  bool accepted = false;
  int32_t got = 0;
  size_t len = strlen("'x\\0y'.length + 40;") - 1; /* the escape is one byte in text */
  assert_ok(vh_engine_new_private(NULL, NULL, &e));
  assert_ok(vh_scope_open(e, &s));
  assert_ok(vh_code_cache_create(e, text, len, "len.js", &cache, &n));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_dispose(e));

  assert_ok(vh_engine_new_private(NULL, NULL, &e));
  assert_ok(vh_scope_open(e, &s));
  assert_ok(vh_eval_with_cache(e, text, len, "len.js", cache, n, &accepted, &v));
  assert_true(accepted);
  assert_ok(vh_value_int32(v, &got));
  assert_int_equal(got, 43);
  /* Up to the embedded NUL only, it is another (broken) text: rejected, then a SyntaxError. */
  assert_status(VH_EEXCEPTION, vh_eval_with_cache(e, text, VH_AUTO_LENGTH, "len.js", cache, n,
                                                  &accepted, &v));
  assert_ok(vh_exception_discard(e));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_dispose(e));
  vh_free(cache);
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "--eval-cache-file") == 0) return child_main(argv[2], argv[3]);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cache_across_runtimes),
      cmocka_unit_test(test_cache_reused),
      cmocka_unit_test(test_cache_other_source),
      cmocka_unit_test(test_cache_corrupted),
      cmocka_unit_test(test_cache_rejected_by_v8),
      cmocka_unit_test(test_cache_later_process),
      cmocka_unit_test(test_cache_exceptions),
      cmocka_unit_test(test_cache_arguments),
      cmocka_unit_test(test_cache_empty),
      cmocka_unit_test(test_cache_uncacheable),
      cmocka_unit_test(test_cache_explicit_length),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
