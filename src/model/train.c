/* Streaming training: see include/vocal/model.h.
 *
 * The trainer holds the vocabulary (a string table), the classes and one
 * row of u64 counts per feature with `ccap` columns, so adding a class is a
 * rare re-layout rather than a per-record cost. Records are never kept. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "../text/text_int.h"
#include "model_int.h"

struct vocal_trainer {
    vocal_train_options opt;
    const vocal_lexicon *lex;
    char language[32], stemmer[64], unicode[32];
    uint64_t probe;
    vocal__strtab vocab;
    vocal__strtab classes;
    uint64_t *cdocs;     /* per class */
    uint64_t *counts;    /* rowcap * ccap */
    size_t rowcap, ccap;
    uint32_t *stamp;     /* binary: the record that last counted each feature */
    uint32_t serial;
    uint64_t records, fingerprint;
    uint64_t lexfp;
    /* per-record scratch, kept to avoid a malloc per record */
    uint32_t *ids;
    size_t idcap;
    vocal__unit *units;
    size_t unitcap;
    char *scratch;
    size_t scratchcap;
};

int vocal_trainer_new(vocal_trainer **out, const vocal_tokenizer *tk, const vocal_lexicon *lex,
                      const vocal_train_options *opts, vocal_error *err)
{
    assert(out && tk);
    *out = NULL;
    vocal_train_options def = VOCAL_TRAIN_OPTIONS_INIT;
    if (!opts) opts = &def;
    int rc = vocal__options_check(opts, err);
    if (rc < 0) return rc;
    if (opts->use_lexicon && !lex)
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX,
                          "option 'use_lexicon' needs a lexicon");
    vocal_trainer *tr = (vocal_trainer *)vocal__calloc(1, sizeof *tr);
    if (!tr) return vocal__err_oom(err);
    tr->opt = *opts;
    tr->opt.version = VOCAL_TRAIN_OPTIONS_VERSION;
    /* booleans are stored as 0/1 so that equal options compare equal */
    tr->opt.uniform_priors = !!opts->uniform_priors;
    tr->opt.binary = !!opts->binary;
    tr->opt.use_stems = !!opts->use_stems;
    tr->opt.use_negation = !!opts->use_negation;
    tr->opt.use_lexicon = !!opts->use_lexicon;
    tr->lex = tr->opt.use_lexicon ? lex : NULL;
    tr->lexfp = tr->lex ? vocal_lexicon_fingerprint(tr->lex) : 0;
    snprintf(tr->language, sizeof tr->language, "%s", vocal_tokenizer_language(tk));
    snprintf(tr->stemmer, sizeof tr->stemmer, "%s", vocal_tokenizer_stemmer(tk));
    snprintf(tr->unicode, sizeof tr->unicode, "%s", vocal_unicode_version());
    if ((rc = vocal__stemmer_probe(&tr->probe, tk, err)) < 0) {
        vocal_trainer_free(tr);
        return rc;
    }
    *out = tr;
    return VOCAL_OK;
}

void vocal_trainer_free(vocal_trainer *tr)
{
    if (!tr) return;
    vocal__strtab_free(&tr->vocab);
    vocal__strtab_free(&tr->classes);
    vocal__free(tr->cdocs);
    vocal__free(tr->counts);
    vocal__free(tr->stamp);
    vocal__free(tr->ids);
    vocal__free(tr->units);
    vocal__free(tr->scratch);
    vocal__free(tr);
}

/* MARK: growth */

/* Room for `rows` feature rows and `cols` classes; rows and columns keep
 * their counts, new ones are zero. Everything is allocated before anything
 * changes, so a failure leaves the trainer as it was. */
static int reserve_counts(vocal_trainer *tr, size_t rows, size_t cols)
{
    size_t nrow = tr->rowcap ? tr->rowcap : 1024, ncol = tr->ccap ? tr->ccap : 4;
    while (nrow < rows) nrow *= 2;
    while (ncol < cols) ncol *= 2;
    if (nrow == tr->rowcap && ncol == tr->ccap) return VOCAL_OK;
    if (nrow > SIZE_MAX / sizeof(uint64_t) / ncol) return VOCAL_ENOMEM;
    uint64_t *nd = NULL, *nc = NULL;
    uint32_t *ns = NULL;
    if (ncol != tr->ccap && !(nd = (uint64_t *)vocal__calloc(ncol, sizeof *nd))) goto oom;
    if (tr->opt.binary && nrow != tr->rowcap &&
        !(ns = (uint32_t *)vocal__calloc(nrow, sizeof *ns)))
        goto oom;
    if (ncol == tr->ccap) {
        /* last, so that nothing needs undoing after it */
        if (!(nc = (uint64_t *)vocal__realloc(tr->counts, nrow * ncol * sizeof *nc))) goto oom;
        memset(nc + tr->rowcap * ncol, 0, (nrow - tr->rowcap) * ncol * sizeof *nc);
    } else {
        if (!(nc = (uint64_t *)vocal__calloc(nrow * ncol, sizeof *nc))) goto oom;
        for (size_t r = 0; r < tr->vocab.n; r++)
            memcpy(nc + r * ncol, tr->counts + r * tr->ccap, tr->classes.n * sizeof *nc);
        vocal__free(tr->counts);
    }
    tr->counts = nc;
    if (nd) {
        if (tr->classes.n) memcpy(nd, tr->cdocs, tr->classes.n * sizeof *nd);
        vocal__free(tr->cdocs);
        tr->cdocs = nd;
    }
    if (ns) {
        if (tr->rowcap) memcpy(ns, tr->stamp, tr->rowcap * sizeof *ns);
        vocal__free(tr->stamp);
        tr->stamp = ns;
    }
    tr->rowcap = nrow;
    tr->ccap = ncol;
    return VOCAL_OK;
oom:
    vocal__free(nd);
    vocal__free(ns);
    return VOCAL_ENOMEM;
}

typedef struct intern_ctx {
    vocal_trainer *tr;
    size_t n;
} intern_ctx;

static int intern_fn(void *payload, const char *s, size_t n)
{
    intern_ctx *c = (intern_ctx *)payload;
    vocal_trainer *tr = c->tr;
    uint32_t id;
    int rc;
    /* a row for a new feature first, so every interned id has one */
    if (tr->vocab.n >= tr->rowcap && (rc = reserve_counts(tr, tr->vocab.n + 1, tr->classes.n)) < 0)
        return rc;
    if ((rc = vocal__strtab_get(&tr->vocab, s, n, 1, &id)) < 0) return rc;
    tr->ids[c->n++] = id;
    return VOCAL_OK;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return VOCAL_OK;
    size_t n = *cap ? *cap : 256;
    while (n < need) n *= 2;
    void *q = vocal__realloc(*p, n * size);
    if (!q) return VOCAL_ENOMEM;
    *p = q;
    *cap = n;
    return VOCAL_OK;
}

/* MARK: adding records */

static int check_label(const char *l, size_t n)
{
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)l[i];
        if (c < 0x20 || c == 0x7F) return 0;
    }
    return vocal_utf8_check(l, n, NULL) == 0;
}

int vocal_trainer_add(vocal_trainer *tr, vocal_workspace *ws, const char *text, size_t len,
                      const char *const *labels, size_t n_labels, vocal_error *err)
{
    assert(tr && ws && (labels || !n_labels));
    if (n_labels == 0) return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "record has no label");
    /* distinct labels, validated before anything changes */
    enum { MAXL = 64 };
    const char *lab[MAXL];
    size_t llen[MAXL], nl = 0;
    if (n_labels > MAXL)
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX,
                          "record has %zu labels, over the limit of %d", n_labels, MAXL);
    for (size_t i = 0; i < n_labels; i++) {
        size_t n = strlen(labels[i]);
        if (!check_label(labels[i], n))
            return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX,
                              "label %zu is empty, has a control character or is not UTF-8", i + 1);
        size_t j = 0;
        while (j < nl && !(llen[j] == n && memcmp(lab[j], labels[i], n) == 0)) j++;
        if (j == nl) {
            lab[nl] = labels[i];
            llen[nl++] = n;
        }
    }
    const vocal_token *t;
    size_t nt, ncl = 0;
    vocal_sentiment sent;
    int rc;
    if (tr->opt.use_lexicon) {
        if ((rc = vocal_lexicon_score(&sent, ws, tr->lex, text, len, err)) < 0) return rc;
        t = sent.tokens;
        nt = sent.n_tokens;
        ncl = sent.n_clauses;
    } else {
        if ((rc = vocal_text_tokenize(&t, NULL, ws, text, len, err)) < 0) return rc;
        nt = (size_t)rc;
    }
    vocal__feat_bounds b;
    vocal__feat_bounds_get(&b, &tr->opt, t, nt, ncl);
    if (grow((void **)&tr->ids, &tr->idcap, b.max_features + 1, sizeof *tr->ids) < 0 ||
        grow((void **)&tr->units, &tr->unitcap, b.units + 1, sizeof *tr->units) < 0 ||
        grow((void **)&tr->scratch, &tr->scratchcap, b.scratch, 1) < 0)
        return vocal__err_oom(err);
    /* classes: interned first; a class that fails half-way stays with no
     * records and is not written (vocal_trainer_finish skips it) */
    uint32_t cls[MAXL];
    for (size_t i = 0; i < nl; i++) {
        rc = vocal__strtab_get(&tr->classes, lab[i], llen[i], 0, &cls[i]);
        if (cls[i] == UINT32_MAX) {
            if (tr->classes.n >= VOCAL_MODEL_MAX_CLASSES)
                return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX,
                                  "over %d classes", VOCAL_MODEL_MAX_CLASSES);
            if (reserve_counts(tr, tr->rowcap, tr->classes.n + 1) < 0) return vocal__err_oom(err);
            rc = vocal__strtab_get(&tr->classes, lab[i], llen[i], 1, &cls[i]);
            if (rc < 0) return rc == VOCAL_ENOMEM ? vocal__err_oom(err) : rc;
        }
    }
    /* features: interning may fail half-way, leaving new features with zero
     * counts, which finish skips; nothing has been counted yet */
    intern_ctx ic = {tr, 0};
    rc = vocal__features(&tr->opt, t, nt, tr->opt.use_lexicon ? &sent : NULL, tr->units, tr->scratch,
                         intern_fn, &ic);
    if (rc == VOCAL_EINPUT)
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX,
                          "the vocabulary is full (2^32 features or 4 GiB of feature text)");
    if (rc < 0) return vocal__err_oom(err);
    /* count: from here nothing can fail */
    if (tr->opt.binary) {
        if (++tr->serial == 0) { /* wrapped: old stamps could collide */
            memset(tr->stamp, 0, tr->rowcap * sizeof *tr->stamp);
            tr->serial = 1;
        }
    }
    size_t cc = tr->ccap;
    for (size_t i = 0; i < ic.n; i++) {
        uint32_t id = tr->ids[i];
        if (tr->opt.binary) {
            if (tr->stamp[id] == tr->serial) continue;
            tr->stamp[id] = tr->serial;
        }
        uint64_t *row = tr->counts + (size_t)id * cc;
        for (size_t j = 0; j < nl; j++) row[cls[j]]++;
    }
    for (size_t j = 0; j < nl; j++) tr->cdocs[cls[j]]++;
    tr->records++;
    tr->fingerprint += vocal__record_hash(text, len, lab, llen, nl);
    return VOCAL_OK;
}

/* MARK: finish */

typedef struct sortent {
    const char *s;
    uint32_t id;
} sortent;

static int cmp_ent(const void *a, const void *b)
{
    /* strcmp compares as unsigned char (C11 7.24.4): bytewise order */
    return strcmp(((const sortent *)a)->s, ((const sortent *)b)->s);
}

int vocal_trainer_finish(vocal_model **out, vocal_trainer *tr, vocal_error *err)
{
    assert(out && tr);
    *out = NULL;
    if (tr->records == 0)
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "no record to train on");
    int rc = VOCAL_ENOMEM;
    vocal_model *m = (vocal_model *)vocal__calloc(1, sizeof *m);
    size_t nct = tr->classes.n, nvt = tr->vocab.n;
    sortent *cs = (sortent *)vocal__malloc((nct + 1) * sizeof *cs);
    sortent *fs = (sortent *)vocal__malloc((nvt + 1) * sizeof *fs);
    if (!m || !cs || !fs) goto done;
    /* classes with records, sorted */
    size_t nc = 0, blob = 0;
    for (size_t c = 0; c < nct; c++) {
        if (!tr->cdocs[c]) continue;
        size_t l;
        cs[nc].s = vocal__strtab_str(&tr->classes, (uint32_t)c, &l);
        cs[nc++].id = (uint32_t)c;
        blob += l + 1;
    }
    qsort(cs, nc, sizeof *cs, cmp_ent);
    /* features with a count, sorted */
    size_t nf = 0, sbytes = 0;
    for (size_t f = 0; f < nvt; f++) {
        const uint64_t *row = tr->counts + f * tr->ccap;
        int any = 0;
        for (size_t c = 0; c < nct && !any; c++) any = row[c] != 0;
        if (!any) continue;
        size_t l;
        fs[nf].s = vocal__strtab_str(&tr->vocab, (uint32_t)f, &l);
        fs[nf++].id = (uint32_t)f;
        sbytes += l + 1;
    }
    qsort(fs, nf, sizeof *fs, cmp_ent);
    if (vocal__model_alloc(m, nc, blob, nf) < 0) goto done;
    m->strs = (char *)vocal__malloc(sbytes ? sbytes : 1);
    if (!m->strs) goto done;
    size_t p = 0;
    for (size_t c = 0; c < nc; c++) {
        size_t l = strlen(cs[c].s);
        memcpy(m->cblob + p, cs[c].s, l + 1);
        m->cnames[c] = m->cblob + p;
        m->clen[c] = l;
        m->cdocs[c] = tr->cdocs[cs[c].id];
        p += l + 1;
    }
    p = 0;
    for (size_t f = 0; f < nf; f++) {
        size_t l = strlen(fs[f].s);
        memcpy(m->strs + p, fs[f].s, l + 1);
        p += l + 1;
        m->off[f + 1] = (uint32_t)p;
        const uint64_t *row = tr->counts + (size_t)fs[f].id * tr->ccap;
        for (size_t c = 0; c < nc; c++) m->counts[f * nc + c] = row[cs[c].id];
    }
    m->opt = tr->opt;
    memcpy(m->language, tr->language, sizeof m->language);
    memcpy(m->stemmer, tr->stemmer, sizeof m->stemmer);
    memcpy(m->unicode, tr->unicode, sizeof m->unicode);
    snprintf(m->hash, sizeof m->hash, "fnv1a64");
    snprintf(m->writer, sizeof m->writer, "%s", VOCAL_VERSION_STRING);
    m->probe = tr->probe;
    m->records = tr->records;
    m->fingerprint = tr->fingerprint;
    m->lexfp = tr->lexfp;
    m->fmt_major = VOCAL__MODEL_MAJOR;
    m->fmt_minor = VOCAL__MODEL_MINOR;
    if (vocal__model_prepare(m) < 0) goto done;
    rc = VOCAL_OK;
done:
    vocal__free(cs);
    vocal__free(fs);
    if (rc < 0) {
        vocal_model_free(m);
        return vocal__err_oom(err);
    }
    *out = m;
    return VOCAL_OK;
}
