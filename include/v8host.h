/**
 * @file v8host.h
 * @brief v8host: host JavaScript on V8 from C. The one header to include.
 *
 * The model in five words: runtime, engine, scope, value, reference.
 * - A **runtime** (::vh_runtime) is a V8 isolate: one heap and one lock.
 * - An **engine** (::vh_engine) is a V8 context (a realm) inside a runtime.
 * - A **scope** (::vh_scope) bounds the lifetime of values and holds the runtime's lock.
 * - A **value** (::vh_value) is a checked handle, never a raw pointer.
 * - A **reference** (::vh_ref) keeps a value past its scope.
 *
 * Every fallible call returns ::VH_OK or a negative code (v8host/errors.h) and fills its
 * out-parameters only on success. Misuse is reported, never a crash.
 *
 * @code
 *   vh_engine e; vh_scope s; vh_value v; int32_t n;
 *   vh_engine_new_private(NULL, NULL, &e);
 *   vh_scope_open(e, &s);
 *   if (vh_eval(e, "6 * 7", VH_AUTO_LENGTH, "answer.js", &v) == VH_OK &&
 *       vh_value_int32(v, &n) == VH_OK)
 *     printf("%d\n", n);
 *   vh_scope_close(s);
 *   vh_engine_dispose(e);
 * @endcode
 */
#ifndef V8HOST_H
#define V8HOST_H

#include "v8host/version.h"
#include "v8host/errors.h"
#include "v8host/types.h"
#include "v8host/runtime.h"
#include "v8host/scope.h"
#include "v8host/value.h"
#include "v8host/object.h"
#include "v8host/exception.h"
#include "v8host/ref.h"
#include "v8host/function.h"
#include "v8host/class.h"
#include "v8host/promise.h"
#include "v8host/marshal.h"
#include "v8host/buffer.h"
#include "v8host/copy.h"
#include "v8host/diagnostics.h"
#include "v8host/module.h"
#include "v8host/code_cache.h"
#include "v8host/loop.h"
#include "v8host/inspector.h"
#include "v8host/snapshot.h"
#include "v8host/pool.h"

#endif
