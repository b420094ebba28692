/* CSV records (RFC 4180) through libcsv: delimiter sniffing, the header and
 * its columns, rows fed a line at a time so that a record's line and byte are
 * known, and oversized rows skipped in bounded memory. See include/vocal/io.h. */
#define _POSIX_C_SOURCE 200809L

#include <csv.h>
#include <stdio.h>
#include <string.h>

#include "io_int.h"

/* We read libcsv's parser state (pstate, quoted, spaces: members of the
 * public struct csv_parser) to know where a row begins and to skip an
 * oversized row with the same rules. The state numbers are libcsv.c's
 * private macros, unchanged since 3.0; a new major may renumber them. */
#if CSV_MAJOR != 3
#error "src/io/csv.c mirrors libcsv 3.x parser states; check them against the new libcsv"
#endif
enum { ROW_NOT_BEGUN = 0, FIELD_NOT_BEGUN = 1, FIELD_BEGUN = 2, FIELD_MIGHT_HAVE_ENDED = 3 };

#define NO_COL SIZE_MAX

/* libcsv grows its field buffer by blk_size bytes at a time; we double
 * blk_size as the buffer grows, so a 10 MB cell costs ~log2 reallocations,
 * not 80,000 (libcsv's default block is 128 bytes). */
#define CSV_FIRST_BLOCK ((size_t)4096)

typedef struct span {
    size_t off, len;
} span;

struct vocal__csv {
    struct csv_parser p;
    unsigned char delim;
    /* the row being read, filled by on_field */
    size_t nfield;
    int row_done, oom, store_all;
    vocal__buf cells;        /* bytes of the fields kept */
    span *spans;             /* store_all (the header): every field */
    size_t n_spans, cap_spans;
    span text, label;
    uint64_t row_line, row_byte;
    /* columns */
    size_t text_col, label_col, need_cols, ncols; /* 0-based; ncols = header width, 0 if none */
    size_t *text_cols;       /* r->n_text columns; text_cols[0] == text_col */
    int keep_rows;           /* store every field of data rows (keep_fields, several text columns) */
    vocal__buf names;        /* column names, each NUL-terminated (keep_fields) */
    vocal__buf raw;          /* the row's bytes as read, for vocal_reader_raw (never over max_rec + 2) */
    size_t *name_off;
    size_t n_names;
    int empty;               /* has_header, but the input had no row at all */
};

/* A kept field's bytes; "" for an empty one (cells.p is NULL until a
 * non-empty field is kept, and NULL + 0 is undefined). */
static const char *cell(const struct vocal__csv *c, span sp)
{
    return sp.len ? c->cells.p + sp.off : "";
}

/* MARK: sniffing (io.h: the most frequent of , ; TAB outside quotes) */

unsigned char vocal__csv_sniff(const char *s, size_t n)
{
    static const unsigned char cand[3] = {',', ';', '\t'};
    size_t count[3] = {0, 0, 0};
    int quoted = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') quoted = !quoted;
        if (quoted) continue;
        for (int k = 0; k < 3; k++)
            if ((unsigned char)s[i] == cand[k]) count[k]++;
    }
    int best = 0;
    for (int k = 1; k < 3; k++)
        if (count[k] > count[best]) best = k;
    return cand[best];
}

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int cell_is(const char *s, size_t n, const char *name, int fold)
{
    size_t m = strlen(name);
    if (m != n) return 0;
    if (!fold) return memcmp(s, name, n) == 0;
    for (size_t i = 0; i < n; i++)
        if (ascii_lower((unsigned char)s[i]) != ascii_lower((unsigned char)name[i])) return 0;
    return 1;
}

int vocal__csv_line_names(const char *s, size_t n, unsigned char delim, const char *name)
{
    /* a rough split for sniffing: quotes stripped, doubled quotes kept as
     * one, unquoted cells trimmed; names over 255 bytes never match */
    char got[256];
    size_t i = 0;
    for (;;) {
        size_t k = 0;
        int too_long = 0;
        while (i < n && (s[i] == ' ' || s[i] == '\t') && (unsigned char)s[i] != delim) i++;
        if (i < n && s[i] == '"') {
            for (i++; i < n; i++) {
                if (s[i] == '"') {
                    if (i + 1 < n && s[i + 1] == '"') i++;
                    else {
                        i++;
                        break;
                    }
                }
                if (k < sizeof got) got[k++] = s[i];
                else too_long = 1;
            }
            while (i < n && (unsigned char)s[i] != delim) i++;
        } else {
            for (; i < n && (unsigned char)s[i] != delim; i++) {
                if (k < sizeof got) got[k++] = s[i];
                else too_long = 1;
            }
            while (k && (got[k - 1] == ' ' || got[k - 1] == '\t')) k--;
        }
        if (!too_long && (cell_is(got, k, name, 0) || cell_is(got, k, name, 1))) return 1;
        if (i >= n) return 0;
        i++; /* the delimiter */
    }
}

/* MARK: libcsv callbacks */

static void keep(struct vocal__csv *c, span *sp, const void *s, size_t len)
{
    sp->off = c->cells.len;
    sp->len = len;
    if (vocal__buf_put(&c->cells, s, len) < 0) c->oom = 1;
}

static void on_field(void *s, size_t len, void *data)
{
    struct vocal__csv *c = (struct vocal__csv *)data;
    size_t idx = c->nfield++;
    if (c->oom) return;
    if (c->store_all) {
        if (c->n_spans == c->cap_spans) {
            size_t cap = c->cap_spans ? c->cap_spans * 2 : 16;
            span *sp = (span *)vocal__realloc(c->spans, cap * sizeof *sp);
            if (!sp) {
                c->oom = 1;
                return;
            }
            c->spans = sp;
            c->cap_spans = cap;
        }
        keep(c, &c->spans[c->n_spans++], s, len);
        return;
    }
    if (idx == c->text_col) keep(c, &c->text, s, len);
    if (idx == c->label_col) keep(c, &c->label, s, len);
}

static void on_row(int term, void *data)
{
    (void)term;
    ((struct vocal__csv *)data)->row_done = 1;
}

/* MARK: rows */

static void parser_init(struct vocal__csv *c)
{
    csv_init(&c->p, 0); /* not strict: a stray quote in an unquoted field is data */
    csv_set_delim(&c->p, c->delim);
    csv_set_realloc_func(&c->p, vocal__realloc);
    csv_set_free_func(&c->p, vocal__free);
    csv_set_blk_size(&c->p, CSV_FIRST_BLOCK);
}

static void parser_reset(struct vocal__csv *c)
{
    csv_free(&c->p);
    parser_init(c);
}

/* Length of the next segment of buf[pos, end): through the first CR or LF,
 * or all of it. Rows end only at a CR or LF, so at most one row ends in a
 * segment, and it ends at the segment's last byte. */
static size_t segment(const char *p, size_t avail)
{
    for (size_t i = 0; i < avail; i++)
        if (p[i] == '\n' || p[i] == '\r') return i + 1;
    return avail;
}

/* Consume a segment, counting lines: LF, CR LF and a lone CR each end one. */
static void advance(vocal_reader *r, size_t n)
{
    char last = r->buf[r->pos + n - 1];
    if (last == '\n') {
        if (!(n == 1 && r->prev_cr)) r->line++;
        r->prev_cr = 0;
    } else if (last == '\r') {
        r->line++;
        r->prev_cr = 1;
    } else {
        r->prev_cr = 0;
    }
    r->pos += n;
}

/* One byte of libcsv 3.0.3's csv_parse state machine (non-strict, default
 * space and line-end tests), for skipping a row without keeping its bytes.
 * Returns 1 when the byte ends the row. Unlike libcsv, a line end before the
 * row has begun ends the skip too, so a skip never swallows the next row. */
static int skip_byte(int *st, int *quoted, size_t *spaces, unsigned char ch, unsigned char delim)
{
    int sp = ch == ' ' || ch == '\t';
    int term = ch == '\r' || ch == '\n';
    switch (*st) {
    case ROW_NOT_BEGUN:
    case FIELD_NOT_BEGUN:
        if (sp && ch != delim) return 0;
        if (term) {
            *st = ROW_NOT_BEGUN;
            return 1;
        }
        if (ch == delim) {
            *st = FIELD_NOT_BEGUN;
            return 0;
        }
        *st = FIELD_BEGUN;
        *quoted = ch == '"';
        *spaces = 0;
        return 0;
    case FIELD_BEGUN:
        if (ch == '"') {
            if (*quoted) *st = FIELD_MIGHT_HAVE_ENDED;
            return 0;
        }
        if (ch == delim) {
            if (!*quoted) *st = FIELD_NOT_BEGUN;
            return 0;
        }
        if (term) {
            if (*quoted) return 0;
            *st = ROW_NOT_BEGUN;
            return 1;
        }
        if (!*quoted && sp) (*spaces)++;
        else *spaces = 0;
        return 0;
    default: /* FIELD_MIGHT_HAVE_ENDED */
        if (ch == delim) {
            *st = FIELD_NOT_BEGUN;
            return 0;
        }
        if (term) {
            *st = ROW_NOT_BEGUN;
            return 1;
        }
        if (sp) {
            (*spaces)++;
            return 0;
        }
        if (ch == '"') {
            if (*spaces) *spaces = 0;
            else *st = FIELD_BEGUN;
            return 0;
        }
        *st = FIELD_BEGUN;
        *spaces = 0;
        return 0;
    }
}

/* Skip the rest of an oversized row, from libcsv's state, and reject it. */
static int skip_row(vocal_reader *r, struct vocal__csv *c, vocal_error *err)
{
    int st = c->p.pstate, quoted = c->p.quoted;
    size_t spaces = c->p.spaces;
    int at_eof = 0;
    for (;;) {
        if (r->pos == r->end) {
            int rc = vocal__io_fill(r, err);
            if (rc < 0) return rc;
            if (rc == 0) {
                at_eof = 1;
                break;
            }
        }
        const char *p = r->buf + r->pos;
        size_t n = segment(p, r->end - r->pos);
        int ended = 0;
        for (size_t i = 0; i < n; i++) ended = skip_byte(&st, &quoted, &spaces, (unsigned char)p[i], c->delim);
        advance(r, n);
        if (ended) break;
    }
    parser_reset(c);
    if (at_eof && quoted && st == FIELD_BEGUN)
        return vocal__io_reject(r, err, c->row_line, c->row_byte,
                                "record longer than %zu bytes (a quoted field runs to the end of the file)",
                                r->max_rec);
    return vocal__io_reject(r, err, c->row_line, c->row_byte, "record longer than %zu bytes", r->max_rec);
}

/* Read one row: 1, 0 at end of input, VOCAL_EINPUT (a row that cannot be
 * read was skipped; err says why), VOCAL_EIO or VOCAL_ENOMEM. */
static int read_row(vocal_reader *r, struct vocal__csv *c, vocal_error *err)
{
    c->nfield = 0;
    c->row_done = 0;
    c->cells.len = 0;
    c->n_spans = 0;
    c->text.len = c->label.len = 0;
    c->text.off = c->label.off = 0;
    for (;;) {
        if (r->pos == r->end) {
            int rc = vocal__io_fill(r, err);
            if (rc < 0) return rc;
            if (rc == 0) {
                /* CSV_STRICT_FINI makes csv_fini refuse an open quoted field */
                csv_set_opts(&c->p, CSV_STRICT | CSV_STRICT_FINI);
                if (csv_fini(&c->p, on_field, on_row, c) != 0) {
                    parser_reset(c);
                    return vocal__io_reject(r, err, c->row_line, c->row_byte,
                                            "unterminated quoted field at end of file");
                }
                csv_set_opts(&c->p, 0);
                if (c->oom) return vocal__err_oom(err);
                return c->row_done ? 1 : 0;
            }
        }
        const char *p = r->buf + r->pos;
        size_t n = segment(p, r->end - r->pos);
        int term = p[n - 1] == '\n' || p[n - 1] == '\r';
        if (c->p.pstate == ROW_NOT_BEGUN) {
            c->row_line = r->line;
            c->row_byte = r->base + r->pos;
            c->raw.len = 0;
        }
        /* the row's size if it ended here, line end excluded (io.h) */
        uint64_t size = r->base + r->pos + n - (uint64_t)term - c->row_byte;
        if (size > r->max_rec) {
            c->raw.len = 0; /* io.h: an oversized record is not held */
            return skip_row(r, c, err);
        }
        if (vocal__buf_put(&c->raw, p, n) < 0) return vocal__err_oom(err);
        size_t fed = csv_parse(&c->p, p, n, on_field, on_row, c);
        if (c->oom || fed < n) return vocal__err_oom(err); /* CSV_ENOMEM or CSV_ETOOBIG */
        advance(r, n);
        size_t have = csv_get_buffer_size(&c->p);
        if (have > c->p.blk_size && c->p.blk_size < r->max_rec)
            csv_set_blk_size(&c->p, have < r->max_rec ? have : r->max_rec);
        if (c->row_done) return 1;
    }
}

/* MARK: columns */

static void list_columns(struct vocal__csv *c, char *dst, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < c->n_spans && k + 1 < cap; i++) {
        int w = snprintf(dst + k, cap - k, "%s%.*s", i ? ", " : "", (int)(c->spans[i].len > 40 ? 40 : c->spans[i].len),
                         cell(c, c->spans[i]));
        if (w < 0) break;
        k += (size_t)w;
    }
    if (k >= cap) k = cap - 1;
    dst[k] = '\0';
}

static int parse_index(const char *s, size_t *out)
{
    size_t v = 0;
    if (!*s) return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return 0;
        if (v > (SIZE_MAX - 9) / 10) return 0;
        v = v * 10 + (size_t)(*s - '0');
    }
    *out = v;
    return 1;
}

/* Resolve a column given by name or 1-based index. */
static int find_column(vocal_reader *r, struct vocal__csv *c, const char *what, const char *name,
                       size_t *col, vocal_error *err)
{
    uint64_t line = r->has_header ? c->row_line : 0;
    uint64_t byte = r->has_header ? c->row_byte : UINT64_MAX;
    if (r->has_header) {
        for (int fold = 0; fold < 2; fold++) {
            size_t hits = 0, at = 0;
            for (size_t i = 0; i < c->n_spans; i++) {
                if (cell_is(cell(c, c->spans[i]), c->spans[i].len, name, fold)) {
                    if (!hits) at = i;
                    hits++;
                }
            }
            if (hits == 1) {
                *col = at;
                return VOCAL_OK;
            }
            if (hits > 1)
                return vocal__err(err, VOCAL_EINPUT, r->path, line, byte,
                                  "%s column \"%s\" is named %zu times in the header", what, name, hits);
        }
    }
    size_t v;
    if (parse_index(name, &v)) {
        if (v == 0)
            return vocal__err(err, VOCAL_EINPUT, r->path, line, byte,
                              "%s column 0: columns are counted from 1", what);
        if (r->has_header && v > c->n_spans)
            return vocal__err(err, VOCAL_EINPUT, r->path, line, byte,
                              "%s column %zu: the header has %zu columns", what, v, c->n_spans);
        *col = v - 1;
        return VOCAL_OK;
    }
    if (!r->has_header)
        return vocal__err(err, VOCAL_EINPUT, r->path, line, byte,
                          "%s column \"%s\" must be a 1-based index: the CSV has no header", what, name);
    char cols[160];
    list_columns(c, cols, sizeof cols);
    return vocal__err(err, VOCAL_EINPUT, r->path, line, byte, "no %s column \"%s\" in the header (%s)",
                      what, name, cols);
}

/* vocal_reader_raw: the row as read, without its line end. */
static void keep_raw(vocal_reader *r, struct vocal__csv *c)
{
    size_t n = c->raw.len;
    while (n && (c->raw.p[n - 1] == '\n' || c->raw.p[n - 1] == '\r')) n--;
    if (!n) return;
    r->raw = c->raw.p;
    r->raw_len = n;
}

/* MARK: kept rows (several text columns, keep_fields) */

/* Copy the header's cells as the column names, each NUL-terminated. */
static int keep_names(struct vocal__csv *c)
{
    c->name_off = (size_t *)vocal__calloc(c->n_spans ? c->n_spans : 1, sizeof *c->name_off);
    if (!c->name_off) return VOCAL_ENOMEM;
    for (size_t i = 0; i < c->n_spans; i++) {
        c->name_off[i] = c->names.len;
        if (vocal__buf_put(&c->names, cell(c, c->spans[i]), c->spans[i].len) < 0 ||
            vocal__buf_putc(&c->names, '\0') < 0)
            return VOCAL_ENOMEM;
    }
    c->n_names = c->n_spans;
    return VOCAL_OK;
}

/* A column's name: the header cell, or its 1-based index without a header
 * (names for the widest row so far are made as rows need them). */
static const char *column_name(struct vocal__csv *c, size_t i)
{
    while (c->n_names <= i) {
        size_t *off = (size_t *)vocal__realloc(c->name_off, (c->n_names + 1) * sizeof *off);
        if (!off) return NULL;
        c->name_off = off;
        char num[24];
        int n = snprintf(num, sizeof num, "%zu", c->n_names + 1);
        off[c->n_names] = c->names.len;
        if (vocal__buf_put(&c->names, num, (size_t)n + 1) < 0) return NULL;
        c->n_names++;
    }
    return c->names.p + c->name_off[i];
}

/* The record of a row whose every field was kept in spans. */
static int next_kept(vocal_reader *r, struct vocal__csv *c, vocal_record *rec, vocal_error *err)
{
    uint64_t line = c->row_line, byte = c->row_byte;
    if (c->ncols && c->nfield != c->ncols)
        return vocal__io_reject(r, err, line, byte, "row has %zu column%s, the header has %zu", c->nfield,
                                c->nfield == 1 ? "" : "s", c->ncols);
    if (c->nfield < c->need_cols)
        return vocal__io_reject(r, err, line, byte, "row has %zu column%s, column %zu is needed", c->nfield,
                                c->nfield == 1 ? "" : "s", c->need_cols);
    if (r->n_text == 1) {
        rec->text = cell(c, c->spans[c->text_col]);
        rec->text_len = c->spans[c->text_col].len;
    } else {
        /* io.h: the non-blank cells joined by a blank line */
        r->joined.len = 0;
        for (size_t i = 0; i < r->n_text; i++) {
            span sp = c->spans[c->text_cols[i]];
            if (vocal__io_blank(cell(c, sp), sp.len)) continue;
            if ((r->joined.len && vocal__buf_put(&r->joined, "\n\n", 2) < 0) ||
                vocal__buf_put(&r->joined, cell(c, sp), sp.len) < 0)
                return vocal__err_oom(err);
        }
        rec->text = r->joined.len ? r->joined.p : "";
        rec->text_len = r->joined.len;
    }
    if (vocal__io_blank(rec->text, rec->text_len)) {
        if (!r->keep_blank_text)
            return vocal__io_reject(r, err, line, byte, "empty text in column \"%s\"%s", r->text_field,
                                    r->n_text > 1 ? " and the other text columns" : "");
        rec->text = "";
        rec->text_len = 0;
    }
    if (c->label_col != NO_COL) {
        span sp = c->spans[c->label_col];
        const char *label = cell(c, sp);
        if (vocal__io_blank(label, sp.len))
            return vocal__io_reject(r, err, line, byte, "empty label in column \"%s\"", r->label_field);
        if (memchr(label, '\0', sp.len)) return vocal__io_reject(r, err, line, byte, "NUL byte in label");
        if (vocal__io_label_add(r, label, sp.len) < 0) return vocal__err_oom(err);
    }
    if (r->keep_fields) {
        for (size_t i = 0; i < c->nfield; i++) {
            const char *name = column_name(c, i);
            if (!name || vocal__io_field_add(r, NULL, cell(c, c->spans[i]), c->spans[i].len, 0) < 0)
                return vocal__err_oom(err);
        }
        /* names are pointed at last: c->names may have grown */
        for (size_t i = 0; i < c->nfield; i++) r->fields[i].name = c->names.p + c->name_off[i];
    }
    rec->line = line;
    rec->byte = byte;
    return 1;
}

/* MARK: reader hooks */

int vocal__csv_open(vocal_reader *r, vocal_error *err)
{
    struct vocal__csv *c = (struct vocal__csv *)vocal__calloc(1, sizeof *c);
    if (!c) return vocal__err_oom(err);
    r->csv = c;
    c->text_col = c->label_col = NO_COL;
    c->delim = r->delim;
    if (!c->delim) {
        const char *s;
        size_t n;
        int rc = vocal__io_peek_line(r, &s, &n, err);
        if (rc < 0) return rc;
        c->delim = vocal__csv_sniff(s, n);
    }
    parser_init(c);
    if (r->has_header) {
        c->store_all = 1;
        int rc = read_row(r, c, err);
        c->store_all = 0;
        if (rc < 0) return rc; /* an unreadable header: EINPUT with its line */
        if (rc == 0) {
            c->empty = 1;
            return VOCAL_OK;
        }
        c->ncols = c->n_spans;
    }
    c->text_cols = (size_t *)vocal__calloc(r->n_text, sizeof *c->text_cols);
    if (!c->text_cols) return vocal__err_oom(err);
    int rc;
    for (size_t i = 0; i < r->n_text; i++) {
        if ((rc = find_column(r, c, "text", r->text_fields[i], &c->text_cols[i], err)) < 0) return rc;
        if (c->text_cols[i] + 1 > c->need_cols) c->need_cols = c->text_cols[i] + 1;
    }
    c->text_col = c->text_cols[0];
    c->keep_rows = r->keep_fields || r->n_text > 1;
    if (r->keep_fields && r->has_header && (rc = keep_names(c)) < 0) return vocal__err_oom(err);
    if (r->label_field) {
        if ((rc = find_column(r, c, "label", r->label_field, &c->label_col, err)) < 0) return rc;
        for (size_t i = 0; i < r->n_text; i++)
            if (c->label_col == c->text_cols[i])
            return vocal__err(err, VOCAL_EINPUT, r->path, r->has_header ? c->row_line : 0,
                              r->has_header ? c->row_byte : UINT64_MAX, "text and label are the same column");
    }
    if (c->label_col != NO_COL && c->label_col + 1 > c->need_cols) c->need_cols = c->label_col + 1;
    /* the header's cells are no longer needed */
    vocal__free(c->spans);
    c->spans = NULL;
    c->n_spans = c->cap_spans = 0;
    return VOCAL_OK;
}

int vocal__csv_next(vocal_reader *r, vocal_record *rec, vocal_error *err)
{
    struct vocal__csv *c = r->csv;
    if (c->empty) return 0;
    c->store_all = c->keep_rows;
    int rc = read_row(r, c, err);
    c->store_all = 0;
    if (rc == 1 || rc == VOCAL_EINPUT) keep_raw(r, c);
    if (rc <= 0) return rc;
    if (c->keep_rows) return next_kept(r, c, rec, err);
    uint64_t line = c->row_line, byte = c->row_byte;
    if (c->ncols && c->nfield != c->ncols)
        return vocal__io_reject(r, err, line, byte, "row has %zu column%s, the header has %zu", c->nfield,
                                c->nfield == 1 ? "" : "s", c->ncols);
    if (c->nfield < c->need_cols)
        return vocal__io_reject(r, err, line, byte, "row has %zu column%s, column %zu is needed", c->nfield,
                                c->nfield == 1 ? "" : "s", c->need_cols);
    const char *text = cell(c, c->text);
    size_t tlen = c->text.len;
    if (vocal__io_blank(text, tlen)) {
        if (!r->keep_blank_text)
            return vocal__io_reject(r, err, line, byte, "empty text in column \"%s\"", r->text_field);
        text = "";
        tlen = 0;
    }
    if (c->label_col != NO_COL) {
        const char *label = cell(c, c->label);
        if (vocal__io_blank(label, c->label.len))
            return vocal__io_reject(r, err, line, byte, "empty label in column \"%s\"", r->label_field);
        if (memchr(label, '\0', c->label.len))
            return vocal__io_reject(r, err, line, byte, "NUL byte in label");
        if (vocal__io_label_add(r, label, c->label.len) < 0) return vocal__err_oom(err);
    }
    rec->text = text;
    rec->text_len = tlen;
    rec->line = line;
    rec->byte = byte;
    return 1;
}

void vocal__csv_free(vocal_reader *r)
{
    struct vocal__csv *c = r->csv;
    if (!c) return;
    csv_free(&c->p);
    vocal__buf_free(&c->cells);
    vocal__free(c->spans);
    vocal__free(c->text_cols);
    vocal__buf_free(&c->names);
    vocal__buf_free(&c->raw);
    vocal__free(c->name_off);
    vocal__free(c);
    r->csv = NULL;
}
