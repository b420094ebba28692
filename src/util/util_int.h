/* Internal utilities shared by every module: allocation (with failure
 * injection for tests), error filling, growable buffers, hashing.
 * Never installed. */
#ifndef VOCAL_UTIL_INT_H
#define VOCAL_UTIL_INT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vocal/common.h"

#if defined(__GNUC__)
#define VOCAL__PRINTF(a, b) __attribute__((format(printf, a, b)))
#define VOCAL__LIKELY(x) __builtin_expect(!!(x), 1)
#define VOCAL__UNLIKELY(x) __builtin_expect(!!(x), 0)
/* A hint to start loading the cache line of p (never faults, even on a bad
 * address). The per-word tables (memos, lexicon, models) are far larger
 * than the caches, so a text's lookups are issued first and used after. */
#define VOCAL__PREFETCH(p) __builtin_prefetch(p)
#else
#define VOCAL__PRINTF(a, b)
#define VOCAL__LIKELY(x) (x)
#define VOCAL__UNLIKELY(x) (x)
#define VOCAL__PREFETCH(p) ((void)(p))
#endif

/* MARK: allocation
 * Every allocation in the library goes through these so that tests can make
 * the N-th allocation fail (SQLite's OOM tests). */
void *vocal__malloc(size_t n);
void *vocal__calloc(size_t n, size_t size);
void *vocal__realloc(void *p, size_t n);
void vocal__free(void *p);
char *vocal__strndup(const char *s, size_t n);

/* Test hook: the countdown-th allocation from now (1 = the next) fails;
 * 0 disables. Exported for the unit tests only (not in a public header). */
VOCAL_API void vocal__alloc_fail_after(uint64_t countdown);

/* MARK: errors */
/* Fill err (if not NULL) and return code. path may be NULL. */
int vocal__err(vocal_error *err, int code, const char *path, uint64_t line, uint64_t byte,
               const char *fmt, ...) VOCAL__PRINTF(6, 7);
int vocal__err_oom(vocal_error *err);

/* MARK: growable byte buffer */
typedef struct vocal__buf {
    char *p;
    size_t len, cap;
} vocal__buf;

int vocal__buf_reserve(vocal__buf *b, size_t extra);
int vocal__buf_put(vocal__buf *b, const void *s, size_t n);
static inline int vocal__buf_putc(vocal__buf *b, char c)
{
    if (VOCAL__UNLIKELY(b->len + 1 > b->cap) && vocal__buf_reserve(b, 1) < 0) return VOCAL_ENOMEM;
    b->p[b->len++] = c;
    return VOCAL_OK;
}
void vocal__buf_free(vocal__buf *b);

/* MARK: hashing (FNV-1a 64, as the model format records) */
static inline uint64_t vocal__fnv1a(const void *data, size_t n, uint64_t seed)
{
    const unsigned char *p = (const unsigned char *)data;
    uint64_t h = 0xcbf29ce484222325ULL ^ seed;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* Fast hash of a short byte string, 8 bytes at a time (multiply-xorshift);
 * for in-memory tables. Files key their tables with FNV-1a; the one value
 * derived from this hash that a file stores is the lexicon fingerprint a
 * model records (vocal_lexicon_fingerprint): changing this function makes
 * every model's fingerprint stale, and `vocal classify` warn that the
 * lexicon differs from the one the model was trained with. */
static inline uint64_t vocal__hash(const void *data, size_t n)
{
    const unsigned char *s = (const unsigned char *)data;
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (n * 0xC2B2AE3D27D4EB4FULL);
    while (n >= 8) {
        uint64_t v;
        memcpy(&v, s, 8);
        h = (h ^ v) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
        s += 8;
        n -= 8;
    }
    if (n) {
        /* the tail's bytes, as a little-endian load would give them: built in
         * a register, since a memcpy into v stalls on store forwarding */
        uint64_t v = 0;
        switch (n) {
        case 7: v |= (uint64_t)s[6] << 48; /* fall through */
        case 6: v |= (uint64_t)s[5] << 40; /* fall through */
        case 5: v |= (uint64_t)s[4] << 32; /* fall through */
        case 4: v |= (uint64_t)s[3] << 24; /* fall through */
        case 3: v |= (uint64_t)s[2] << 16; /* fall through */
        case 2: v |= (uint64_t)s[1] << 8;  /* fall through */
        default: v |= (uint64_t)s[0];
        }
        h = (h ^ v) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
    }
    h *= 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 29;
    return h;
}

#endif
