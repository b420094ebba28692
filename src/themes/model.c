/* Theme models: one-vs-rest naive Bayes per theme and a polarity classifier
 * per theme, all derived from ONE vocal model's counts (docs/format/model.md
 * §9): every record is counted under the reserved class "*", under each of
 * its theme ids, and under "ID:POLARITY" when it gives one. So "records
 * without theme c" are exactly "*" minus c, which a one-vs-rest model needs,
 * and the file, its checksums, merge and dump are the model module's. */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "../model/model_int.h"
#include "../text/text_int.h"
#include "themes_int.h"

#define ALL_CLASS "*"
#define DENSE_FRACTION 8
#define MAX_THEMES_PER_RECORD 20
static const char *const pol_names[3] = {"negative", "neutral", "positive"};

struct vocal_theme_trainer {
    vocal_trainer *tr;
};

struct vocal_theme_model {
    vocal_model *m;
    size_t nt;
    const char **ids;      /* nt theme ids, borrowed from m */
    size_t *cls;           /* nt class indices */
    size_t *theme_of;      /* per class: its theme index, SIZE_MAX for "*" and "ID:POLARITY" */
    int32_t *pcls;         /* nt * 3 polarity class indices (negative, neutral, positive), -1 absent */
    double *bias;          /* nt log prior odds */
    double *pprior;        /* nt * 3 log polarity priors */
    int *has_pol;          /* nt: 1 when some record gave the theme a polarity */
    /* The weights, sparse (docs/themes.md §models): a feature's weight for
     * a theme its records never carry depends on the theme and the feature
     * apart, so a text's sum over such features is a count times a theme
     * constant less a sum of feature constants; only the ~9 themes a
     * feature was seen with (of ~140) are stored per feature:
     *   detection  w_kj = dk[j] - g[k] + (ds of (k, j), 0 when absent)
     *   polarity   wp_k(j,p) = pz[j*3+p] + (ps of (k, j*3+p), 0 when absent)
     * with each feature's entries at [doff[k], doff[k+1]) and
     * [poff[k], poff[k+1]), in theme order. A feature seen with more
     * than nt / DENSE_FRACTION themes (the common words, which most texts
     * have) keeps its detection entries as a row of nt instead, added with
     * vector instructions: drow[k] is that row's index + 1, else 0. */
    double *dk;            /* nt */
    double *g;             /* nk */
    uint32_t *doff, *dj;   /* nk + 1 offsets; theme per entry */
    double *ds;
    uint32_t *drow;
    float *dense;          /* rows of nt */
    double *pz;            /* nt * 3 */
    uint32_t *poff, *pj;   /* nk + 1 offsets; j * 3 + p per entry */
    double *ps;
    uint32_t *feat;        /* kept feature -> feature id in m */
    size_t nk;
    uint32_t *tab;         /* open addressing: kept index + 1, 0 = empty */
    size_t tabmask;
    uint64_t serial;       /* the word memos' owner (text_int.h) */
};

/* MARK: labels */

static int valid_id(const char *s, size_t n)
{
    if (!n || s[0] == '.' || s[n - 1] == '.') return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '.' ? s[i - 1] == '.' : !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return 0;
    }
    return 1;
}

/* "negative"/"-" -> 0, "neutral"/"0"/"conflict" -> 1, "positive"/"+" -> 2; -1 otherwise. */
static int parse_pol(const char *s)
{
    if (!strcmp(s, "negative") || !strcmp(s, "-") || !strcmp(s, "neg")) return 0;
    if (!strcmp(s, "neutral") || !strcmp(s, "0") || !strcmp(s, "conflict") || !strcmp(s, "neu")) return 1;
    if (!strcmp(s, "positive") || !strcmp(s, "+") || !strcmp(s, "pos")) return 2;
    return -1;
}

/* MARK: training */

int vocal_theme_trainer_new(vocal_theme_trainer **out, const vocal_tokenizer *tk, const vocal_train_options *opts,
                            vocal_error *err)
{
    assert(out && tk);
    *out = NULL;
    vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
    if (opts) o = *opts;
    if (o.use_lexicon)
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "theme models do not take lexicon features");
    /* recorded in the file; the one-vs-rest weights are multinomial whatever it says */
    o.variant = VOCAL_NB_MULTINOMIAL;
    vocal_theme_trainer *t = (vocal_theme_trainer *)vocal__calloc(1, sizeof *t);
    if (!t) return vocal__err_oom(err);
    int rc = vocal_trainer_new(&t->tr, tk, NULL, &o, err);
    if (rc < 0) {
        vocal__free(t);
        return rc;
    }
    *out = t;
    return VOCAL_OK;
}

void vocal_theme_trainer_free(vocal_theme_trainer *tr)
{
    if (!tr) return;
    vocal_trainer_free(tr->tr);
    vocal__free(tr);
}

int vocal_theme_trainer_add(vocal_theme_trainer *tr, vocal_workspace *ws, const char *text, size_t len,
                            const char *const *themes, size_t n, vocal_error *err)
{
    assert(tr && ws && (themes || !n));
    if (n > MAX_THEMES_PER_RECORD)
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "record has %zu themes, over the limit of %d", n,
                          MAX_THEMES_PER_RECORD);
    char buf[MAX_THEMES_PER_RECORD * 2][128];
    const char *labels[1 + MAX_THEMES_PER_RECORD * 2];
    size_t nl = 0;
    labels[nl++] = ALL_CLASS;
    for (size_t i = 0; i < n; i++) {
        const char *s = themes[i];
        const char *colon = strchr(s, ':');
        size_t il = colon ? (size_t)(colon - s) : strlen(s);
        if (il >= 100 || !valid_id(s, il))
            return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX,
                              "theme '%.60s' is not an id ([a-z0-9_] segments joined by '.') with an optional "
                              ":polarity", s);
        memcpy(buf[2 * i], s, il);
        buf[2 * i][il] = '\0';
        labels[nl++] = buf[2 * i];
        if (colon) {
            int p = parse_pol(colon + 1);
            if (p < 0)
                return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX,
                                  "theme '%.60s': polarity '%.20s' is not positive, negative or neutral", s, colon + 1);
            size_t pl = strlen(pol_names[p]);
            memcpy(buf[2 * i + 1], s, il);
            buf[2 * i + 1][il] = ':';
            memcpy(buf[2 * i + 1] + il + 1, pol_names[p], pl + 1);
            labels[nl++] = buf[2 * i + 1];
        }
    }
    return vocal_trainer_add(tr->tr, ws, text, len, labels, nl, err);
}

/* MARK: the derived weights */

void vocal_theme_model_free(vocal_theme_model *tm)
{
    if (!tm) return;
    vocal_model_free(tm->m);
    vocal__free(tm->ids);
    vocal__free(tm->cls);
    vocal__free(tm->theme_of);
    vocal__free(tm->pcls);
    vocal__free(tm->bias);
    vocal__free(tm->pprior);
    vocal__free(tm->has_pol);
    vocal__free(tm->dk);
    vocal__free(tm->g);
    vocal__free(tm->doff);
    vocal__free(tm->dj);
    vocal__free(tm->ds);
    vocal__free(tm->drow);
    vocal__free(tm->dense);
    vocal__free(tm->pz);
    vocal__free(tm->poff);
    vocal__free(tm->pj);
    vocal__free(tm->ps);
    vocal__free(tm->feat);
    vocal__free(tm->tab);
    vocal__free(tm);
}

/* Per theme c and kept feature f (counts n over kept features, V of them,
 * Lidstone alpha a; "*" holds every record):
 *   detection  w = log((n_cf + a) / (N_c + aV)) - log((n_*f - n_cf + a) / (N_* - N_c + aV))
 *   bias       log((D_c + 0.5) / (D_* - D_c + 0.5))
 *   polarity p log((n_{c:p}f + a) / (N_{c:p} + aV)), prior log(D_{c:p} + 1)
 * (docs/themes.md §models), kept sparse: the weights at a count of 0 as
 * per-theme and per-feature constants, and one entry per non-zero count. */
static int prepare(vocal_theme_model *tm, vocal_error *err)
{
    vocal_model *m = tm->m;
    size_t all = vocal_model_class_index(m, ALL_CLASS, 1);
    if (all == VOCAL_NO_CLASS)
        return vocal__err(err, VOCAL_EFORMAT, NULL, 0, UINT64_MAX, "not a theme model (no class '*')");
    size_t nc = m->nc, nt = 0;
    for (size_t c = 0; c < nc; c++)
        if (c != all && !strchr(m->cnames[c], ':')) nt++;
    if (!nt) return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "no theme in the model's records");
    tm->nt = nt;
    tm->ids = (const char **)vocal__malloc(nt * sizeof *tm->ids);
    tm->cls = (size_t *)vocal__malloc(nt * sizeof *tm->cls);
    tm->theme_of = (size_t *)vocal__malloc(nc * sizeof *tm->theme_of);
    tm->pcls = (int32_t *)vocal__malloc(nt * 3 * sizeof *tm->pcls);
    tm->bias = (double *)vocal__malloc(nt * sizeof *tm->bias);
    tm->pprior = (double *)vocal__malloc(nt * 3 * sizeof *tm->pprior);
    tm->has_pol = (int *)vocal__calloc(nt, sizeof *tm->has_pol);
    double *ctot = (double *)vocal__calloc(nc, sizeof *ctot);
    if (!tm->ids || !tm->cls || !tm->theme_of || !tm->pcls || !tm->bias || !tm->pprior || !tm->has_pol || !ctot) goto oom;
    size_t j = 0;
    char name[160];
    for (size_t c = 0; c < nc; c++) tm->theme_of[c] = SIZE_MAX;
    for (size_t c = 0; c < nc; c++) {
        if (c == all || strchr(m->cnames[c], ':')) continue;
        tm->theme_of[c] = j;
        tm->ids[j] = m->cnames[c];
        tm->cls[j] = c;
        for (int p = 0; p < 3; p++) {
            int k = snprintf(name, sizeof name, "%s:%s", m->cnames[c], pol_names[p]);
            size_t pc = k > 0 && (size_t)k < sizeof name ? vocal_model_class_index(m, name, (size_t)k) : VOCAL_NO_CLASS;
            tm->pcls[j * 3 + p] = pc == VOCAL_NO_CLASS ? -1 : (int32_t)pc;
            if (pc != VOCAL_NO_CLASS && m->cdocs[pc]) tm->has_pol[j] = 1;
        }
        j++;
    }
    /* kept features: seen at least min_count times in all */
    uint64_t mc = m->opt.min_count;
    size_t nk = 0;
    for (uint64_t f = 0; f < m->nf; f++) {
        uint64_t tot = m->counts[f * nc + all];
        if (tot && tot >= mc) nk++;
    }
    tm->nk = nk;
    tm->feat = (uint32_t *)vocal__malloc((nk ? nk : 1) * sizeof *tm->feat);
    tm->g = (double *)vocal__malloc((nk ? nk : 1) * sizeof *tm->g);
    tm->doff = (uint32_t *)vocal__malloc((nk + 1) * sizeof *tm->doff);
    tm->poff = (uint32_t *)vocal__malloc((nk + 1) * sizeof *tm->poff);
    tm->dk = (double *)vocal__malloc(nt * sizeof *tm->dk);
    tm->pz = (double *)vocal__malloc(nt * 3 * sizeof *tm->pz);
    tm->drow = (uint32_t *)vocal__calloc(nk ? nk : 1, sizeof *tm->drow);
    size_t cap = 16;
    while (cap < nk + nk / 2 + 1) cap *= 2;
    tm->tab = (uint32_t *)vocal__calloc(cap, sizeof *tm->tab);
    tm->tabmask = cap - 1;
    if (!tm->feat || !tm->g || !tm->doff || !tm->poff || !tm->dk || !tm->pz || !tm->drow || !tm->tab) goto oom;
    /* the kept features, the class totals over them, which keep a dense
     * row, and the entries */
    size_t k = 0, nd = 0, np = 0, nrows = 0;
    for (uint64_t f = 0; f < m->nf; f++) {
        const uint64_t *row = m->counts + f * nc;
        if (!row[all] || row[all] < mc) continue;
        tm->feat[k++] = (uint32_t)f;
        for (size_t c = 0; c < nc; c++) ctot[c] += (double)row[c];
        size_t fd = 0;
        for (j = 0; j < nt; j++) {
            fd += row[tm->cls[j]] != 0;
            for (int p = 0; p < 3; p++) np += tm->pcls[j * 3 + p] >= 0 && row[tm->pcls[j * 3 + p]] != 0;
        }
        if (fd > nt / DENSE_FRACTION) tm->drow[k - 1] = (uint32_t)++nrows;
        else nd += fd;
    }
    if (nd > UINT32_MAX || np > UINT32_MAX || nrows >= UINT32_MAX) goto oom;
    tm->dj = (uint32_t *)vocal__malloc((nd ? nd : 1) * sizeof *tm->dj);
    tm->ds = (double *)vocal__malloc((nd ? nd : 1) * sizeof *tm->ds);
    tm->pj = (uint32_t *)vocal__malloc((np ? np : 1) * sizeof *tm->pj);
    tm->ps = (double *)vocal__malloc((np ? np : 1) * sizeof *tm->ps);
    tm->dense = (float *)vocal__calloc(nrows ? nrows * nt : 1, sizeof *tm->dense);
    if (!tm->dj || !tm->ds || !tm->pj || !tm->ps || !tm->dense) goto oom;
    double a = m->opt.alpha, av = a * (double)nk, D = (double)m->cdocs[all], la = log(a);
    for (j = 0; j < nt; j++) {
        size_t c = tm->cls[j];
        double dc = (double)m->cdocs[c];
        tm->bias[j] = log((dc + 0.5) / (D - dc + 0.5));
        tm->dk[j] = la - log(ctot[c] + av) + log(ctot[all] - ctot[c] + av);
        for (int p = 0; p < 3; p++) {
            int32_t pc = tm->pcls[j * 3 + p];
            tm->pprior[j * 3 + p] = pc < 0 || !m->cdocs[pc] ? -INFINITY : log((double)m->cdocs[pc] + 1);
            tm->pz[j * 3 + p] = pc < 0 ? 0.0 : la - log(ctot[pc] + av);
        }
    }
    nd = np = 0;
    for (k = 0; k < nk; k++) {
        uint32_t f = tm->feat[k];
        const uint64_t *row = m->counts + (size_t)f * nc;
        double tot = (double)row[all];
        tm->g[k] = log(tot + a);
        tm->doff[k] = (uint32_t)nd;
        tm->poff[k] = (uint32_t)np;
        float *dr = tm->drow[k] ? tm->dense + (size_t)(tm->drow[k] - 1) * nt : NULL;
        for (j = 0; j < nt; j++) {
            size_t c = tm->cls[j];
            if (row[c]) {
                /* the weight less its value for a count of 0 */
                double n = (double)row[c];
                double w = log(n + a) - la - log(tot - n + a) + tm->g[k];
                if (dr) {
                    dr[j] = (float)w;
                } else {
                    tm->dj[nd] = (uint32_t)j;
                    tm->ds[nd++] = w;
                }
            }
            for (int p = 0; p < 3; p++) {
                int32_t pc = tm->pcls[j * 3 + p];
                if (pc < 0 || !row[pc]) continue;
                tm->pj[np] = (uint32_t)(j * 3 + (size_t)p);
                tm->ps[np++] = log((double)row[pc] + a) - la;
            }
        }
        uint32_t len = m->off[f + 1] - m->off[f] - 1;
        size_t s = (size_t)vocal__hash(m->strs + m->off[f], len) & tm->tabmask;
        while (tm->tab[s]) s = (s + 1) & tm->tabmask;
        tm->tab[s] = (uint32_t)k + 1;
    }
    tm->doff[nk] = (uint32_t)nd;
    tm->poff[nk] = (uint32_t)np;
    vocal__free(ctot);
    return VOCAL_OK;
oom:
    vocal__free(ctot);
    return vocal__err_oom(err);
}

static int wrap(vocal_theme_model **out, vocal_model *m, vocal_error *err)
{
    vocal_theme_model *tm = (vocal_theme_model *)vocal__calloc(1, sizeof *tm);
    if (!tm) {
        vocal_model_free(m);
        return vocal__err_oom(err);
    }
    tm->m = m;
    tm->serial = vocal__serial();
    int rc = prepare(tm, err);
    if (rc < 0) {
        vocal_theme_model_free(tm);
        return rc;
    }
    *out = tm;
    return VOCAL_OK;
}

int vocal_theme_trainer_finish(vocal_theme_model **out, vocal_theme_trainer *tr, vocal_error *err)
{
    assert(out && tr);
    *out = NULL;
    vocal_model *m = NULL;
    int rc = vocal_trainer_finish(&m, tr->tr, err);
    if (rc < 0) return rc;
    return wrap(out, m, err);
}

int vocal_theme_model_save(const vocal_theme_model *tm, const char *path, vocal_error *err)
{
    assert(tm && path);
    return vocal_model_save(tm->m, path, err);
}

int vocal_theme_model_load(vocal_theme_model **out, const char *path, vocal_error *err)
{
    assert(out && path);
    *out = NULL;
    vocal_model *m = NULL;
    int rc = vocal_model_load(&m, path, err);
    if (rc < 0) return rc;
    rc = wrap(out, m, err);
    if (rc < 0 && err) snprintf(err->path, sizeof err->path, "%s", path);
    return rc;
}

size_t vocal_theme_model_themes(const vocal_theme_model *tm, const char *const **ids)
{
    if (ids) *ids = tm->ids;
    return tm->nt;
}

const vocal_model *vocal_theme_model_base(const vocal_theme_model *tm)
{
    return tm->m;
}

const char *vocal__tm_theme(const vocal_theme_model *tm, size_t j)
{
    return tm->ids[j];
}

size_t vocal__tm_find(const vocal_theme_model *tm, const char *id)
{
    size_t c = vocal_model_class_index(tm->m, id, strlen(id));
    return c == VOCAL_NO_CLASS || c >= tm->m->nc ? SIZE_MAX : tm->theme_of[c];
}

/* MARK: scoring */

/* The kept index of feature s, or SIZE_MAX. */
static size_t lookup(const vocal_theme_model *tm, const char *s, size_t n)
{
    const vocal_model *m = tm->m;
    size_t j = (size_t)vocal__hash(s, n) & tm->tabmask;
    while (tm->tab[j]) {
        uint32_t k = tm->tab[j] - 1, f = tm->feat[k];
        if (m->off[f + 1] - m->off[f] - 1 == n && !memcmp(m->strs + m->off[f], s, n)) return k;
        j = (j + 1) & tm->tabmask;
    }
    return SIZE_MAX;
}

/* acc[0..n) += w[0..n): a common word's row over every theme; vectorized,
 * with an AVX2 clone picked at load time where GCC builds for x86-64. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
__attribute__((target_clones("avx2", "default")))
#endif
static void add_row(double *restrict acc, const float *restrict w, size_t n)
{
    for (size_t j = 0; j < n; j++) acc[j] += w[j];
}

typedef struct acc {
    const vocal_theme_model *tm;
    double *det;    /* nt */
    uint32_t *ks;   /* kept indices of the features counted, in text order */
    size_t nks;
    double gsum;    /* the sum of g over the features counted */
    uint32_t *seen; /* binary models: kept features already counted (index + 1), or NULL */
    size_t seenmask;
} acc;

/* Count kept feature kk. */
static void acc_k(acc *a, size_t kk)
{
    if (a->seen) {
        /* a binary model counts a feature once per text (model.md §5.4) */
        uint32_t k = (uint32_t)kk + 1;
        size_t j = (size_t)(k * 0x9E3779B1u) & a->seenmask;
        while (a->seen[j] && a->seen[j] != k) j = (j + 1) & a->seenmask;
        if (a->seen[j]) return;
        a->seen[j] = k;
    }
    /* the theme constants and -g are added once, at the end */
    const vocal_theme_model *tm = a->tm;
    a->ks[a->nks++] = (uint32_t)kk;
    a->gsum += tm->g[kk];
    if (tm->drow[kk]) add_row(a->det, tm->dense + (size_t)(tm->drow[kk] - 1) * tm->nt, tm->nt);
    for (uint32_t e = tm->doff[kk]; e < tm->doff[kk + 1]; e++) a->det[tm->dj[e]] += tm->ds[e];
}

static int acc_fn(void *payload, const char *s, size_t n)
{
    acc *a = (acc *)payload;
    size_t kk = lookup(a->tm, s, n);
    if (kk != SIZE_MAX) acc_k(a, kk);
    return VOCAL_OK;
}

/* The unigram features of a word-unigram model, as vocal__features makes
 * them, with each distinct word's kept index looked up once per word cache
 * (text_int.h): memo per word id, plain then negated, 0 = not looked up,
 * 1 = not kept, k + 2 = kept index k. */
static void acc_unigrams(acc *a, vocal_workspace *ws, const vocal_token *t, size_t n, uint32_t *kks, char *scratch)
{
    const vocal_theme_model *tm = a->tm;
    const vocal_train_options *o = &tm->m->opt;
    const uint32_t *wid = vocal__ws_words(ws, t);
    uint32_t *memo = wid ? (uint32_t *)vocal__ws_memo(ws, VOCAL__MEMO_THEME_MODEL, tm->serial, 2 * sizeof(uint32_t))
                         : NULL;
    /* the text's lookups are issued a stage ahead of their use, so their
     * cache misses overlap: memo slots, then the features' offsets, then
     * their weights; kks holds the kept indices in text order */
#define NEG_OF(i) (o->use_negation && (t[i].flags & VOCAL_TOK_NEGATED) ? 1u : 0u)
#define MEMO_OF(i) (memo && wid[i] != UINT32_MAX && t[i].kind == VOCAL_KIND_WORD)
    for (size_t i = 0; i < n; i++)
        if (MEMO_OF(i)) VOCAL__PREFETCH(&memo[(size_t)wid[i] * 2 + NEG_OF(i)]);
    size_t nk = 0;
    for (size_t i = 0; i < n; i++) {
        vocal__unit u;
        size_t kk = SIZE_MAX;
        if (MEMO_OF(i)) {
            uint32_t *v = &memo[(size_t)wid[i] * 2 + NEG_OF(i)];
            if (!*v) {
                if (vocal__make_unit(&u, o, &t[i])) kk = lookup(tm, scratch, vocal__put_unit(scratch, &u));
                *v = kk == SIZE_MAX ? 1 : (uint32_t)kk + 2;
            }
            kk = *v >= 2 ? *v - 2 : SIZE_MAX;
        } else if (vocal__make_unit(&u, o, &t[i])) {
            kk = lookup(tm, scratch, vocal__put_unit(scratch, &u));
        }
        if (kk == SIZE_MAX) continue;
        VOCAL__PREFETCH(&tm->doff[kk]);
        VOCAL__PREFETCH(&tm->drow[kk]);
        VOCAL__PREFETCH(&tm->g[kk]);
        kks[nk++] = (uint32_t)kk;
    }
#undef NEG_OF
#undef MEMO_OF
    for (size_t i = 0; i < nk; i++) {
        uint32_t kk = kks[i];
        if (tm->drow[kk]) VOCAL__PREFETCH(tm->dense + (size_t)(tm->drow[kk] - 1) * tm->nt);
        VOCAL__PREFETCH(&tm->dj[tm->doff[kk]]);
        VOCAL__PREFETCH(&tm->ds[tm->doff[kk]]);
    }
    for (size_t i = 0; i < nk; i++) acc_k(a, kks[i]);
}

#define ALIGN8(x) (((x) + 7) & ~(size_t)7)

int vocal__tm_score(vocal__tm_scores *out, vocal_workspace *ws, const vocal_theme_model *tm,
                    const vocal_sentiment *sent, double thr, vocal_error *err)
{
    const vocal_model *m = tm->m;
    size_t nt = tm->nt;
    vocal__feat_bounds b;
    vocal__feat_bounds_get(&b, &m->opt, sent->tokens, sent->n_tokens, sent->n_clauses);
    size_t o_ps = ALIGN8(nt * sizeof(double));
    size_t o_pi = o_ps + ALIGN8(nt * sizeof(double));
    size_t o_ks = o_pi + ALIGN8(nt * sizeof(int));
    size_t o_rc = o_ks + ALIGN8(b.max_features * sizeof(uint32_t));
    size_t o_units = o_rc + ALIGN8(nt * sizeof(uint32_t));
    size_t seencap = 16;
    while (m->opt.binary && seencap < 2 * b.max_features) seencap *= 2;
    size_t o_kks = o_units + ALIGN8(b.units * sizeof(vocal__unit) + 8);
    size_t o_seen = o_kks + ALIGN8(sent->n_tokens * sizeof(uint32_t) + 4);
    size_t o_chars = o_seen + (m->opt.binary ? seencap * sizeof(uint32_t) : 0);
    char *blk = (char *)vocal__ws_buf(ws, VOCAL__SLOT_SPARE1, o_chars + b.scratch);
    if (!blk) return vocal__err_oom(err);
    acc a = {tm, (double *)(void *)blk, (uint32_t *)(void *)(blk + o_ks), 0, 0.0, NULL, seencap - 1};
    if (m->opt.binary) {
        a.seen = (uint32_t *)(void *)(blk + o_seen);
        memset(a.seen, 0, seencap * sizeof(uint32_t));
    }
    memset(a.det, 0, nt * sizeof *a.det);
    if (m->opt.ngram == 1 && !m->opt.char_ngram_max) {
        acc_unigrams(&a, ws, sent->tokens, sent->n_tokens, (uint32_t *)(void *)(blk + o_kks), blk + o_chars);
    } else {
        int rc = vocal__features(&m->opt, sent->tokens, sent->n_tokens, NULL, (vocal__unit *)(void *)(blk + o_units),
                                 blk + o_chars, acc_fn, &a);
        if (rc < 0) return vocal__err_oom(err);
    }
    for (size_t j = 0; j < nt; j++) a.det[j] += tm->bias[j] + (double)a.nks * tm->dk[j] - a.gsum;
    out->nt = nt;
    out->logodds = a.det;
    out->pol_score = (double *)(void *)(blk + o_ps);
    out->pol = (int *)(void *)(blk + o_pi);
    out->reach = (uint32_t *)(void *)(blk + o_rc);
    out->nreach = 0;
    out->thr = thr;
    out->zthr = thr <= 0 ? -INFINITY : thr >= 1 ? INFINITY : log(thr / (1 - thr)) - 1e-6;
    for (size_t j = 0; j < nt; j++) {
        out->pol[j] = 2;
        out->pol_score[j] = 0;
    }
    /* most texts reach no theme: their log-odds say so without the exp */
    size_t ncand = 0;
    for (size_t j = 0; j < nt; j++)
        if (a.det[j] >= out->zthr) out->reach[ncand++] = (uint32_t)j;
    for (size_t r = 0; r < ncand; r++) {
        size_t j = out->reach[r];
        if (vocal__tm_prob(out, j) < thr) continue;
        out->reach[out->nreach++] = (uint32_t)j;
        if (!tm->has_pol[j]) continue;
        /* the polarity classes' sums, over the same features in the same order */
        double p[3];
        for (int k = 0; k < 3; k++) p[k] = tm->pprior[j * 3 + k] + (double)a.nks * tm->pz[j * 3 + k];
        for (size_t i = 0; i < a.nks; i++) {
            /* the feature's entries for theme j: found by bisection */
            uint32_t kk = a.ks[i], e = tm->poff[kk], end = tm->poff[kk + 1];
            for (uint32_t hi = end; e < hi;) {
                uint32_t mid = e + (hi - e) / 2;
                if (tm->pj[mid] < j * 3) e = mid + 1;
                else hi = mid;
            }
            for (; e < end && tm->pj[e] < j * 3 + 3; e++) p[tm->pj[e] - j * 3] += tm->ps[e];
        }
        int best = 0;
        for (int k = 1; k < 3; k++)
            if (p[k] > p[best]) best = k;
        double second = -INFINITY;
        for (int k = 0; k < 3; k++)
            if (k != best && p[k] > second) second = p[k];
        out->pol[j] = best - 1;
        out->pol_score[j] = isfinite(second) ? p[best] - second : 10.0;
    }
    return VOCAL_OK;
}

double vocal__tm_token_weight(const vocal_theme_model *tm, const vocal_token *t, size_t j)
{
    const vocal_model *m = tm->m;
    const char *s = t->kind == VOCAL_KIND_WORD && m->opt.use_stems ? t->stem : t->norm;
    size_t n = t->kind == VOCAL_KIND_WORD && m->opt.use_stems ? t->stem_len : t->norm_len;
    if (t->kind == VOCAL_KIND_NUMBER) s = "<num>", n = 5;
    char buf[VOCAL__MAX_UNIT + 8];
    if (n > VOCAL__MAX_UNIT) return 0;
    if (m->opt.use_negation && (t->flags & VOCAL_TOK_NEGATED)) {
        memcpy(buf, "NOT_", 4);
        memcpy(buf + 4, s, n);
        s = buf;
        n += 4;
    }
    size_t k = lookup(tm, s, n);
    if (k == SIZE_MAX) return 0.0;
    double w = tm->dk[j] - tm->g[k];
    if (tm->drow[k]) w += tm->dense[(size_t)(tm->drow[k] - 1) * tm->nt + j];
    for (uint32_t e = tm->doff[k]; e < tm->doff[k + 1]; e++)
        if (tm->dj[e] == j) w += tm->ds[e];
    return w;
}
