/* Google Play Console review exports (reviews_reviews_<package>_<yyyymm>.csv):
 * UTF-16 with a byte order mark, converted by iconv, then RFC 4180 CSV
 * through libcsv, columns found by their header names. See docs/import.md. */
#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>

#include "import_int.h"

/* MARK: UTF-16 to UTF-8 */

static int to_utf8(vocal__buf *out, const char *buf, size_t n, const char *path, vocal_error *err)
{
    const char *enc = (unsigned char)buf[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
    iconv_t cd = iconv_open("UTF-8", enc);
    if (cd == (iconv_t)-1) return vocal__err(err, VOCAL_EIO, path, 0, UINT64_MAX, "iconv cannot read %s", enc);
    /* UTF-16 to UTF-8 grows at most 3/2 (a BMP character: 2 bytes to 3) */
    if (vocal__buf_reserve(out, n / 2 * 3 + 4) < 0) {
        iconv_close(cd);
        return vocal__err_oom(err);
    }
    char *in = (char *)buf + 2, *o = out->p;
    size_t inleft = n - 2, outleft = out->cap;
    size_t rc = iconv(cd, &in, &inleft, &o, &outleft);
    iconv_close(cd);
    if (rc == (size_t)-1) {
        uint64_t at = (uint64_t)(n - inleft);
        return vocal__err(err, VOCAL_EFORMAT, path, 0, at, errno == EINVAL ? "truncated %s (odd byte count)"
                                                                        : "invalid %s", enc);
    }
    out->len = (size_t)(o - out->p);
    return VOCAL_OK;
}

/* MARK: CSV rows */

enum { C_TEXT, C_TITLE, C_RATING, C_DATE, C_MILLIS, C_LANG, C_LINK, C_N };
static const char *const col_names[C_N] = {"Review Text", "Review Title", "Star Rating",
                                           "Review Submit Date and Time", "Review Submit Millis Since Epoch",
                                           "Reviewer Language", "Review Link"};

typedef struct gp {
    vocal__sink *s;
    vocal__buf cells;      /* the current row's cells, each NUL-terminated */
    size_t off[64];        /* offsets of the first 64 cells */
    size_t n_cells;
    int col[C_N];          /* column of each field; -1 absent */
    uint64_t row;          /* rows seen, header included */
    int oom;
} gp;

static void on_field(void *s, size_t len, void *data)
{
    gp *g = (gp *)data;
    if (g->n_cells < 64) g->off[g->n_cells] = g->cells.len;
    g->n_cells++;
    if (vocal__buf_put(&g->cells, s, len) < 0 || vocal__buf_putc(&g->cells, '\0') < 0) g->oom = 1;
}

static const char *cell(const gp *g, int c)
{
    if (g->col[c] < 0 || (size_t)g->col[c] >= g->n_cells || g->col[c] >= 64) return NULL;
    const char *v = g->cells.p + g->off[g->col[c]];
    return *v ? v : NULL;
}

static int header(gp *g)
{
    for (int c = 0; c < C_N; c++) {
        g->col[c] = -1;
        for (size_t i = 0; i < g->n_cells && i < 64; i++) {
            const char *h = g->cells.p + g->off[i];
            if (!strcmp(h, col_names[c])) g->col[c] = (int)i;
        }
    }
    return g->col[C_TEXT] >= 0 ? VOCAL_OK : VOCAL_EFORMAT;
}

static int row(gp *g)
{
    vocal__irec *r = vocal__sink_add(g->s);
    if (!r) return VOCAL_ENOMEM;
    int rc;
    const char *v;
    if ((v = cell(g, C_TEXT)) && (rc = vocal__irec_set(r, F_TEXT, v, strlen(v))) < 0) return rc;
    if ((v = cell(g, C_TITLE)) && (rc = vocal__irec_set(r, F_TITLE, v, strlen(v))) < 0) return rc;
    if ((v = cell(g, C_LANG)) && (rc = vocal__irec_set(r, F_LANG, v, strlen(v))) < 0) return rc;
    if ((v = cell(g, C_LINK))) {
        if ((rc = vocal__irec_set(r, F_URL, v, strlen(v))) < 0 || (rc = vocal__irec_set(r, F_ID, v, strlen(v))) < 0)
            return rc;
    }
    char iso[21];
    if ((v = cell(g, C_DATE)) && vocal__date_parse(iso, v)) {
        if ((rc = vocal__irec_set(r, F_CREATED, iso, strlen(iso))) < 0) return rc;
    } else if ((v = cell(g, C_MILLIS))) {
        long long ms = 0;
        if (sscanf(v, "%lld", &ms) == 1) {
            vocal__iso_from_epoch(iso, ms / 1000);
            if ((rc = vocal__irec_set(r, F_CREATED, iso, strlen(iso))) < 0) return rc;
        }
    }
    int stars;
    if ((v = cell(g, C_RATING)) && sscanf(v, "%d", &stars) == 1) r->rating = stars;
    if (!r->f[F_TEXT] && r->f[F_TITLE]) {
        r->f[F_TEXT] = r->f[F_TITLE];
        r->f[F_TITLE] = NULL;
    }
    if (!r->f[F_TEXT]) { /* a rating without words */
        vocal__sink_drop_last(g->s);
        return VOCAL_OK;
    }
    if (!r->f[F_ID]) {
        uint64_t h = vocal__fnv1a(r->f[F_CREATED] ? r->f[F_CREATED] : "", r->f[F_CREATED] ? 20 : 0, 0);
        h = vocal__fnv1a(r->f[F_TEXT], strlen(r->f[F_TEXT]), h);
        char id[21];
        snprintf(id, sizeof id, "sha:%016llx", (unsigned long long)h);
        return vocal__irec_set(r, F_ID, id, strlen(id));
    }
    return VOCAL_OK;
}

static void on_row(int c, void *data)
{
    (void)c;
    gp *g = (gp *)data;
    g->row++;
    if (!g->oom) {
        if (g->row == 1) {
            if (header(g) < 0) g->oom = 2; /* no Review Text column */
        } else if (!(g->n_cells == 1 && g->cells.p[0] == '\0') && row(g) < 0) {
            g->oom = 1;
        }
    }
    g->cells.len = 0;
    g->n_cells = 0;
}

int vocal__import_gplay(vocal__sink *s, const char *buf, size_t n, vocal_error *err)
{
    vocal__buf u = {0};
    int rc = VOCAL_OK;
    if (n >= 2 && ((unsigned char)buf[0] == 0xFF || (unsigned char)buf[0] == 0xFE)) {
        if ((rc = to_utf8(&u, buf, n, s->path, err)) < 0) goto done;
        buf = u.p;
        n = u.len;
    }
    if (n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
        buf += 3;
        n -= 3;
    }
    struct csv_parser p;
    if (csv_init(&p, CSV_APPEND_NULL) != 0) {
        rc = vocal__err_oom(err);
        goto done;
    }
    gp g;
    memset(&g, 0, sizeof g);
    g.s = s;
    if (csv_parse(&p, buf, n, on_field, on_row, &g) != n || csv_fini(&p, on_field, on_row, &g) != 0) {
        rc = vocal__err(err, VOCAL_EFORMAT, s->path, g.row + 1, UINT64_MAX, "CSV: %s",
                        csv_strerror(csv_error(&p)));
    } else if (g.oom == 2 || g.row == 0) {
        rc = vocal__err(err, VOCAL_EFORMAT, s->path, 1, 0,
                        "not a Play Console review export: no \"Review Text\" column in the header");
    } else if (g.oom) {
        rc = vocal__err_oom(err);
    }
    csv_free(&p);
    vocal__buf_free(&g.cells);
done:
    vocal__buf_free(&u);
    return rc;
}
