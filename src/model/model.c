/* The model: load-time weights, classification, introspection, merge and
 * dump. See include/vocal/model.h and docs/format/model.md. */
/* madvise is POSIX.1-2001; MADV_HUGEPAGE is a Linux extension */
#if defined(__linux__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE
#endif
#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "../text/text_int.h"
#include "model_int.h"

/* MARK: options */

int vocal__options_check(const vocal_train_options *o, vocal_error *err)
{
#define BAD(...) vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, __VA_ARGS__)
    if (o->version < 1 || o->version > VOCAL_TRAIN_OPTIONS_VERSION)
        return BAD("unsupported train options version %u", o->version);
    if (o->variant != VOCAL_NB_MULTINOMIAL && o->variant != VOCAL_NB_COMPLEMENT)
        return BAD("option 'variant' must be multinomial (0) or complement (1), not %d", o->variant);
    if (!(o->alpha > 0) || !isfinite(o->alpha))
        return BAD("option 'alpha' must be a finite number above 0");
    if (o->ngram < 1 || o->ngram > VOCAL_MODEL_MAX_NGRAM)
        return BAD("option 'ngram' must be 1 to %d, not %u", VOCAL_MODEL_MAX_NGRAM, o->ngram);
    if (o->char_ngram_min || o->char_ngram_max) {
        if (o->char_ngram_min < 1 || o->char_ngram_min > o->char_ngram_max ||
            o->char_ngram_max > VOCAL_MODEL_MAX_CHAR_NGRAM)
            return BAD("options 'char_ngram_min' and 'char_ngram_max' must be 0 (off) or "
                       "1 <= min <= max <= %d, not %u and %u",
                       VOCAL_MODEL_MAX_CHAR_NGRAM, o->char_ngram_min, o->char_ngram_max);
    }
    return VOCAL_OK;
#undef BAD
}

/* MARK: hashes (model.md §4) */

static uint64_t mix64(uint64_t x)
{
    /* splitmix64's finalizer (Steele, Lea & Flood, OOPSLA 2014) */
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBULL;
    x ^= x >> 31;
    return x;
}

uint64_t vocal__record_hash(const char *text, size_t len, const char *const *labels,
                            const size_t *label_len, size_t n)
{
    uint64_t th = vocal__fnv1a(text, len, 0);
    uint64_t ls = 0;
    for (size_t i = 0; i < n; i++) ls += vocal__fnv1a(labels[i], label_len[i], 0);
    return mix64(th ^ mix64(ls + 0x9E3779B97F4A7C15ULL));
}

/* model.md §4.2: words whose stems differ between the Snowball algorithms
 * and their versions (English, Porter, Romance and Germanic endings); the
 * list is frozen, changing it changes every probe. */
static const char *const probe_words[] = {
    "running", "delivered", "refunds", "happily", "cancellation", "generously",
    "connections", "organization", "argued", "caresses", "ponies", "knightly",
    "livraison", "remboursement", "entrega", "reembolso", "lieferung", "erstattung",
    "consegna", "rimborso", "bezorging", "terugbetaling", "\xd0\xb4\xd0\xbe\xd1\x81\xd1\x82\xd0\xb0\xd0\xb2\xd0\xba\xd0\xb0",
    "teslimat"};

int vocal__stemmer_probe(uint64_t *out, const vocal_tokenizer *tk, vocal_error *err)
{
    vocal_workspace *ws = NULL;
    int rc = vocal_workspace_new(&ws, tk, err);
    if (rc < 0) return rc;
    uint64_t h = vocal__fnv1a(NULL, 0, 0);
    for (size_t i = 0; i < sizeof probe_words / sizeof probe_words[0]; i++) {
        const char *st;
        size_t sl;
        rc = vocal_text_stem(&st, &sl, ws, probe_words[i], strlen(probe_words[i]), err);
        if (rc < 0) break;
        /* chain: FNV-1a over "stem\n" for each word in order */
        for (size_t j = 0; j < sl; j++) {
            h ^= (unsigned char)st[j];
            h *= 0x100000001b3ULL;
        }
        h ^= '\n';
        h *= 0x100000001b3ULL;
    }
    vocal_workspace_free(ws);
    if (rc >= 0) *out = h;
    return rc;
}

int vocal_model_check_tokenizer(const vocal_model *m, const vocal_tokenizer *tk, vocal_error *err)
{
    assert(m && tk);
    uint64_t probe;
    int rc = vocal__stemmer_probe(&probe, tk, err);
    if (rc < 0) return rc;
    if (probe != m->probe)
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX,
                          "the tokenizer stems differently from the model's training "
                          "(model: stemmer '%s', probe %016" PRIx64 "; tokenizer: '%s', probe %016" PRIx64 ")",
                          m->stemmer, m->probe, vocal_tokenizer_stemmer(tk), probe);
    if (m->unicode[0] && strcmp(m->unicode, vocal_unicode_version()) != 0)
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX,
                          "the model was trained with Unicode %s normalization, this vocal has %s",
                          m->unicode, vocal_unicode_version());
    return VOCAL_OK;
}

/* MARK: model memory */

int vocal__model_alloc(vocal_model *m, size_t nc, size_t cblob_len, uint64_t nf)
{
    m->nc = nc;
    m->nf = nf;
    if (nf > (uint64_t)SIZE_MAX / 8 / (nc ? nc : 1) || nf >= UINT32_MAX) return VOCAL_ENOMEM;
    m->cblob = (char *)vocal__malloc(cblob_len ? cblob_len : 1);
    m->cnames = (const char **)vocal__calloc(nc, sizeof *m->cnames);
    m->clen = (size_t *)vocal__calloc(nc, sizeof *m->clen);
    m->cdocs = (uint64_t *)vocal__calloc(nc, sizeof *m->cdocs);
    m->off = (uint32_t *)vocal__malloc(((size_t)nf + 1) * sizeof *m->off);
    m->counts = (uint64_t *)vocal__calloc((size_t)nf * nc, sizeof *m->counts);
    if (!m->cblob || !m->cnames || !m->clen || !m->cdocs || !m->off || !m->counts)
        return VOCAL_ENOMEM;
    m->off[0] = 0;
    return VOCAL_OK;
}

static void unprepare(vocal_model *m)
{
    vocal__free(m->kept);
    vocal__free(m->rec_raw);
    vocal__free(m->prior);
    vocal__free(m->ctotal);
    vocal__free(m->tab_raw);
    m->tab_raw = NULL;
    m->kept = NULL;
    m->rec_raw = NULL;
    m->rec = NULL;
    m->prior = m->ctotal = NULL;
    m->tab = NULL;
    m->nk = 0;
    m->tabmask = 0;
}

void vocal__model_clear(vocal_model *m)
{
    unprepare(m);
    vocal__free(m->cblob);
    vocal__free((void *)m->cnames);
    vocal__free(m->clen);
    vocal__free(m->cdocs);
    vocal__free(m->strs);
    vocal__free(m->off);
    vocal__free(m->counts);
    memset(m, 0, sizeof *m);
}

void vocal_model_free(vocal_model *m)
{
    if (!m) return;
    vocal__model_clear(m);
    vocal__free(m);
}

/* MARK: load-time weights (model.md §6) */

/* The first 16 bytes of s, zero-padded, as two words. */
static inline void key16(uint64_t k[2], const char *s, size_t n)
{
    char b[16] = {0};
    memcpy(b, s, n < 16 ? n : 16);
    memcpy(k, b, 16);
}

#define HUGE_PAGE ((size_t)2 << 20) /* x86-64 and arm64 (4 KiB granule) huge page */

static void advise_huge(void *p, size_t n)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (n >= HUGE_PAGE) (void)madvise(p, n & ~(HUGE_PAGE - 1), MADV_HUGEPAGE);
#else
    (void)p;
    (void)n;
#endif
}

int vocal__model_prepare(vocal_model *m)
{
    unprepare(m);
    m->serial = vocal__serial();
    size_t nc = m->nc;
    uint64_t nf = m->nf;
    uint64_t nk = 0;
    m->prior = (double *)vocal__calloc(nc, sizeof *m->prior);
    m->ctotal = (double *)vocal__calloc(nc, sizeof *m->ctotal);
    double *wd = (double *)vocal__malloc(nc * sizeof *wd);
    if (!m->prior || !m->ctotal || !wd) goto oom;
    for (uint64_t f = 0; f < nf; f++) {
        const uint64_t *row = m->counts + f * nc;
        double tot = 0;
        for (size_t c = 0; c < nc; c++) tot += (double)row[c];
        if (tot >= (double)m->opt.min_count && tot > 0) nk++;
    }
    m->kept = (uint32_t *)vocal__malloc((size_t)(nk ? nk : 1) * sizeof *m->kept);
    m->rstride = (VOCAL__REC_W + 4 * nc + 15) & ~(size_t)15;
    if (nk > (SIZE_MAX - 64) / m->rstride) goto oom;
    size_t cap = 16;
    while (cap < nk + nk / 3 + 1) cap *= 2; /* load factor <= 3/4 */
    /* aligned to 32 bytes so a record of 32 never straddles a cache line; a
     * big table or record array is aligned to 2 MiB and offered huge pages,
     * since random probes otherwise miss the TLB as often as the cache */
    size_t tbytes = cap * sizeof *m->tab, talign = tbytes >= HUGE_PAGE ? HUGE_PAGE : 32;
    size_t rbytes = (size_t)(nk ? nk : 1) * m->rstride, ralign = rbytes >= HUGE_PAGE ? HUGE_PAGE : 32;
    m->tab_raw = vocal__malloc(tbytes + talign);
    m->rec_raw = vocal__malloc(rbytes + ralign);
    if (!m->kept || !m->tab_raw || !m->rec_raw) goto oom;
    m->tab = (uint64_t *)(void *)((char *)m->tab_raw + (talign - ((uintptr_t)m->tab_raw & (talign - 1))) % talign);
    m->rec = (char *)m->rec_raw + (ralign - ((uintptr_t)m->rec_raw & (ralign - 1))) % ralign;
    advise_huge(m->tab, tbytes);
    advise_huge(m->rec, rbytes);
    memset(m->tab, 0xFF, tbytes);
    memset(m->rec, 0, rbytes);
    m->tabmask = cap - 1;
    m->nk = nk;
    double all = 0;
    uint64_t k = 0;
    for (uint64_t f = 0; f < nf; f++) {
        const uint64_t *row = m->counts + f * nc;
        double tot = 0;
        for (size_t c = 0; c < nc; c++) tot += (double)row[c];
        if (!(tot >= (double)m->opt.min_count && tot > 0)) continue;
        m->kept[k++] = (uint32_t)f;
        for (size_t c = 0; c < nc; c++) m->ctotal[c] += (double)row[c];
        all += tot;
    }
    double a = m->opt.alpha, av = a * (double)nk;
    /* per-class denominators: multinomial log(N_c + aV); complement
     * log(N - N_c + aV) (Rennie et al. 2003, eq. 4) */
    double *den = wd; /* reused below as the row buffer after this loop */
    double *lden = m->prior; /* temporarily: priors are set after the weights */
    for (size_t c = 0; c < nc; c++)
        lden[c] = log(m->opt.variant == VOCAL_NB_COMPLEMENT ? all - m->ctotal[c] + av
                                                            : m->ctotal[c] + av);
    for (uint64_t i = 0; i < nk; i++) {
        const uint64_t *row = m->counts + (size_t)m->kept[i] * nc;
        double tot = 0, mean = 0;
        for (size_t c = 0; c < nc; c++) tot += (double)row[c];
        for (size_t c = 0; c < nc; c++) {
            if (m->opt.variant == VOCAL_NB_COMPLEMENT)
                den[c] = -(log(tot - (double)row[c] + a) - lden[c]);
            else
                den[c] = log((double)row[c] + a) - lden[c];
            mean += den[c];
        }
        /* centering by the mean over classes changes every class's score by
         * the same amount, so probabilities are unchanged, and keeps the
         * scores of long texts small (model.md §6) */
        mean /= (double)nc;
        char *r = m->rec + (size_t)i * m->rstride;
        float *w = (float *)(void *)(r + VOCAL__REC_W);
        for (size_t c = 0; c < nc; c++) w[c] = (float)(den[c] - mean);
        /* lookup table */
        uint32_t f = m->kept[i];
        uint32_t len = m->off[f + 1] - m->off[f] - 1;
        uint64_t key[2];
        key16(key, m->strs + m->off[f], len);
        memcpy(r, key, 16);
        memcpy(r + 16, &m->off[f], 4);
        uint64_t h = vocal__hash(m->strs + m->off[f], len);
        size_t j = (size_t)h & m->tabmask;
        while (m->tab[j] != UINT64_MAX) j = (j + 1) & m->tabmask;
        m->tab[j] = (h >> 32) << 32 | i;
    }
    double docs = 0;
    for (size_t c = 0; c < nc; c++) docs += (double)m->cdocs[c];
    for (size_t c = 0; c < nc; c++)
        m->prior[c] = m->opt.variant == VOCAL_NB_MULTINOMIAL && !m->opt.uniform_priors && docs > 0
                          ? log((double)m->cdocs[c]) - log(docs)
                          : 0.0;
    vocal__free(wd);
    return VOCAL_OK;
oom:
    vocal__free(wd);
    unprepare(m);
    return VOCAL_ENOMEM;
}

/* MARK: classification */

/* Lookups are batched: each feature's slot is prefetched when the feature
 * is made; RING features later the slots are probed and the candidates'
 * records prefetched; then the records are verified. So the cache misses
 * of a document's features overlap instead of following one another: a
 * bigram model's table and records are far larger than the caches, and
 * this took a 374k-feature model from 182k to 340k tweets/s (one core,
 * tokenizing included). */
#define RING 16
#define PREFETCH(p) VOCAL__PREFETCH(p)

typedef struct pending {
    uint64_t h;
    uint64_t key[2];
    const char *s;   /* the whole feature, when longer than 16 bytes */
    size_t n;
    size_t slot;     /* where the first tag match was found */
    uint32_t k;      /* its feature, UINT32_MAX if none */
    int known;       /* k came from the word memo: nothing to look up */
    uint32_t *mslot; /* the word memo's slot to fill with the result, or NULL */
} pending;

typedef struct collect {
    const vocal_model *m;
    uint32_t *ids;
    size_t n, unknown;
    pending ring[RING];
    unsigned used;
    char *strs;      /* RING strings of max_len bytes: features made in scratch are copied */
    size_t max_len;
    const uint32_t *wid; /* word ids of the tokens (text_int.h), or NULL */
    uint32_t *memo;  /* per word id: plain then negated unigram, 0 unknown, 1 none, k + 2 */
} collect;

/* Bytes 16.. of a stored feature (NUL-terminated) against a query of n >= 16
 * bytes (no NUL): byte by byte, so nothing past the stored NUL is read. */
static inline int same_tail(const char *stored, const char *q, size_t n)
{
    for (size_t i = 16; i < n; i++)
        if (stored[i] != q[i]) return 0;
    return stored[n] == '\0';
}

/* Exact check of a candidate: the first 16 bytes from the record, the rest
 * (a query of 16 bytes or more must also end where the feature ends) from
 * strs. */
static inline int verify(const vocal_model *m, uint32_t k, const pending *p)
{
    const char *r = m->rec + (size_t)k * m->rstride;
    uint64_t key[2];
    memcpy(key, r, 16);
    if (key[0] != p->key[0] || key[1] != p->key[1]) return 0;
    if (p->n < 16) return 1;
    uint32_t off;
    memcpy(&off, r + 16, 4);
    return same_tail(m->strs + off, p->s, p->n);
}

/* The first slot from j on whose tag matches, or an empty one. */
static inline size_t find_tag(const vocal_model *m, uint64_t h, size_t j, uint32_t *k)
{
    uint64_t tag = h >> 32;
    for (;;) {
        uint64_t e = m->tab[j];
        if (e == UINT64_MAX || e >> 32 == tag) {
            *k = (uint32_t)e;
            return j;
        }
        j = (j + 1) & m->tabmask;
    }
}

static void drain(collect *c)
{
    const vocal_model *m = c->m;
    /* stage 1: the slots were prefetched when the features were made; find
     * each candidate and prefetch its record */
    for (unsigned i = 0; i < c->used; i++) {
        pending *p = &c->ring[i];
        if (p->known) continue;
        p->slot = find_tag(m, p->h, (size_t)p->h & m->tabmask, &p->k);
        if (p->k != UINT32_MAX) PREFETCH(m->rec + (size_t)p->k * m->rstride);
    }
    /* stage 2: verify; a tag match of another feature (1 in 2^32) goes on probing */
    for (unsigned i = 0; i < c->used; i++) {
        pending *p = &c->ring[i];
        uint32_t k = p->k;
        if (!p->known) {
            size_t j = p->slot;
            while (k != UINT32_MAX && !verify(m, k, p)) j = find_tag(m, p->h, (j + 1) & m->tabmask, &k);
            if (p->mslot) *p->mslot = k == UINT32_MAX ? 1 : k + 2;
        }
        if (k == UINT32_MAX) c->unknown++;
        else c->ids[c->n++] = k;
    }
    c->used = 0;
}

static int collect_fn(void *payload, const char *s, size_t n)
{
    collect *c = (collect *)payload;
    uint64_t h = vocal__hash(s, n);
    PREFETCH(&c->m->tab[(size_t)h & c->m->tabmask]);
    pending *p = &c->ring[c->used];
    p->known = 0;
    p->mslot = NULL;
    p->h = h;
    p->n = n;
    key16(p->key, s, n);
    p->s = NULL;
    if (n > 16) {
        char *d = c->strs + c->used * c->max_len;
        memcpy(d, s, n);
        p->s = d;
    }
    if (++c->used == RING) drain(c);
    return VOCAL_OK;
}

/* A word's unigram: from the word memo when this workspace has looked the
 * word up before (it keeps its place in the ring, so ids stay in feature
 * order), else looked up as any feature and remembered once verified. */
static int collect_uni(void *payload, size_t tok, uint32_t neg, const char *s, size_t n)
{
    collect *c = (collect *)payload;
    uint32_t id = c->memo ? c->wid[tok] : UINT32_MAX;
    if (id == UINT32_MAX) return collect_fn(payload, s, n);
    uint32_t *v = &c->memo[(size_t)id * 2 + neg];
    if (!*v) {
        int rc = collect_fn(payload, s, n);
        /* collect_fn may have drained already: the entry is the last pushed,
         * or (after a drain) done, and then the memo was not filled */
        if (c->used) c->ring[c->used - 1].mslot = v;
        return rc;
    }
    pending *p = &c->ring[c->used];
    p->known = 1;
    p->mslot = NULL;
    p->k = *v == 1 ? UINT32_MAX : *v - 2;
    if (++c->used == RING) drain(c);
    return VOCAL_OK;
}

/* Fold repeated ids into (id, count) pairs, in first-seen order, with a
 * small open-addressing table (cap a power of two >= 2n): O(n), where
 * sorting a tweet's ids cost more than scoring them. */
static size_t aggregate(uint32_t *ids, uint32_t *cnt, size_t n, uint64_t *tab, size_t cap)
{
    memset(tab, 0, cap * sizeof *tab);
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t k = ids[i];
        size_t j = (size_t)(k * 0x9E3779B1u) & (cap - 1);
        for (;;) {
            uint64_t e = tab[j];
            if (e == 0) {
                tab[j] = (uint64_t)u << 32 | ((uint64_t)k + 1);
                ids[u] = k;
                cnt[u++] = 1;
                break;
            }
            if ((uint32_t)e == k + 1) {
                cnt[e >> 32]++;
                break;
            }
            j = (j + 1) & (cap - 1);
        }
    }
    return u;
}

static size_t pow2_at_least(size_t n)
{
    size_t c = 16;
    while (c < n) c *= 2;
    return c;
}

#define ALIGN8(x) (((x) + 7) & ~(size_t)7)

static void poison(vocal_classification *out)
{
    memset(out, 0, sizeof *out);
    out->label = "";
    out->cls = VOCAL_NO_CLASS;
}

static int classify_tokens(vocal_classification *out, vocal_workspace *ws, const vocal_model *m,
                           const vocal_token *t, size_t nt, size_t ncl, const vocal_sentiment *sentp,
                           const vocal_classify_options *opts, vocal_error *err);

static int check_opts(const vocal_classify_options **opts, const vocal_classify_options *def, vocal_error *err)
{
    if (!*opts) *opts = def;
    if ((*opts)->version < 1 || (*opts)->version > VOCAL_CLASSIFY_OPTIONS_VERSION)
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX,
                          "unsupported classify options version %u", (*opts)->version);
    return VOCAL_OK;
}

int vocal_model_classify(vocal_classification *out, vocal_workspace *ws, const vocal_model *m,
                         const vocal_lexicon *lex, const char *text, size_t len,
                         const vocal_classify_options *opts, vocal_error *err)
{
    assert(out && ws && m);
    poison(out);
    vocal_classify_options def = VOCAL_CLASSIFY_OPTIONS_INIT;
    int rc = check_opts(&opts, &def, err);
    if (rc < 0) return rc;
    if (m->opt.use_lexicon && !lex)
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX,
                          "the model uses lexicon features: a lexicon is needed to classify");
    const vocal_token *t;
    vocal_sentiment sent;
    if (m->opt.use_lexicon) {
        if ((rc = vocal_lexicon_score(&sent, ws, lex, text, len, err)) < 0) return rc;
        return classify_tokens(out, ws, m, sent.tokens, sent.n_tokens, sent.n_clauses, &sent, opts, err);
    }
    if ((rc = vocal_text_tokenize(&t, NULL, ws, text, len, err)) < 0) return rc;
    return classify_tokens(out, ws, m, t, (size_t)rc, 0, NULL, opts, err);
}

int vocal_model_classify_sentiment(vocal_classification *out, vocal_workspace *ws, const vocal_model *m,
                                   const vocal_sentiment *sent, const vocal_classify_options *opts,
                                   vocal_error *err)
{
    assert(out && ws && m && sent);
    poison(out);
    vocal_classify_options def = VOCAL_CLASSIFY_OPTIONS_INIT;
    int rc = check_opts(&opts, &def, err);
    if (rc < 0) return rc;
    /* the tokens are the tokenizer's whether or not a lexicon scored them:
     * vocal_lexicon_score only reads them */
    if (m->opt.use_lexicon)
        return classify_tokens(out, ws, m, sent->tokens, sent->n_tokens, sent->n_clauses, sent, opts, err);
    return classify_tokens(out, ws, m, sent->tokens, sent->n_tokens, 0, NULL, opts, err);
}

static int classify_tokens(vocal_classification *out, vocal_workspace *ws, const vocal_model *m,
                           const vocal_token *t, size_t nt, size_t ncl, const vocal_sentiment *sentp,
                           const vocal_classify_options *opts, vocal_error *err)
{
    size_t nc = m->nc;
    unsigned top_k = opts->top_k > VOCAL_CLASSIFY_MAX_TOP_K ? VOCAL_CLASSIFY_MAX_TOP_K : opts->top_k;
    vocal__feat_bounds b;
    vocal__feat_bounds_get(&b, &m->opt, t, nt, ncl);
    /* one scratch block: scores, probs, top-k, units, feature ids, chars */
    size_t o_probs = ALIGN8(nc * sizeof(double));
    size_t o_top = o_probs + ALIGN8(nc * sizeof(double));
    size_t o_units = o_top + ALIGN8((size_t)top_k * sizeof(vocal_feature_weight));
    size_t o_ids = o_units + ALIGN8(b.units * sizeof(vocal__unit));
    int agg = m->opt.binary || top_k;
    size_t aggcap = agg ? pow2_at_least(2 * b.max_features) : 0;
    size_t o_cnt = o_ids + ALIGN8(b.max_features * sizeof(uint32_t));
    size_t o_agg = o_cnt + (agg ? ALIGN8(b.max_features * sizeof(uint32_t)) : 0);
    size_t o_ring = o_agg + aggcap * sizeof(uint64_t);
    size_t o_chars = o_ring + ALIGN8(RING * b.max_len);
    size_t total = o_chars + b.scratch;
    char *blk = (char *)vocal__ws_buf(ws, VOCAL__SLOT_FEATURES, total);
    if (!blk) return vocal__err_oom(err);
    double *score = (double *)(void *)blk;
    double *prob = (double *)(void *)(blk + o_probs);
    vocal_feature_weight *top = (vocal_feature_weight *)(void *)(blk + o_top);
    collect col;
    col.m = m;
    col.ids = (uint32_t *)(void *)(blk + o_ids);
    col.n = col.unknown = 0;
    col.used = 0;
    col.strs = blk + o_ring;
    col.max_len = b.max_len;
    /* word unigrams through the workspace's word memo (text_int.h) */
    col.wid = vocal__ws_words(ws, t);
    col.memo = col.wid ? (uint32_t *)vocal__ws_memo(ws, VOCAL__MEMO_MODEL, m->serial, 2 * sizeof(uint32_t)) : NULL;
    vocal__features_ex(&m->opt, t, nt, sentp, (vocal__unit *)(void *)(blk + o_units), blk + o_chars, collect_fn,
                       col.memo ? collect_uni : NULL, &col);
    drain(&col);
    size_t nid = col.n;
    uint32_t *ids = col.ids;
    uint32_t *cnt = (uint32_t *)(void *)(blk + o_cnt);
    size_t ndist = 0;
    if (agg) ndist = aggregate(ids, cnt, nid, (uint64_t *)(void *)(blk + o_agg), aggcap);
    if (m->opt.binary) {
        nid = ndist; /* each distinct feature once (model.md §5.4) */
        for (size_t i = 0; i < ndist; i++) cnt[i] = 1;
    }
    for (size_t c = 0; c < nc; c++) score[c] = m->prior[c];
    if (agg) {
        /* distinct ids with their counts */
        for (size_t i = 0; i < ndist; i++) {
            const float *w = vocal__wrow(m, ids[i]);
            double x = (double)cnt[i];
            for (size_t c = 0; c < nc; c++) score[c] += x * w[c];
        }
    } else if (nc == 2) {
        double s0 = score[0], s1 = score[1];
        for (size_t i = 0; i < nid; i++) {
            const float *w = vocal__wrow(m, ids[i]);
            s0 += w[0];
            s1 += w[1];
        }
        score[0] = s0;
        score[1] = s1;
    } else {
        for (size_t i = 0; i < nid; i++) {
            const float *w = vocal__wrow(m, ids[i]);
            for (size_t c = 0; c < nc; c++) score[c] += w[c];
        }
    }
    /* softmax with the maximum subtracted: exp of 0 for the best class, so
     * the sum is >= 1 and never underflows (PEERS: exp(sum of logs) fails
     * on long texts) */
    size_t best = 0;
    for (size_t c = 1; c < nc; c++)
        if (score[c] > score[best]) best = c;
    double mx = score[best], sum = 0;
    for (size_t c = 0; c < nc; c++) sum += prob[c] = exp(score[c] - mx);
    for (size_t c = 0; c < nc; c++) prob[c] /= sum;
    out->n_classes = nc;
    out->scores = score;
    out->probs = prob;
    out->cls = best;
    out->prob = prob[best];
    out->abstained = prob[best] < opts->min_prob;
    out->label = out->abstained ? "" : m->cnames[best];
    out->n_features = nid;
    out->n_unknown = col.unknown;
    /* top contributions: each distinct feature with the class it supports most */
    size_t ntop = 0;
    uint32_t ktop[VOCAL_CLASSIFY_MAX_TOP_K];
    for (size_t i = 0; top_k && i < ndist; i++) {
        uint32_t k = ids[i];
        const float *w = vocal__wrow(m, k);
        size_t bc = 0;
        for (size_t c = 1; c < nc; c++)
            if (w[c] > w[bc]) bc = c;
        double v = (double)w[bc] * (double)cnt[i];
        /* order: larger contribution first, then the bytewise smaller feature
         * (kept ids ascend with the features), so results are deterministic */
#define BEFORE(v1, k1, p) ((v1) > top[p].weight || ((v1) == top[p].weight && (k1) < ktop[p]))
        if (ntop == top_k && !BEFORE(v, k, ntop - 1)) continue;
        size_t p = ntop < top_k ? ntop++ : ntop - 1;
        while (p && BEFORE(v, k, p - 1)) {
            top[p] = top[p - 1];
            ktop[p] = ktop[p - 1];
            p--;
        }
#undef BEFORE
        uint32_t f = m->kept[k];
        top[p].feature = m->strs + m->off[f];
        top[p].len = m->off[f + 1] - m->off[f] - 1;
        top[p].cls = (uint32_t)bc;
        top[p].weight = v;
        top[p].count = cnt[i];
        ktop[p] = k;
    }
    out->top = top;
    out->n_top = ntop;
    return VOCAL_OK;
}

/* MARK: introspection */

void vocal_model_info_get(vocal_model_info *out, const vocal_model *m)
{
    assert(out && m);
    memset(out, 0, sizeof *out);
    out->options = m->opt;
    out->n_classes = m->nc;
    out->n_features = m->nf;
    out->n_features_used = m->nk;
    out->n_parameters = m->nk * m->nc + m->nc;
    out->records = m->records;
    out->fingerprint = m->fingerprint;
    out->language = m->language;
    out->stemmer = m->stemmer;
    out->stemmer_probe = m->probe;
    out->lexicon_fingerprint = m->lexfp;
    out->unicode = m->unicode;
    out->writer = m->writer;
    out->format_major = m->fmt_major;
    out->format_minor = m->fmt_minor;
}

size_t vocal_model_classes(const vocal_model *m, const char *const **names, const uint64_t **docs)
{
    assert(m);
    if (names) *names = m->cnames;
    if (docs) *docs = m->cdocs;
    return m->nc;
}

size_t vocal_model_class_index(const vocal_model *m, const char *name, size_t len)
{
    assert(m && (name || !len));
    size_t lo = 0, hi = m->nc;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        size_t cl = m->clen[mid];
        int r = memcmp(m->cnames[mid], name, cl < len ? cl : len);
        if (r == 0) r = cl < len ? -1 : cl > len;
        if (r == 0) return mid;
        if (r < 0) lo = mid + 1;
        else hi = mid;
    }
    return VOCAL_NO_CLASS;
}

size_t vocal_model_top_features(vocal_feature_weight *out, size_t n, const vocal_model *m, size_t cls)
{
    assert(m && (out || !n));
    if (cls >= m->nc || !n) return 0;
    size_t nout = 0;
    for (uint64_t i = 0; i < m->nk; i++) {
        double v = vocal__wrow(m, i)[cls];
        if (nout == n && !(v > out[n - 1].weight)) continue;
        size_t p = nout < n ? nout++ : n - 1;
        while (p && out[p - 1].weight < v) {
            out[p] = out[p - 1];
            p--;
        }
        uint32_t f = m->kept[i];
        out[p].feature = m->strs + m->off[f];
        out[p].len = m->off[f + 1] - m->off[f] - 1;
        out[p].cls = (uint32_t)cls;
        out[p].weight = v;
        out[p].count = m->counts[(size_t)f * m->nc + cls];
    }
    return nout;
}

/* MARK: merge */

/* Compare two models' recorded options; on a difference, name it. */
static int same_options(const vocal_model *a, const vocal_model *b, size_t ib, vocal_error *err)
{
    char va[VOCAL__HEXF_MAX], vb[VOCAL__HEXF_MAX];
#define DIFF(name, fa, fb)                                                                     \
    return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX,                                 \
                      "cannot merge: option '%s' differs (model 1: %s, model %zu: %s)", name, \
                      fa, ib + 1, fb)
#define CMPU(name, field)                                                      \
    if (a->field != b->field) {                                                \
        snprintf(va, sizeof va, "%" PRIu64, (uint64_t)a->field);                \
        snprintf(vb, sizeof vb, "%" PRIu64, (uint64_t)b->field);                \
        DIFF(name, va, vb);                                                    \
    }
#define CMPS(name, field) \
    if (strcmp(a->field, b->field) != 0) DIFF(name, a->field, b->field);
    if (a->opt.variant != b->opt.variant)
        DIFF("variant", a->opt.variant ? "complement" : "multinomial",
             b->opt.variant ? "complement" : "multinomial");
    if (a->opt.alpha != b->opt.alpha) {
        vocal__fmt_hexf(va, a->opt.alpha);
        vocal__fmt_hexf(vb, b->opt.alpha);
        DIFF("alpha", va, vb);
    }
    CMPU("uniform_priors", opt.uniform_priors)
    CMPU("ngram", opt.ngram)
    CMPU("char_ngram_min", opt.char_ngram_min)
    CMPU("char_ngram_max", opt.char_ngram_max)
    CMPU("binary", opt.binary)
    CMPU("min_count", opt.min_count)
    if (a->opt.use_stems != b->opt.use_stems)
        DIFF("features", a->opt.use_stems ? "stems" : "norms", b->opt.use_stems ? "stems" : "norms");
    CMPU("negation", opt.use_negation)
    CMPU("lexicon", opt.use_lexicon)
    CMPS("language", language)
    CMPS("stemmer", stemmer)
    if (a->probe != b->probe) {
        snprintf(va, sizeof va, "%016" PRIx64, a->probe);
        snprintf(vb, sizeof vb, "%016" PRIx64, b->probe);
        DIFF("stemmer_probe", va, vb);
    }
    if (a->lexfp != b->lexfp) {
        snprintf(va, sizeof va, "%016" PRIx64, a->lexfp);
        snprintf(vb, sizeof vb, "%016" PRIx64, b->lexfp);
        DIFF("lexicon_fingerprint", va, vb);
    }
    CMPS("unicode", unicode)
    CMPS("hash", hash)
    return VOCAL_OK;
#undef DIFF
#undef CMPU
#undef CMPS
}

static int add_u64(uint64_t *dst, uint64_t v)
{
    if (*dst > UINT64_MAX - v) return -1;
    *dst += v;
    return 0;
}

static int cmp_str(const char *a, size_t al, const char *b, size_t bl)
{
    int r = memcmp(a, b, al < bl ? al : bl);
    return r ? r : (al < bl ? -1 : al > bl);
}

/* Two sorted models into one unprepared model (sorted union of classes and
 * features, counts summed). */
static int merge2(vocal_model *out, const vocal_model *a, const vocal_model *b, vocal_error *err)
{
    int rc = VOCAL_ENOMEM;
    size_t *amap = (size_t *)vocal__malloc((a->nc + 1) * sizeof *amap);
    size_t *bmap = (size_t *)vocal__malloc((b->nc + 1) * sizeof *bmap);
    if (!amap || !bmap) goto done;
    /* classes */
    size_t nc = 0, blob = 0;
    for (size_t i = 0, j = 0; i < a->nc || j < b->nc; nc++) {
        int r = i == a->nc ? 1 : j == b->nc ? -1
                : cmp_str(a->cnames[i], a->clen[i], b->cnames[j], b->clen[j]);
        if (r <= 0) blob += a->clen[i] + 1;
        else blob += b->clen[j] + 1;
        if (r <= 0) amap[i++] = nc;
        if (r >= 0) bmap[j++] = nc;
    }
    if (nc > VOCAL_MODEL_MAX_CLASSES) {
        rc = vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "cannot merge: over %d classes",
                        VOCAL_MODEL_MAX_CLASSES);
        goto done;
    }
    /* features: count the union first */
    uint64_t nf = 0;
    size_t sbytes = 0;
    for (uint64_t i = 0, j = 0; i < a->nf || j < b->nf; nf++) {
        size_t al = i < a->nf ? a->off[i + 1] - a->off[i] - 1 : 0;
        size_t bl = j < b->nf ? b->off[j + 1] - b->off[j] - 1 : 0;
        int r = i == a->nf ? 1 : j == b->nf ? -1
                : cmp_str(a->strs + a->off[i], al, b->strs + b->off[j], bl);
        sbytes += (r <= 0 ? al : bl) + 1;
        if (r <= 0) i++;
        if (r >= 0) j++;
    }
    if (sbytes > UINT32_MAX || nf >= UINT32_MAX) {
        rc = vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX,
                        "cannot merge: the vocabulary would exceed 4 GiB");
        goto done;
    }
    if ((rc = vocal__model_alloc(out, nc, blob, nf)) < 0) goto done;
    rc = VOCAL_ENOMEM;
    out->strs = (char *)vocal__malloc(sbytes ? sbytes : 1);
    if (!out->strs) goto done;
    size_t p = 0;
    for (size_t i = 0, j = 0, c = 0; c < nc; c++) {
        const char *s;
        size_t l;
        if (i < a->nc && amap[i] == c) {
            s = a->cnames[i];
            l = a->clen[i];
        } else {
            s = b->cnames[j];
            l = b->clen[j];
        }
        memcpy(out->cblob + p, s, l + 1);
        out->cnames[c] = out->cblob + p;
        out->clen[c] = l;
        p += l + 1;
        uint64_t d = 0;
        if (i < a->nc && amap[i] == c) d = a->cdocs[i++];
        if (j < b->nc && bmap[j] == c && add_u64(&d, b->cdocs[j++]) < 0) goto overflow;
        out->cdocs[c] = d;
    }
    p = 0;
    uint64_t f = 0;
    for (uint64_t i = 0, j = 0; i < a->nf || j < b->nf; f++) {
        size_t al = i < a->nf ? a->off[i + 1] - a->off[i] - 1 : 0;
        size_t bl = j < b->nf ? b->off[j + 1] - b->off[j] - 1 : 0;
        int r = i == a->nf ? 1 : j == b->nf ? -1
                : cmp_str(a->strs + a->off[i], al, b->strs + b->off[j], bl);
        const char *s = r <= 0 ? a->strs + a->off[i] : b->strs + b->off[j];
        size_t l = r <= 0 ? al : bl;
        memcpy(out->strs + p, s, l + 1);
        p += l + 1;
        out->off[f + 1] = (uint32_t)p;
        uint64_t *row = out->counts + (size_t)f * nc;
        if (r <= 0) {
            for (size_t c = 0; c < a->nc; c++) row[amap[c]] = a->counts[(size_t)i * a->nc + c];
            i++;
        }
        if (r >= 0) {
            for (size_t c = 0; c < b->nc; c++)
                if (add_u64(&row[bmap[c]], b->counts[(size_t)j * b->nc + c]) < 0) goto overflow;
            j++;
        }
    }
    rc = VOCAL_OK;
    goto done;
overflow:
    rc = vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "cannot merge: a count overflows 64 bits");
done:
    if (rc == VOCAL_ENOMEM) vocal__err_oom(err);
    vocal__free(amap);
    vocal__free(bmap);
    return rc;
}

static void copy_meta(vocal_model *dst, const vocal_model *src)
{
    dst->opt = src->opt;
    memcpy(dst->language, src->language, sizeof dst->language);
    memcpy(dst->stemmer, src->stemmer, sizeof dst->stemmer);
    memcpy(dst->unicode, src->unicode, sizeof dst->unicode);
    memcpy(dst->hash, src->hash, sizeof dst->hash);
    snprintf(dst->writer, sizeof dst->writer, "%s", VOCAL_VERSION_STRING);
    dst->probe = src->probe;
    dst->lexfp = src->lexfp;
    dst->fmt_major = VOCAL__MODEL_MAJOR;
    dst->fmt_minor = VOCAL__MODEL_MINOR;
}

int vocal_model_merge(vocal_model **out, const vocal_model *const *models, size_t n, vocal_error *err)
{
    assert(out && (models || !n));
    *out = NULL;
    if (n == 0) return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "no model to merge");
    int rc;
    uint64_t records = 0, fp = 0;
    for (size_t i = 0; i < n; i++) {
        assert(models[i]);
        if (i && (rc = same_options(models[0], models[i], i, err)) < 0) return rc;
        if (add_u64(&records, models[i]->records) < 0)
            return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX,
                              "cannot merge: the record count overflows 64 bits");
        fp += models[i]->fingerprint; /* a sum modulo 2^64 (model.md §4.1) */
    }
    vocal_model *acc = (vocal_model *)vocal__calloc(1, sizeof *acc);
    if (!acc) return vocal__err_oom(err);
    if (n == 1) {
        /* a copy: merge with an empty model */
        vocal_model empty;
        memset(&empty, 0, sizeof empty);
        uint32_t zero = 0;
        empty.off = &zero;
        empty.strs = (char *)"";
        rc = merge2(acc, models[0], &empty, err);
    } else {
        rc = merge2(acc, models[0], models[1], err);
        for (size_t i = 2; rc >= 0 && i < n; i++) {
            vocal_model *next = (vocal_model *)vocal__calloc(1, sizeof *next);
            if (!next) {
                rc = vocal__err_oom(err);
                break;
            }
            rc = merge2(next, acc, models[i], err);
            vocal_model_free(acc);
            acc = next;
        }
    }
    if (rc >= 0) {
        copy_meta(acc, models[0]);
        acc->records = records;
        acc->fingerprint = fp;
        if (vocal__model_prepare(acc) < 0) rc = vocal__err_oom(err);
    }
    if (rc < 0) {
        vocal_model_free(acc);
        return rc;
    }
    *out = acc;
    return VOCAL_OK;
}

/* MARK: dump */

/* Dump fields are separated by tabs; a feature or class name never holds a
 * tab or other control byte, but is escaped all the same (\\, \xHH). */
static int put_escaped(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int r;
        if (c == '\\') r = fputs("\\\\", f);
        else if (c < 0x20 || c == 0x7F) r = fprintf(f, "\\x%02x", c);
        else r = fputc(c, f);
        if (r < 0) return -1;
    }
    return 0;
}

int vocal_model_dump(const vocal_model *m, FILE *f, vocal_error *err)
{
    assert(m && f);
    vocal__buf meta = {0};
    if (vocal__model_meta(m, &meta) < 0) {
        vocal__buf_free(&meta);
        return vocal__err_oom(err);
    }
    char hx[VOCAL__HEXF_MAX];
    int bad = fprintf(f, "vocal-model-dump 1\nformat\t%u.%u\n", m->fmt_major, m->fmt_minor) < 0;
    /* META lines as the file holds them */
    for (size_t i = 0; !bad && i < meta.len;) {
        const char *nl = (const char *)memchr(meta.p + i, '\n', meta.len - i);
        size_t e = nl ? (size_t)(nl - meta.p) : meta.len;
        bad = fputs("meta\t", f) < 0 || fwrite(meta.p + i, 1, e - i, f) != e - i || fputc('\n', f) < 0;
        i = e + 1;
    }
    vocal__buf_free(&meta);
    if (!bad)
        bad = fprintf(f, "features\t%" PRIu64 "\tused\t%" PRIu64 "\n", m->nf, m->nk) < 0;
    for (size_t c = 0; !bad && c < m->nc; c++) {
        /* the class's count over kept features, exactly (saturating) */
        uint64_t tok = 0;
        for (uint64_t i = 0; i < m->nk; i++) {
            uint64_t v = m->counts[(size_t)m->kept[i] * m->nc + c];
            tok = tok > UINT64_MAX - v ? UINT64_MAX : tok + v;
        }
        vocal__fmt_hexf(hx, m->prior[c]);
        bad = fprintf(f, "class\t%zu\t", c) < 0 || put_escaped(f, m->cnames[c], m->clen[c]) < 0 ||
              fprintf(f, "\tdocs=%" PRIu64 " count=%" PRIu64 " prior=%s\n", m->cdocs[c], tok, hx) < 0;
    }
    /* per feature: counts, then the weights when it is kept */
    uint64_t k = 0;
    for (uint64_t i = 0; !bad && i < m->nf; i++) {
        const uint64_t *row = m->counts + (size_t)i * m->nc;
        bad = fputs("f\t", f) < 0 ||
              put_escaped(f, m->strs + m->off[i], m->off[i + 1] - m->off[i] - 1) < 0 || fputc('\t', f) < 0;
        for (size_t c = 0; !bad && c < m->nc; c++) bad = fprintf(f, c ? " %" PRIu64 : "%" PRIu64, row[c]) < 0;
        if (!bad && k < m->nk && m->kept[k] == i) {
            bad = fputs("\tw", f) < 0;
            for (size_t c = 0; !bad && c < m->nc; c++) {
                vocal__fmt_hexf(hx, (double)vocal__wrow(m, k)[c]);
                bad = fprintf(f, " %s", hx) < 0;
            }
            k++;
        } else if (!bad) {
            bad = fputs("\tpruned", f) < 0;
        }
        if (!bad) bad = fputc('\n', f) < 0;
    }
    if (!bad) bad = fputs("end\n", f) < 0 || fflush(f) != 0;
    if (bad || ferror(f))
        return vocal__err(err, VOCAL_EIO, NULL, 0, UINT64_MAX, "cannot write the model dump");
    return VOCAL_OK;
}
