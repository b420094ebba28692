/* The io module's readers: opening, format detection, buffered input and
 * the line formats (TSV, fastText, lines, and the line layer under JSONL).
 * CSV is in csv.c, JSON in jsonl.c. See include/vocal/io.h. */
#define _POSIX_C_SOURCE 200809L

#include "vocal/io.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io_int.h"
#include "vocal/text.h"

/* MARK: small helpers */

int vocal__io_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case ' ': case '\t': case '\r': case '\n': case '\v': case '\f':
            break;
        default:
            return 0;
        }
    }
    return 1;
}

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int ascii_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b)) return 0;
    return *a == *b;
}

int vocal__io_reject(vocal_reader *r, vocal_error *err, uint64_t line, uint64_t byte,
                     const char *fmt, ...)
{
    char msg[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return vocal__err(err, VOCAL_EINPUT, r->path, line, byte, "%s", msg);
}

/* MARK: format names */

static const char *const format_names[] = {"auto", "tsv", "fasttext", "csv", "jsonl", "lines"};

const char *vocal_format_name(vocal_format f)
{
    if ((int)f < 0 || (size_t)f >= sizeof format_names / sizeof format_names[0]) return "unknown";
    return format_names[f];
}

vocal_format vocal_format_from_name(const char *name)
{
    static const struct {
        const char *name;
        vocal_format f;
    } aliases[] = {{"ft", VOCAL_FMT_FASTTEXT}, {"ndjson", VOCAL_FMT_JSONL}, {"txt", VOCAL_FMT_LINES}};
    if (!name) return VOCAL_FMT_UNKNOWN;
    for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if (ascii_ieq(name, format_names[i])) return (vocal_format)i;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (ascii_ieq(name, aliases[i].name)) return aliases[i].f;
    return VOCAL_FMT_UNKNOWN;
}

/* MARK: input buffer */

int vocal__io_fill(vocal_reader *r, vocal_error *err)
{
    if (r->conv) return vocal__enc_fill(r, err);
    if (r->eof) return 0;
    if (r->pos == r->end) {
        r->base += r->end;
        r->pos = r->end = 0;
    } else if (r->end == VOCAL__IO_CHUNK) {
        if (r->pos == 0) return 1; /* full of unread bytes: callers never ask then */
        memmove(r->buf, r->buf + r->pos, r->end - r->pos);
        r->base += r->pos;
        r->end -= r->pos;
        r->pos = 0;
    }
    for (;;) {
        ssize_t k = read(r->fd, r->buf + r->end, VOCAL__IO_CHUNK - r->end);
        if (k > 0) {
            r->end += (size_t)k;
            return 1;
        }
        if (k == 0) {
            r->eof = 1;
            return 0;
        }
        if (errno == EINTR) continue;
        char why[128];
        if (strerror_r(errno, why, sizeof why) != 0) snprintf(why, sizeof why, "errno %d", errno);
        return vocal__err(err, VOCAL_EIO, r->path, r->line, r->base + r->end, "read error: %s", why);
    }
}

int vocal__io_peek_line(vocal_reader *r, const char **s, size_t *n, vocal_error *err)
{
    *s = NULL;
    *n = 0;
    for (;;) {
        /* look for a non-blank line that ends inside the buffer */
        const char *p = r->buf + r->pos, *end = r->buf + r->end;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *stop = nl ? nl : end;
            if (!vocal__io_blank(p, (size_t)(stop - p))) {
                if (nl || r->eof || (r->pos == 0 && r->end >= VOCAL__IO_CHUNK)) {
                    size_t len = (size_t)(stop - p);
                    if (len && p[len - 1] == '\r') len--;
                    *s = p;
                    *n = len;
                    return VOCAL_OK;
                }
                break; /* not whole yet */
            }
            if (!nl) break;
            p = nl + 1;
        }
        if (r->eof || (r->pos == 0 && r->end >= VOCAL__IO_CHUNK)) return VOCAL_OK;
        int rc = vocal__io_fill(r, err);
        if (rc < 0) return rc;
    }
}

/* MARK: labels */

int vocal__io_label_add(vocal_reader *r, const char *s, size_t n)
{
    if (r->n_lab == r->cap_lab) {
        size_t cap = r->cap_lab ? r->cap_lab * 2 : 8;
        size_t *off = (size_t *)vocal__realloc(r->lab_off, cap * sizeof *off);
        if (!off) return VOCAL_ENOMEM;
        r->lab_off = off;
        const char **ptr = (const char **)vocal__realloc((void *)r->lab_ptr, cap * sizeof *ptr);
        if (!ptr) return VOCAL_ENOMEM;
        r->lab_ptr = ptr;
        r->cap_lab = cap;
    }
    if (vocal__buf_reserve(&r->lab, n + 1) < 0) return VOCAL_ENOMEM;
    r->lab_off[r->n_lab++] = r->lab.len;
    if (n) memcpy(r->lab.p + r->lab.len, s, n);
    r->lab.len += n;
    r->lab.p[r->lab.len++] = '\0';
    return VOCAL_OK;
}

void vocal__io_labels_finish(vocal_reader *r, vocal_record *rec)
{
    /* pointers are made last: lab.p may have moved while labels were added */
    for (size_t i = 0; i < r->n_lab; i++) r->lab_ptr[i] = r->lab.p + r->lab_off[i];
    rec->labels = r->n_lab ? r->lab_ptr : NULL;
    rec->n_labels = r->n_lab;
}

/* MARK: fields (options.keep_fields) */

int vocal__io_field_add(vocal_reader *r, const char *name, const char *value, size_t len, int copy)
{
    if (r->n_fields == r->cap_fields) {
        size_t cap = r->cap_fields ? r->cap_fields * 2 : 16;
        vocal_field *f = (vocal_field *)vocal__realloc(r->fields, cap * sizeof *f);
        if (!f) return VOCAL_ENOMEM;
        r->fields = f;
        size_t *off = (size_t *)vocal__realloc(r->field_off, cap * sizeof *off);
        if (!off) return VOCAL_ENOMEM;
        r->field_off = off;
        r->cap_fields = cap;
    }
    vocal_field *f = &r->fields[r->n_fields];
    f->name = name;
    f->len = len;
    f->value = copy ? NULL : (len ? value : "");
    r->field_off[r->n_fields] = SIZE_MAX;
    if (copy && len) {
        r->field_off[r->n_fields] = r->fbuf.len;
        if (vocal__buf_put(&r->fbuf, value, len) < 0) return VOCAL_ENOMEM;
    } else if (copy) {
        f->value = "";
    }
    r->n_fields++;
    return VOCAL_OK;
}

void vocal__io_fields_finish(vocal_reader *r)
{
    /* pointers are made last: fbuf.p may have moved while fields were added */
    for (size_t i = 0; i < r->n_fields; i++)
        if (r->field_off[i] != SIZE_MAX) r->fields[i].value = r->fbuf.p + r->field_off[i];
}

/* MARK: lines */

/* The next line, without its LF and a CR before it. Returns 1 (a line, which
 * may be empty), 0 at end of input, or VOCAL_EIO / VOCAL_ENOMEM. A line over
 * max_rec bytes sets *over and is skipped without being held. *s points into
 * the input buffer when the line lies in it whole, else into line_buf. */
static int read_line(vocal_reader *r, const char **s, size_t *n, uint64_t *lno, uint64_t *off,
                     int *over, vocal_error *err)
{
    size_t got = 0;
    int copied = 0, seen = 0;
    *s = NULL;
    *n = 0;
    *over = 0;
    *lno = r->line;
    *off = r->base + r->pos;
    r->line_buf.len = 0;
    for (;;) {
        if (r->pos == r->end) {
            int rc = vocal__io_fill(r, err);
            if (rc < 0) return rc;
            if (rc == 0) {
                if (!seen) return 0;
                break; /* a last line without LF */
            }
            if (!seen) *off = r->base + r->pos;
        }
        seen = 1;
        char *p = r->buf + r->pos;
        size_t avail = r->end - r->pos;
        char *nl = (char *)memchr(p, '\n', avail);
        size_t take = nl ? (size_t)(nl - p) : avail;
        if (!*over) {
            if (got + take > r->max_rec + 1) { /* + 1: a CR that may yet be dropped */
                *over = 1;
                r->line_buf.len = 0;
            } else if (nl && !copied) {
                *s = p;
                *n = take;
            } else {
                if (vocal__buf_put(&r->line_buf, p, take) < 0) return vocal__err_oom(err);
                copied = 1;
            }
        }
        got += take;
        r->pos += take;
        if (nl) {
            r->pos++;
            break;
        }
    }
    r->line++;
    if (*over) return 1;
    if (copied) {
        *s = r->line_buf.p;
        *n = r->line_buf.len;
    }
    if (*n && (*s)[*n - 1] == '\r') (*n)--;
    if (*n > r->max_rec) *over = 1;
    return 1;
}

static int tsv_record(vocal_reader *r, const char *s, size_t n, uint64_t line, uint64_t byte,
                      vocal_record *rec, vocal_error *err)
{
    const char *tab = (const char *)memchr(s, '\t', n);
    if (!tab) return vocal__io_reject(r, err, line, byte, "missing label (no TAB)");
    size_t llen = (size_t)(tab - s);
    if (vocal__io_blank(s, llen)) return vocal__io_reject(r, err, line, byte, "empty label");
    if (memchr(s, '\0', llen)) return vocal__io_reject(r, err, line, byte, "NUL byte in label");
    const char *text = tab + 1;
    size_t tlen = n - llen - 1;
    if (vocal__io_blank(text, tlen)) return vocal__io_reject(r, err, line, byte, "empty text");
    if (vocal__io_label_add(r, s, llen) < 0) return vocal__err_oom(err);
    rec->text = text;
    rec->text_len = tlen;
    return 1;
}

static int ft_space(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

/* fastText: leading __label__X tokens, then the text (fastText's
 * Dictionary::readWord splits at the same whitespace). */
static int ft_record(vocal_reader *r, const char *s, size_t n, uint64_t line, uint64_t byte,
                     vocal_record *rec, vocal_error *err)
{
    static const char prefix[] = "__label__";
    const size_t plen = sizeof prefix - 1;
    size_t i = 0;
    for (;;) {
        while (i < n && ft_space(s[i])) i++;
        if (n - i < plen || memcmp(s + i, prefix, plen) != 0) break;
        size_t j = i + plen;
        while (j < n && !ft_space(s[j])) j++;
        size_t llen = j - i - plen;
        if (llen == 0) return vocal__io_reject(r, err, line, byte, "empty label (a bare __label__)");
        if (memchr(s + i + plen, '\0', llen))
            return vocal__io_reject(r, err, line, byte, "NUL byte in label");
        if (vocal__io_label_add(r, s + i + plen, llen) < 0) return vocal__err_oom(err);
        i = j;
    }
    if (r->n_lab == 0) return vocal__io_reject(r, err, line, byte, "missing label (no __label__ prefix)");
    if (vocal__io_blank(s + i, n - i)) return vocal__io_reject(r, err, line, byte, "empty text");
    rec->text = s + i;
    rec->text_len = n - i;
    return 1;
}

static int lines_next(vocal_reader *r, vocal_record *rec, vocal_error *err)
{
    for (;;) {
        const char *s;
        size_t n;
        uint64_t line, byte;
        int over, rc;
        if ((rc = read_line(r, &s, &n, &line, &byte, &over, err)) <= 0) return rc;
        if (over) return vocal__io_reject(r, err, line, byte, "record longer than %zu bytes", r->max_rec);
        if (vocal__io_blank(s, n)) continue; /* io.h: blank lines are not records */
        r->raw = s;
        r->raw_len = n;
        rec->line = line;
        rec->byte = byte;
        switch (r->fmt) {
        case VOCAL_FMT_TSV:
            return tsv_record(r, s, n, line, byte, rec, err);
        case VOCAL_FMT_FASTTEXT:
            return ft_record(r, s, n, line, byte, rec, err);
        case VOCAL_FMT_JSONL:
            return vocal__jsonl_record(r, s, n, line, byte, rec, err);
        default:
            rec->text = s;
            rec->text_len = n;
            return 1;
        }
    }
}

/* MARK: format detection (io.h, vocal_reader_open) */

static vocal_format format_from_extension(const char *path)
{
    static const struct {
        const char *ext;
        vocal_format f;
    } exts[] = {{".tsv", VOCAL_FMT_TSV},     {".txt", VOCAL_FMT_LINES},
                {".csv", VOCAL_FMT_CSV},     {".jsonl", VOCAL_FMT_JSONL},
                {".ndjson", VOCAL_FMT_JSONL}, {".ft", VOCAL_FMT_FASTTEXT},
                {".fasttext", VOCAL_FMT_FASTTEXT}};
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base) return VOCAL_FMT_AUTO;
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (ascii_ieq(dot, exts[i].ext)) return exts[i].f;
    return VOCAL_FMT_AUTO;
}

static int format_from_content(vocal_reader *r, vocal_format *out, vocal_error *err)
{
    const char *s;
    size_t n;
    int rc = vocal__io_peek_line(r, &s, &n, err);
    if (rc < 0) return rc;
    if (n == 0) { /* no non-blank line: nothing to read whatever the format */
        *out = VOCAL_FMT_LINES;
        return VOCAL_OK;
    }
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
    if (i < n && s[i] == '{')
        *out = VOCAL_FMT_JSONL;
    else if (n - i >= 9 && memcmp(s + i, "__label__", 9) == 0)
        *out = VOCAL_FMT_FASTTEXT;
    else if (r->has_header &&
             vocal__csv_line_names(s, n, r->delim ? r->delim : vocal__csv_sniff(s, n), r->text_field))
        *out = VOCAL_FMT_CSV;
    else if (memchr(s, '\t', n))
        *out = VOCAL_FMT_TSV;
    else
        *out = VOCAL_FMT_LINES;
    return VOCAL_OK;
}

/* MARK: UTF-8 check (options.check_utf8) */

/* 1 if the record's text and kept fields are valid UTF-8, else the rejection. */
static int check_utf8(vocal_reader *r, const vocal_record *rec, vocal_error *err)
{
    size_t bad;
    if (vocal_utf8_check(rec->text, rec->text_len, &bad) > 0)
        return vocal__io_reject(r, err, rec->line, rec->byte,
                                "invalid UTF-8 in the text at its byte %zu (is the file in another encoding?)", bad);
    for (size_t i = 0; i < r->n_fields; i++) {
        const char *v = r->field_off[i] != SIZE_MAX ? r->fbuf.p + r->field_off[i] : r->fields[i].value;
        if (vocal_utf8_check(v, r->fields[i].len, &bad) > 0)
            return vocal__io_reject(r, err, rec->line, rec->byte,
                                    "invalid UTF-8 in column \"%s\" at its byte %zu (is the file in another encoding?)",
                                    r->fields[i].name, bad);
    }
    return 1;
}

/* MARK: public API */

int vocal_reader_open(vocal_reader **out, const char *path, const vocal_reader_options *o,
                      vocal_error *err)
{
    assert(out && path);
    *out = NULL;
    static const vocal_reader_options defaults = VOCAL_READER_OPTIONS_INIT;
    if (!o) o = &defaults;
    if (o->version < 1 || o->version > VOCAL_READER_OPTIONS_VERSION)
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX,
                          "unsupported vocal_reader_options version %u", o->version);
    if ((int)o->format < VOCAL_FMT_AUTO || (int)o->format > VOCAL_FMT_LINES)
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "unknown format %d", (int)o->format);
    unsigned char d = (unsigned char)o->delimiter;
    if (d == '"' || d == '\r' || d == '\n')
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX,
                          "a CSV delimiter cannot be a quote or a line end");
    if ((o->text_field && !o->text_field[0]) || (o->label_field && !o->label_field[0]))
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "empty field name");
    /* version 2 fields are read only from a version 2 struct */
    int v2 = o->version >= 2;
    size_t n_text = v2 && o->n_text_fields ? o->n_text_fields : 1;
    for (size_t i = 0; v2 && i < o->n_text_fields; i++)
        if (!o->text_fields[i] || !o->text_fields[i][0])
            return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "empty field name");

    int error = VOCAL_ENOMEM;
    vocal_reader *r = (vocal_reader *)vocal__calloc(1, sizeof *r);
    if (!r) return vocal__err_oom(err);
    r->fd = -1;
    int is_stdin = strcmp(path, "-") == 0;
    const char *shown = is_stdin ? "<stdin>" : path;
    r->path = vocal__strndup(shown, strlen(shown));
    const char *tf = v2 && o->n_text_fields ? o->text_fields[0] : o->text_field ? o->text_field : "text";
    r->text_field = vocal__strndup(tf, strlen(tf));
    r->text_fields = (char **)vocal__calloc(n_text, sizeof *r->text_fields);
    if (!r->text_fields) {
        error = vocal__err_oom(err);
        goto done;
    }
    r->n_text = n_text;
    for (size_t i = 0; i < n_text; i++) {
        const char *f = i == 0 ? tf : o->text_fields[i];
        if (!(r->text_fields[i] = vocal__strndup(f, strlen(f)))) {
            error = vocal__err_oom(err);
            goto done;
        }
    }
    if (v2) {
        r->keep_fields = o->keep_fields;
        r->check_utf8 = o->check_utf8;
        if (o->empty_label && !(r->empty_label = vocal__strndup(o->empty_label, strlen(o->empty_label)))) {
            error = vocal__err_oom(err);
            goto done;
        }
    }
    if (o->version >= 3) r->keep_blank_text = o->keep_blank_text;
    if (o->label_field) r->label_field = vocal__strndup(o->label_field, strlen(o->label_field));
    r->buf = (char *)vocal__malloc(VOCAL__IO_CHUNK);
    if (!r->path || !r->text_field || (o->label_field && !r->label_field) || !r->buf) {
        error = vocal__err_oom(err);
        goto done;
    }
    r->delim = d;
    r->has_header = o->has_header;
    r->max_rec = o->max_record_bytes ? o->max_record_bytes : VOCAL_READER_MAX_RECORD_DEFAULT;
    r->line = 1;

    if (is_stdin) {
        r->fd = STDIN_FILENO;
    } else {
        r->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (r->fd < 0) {
            char why[128];
            if (strerror_r(errno, why, sizeof why) != 0) snprintf(why, sizeof why, "errno %d", errno);
            error = vocal__err(err, VOCAL_EIO, path, 0, UINT64_MAX, "cannot open: %s", why);
            goto done;
        }
        r->own_fd = 1;
    }

    const char *enc = v2 ? o->encoding : NULL;
    if (enc && (!strcmp(enc, "utf-8") || !strcmp(enc, "UTF-8") || !strcmp(enc, "utf8"))) enc = NULL;
    if (enc && (error = vocal__enc_start(r, enc, err)) < 0) goto done;
    /* a UTF-8 byte order mark is skipped; offsets still count it (io.h) */
    while (r->end < 3 && !r->eof)
        if ((error = vocal__io_fill(r, err)) < 0) goto done;
    if (!enc && r->end >= 2 &&
        (memcmp(r->buf, "\xFF\xFE", 2) == 0 || memcmp(r->buf, "\xFE\xFF", 2) == 0)) {
        /* io.h: a UTF-16 byte order mark in UTF-8 mode means UTF-16 */
        if ((error = vocal__enc_start(r, "utf-16", err)) < 0) goto done;
        while (r->end < 3 && !r->eof)
            if ((error = vocal__io_fill(r, err)) < 0) goto done;
    }
    if (r->end >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) r->pos = 3;

    r->fmt = o->format;
    if (r->fmt == VOCAL_FMT_AUTO && !is_stdin) r->fmt = format_from_extension(path);
    if (r->fmt == VOCAL_FMT_AUTO && (error = format_from_content(r, &r->fmt, err)) < 0) goto done;
    if (r->fmt == VOCAL_FMT_CSV && (error = vocal__csv_open(r, err)) < 0) goto done;
    error = VOCAL_OK;
    *out = r;
    r = NULL;
done:
    vocal_reader_free(r);
    return error;
}

int vocal_reader_next(vocal_reader *r, vocal_record *rec, vocal_error *err)
{
    assert(r && rec);
    memset(rec, 0, sizeof *rec);
    if (r->fatal) {
        if (err) *err = r->fatal_err;
        return r->fatal;
    }
    vocal__jsonl_release(r);
    r->lab.len = 0;
    r->n_lab = 0;
    r->n_fields = 0;
    r->fbuf.len = 0;
    r->raw = NULL;
    r->raw_len = 0;
    /* Internal calls report into e, so a fatal error can be repeated later
     * even when the caller passed no err. */
    vocal_error e;
    int rc = r->fmt == VOCAL_FMT_CSV ? vocal__csv_next(r, rec, &e) : lines_next(r, rec, &e);
    if (rc == 1 || rc == VOCAL_EINPUT) {
        /* a record with a byte invalid in the declared encoding is rejected */
        uint64_t start = rc == 1 ? rec->byte : e.byte, stop = r->base + r->pos;
        if (r->conv && vocal__enc_check(r, rc == 1 ? rec->line : e.line, rc == 1 ? start : stop, stop, &e) < 0)
            rc = VOCAL_EINPUT;
    }
    if (rc == 1 && r->check_utf8 && !r->conv) rc = check_utf8(r, rec, &e);
    if (rc == 1) {
        vocal__io_fields_finish(r);
        vocal__io_labels_finish(r, rec);
        r->n_read++;
        return 1;
    }
    memset(rec, 0, sizeof *rec);
    if (rc == 0) return 0;
    if (rc == VOCAL_EINPUT) {
        r->n_rejected++;
    } else {
        r->fatal = rc;
        r->fatal_err = e;
    }
    if (err) *err = e;
    return rc;
}

size_t vocal_reader_fields(const vocal_reader *r, const vocal_field **out)
{
    assert(r && out);
    *out = r->n_fields ? r->fields : NULL;
    return r->n_fields;
}

int vocal_reader_lookup(vocal_reader *r, const char *path, const char **s, size_t *n)
{
    assert(r && path && s && n);
    *s = NULL;
    *n = 0;
    if (r->fmt == VOCAL_FMT_JSONL) return vocal__jsonl_lookup(r, path, s, n);
    for (size_t i = 0; i < r->n_fields; i++)
        if (!strcmp(r->fields[i].name, path)) {
            *s = r->fields[i].value;
            *n = r->fields[i].len;
            return 1;
        }
    return 0;
}

int vocal_reader_raw(const vocal_reader *r, const char **s, size_t *n)
{
    assert(r && s && n);
    *s = r->raw;
    *n = r->raw_len;
    return r->raw != NULL;
}

uint64_t vocal_reader_tell(const vocal_reader *r)
{
    assert(r);
    return r->conv ? r->rbase + r->rpos : r->base + r->pos;
}

void vocal_reader_stats(const vocal_reader *r, uint64_t *read, uint64_t *rejected)
{
    assert(r);
    if (read) *read = r->n_read;
    if (rejected) *rejected = r->n_rejected;
}

vocal_format vocal_reader_format(const vocal_reader *r)
{
    assert(r);
    return r->fmt;
}

void vocal_reader_free(vocal_reader *r)
{
    if (!r) return;
    vocal__jsonl_release(r);
    vocal__csv_free(r);
    if (r->own_fd && r->fd >= 0) close(r->fd);
    vocal__free(r->buf);
    vocal__free(r->path);
    vocal__free(r->text_field);
    for (size_t i = 0; r->text_fields && i < r->n_text; i++) vocal__free(r->text_fields[i]);
    vocal__free(r->text_fields);
    vocal__buf_free(&r->joined);
    vocal__free(r->fields);
    vocal__free(r->field_off);
    vocal__buf_free(&r->fbuf);
    vocal__enc_free(r);
    vocal__free(r->label_field);
    vocal__free(r->empty_label);
    vocal__buf_free(&r->line_buf);
    vocal__buf_free(&r->lab);
    vocal__free(r->lab_off);
    vocal__free((void *)r->lab_ptr);
    vocal__free(r);
}
