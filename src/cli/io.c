/* Line input and JSON output for the CLI. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char *cli_display_path(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int cli_lines_open(cli_lines *l, const char *path)
{
    memset(l, 0, sizeof *l);
    l->path = path;
    if (strcmp(path, "-") == 0) {
        l->f = stdin;
        return 0;
    }
    l->f = fopen(path, "rb");
    if (!l->f) {
        cli_error("%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

int cli_lines_next(cli_lines *l, char **line, size_t *len)
{
    errno = 0;
    ssize_t n = getline(&l->buf, &l->cap, l->f);
    if (n < 0) {
        if (ferror(l->f)) {
            cli_error("%s: read error: %s", cli_display_path(l->path), strerror(errno ? errno : EIO));
            return -1;
        }
        return 0;
    }
    l->lineno++;
    l->offset = l->next_offset;
    l->next_offset += (uint64_t)n;
    size_t m = (size_t)n;
    if (m && l->buf[m - 1] == '\n') m--;
    if (m && l->buf[m - 1] == '\r') m--;
    *line = l->buf;
    *len = m;
    return 1;
}

void cli_lines_close(cli_lines *l)
{
    if (l->f && l->f != stdin) fclose(l->f);
    free(l->buf);
    memset(l, 0, sizeof *l);
}

void json_key(FILE *f, const char *key)
{
    json_str(f, key, strlen(key));
    fputc(':', f);
}

void json_str(FILE *f, const char *s, size_t n)
{
    cli_buf b = {0};
    cb_json_str(&b, s, n);
    if (b.oom) {
        /* still say something valid: the escaping needed memory we lack */
        fputs("\"\"", f);
    } else {
        fwrite(b.p, 1, b.len, f);
    }
    cb_free(&b);
}

/* MARK: output buffers */

static int cb_grow(cli_buf *b, size_t extra)
{
    if (b->oom) return -1;
    if (b->len + extra <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = 1;
        return -1;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

void cb_put(cli_buf *b, const void *s, size_t n)
{
    if (!n || cb_grow(b, n) < 0) return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

void cb_puts(cli_buf *b, const char *s)
{
    cb_put(b, s, strlen(s));
}

void cb_putc(cli_buf *b, char c)
{
    if (cb_grow(b, 1) < 0) return;
    b->p[b->len++] = c;
}

void cb_printf(cli_buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) {
        cb_put(b, tmp, (size_t)n);
        return;
    }
    if (cb_grow(b, (size_t)n + 1) < 0) return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void cb_num(cli_buf *b, double v, int digits)
{
    if (!isfinite(v) || v == 0) v = 0; /* no NaN in JSON, and no "-0" */
    char s[CLI_FMT_G_MAX];
    int n = cli_fmt_g(s, v, digits);
    if (n > 0) cb_put(b, s, (size_t)n);
}

void cb_key_u64(cli_buf *b, const char *key, uint64_t v)
{
    char s[CLI_FMT_U64_MAX];
    cb_puts(b, key);
    cb_put(b, s, (size_t)cli_fmt_u64(s, v));
}

void cb_free(cli_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

void cb_json_str(cli_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    cb_putc(b, '"');
    size_t run = 0; /* bytes [i-run, i) are plain and pending */
    for (size_t i = 0; i < n;) {
        /* eight plain bytes at a time: none under 0x20, '"', '\\' or 0x80 and up */
        while (i + 8 <= n) {
            uint64_t x;
            memcpy(&x, u + i, 8);
            const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
            if (x & high) break;
            /* with every byte under 0x80, (v - ones) & ~v & high is non-zero
             * exactly when some byte of v is 0 (for x - 0x20s: under 0x20) */
            uint64_t q = x ^ (ones * '"'), bs = x ^ (ones * '\\');
            if (((x - ones * 0x20) & ~x & high) | ((q - ones) & ~q & high) | ((bs - ones) & ~bs & high)) break;
            run += 8;
            i += 8;
        }
        if (i >= n) break;
        unsigned c = u[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            run++;
            i++;
            continue;
        }
        if (c >= 0x80) {
            int32_t cp;
            int bad;
            size_t k = vocal_utf8_decode(&cp, &bad, s + i, n - i);
            if (!bad) {
                run += k;
                i += k;
                continue;
            }
            cb_put(b, s + i - run, run);
            run = 0;
            cb_puts(b, "\\ufffd");
            i += k;
            continue;
        }
        cb_put(b, s + i - run, run);
        run = 0;
        switch (c) {
        case '"': cb_puts(b, "\\\""); break;
        case '\\': cb_puts(b, "\\\\"); break;
        case '\n': cb_puts(b, "\\n"); break;
        case '\r': cb_puts(b, "\\r"); break;
        case '\t': cb_puts(b, "\\t"); break;
        default: {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            cb_put(b, e, 6);
        }
        }
        i++;
    }
    cb_put(b, s + n - run, run);
    cb_putc(b, '"');
}
