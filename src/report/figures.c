/* From an aggregate to the report's tables: every figure of docs/report.md
 * is computed here, once, and the renderers only lay the tables out. Every
 * list is sorted by a total order on the data (never on the aggregate's
 * internal order), so that a merged aggregate renders to the same bytes as
 * one built in a single run. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

#define Z95 1.959963984540054
/* Responses needed in both periods before a change can be flagged: below
 * this the normal approximation behind both tests is not worth trusting
 * (two weekly answers are not a trend). */
#define MIN_N 10

/* MARK: tables */

static const char *const c_summary[] = {"metric", "value"};
static const char *const c_sentiment[] = {"sentiment", "records", "share_pct"};
static const char *const c_themes[] = {"theme", "label", "parent", "level", "mentions", "share_pct", "positive",
                                       "negative", "neutral", "root_causes", "nps_responses", "nps"};
static const char *const c_breakdown[] = {"dimension", "value", "records", "positive_pct", "negative_pct",
                                          "nps_responses", "promoters", "passives", "detractors", "nps", "nps_low",
                                          "nps_high", "csat_responses", "csat_top2_pct", "ces_responses", "ces_mean"};
static const char *const c_periods[] = {"period", "records", "positive_pct", "negative_pct", "negative_change",
                                        "negative_flag", "nps_responses", "nps", "nps_low", "nps_high",
                                        "nps_change", "nps_flag", "csat_top2_pct", "csat_change", "csat_flag",
                                        "ces_mean", "ces_change", "ces_flag"};
static const char *const c_theme_periods[] = {"period", "theme", "label", "mentions", "share_pct", "change_pts",
                                              "flag"};
static const char *const c_drivers[] = {"rank", "theme", "label", "mentions", "negative", "negative_pct",
                                        "root_causes", "detractors", "mean_nps_with", "mean_nps_without",
                                        "mean_sentiment_with", "mean_sentiment_without", "nps_impact",
                                        "last_share_pct", "change_pts", "flag"};
static const char *const c_verbatims[] = {"theme", "label", "polarity", "rank", "id", "date", "confidence",
                                          "sentiment", "text"};

static const char *const table_names[T_NTABLES + 1] = {"summary", "sentiment", "themes", "breakdown", "periods",
                                                       "theme_periods", "drivers", "verbatims", NULL};

const char *const *vocal_report_tables(void)
{
    return table_names;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void table_init(rp_table *t, int which, const char *title, const char *const *cols, size_t ncols)
{
    memset(t, 0, sizeof *t);
    t->name = table_names[which];
    t->title = title;
    t->cols = cols;
    t->ncols = ncols;
}

/* a new zeroed (all RC_NULL) row; NULL when out of memory */
static rp_val *row_new(rp_table *t)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        rp_val *c = vocal__realloc(t->cells, cap * t->ncols * sizeof *c);
        if (!c) return NULL;
        t->cells = c;
        t->cap = cap;
    }
    rp_val *r = &t->cells[t->nrows++ * t->ncols];
    memset(r, 0, t->ncols * sizeof *r);
    return r;
}

const rp_val *vocal__cell(const rp_table *t, size_t row, size_t col)
{
    return &t->cells[row * t->ncols + col];
}

/* Setters record an allocation failure in *oom instead of returning it, so
 * that filling a row stays one line per value. */
static void v_str(rp_val *v, const char *s, int *oom)
{
    v->s = vocal__strndup(s ? s : "", s ? strlen(s) : 0);
    v->t = v->s ? RC_STR : RC_NULL;
    if (!v->s) *oom = 1;
}
static void v_int(rp_val *v, int64_t i)
{
    v->t = RC_INT;
    v->i = i;
}
static void v_num(rp_val *v, double d, int dec)
{
    if (!isfinite(d)) return; /* stays RC_NULL */
    v->t = RC_NUM;
    /* round now, so that every renderer shows the same figure and -0.0 does not appear */
    double scale = pow(10, dec);
    v->d = round(d * scale) / scale;
    if (v->d == 0) v->d = 0;
    v->dec = dec;
}

int vocal__val_text(vocal__buf *b, const rp_val *v)
{
    char tmp[64];
    int n = 0;
    switch (v->t) {
    case RC_NULL: return VOCAL_OK;
    case RC_STR: return vocal__buf_put(b, v->s, strlen(v->s));
    case RC_INT: n = snprintf(tmp, sizeof tmp, "%lld", (long long)v->i); break;
    case RC_NUM: n = snprintf(tmp, sizeof tmp, "%.*f", v->dec, v->d); break;
    }
    return vocal__buf_put(b, tmp, (size_t)n);
}

void vocal__report_free(rp_report *r)
{
    for (int i = 0; i < T_NTABLES; i++) {
        rp_table *t = &r->t[i];
        for (size_t j = 0; j < t->nrows * t->ncols; j++)
            if (t->cells[j].t == RC_STR) vocal__free(t->cells[j].s);
        vocal__free(t->cells);
    }
    memset(r, 0, sizeof *r);
}

/* MARK: figures */

static double pct(int64_t x, int64_t n)
{
    return n > 0 ? 100.0 * (double)x / (double)n : NAN;
}

/* NPS = %promoters - %detractors; Wald 95% interval with
 * var = (pP + pD - (pP - pD)^2) / n, clipped to [-100, 100]. */
static void nps_of(const rp_stats *s, double *nps, double *lo, double *hi, double *se)
{
    int64_t n = s->v[RP_NPS_N];
    if (n <= 0) {
        *nps = *lo = *hi = *se = NAN;
        return;
    }
    double pp = (double)s->v[RP_PROM] / (double)n, pd = (double)s->v[RP_DET] / (double)n;
    double var = (pp + pd - (pp - pd) * (pp - pd)) / (double)n;
    *se = 100.0 * sqrt(var > 0 ? var : 0);
    *nps = 100.0 * (pp - pd);
    *lo = fmax(-100, *nps - Z95 * *se);
    *hi = fmin(100, *nps + Z95 * *se);
}

static double ces_mean(const rp_stats *s, double *var)
{
    int64_t n = s->v[RP_CES_N];
    if (n <= 0) {
        *var = NAN;
        return NAN;
    }
    double m = (double)s->v[RP_CES_SUM] / 1000.0 / (double)n;
    double sq = (double)s->v[RP_CES_SQ] / 1e6;
    *var = n > 1 ? (sq - (double)n * m * m) / (double)(n - 1) : NAN;
    if (*var < 0) *var = 0;
    return m;
}

/* Two-proportion z-test at 95% (pooled): is x2/n2 different from x1/n1? */
static int prop_flag(int64_t x1, int64_t n1, int64_t x2, int64_t n2)
{
    if (n1 < MIN_N || n2 < MIN_N) return 0;
    double p1 = (double)x1 / (double)n1, p2 = (double)x2 / (double)n2;
    double p = (double)(x1 + x2) / (double)(n1 + n2);
    double se = sqrt(p * (1 - p) * (1.0 / (double)n1 + 1.0 / (double)n2));
    if (!(se > 0)) return 0;
    double z = (p2 - p1) / se;
    return fabs(z) > Z95 ? (z > 0 ? 1 : -1) : 0;
}

/* A difference d is flagged when |d| > 1.96 * sqrt(se1^2 + se2^2). */
static int diff_flag(double d, double se1, double se2, int64_t n1, int64_t n2)
{
    if (n1 < MIN_N || n2 < MIN_N) return 0;
    double se = sqrt(se1 * se1 + se2 * se2);
    if (!isfinite(d) || !(se > 0)) return 0;
    return fabs(d) > Z95 * se ? (d > 0 ? 1 : -1) : 0;
}

static void v_flag(rp_val *v, int flag, int have_prev, int *oom)
{
    if (have_prev) v_str(v, flag > 0 ? "up" : flag < 0 ? "down" : "", oom);
}

/* MARK: periods */

static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* The period a day (YYYY-MM-DD) falls in: itself, its ISO week "YYYY-Www", or "YYYY-MM". */
static void period_key(char out[16], const char *day, vocal_period p)
{
    int y = atoi(day), m = atoi(day + 5), d = atoi(day + 8);
    if (p == VOCAL_PERIOD_MONTH) {
        snprintf(out, 16, "%04d-%02d", y % 10000, m % 100);
    } else if (p == VOCAL_PERIOD_WEEK) {
        int64_t z = days_from_civil(y, m, d);
        int64_t wd = ((z % 7) + 7 + 3) % 7; /* 0 = Monday; 1970-01-01 was a Thursday */
        int ty, tm, td;
        civil_from_days(z - wd + 3, &ty, &tm, &td); /* the week's Thursday decides its year */
        int64_t ord = z - wd + 3 - days_from_civil(ty, 1, 1);
        snprintf(out, 16, "%04d-W%02d", ty % 10000, (int)(ord / 7 + 1) % 100);
    } else {
        snprintf(out, 16, "%.10s", day);
    }
}

typedef struct period {
    char key[16];
    rp_stats all;
    rp_stats *themes; /* n_themes */
} period;

static int cmp_cellp_key(const void *x, const void *y)
{
    return strcmp((*(const rp_cell *const *)x)->key, (*(const rp_cell *const *)y)->key);
}

static void add_into(rp_stats *d, const rp_stats *s)
{
    for (int f = 0; f < RP_NFIELDS; f++) d->v[f] += s->v[f];
}

static int build_periods(period **out, size_t *n_out, const vocal_agg *a, vocal_period p)
{
    const rp_cell **days = vocal__malloc((a->n_cells + 1) * sizeof *days);
    period *ps = vocal__calloc(a->n_cells + 1, sizeof *ps);
    size_t nd = 0, np = 0;
    if (!days || !ps) goto oom;
    for (size_t i = 0; i < a->n_cells; i++)
        if (a->cells[i].kind == RP_DAY) days[nd++] = &a->cells[i];
    qsort(days, nd, sizeof *days, cmp_cellp_key);
    for (size_t i = 0; i < nd; i++) {
        char key[16];
        period_key(key, days[i]->key, p);
        if (!np || strcmp(ps[np - 1].key, key) != 0) {
            memcpy(ps[np].key, key, 16);
            ps[np].themes = vocal__calloc(a->n_themes + 1, sizeof *ps[np].themes);
            np++;
            if (!ps[np - 1].themes) goto oom;
        }
        period *q = &ps[np - 1];
        add_into(&q->all, &days[i]->all);
        for (size_t t = 0; t < days[i]->n_themes && t < a->n_themes; t++) add_into(&q->themes[t], &days[i]->themes[t]);
    }
    vocal__free(days);
    *out = ps;
    *n_out = np;
    return VOCAL_OK;
oom:
    for (size_t i = 0; ps && i < np; i++) vocal__free(ps[i].themes);
    vocal__free(ps);
    vocal__free(days);
    return VOCAL_ENOMEM;
}

/* MARK: themes */

typedef struct ctx {
    const vocal_agg *a;
    const vocal_report_options *o;
    const rp_stats *all;
    const rp_cell *all_cell;
    period *ps;
    size_t np;
    int *leaf;      /* by theme: no theme names it as parent */
    size_t *order;  /* leaf themes with mentions, by mentions desc, id asc */
    size_t n_order;
    int oom;
} ctx;

static const rp_stats zero_stats;

static const rp_stats *theme_all(const ctx *c, size_t t)
{
    return c->all_cell && t < c->all_cell->n_themes ? &c->all_cell->themes[t] : &zero_stats;
}

static const char *theme_label(const ctx *c, size_t t)
{
    const rp_theme *th = &c->a->themes[t];
    if (th->label[0]) return th->label;
    for (size_t i = 0; i < c->o->n_labels; i++)
        if (c->o->labels[i].id && c->o->labels[i].label && strcmp(c->o->labels[i].id, th->id) == 0)
            return c->o->labels[i].label;
    return th->id;
}

/* insertion sort: theme lists are short, and this keeps the comparison's
 * context out of global state */
static void sort_themes(const ctx *c, size_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        size_t x = v[i], j = i;
        while (j > 0) {
            size_t y = v[j - 1];
            int64_t mx = theme_all(c, x)->v[RP_N], my = theme_all(c, y)->v[RP_N];
            int before = mx != my ? mx > my : strcmp(c->a->themes[x].id, c->a->themes[y].id) < 0;
            if (!before) break;
            v[j] = y;
            j--;
        }
        v[j] = x;
    }
}

static int parent_index(const ctx *c, size_t t, size_t *p)
{
    const char *par = c->a->themes[t].parent;
    return *par && vocal__map_find(&c->a->theme_map, par, strlen(par), p) && *p != t;
}

static void theme_row(ctx *c, rp_table *tb, size_t t, int level)
{
    const rp_stats *s = theme_all(c, t);
    rp_val *r = row_new(tb);
    if (!r) {
        c->oom = 1;
        return;
    }
    double nps, lo, hi, se;
    nps_of(s, &nps, &lo, &hi, &se);
    v_str(&r[0], c->a->themes[t].id, &c->oom);
    v_str(&r[1], theme_label(c, t), &c->oom);
    v_str(&r[2], c->a->themes[t].parent, &c->oom);
    v_int(&r[3], level);
    v_int(&r[4], s->v[RP_N]);
    v_num(&r[5], pct(s->v[RP_N], c->all->v[RP_TEXT]), 1); /* share of the comments */
    v_int(&r[6], s->v[RP_TPOS]);
    v_int(&r[7], s->v[RP_TNEG]);
    v_int(&r[8], s->v[RP_TNEU]);
    v_int(&r[9], s->v[RP_ROOT]);
    v_int(&r[10], s->v[RP_NPS_N]);
    v_num(&r[11], nps, 1);
}

/* depth-first: a theme, then its children by mentions */
static void theme_tree(ctx *c, rp_table *tb, size_t t, int level, size_t *buf)
{
    theme_row(c, tb, t, level);
    if (level >= 4) return;
    size_t n = 0, p;
    for (size_t i = 0; i < c->a->n_themes; i++)
        if (theme_all(c, i)->v[RP_N] > 0 && parent_index(c, i, &p) && p == t) buf[n++] = i;
    if (!n) return;
    size_t *kids = vocal__malloc(n * sizeof *kids);
    if (!kids) {
        c->oom = 1;
        return;
    }
    memcpy(kids, buf, n * sizeof *kids);
    sort_themes(c, kids, n);
    for (size_t i = 0; i < n; i++) theme_tree(c, tb, kids[i], level + 1, buf);
    vocal__free(kids);
}

static void themes_table(ctx *c, rp_table *tb, size_t *buf)
{
    size_t n = 0, p;
    for (size_t i = 0; i < c->a->n_themes; i++)
        if (theme_all(c, i)->v[RP_N] > 0 && !parent_index(c, i, &p)) buf[n++] = i;
    size_t *roots = vocal__malloc((n + 1) * sizeof *roots);
    if (!roots) {
        c->oom = 1;
        return;
    }
    memcpy(roots, buf, n * sizeof *roots);
    sort_themes(c, roots, n);
    for (size_t i = 0; i < n; i++) theme_tree(c, tb, roots[i], 0, buf);
    vocal__free(roots);
}

/* MARK: the tables */

static void summary_row(ctx *c, rp_table *tb, const char *metric, const rp_val *v)
{
    rp_val *r = row_new(tb);
    if (!r) {
        c->oom = 1;
        return;
    }
    v_str(&r[0], metric, &c->oom);
    r[1] = *v;
    if (v->t == RC_STR) v_str(&r[1], v->s, &c->oom);
}

static void stats_cols(rp_val *r, const rp_stats *s)
{
    double nps, lo, hi, se, var;
    nps_of(s, &nps, &lo, &hi, &se);
    v_int(&r[0], s->v[RP_N]);
    v_num(&r[1], pct(s->v[RP_POS], s->v[RP_TEXT]), 1);
    v_num(&r[2], pct(s->v[RP_NEG], s->v[RP_TEXT]), 1);
    v_int(&r[3], s->v[RP_NPS_N]);
    v_int(&r[4], s->v[RP_PROM]);
    v_int(&r[5], s->v[RP_PASS]);
    v_int(&r[6], s->v[RP_DET]);
    v_num(&r[7], nps, 1);
    v_num(&r[8], lo, 1);
    v_num(&r[9], hi, 1);
    v_int(&r[10], s->v[RP_CSAT_N]);
    v_num(&r[11], pct(s->v[RP_CSAT_TOP2], s->v[RP_CSAT_N]), 1);
    v_int(&r[12], s->v[RP_CES_N]);
    v_num(&r[13], ces_mean(s, &var), 2);
}

static int cmp_cellp_records(const void *x, const void *y)
{
    const rp_cell *a = *(const rp_cell *const *)x, *b = *(const rp_cell *const *)y;
    if (a->all.v[RP_N] != b->all.v[RP_N]) return a->all.v[RP_N] > b->all.v[RP_N] ? -1 : 1;
    return strcmp(a->key, b->key);
}

static void breakdown_table(ctx *c, rp_table *tb)
{
    static const char *const dim_names[3] = {"segment", "touchpoint", "channel"};
    uint32_t by = c->o->by ? c->o->by : 7u;
    rp_val *r = row_new(tb);
    if (!r) {
        c->oom = 1;
        return;
    }
    v_str(&r[0], "all", &c->oom);
    v_str(&r[1], "all", &c->oom);
    stats_cols(r + 2, c->all);
    const rp_cell **cs = vocal__malloc((c->a->n_cells + 1) * sizeof *cs);
    if (!cs) {
        c->oom = 1;
        return;
    }
    for (int d = 0; d < 3; d++) {
        if (!(by & (1u << d))) continue;
        size_t n = 0;
        for (size_t i = 0; i < c->a->n_cells; i++)
            if (c->a->cells[i].kind == RP_SEGMENT + d) cs[n++] = &c->a->cells[i];
        qsort(cs, n, sizeof *cs, cmp_cellp_records);
        for (size_t i = 0; i < n; i++) {
            if (!(r = row_new(tb))) {
                c->oom = 1;
                break;
            }
            v_str(&r[0], dim_names[d], &c->oom);
            v_str(&r[1], cs[i]->key, &c->oom);
            stats_cols(r + 2, &cs[i]->all);
        }
    }
    vocal__free(cs);
}

static void periods_table(ctx *c, rp_table *tb)
{
    for (size_t i = 0; i < c->np; i++) {
        const rp_stats *s = &c->ps[i].all, *q = i ? &c->ps[i - 1].all : NULL;
        rp_val *r = row_new(tb);
        if (!r) {
            c->oom = 1;
            return;
        }
        double nps, lo, hi, se, pn = NAN, plo, phi, pse = NAN, var, pvar = NAN;
        nps_of(s, &nps, &lo, &hi, &se);
        if (q) nps_of(q, &pn, &plo, &phi, &pse);
        double neg = pct(s->v[RP_NEG], s->v[RP_TEXT]), cs = pct(s->v[RP_CSAT_TOP2], s->v[RP_CSAT_N]);
        double ces = ces_mean(s, &var), pces = q ? ces_mean(q, &pvar) : NAN;
        v_str(&r[0], c->ps[i].key, &c->oom);
        v_int(&r[1], s->v[RP_N]);
        v_num(&r[2], pct(s->v[RP_POS], s->v[RP_TEXT]), 1);
        v_num(&r[3], neg, 1);
        v_int(&r[6], s->v[RP_NPS_N]);
        v_num(&r[7], nps, 1);
        v_num(&r[8], lo, 1);
        v_num(&r[9], hi, 1);
        v_num(&r[12], cs, 1);
        v_num(&r[15], ces, 2);
        if (!q) continue;
        v_num(&r[4], neg - pct(q->v[RP_NEG], q->v[RP_TEXT]), 1);
        v_flag(&r[5], prop_flag(q->v[RP_NEG], q->v[RP_TEXT], s->v[RP_NEG], s->v[RP_TEXT]), 1, &c->oom);
        v_num(&r[10], nps - pn, 1);
        v_flag(&r[11], diff_flag(nps - pn, se, pse, q->v[RP_NPS_N], s->v[RP_NPS_N]), 1, &c->oom);
        v_num(&r[13], cs - pct(q->v[RP_CSAT_TOP2], q->v[RP_CSAT_N]), 1);
        v_flag(&r[14], prop_flag(q->v[RP_CSAT_TOP2], q->v[RP_CSAT_N], s->v[RP_CSAT_TOP2], s->v[RP_CSAT_N]), 1, &c->oom);
        v_num(&r[16], ces - pces, 2);
        double se1 = s->v[RP_CES_N] > 1 ? sqrt(var / (double)s->v[RP_CES_N]) : NAN;
        double se0 = q->v[RP_CES_N] > 1 ? sqrt(pvar / (double)q->v[RP_CES_N]) : NAN;
        v_flag(&r[17], diff_flag(ces - pces, se0, se1, q->v[RP_CES_N], s->v[RP_CES_N]), 1, &c->oom);
    }
}

/* share of the period's records citing theme t, its change against the
 * previous period (points) and the z-test flag; -> 0 if no previous period */
static int theme_change(const ctx *c, size_t pi, size_t t, double *share, double *change, int *flag)
{
    const period *p = &c->ps[pi];
    int64_t x = p->themes[t].v[RP_N];
    *share = pct(x, p->all.v[RP_TEXT]); /* of the period's comments */
    *change = NAN;
    *flag = 0;
    if (pi == 0) return 0;
    const period *q = &c->ps[pi - 1];
    int64_t x0 = q->themes[t].v[RP_N];
    *change = *share - pct(x0, q->all.v[RP_TEXT]);
    *flag = prop_flag(x0, q->all.v[RP_TEXT], x, p->all.v[RP_TEXT]);
    return 1;
}

static void theme_periods_table(ctx *c, rp_table *tb, const size_t *list, size_t n)
{
    for (size_t i = 0; i < c->np; i++)
        for (size_t k = 0; k < n; k++) {
            size_t t = list[k];
            rp_val *r = row_new(tb);
            if (!r) {
                c->oom = 1;
                return;
            }
            double share, change;
            int flag, prev = theme_change(c, i, t, &share, &change, &flag);
            v_str(&r[0], c->ps[i].key, &c->oom);
            v_str(&r[1], c->a->themes[t].id, &c->oom);
            v_str(&r[2], theme_label(c, t), &c->oom);
            v_int(&r[3], c->ps[i].themes[t].v[RP_N]);
            v_num(&r[4], share, 1);
            v_num(&r[5], change, 1);
            v_flag(&r[6], flag, prev, &c->oom);
        }
}

typedef struct driver {
    size_t t;
    double impact;
} driver;

static int is_problem(const rp_stats *s)
{
    return s->v[RP_N] > 0 && 2 * s->v[RP_TNEG] >= s->v[RP_N];
}

/* The leaf themes in driver order (malloc'd; NULL when out of memory). */
static driver *rank_drivers(ctx *c)
{
    driver *d = vocal__malloc((c->n_order + 1) * sizeof *d);
    if (!d) {
        c->oom = 1;
        return NULL;
    }
    int64_t nps_n = c->all->v[RP_NPS_N];
    for (size_t i = 0; i < c->n_order; i++) {
        d[i].t = c->order[i];
        /* detractors citing the theme become passives: NPS rises by D_t / n * 100 */
        d[i].impact = nps_n > 0 ? 100.0 * (double)theme_all(c, d[i].t)->v[RP_DET] / (double)nps_n : 0;
    }
    /* rank: problems first (cited negatively at least half the time: a
     * theme customers praise is not a root cause, even when detractors
     * mention it), then NPS impact, then negative mentions, then mentions
     * (the order of c->order, kept by this stable insertion sort) */
    for (size_t i = 1; i < c->n_order; i++) {
        driver x = d[i];
        size_t j = i;
        const rp_stats *sx = theme_all(c, x.t);
        int64_t nx = sx->v[RP_TNEG];
        int px = is_problem(sx);
        while (j > 0) {
            const rp_stats *sy = theme_all(c, d[j - 1].t);
            int64_t ny = sy->v[RP_TNEG];
            int py = is_problem(sy);
            if (!(px > py || (px == py && (x.impact > d[j - 1].impact || (x.impact == d[j - 1].impact && nx > ny)))))
                break;
            d[j] = d[j - 1];
            j--;
        }
        d[j] = x;
    }
    return d;
}

static void drivers_table(ctx *c, rp_table *tb, const driver *d)
{
    const rp_stats *all = c->all;
    for (size_t i = 0; i < c->n_order; i++) {
        const rp_stats *s = theme_all(c, d[i].t);
        rp_val *r = row_new(tb);
        if (!r) {
            c->oom = 1;
            break;
        }
        int64_t wn = all->v[RP_NPS_N] - s->v[RP_NPS_N], wsum = all->v[RP_NPS_SUM] - s->v[RP_NPS_SUM];
        int64_t sn = all->v[RP_TEXT] - s->v[RP_TEXT]; /* comments without the theme */
        v_int(&r[0], (int64_t)i + 1);
        v_str(&r[1], c->a->themes[d[i].t].id, &c->oom);
        v_str(&r[2], theme_label(c, d[i].t), &c->oom);
        v_int(&r[3], s->v[RP_N]);
        v_int(&r[4], s->v[RP_TNEG]);
        v_num(&r[5], pct(s->v[RP_TNEG], s->v[RP_N]), 1);
        v_int(&r[6], s->v[RP_ROOT]);
        v_int(&r[7], s->v[RP_DET]);
        v_num(&r[8], s->v[RP_NPS_N] ? (double)s->v[RP_NPS_SUM] / (double)s->v[RP_NPS_N] : NAN, 2);
        v_num(&r[9], wn > 0 ? (double)wsum / (double)wn : NAN, 2);
        v_num(&r[10], s->v[RP_N] ? (double)s->v[RP_SENT_SUM] / 1000.0 / (double)s->v[RP_N] : NAN, 2);
        v_num(&r[11], sn > 0 ? (double)(all->v[RP_SENT_SUM] - s->v[RP_SENT_SUM]) / 1000.0 / (double)sn : NAN, 2);
        v_num(&r[12], d[i].impact, 1);
        if (c->np) {
            double share, change;
            int flag, prev = theme_change(c, c->np - 1, d[i].t, &share, &change, &flag);
            v_num(&r[13], share, 1);
            v_num(&r[14], change, 1);
            v_flag(&r[15], flag, prev, &c->oom);
        }
    }
}

static void verbatims_table(ctx *c, rp_table *tb, size_t top)
{
    static const char *const pol[2] = {"positive", "negative"};
    for (size_t k = 0; k < top; k++) {
        size_t t = c->order[k];
        const rp_verb *v = &c->a->verbs[t];
        for (int p = 0; p < 2; p++)
            for (size_t j = 0; j < v->n[p]; j++) {
                const rp_cand *x = &v->c[p][j];
                rp_val *r = row_new(tb);
                if (!r) {
                    c->oom = 1;
                    return;
                }
                v_str(&r[0], c->a->themes[t].id, &c->oom);
                v_str(&r[1], theme_label(c, t), &c->oom);
                v_str(&r[2], pol[p], &c->oom);
                v_int(&r[3], (int64_t)j + 1);
                if (x->id) v_str(&r[4], x->id, &c->oom);
                if (x->date) v_str(&r[5], x->date, &c->oom);
                v_num(&r[6], (double)x->conf / 1000.0, 3);
                v_str(&r[7], vocal__sentiment_names[x->sentiment & 3], &c->oom);
                v_str(&r[8], x->text, &c->oom);
            }
    }
}

static void summary_table(ctx *c, rp_report *rep, rp_table *tb)
{
    const rp_stats *s = c->all;
    rp_val v;
    memset(&v, 0, sizeof v);
#define ROW(name, setter)            \
    do {                              \
        memset(&v, 0, sizeof v);      \
        setter;                       \
        summary_row(c, tb, name, &v); \
    } while (0)
    ROW("records", v_int(&v, (int64_t)c->a->records));
    ROW("rejected", v_int(&v, (int64_t)c->a->rejected));
    ROW("first_date", if (rep->first_date[0]) { v.t = RC_STR; v.s = rep->first_date; });
    ROW("last_date", if (rep->last_date[0]) { v.t = RC_STR; v.s = rep->last_date; });
    ROW("positive_pct", v_num(&v, pct(s->v[RP_POS], s->v[RP_TEXT]), 1));
    ROW("negative_pct", v_num(&v, rep->neg_pct, 1));
    ROW("neutral_pct", v_num(&v, pct(s->v[RP_NEU], s->v[RP_TEXT]), 1));
    ROW("mixed_pct", v_num(&v, pct(s->v[RP_MIX], s->v[RP_TEXT]), 1));
    ROW("nps_responses", v_int(&v, s->v[RP_NPS_N]));
    ROW("nps", v_num(&v, rep->nps, 1));
    ROW("nps_low", v_num(&v, rep->nps_lo, 1));
    ROW("nps_high", v_num(&v, rep->nps_hi, 1));
    ROW("csat_responses", v_int(&v, s->v[RP_CSAT_N]));
    ROW("csat_top2_pct", v_num(&v, rep->csat, 1));
    ROW("csat_scale", { v.t = RC_STR; v.s = NULL; });
    ROW("ces_responses", v_int(&v, s->v[RP_CES_N]));
    ROW("ces_mean", v_num(&v, rep->ces, 2));
    /* last: later rows are added at the end (report-json.md) */
    ROW("comments", v_int(&v, s->v[RP_TEXT]));
#undef ROW
}

static void fix_scale_row(ctx *c, rp_table *tb)
{
    char buf[96];
    snprintf(buf, sizeof buf, "%g-%g", (double)c->a->csat_min / 1000.0, (double)c->a->csat_max / 1000.0);
    for (size_t i = 0; i < tb->nrows; i++) {
        rp_val *r = &tb->cells[i * tb->ncols];
        if (r[0].t == RC_STR && strcmp(r[0].s, "csat_scale") == 0) {
            if (r[1].t == RC_STR) vocal__free(r[1].s);
            v_str(&r[1], buf, &c->oom);
        }
    }
}

int vocal__report_build(rp_report *rep, const vocal_agg *a, const vocal_report_options *o, vocal_error *err)
{
    memset(rep, 0, sizeof *rep);
    ctx c;
    memset(&c, 0, sizeof c);
    c.a = a;
    c.o = o;
    c.all = &zero_stats;
    size_t idx;
    if (vocal__map_find(&a->cell_map, "0", 1, &idx)) {
        c.all_cell = &a->cells[idx];
        c.all = &c.all_cell->all;
    }
    rep->title = o->title ? o->title : "Customer feedback report";
    rep->period = o->period;
    rep->records = a->records;
    rep->rejected = a->rejected;
    if (build_periods(&c.ps, &c.np, a, o->period) < 0) return vocal__err_oom(err);
    for (size_t i = 0; i < a->n_cells; i++) {
        const rp_cell *d = &a->cells[i];
        if (d->kind != RP_DAY) continue;
        if (!rep->first_date[0] || strcmp(d->key, rep->first_date) < 0) snprintf(rep->first_date, 11, "%s", d->key);
        if (!rep->last_date[0] || strcmp(d->key, rep->last_date) > 0) snprintf(rep->last_date, 11, "%s", d->key);
    }
    double se;
    nps_of(c.all, &rep->nps, &rep->nps_lo, &rep->nps_hi, &se);
    rep->nps_n = c.all->v[RP_NPS_N];
    rep->has_nps = rep->nps_n > 0;
    rep->neg_pct = pct(c.all->v[RP_NEG], c.all->v[RP_TEXT]);
    rep->comments = c.all->v[RP_TEXT];
    rep->csat = pct(c.all->v[RP_CSAT_TOP2], c.all->v[RP_CSAT_N]);
    rep->has_csat = c.all->v[RP_CSAT_N] > 0;
    double var;
    rep->ces = ces_mean(c.all, &var);
    rep->has_ces = c.all->v[RP_CES_N] > 0;
    c.leaf = vocal__calloc(a->n_themes + 1, sizeof *c.leaf);
    c.order = vocal__calloc(a->n_themes + 1, sizeof *c.order);
    size_t *buf = vocal__calloc(a->n_themes + 1, sizeof *buf);
    if (!c.leaf || !c.order || !buf) c.oom = 1;
    if (!c.oom) {
        for (size_t t = 0; t < a->n_themes; t++) c.leaf[t] = 1;
        for (size_t t = 0; t < a->n_themes; t++)
            if (parent_index(&c, t, &idx) && theme_all(&c, t)->v[RP_N] > 0) c.leaf[idx] = 0;
        for (size_t t = 0; t < a->n_themes; t++)
            if (c.leaf[t] && theme_all(&c, t)->v[RP_N] > 0) c.order[c.n_order++] = t;
        sort_themes(&c, c.order, c.n_order);
    }
    size_t top = o->top_themes ? o->top_themes : 8;
    if (top > c.n_order) top = c.n_order;
    rp_table *t = rep->t;
    table_init(&t[T_SUMMARY], T_SUMMARY, "Summary", c_summary, COUNT(c_summary));
    table_init(&t[T_SENTIMENT], T_SENTIMENT, "Sentiment", c_sentiment, COUNT(c_sentiment));
    table_init(&t[T_THEMES], T_THEMES, "Themes (parents include their sub-themes)", c_themes, COUNT(c_themes));
    table_init(&t[T_BREAKDOWN], T_BREAKDOWN, "Breakdown", c_breakdown, COUNT(c_breakdown));
    table_init(&t[T_PERIODS], T_PERIODS, "Trend by period", c_periods, COUNT(c_periods));
    table_init(&t[T_THEME_PERIODS], T_THEME_PERIODS, "Top themes by period", c_theme_periods, COUNT(c_theme_periods));
    table_init(&t[T_DRIVERS], T_DRIVERS, "Drivers", c_drivers, COUNT(c_drivers));
    table_init(&t[T_VERBATIMS], T_VERBATIMS, "Verbatims", c_verbatims, COUNT(c_verbatims));
    if (!c.oom) {
        summary_table(&c, rep, &t[T_SUMMARY]);
        fix_scale_row(&c, &t[T_SUMMARY]);
        for (int l = 0; l < 4; l++) {
            rp_val *r = row_new(&t[T_SENTIMENT]);
            if (!r) {
                c.oom = 1;
                break;
            }
            v_str(&r[0], vocal__sentiment_names[l], &c.oom);
            v_int(&r[1], c.all->v[RP_POS + l]);
            v_num(&r[2], pct(c.all->v[RP_POS + l], c.all->v[RP_TEXT]), 1);
        }
        themes_table(&c, &t[T_THEMES], buf);
        breakdown_table(&c, &t[T_BREAKDOWN]);
        periods_table(&c, &t[T_PERIODS]);
        /* by period: the top themes, and the first three problem drivers
         * (the HTML header's root causes) when they are not among them */
        driver *d = rank_drivers(&c);
        size_t *list = vocal__malloc((top + 4) * sizeof *list), nl = top;
        if (d && list) {
            memcpy(list, c.order, top * sizeof *list);
            for (size_t i = 0, extra = 0; i < c.n_order && extra < 3; i++) {
                if (!is_problem(theme_all(&c, d[i].t))) continue;
                extra++;
                size_t k = 0;
                while (k < nl && list[k] != d[i].t) k++;
                if (k == nl) list[nl++] = d[i].t;
            }
            theme_periods_table(&c, &t[T_THEME_PERIODS], list, nl);
            drivers_table(&c, &t[T_DRIVERS], d);
        } else {
            c.oom = 1;
        }
        vocal__free(d);
        vocal__free(list);
        verbatims_table(&c, &t[T_VERBATIMS], top);
    }
    for (size_t i = 0; i < c.np; i++) vocal__free(c.ps[i].themes);
    vocal__free(c.ps);
    vocal__free(c.leaf);
    vocal__free(c.order);
    vocal__free(buf);
    if (c.oom) {
        vocal__report_free(rep);
        return vocal__err_oom(err);
    }
    return VOCAL_OK;
}
