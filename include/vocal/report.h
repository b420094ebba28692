/**
 * @file report.h
 * The report module: mergeable aggregates of tagged records (docs/format/records.md)
 * and the renderers that turn them into a report (HTML with inline SVG,
 * Markdown, JSON, CSV). Definitions of every figure: docs/report.md.
 *
 * The aggregate holds only exact integer sums (scores are kept in
 * thousandths), so aggregates of shards merged in any order equal the
 * aggregate of all the records, and render to the same bytes.
 * Verbatims are masked (e-mails, phone numbers, card numbers, @handles)
 * when they enter the aggregate, so .agg files never hold those.
 *
 * Threads: an aggregate is used by one thread at a time; rendering only
 * reads it.
 */
#ifndef VOCAL_REPORT_H
#define VOCAL_REPORT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vocal_agg vocal_agg;

/** Versioned aggregate options (VOCAL_AGG_OPTIONS_INIT). */
typedef struct vocal_agg_options {
    unsigned version;   /**< VOCAL_AGG_OPTIONS_VERSION */
    double csat_min;    /**< CSAT scale, default 1..5; top-two-box is >= csat_max - 1 */
    double csat_max;
    double ces_min;     /**< CES scale, default 1..7; values outside are not counted */
    double ces_max;
    unsigned verbatims; /**< candidates kept per theme and polarity (default 3, max 16) */
} vocal_agg_options;

#define VOCAL_AGG_OPTIONS_VERSION 1
#define VOCAL_AGG_OPTIONS_INIT { VOCAL_AGG_OPTIONS_VERSION, 1, 5, 1, 7, 3 }

/**
 * A new, empty aggregate.
 * @param[out] out  owned by the caller (vocal_agg_free); NULL on failure.
 * @param o         NULL means VOCAL_AGG_OPTIONS_INIT. Not kept.
 * @return VOCAL_OK, VOCAL_EINPUT (a scale with min >= max, verbatims > 16), VOCAL_ENOMEM.
 */
VOCAL_API int vocal_agg_new(vocal_agg **out, const vocal_agg_options *o, vocal_error *err);

/** Release an aggregate. NULL-safe. */
VOCAL_API void vocal_agg_free(vocal_agg *a);

/**
 * Add one tagged record given as a JSON object (one JSONL line).
 * @param path, line  where it comes from, for the error (path may be NULL).
 * @return VOCAL_OK; VOCAL_EINPUT when the line is not a tagged record (err
 *         names path, line and, for a syntax error, the byte): nothing was
 *         added and the aggregate counts it as rejected; VOCAL_ENOMEM
 *         (the aggregate may then hold part of the record: free it).
 */
VOCAL_API int vocal_agg_add_json(vocal_agg *a, const char *json, size_t len, const char *path,
                                 uint64_t line, vocal_error *err);

/**
 * Add the records of a SQLite store (docs/format/store.md).
 * @param runs, n_runs  the run ids to read; n_runs 0 reads every complete run.
 *        Incomplete runs are skipped (without runs) or refused (named in runs).
 * @param log, payload  told (VOCAL_LOG_WARN) of every skipped run and why; may be NULL.
 * @return VOCAL_OK; VOCAL_EIO (cannot open); VOCAL_EFORMAT (not a vocal store,
 *         or a user_version this reader does not know); VOCAL_EINPUT (a run
 *         named in runs is missing or not complete); VOCAL_ENOMEM.
 */
VOCAL_API int vocal_agg_add_db(vocal_agg *a, const char *path, const int64_t *runs, size_t n_runs,
                               vocal_log_fn log, void *payload, vocal_error *err);

/** Count a record rejected before it reached the aggregate (a reader's syntax error). */
VOCAL_API void vocal_agg_count_rejected(vocal_agg *a, uint64_t n);

/** Records added and rejected so far. */
VOCAL_API void vocal_agg_stats(const vocal_agg *a, uint64_t *records, uint64_t *rejected);

/**
 * Add src into dst (dst += src). Both must use the same scales.
 * @return VOCAL_OK; VOCAL_EINPUT (scales or verbatim counts differ); VOCAL_ENOMEM.
 */
VOCAL_API int vocal_agg_merge(vocal_agg *dst, const vocal_agg *src, vocal_error *err);

/**
 * Write the aggregate file (docs/report.md, "The aggregate file") atomically:
 * a temporary file beside path, then rename.
 * @return VOCAL_OK, VOCAL_EIO, VOCAL_ENOMEM.
 */
VOCAL_API int vocal_agg_save(const vocal_agg *a, const char *path, vocal_error *err);

/** The aggregate file's bytes in a malloc'd buffer (*out, *len; free()). */
VOCAL_API int vocal_agg_serialize(char **out, size_t *len, const vocal_agg *a, vocal_error *err);

/**
 * Load an aggregate file, or bytes of one.
 * @return VOCAL_OK; VOCAL_EIO; VOCAL_EFORMAT (foreign or corrupt: bad magic,
 *         checksum, or content; err->byte points near the fault);
 *         VOCAL_EVERSION (a newer format); VOCAL_ENOMEM.
 */
VOCAL_API int vocal_agg_load(vocal_agg **out, const char *path, vocal_error *err);
VOCAL_API int vocal_agg_load_buffer(vocal_agg **out, const void *data, size_t len, vocal_error *err);

/** 1 if the bytes start with the aggregate file's magic line. */
VOCAL_API int vocal_agg_sniff(const void *data, size_t len);

/** Report output formats. Numbers frozen. */
typedef enum vocal_report_format {
    VOCAL_REPORT_HTML = 0,
    VOCAL_REPORT_MD = 1,
    VOCAL_REPORT_JSON = 2,
    VOCAL_REPORT_CSV = 3
} vocal_report_format;

/** Periods for trends. */
typedef enum vocal_period {
    VOCAL_PERIOD_DAY = 0,
    VOCAL_PERIOD_WEEK = 1, /**< ISO 8601 week, "2026-W41" */
    VOCAL_PERIOD_MONTH = 2
} vocal_period;

/** Breakdown dimensions (bits of vocal_report_options.by). */
#define VOCAL_BY_SEGMENT 1u
#define VOCAL_BY_TOUCHPOINT 2u
#define VOCAL_BY_CHANNEL 4u

/** A theme's label from the taxonomy (lexicons/themes), for parents that records do not label. */
typedef struct vocal_theme_label {
    const char *id, *label;
} vocal_theme_label;

typedef struct vocal_report_options {
    unsigned version;          /**< VOCAL_REPORT_OPTIONS_VERSION */
    vocal_report_format format;
    vocal_period period;       /**< default VOCAL_PERIOD_MONTH */
    uint32_t by;               /**< VOCAL_BY_* bits; 0 means all three */
    const char *title;         /**< NULL: "Customer feedback report" */
    const char *table;         /**< CSV: the table to render (vocal_report_tables); NULL = "summary" */
    unsigned top_themes;       /**< themes in charts and verbatims; default 8 */
    const vocal_theme_label *labels; /**< optional extra labels; not kept */
    size_t n_labels;
} vocal_report_options;

#define VOCAL_REPORT_OPTIONS_VERSION 1
#define VOCAL_REPORT_OPTIONS_INIT \
    { VOCAL_REPORT_OPTIONS_VERSION, VOCAL_REPORT_HTML, VOCAL_PERIOD_MONTH, 0, NULL, NULL, 8, NULL, 0 }

/** The names of the report's tables, NULL-terminated (static). */
VOCAL_API const char *const *vocal_report_tables(void);

/**
 * Render the report of an aggregate.
 * @param[out] out, len  a malloc'd buffer (free()) and its length; not NUL-counted.
 * @return VOCAL_OK; VOCAL_EINPUT (unknown table or option); VOCAL_ENOMEM; VOCAL_ERROR (libxml2 failed).
 */
VOCAL_API int vocal_report_render(char **out, size_t *len, const vocal_agg *a,
                                  const vocal_report_options *o, vocal_error *err);

/**
 * Mask personal data in a text (docs/report.md, "Masking"): e-mail addresses
 * become "[email]", phone numbers "[phone]", card numbers (13-19 digits,
 * spaces or dashes allowed, passing the Luhn check) "[card]", @handles "@[user]".
 * @param[out] out, out_len  a malloc'd NUL-terminated copy (free()).
 * @return VOCAL_OK or VOCAL_ENOMEM.
 */
VOCAL_API int vocal_mask_pii(char **out, size_t *out_len, const char *s, size_t len);

/** Write bytes to path atomically (temporary file beside it, fsync, rename). */
VOCAL_API int vocal_write_file_atomic(const char *path, const void *data, size_t len, vocal_error *err);

#ifdef __cplusplus
}
#endif
#endif /* VOCAL_REPORT_H */
