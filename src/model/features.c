/* Feature extraction, shared by training and classification so that both
 * see exactly the same features (docs/format/model.md §5 is the spec). */
#include "model_int.h"

/* MARK: units
 * A unit is what one token contributes to unigrams and word n-grams: a word
 * (stem or normalized form), a class token, an emoji, an emoticon, a hashtag
 * or a "!"/"?" run. Other punctuation and symbols make no unit and do not
 * break n-grams; sentence ends do. */

int vocal__make_unit(vocal__unit *u, const vocal_train_options *o, const vocal_token *t)
{
    const char *s;
    size_t len;
    switch (t->kind) {
    case VOCAL_KIND_WORD:
        s = o->use_stems ? t->stem : t->norm;
        len = o->use_stems ? t->stem_len : t->norm_len;
        break;
    case VOCAL_KIND_NUMBER: u->s = "<num>"; u->len = 5; goto cls;
    case VOCAL_KIND_URL: u->s = "<url>"; u->len = 5; goto cls;
    case VOCAL_KIND_EMAIL: u->s = "<email>"; u->len = 7; goto cls;
    case VOCAL_KIND_MENTION: u->s = "<mention>"; u->len = 9; goto cls;
    case VOCAL_KIND_HASHTAG:
    case VOCAL_KIND_EMOJI:
    case VOCAL_KIND_EMOTICON:
        s = t->norm;
        len = t->norm_len;
        break;
    case VOCAL_KIND_PUNCT: {
        int ex = memchr(t->norm, '!', t->norm_len) != NULL;
        int qu = memchr(t->norm, '?', t->norm_len) != NULL;
        int many = t->norm_len > 1 || (t->flags & VOCAL_TOK_REPEAT);
        if (ex && qu) { u->s = "?!"; u->len = 2; }
        else if (ex) { u->s = many ? "!!" : "!"; u->len = many ? 2 : 1; }
        else if (qu) { u->s = many ? "??" : "?"; u->len = many ? 2 : 1; }
        else return 0;
        goto cls;
    }
    default:
        return 0;
    }
    if (len == 0) return 0;
    if (len > VOCAL__MAX_UNIT) {
        u->s = "<long>";
        u->len = 6;
    } else {
        u->s = s;
        u->len = (uint32_t)len;
    }
cls:
    u->sentence = t->sentence;
    u->neg = o->use_negation && (t->flags & VOCAL_TOK_NEGATED) ? 1u : 0u;
    return 1;
}

/* MARK: bounds */

#define COMPOSE_MAX(N) ((size_t)(N) * (VOCAL__MAX_UNIT + 5) + 16)

void vocal__feat_bounds_get(vocal__feat_bounds *b, const vocal_train_options *o,
                            const vocal_token *t, size_t n, size_t n_clauses)
{
    size_t nf = n * o->ngram;
    if (o->char_ngram_max) {
        size_t range = o->char_ngram_max - o->char_ngram_min + 1;
        for (size_t i = 0; i < n; i++)
            if (t[i].kind == VOCAL_KIND_WORD && t[i].norm_len <= VOCAL__MAX_UNIT)
                nf += (t[i].norm_len + 2) * range;
    }
    if (o->use_lexicon) nf += n_clauses + 2;
    b->max_features = nf;
    b->units = n;
    /* n-gram composition, then the bracketed word, its code point offsets and
     * the "CH_" composition of a character n-gram */
    b->scratch = COMPOSE_MAX(o->ngram) + 3 * (VOCAL__MAX_UNIT + 16);
    b->max_len = COMPOSE_MAX(o->ngram) > VOCAL__MAX_UNIT + 16 ? COMPOSE_MAX(o->ngram) : VOCAL__MAX_UNIT + 16;
}

/* MARK: extraction */

size_t vocal__put_unit(char *d, const vocal__unit *u)
{
    size_t k = 0;
    if (u->neg) {
        memcpy(d, "NOT_", 4);
        k = 4;
    }
    memcpy(d + k, u->s, u->len);
    return k + u->len;
}

static int char_ngrams(const vocal_train_options *o, const vocal_token *t, char *scratch,
                       vocal__feat_fn fn, void *payload)
{
    char *w = scratch;                                    /* "<" norm ">" */
    unsigned char *cp = (unsigned char *)scratch + VOCAL__MAX_UNIT + 16; /* code point starts */
    char *c = scratch + 2 * (VOCAL__MAX_UNIT + 16);       /* "CH_" + n-gram */
    size_t wl = t->norm_len + 2;
    w[0] = '<';
    memcpy(w + 1, t->norm, t->norm_len);
    w[wl - 1] = '>';
    size_t ncp = 0;
    for (size_t i = 0; i < wl; i++)
        if (((unsigned char)w[i] & 0xC0) != 0x80) cp[ncp++] = (unsigned char)i;
    cp[ncp] = (unsigned char)wl;
    memcpy(c, "CH_", 3);
    for (size_t k = o->char_ngram_min; k <= o->char_ngram_max; k++) {
        for (size_t i = 0; i + k <= ncp; i++) {
            size_t a = cp[i], len = (size_t)cp[i + k] - a;
            memcpy(c + 3, w + a, len);
            int rc = fn(payload, c, len + 3);
            if (rc < 0) return rc;
        }
    }
    return VOCAL_OK;
}

static int lexicon_features(const vocal_sentiment *s, vocal__feat_fn fn, void *payload)
{
    /* compound buckets: the scorer's own label thresholds (±0.05, lexicon.h)
     * and a strong band from ±0.5 */
    double c = s->compound;
    const char *b = c >= 0.5 ? "LEX_POS_STRONG"
                  : c >= VOCAL_POSITIVE_THRESHOLD ? "LEX_POS"
                  : c > VOCAL_NEGATIVE_THRESHOLD ? "LEX_NEU"
                  : c > -0.5 ? "LEX_NEG" : "LEX_NEG_STRONG";
    int rc = fn(payload, b, strlen(b));
    if (rc < 0) return rc;
    int last = 0;
    for (size_t k = 0; k < s->n_clauses; k++) {
        if (s->clause_sum[k] > 0) {
            rc = fn(payload, "LEX_CLAUSE_POS", 14);
            last = 1;
        } else if (s->clause_sum[k] < 0) {
            rc = fn(payload, "LEX_CLAUSE_NEG", 14);
            last = -1;
        }
        if (rc < 0) return rc;
    }
    /* the last clause with a polarity: what follows "but" usually decides */
    if (last > 0) rc = fn(payload, "LEX_LAST_POS", 12);
    else if (last < 0) rc = fn(payload, "LEX_LAST_NEG", 12);
    return rc;
}

int vocal__features(const vocal_train_options *o, const vocal_token *t, size_t n,
                    const vocal_sentiment *sent, vocal__unit *units, char *scratch,
                    vocal__feat_fn fn, void *payload)
{
    return vocal__features_ex(o, t, n, sent, units, scratch, fn, NULL, payload);
}

int vocal__features_ex(const vocal_train_options *o, const vocal_token *t, size_t n,
                       const vocal_sentiment *sent, vocal__unit *units, char *scratch,
                       vocal__feat_fn fn, vocal__uni_fn uni, void *payload)
{
    size_t nu = 0;
    unsigned N = o->ngram;
    char *cs = scratch + COMPOSE_MAX(N);
    int rc;
    for (size_t i = 0; i < n; i++) {
        vocal__unit *u = &units[nu];
        if (!vocal__make_unit(u, o, &t[i])) continue;
        nu++;
        if (uni && t[i].kind == VOCAL_KIND_WORD) {
            if (u->neg) rc = uni(payload, i, 1, scratch, vocal__put_unit(scratch, u));
            else rc = uni(payload, i, 0, u->s, u->len);
        } else if (u->neg) {
            rc = fn(payload, scratch, vocal__put_unit(scratch, u));
        } else {
            rc = fn(payload, u->s, u->len);
        }
        if (rc < 0) return rc;
        for (unsigned k = 2; k <= N && k <= nu; k++) {
            const vocal__unit *first = &units[nu - k];
            if (first->sentence != u->sentence) break;
            size_t len = 0;
            for (size_t j = nu - k; j < nu; j++) {
                if (j > nu - k) scratch[len++] = ' ';
                len += vocal__put_unit(scratch + len, &units[j]);
            }
            rc = fn(payload, scratch, len);
            if (rc < 0) return rc;
        }
        if (o->char_ngram_max && t[i].kind == VOCAL_KIND_WORD && t[i].norm_len <= VOCAL__MAX_UNIT) {
            rc = char_ngrams(o, &t[i], cs, fn, payload);
            if (rc < 0) return rc;
        }
    }
    if (o->use_lexicon && sent) {
        rc = lexicon_features(sent, fn, payload);
        if (rc < 0) return rc;
    }
    return VOCAL_OK;
}
