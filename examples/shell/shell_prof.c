/* shell_prof.c — --cpu-prof FILE and --heap-snapshot FILE: a CPU profile of everything the shell
 * runs (written as .cpuprofile JSON when it ends) and a heap snapshot taken at the end (written
 * as .heapsnapshot JSON), through vh_runtime_cpu_profile_* and vh_runtime_heap_snapshot. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "shell.h"

static const char *cpu_prof_path;
static const char *heap_snapshot_path;

int shell_prof_option(int argc, char **argv, int *i) {
  const char **target;
  if (strcmp(argv[*i], "--cpu-prof") == 0)
    target = &cpu_prof_path;
  else if (strcmp(argv[*i], "--heap-snapshot") == 0)
    target = &heap_snapshot_path;
  else
    return 0;
  if (*i + 1 >= argc) return -1;
  *target = argv[++*i];
  return 1;
}

int shell_prof_start(vh_runtime runtime) {
  return cpu_prof_path ? vh_runtime_cpu_profile_start(runtime, 0) : VH_OK;
}

static int to_file(const char *data, size_t length, void *user) {
  return fwrite(data, 1, length, (FILE *)user) == length ? VH_OK : VH_ENOMEM;
}

/* Writes one output to path; false (reported) when it fails. */
static bool write_output(const char *path, int (*produce)(vh_runtime, vh_write_cb, void *), vh_runtime runtime) {
  FILE *f = fopen(path, "wb");
  if (!f) {
    fprintf(stderr, "v8host-shell: cannot write %s: %s\n", path, strerror(errno));
    return false;
  }
  int rc = produce(runtime, to_file, f);
  if (fclose(f) != 0 && rc == VH_OK) rc = VH_ENOMEM;
  if (rc != VH_OK) fprintf(stderr, "v8host-shell: writing %s: %s\n", path, vh_err_name(rc));
  return rc == VH_OK;
}

bool shell_prof_finish(vh_runtime runtime) {
  bool ok = true;
  if (cpu_prof_path) ok = write_output(cpu_prof_path, vh_runtime_cpu_profile_stop, runtime) && ok;
  if (heap_snapshot_path) ok = write_output(heap_snapshot_path, vh_runtime_heap_snapshot, runtime) && ok;
  return ok;
}
