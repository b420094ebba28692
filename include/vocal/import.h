/**
 * @file import.h
 * Importers for social-media and review exports: X/Twitter archives,
 * Facebook and Instagram "download your information" JSON, Mastodon
 * outboxes, Reddit listings and dumps, RSS 2.0 and Atom feeds, Apple's
 * customer-reviews JSON feed, Google Play review CSV, and any HTML page with
 * an XPath choosing the reviews. Each yields vocal_import_record values in
 * one shape (docs/format/import.md).
 *
 * An importer is fed one or more files (vocal_importer_add); a .zip or
 * .tar.gz export is read through libarchive, member by member. Records are
 * read one file (or archive member) at a time: a file is parsed whole,
 * because its formats are single JSON or XML documents, and its records are
 * then handed out by vocal_importer_next. Memory is bounded by the largest
 * file, never by the sum of the inputs (docs/import.md).
 *
 * Duplicates (the same id within a format, or the same author, text and
 * time) are dropped and counted across every file added to one importer.
 * Authors (and reply-to handles) are pseudonymized with HMAC-SHA-256 under
 * a key unless keep_authors is set.
 *
 * Threads: an importer is used by one thread at a time; separate importers
 * are independent.
 */
#ifndef VOCAL_IMPORT_H
#define VOCAL_IMPORT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Import formats. Numbers are frozen. */
typedef enum vocal_import_format {
    VOCAL_IMPORT_UNKNOWN = -1,   /**< from vocal_import_format_from_name: no such name */
    VOCAL_IMPORT_AUTO = 0,       /**< detect per file or archive member */
    VOCAL_IMPORT_TWITTER = 1,    /**< X/Twitter archive tweets.js */
    VOCAL_IMPORT_FACEBOOK = 2,   /**< your_posts_*.json, comments*.json */
    VOCAL_IMPORT_INSTAGRAM = 3,  /**< posts_*.json, post_comments_*.json */
    VOCAL_IMPORT_MASTODON = 4,   /**< ActivityPub outbox.json */
    VOCAL_IMPORT_REDDIT = 5,     /**< API listing JSON, or one object per line */
    VOCAL_IMPORT_RSS = 6,        /**< RSS 2.0 */
    VOCAL_IMPORT_ATOM = 7,       /**< Atom 1.0 */
    VOCAL_IMPORT_APPSTORE = 8,   /**< Apple customer-reviews JSON feed */
    VOCAL_IMPORT_GOOGLEPLAY = 9, /**< Play Console review CSV (UTF-16 or UTF-8) */
    VOCAL_IMPORT_HTML = 10       /**< any HTML page; needs an XPath */
} vocal_import_format;

/** Absent engagement counts and ratings. */
#define VOCAL_IMPORT_NONE INT64_MIN

/** Versioned options; initialise with VOCAL_IMPORT_OPTIONS_INIT. */
typedef struct vocal_import_options {
    unsigned version;            /**< VOCAL_IMPORT_OPTIONS_VERSION */
    vocal_import_format format;  /**< VOCAL_IMPORT_AUTO (default) or one format for every file */
    /** HTML: the XPath 1.0 expression whose matched elements are one review
     * each. Required for VOCAL_IMPORT_HTML; ignored otherwise. Copied. */
    const char *xpath;
    /** 1: yield reposts (retweets, boosts) with is_repost set; 0 (default):
     * count them and leave them out. */
    int include_reposts;
    /** 1: authors as in the export; 0 (default): pseudonyms. */
    int keep_authors;
    /** The pseudonym key and its length. NULL: a random key drawn at
     * vocal_importer_new, so pseudonyms link records of this importer only,
     * never across runs. Copied. */
    const void *author_key;
    size_t author_key_len;
} vocal_import_options;

#define VOCAL_IMPORT_OPTIONS_VERSION 1
#define VOCAL_IMPORT_OPTIONS_INIT { VOCAL_IMPORT_OPTIONS_VERSION, VOCAL_IMPORT_AUTO, NULL, 0, 0, NULL, 0 }

/**
 * One imported record. Every pointer is borrowed from the importer and
 * lives until the next vocal_importer_next, vocal_importer_add or
 * vocal_importer_free on it. Strings are NUL-terminated UTF-8; NULL means
 * the export has no such value.
 */
typedef struct vocal_import_record {
    const char *id;          /**< the platform's id, or "sha:" + a hash of time and text */
    const char *created_at;  /**< ISO 8601 UTC, "YYYY-MM-DDThh:mm:ssZ" */
    const char *channel;     /**< the platform: "x", "facebook", … (docs/format/import.md) */
    const char *format;      /**< the importer: vocal_import_format_name */
    const char *source;      /**< the file as added, "FILE!MEMBER" inside an archive */
    const char *url;         /**< the post's own address */
    const char *author;      /**< a pseudonym ("u:" + 16 hex digits) unless keep_authors */
    const char *reply_to;    /**< id or address of the post this answers */
    const char *lang;        /**< language tag as the export gives it */
    const char *title;       /**< review or entry title, kept apart from text */
    const char *text;        /**< clean text (HTML converted), never NULL, "" only for a repost */
    size_t text_len;
    const char *const *links;/**< addresses found in the text (expanded, hrefs) */
    size_t n_links;
    int64_t likes, shares, replies; /**< VOCAL_IMPORT_NONE when absent */
    int64_t rating;          /**< star rating (app stores); VOCAL_IMPORT_NONE when absent */
    int is_repost;           /**< 1 for a retweet or boost */
} vocal_import_record;

/** Counts over every file added so far. */
typedef struct vocal_import_stats {
    uint64_t read;        /**< items found in the exports (posts, comments, entries, rows) */
    uint64_t imported;    /**< records returned by vocal_importer_next */
    uint64_t duplicates;  /**< dropped as duplicates */
    uint64_t reposts;     /**< reposts left out (include_reposts = 0) */
    uint64_t empty;       /**< items without any text (link shares, ratings only), left out */
    uint64_t rejected;    /**< items that could not be read (VOCAL_EINPUT returns) */
} vocal_import_stats;

typedef struct vocal_importer vocal_importer;

/**
 * Make an importer with no input yet.
 * @param[out] out  the importer (vocal_importer_free); NULL on failure.
 * @param o         options; NULL means VOCAL_IMPORT_OPTIONS_INIT. Not kept.
 * @param err       filled on failure; may be NULL.
 * @return VOCAL_OK, VOCAL_EINPUT (HTML without an XPath, an XPath that does
 *         not compile), VOCAL_EIO (no random key could be drawn), VOCAL_ENOMEM.
 */
VOCAL_API int vocal_importer_new(vocal_importer **out, const vocal_import_options *o, vocal_error *err);

/**
 * Read a file (or every known member of a .zip / .tar.gz / .tgz archive)
 * and queue its records. Records still queued from an earlier file are
 * dropped (call vocal_importer_next until it returns 0 first).
 *
 * @param imp   the importer; must not be NULL.
 * @param path  the file; "-" reads standard input. Must not be NULL.
 * @param err   filled on failure; may be NULL.
 * @return VOCAL_OK; VOCAL_EIO; VOCAL_EFORMAT (unknown structure, the wrong
 *         format for the file, a truncated or malformed document: err->byte
 *         is the offset of the damage where known, err->msg the JSON path or
 *         the reason); VOCAL_ENOMEM. After a failure the importer can still
 *         be given other files.
 */
VOCAL_API int vocal_importer_add(vocal_importer *imp, const char *path, vocal_error *err);

/**
 * vocal_importer_new then vocal_importer_add: the reader-like entry point
 * (open / next / free) for callers such as `vocal classify --from`.
 */
VOCAL_API int vocal_importer_open(vocal_importer **out, const char *path, const vocal_import_options *o,
                                  vocal_error *err);

/**
 * The next record of the files added.
 * @param imp  the importer; must not be NULL.
 * @param[out] rec  filled when 1 is returned; zeroed otherwise. Must not be NULL.
 * @param err  filled when VOCAL_EINPUT is returned; may be NULL.
 * @return 1: a record; 0: no more (until another file is added);
 *         VOCAL_EINPUT: an item could not be read: err names the file, the
 *         byte or line where known, and the JSON path; call again.
 */
VOCAL_API int vocal_importer_next(vocal_importer *imp, vocal_import_record *rec, vocal_error *err);

/** Counts so far. imp and out must not be NULL. */
VOCAL_API void vocal_importer_stats(const vocal_importer *imp, vocal_import_stats *out);

/**
 * The format of the last file added, and why it was chosen ("file name
 * tweets.js", "JSON object with orderedItems (ActivityPub)", "given with
 * --from"…). The string lives until the next add or free. imp must not be NULL.
 */
VOCAL_API vocal_import_format vocal_importer_format(const vocal_importer *imp, const char **why);

/** 1 when the key was drawn at random (no author_key given and keep_authors 0). */
VOCAL_API int vocal_importer_random_key(const vocal_importer *imp);

/** Release the importer. NULL-safe. */
VOCAL_API void vocal_importer_free(vocal_importer *imp);

/**
 * Parse a format name, ASCII case-insensitively: "auto", "twitter" (or "x"),
 * "facebook", "instagram", "mastodon", "reddit", "rss", "atom", "appstore",
 * "googleplay", "html". NULL or another name: VOCAL_IMPORT_UNKNOWN.
 */
VOCAL_API vocal_import_format vocal_import_format_from_name(const char *name);

/** The canonical name of a format; "unknown" outside the enum. Static string. */
VOCAL_API const char *vocal_import_format_name(vocal_import_format f);

#ifdef __cplusplus
}
#endif
#endif /* VOCAL_IMPORT_H */
