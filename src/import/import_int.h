/* Internals of the importers (include/vocal/import.h). import.c owns the
 * importer, the queue, dedupe, pseudonyms, detection and archives; json.c
 * the JSON exports; markup.c HTML-to-text, RSS, Atom and HTML pages;
 * gplay.c the Play Console CSV; textutil.c mojibake, entities, dates and
 * HMAC-SHA-256. Never installed. */
#ifndef VOCAL_IMPORT_INT_H
#define VOCAL_IMPORT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "../util/util_int.h"
#include "vocal/import.h"

/* Fields of a queued record, all owned (vocal__malloc) or NULL. */
enum {
    F_ID, F_CREATED, F_URL, F_AUTHOR, F_REPLY_TO, F_LANG, F_TITLE, F_TEXT, F_COUNT
};

typedef struct vocal__irec {
    vocal_error *err;          /* non-NULL: a rejected item, not a record */
    char *f[F_COUNT];
    char **links;
    size_t n_links;
    int64_t likes, shares, replies, rating;
    int is_repost;
    int fmt;                   /* vocal_import_format of the document it came from */
    uint32_t src;              /* index of its source in the sink's srcs */
} vocal__irec;

/* What a format parser fills: the queue of one file or archive member. */
typedef struct vocal__sink {
    vocal__irec *v;
    size_t n, cap;
    const char *path;          /* for messages: the file, or FILE!MEMBER (srcs[n_srcs - 1]) */
    char **srcs;               /* sources of the queued records, owned */
    size_t n_srcs;
    uint64_t read, empty;      /* items seen; items without text */
    vocal_import_format fmt;   /* the document's format; AUTO until json.c decides */
    char why[160];             /* why that format was chosen (auto) */
} vocal__sink;

/* A new record at the end of the queue, zeroed with counts absent; NULL on
 * out-of-memory. Counts as one item read. */
vocal__irec *vocal__sink_add(vocal__sink *s);
/* Set field i to a copy of s[0, n); VOCAL_OK or VOCAL_ENOMEM. NULL s leaves it NULL. */
int vocal__irec_set(vocal__irec *r, int i, const char *s, size_t n);
int vocal__irec_link(vocal__irec *r, const char *s, size_t n);
/* Queue a rejected item: VOCAL_OK, or VOCAL_ENOMEM. byte may be UINT64_MAX. */
int vocal__sink_reject(vocal__sink *s, uint64_t line, uint64_t byte, const char *fmt, ...)
    VOCAL__PRINTF(4, 5);
/* Drop the last record (no text after all) and count it as empty. */
void vocal__sink_drop_last(vocal__sink *s);
void vocal__irec_free(vocal__irec *r);

/* MARK: parsers: each reads buf[0, n) and fills the sink; VOCAL_OK,
 * VOCAL_EFORMAT (err filled, with byte or JSON path) or VOCAL_ENOMEM. */
int vocal__import_json(vocal__sink *s, vocal_import_format f, const char *buf, size_t n, vocal_error *err);
int vocal__import_feed(vocal__sink *s, vocal_import_format f, const char *buf, size_t n, vocal_error *err);
int vocal__import_html(vocal__sink *s, const char *xpath, const char *buf, size_t n, vocal_error *err);
int vocal__import_gplay(vocal__sink *s, const char *buf, size_t n, vocal_error *err);
/* 1 if the XPath compiles. */
int vocal__xpath_valid(const char *xpath);

/* MARK: markup.c */
/* Clean text of an HTML fragment (io: docs/import.md "HTML to text"): into
 * out (reset first), hrefs added to r's links when r is not NULL. */
int vocal__html_text(vocal__buf *out, vocal__irec *r, const char *html, size_t n);

/* MARK: textutil.c */
/* Facebook/Instagram mojibake: if every code point of s is below U+0100 and
 * some are above U+007F, and those code points taken as bytes form valid
 * UTF-8, out gets those bytes; else a copy of s. out is reset first. */
int vocal__mojibake_repair(vocal__buf *out, const char *s, size_t n);
/* Decode HTML character references (&amp; &#39; &#x1F600; and the common
 * named ones) in place; returns the new length. */
size_t vocal__entities_decode(char *s, size_t n);
/* ISO 8601 UTC from epoch seconds into out[21]. */
void vocal__iso_from_epoch(char out[21], int64_t t);
/* Parse dates into ISO 8601 UTC: Twitter's "Thu Mar 03 04:23:56 +0000
 * 2016", RFC 822 ("Thu, 03 Mar 2016 04:23:56 GMT" / "+0200"), ISO 8601 with
 * an offset or Z. 1 on success. */
int vocal__date_parse(char out[21], const char *s);
/* HMAC-SHA-256 (RFC 2104, FIPS 180-4). */
void vocal__hmac_sha256(uint8_t out[32], const void *key, size_t klen, const void *msg, size_t mlen);
/* Trim ASCII whitespace; returns the new bounds through *s / *n. */
void vocal__trim(const char **s, size_t *n);

#endif /* VOCAL_IMPORT_INT_H */
