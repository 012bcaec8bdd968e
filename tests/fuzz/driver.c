/* A plain main() for the fuzz target, so that it builds and runs with any compiler (the ctest
 * fuzz_smoke test) and without libFuzzer:
 *
 *   fuzz_smoke [-t seconds] [-s seed] [-n runs] [-w file] [file-or-dir ...]
 *
 * First runs the target once on each file given (a directory: on each file in it), then on
 * generated inputs until the time (-t, default 10 s) or the count (-n) runs out. Generated input
 * number i comes from a deterministic PRNG seeded with seed + i (-s, default 1), so a failing run
 * is reproduced with `-s <its seed> -n 1`, and `-w file` writes that input to a file (for the
 * libFuzzer build, or VH_FUZZ_TRACE=1 to decode it). The seed of the run in progress is printed
 * if the process dies.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, getopt, dirent, under -std=c99 too */

#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The sanitizers call this before they end the process (a weak reference: absent otherwise). */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static char g_current[512] = "(none)";

static void say_current(void) {
  static const char head[] = "\nfuzz_smoke: died during ";
  ssize_t w = write(2, head, sizeof head - 1);
  w = write(2, g_current, strlen(g_current));
  w = write(2, "\n", 1);
  (void)w;
}

static void on_signal(int sig) {
  say_current();
  signal(sig, SIG_DFL);
  raise(sig);
}

/* splitmix64: small, deterministic, good enough. */
static uint64_t next(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* An input of 1..1024 bytes; most bytes are small numbers (the interpreter's operands are mostly
 * "which slot"), some are anything. */
static size_t generate(uint64_t seed, uint8_t *buf, size_t cap) {
  uint64_t s = seed;
  size_t len = 1 + next(&s) % (cap < 1024 ? cap : 1024);
  for (size_t i = 0; i < len; ++i) {
    uint64_t r = next(&s);
    buf[i] = (r & 3) ? (uint8_t)((r >> 8) % 48) : (uint8_t)(r >> 8);
  }
  return len;
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return -1;
  }
  uint8_t *data = NULL;
  size_t size = 0, cap = 0, got;
  uint8_t chunk[4096];
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (size + got > cap) {
      cap = (size + got) * 2;
      uint8_t *grown = realloc(data, cap);
      if (!grown) {
        free(data);
        fclose(f);
        return -1;
      }
      data = grown;
    }
    memcpy(data + size, chunk, got);
    size += got;
  }
  fclose(f);
  snprintf(g_current, sizeof g_current, "file %s", path);
  LLVMFuzzerTestOneInput(data ? data : (const uint8_t *)"", size);
  free(data);
  return 0;
}

static int run_path(const char *path, long *files) {
  struct stat st;
  if (stat(path, &st) != 0) {
    perror(path);
    return -1;
  }
  if (!S_ISDIR(st.st_mode)) {
    ++*files;
    return run_file(path);
  }
  DIR *d = opendir(path);
  if (!d) {
    perror(path);
    return -1;
  }
  struct dirent *ent;
  int rc = 0;
  while ((ent = readdir(d)) != NULL) {
    if (ent->d_name[0] == '.') continue;
    char child[4096];
    snprintf(child, sizeof child, "%s/%s", path, ent->d_name);
    if (run_path(child, files) != 0) rc = -1;
  }
  closedir(d);
  return rc;
}

int main(int argc, char **argv) {
  double seconds = 10;
  uint64_t seed = 1;
  long runs = -1;
  const char *write_to = NULL;
  int opt;
  while ((opt = getopt(argc, argv, "t:s:n:w:")) != -1) {
    switch (opt) {
      case 't': seconds = atof(optarg); break;
      case 's': seed = strtoull(optarg, NULL, 0); break;
      case 'n': runs = atol(optarg); break;
      case 'w': write_to = optarg; break;
      default:
        fprintf(stderr, "usage: %s [-t seconds] [-s seed] [-n runs] [-w file] [file-or-dir ...]\n", argv[0]);
        return 2;
    }
  }
  if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(say_current);
  signal(SIGABRT, on_signal);
  signal(SIGSEGV, on_signal);
  signal(SIGBUS, on_signal);
  signal(SIGFPE, on_signal);
  signal(SIGILL, on_signal);
  signal(SIGTRAP, on_signal); /* V8's fatal errors */

  static uint8_t buf[1024];
  if (write_to) {
    size_t len = generate(seed, buf, sizeof buf);
    FILE *f = fopen(write_to, "wb");
    if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
      perror(write_to);
      return 1;
    }
    printf("wrote the input of seed %llu (%zu bytes) to %s\n", (unsigned long long)seed, len, write_to);
    return 0;
  }

  double start = now_s();
  long files = 0;
  for (int i = optind; i < argc; ++i)
    if (run_path(argv[i], &files) != 0) return 1;

  long done = 0;
  while ((runs < 0 || done < runs) && (runs >= 0 || now_s() - start < seconds)) {
    uint64_t s = seed + (uint64_t)done;
    size_t len = generate(s, buf, sizeof buf);
    snprintf(g_current, sizeof g_current, "generated input, seed %llu (rerun: -s %llu -n 1)",
             (unsigned long long)s, (unsigned long long)s);
    LLVMFuzzerTestOneInput(buf, len);
    ++done;
  }
  printf("fuzz_smoke: %ld corpus files and %ld generated inputs (seeds %llu..%llu) in %.1f s\n", files,
         done, (unsigned long long)seed, (unsigned long long)(seed + (uint64_t)done - (done > 0)),
         now_s() - start);
  return 0;
}
