/* Allocation, errors and buffers: see util_int.h. */
#include "util_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* MARK: allocation */

/* The countdown is process-wide test instrumentation, not library state:
 * it is only ever set by the unit tests, never by the library itself. */
static uint64_t alloc_countdown;

VOCAL_API void vocal__alloc_fail_after(uint64_t countdown)
{
    alloc_countdown = countdown;
}

static int alloc_should_fail(void)
{
    if (VOCAL__LIKELY(alloc_countdown == 0)) return 0;
    if (--alloc_countdown == 0) return 1;
    return 0;
}

void *vocal__malloc(size_t n)
{
    if (alloc_should_fail()) return NULL;
    return malloc(n ? n : 1);
}

void *vocal__calloc(size_t n, size_t size)
{
    if (alloc_should_fail()) return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *vocal__realloc(void *p, size_t n)
{
    if (alloc_should_fail()) return NULL;
    return realloc(p, n ? n : 1);
}

void vocal__free(void *p)
{
    free(p);
}

char *vocal__strndup(const char *s, size_t n)
{
    char *d = (char *)vocal__malloc(n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* MARK: errors */

int vocal__err(vocal_error *err, int code, const char *path, uint64_t line, uint64_t byte,
               const char *fmt, ...)
{
    if (!err) return code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    if (path) {
        size_t n = strlen(path);
        if (n >= sizeof err->path) n = sizeof err->path - 1;
        memcpy(err->path, path, n);
        err->path[n] = '\0';
    } else {
        err->path[0] = '\0';
    }
    err->line = line;
    err->byte = byte;
    return code;
}

int vocal__err_oom(vocal_error *err)
{
    /* No formatting and no allocation: this path must work when memory is gone. */
    if (err) {
        err->code = VOCAL_ENOMEM;
        memcpy(err->msg, "out of memory", sizeof "out of memory");
        err->path[0] = '\0';
        err->line = 0;
        err->byte = UINT64_MAX;
    }
    return VOCAL_ENOMEM;
}

const char *vocal_strerror(int code)
{
    switch (code) {
    case VOCAL_OK: return "ok";
    case VOCAL_ERROR: return "error";
    case VOCAL_ENOMEM: return "out of memory";
    case VOCAL_EIO: return "input/output error";
    case VOCAL_EINPUT: return "bad input";
    case VOCAL_EFORMAT: return "corrupt or foreign file";
    case VOCAL_EVERSION: return "file needs a newer vocal";
    case VOCAL_EBUFS: return "buffer too small";
    default: return "unknown error";
    }
}

const char *vocal_version(void)
{
    return VOCAL_VERSION_STRING;
}

unsigned vocal_version_number(void)
{
    return VOCAL_VERSION_NUMBER;
}

/* MARK: buffers */

int vocal__buf_reserve(vocal__buf *b, size_t extra)
{
    if (b->len + extra <= b->cap) return VOCAL_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra) {
        if (cap > SIZE_MAX / 2) return VOCAL_ENOMEM;
        cap *= 2;
    }
    char *p = (char *)vocal__realloc(b->p, cap);
    if (!p) return VOCAL_ENOMEM;
    b->p = p;
    b->cap = cap;
    return VOCAL_OK;
}

int vocal__buf_put(vocal__buf *b, const void *s, size_t n)
{
    if (n == 0) return VOCAL_OK;
    if (vocal__buf_reserve(b, n) < 0) return VOCAL_ENOMEM;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    return VOCAL_OK;
}

void vocal__buf_free(vocal__buf *b)
{
    vocal__free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}
