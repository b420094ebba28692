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

#endif /* VOCAL_IO_INT_H */
