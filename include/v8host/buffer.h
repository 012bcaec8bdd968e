/**
 * @file v8host/buffer.h
 * @brief Memory the host touches directly: the bytes of ArrayBuffers, SharedArrayBuffers and
 *        their views, buffers over host memory, and strings over host memory.
 *
 * The usual way to move bytes into script is to let V8 allocate a buffer and fill it in place:
 * vh_new_array_buffer() / vh_new_shared_array_buffer() return the new buffer's data pointer.
 * That works on every V8 build. Handing V8 memory the host allocated itself
 * (vh_new_external_array_buffer() and friends) is refused by V8 builds with the V8 sandbox, where
 * all buffer memory must lie inside the sandbox: those calls return ::VH_ENOTSUP there.
 *
 * Every call here that takes an engine needs its runtime's lock held by the calling thread (a
 * scope open) and puts its result in the innermost scope; calls that take only a value need the
 * value's thread. The common engine and value codes (::VH_EINVAL for an empty handle,
 * ::VH_EDISPOSED, ::VH_ENOSCOPE, ::VH_EWRONG_THREAD, ::VH_ESCOPE_CLOSED) are not repeated below.
 * See docs/buffers.md.
 */
#ifndef V8HOST_BUFFER_H
#define V8HOST_BUFFER_H

#include "v8host/api.h"
#include "v8host/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Releases host memory V8 no longer uses: the free callback of vh_new_external_array_buffer(),
 * vh_new_external_shared_array_buffer(), vh_new_external_string_latin1() and
 * vh_new_external_string_utf16(). It runs exactly once per successful call. It must not call
 * v8host (it may run inside V8's garbage collector or on one of V8's threads: each maker says
 * where).
 * @param data the pointer given to the maker.
 * @param length the length given to the maker (bytes for buffers, characters for strings).
 * @param user the user pointer given to the maker.
 */
typedef void (*vh_free_cb)(void *data, size_t length, void *user);

/** The largest byte length of a buffer made here: 2^53 - 1, JavaScript's largest safe integer. */
#define VH_ARRAY_BUFFER_MAX_LENGTH ((size_t)9007199254740991ull)

/* ---- buffers V8 allocates, for the host to fill (every build) ------------------------------ */

/**
 * @brief A new ArrayBuffer of @p length zero bytes, allocated by the runtime's allocator, and
 *        its data pointer for the host to fill.
 *
 * The memory is V8's: it is freed when the buffer is garbage collected (or detached, or its
 * runtime disposed). @p data stays valid as vh_array_buffer_data() describes.
 *
 * @param engine the engine the buffer belongs to.
 * @param length the size in bytes; 0 is allowed (then @p data may receive NULL).
 * @param[out] data receives the first byte; may be NULL when only the buffer is wanted.
 * @param[out] out the ArrayBuffer; must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL (@p out NULL); ::VH_ERANGE (@p length above
 *         ::VH_ARRAY_BUFFER_MAX_LENGTH); ::VH_ENOMEM (the allocator refused); the common codes.
 * @par Thread: the thread holding the engine's runtime.
 */
VH_API int vh_new_array_buffer(vh_engine engine, size_t length, void **data, vh_value *out);

/**
 * @brief A new SharedArrayBuffer of @p length zero bytes, and its data pointer; otherwise as
 *        vh_new_array_buffer(). Its memory lives while any runtime holds the buffer (see
 *        vh_pass()).
 * @param engine the engine whose runtime gets the buffer; its runtime must be held.
 * @param length its size in bytes, at most ::VH_ARRAY_BUFFER_MAX_LENGTH.
 * @param[out] data receives the first byte (NULL for @p length 0); may be NULL.
 * @param[out] out the SharedArrayBuffer; must not be NULL.
 * @return as vh_new_array_buffer().
 * @par Thread: the thread holding the engine's runtime.
 */
VH_API int vh_new_shared_array_buffer(vh_engine engine, size_t length, void **data, vh_value *out);

/* ---- buffers over host memory (builds without the V8 sandbox) ------------------------------ */

/**
 * @brief A new ArrayBuffer over @p length bytes of host memory at @p data (zero copy).
 *
 * The memory must stay valid, and must not be handed to V8 again, until @p free_cb runs.
 * @p free_cb runs exactly once, when V8 releases the memory: after the buffer is garbage
 * collected, detached (vh_array_buffer_detach(), a transfer) or its runtime disposed. It may run
 * on any thread: the thread holding the runtime during a garbage collection, one of V8's
 * background threads (V8 frees buffers concurrently), or the thread disposing the runtime.
 * When the call fails, @p free_cb is not called and the memory stays the caller's.
 *
 * @param engine the engine whose runtime gets the buffer; its runtime must be held.
 * @param data the memory; must not be NULL (also not for @p length 0).
 * @param length its size in bytes.
 * @param free_cb called once when V8 is done with the memory; may be NULL (the host frees the
 *        memory itself, after the runtime is disposed or it knows the buffer is gone).
 * @param user passed to @p free_cb; may be NULL.
 * @param[out] out the ArrayBuffer; must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL (@p data or @p out NULL); ::VH_ERANGE (@p length above
 *         ::VH_ARRAY_BUFFER_MAX_LENGTH); ::VH_ENOTSUP (a V8 build with the sandbox, which refuses
 *         memory from outside it: use vh_new_array_buffer()); the common codes.
 * @par Thread: the thread holding the engine's runtime.
 */
VH_API int vh_new_external_array_buffer(vh_engine engine, void *data, size_t length,
                                        vh_free_cb free_cb, void *user, vh_value *out);

/**
 * @brief A new SharedArrayBuffer over host memory; as vh_new_external_array_buffer(). @p free_cb
 *        runs once the last runtime holding the memory (it may have been passed to others)
 *        releases it, on any thread.
 * @param engine the engine whose runtime gets the buffer; its runtime must be held.
 * @param data the memory; must not be NULL.
 * @param length its size in bytes.
 * @param free_cb called once when the last runtime releases the memory; may be NULL.
 * @param user passed to @p free_cb; may be NULL.
 * @param[out] out the SharedArrayBuffer; must not be NULL.
 * @return as vh_new_external_array_buffer().
 * @par Thread: the thread holding the engine's runtime.
 */
VH_API int vh_new_external_shared_array_buffer(vh_engine engine, void *data, size_t length,
                                               vh_free_cb free_cb, void *user, vh_value *out);

/* ---- reading and writing the bytes ---------------------------------------------------------- */

/**
 * @brief The data pointer and byte length of an ArrayBuffer, SharedArrayBuffer, TypedArray or
 *        DataView (for a view: its window, from its byte offset, as script sees it now).
 *
 * The bytes may be read and written in place. The pointer stays valid while all of these hold:
 * the buffer is alive (a value in an open scope or a reference holds it, or the buffer or a view
 * of it), it is not detached, and it is not resized below the bytes used. Script can detach or
 * resize a buffer only while it runs, so a host that does not run script (vh_eval, vh_call,
 * microtasks, the loop, ...) between this call and its last access is always safe; V8's garbage
 * collector never moves these bytes. A SharedArrayBuffer's bytes may change under the host at
 * any time from other threads (use atomics where script does).
 *
 * A small TypedArray made by script may keep its elements inside the V8 heap; this call first
 * moves them into a buffer of their own (what reading `view.buffer` in script also does), so it
 * allocates once for such a view.
 *
 * A length-tracking view (made without a length over a resizable or growable buffer) gives its
 * current length; a view whose window is now out of the resized buffer's bounds gives length 0.
 *
 * @param value the buffer or view.
 * @param[out] data receives the first byte of the window; NULL when the length is 0. May be NULL.
 * @param[out] length receives the length in bytes. May be NULL.
 * @return ::VH_OK; ::VH_ETYPE (not one of those four kinds: a proxy of one from another runtime
 *         included); ::VH_EDETACHED (the ArrayBuffer, or the one under the view, is detached;
 *         nothing is written); the common value codes.
 * @par Thread: the value's thread.
 */
VH_API int vh_array_buffer_data(vh_value value, void **data, size_t *length);

/* ---- strings over host memory -------------------------------------------------------------- */

/**
 * @brief A string over @p length Latin-1 characters at @p data, without copying them.
 *
 * The memory must stay valid and unchanged until @p free_cb runs. @p free_cb runs exactly once:
 * when the string is garbage collected or the runtime disposed, on the thread holding the
 * runtime (during a garbage collection) or the thread disposing it; for @p length 0, before this
 * call returns (V8 gives the empty string and keeps no pointer). V8 may copy a string it
 * internalizes (a property key); the copy does not delay @p free_cb. When the call fails,
 * @p free_cb is not called.
 *
 * @param engine the engine whose runtime gets the string; its runtime must be held.
 * @param data must not be NULL.
 * @param length characters (= bytes), at most V8's maximum string length (2^29 - 24).
 * @param free_cb may be NULL.
 * @param user passed to @p free_cb; may be NULL.
 * @param[out] out the string; must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL (@p data or @p out NULL); ::VH_ERANGE (too long); ::VH_ENOMEM;
 *         the common codes.
 * @par Thread: the thread holding the engine's runtime.
 */
VH_API int vh_new_external_string_latin1(vh_engine engine, const char *data, size_t length,
                                         vh_free_cb free_cb, void *user, vh_value *out);

/**
 * @brief A string over @p length UTF-16 code units at @p data (native byte order, lone
 *        surrogates kept), without copying them; as vh_new_external_string_latin1(), with
 *        @p length counted in units.
 * @param engine the engine whose runtime gets the string; its runtime must be held.
 * @param data must not be NULL.
 * @param length UTF-16 code units, at most V8's maximum string length (2^29 - 24).
 * @param free_cb called once when V8 releases the memory; may be NULL.
 * @param user passed to @p free_cb; may be NULL.
 * @param[out] out the string; must not be NULL.
 * @return as vh_new_external_string_latin1().
 * @par Thread: the thread holding the engine's runtime.
 */
VH_API int vh_new_external_string_utf16(vh_engine engine, const uint16_t *data, size_t length,
                                        vh_free_cb free_cb, void *user, vh_value *out);

#ifdef __cplusplus
}
#endif
#endif
