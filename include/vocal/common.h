/**
 * @file common.h
 * Shared definitions for every vocal module: export macro, version, status
 * codes, the caller-owned error struct and the per-object log callback.
 */
#ifndef VOCAL_COMMON_H
#define VOCAL_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(VOCAL_STATIC)
#define VOCAL_API
#elif defined(_WIN32)
#if defined(VOCAL_BUILDING)
#define VOCAL_API __declspec(dllexport)
#else
#define VOCAL_API __declspec(dllimport)
#endif
#else
#define VOCAL_API __attribute__((visibility("default")))
#endif

#define VOCAL_VERSION_MAJOR 0
#define VOCAL_VERSION_MINOR 1
#define VOCAL_VERSION_PATCH 0
#define VOCAL_VERSION_NUMBER \
    (VOCAL_VERSION_MAJOR * 10000 + VOCAL_VERSION_MINOR * 100 + VOCAL_VERSION_PATCH)
#define VOCAL__STR2(x) #x
#define VOCAL__STR(x) VOCAL__STR2(x)
#define VOCAL_VERSION_STRING \
    VOCAL__STR(VOCAL_VERSION_MAJOR) "." VOCAL__STR(VOCAL_VERSION_MINOR) "." VOCAL__STR(VOCAL_VERSION_PATCH)

/**
 * Status codes. Fallible functions return VOCAL_OK or one of the negative
 * values. The numbers are frozen: new codes are only ever appended.
 */
typedef enum vocal_status {
    VOCAL_OK = 0,
    VOCAL_ERROR = -1,   /**< anything not covered below */
    VOCAL_ENOMEM = -2,  /**< an allocation failed */
    VOCAL_EIO = -3,     /**< reading or writing a file failed */
    VOCAL_EINPUT = -4,  /**< bad data or bad argument value */
    VOCAL_EFORMAT = -5, /**< corrupt or foreign file */
    VOCAL_EVERSION = -6,/**< file written by a newer, incompatible vocal */
    VOCAL_EBUFS = -7    /**< caller buffer too small; required size returned */
} vocal_status;

/**
 * Caller-owned error detail, filled by a failing call. The buffers are fixed
 * so that reporting out-of-memory never allocates.
 */
typedef struct vocal_error {
    int code;           /**< vocal_status */
    char msg[256];      /**< one line, lower case, no trailing period */
    char path[512];     /**< file concerned, "" if none */
    uint64_t line;      /**< 1-based line; 0 = not applicable */
    uint64_t byte;      /**< 0-based byte offset; UINT64_MAX = unknown */
} vocal_error;

/** Log levels passed to a vocal_log_fn. */
typedef enum vocal_log_level {
    VOCAL_LOG_ERROR = 0,
    VOCAL_LOG_WARN = 1,
    VOCAL_LOG_INFO = 2,
    VOCAL_LOG_DEBUG = 3
} vocal_log_level;

/** Per-object log callback; `payload` is the pointer given with it. */
typedef void (*vocal_log_fn)(int level, const char *msg, void *payload);

/**
 * A static, human-readable description of a status code.
 * @param code  a vocal_status; unknown values give "unknown error".
 * @return a string that lives for the whole process.
 * Threads: safe.
 */
VOCAL_API const char *vocal_strerror(int code);

/**
 * The library's version string, e.g. "0.1.0", for comparing with
 * VOCAL_VERSION_STRING from the header the caller was compiled with.
 * Threads: safe.
 */
VOCAL_API const char *vocal_version(void);

/** The library's version as VOCAL_VERSION_NUMBER computes it. */
VOCAL_API unsigned vocal_version_number(void);

/** Version of the linked utf8proc, and the Unicode version its tables implement. */
VOCAL_API const char *vocal_utf8proc_version(void);
VOCAL_API const char *vocal_unicode_version(void);

#ifdef __cplusplus
}
#endif
#endif /* VOCAL_COMMON_H */
