/* Structure-aware script generation for the fuzz target (structured.c). */
#ifndef VH_FUZZ_STRUCTURED_H
#define VH_FUZZ_STRUCTURED_H

#include <stddef.h>
#include <stdint.h>

/* Writes a script chosen by the bytes next() returns into buf (NUL-terminated, at most cap - 1
 * bytes; parts that do not fit are left out) and returns its length. */
size_t fz_structured_script(uint8_t (*next)(void), char *buf, size_t cap);

#endif
