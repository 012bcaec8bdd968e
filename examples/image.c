/* image.c — the host fills a pixel buffer in place and a script processes it, with no copy.
 *
 * What it shows:
 *   - vh_new_array_buffer(): V8 allocates the buffer (zero-filled) and hands the host its bytes;
 *     this works on every V8 build, sandboxed ones included;
 *   - the host writes an RGBA gradient straight into those bytes, script turns it into grey
 *     levels through a Uint8ClampedArray over the same memory, and the host reads the result
 *     back through the same pointer;
 *   - vh_array_buffer_data(): the bytes of a buffer script made (a 16-bin histogram), read in
 *     place;
 *   - vh_new_external_array_buffer(): a buffer over memory the host allocated, freed by the
 *     host's callback once V8 is done with it (at the latest when the runtime is disposed).
 *
 * Build against an installed v8host:
 *   cc -Wall -Wextra image.c $(pkg-config --cflags --libs v8host) -o image */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <v8host.h>

#define CHECK(call)                                                                        \
  do {                                                                                     \
    int rc_ = (call);                                                                      \
    if (rc_ != VH_OK) {                                                                    \
      fprintf(stderr, "%s:%d: %s -> %s\n", __FILE__, __LINE__, #call, vh_err_name(rc_));   \
      return 1;                                                                            \
    }                                                                                      \
  } while (0)

enum { WIDTH = 64, HEIGHT = 48 };

static const char kScript[] =
    "function grey(buffer, width, height) {\n"
    "  const px = new Uint8ClampedArray(buffer);\n"
    "  for (let i = 0; i < width * height * 4; i += 4) {\n"
    "    const y = 0.299 * px[i] + 0.587 * px[i + 1] + 0.114 * px[i + 2];\n"
    "    px[i] = px[i + 1] = px[i + 2] = y;   // alpha stays\n"
    "  }\n"
    "}\n"
    "function histogram(buffer) {\n"
    "  const px = new Uint8Array(buffer), bins = new Uint32Array(16);\n"
    "  for (let i = 0; i < px.length; i += 4) bins[px[i] >> 4]++;\n"
    "  return bins;\n"
    "}\n";

static void free_pixels(void *data, size_t length, void *user) {
  (void)length;
  *(int *)user += 1;
  free(data);
}

int main(void) {
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  vh_value global, grey, histogram, buffer, args[3], result;
  void *data;
  int frees = 0;

  CHECK(vh_runtime_new(NULL, &rt));
  CHECK(vh_engine_new(rt, NULL, &e));
  CHECK(vh_scope_open(e, &s));
  CHECK(vh_eval(e, kScript, VH_AUTO_LENGTH, "image.js", &result));
  CHECK(vh_engine_global(e, &global));
  CHECK(vh_get(e, global, "grey", &grey));
  CHECK(vh_get(e, global, "histogram", &histogram));

  /* 1. V8 allocates, the host fills: a red-to-blue gradient, opaque. */
  CHECK(vh_new_array_buffer(e, WIDTH * HEIGHT * 4, &data, &buffer));
  uint8_t *px = data;
  for (int y = 0; y < HEIGHT; y++)
    for (int x = 0; x < WIDTH; x++) {
      uint8_t *p = px + (y * WIDTH + x) * 4;
      p[0] = (uint8_t)(255 - x * 4);
      p[1] = (uint8_t)(y * 5);
      p[2] = (uint8_t)(x * 4);
      p[3] = 255;
    }
  args[0] = buffer;
  CHECK(vh_new_int32(e, WIDTH, &args[1]));
  CHECK(vh_new_int32(e, HEIGHT, &args[2]));
  CHECK(vh_call(e, grey, (vh_value){0}, 3, args, &result));
  /* The script wrote into the same memory: no copy either way. */
  printf("pixel (0,0): %u %u %u %u\n", px[0], px[1], px[2], px[3]);
  printf("pixel (63,47): %u %u %u %u\n", px[(47 * WIDTH + 63) * 4], px[(47 * WIDTH + 63) * 4 + 1],
         px[(47 * WIDTH + 63) * 4 + 2], px[(47 * WIDTH + 63) * 4 + 3]);

  /* 2. A buffer script made, read in place. */
  vh_value bins;
  CHECK(vh_call(e, histogram, (vh_value){0}, 1, &buffer, &bins));
  size_t length;
  CHECK(vh_array_buffer_data(bins, &data, &length));
  const uint32_t *counts = data;
  printf("histogram:");
  for (size_t i = 0; i < length / sizeof *counts; i++) printf(" %u", counts[i]);
  printf("\n");

  /* 3. Memory the host allocated, handed over with its free callback. */
  uint8_t *mine = calloc(WIDTH * HEIGHT, 4);
  if (!mine) return 1;
  vh_value external;
  int rc = vh_new_external_array_buffer(e, mine, WIDTH * HEIGHT * 4, free_pixels, &frees, &external);
  if (rc == VH_ENOTSUP) {
    free(mine);  /* a sandboxed V8: only V8's own memory can back a buffer */
    printf("external buffers: not on this V8\n");
  } else {
    CHECK(rc);
    args[0] = external;
    CHECK(vh_call(e, grey, (vh_value){0}, 3, args, &result));
    printf("external buffer: same memory: %s\n",
           vh_array_buffer_data(external, &data, NULL) == VH_OK && data == mine ? "yes" : "no");
  }

  CHECK(vh_scope_close(s));
  CHECK(vh_runtime_dispose(rt));
  printf("free callback ran %d time(s)\n", frees);
  return 0;
}
