/**
 * @file v8host/value.h
 * @brief Making values, testing their types, and reading them back.
 *
 * Calls that make a value take the engine they make it in (its runtime's lock must be held by
 * the calling thread, i.e. a scope open) and put the new value in the innermost open scope.
 * Readers take only the value: they never run JavaScript and are strict, refusing a value of
 * the wrong type with ::VH_ETYPE rather than converting it.
 *
 * Every call that takes a ::vh_value checks it first: empty → ::VH_EINVAL, used on a thread other
 * than its own → ::VH_EWRONG_THREAD, scope closed → ::VH_ESCOPE_CLOSED. A call that takes both an
 * engine and values refuses values of another runtime with ::VH_ERUNTIME_MISMATCH. Those
 * codes, and ::VH_EDISPOSED / ::VH_ENOSCOPE for the engine, are common to every function here and
 * are not repeated below.
 */
#ifndef V8HOST_VALUE_H
#define V8HOST_VALUE_H

#include "v8host/api.h"

#include "v8host/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The result of `typeof`, with null told apart from objects. */
typedef enum vh_type {
  VH_TYPE_UNDEFINED = 1,
  VH_TYPE_NULL,
  VH_TYPE_BOOLEAN,
  VH_TYPE_NUMBER,
  VH_TYPE_BIGINT,
  VH_TYPE_STRING,
  VH_TYPE_SYMBOL,
  VH_TYPE_OBJECT,
  VH_TYPE_FUNCTION
} vh_type;

/** Finer kinds of objects, for vh_is(). */
typedef enum vh_kind {
  VH_KIND_ARRAY = 1,
  VH_KIND_DATE,
  VH_KIND_ERROR,
  VH_KIND_PROMISE,
  VH_KIND_REGEXP,
  VH_KIND_MAP,
  VH_KIND_SET,
  VH_KIND_PROXY,
  VH_KIND_ARRAY_BUFFER,
  VH_KIND_SHARED_ARRAY_BUFFER,
  VH_KIND_TYPED_ARRAY,
  VH_KIND_DATA_VIEW,
  VH_KIND_INT32 /**< a Number whose value is an int32 (not an object kind, but often wanted) */
} vh_kind;

/* ---- making values ------------------------------------------------------------------------ */

/**
 * @brief `undefined`.
 * @param engine the engine to make it in; a scope of its runtime must be open on this thread.
 * @param[out] out must not be NULL.
 * @return ::VH_OK or a common code.
 */
VH_API int vh_new_undefined(vh_engine engine, vh_value *out);
/**
 * @brief `null`.
 * @param engine the engine to make it in; a scope of its runtime must be open on this thread.
 * @param[out] out must not be NULL.
 * @return ::VH_OK or a common code.
 */
VH_API int vh_new_null(vh_engine engine, vh_value *out);
/**
 * @brief `true` or `false`.
 * @param engine the engine to make it in; a scope of its runtime must be open on this thread.
 * @param b the boolean.
 * @param[out] out must not be NULL.
 * @return ::VH_OK or a common code.
 */
VH_API int vh_new_bool(vh_engine engine, bool b, vh_value *out);
/**
 * @brief A Number from an int32.
 * @param engine the engine to make it in; a scope of its runtime must be open on this thread.
 * @param n the number.
 * @param[out] out must not be NULL.
 * @return ::VH_OK or a common code.
 */
VH_API int vh_new_int32(vh_engine engine, int32_t n, vh_value *out);
/**
 * @brief A Number from a uint32.
 * @param engine the engine to make it in; a scope of its runtime must be open on this thread.
 * @param n the number.
 * @param[out] out must not be NULL.
 * @return ::VH_OK or a common code.
 */
VH_API int vh_new_uint32(vh_engine engine, uint32_t n, vh_value *out);
/**
 * @brief A Number from an int64.
 * @param engine the engine to make it in; a scope of its runtime must be open on this thread.
 * @param n the number.
 * @param[out] out receives the new value; must not be NULL.
 * @return ::VH_OK; ::VH_ERANGE when |n| > 2^53, where a double would no longer hold it exactly
 *         (use vh_new_bigint_int64() for such numbers).
 */
VH_API int vh_new_int64(vh_engine engine, int64_t n, vh_value *out);
/**
 * @brief A Number from a double (NaN and infinities included).
 * @param engine the engine to make it in; a scope of its runtime must be open on this thread.
 * @param n the number.
 * @param[out] out not NULL.
 * @return ::VH_OK or a common code.
 */
VH_API int vh_new_double(vh_engine engine, double n, vh_value *out);

/**
 * @brief A BigInt from an int64.
 * @param engine the engine to make it in; a scope of its runtime must be open on this thread.
 * @param n the number.
 * @param[out] out must not be NULL.
 * @return ::VH_OK or a common code.
 */
VH_API int vh_new_bigint_int64(vh_engine engine, int64_t n, vh_value *out);
/**
 * @brief A BigInt from a uint64.
 * @param engine the engine to make it in; a scope of its runtime must be open on this thread.
 * @param n the number.
 * @param[out] out must not be NULL.
 * @return ::VH_OK or a common code.
 */
VH_API int vh_new_bigint_uint64(vh_engine engine, uint64_t n, vh_value *out);
/**
 * @brief A BigInt from a sign and 64-bit words, least significant first.
 * @param engine the engine to make it in; a scope of its runtime must be open on this thread.
 * @param negative true for a negative number.
 * @param count number of words, 1 to 16384 (V8's limit is about a million bits).
 * @param words must not be NULL.
 * @param[out] out receives the new value; must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL (NULL words or count 0); ::VH_ERANGE (count too large).
 */
VH_API int vh_new_bigint_words(vh_engine engine, bool negative, size_t count, const uint64_t *words,
                    vh_value *out);

/**
 * @brief A string from UTF-8.
 *
 * Invalid UTF-8 does not fail: each maximal invalid subsequence becomes U+FFFD (the WHATWG
 * decoding rule V8 uses), so the result may be longer in UTF-16 units than expected.
 *
 * @param engine the engine to make it in; a scope of its runtime must be open on this thread.
 * @param utf8 the bytes; may be NULL only when @p length is 0.
 * @param length byte count (embedded NULs are kept), or ::VH_AUTO_LENGTH when NUL-terminated.
 * @param[out] out receives the new value; must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_ERANGE (longer than V8's maximum string length, about
 *         2^29 characters, or more than INT32_MAX bytes).
 */
VH_API int vh_new_string_utf8(vh_engine engine, const char *utf8, size_t length, vh_value *out);
/**
 * @brief A string from Latin-1 (ISO-8859-1) bytes; arguments and codes as vh_new_string_utf8().
 * @param engine the engine to make it in; a scope of its runtime must be open on this thread.
 * @param latin1 the bytes, one character each; may be NULL only when @p length is 0.
 * @param length byte count (embedded NULs are kept), or ::VH_AUTO_LENGTH when NUL-terminated.
 * @param[out] out receives the new value; must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_ERANGE (longer than V8's maximum string length, about 2^29
 *         characters, or more than INT32_MAX bytes).
 */
VH_API int vh_new_string_latin1(vh_engine engine, const char *latin1, size_t length, vh_value *out);
/**
 * @brief A string from UTF-16 code units (native byte order; lone surrogates are kept).
 * @param engine the engine to make it in; a scope of its runtime must be open on this thread.
 * @param utf16 the code units; may be NULL only when @p length is 0.
 * @param length unit count, or ::VH_AUTO_LENGTH when terminated by a 0 unit.
 * @param[out] out receives the new value; must not be NULL.
 * @return as vh_new_string_utf8().
 */
VH_API int vh_new_string_utf16(vh_engine engine, const uint16_t *utf16, size_t length, vh_value *out);

/**
 * @brief A new unique symbol.
 * @param engine the engine to make it in; a scope of its runtime must be open on this thread.
 * @param description UTF-8, NUL-terminated, or NULL for a symbol without description.
 * @param[out] out receives the new value; must not be NULL.
 * @return ::VH_OK or a common code.
 */
VH_API int vh_new_symbol(vh_engine engine, const char *description, vh_value *out);

/**
 * @brief A new plain object (`{}`), with the engine's Object.prototype.
 * @param engine the engine to make it in; a scope of its runtime must be open on this thread.
 * @param[out] out receives the new value; must not be NULL.
 * @return ::VH_OK or a common code.
 */
VH_API int vh_new_object(vh_engine engine, vh_value *out);
/**
 * @brief A new array of @p length holes (`new Array(length)`).
 * @param engine the engine to make it in; a scope of its runtime must be open on this thread.
 * @param length the array's length.
 * @param[out] out receives the new value; must not be NULL.
 * @return ::VH_OK; ::VH_ERANGE when @p length > 134217725 (V8 allocates the elements at once and
 *         cannot hold more; grow a longer array from script).
 */
VH_API int vh_new_array(vh_engine engine, uint32_t length, vh_value *out);
/**
 * @brief A new Date.
 * @param engine the engine to make it in; a scope of its runtime must be open on this thread.
 * @param ms milliseconds since 1970-01-01T00:00:00Z; NaN or beyond ±8.64e15 gives an Invalid Date.
 * @param[out] out receives the new value; must not be NULL.
 * @return ::VH_OK or a common code.
 */
VH_API int vh_new_date(vh_engine engine, double ms, vh_value *out);

/* ---- types -------------------------------------------------------------------------------- */

/**
 * @brief The value's type.
 * @param value any value.
 * @param[out] out must not be NULL. Any value; never ::VH_ETYPE.
 * @return ::VH_OK or a common value code.
 */
VH_API int vh_typeof(vh_value value, vh_type *out);
/**
 * @brief Whether the value is of @p kind.
 * @param value any value.
 * @param kind the kind to test for.
 * @param[out] out receives whether it is; must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL for an unknown kind.
 */
VH_API int vh_is(vh_value value, vh_kind kind, bool *out);

/* ---- reading ------------------------------------------------------------------------------ */

/**
 * @brief Reads a boolean.
 * @param value the value to read.
 * @param[out] out receives the boolean; must not be NULL.
 * @return ::VH_OK; ::VH_ETYPE when not a boolean.
 */
VH_API int vh_value_bool(vh_value value, bool *out);
/**
 * @brief Reads a Number as a double.
 * @param value the value to read.
 * @param[out] out receives the number; must not be NULL.
 * @return ::VH_OK; ::VH_ETYPE when not a Number.
 */
VH_API int vh_value_double(vh_value value, double *out);
/**
 * @brief Reads a Number that is exactly an int32.
 * @param value the value to read.
 * @param[out] out receives the number; must not be NULL.
 * @return ::VH_OK; ::VH_ETYPE (not a Number); ::VH_ERANGE (fractional, NaN, or out of range;
 *         -0 reads as 0).
 */
VH_API int vh_value_int32(vh_value value, int32_t *out);
/**
 * @brief Reads a Number that is exactly a uint32; codes as vh_value_int32().
 * @param value the value to read.
 * @param[out] out receives the number; must not be NULL.
 * @return ::VH_OK; ::VH_ETYPE (not a Number); ::VH_ERANGE (fractional, NaN, or out of range; -0
 *         reads as 0).
 */
VH_API int vh_value_uint32(vh_value value, uint32_t *out);
/**
 * @brief Reads a Number that is exactly an integer in ±2^53; codes as vh_value_int32().
 * @param value the value to read.
 * @param[out] out receives the number; must not be NULL.
 * @return ::VH_OK; ::VH_ETYPE (not a Number); ::VH_ERANGE (fractional, NaN, or beyond ±2^53; -0
 *         reads as 0).
 */
VH_API int vh_value_int64(vh_value value, int64_t *out);

/**
 * @brief Reads a BigInt as an int64.
 * @param value the value to read.
 * @param[out] out receives the number; must not be NULL.
 * @param[out] lossless set to whether the BigInt fit without wrapping; may be NULL.
 * @return ::VH_OK (the low 64 bits, two's complement, when it does not fit); ::VH_ETYPE.
 */
VH_API int vh_value_bigint_int64(vh_value value, int64_t *out, bool *lossless);
/**
 * @brief Reads a BigInt as a uint64; like vh_value_bigint_int64().
 * @param value the value to read.
 * @param[out] out receives the number; must not be NULL.
 * @param[out] lossless set to whether the BigInt fit without wrapping; may be NULL.
 * @return ::VH_OK (the low 64 bits when it does not fit); ::VH_ETYPE.
 */
VH_API int vh_value_bigint_uint64(vh_value value, uint64_t *out, bool *lossless);
/**
 * @brief Reads a BigInt's sign and magnitude words, least significant first.
 * @param value the value to read.
 * @param[out] negative must not be NULL.
 * @param[in,out] count in: capacity of @p words; out: words needed/written. Must not be NULL.
 * @param[out] words may be NULL to ask for the count only.
 * @return ::VH_OK; ::VH_ETYPE; ::VH_ERANGE (capacity too small; @p count set to the need).
 */
VH_API int vh_value_bigint_words(vh_value value, bool *negative, size_t *count, uint64_t *words);

/**
 * @brief Copies a string out as UTF-8, NUL-terminated. Lone surrogates become U+FFFD.
 *
 * @param value the value to read.
 * @param buffer NULL to ask for the length only; else receives the bytes and a NUL.
 * @param capacity the buffer's size in bytes, including room for the NUL.
 * @param[out] length receives the UTF-8 length in bytes without the NUL; may be NULL when
 *        @p buffer is not.
 * @return ::VH_OK; ::VH_ETYPE (not a string); ::VH_ERANGE (@p capacity too small; nothing
 *         written, @p length set to the need); ::VH_EINVAL (both NULL).
 */
VH_API int vh_value_string_utf8(vh_value value, char *buffer, size_t capacity, size_t *length);
/**
 * @brief Copies a string out as UTF-16 units plus a 0 unit; like vh_value_string_utf8().
 * @param value the value to read.
 * @param buffer NULL to ask for the length only; else receives the units and a 0 unit.
 * @param capacity the buffer's size in units, including room for the 0 unit.
 * @param[out] length receives the length in UTF-16 units without the 0 unit; may be NULL when @p
 *        buffer is not.
 * @return ::VH_OK; ::VH_ETYPE (not a string); ::VH_ERANGE (@p capacity too small; nothing written,
 *         @p length set to the need); ::VH_EINVAL (both NULL).
 */
VH_API int vh_value_string_utf16(vh_value value, uint16_t *buffer, size_t capacity, size_t *length);
/**
 * @brief Copies a string out as Latin-1 bytes plus a NUL; like vh_value_string_utf8().
 * @param value the value to read.
 * @param buffer NULL to ask for the length only; else receives the bytes and a NUL.
 * @param capacity the buffer's size in bytes, including room for the NUL.
 * @param[out] length receives the length in bytes without the NUL; may be NULL when @p buffer is
 *        not.
 * @return also ::VH_ERANGE, with @p length untouched, when a character is above U+00FF.
 */
VH_API int vh_value_string_latin1(vh_value value, char *buffer, size_t capacity, size_t *length);
/**
 * @brief Copies a string out as a new NUL-terminated UTF-8 buffer.
 * @param value the value to read.
 * @param[out] out receives the buffer; free it with vh_free(). Must not be NULL.
 * @param[out] length its length in bytes without the NUL; may be NULL.
 * @return ::VH_OK; ::VH_ETYPE; ::VH_ENOMEM.
 */
VH_API int vh_value_string_utf8_dup(vh_value value, char **out, size_t *length);
/**
 * @brief Reads a Date's time value in ms (NaN for an Invalid Date).
 * @param value the value to read.
 * @param[out] out receives the time value; must not be NULL.
 * @return ::VH_ETYPE if no Date.
 */
VH_API int vh_value_date(vh_value value, double *out);
/**
 * @brief Reads an array's length.
 * @param value the value to read.
 * @param[out] out receives the length; must not be NULL.
 * @return ::VH_ETYPE when not an Array.
 */
VH_API int vh_value_array_length(vh_value value, uint32_t *out);

/**
 * @brief `a === b`. Both values must belong to the same runtime.
 * @param a a value.
 * @param b a value of the same runtime.
 * @param[out] out receives the result; must not be NULL.
 * @return ::VH_OK; ::VH_ERUNTIME_MISMATCH.
 */
VH_API int vh_strict_equals(vh_value a, vh_value b, bool *out);

/**
 * @brief Whether @p value is the empty handle (a zero-initialised ::vh_value: "no value", as
 *        vh_call_info.new_target outside a construct call). Looks only at the handle: a value
 *        whose scope has closed is not empty. Never fails.
 * @param value any handle.
 * @return true for the empty handle. Any thread.
 */
VH_API bool vh_value_is_empty(vh_value value);

/**
 * @brief Frees memory the library handed out (vh_value_string_utf8_dup()). NULL is ignored.
 * @param memory what the library handed out, or NULL.
 */
VH_API void vh_free(void *memory);

#ifdef __cplusplus
}
#endif
#endif
