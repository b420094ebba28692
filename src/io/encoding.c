/* Streaming conversion of the input to UTF-8 through iconv (io.h,
 * options.encoding). Raw bytes are read into rbuf and converted into the
 * reader's input buffer, so the record readers above see UTF-8 and know
 * nothing of encodings. A byte iconv refuses becomes U+FFFD in the stream
 * and is queued with its file offset; the record it falls in is then
 * rejected (vocal__enc_check), so no text is ever passed on mangled. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io_int.h"

static int ascii_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z') x += 'a' - 'A';
        if (y >= 'A' && y <= 'Z') y += 'a' - 'A';
        if (x != y) return 0;
    }
    return *a == *b;
}

/* Our names for the encodings survey tools export, mapped to iconv's.
 * "utf-16" is resolved from the byte order mark in vocal__enc_start. */
static const char *iconv_name(const char *name)
{
    static const struct {
        const char *ours, *iconv;
    } names[] = {
        {"windows-1252", "WINDOWS-1252"}, {"cp1252", "WINDOWS-1252"}, {"latin1", "ISO-8859-1"},
        {"latin-1", "ISO-8859-1"},        {"iso-8859-1", "ISO-8859-1"}, {"utf-16le", "UTF-16LE"},
        {"utf-16be", "UTF-16BE"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (ascii_ieq(name, names[i].ours)) return names[i].iconv;
    return name;
}

static int is_utf16(const char *name)
{
    return ascii_ieq(name, "utf-16") || ascii_ieq(name, "utf16") || ascii_ieq(name, "utf-16le") ||
           ascii_ieq(name, "utf-16be");
}

int vocal__enc_start(vocal_reader *r, const char *name, vocal_error *err)
{
    r->rbuf = (char *)vocal__malloc(VOCAL__IO_CHUNK);
    r->enc_name = vocal__strndup(name, strlen(name));
    if (!r->rbuf || !r->enc_name) return vocal__err_oom(err);
    /* bytes already read (BOM sniffing at open) go back to the raw side */
    size_t have = r->end - r->pos;
    memcpy(r->rbuf, r->buf + r->pos, have);
    r->rbase = r->base + r->pos;
    r->rpos = 0;
    r->rend = have;
    r->reof = r->eof;
    r->eof = 0;
    r->base = r->pos = r->end = 0;
    r->enc_unit = 1;
    const char *to = iconv_name(name);
    if (is_utf16(name)) {
        r->enc_unit = 2;
        while (r->rend < 2 && !r->reof) {
            ssize_t k = read(r->fd, r->rbuf + r->rend, VOCAL__IO_CHUNK - r->rend);
            if (k < 0 && errno == EINTR) continue;
            if (k <= 0) r->reof = 1;
            else r->rend += (size_t)k;
        }
        /* the byte order mark decides; without one, little-endian: the
         * UTF-16 that survey tools write is Windows' "Unicode" (LE) */
        int le = !ascii_ieq(name, "utf-16be");
        if (r->rend >= 2 && (unsigned char)r->rbuf[0] == 0xFF && (unsigned char)r->rbuf[1] == 0xFE) {
            le = 1;
            r->rpos = 2;
        } else if (r->rend >= 2 && (unsigned char)r->rbuf[0] == 0xFE && (unsigned char)r->rbuf[1] == 0xFF) {
            le = 0;
            r->rpos = 2;
        }
        to = le ? "UTF-16LE" : "UTF-16BE";
    }
    iconv_t cd = iconv_open("UTF-8", to);
    if (cd == (iconv_t)-1)
        return vocal__err(err, VOCAL_EINPUT, r->path, 0, UINT64_MAX, "unknown encoding \"%s\"", name);
    r->conv = (void *)cd;
    /* the converting buffer has VOCAL__IO_SLACK spare bytes (io_int.h) */
    char *nb = (char *)vocal__realloc(r->buf, VOCAL__IO_CHUNK + VOCAL__IO_SLACK);
    if (!nb) return vocal__err_oom(err);
    r->buf = nb;
    return VOCAL_OK;
}

/* More raw bytes: 1, 0 at end of file, VOCAL_EIO. */
static int fill_raw(vocal_reader *r, vocal_error *err)
{
    if (r->rpos > 0) {
        memmove(r->rbuf, r->rbuf + r->rpos, r->rend - r->rpos);
        r->rbase += r->rpos;
        r->rend -= r->rpos;
        r->rpos = 0;
    }
    if (r->rend == VOCAL__IO_CHUNK) return 1;
    for (;;) {
        ssize_t k = read(r->fd, r->rbuf + r->rend, VOCAL__IO_CHUNK - r->rend);
        if (k > 0) {
            r->rend += (size_t)k;
            return 1;
        }
        if (k == 0) {
            r->reof = 1;
            return 0;
        }
        if (errno == EINTR) continue;
        char why[128];
        if (strerror_r(errno, why, sizeof why) != 0) snprintf(why, sizeof why, "errno %d", errno);
        return vocal__err(err, VOCAL_EIO, r->path, r->line, r->rbase + r->rend, "read error: %s", why);
    }
}

static int queue_bad(vocal_reader *r)
{
    if (r->bad_head + r->n_bad == r->cap_bad) {
        if (r->bad_head > 0) {
            memmove(r->bad, r->bad + r->bad_head, r->n_bad * sizeof *r->bad);
            r->bad_head = 0;
        } else {
            size_t cap = r->cap_bad ? r->cap_bad * 2 : 16;
            vocal__bad_byte *b = (vocal__bad_byte *)vocal__realloc(r->bad, cap * sizeof *b);
            if (!b) return VOCAL_ENOMEM;
            r->bad = b;
            r->cap_bad = cap;
        }
    }
    vocal__bad_byte *b = &r->bad[r->bad_head + r->n_bad++];
    b->at = r->base + r->end;
    b->file_off = r->rbase + r->rpos;
    b->byte = (unsigned char)r->rbuf[r->rpos];
    return VOCAL_OK;
}

/* Replace the invalid unit at rbuf[rpos] by U+FFFD and note it. */
static int replace_bad(vocal_reader *r, vocal_error *err)
{
    if (queue_bad(r) < 0) return vocal__err_oom(err);
    memcpy(r->buf + r->end, "\xEF\xBF\xBD", 3);
    r->end += 3;
    size_t skip = r->rend - r->rpos < r->enc_unit ? r->rend - r->rpos : r->enc_unit;
    r->rpos += skip;
    iconv((iconv_t)r->conv, NULL, NULL, NULL, NULL); /* back to the initial shift state */
    return VOCAL_OK;
}

int vocal__enc_fill(vocal_reader *r, vocal_error *err)
{
    if (r->eof) return 0;
    if (r->pos == r->end) {
        r->base += r->end;
        r->pos = r->end = 0;
    } else if (r->end >= VOCAL__IO_CHUNK) {
        if (r->pos == 0) return 1; /* full of unread bytes: callers never ask then */
        memmove(r->buf, r->buf + r->pos, r->end - r->pos);
        r->base += r->pos;
        r->end -= r->pos;
        r->pos = 0;
    }
    size_t before = r->end;
    while (r->end < VOCAL__IO_CHUNK) {
        if (r->rpos == r->rend) {
            if (r->reof) break;
            int rc = fill_raw(r, err);
            if (rc < 0) return rc;
            if (rc == 0) break;
        }
        char *in = r->rbuf + r->rpos, *out = r->buf + r->end;
        size_t inleft = r->rend - r->rpos, outleft = VOCAL__IO_CHUNK + VOCAL__IO_SLACK - r->end;
        size_t k = iconv((iconv_t)r->conv, &in, &inleft, &out, &outleft);
        int e = errno;
        r->rpos = (size_t)(in - r->rbuf);
        r->end = (size_t)(out - r->buf);
        if (k != (size_t)-1) continue;
        if (e == E2BIG) break;
        if (e == EINVAL && !r->reof) {
            /* a sequence cut by the end of rbuf: read on (fill_raw keeps it) */
            int rc = fill_raw(r, err);
            if (rc < 0) return rc;
            if (rc == 1) continue;
        }
        /* EILSEQ, or a sequence cut by the end of the file */
        if (VOCAL__IO_CHUNK + VOCAL__IO_SLACK - r->end < 3) break;
        int rc = replace_bad(r, err);
        if (rc < 0) return rc;
    }
    if (r->end > before) return 1;
    r->eof = 1;
    return 0;
}

int vocal__enc_check(vocal_reader *r, uint64_t line, uint64_t start, uint64_t end, vocal_error *err)
{
    int rc = VOCAL_OK;
    while (r->n_bad && r->bad[r->bad_head].at < end) {
        const vocal__bad_byte *b = &r->bad[r->bad_head];
        if (b->at >= start && rc == VOCAL_OK)
            rc = vocal__io_reject(r, err, line, b->file_off, "byte 0x%02X is not valid %s", b->byte, r->enc_name);
        r->bad_head++;
        r->n_bad--;
    }
    if (!r->n_bad) r->bad_head = 0;
    return rc;
}

void vocal__enc_free(vocal_reader *r)
{
    if (r->conv) iconv_close((iconv_t)r->conv);
    r->conv = NULL;
    vocal__free(r->rbuf);
    vocal__free(r->enc_name);
    vocal__free(r->bad);
}
