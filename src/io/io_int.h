/* Internals of the io module's readers (include/vocal/io.h), shared by
 * reader.c (files, buffering, line formats), csv.c and jsonl.c. Never
 * installed. */
#ifndef VOCAL_IO_INT_H
#define VOCAL_IO_INT_H

#include <stddef.h>
#include <stdint.h>

#include "../util/util_int.h"
#include "vocal/io.h"

/* Bytes asked of read(2) at a time, and the size of the input buffer: the
 * buffer never grows, so a long line is assembled in vocal_reader.line
 * (line formats) or in libcsv's field buffer (CSV). 64 KiB amortises the
 * system calls; more buys nothing measurable. */
#define VOCAL__IO_CHUNK ((size_t)64 * 1024)

/* Converting readers (options.encoding) allocate the input buffer this much
 * larger and convert while end < VOCAL__IO_CHUNK, so a converted character
 * (at most 4 bytes of UTF-8) or a U+FFFD always has room. */
#define VOCAL__IO_SLACK ((size_t)16)

/* A byte that is invalid in the declared encoding: where its U+FFFD sits in
 * the converted stream, and where the byte was in the file. */
typedef struct vocal__bad_byte {
    uint64_t at, file_off;
    unsigned char byte;
} vocal__bad_byte;

struct vocal__csv;

struct vocal_reader {
    vocal_format fmt;
    char *path;           /* for messages: as given, or "<stdin>" for "-" */
    int fd;
    int own_fd;           /* 0 for stdin, which is never closed */

    /* MARK: input buffer: buf[pos, end) is unread; buf[0] is at file offset base */
    char *buf;
    size_t pos, end;
    uint64_t base;
    int eof;
    uint64_t line;        /* 1-based line number of the byte at buf[pos] */
    int prev_cr;          /* CSV: the byte before buf[pos] is a CR (so a LF there ends no line) */

    /* MARK: options, copied at open */
    char *text_field;     /* never NULL */
    char *label_field;    /* NULL: unlabelled */
    unsigned char delim;  /* CSV; 0 = sniff */
    int has_header;
    size_t max_rec;

    /* MARK: the current record */
    vocal__buf line_buf;  /* a line that did not fit in buf, assembled */
    vocal__buf lab;       /* label bytes, each NUL-terminated */
    size_t *lab_off;      /* offsets into lab of the current record's labels */
    const char **lab_ptr; /* the same as pointers, built when the record is complete */
    size_t n_lab, cap_lab;
    void *json;           /* jsonl.c: the json_t the record borrows from */

    struct vocal__csv *csv;

    /* MARK: version 2 options and state */
    char **text_fields;   /* n_text >= 1 names; text_fields[0] == text_field */
    size_t n_text;
    int keep_fields, check_utf8;
    int keep_blank_text;  /* options v3: blank text is a record ("", 0), not a reject */
    char *empty_label;    /* JSONL: what an empty label array reads as; NULL rejects it */
    vocal__buf joined;    /* several text cells joined by a blank line */
    vocal_field *fields;  /* the current record's columns (keep_fields) */
    size_t *field_off;    /* value offsets into fbuf, or SIZE_MAX: value points elsewhere */
    size_t n_fields, cap_fields;
    vocal__buf fbuf;      /* field bytes the record does not hold elsewhere */
    char num[64];         /* vocal_reader_lookup: a number rendered as text */
    const char *raw;      /* the current record's raw line, if held */
    size_t raw_len;

    /* MARK: encoding conversion (encoding.c); conv == NULL reads UTF-8 */
    void *conv;           /* iconv_t */
    char *enc_name;       /* for messages */
    unsigned enc_unit;    /* bytes skipped after an invalid one: 1, or 2 for UTF-16 */
    char *rbuf;           /* raw bytes: rbuf[rpos, rend) unread, rbuf[0] at file offset rbase */
    size_t rpos, rend;
    uint64_t rbase;
    int reof;
    vocal__bad_byte *bad; /* queue of invalid bytes not yet matched to a record */
    size_t bad_head, n_bad, cap_bad;

    /* MARK: counts and state */
    uint64_t n_read, n_rejected;
    int fatal;            /* sticky VOCAL_EIO / VOCAL_ENOMEM */
    vocal_error fatal_err;
};

/* Read more input: 1 if bytes were added, 0 at end of input, VOCAL_EIO.
 * Unread bytes are moved to the front of the buffer first when it is full
 * (pointers into buf are invalid afterwards). */
int vocal__io_fill(vocal_reader *r, vocal_error *err);

/* Fill err with VOCAL_EINPUT for the reader's file: a rejected record. */
int vocal__io_reject(vocal_reader *r, vocal_error *err, uint64_t line, uint64_t byte,
                     const char *fmt, ...) VOCAL__PRINTF(5, 6);

/* 1 if s[0, n) holds nothing but spaces, TABs, CR, LF, VT and FF. */
int vocal__io_blank(const char *s, size_t n);

/* Labels of the current record: add copies one (s need not be
 * NUL-terminated; VOCAL_OK or VOCAL_ENOMEM); finish points rec->labels at
 * them once the record is complete. */
int vocal__io_label_add(vocal_reader *r, const char *s, size_t n);
void vocal__io_labels_finish(vocal_reader *r, vocal_record *rec);

/* The first non-blank line of the input, from the buffer, without moving
 * past it (for sniffing). Fills the buffer until the line is whole, the
 * buffer is full or the input ends; *n is 0 if the input has none.
 * Returns VOCAL_OK or VOCAL_EIO. */
int vocal__io_peek_line(vocal_reader *r, const char **s, size_t *n, vocal_error *err);

/* MARK: encoding.c */
/* Set up conversion from `name` to UTF-8 (before any byte is read, or with
 * the bytes already in buf moved back to raw input). VOCAL_OK, VOCAL_EINPUT
 * (an encoding iconv does not know) or VOCAL_ENOMEM. */
int vocal__enc_start(vocal_reader *r, const char *name, vocal_error *err);
/* vocal__io_fill for a converting reader. */
int vocal__enc_fill(vocal_reader *r, vocal_error *err);
/* Reject the record [start, end) of the converted stream if it holds an
 * invalid byte: VOCAL_EINPUT with err filled, or VOCAL_OK. Bytes before
 * start are forgotten. */
int vocal__enc_check(vocal_reader *r, uint64_t line, uint64_t start, uint64_t end, vocal_error *err);
void vocal__enc_free(vocal_reader *r);

/* Fields of the current record: add one (value copied into fbuf when copy
 * is 1, else borrowed), then finish to fix up the pointers. */
int vocal__io_field_add(vocal_reader *r, const char *name, const char *value, size_t len, int copy);
void vocal__io_fields_finish(vocal_reader *r);

/* MARK: csv.c */
/* The delimiter sniffed from a line: the most frequent of , ; TAB outside quotes. */
unsigned char vocal__csv_sniff(const char *s, size_t n);
/* 1 if the line, split at delim, has a cell that names column `name`. */
int vocal__csv_line_names(const char *s, size_t n, unsigned char delim, const char *name);
int vocal__csv_open(vocal_reader *r, vocal_error *err);
int vocal__csv_next(vocal_reader *r, vocal_record *rec, vocal_error *err);
void vocal__csv_free(vocal_reader *r);

/* MARK: jsonl.c */
/* Turn one non-blank line into a record: 1, VOCAL_EINPUT or VOCAL_ENOMEM. */
int vocal__jsonl_record(vocal_reader *r, const char *s, size_t n, uint64_t line, uint64_t byte,
                        vocal_record *rec, vocal_error *err);
void vocal__jsonl_release(vocal_reader *r);
/* vocal_reader_lookup for JSONL: 1 and the value, or 0. */
int vocal__jsonl_lookup(vocal_reader *r, const char *path, const char **s, size_t *n);

#endif /* VOCAL_IO_INT_H */
