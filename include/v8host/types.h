/**
 * @file v8host/types.h
 * @brief The handle types of v8host. All are small structs passed by value.
 *
 * No handle is a pointer. A runtime, engine or reference handle names a table entry with a
 * generation, so a handle kept after its object was disposed is recognised (::VH_EDISPOSED)
 * instead of touching freed memory or aliasing a newer object. A value or scope handle names a
 * slot of the thread that made it, with a serial number that no later value of that slot
 * carries, so a value used after its scope closed gives ::VH_ESCOPE_CLOSED and one used on
 * another thread gives ::VH_EWRONG_THREAD. A zero-initialised handle is the empty handle: calls reject it with
 * ::VH_EINVAL, except where a parameter documents the empty handle as meaning "none" (the
 * receiver of vh_call(), the parent of a class). The fields are private; do not read or change
 * them.
 */
#ifndef V8HOST_TYPES_H
#define V8HOST_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** A runtime: one V8 isolate (heap, garbage collector, lock). Made by vh_runtime_new(). */
typedef struct vh_runtime {
  uint64_t id_;
} vh_runtime;

/** An engine: one V8 context (global object, realm) inside a runtime. Made by vh_engine_new(). */
typedef struct vh_engine {
  uint64_t id_;
} vh_engine;

/** A scope: the lifetime of the values made while it is the innermost open scope. */
typedef struct vh_scope {
  uint64_t serial_;
  uint32_t thread_;
  uint32_t depth_;
} vh_scope;

/** A JavaScript value, valid on its thread until its scope closes. */
typedef struct vh_value {
  uint64_t serial_;
  uint32_t thread_;
  uint32_t slot_;
} vh_value;

/** A reference: keeps a value past its scope, strong while its count is above zero. */
typedef struct vh_ref {
  uint64_t id_;
} vh_ref;

/** Passed as a length, means "the string is NUL-terminated; measure it". */
#define VH_AUTO_LENGTH ((size_t)-1)

#endif
