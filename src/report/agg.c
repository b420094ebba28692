/* The mergeable aggregate: groups (cells) of records with exact integer
 * sums, the theme table, and the verbatim candidates. Reading a tagged
 * record from JSON is here too; the SQLite store is in db.c and the file
 * format in aggfile.c. docs/report.md defines every sum. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

const char *const vocal__sentiment_names[4] = {"positive", "negative", "neutral", "mixed"};
static const char *const polarity_names[3] = {"positive", "negative", "neutral"};

/* MARK: string map */

int vocal__map_find(const rp_map *m, const char *key, size_t len, size_t *idx)
{
    if (!m->cap) return 0;
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)vocal__hash(key, len) & mask;; i = (i + 1) & mask) {
        if (!m->keys[i]) return 0;
        if (strlen(m->keys[i]) == len && memcmp(m->keys[i], key, len) == 0) {
            *idx = m->idx[i];
            return 1;
        }
    }
}

static int map_grow(rp_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    char **keys = vocal__calloc(cap, sizeof *keys);
    size_t *idx = vocal__calloc(cap, sizeof *idx);
    if (!keys || !idx) {
        vocal__free(keys);
        vocal__free(idx);
        return VOCAL_ENOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i]) continue;
        size_t j = (size_t)vocal__hash(m->keys[i], strlen(m->keys[i])) & (cap - 1);
        while (keys[j]) j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i];
        idx[j] = m->idx[i];
    }
    vocal__free(m->keys);
    vocal__free(m->idx);
    m->keys = keys;
    m->idx = idx;
    m->cap = cap;
    return VOCAL_OK;
}

int vocal__map_put(rp_map *m, const char *key, size_t len, size_t idx)
{
    if ((m->n + 1) * 2 > m->cap && map_grow(m) < 0) return VOCAL_ENOMEM;
    char *k = vocal__strndup(key, len);
    if (!k) return VOCAL_ENOMEM;
    size_t j = (size_t)vocal__hash(key, len) & (m->cap - 1);
    while (m->keys[j]) j = (j + 1) & (m->cap - 1);
    m->keys[j] = k;
    m->idx[j] = idx;
    m->n++;
    return VOCAL_OK;
}

void vocal__map_free(rp_map *m)
{
    for (size_t i = 0; i < m->cap; i++) vocal__free(m->keys[i]);
    vocal__free(m->keys);
    vocal__free(m->idx);
    memset(m, 0, sizeof *m);
}

/* MARK: lifetime */

int64_t vocal__milli(double x)
{
    return (int64_t)llround(x * 1000.0);
}

int vocal_agg_new(vocal_agg **out, const vocal_agg_options *o, vocal_error *err)
{
    static const vocal_agg_options def = VOCAL_AGG_OPTIONS_INIT;
    *out = NULL;
    if (!o) o = &def;
    if (!(o->csat_min < o->csat_max) || !(o->ces_min < o->ces_max) || fabs(o->csat_min) > 1e6 ||
        fabs(o->csat_max) > 1e6 || fabs(o->ces_min) > 1e6 || fabs(o->ces_max) > 1e6)
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "a score scale needs min < max (within 1e6)");
    if (o->verbatims < 1 || o->verbatims > 16)
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "verbatims per theme must be 1..16");
    vocal_agg *a = vocal__calloc(1, sizeof *a);
    if (!a) return vocal__err_oom(err);
    a->csat_min = vocal__milli(o->csat_min);
    a->csat_max = vocal__milli(o->csat_max);
    a->ces_min = vocal__milli(o->ces_min);
    a->ces_max = vocal__milli(o->ces_max);
    a->k = o->verbatims;
    *out = a;
    return VOCAL_OK;
}

void vocal__cand_free(rp_cand *c)
{
    vocal__free(c->text);
    vocal__free(c->id);
    vocal__free(c->source);
    vocal__free(c->date);
}

void vocal_agg_free(vocal_agg *a)
{
    if (!a) return;
    for (size_t i = 0; i < a->n_themes; i++) {
        vocal__free(a->themes[i].id);
        vocal__free(a->themes[i].parent);
        vocal__free(a->themes[i].label);
        for (int p = 0; p < 2; p++) {
            for (size_t j = 0; j < a->verbs[i].n[p]; j++) vocal__cand_free(&a->verbs[i].c[p][j]);
            vocal__free(a->verbs[i].c[p]);
        }
    }
    vocal__free(a->themes);
    vocal__free(a->verbs);
    for (size_t i = 0; i < a->n_cells; i++) {
        vocal__free(a->cells[i].key);
        vocal__free(a->cells[i].themes);
    }
    vocal__free(a->cells);
    vocal__map_free(&a->theme_map);
    vocal__map_free(&a->cell_map);
    vocal__free(a);
}

void vocal_agg_count_rejected(vocal_agg *a, uint64_t n)
{
    a->rejected += n;
}

void vocal_agg_stats(const vocal_agg *a, uint64_t *records, uint64_t *rejected)
{
    if (records) *records = a->records;
    if (rejected) *rejected = a->rejected;
}

/* MARK: themes and cells */

/* Keep the smallest non-empty value, so that the result does not depend on
 * the order records arrive in (merging must be order-free). */
static int keep_min(char **slot, const char *v)
{
    if (!v || !*v || (*slot && **slot && strcmp(*slot, v) <= 0)) return VOCAL_OK;
    char *c = vocal__strndup(v, strlen(v));
    if (!c) return VOCAL_ENOMEM;
    vocal__free(*slot);
    *slot = c;
    return VOCAL_OK;
}

int vocal__agg_theme(vocal_agg *a, size_t *idx, const char *id, const char *parent, const char *label)
{
    size_t len = strlen(id);
    if (!vocal__map_find(&a->theme_map, id, len, idx)) {
        if (a->n_themes == a->cap_themes) {
            size_t cap = a->cap_themes ? a->cap_themes * 2 : 32;
            rp_theme *t = vocal__realloc(a->themes, cap * sizeof *t);
            if (!t) return VOCAL_ENOMEM;
            a->themes = t;
            rp_verb *v = vocal__realloc(a->verbs, cap * sizeof *v);
            if (!v) return VOCAL_ENOMEM;
            a->verbs = v;
            a->cap_themes = cap;
        }
        rp_theme *t = &a->themes[a->n_themes];
        memset(t, 0, sizeof *t);
        memset(&a->verbs[a->n_themes], 0, sizeof a->verbs[0]);
        t->id = vocal__strndup(id, len);
        t->parent = vocal__strndup("", 0);
        t->label = vocal__strndup("", 0);
        if (!t->id || !t->parent || !t->label) {
            vocal__free(t->id);
            vocal__free(t->parent);
            vocal__free(t->label);
            return VOCAL_ENOMEM;
        }
        if (vocal__map_put(&a->theme_map, id, len, a->n_themes) < 0) {
            vocal__free(t->id);
            vocal__free(t->parent);
            vocal__free(t->label);
            return VOCAL_ENOMEM;
        }
        *idx = a->n_themes++;
    }
    rp_theme *t = &a->themes[*idx];
    if (parent && strcmp(parent, id) == 0) parent = NULL; /* a theme is not its own parent */
    if (keep_min(&t->parent, parent) < 0 || keep_min(&t->label, label) < 0) return VOCAL_ENOMEM;
    return VOCAL_OK;
}

int vocal__agg_cell(vocal_agg *a, rp_cell **out, int kind, const char *key)
{
    size_t klen = strlen(key), idx;
    char *mk = vocal__malloc(klen + 2);
    if (!mk) return VOCAL_ENOMEM;
    mk[0] = (char)('0' + kind);
    memcpy(mk + 1, key, klen + 1);
    if (vocal__map_find(&a->cell_map, mk, klen + 1, &idx)) {
        vocal__free(mk);
        *out = &a->cells[idx];
        return VOCAL_OK;
    }
    if (a->n_cells == a->cap_cells) {
        size_t cap = a->cap_cells ? a->cap_cells * 2 : 32;
        rp_cell *c = vocal__realloc(a->cells, cap * sizeof *c);
        if (!c) {
            vocal__free(mk);
            return VOCAL_ENOMEM;
        }
        a->cells = c;
        a->cap_cells = cap;
    }
    rp_cell *c = &a->cells[a->n_cells];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->key = vocal__strndup(key, klen);
    if (!c->key || vocal__map_put(&a->cell_map, mk, klen + 1, a->n_cells) < 0) {
        vocal__free(c->key);
        vocal__free(mk);
        return VOCAL_ENOMEM;
    }
    vocal__free(mk);
    a->n_cells++;
    *out = c;
    return VOCAL_OK;
}

int vocal__cell_theme(rp_cell *c, size_t t, rp_stats **out)
{
    if (t >= c->n_themes) {
        size_t n = t + 1 > c->n_themes * 2 ? t + 1 : c->n_themes * 2;
        rp_stats *s = vocal__realloc(c->themes, n * sizeof *s);
        if (!s) return VOCAL_ENOMEM;
        memset(s + c->n_themes, 0, (n - c->n_themes) * sizeof *s);
        c->themes = s;
        c->n_themes = n;
    }
    *out = &c->themes[t];
    return VOCAL_OK;
}

/* MARK: verbatim candidates */

static int strcmp0(const char *x, const char *y)
{
    return strcmp(x ? x : "", y ? y : "");
}

int vocal__cand_cmp(const rp_cand *x, const rp_cand *y)
{
    if (x->conf != y->conf) return x->conf > y->conf ? -1 : 1;
    size_t lx = strlen(x->text), ly = strlen(y->text);
    if (lx != ly) return lx < ly ? -1 : 1;
    int c = strcmp0(x->id, y->id);
    if (!c) c = strcmp0(x->source, y->source);
    if (!c && x->line != y->line) c = x->line < y->line ? -1 : 1;
    if (!c) c = strcmp(x->text, y->text);
    return c;
}

static char *dup0(const char *s)
{
    return s ? vocal__strndup(s, strlen(s)) : NULL;
}

int vocal__verb_insert(rp_verb *v, int p, const rp_cand *cand, unsigned k)
{
    size_t n = v->n[p], pos = n;
    while (pos > 0 && vocal__cand_cmp(cand, &v->c[p][pos - 1]) < 0) pos--;
    if (pos >= k) return VOCAL_OK;
    if (!v->c[p]) {
        v->c[p] = vocal__calloc(k, sizeof *v->c[p]);
        if (!v->c[p]) return VOCAL_ENOMEM;
    }
    rp_cand c = *cand;
    c.text = dup0(cand->text);
    c.id = dup0(cand->id);
    c.source = dup0(cand->source);
    c.date = dup0(cand->date);
    if (!c.text || (cand->id && !c.id) || (cand->source && !c.source) || (cand->date && !c.date)) {
        vocal__cand_free(&c);
        return VOCAL_ENOMEM;
    }
    if (n == k) {
        vocal__cand_free(&v->c[p][n - 1]);
        n--;
    }
    memmove(&v->c[p][pos + 1], &v->c[p][pos], (n - pos) * sizeof c);
    v->c[p][pos] = c;
    v->n[p] = n + 1;
    return VOCAL_OK;
}

/* MARK: adding a record */

typedef struct rec_theme {
    size_t idx;
    unsigned pol; /* bits: 1 pos, 2 neg, 4 neu */
    int root;
} rec_theme;

static int add_rec_theme(rec_theme *rt, size_t *n, size_t cap, size_t idx, unsigned pol, int root)
{
    for (size_t i = 0; i < *n; i++)
        if (rt[i].idx == idx) {
            rt[i].pol |= pol;
            rt[i].root |= root;
            return VOCAL_OK;
        }
    if (*n == cap) return VOCAL_ERROR;
    rt[*n].idx = idx;
    rt[*n].pol = pol;
    rt[*n].root = root;
    (*n)++;
    return VOCAL_OK;
}

static void add_stats(rp_stats *s, const vocal_agg *a, const rp_record *r)
{
    s->v[RP_N]++;
    if (r->sentiment >= 0) {
        /* a response without a comment counts for its scores only */
        s->v[RP_TEXT]++;
        s->v[RP_POS + r->sentiment]++;
        s->v[RP_SENT_SUM] += r->score;
    }
    if (r->nps >= 0) {
        s->v[RP_NPS_N]++;
        s->v[RP_NPS_SUM] += r->nps;
        s->v[r->nps >= 9 ? RP_PROM : r->nps >= 7 ? RP_PASS : RP_DET]++;
    }
    if (r->has_csat && r->csat >= a->csat_min && r->csat <= a->csat_max) {
        s->v[RP_CSAT_N]++;
        s->v[RP_CSAT_SUM] += r->csat;
        if (r->csat >= a->csat_max - 1000) s->v[RP_CSAT_TOP2]++;
    }
    if (r->has_ces && r->ces >= a->ces_min && r->ces <= a->ces_max) {
        s->v[RP_CES_N]++;
        s->v[RP_CES_SUM] += r->ces;
        s->v[RP_CES_SQ] += r->ces * r->ces;
    }
}

/* A parent's own parent is not in the record: take the id's dotted prefix
 * ("a.b" under "a"), so roll-up never depends on which records came first. */
static const char *dotted_parent(char *buf, size_t cap, const char *id)
{
    const char *dot = strrchr(id, '.');
    size_t n = dot ? (size_t)(dot - id) : 0;
    if (n >= cap) n = 0;
    memcpy(buf, id, n);
    buf[n] = '\0';
    return buf;
}

#define RP_MAX_REC_THEMES (64 * 5) /* 64 themes, each with up to 4 ancestors */

int vocal__agg_add(vocal_agg *a, const rp_record *r, vocal_error *err)
{
    rec_theme rt[RP_MAX_REC_THEMES];
    size_t nrt = 0;
    char pbuf[2][512];
    if (r->n_themes > 64)
        return vocal__err(err, VOCAL_EINPUT, r->source, (uint64_t)r->line, UINT64_MAX,
                          "more than 64 themes in one record");
    for (size_t i = 0; i < r->n_themes; i++) {
        const rp_record_theme *t = &r->themes[i];
        size_t idx;
        if (vocal__agg_theme(a, &idx, t->id, t->parent, t->label) < 0) return vocal__err_oom(err);
        unsigned pol = 1u << t->polarity;
        if (add_rec_theme(rt, &nrt, RP_MAX_REC_THEMES, idx, pol, t->root) < 0) break;
        /* roll up: every ancestor is mentioned once by this record */
        const char *p = t->parent, *child = t->id;
        for (int depth = 0; p && *p && depth < 4 && strcmp(p, child) != 0; depth++) {
            char *buf = pbuf[depth & 1];
            const char *pp = dotted_parent(buf, sizeof pbuf[0], p);
            if (vocal__agg_theme(a, &idx, p, pp, NULL) < 0) return vocal__err_oom(err);
            if (add_rec_theme(rt, &nrt, RP_MAX_REC_THEMES, idx, pol, t->root) < 0) break;
            child = a->themes[idx].id;
            p = pp;
        }
    }
    char day[11] = "";
    if (r->date) memcpy(day, r->date, 10);
    const char *keys[RP_NKINDS] = {"", r->dim[0], r->dim[1], r->dim[2], r->date ? day : NULL};
    for (int kind = 0; kind < RP_NKINDS; kind++) {
        if (!keys[kind]) continue;
        rp_cell *c;
        if (vocal__agg_cell(a, &c, kind, keys[kind]) < 0) return vocal__err_oom(err);
        add_stats(&c->all, a, r);
        for (size_t i = 0; i < nrt; i++) {
            rp_stats *s;
            if (vocal__cell_theme(c, rt[i].idx, &s) < 0) return vocal__err_oom(err);
            add_stats(s, a, r);
            for (int p = 0; p < 3; p++)
                if (rt[i].pol & (1u << p)) s->v[RP_TPOS + p]++;
            if (rt[i].root) s->v[RP_ROOT]++;
        }
    }
    /* verbatims: the record's own themes with a positive or negative polarity */
    char *masked = NULL;
    for (size_t i = 0; i < r->n_themes; i++) {
        const rp_record_theme *t = &r->themes[i];
        if (t->polarity > 1) continue;
        if (!masked && vocal_mask_pii(&masked, NULL, r->text, r->text_len) < 0) return vocal__err_oom(err);
        size_t idx;
        (void)vocal__map_find(&a->theme_map, t->id, strlen(t->id), &idx);
        rp_cand c = {t->conf, masked, (char *)r->id, (char *)r->source, (char *)(r->date ? day : NULL),
                     r->line, r->sentiment, r->nps};
        if (vocal__verb_insert(&a->verbs[idx], t->polarity, &c, a->k) < 0) {
            free(masked);
            return vocal__err_oom(err);
        }
    }
    free(masked);
    a->records++;
    return VOCAL_OK;
}

/* MARK: JSON records */

int vocal__lookup(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (s && strcmp(s, names[i]) == 0) return i;
    return -1;
}

static int days_in_month(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : d[m - 1];
}

int vocal__valid_date(const char *s, size_t len)
{
    if (len < 10) return 0;
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) return 0;
    int y = atoi(s), m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return 0;
    return len == 10 || s[10] == 'T' || s[10] == ' ';
}

static const char *opt_str(json_t *o, const char *key, int *bad)
{
    json_t *v = json_object_get(o, key);
    if (!v) return NULL;
    if (!json_is_string(v)) {
        *bad = 1;
        return NULL;
    }
    return json_string_value(v);
}

static int bad_rec(vocal_error *err, const char *path, uint64_t line, const char *what)
{
    return vocal__err(err, VOCAL_EINPUT, path, line, UINT64_MAX, "not a tagged record: %s", what);
}

static int read_number(json_t *o, const char *key, int *has, int64_t *out)
{
    json_t *v = json_object_get(o, key);
    *has = 0;
    if (!v) return 0;
    if (!json_is_number(v)) return -1;
    double d = json_number_value(v);
    if (!(fabs(d) <= 1e9)) return -1;
    *has = 1;
    *out = vocal__milli(d);
    return 0;
}

static int parse_themes(rp_record *r, rp_record_theme *th, json_t *obj, const char *path, uint64_t line,
                        vocal_error *err)
{
    json_t *arr = json_object_get(obj, "themes");
    json_t *roots = json_object_get(obj, "root_causes");
    if (arr && !json_is_array(arr)) return bad_rec(err, path, line, "\"themes\" is not an array");
    if (roots && !json_is_array(roots)) return bad_rec(err, path, line, "\"root_causes\" is not an array");
    size_t n = arr ? json_array_size(arr) : 0;
    if (n > 64) return bad_rec(err, path, line, "more than 64 themes");
    for (size_t i = 0; i < n; i++) {
        json_t *t = json_array_get(arr, i);
        int bad = 0;
        if (!json_is_object(t)) return bad_rec(err, path, line, "a theme is not an object");
        rp_record_theme *x = &th[i];
        x->id = opt_str(t, "id", &bad);
        x->parent = opt_str(t, "parent", &bad);
        x->label = opt_str(t, "label", &bad);
        const char *pol = opt_str(t, "polarity", &bad);
        if (bad || !x->id || !*x->id || strlen(x->id) > 200)
            return bad_rec(err, path, line, "a theme lacks a string \"id\" (1-200 bytes)");
        x->polarity = pol ? vocal__lookup(pol, polarity_names, 3) : 2;
        if (x->polarity < 0) return bad_rec(err, path, line, "a theme's \"polarity\" is not positive, negative or neutral");
        json_t *c = json_object_get(t, "confidence");
        double conf = json_is_number(c) ? json_number_value(c) : 0;
        x->conf = vocal__milli(conf < 0 || conf != conf ? 0 : conf > 1 ? 1 : conf);
        x->root = x->polarity == 1 && !roots;
        for (size_t j = 0; roots && j < json_array_size(roots); j++) {
            const char *rid = json_string_value(json_array_get(roots, j));
            if (rid && strcmp(rid, x->id) == 0) x->root = 1;
        }
    }
    r->themes = th;
    r->n_themes = n;
    return VOCAL_OK;
}

int vocal_agg_add_json(vocal_agg *a, const char *json, size_t len, const char *path, uint64_t line,
                       vocal_error *err)
{
    json_error_t je;
    json_t *o = json_loadb(json, len, 0, &je);
    if (!o) {
        a->rejected++;
        return vocal__err(err, VOCAL_EINPUT, path, line, (uint64_t)je.position, "not JSON: %s", je.text);
    }
    rp_record r;
    rp_record_theme th[64];
    memset(&r, 0, sizeof r);
    int rc = VOCAL_EINPUT, bad = 0;
    if (!json_is_object(o)) {
        rc = bad_rec(err, path, line, "not an object");
        goto done;
    }
    r.source = opt_str(o, "source", &bad);
    r.id = opt_str(o, "id", &bad);
    r.date = opt_str(o, "date", &bad);
    json_t *text = json_object_get(o, "text");
    json_t *ln = json_object_get(o, "line");
    r.line = json_is_integer(ln) ? (int64_t)json_integer_value(ln) : (int64_t)line;
    static const char *const dims[3] = {"segment", "touchpoint", "channel"};
    for (int d = 0; d < 3; d++) r.dim[d] = opt_str(o, dims[d], &bad);
    if (bad) {
        rc = bad_rec(err, path, line, "a string key (source, id, date, segment, touchpoint, channel) is not a string");
        goto done;
    }
    if (!json_is_string(text)) {
        rc = bad_rec(err, path, line, "no \"text\" string");
        goto done;
    }
    r.text = json_string_value(text);
    r.text_len = json_string_length(text);
    if (r.date && !vocal__valid_date(r.date, strlen(r.date))) {
        rc = bad_rec(err, path, line, "\"date\" is not an ISO 8601 date");
        goto done;
    }
    json_t *nps = json_object_get(o, "nps");
    r.nps = -1;
    if (nps) {
        if (!json_is_integer(nps) || json_integer_value(nps) < 0 || json_integer_value(nps) > 10) {
            rc = bad_rec(err, path, line, "\"nps\" is not an integer 0-10");
            goto done;
        }
        r.nps = (int)json_integer_value(nps);
    }
    if (read_number(o, "csat", &r.has_csat, &r.csat) < 0 || read_number(o, "ces", &r.has_ces, &r.ces) < 0) {
        rc = bad_rec(err, path, line, "\"csat\" or \"ces\" is not a number");
        goto done;
    }
    json_t *s = json_object_get(o, "sentiment");
    if (!s && r.text_len == 0) {
        /* records.md: a response without a comment has no sentiment */
        r.sentiment = -1;
        r.score = 0;
    } else {
        const char *label = json_is_object(s) ? json_string_value(json_object_get(s, "label")) : NULL;
        r.sentiment = vocal__lookup(label, vocal__sentiment_names, 4);
        if (r.sentiment < 0) {
            rc = bad_rec(err, path, line, "no \"sentiment.label\" (positive, negative, neutral or mixed)");
            goto done;
        }
        json_t *score = json_object_get(s, "score");
        double sc = json_is_number(score) ? json_number_value(score) : 0;
        r.score = vocal__milli(sc < -1 || sc != sc ? -1 : sc > 1 ? 1 : sc);
    }
    if ((rc = parse_themes(&r, th, o, path, line, err)) < 0) goto done;
    rc = vocal__agg_add(a, &r, err);
done:
    if (rc == VOCAL_EINPUT) a->rejected++;
    json_decref(o);
    return rc;
}

/* MARK: merge */

static int add_checked(rp_stats *d, const rp_stats *s)
{
    for (int f = 0; f < RP_NFIELDS; f++)
        if (__builtin_add_overflow(d->v[f], s->v[f], &d->v[f])) return VOCAL_EINPUT;
    return VOCAL_OK;
}

int vocal_agg_merge(vocal_agg *dst, const vocal_agg *src, vocal_error *err)
{
    if (dst->csat_min != src->csat_min || dst->csat_max != src->csat_max || dst->ces_min != src->ces_min ||
        dst->ces_max != src->ces_max || dst->k != src->k)
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX,
                          "aggregates with different score scales or verbatim counts cannot be merged");
    size_t *map = vocal__calloc(src->n_themes + 1, sizeof *map);
    if (!map) return vocal__err_oom(err);
    int rc = VOCAL_OK;
    for (size_t i = 0; i < src->n_themes && rc == VOCAL_OK; i++) {
        const rp_theme *t = &src->themes[i];
        rc = vocal__agg_theme(dst, &map[i], t->id, t->parent, t->label);
    }
    for (size_t i = 0; i < src->n_cells && rc == VOCAL_OK; i++) {
        const rp_cell *sc = &src->cells[i];
        rp_cell *dc;
        if ((rc = vocal__agg_cell(dst, &dc, sc->kind, sc->key)) < 0) break;
        if ((rc = add_checked(&dc->all, &sc->all)) < 0) break;
        for (size_t t = 0; t < sc->n_themes && t < src->n_themes && rc == VOCAL_OK; t++) {
            if (!sc->themes[t].v[RP_N]) continue;
            rp_stats *s;
            if ((rc = vocal__cell_theme(dc, map[t], &s)) < 0) break;
            if ((rc = add_checked(s, &sc->themes[t])) < 0) break;
        }
    }
    for (size_t i = 0; i < src->n_themes && rc == VOCAL_OK; i++)
        for (int p = 0; p < 2 && rc == VOCAL_OK; p++)
            for (size_t j = 0; j < src->verbs[i].n[p] && rc == VOCAL_OK; j++)
                rc = vocal__verb_insert(&dst->verbs[map[i]], p, &src->verbs[i].c[p][j], dst->k);
    vocal__free(map);
    if (rc == VOCAL_EINPUT)
        return vocal__err(err, rc, NULL, 0, UINT64_MAX, "a count overflows when the aggregates are added");
    if (rc < 0) return vocal__err_oom(err);
    dst->records += src->records;
    dst->rejected += src->rejected;
    return VOCAL_OK;
}
