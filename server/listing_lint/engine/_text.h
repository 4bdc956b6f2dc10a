/* Layer 3 (engine), compiled: what the engine's two C modules (_tokens.c, _heuristics.c) both read text with. */
#ifndef LISTING_LINT_TEXT_H
#define LISTING_LINT_TEXT_H

#include <Python.h>
#include <stdint.h>

static inline int is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }

/* FNV-1a, a character at a time, then mixed: the hash the word and literal tables file their keys by. */
#define FNV_START 14695981039346656037ull
static inline uint64_t fnv_step(uint64_t h, Py_UCS4 c) { return (h ^ c) * 1099511628211ull; }
static inline uint64_t fnv_end(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h | 1;
}

#endif
