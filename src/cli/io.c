/* Line input and JSON output for the CLI. */
#include <errno.h>
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
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    fputc('"', f);
    size_t run = 0; /* bytes [i-run, i) are plain and pending */
    for (size_t i = 0; i < n;) {
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
            fwrite(s + i - run, 1, run, f);
            run = 0;
            fputs("\\ufffd", f);
            i += k;
            continue;
        }
        fwrite(s + i - run, 1, run, f);
        run = 0;
        switch (c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            fputs("\\u00", f);
            fputc(hex[c >> 4], f);
            fputc(hex[c & 15], f);
        }
        i++;
    }
    fwrite(s + n - run, 1, run, f);
    fputc('"', f);
}
