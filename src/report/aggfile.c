/* The aggregate file (docs/report.md, "The aggregate file"): one ASCII
 * header line with the format version, the CRC-32C and the length of the
 * body, then a canonical JSON body (sorted keys, sorted arrays), so that the
 * same aggregate always has the same bytes. JSON rather than binary because
 * the file is small (sums, not records) and people open it to check a
 * figure; the checksum still catches truncation and bit rot. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report_int.h"

#define AGG_MAGIC "#vocal-aggregate "
#define AGG_VERSION 1

uint32_t vocal__crc32c(uint32_t crc, const void *data, size_t n);

static const char *const kind_names[RP_NKINDS] = {"all", "segment", "touchpoint", "channel", "day"};

/* MARK: writing */

static json_t *stats_json(const rp_stats *s)
{
    json_t *a = json_array();
    for (int f = 0; a && f < RP_NFIELDS; f++)
        if (json_array_append_new(a, json_integer((json_int_t)s->v[f])) < 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static int cmp_theme_ptr(const void *x, const void *y)
{
    return strcmp((*(rp_theme *const *)x)->id, (*(rp_theme *const *)y)->id);
}

static int cmp_cell_ptr(const void *x, const void *y)
{
    const rp_cell *a = *(rp_cell *const *)x, *b = *(rp_cell *const *)y;
    if (a->kind != b->kind) return a->kind - b->kind;
    return strcmp(a->key, b->key);
}

/* jansson refuses invalid UTF-8; such bytes cannot reach here from JSON
 * input, and db.c repairs them, so a NULL is out of memory. */
static int set_str(json_t *o, const char *k, const char *v)
{
    if (!v) return 0;
    return json_object_set_new(o, k, json_string(v));
}

static json_t *cand_json(const rp_cand *c)
{
    json_t *o = json_object();
    if (!o) return NULL;
    int rc = json_object_set_new(o, "c", json_integer(c->conf));
    rc |= set_str(o, "text", c->text);
    rc |= set_str(o, "id", c->id);
    rc |= set_str(o, "source", c->source);
    rc |= set_str(o, "date", c->date);
    rc |= json_object_set_new(o, "line", json_integer(c->line));
    rc |= json_object_set_new(o, "sentiment", json_integer(c->sentiment));
    rc |= json_object_set_new(o, "nps", json_integer(c->nps));
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *agg_json(const vocal_agg *a)
{
    json_t *root = json_object(), *themes = json_array(), *cells = json_array(), *verbs = json_object();
    json_t *opt = json_pack("{s:[I,I],s:[I,I],s:i}", "csat", (json_int_t)a->csat_min, (json_int_t)a->csat_max,
                            "ces", (json_int_t)a->ces_min, (json_int_t)a->ces_max, "verbatims", (int)a->k);
    rp_theme **ts = vocal__malloc((a->n_themes + 1) * sizeof *ts);
    rp_cell **cs = vocal__malloc((a->n_cells + 1) * sizeof *cs);
    int rc = !root || !themes || !cells || !verbs || !opt || !ts || !cs;
    if (rc) goto done;
    for (size_t i = 0; i < a->n_themes; i++) ts[i] = &a->themes[i];
    for (size_t i = 0; i < a->n_cells; i++) cs[i] = &a->cells[i];
    qsort(ts, a->n_themes, sizeof *ts, cmp_theme_ptr);
    qsort(cs, a->n_cells, sizeof *cs, cmp_cell_ptr);
    for (size_t i = 0; i < a->n_themes && !rc; i++) {
        rc |= json_array_append_new(themes, json_pack("{s:s,s:s,s:s}", "id", ts[i]->id, "parent",
                                                      ts[i]->parent, "label", ts[i]->label));
        size_t t = (size_t)(ts[i] - a->themes);
        const rp_verb *v = &a->verbs[t];
        if (!v->n[0] && !v->n[1]) continue;
        json_t *pv = json_pack("{s:[],s:[]}", "positive", "negative");
        for (int p = 0; p < 2 && pv; p++)
            for (size_t j = 0; j < v->n[p]; j++)
                rc |= json_array_append_new(json_object_get(pv, p ? "negative" : "positive"), cand_json(&v->c[p][j]));
        rc |= !pv || json_object_set_new(verbs, ts[i]->id, pv);
    }
    for (size_t i = 0; i < a->n_cells && !rc; i++) {
        const rp_cell *c = cs[i];
        json_t *th = json_object();
        for (size_t t = 0; th && t < c->n_themes && t < a->n_themes && !rc; t++)
            if (c->themes[t].v[RP_N]) rc |= json_object_set_new(th, a->themes[t].id, stats_json(&c->themes[t]));
        json_t *co = json_pack("{s:s,s:s,s:o,s:o}", "kind", kind_names[c->kind], "key", c->key, "stats",
                               stats_json(&c->all), "themes", th);
        rc |= !co || json_array_append_new(cells, co);
    }
    if (!rc) {
        rc |= json_object_set_new(root, "options", opt);
        opt = NULL;
        rc |= json_object_set_new(root, "records", json_integer((json_int_t)a->records));
        rc |= json_object_set_new(root, "rejected", json_integer((json_int_t)a->rejected));
        rc |= json_object_set_new(root, "fields", json_integer(RP_NFIELDS));
        rc |= json_object_set(root, "themes", themes);
        rc |= json_object_set(root, "cells", cells);
        rc |= json_object_set(root, "verbatims", verbs);
    }
done:
    json_decref(themes);
    json_decref(cells);
    json_decref(verbs);
    json_decref(opt);
    vocal__free(ts);
    vocal__free(cs);
    if (rc) {
        json_decref(root);
        return NULL;
    }
    return root;
}

int vocal_agg_serialize(char **out, size_t *len, const vocal_agg *a, vocal_error *err)
{
    *out = NULL;
    *len = 0;
    json_t *j = agg_json(a);
    char *body = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(j);
    if (!body) return vocal__err_oom(err);
    size_t blen = strlen(body);
    char head[96];
    int hl = snprintf(head, sizeof head, AGG_MAGIC "%d crc32c=%08" PRIx32 " bytes=%zu\n", AGG_VERSION,
                      vocal__crc32c(0, body, blen), blen + 1);
    char *p = malloc((size_t)hl + blen + 2);
    if (!p) {
        free(body);
        return vocal__err_oom(err);
    }
    memcpy(p, head, (size_t)hl);
    memcpy(p + hl, body, blen);
    p[hl + blen] = '\n';
    p[hl + blen + 1] = '\0';
    free(body);
    *out = p;
    *len = (size_t)hl + blen + 1;
    return VOCAL_OK;
}

static int io_err(vocal_error *err, const char *path, const char *what)
{
    return vocal__err(err, VOCAL_EIO, path, 0, UINT64_MAX, "%s: %s", what, strerror(errno));
}

int vocal_write_file_atomic(const char *path, const void *data, size_t len, vocal_error *err)
{
    /* a temporary name beside the target, so rename stays on one file system
     * and is atomic; O_EXCL against collisions */
    size_t pl = strlen(path);
    char *tmp = vocal__malloc(pl + 32);
    if (!tmp) return vocal__err_oom(err);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t salt = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 20 ^ (uint64_t)getpid() << 40;
    int fd = -1, rc = VOCAL_OK;
    for (int attempt = 0; attempt < 100; attempt++) {
        salt = salt * 6364136223846793005ULL + 1442695040888963407ULL;
        snprintf(tmp, pl + 32, "%s.tmp-%08" PRIx32, path, (uint32_t)(salt >> 32));
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST) break;
    }
    if (fd < 0) {
        rc = io_err(err, path, "cannot create a temporary file beside it");
        vocal__free(tmp);
        return rc;
    }
    const char *p = data;
    for (size_t w = 0; w < len && rc == VOCAL_OK;) {
        ssize_t r = write(fd, p + w, len - w);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) rc = io_err(err, path, "cannot write");
        else w += (size_t)r;
    }
    if (rc == VOCAL_OK && fsync(fd) != 0) rc = io_err(err, path, "cannot sync");
    if (close(fd) != 0 && rc == VOCAL_OK) rc = io_err(err, path, "cannot close");
    if (rc == VOCAL_OK && rename(tmp, path) != 0) rc = io_err(err, path, "cannot rename the temporary file over it");
    if (rc != VOCAL_OK) unlink(tmp);
    vocal__free(tmp);
    return rc;
}

int vocal_agg_save(const vocal_agg *a, const char *path, vocal_error *err)
{
    char *p;
    size_t n;
    int rc = vocal_agg_serialize(&p, &n, a, err);
    if (rc < 0) return rc;
    rc = vocal_write_file_atomic(path, p, n, err);
    free(p);
    return rc;
}

/* MARK: reading */

int vocal_agg_sniff(const void *data, size_t len)
{
    return len >= sizeof AGG_MAGIC - 1 && memcmp(data, AGG_MAGIC, sizeof AGG_MAGIC - 1) == 0;
}

static int bad(vocal_error *err, uint64_t byte, const char *what)
{
    return vocal__err(err, VOCAL_EFORMAT, NULL, 0, byte, "corrupt aggregate file: %s", what);
}

/* nf: the file's field count, RP_NFIELDS or one less (before RP_TEXT, when
 * every record had a text) */
static int read_stats(rp_stats *s, json_t *v, int nf)
{
    if (!json_is_array(v) || json_array_size(v) != (size_t)nf) return -1;
    if (nf == RP_TEXT) s->v[RP_TEXT] = 0;
    for (int f = 0; f < nf; f++) {
        json_t *x = json_array_get(v, (size_t)f);
        if (!json_is_integer(x)) return -1;
        json_int_t i = json_integer_value(x);
        /* bounded so that sums of many files stay far from overflow */
        if (i < -((json_int_t)1 << 52) || i > ((json_int_t)1 << 52)) return -1;
        s->v[f] = (int64_t)i;
    }
    if (nf == RP_TEXT) s->v[RP_TEXT] = s->v[RP_N];
    return 0;
}

static const char *ostr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static int read_cand(vocal_agg *a, size_t t, int p, json_t *c)
{
    rp_cand x;
    memset(&x, 0, sizeof x);
    json_t *conf = json_object_get(c, "c"), *line = json_object_get(c, "line");
    json_t *sent = json_object_get(c, "sentiment"), *nps = json_object_get(c, "nps");
    x.text = (char *)ostr(c, "text");
    x.id = (char *)ostr(c, "id");
    x.source = (char *)ostr(c, "source");
    x.date = (char *)ostr(c, "date");
    if (!json_is_object(c) || !x.text || !json_is_integer(conf) || !json_is_integer(line) || !json_is_integer(sent) ||
        !json_is_integer(nps))
        return -1;
    x.conf = json_integer_value(conf);
    x.line = json_integer_value(line);
    x.sentiment = (int)json_integer_value(sent);
    x.nps = (int)json_integer_value(nps);
    if (x.conf < 0 || x.conf > 1000 || json_integer_value(sent) < 0 || json_integer_value(sent) > 3 ||
        json_integer_value(nps) < -1 || json_integer_value(nps) > 10 || (x.date && !vocal__valid_date(x.date, strlen(x.date))))
        return -1;
    return vocal__verb_insert(&a->verbs[t], p, &x, a->k) < 0 ? -2 : 0;
}

static int kind_of(const char *s)
{
    return vocal__lookup(s, kind_names, RP_NKINDS);
}

/* Fill a from the parsed body; -1 = bad content, -2 = out of memory. */
static int from_json(vocal_agg *a, json_t *root)
{
    json_t *themes = json_object_get(root, "themes"), *cells = json_object_get(root, "cells");
    json_t *verbs = json_object_get(root, "verbatims"), *rec = json_object_get(root, "records");
    json_t *rej = json_object_get(root, "rejected"), *fields = json_object_get(root, "fields");
    if (!json_is_array(themes) || !json_is_array(cells) || !json_is_object(verbs) || !json_is_integer(rec) ||
        !json_is_integer(rej) || json_integer_value(rec) < 0 || json_integer_value(rej) < 0 ||
        (json_integer_value(fields) != RP_NFIELDS && json_integer_value(fields) != RP_TEXT))
        return -1;
    int nf = (int)json_integer_value(fields);
    a->records = (uint64_t)json_integer_value(rec);
    a->rejected = (uint64_t)json_integer_value(rej);
    size_t i;
    json_t *v;
    json_array_foreach(themes, i, v) {
        const char *id = ostr(v, "id"), *parent = ostr(v, "parent"), *label = ostr(v, "label");
        size_t idx;
        if (!id || !*id || !parent || !label || vocal__map_find(&a->theme_map, id, strlen(id), &idx)) return -1;
        if (vocal__agg_theme(a, &idx, id, parent, label) < 0) return -2;
    }
    json_array_foreach(cells, i, v) {
        const char *key = ostr(v, "key");
        int kind = kind_of(ostr(v, "kind"));
        json_t *th = json_object_get(v, "themes");
        rp_cell *c;
        size_t idx;
        if (kind < 0 || !key || !json_is_object(th) || (kind == RP_ALL && *key) ||
            (kind == RP_DAY && (strlen(key) != 10 || !vocal__valid_date(key, 10))))
            return -1;
        size_t before = a->n_cells;
        if (vocal__agg_cell(a, &c, kind, key) < 0) return -2;
        if (a->n_cells == before) return -1; /* a cell twice */
        if (read_stats(&c->all, json_object_get(v, "stats"), nf) < 0) return -1;
        const char *tid;
        json_t *ts;
        json_object_foreach(th, tid, ts) {
            rp_stats *s;
            if (!vocal__map_find(&a->theme_map, tid, strlen(tid), &idx)) return -1;
            if (vocal__cell_theme(c, idx, &s) < 0) return -2;
            if (read_stats(s, ts, nf) < 0 || s->v[RP_N] <= 0) return -1;
        }
    }
    const char *tid;
    json_object_foreach(verbs, tid, v) {
        size_t idx;
        if (!vocal__map_find(&a->theme_map, tid, strlen(tid), &idx) || !json_is_object(v)) return -1;
        for (int p = 0; p < 2; p++) {
            json_t *arr = json_object_get(v, p ? "negative" : "positive"), *c;
            size_t j;
            if (!json_is_array(arr) || json_array_size(arr) > a->k) return -1;
            json_array_foreach(arr, j, c) {
                int rc = read_cand(a, idx, p, c);
                if (rc < 0) return rc;
            }
        }
    }
    return 0;
}

static int read_scale(json_t *o, const char *k, double *lo, double *hi)
{
    json_t *s = json_object_get(o, k);
    if (!json_is_array(s) || json_array_size(s) != 2 || !json_is_integer(json_array_get(s, 0)) ||
        !json_is_integer(json_array_get(s, 1)))
        return -1;
    *lo = (double)json_integer_value(json_array_get(s, 0)) / 1000.0;
    *hi = (double)json_integer_value(json_array_get(s, 1)) / 1000.0;
    return 0;
}

int vocal_agg_load_buffer(vocal_agg **out, const void *data, size_t len, vocal_error *err)
{
    *out = NULL;
    const char *p = data;
    if (!vocal_agg_sniff(p, len)) return bad(err, 0, "not an aggregate file (no '#vocal-aggregate' line)");
    const char *nl = memchr(p, '\n', len < 200 ? len : 200);
    if (!nl) return bad(err, 0, "the header line does not end");
    char head[201];
    size_t hl = (size_t)(nl - p);
    memcpy(head, p, hl);
    head[hl] = '\0';
    unsigned ver;
    uint32_t crc;
    size_t blen;
    int used = 0;
    if (sscanf(head + sizeof AGG_MAGIC - 1, "%u crc32c=%8" SCNx32 " bytes=%zu%n", &ver, &crc, &blen, &used) != 3 ||
        head[sizeof AGG_MAGIC - 1 + (size_t)used] != '\0')
        return bad(err, 0, "unreadable header line");
    if (ver > AGG_VERSION)
        return vocal__err(err, VOCAL_EVERSION, NULL, 0, 0,
                          "aggregate format %u is newer than this vocal reads (%d): upgrade vocal", ver, AGG_VERSION);
    if (ver < 1) return bad(err, 0, "format version 0");
    const char *body = nl + 1;
    size_t have = len - hl - 1;
    if (have != blen) return bad(err, hl + 1 + (blen < have ? blen : have), "the body's length is not the header's (truncated?)");
    if (vocal__crc32c(0, body, blen - (blen > 0)) != crc || blen == 0 || body[blen - 1] != '\n')
        return bad(err, hl + 1, "checksum mismatch");
    json_error_t je;
    json_t *root = json_loadb(body, blen, 0, &je);
    if (!root) return bad(err, hl + 1 + (uint64_t)je.position, je.text);
    vocal_agg_options o = VOCAL_AGG_OPTIONS_INIT;
    json_t *opt = json_object_get(root, "options");
    json_t *k = json_object_get(opt, "verbatims");
    int rc;
    if (read_scale(opt, "csat", &o.csat_min, &o.csat_max) < 0 || read_scale(opt, "ces", &o.ces_min, &o.ces_max) < 0 ||
        !json_is_integer(k) || json_integer_value(k) < 1 || json_integer_value(k) > 16) {
        json_decref(root);
        return bad(err, hl + 1, "bad options");
    }
    o.verbatims = (unsigned)json_integer_value(k);
    vocal_agg *a;
    if ((rc = vocal_agg_new(&a, &o, err)) < 0) {
        json_decref(root);
        return rc == VOCAL_EINPUT ? bad(err, hl + 1, "bad scales") : rc;
    }
    rc = from_json(a, root);
    json_decref(root);
    if (rc < 0) {
        vocal_agg_free(a);
        return rc == -2 ? vocal__err_oom(err) : bad(err, UINT64_MAX, "content does not follow the format");
    }
    *out = a;
    return VOCAL_OK;
}

int vocal_agg_load(vocal_agg **out, const char *path, vocal_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return vocal__err(err, VOCAL_EIO, path, 0, UINT64_MAX, "cannot open: %s", strerror(errno));
    vocal__buf b = {0};
    char chunk[65536];
    size_t n;
    int rc = VOCAL_OK;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (vocal__buf_put(&b, chunk, n) < 0) {
            rc = vocal__err_oom(err);
            break;
        }
    if (rc == VOCAL_OK && ferror(f)) rc = vocal__err(err, VOCAL_EIO, path, 0, UINT64_MAX, "cannot read: %s", strerror(errno));
    fclose(f);
    if (rc == VOCAL_OK) {
        rc = vocal_agg_load_buffer(out, b.p ? b.p : "", b.len, err);
        if (rc < 0 && err) {
            size_t pl = strlen(path);
            if (pl >= sizeof err->path) pl = sizeof err->path - 1;
            memcpy(err->path, path, pl);
            err->path[pl] = '\0';
        }
    }
    vocal__buf_free(&b);
    return rc;
}
