/* --snapshot-blob FILE [--build-snapshot SCRIPT]: writing a startup snapshot of a setup script,
 * and starting the shell's runtime from one (docs/snapshots.md). */
#include <stdio.h>
#include <stdlib.h>

#include "shell.h"

/* The shell's exit statuses (shell.c). */
enum { STATUS_OK = 0, STATUS_UNCAUGHT = 1, STATUS_USAGE = 2 };

int shell_snapshot_build(const char *blob_path, const char *script_path) {
  size_t length;
  char *source = shell_read_file(script_path, &length);
  if (!source) {
    fprintf(stderr, "v8host-shell: cannot read %s\n", script_path);
    return STATUS_USAGE;
  }
  vh_runtime builder;
  vh_engine engine;
  vh_scope scope;
  void *blob = NULL;
  size_t blob_length = 0;
  int status = STATUS_OK;
  int rc = vh_snapshot_runtime_new(NULL, &builder);
  if (rc == VH_OK) rc = vh_engine_new(builder, NULL, &engine);
  if (rc == VH_OK && (rc = vh_scope_open(engine, &scope)) == VH_OK) {
    rc = vh_eval(engine, source, length, script_path, NULL);
    if (rc == VH_EEXCEPTION) {
      vh_exception ex;
      if (vh_exception_take(engine, &ex) == VH_OK) {
        fprintf(stderr, "%s:%d: %s\n", script_path, ex.line, ex.message);
        vh_exception_free(&ex);
      }
      status = STATUS_UNCAUGHT;
    }
    vh_scope_close(scope);
  }
  if (rc == VH_OK) rc = vh_snapshot_create(builder, engine, &blob, &blob_length);
  free(source);
  if (rc != VH_OK) {
    if (status == STATUS_OK) {
      fprintf(stderr, "v8host-shell: cannot build the snapshot: %s\n", vh_err_name(rc));
      status = STATUS_UNCAUGHT;
    }
    vh_runtime_dispose(builder);  /* VH_EDISPOSED when vh_snapshot_create got that far */
    return status;
  }
  FILE *f = fopen(blob_path, "wb");
  if (!f || fwrite(blob, 1, blob_length, f) != blob_length || fclose(f) != 0) {
    fprintf(stderr, "v8host-shell: cannot write %s\n", blob_path);
    status = STATUS_UNCAUGHT;
  }
  vh_free(blob);
  return status;
}

int shell_snapshot_runtime(const char *blob_path, vh_runtime *out) {
  size_t length;
  char *blob = shell_read_file(blob_path, &length);
  if (!blob) {
    fprintf(stderr, "v8host-shell: cannot read %s\n", blob_path);
    return VH_EINVAL;
  }
  int rc = vh_runtime_new_from_snapshot(NULL, blob, length, out);
  if (rc == VH_EBADDATA)
    fprintf(stderr, "v8host-shell: %s is not a snapshot of this build: rebuild it with --build-snapshot\n",
            blob_path);
  free(blob);
  return rc;
}
