/* The rule tagger: patterns compiled for a tokenizer into an index keyed by
 * first word, tagging (README "Patterns", "Polarity and negation"), and the
 * combination with a theme model (docs/themes.md). */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../text/text_int.h"
#include "themes_int.h"

/* MARK: constants (docs/themes.md §confidence, §polarity) */

/* A clause whose lexicon sum is within ±POL_EPS is neutral: the scorer's
 * weakest words have valence 0.5 or more, so this only absorbs rounding and
 * damped far negations. */
#define POL_EPS 0.25
/* A clause sum opposite to a theme's lean overrides it only beyond this
 * (about one plain opinion word; see rule_polarity). */
#define POL_OPPOSE 1.0
/* |clause sum| at which a hit counts as fully polar for ranking (about one
 * strong word, "rude" = -2.3, boosted). */
#define POL_FULL 3.0
/* Weight of one piece of evidence in the rule confidence 1 - prod(1 - w):
 * a match of one word 0.70, each further word of the pattern +0.05 (to
 * 0.90); a cue confirmed by a context word 0.50. */
#define W_MATCH 0.70
#define W_MATCH_WORD 0.05
#define W_MATCH_MAX 0.90
#define W_CUE 0.50
/* Evidence is negated when a negator stands right before it, with at most
 * this many words between ("not rude", "wasn't at all late"); a negator
 * further back ("haven't received my refund") scopes the verb, not the theme. */
#define NEG_GAP 1
/* Prefix patterns are indexed by their first PREFIX_KEY bytes. */
#define PREFIX_KEY 3

/* MARK: compiled patterns */

enum { EL_STEM = 0, EL_PREFIX = 1, EL_EXACT = 2, EL_ANY = 3, EL_GAP = 4 };

typedef struct element {
    uint32_t type;
    uint32_t off, len; /* the word in the tagger's arena */
    uint64_t h;        /* key_hash of its index key (first_key), 0 for ? and ... */
} element;

/* A text's index keys set bits in a TEXT_BITS-bit set (bit = the key hash's
 * top bits); a pattern lists the bits of up to PAT_REQ of its later word
 * elements, and is tried only where all are set. Most patterns under a
 * common first word ("the ...", "i ... wait") need a word the text lacks. */
#define TEXT_BITS 2048
#define TEXT_BIT(h) ((uint32_t)((h) >> 53))
#define PAT_REQ 4

typedef struct pattern {
    uint32_t rule;
    uint32_t el0, nel;
    uint32_t nwords;   /* word elements, for the confidence weight */
    int32_t next;      /* next pattern under the same index key, -1 = none (while compiling) */
} pattern;

/* The patterns under one key, contiguous (built from the next chains once
 * all are compiled): the filter bits inline, so patterns the text rules out
 * cost no visit to their pattern. Sorted by their first bit, then file
 * order, so a run sharing a first bit the text lacks is skipped at once
 * (a common word heads hundreds of patterns); try_key puts the matches
 * back in file order. */
typedef struct pentry {
    uint16_t req[PAT_REQ]; /* text-set bits its later word elements need; bit 0 (always set) pads */
    uint32_t pat;
    uint32_t skip;         /* the first entry after the run sharing req[0] */
    uint32_t el0, nel;     /* the pattern's elements, so trying it needs no visit to the pattern */
} pentry;

/* A cheap filter before the index: bit FILTER_BIT(h) is set for every key,
 * so most words (no pattern starts with them) never touch the table. */
#define FILTER_BITS 65536
#define FILTER_BIT(h) ((uint32_t)((h) >> 32) & (FILTER_BITS - 1))

typedef struct islot {
    uint64_t h;        /* 0 = empty */
    uint32_t off, len; /* the key in the arena */
    int32_t head;      /* first pattern of the chain (while compiling) */
    uint32_t first, count; /* its pentry range */
} islot;

struct vocal_tagger {
    const vocal_taxonomy *tx;
    vocal__buf arena;
    element *el;
    size_t nel, elcap;
    pattern *pat;
    size_t npat, patcap;
    islot *tab;
    size_t tabcap, ntab;
    pentry *pent;      /* npat, grouped by key */
    uint64_t filter[FILTER_BITS / 64];
};

void vocal_tagger_free(vocal_tagger *tg)
{
    if (!tg) return;
    vocal__buf_free(&tg->arena);
    vocal__free(tg->el);
    vocal__free(tg->pat);
    vocal__free(tg->tab);
    vocal__free(tg->pent);
    vocal__free(tg);
}

const vocal_taxonomy *vocal_tagger_taxonomy(const vocal_tagger *tg)
{
    return tg->tx;
}

static uint64_t key_hash(const char *k, size_t n)
{
    uint64_t h = vocal__hash(k, n);
    return h ? h : 1;
}

static int filter_has(const vocal_tagger *tg, uint64_t h)
{
    return tg->tabcap && (tg->filter[FILTER_BIT(h) / 64] >> (FILTER_BIT(h) % 64) & 1);
}

static islot *index_find_h(const vocal_tagger *tg, uint64_t h, const char *k, size_t n)
{
    if (!filter_has(tg, h)) return NULL;
    size_t j = (size_t)h & (tg->tabcap - 1);
    while (tg->tab[j].h) {
        islot *s = &tg->tab[j];
        if (s->h == h && s->len == n && !memcmp(tg->arena.p + s->off, k, n)) return s;
        j = (j + 1) & (tg->tabcap - 1);
    }
    return NULL;
}

static islot *index_find(const vocal_tagger *tg, const char *k, size_t n)
{
    return index_find_h(tg, key_hash(k, n), k, n);
}

static int index_grow(vocal_tagger *tg)
{
    size_t cap = tg->tabcap ? tg->tabcap * 2 : 1024;
    islot *t = (islot *)vocal__calloc(cap, sizeof *t);
    if (!t) return VOCAL_ENOMEM;
    for (size_t i = 0; i < tg->tabcap; i++) {
        if (!tg->tab[i].h) continue;
        size_t j = (size_t)tg->tab[i].h & (cap - 1);
        while (t[j].h) j = (j + 1) & (cap - 1);
        t[j] = tg->tab[i];
    }
    vocal__free(tg->tab);
    tg->tab = t;
    tg->tabcap = cap;
    return VOCAL_OK;
}

static int index_add(vocal_tagger *tg, const char *k, size_t n, int32_t pat)
{
    islot *s = index_find(tg, k, n);
    if (!s) {
        if ((tg->ntab + 1) * 2 > tg->tabcap && index_grow(tg) < 0) return VOCAL_ENOMEM;
        uint64_t h = key_hash(k, n);
        size_t j = (size_t)h & (tg->tabcap - 1);
        while (tg->tab[j].h) j = (j + 1) & (tg->tabcap - 1);
        s = &tg->tab[j];
        size_t off = tg->arena.len;
        if (vocal__buf_put(&tg->arena, k, n) < 0) return VOCAL_ENOMEM;
        s->h = h;
        s->off = (uint32_t)off;
        s->len = (uint32_t)n;
        tg->filter[FILTER_BIT(h) / 64] |= (uint64_t)1 << (FILTER_BIT(h) % 64);
        s->head = -1;
        tg->ntab++;
    }
    /* patterns keep file order under a key: append at the tail */
    tg->pat[pat].next = -1;
    if (s->head < 0) {
        s->head = pat;
    } else {
        int32_t q = s->head;
        while (tg->pat[q].next >= 0) q = tg->pat[q].next;
        tg->pat[q].next = pat;
    }
    return VOCAL_OK;
}

static int add_element(vocal_tagger *tg, uint32_t type, const char *w, size_t n)
{
    if (tg->nel == tg->elcap) {
        size_t nc = tg->elcap ? tg->elcap * 2 : 1024;
        element *p = (element *)vocal__realloc(tg->el, nc * sizeof *p);
        if (!p) return VOCAL_ENOMEM;
        tg->el = p;
        tg->elcap = nc;
    }
    element *e = &tg->el[tg->nel];
    e->type = type;
    e->off = (uint32_t)tg->arena.len;
    e->len = (uint32_t)n;
    if (vocal__buf_put(&tg->arena, w, n) < 0) return VOCAL_ENOMEM;
    tg->nel++;
    return VOCAL_OK;
}

static int is_wordlike(const vocal_token *t)
{
    return t->kind == VOCAL_KIND_WORD || t->kind == VOCAL_KIND_NUMBER || t->kind == VOCAL_KIND_EMOJI;
}

/* Normalize a pattern word as the tokenizer normalizes tokens. */
static int norm_word(vocal__buf *b, const char *s, size_t n)
{
    size_t need;
    b->len = 0;
    if (vocal__buf_reserve(b, n * 4 + 16) < 0) return VOCAL_ENOMEM;
    int rc = vocal_text_normalize(b->p, b->cap, &need, s, n, NULL);
    if (rc == VOCAL_EBUFS) {
        if (vocal__buf_reserve(b, need + 1) < 0) return VOCAL_ENOMEM;
        rc = vocal_text_normalize(b->p, b->cap, &need, s, n, NULL);
    }
    if (rc < 0) return rc;
    b->len = need;
    return VOCAL_OK;
}

/* Compile one rule's pattern into elements; *words counts word elements. */
static int compile_rule(vocal_tagger *tg, vocal_workspace *ws, const vocal__rule *r, vocal__buf *tmp,
                        uint32_t *words, vocal_error *err)
{
    const vocal_taxonomy *tx = tg->tx;
    const char *s = vocal__tx_str(tx, r->pat_off);
    size_t n = strlen(s), first_el = tg->nel;
    *words = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
        if (i >= n) break;
        size_t j = i;
        while (j < n && s[j] != ' ' && s[j] != '\t') j++;
        const char *w = s + i;
        size_t wl = j - i;
        int rc = VOCAL_OK;
        if (wl == 1 && w[0] == '?') {
            rc = add_element(tg, EL_ANY, "", 0);
        } else if (wl == 3 && !memcmp(w, "...", 3)) {
            rc = add_element(tg, EL_GAP, "", 0);
        } else if (w[0] == '=' || w[wl - 1] == '*') {
            int exact = w[0] == '=';
            rc = norm_word(tmp, exact ? w + 1 : w, wl - 1);
            if (rc == VOCAL_OK && tmp->len == 0) rc = VOCAL_EINPUT;
            if (rc == VOCAL_OK) rc = add_element(tg, exact ? EL_EXACT : EL_PREFIX, tmp->p, tmp->len);
            (*words)++;
        } else {
            /* tokenized exactly as a text would be: "wi-fi", an emoji, "40" */
            const vocal_token *t;
            int nt = vocal_text_tokenize(&t, NULL, ws, w, wl, err);
            if (nt < 0) return nt;
            /* punctuation alone ("&", "-") adds nothing: texts' punctuation is
             * skipped when matching, so "food & drink" is "food drink" */
            for (int k = 0; k < nt && rc == VOCAL_OK; k++) {
                if (!is_wordlike(&t[k])) continue;
                rc = add_element(tg, EL_STEM, t[k].stem, t[k].stem_len);
                (*words)++;
            }
        }
        if (rc == VOCAL_EINPUT)
            return vocal__err(err, VOCAL_EINPUT, tx->files[r->file], r->line, UINT64_MAX,
                              "pattern word '%.*s' holds no word", (int)(wl > 60 ? 60 : wl), w);
        if (rc < 0) return vocal__err_oom(err);
        i = j;
    }
    /* a pattern must start with a word: one made only of punctuation, or whose
     * first word was punctuation before a ? or ..., cannot be indexed */
    if (!*words || tg->nel == first_el || tg->el[first_el].type == EL_ANY || tg->el[first_el].type == EL_GAP ||
        tg->el[tg->nel - 1].type == EL_GAP)
        return vocal__err(err, VOCAL_EINPUT, tx->files[r->file], r->line, UINT64_MAX,
                          "pattern '%.60s' needs a word (not only punctuation) first and last", s);
    return VOCAL_OK;
}

/* The index key of a pattern's first element. */
static size_t first_key(const vocal_tagger *tg, const element *e, char *key, size_t cap)
{
    size_t n = e->len;
    if (e->type == EL_PREFIX && n > PREFIX_KEY) n = PREFIX_KEY;
    if (n + 1 > cap) n = cap - 1;
    key[0] = e->type == EL_STEM ? 's' : e->type == EL_EXACT ? 'e' : 'p';
    memcpy(key + 1, tg->arena.p + e->off, n);
    return n + 1;
}

static int cmp_pentry(const void *a, const void *b)
{
    const pentry *x = (const pentry *)a, *y = (const pentry *)b;
    if (x->req[0] != y->req[0]) return x->req[0] < y->req[0] ? -1 : 1;
    return x->pat < y->pat ? -1 : x->pat > y->pat;
}

/* Lay each key's chain out as a pentry range, in runs by first bit. */
static int index_finish(vocal_tagger *tg)
{
    tg->pent = (pentry *)vocal__malloc((tg->npat ? tg->npat : 1) * sizeof *tg->pent);
    if (!tg->pent) return VOCAL_ENOMEM;
    uint32_t n = 0;
    for (size_t i = 0; i < tg->tabcap; i++) {
        islot *s = &tg->tab[i];
        if (!s->h) continue;
        s->first = n;
        for (int32_t q = s->head; q >= 0; q = tg->pat[q].next) {
            const pattern *p = &tg->pat[q];
            pentry *pe = &tg->pent[n++];
            pe->pat = (uint32_t)q;
            pe->el0 = p->el0;
            pe->nel = p->nel;
            size_t r = 0;
            for (uint32_t e = 1; e < p->nel && r < PAT_REQ; e++) {
                const element *x = &tg->el[p->el0 + e];
                if (x->h) pe->req[r++] = (uint16_t)TEXT_BIT(x->h);
            }
            while (r < PAT_REQ) pe->req[r++] = 0;
        }
        s->count = n - s->first;
        pentry *run = tg->pent + s->first;
        qsort(run, s->count, sizeof *run, cmp_pentry);
        for (uint32_t r = s->count; r-- > 0;)
            run[r].skip = r + 1 < s->count && run[r + 1].req[0] == run[r].req[0] ? run[r + 1].skip : s->first + r + 1;
    }
    return VOCAL_OK;
}

int vocal_tagger_new(vocal_tagger **out, const vocal_taxonomy *tx, const vocal_tokenizer *tk, vocal_error *err)
{
    assert(out && tx && tk);
    *out = NULL;
    if (strcmp(vocal_tokenizer_language(tk), tx->lang) != 0)
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX,
                          "the taxonomy's language is '%s' but the tokenizer's is '%s'", tx->lang,
                          vocal_tokenizer_language(tk));
    vocal_tagger *tg = (vocal_tagger *)vocal__calloc(1, sizeof *tg);
    if (!tg) return vocal__err_oom(err);
    tg->tx = tx;
    vocal_workspace *ws = NULL;
    vocal__buf tmp = {0};
    int rc = vocal_workspace_new(&ws, tk, err);
    if (rc == VOCAL_OK && tx->nru) {
        tg->pat = (pattern *)vocal__malloc(tx->nru * sizeof *tg->pat);
        if (!tg->pat) rc = vocal__err_oom(err);
        tg->patcap = tx->nru;
    }
    for (size_t i = 0; rc == VOCAL_OK && i < tx->nru; i++) {
        pattern *p = &tg->pat[tg->npat];
        p->rule = (uint32_t)i;
        p->el0 = (uint32_t)tg->nel;
        rc = compile_rule(tg, ws, &tx->ru[i], &tmp, &p->nwords, err);
        if (rc < 0) break;
        p->nel = (uint32_t)(tg->nel - p->el0);
        char key[300];
        for (uint32_t e = 0; e < p->nel; e++) {
            element *x = &tg->el[p->el0 + e];
            x->h = 0;
            if (x->type != EL_ANY && x->type != EL_GAP) x->h = key_hash(key, first_key(tg, x, key, sizeof key));
        }
        size_t kl = first_key(tg, &tg->el[p->el0], key, sizeof key);
        if (index_add(tg, key, kl, (int32_t)tg->npat) < 0) rc = vocal__err_oom(err);
        tg->npat++;
    }
    vocal__buf_free(&tmp);
    vocal_workspace_free(ws);
    if (rc == VOCAL_OK && index_finish(tg) < 0) rc = vocal__err_oom(err);
    if (rc < 0) {
        vocal_tagger_free(tg);
        return rc;
    }
    *out = tg;
    return VOCAL_OK;
}

/* MARK: matching */

typedef struct match {
    uint32_t pat;
    uint32_t ws, we; /* word positions [ws, we) */
    uint64_t mask;   /* bit i: position ws + i matched a word of the pattern (not ? or ...) */
} match;

/* Per word position, the hashes of its index keys (0 = no such key). */
enum { KEY_STEM = 0, KEY_EXACT = 1, KEY_PREFIX1 = 2, NKEYS = 2 + PREFIX_KEY };

typedef struct ctx {
    const vocal_tagger *tg;
    const vocal_token *t;
    const uint32_t *wl; /* word-like token indices */
    size_t nwl;
    uint64_t *kh;       /* nwl * NKEYS key hashes */
    uint64_t *bits;     /* TEXT_BITS: the text's keys */
    const uint32_t *wid; /* word ids of t (text_int.h), or NULL */
    uint64_t *memo;     /* per word id: NKEYS key hashes, then 1 once known; or NULL */
    struct hit {        /* nwl * NKEYS: the index slots of the text's keys, in text order */
        const struct islot *s;
        size_t pos;
    } *hits;
} ctx;

/* A word's key hashes depend on the word alone, not on the tagger: one
 * memo owner for all taggers (vocal__serial never hands out 1). */
#define KEY_MEMO_OWNER 1
#define KEY_MEMO_REC (NKEYS + 1)

/* Element x against the word at position pos: the key hashes rule out all
 * but (almost) certain matches, which the bytes confirm. */
static int el_match(const ctx *c, const element *x, size_t pos)
{
    const vocal_token *u = &c->t[c->wl[pos]];
    const uint64_t *kh = c->kh + pos * NKEYS;
    const char *w = c->tg->arena.p + x->off;
    switch (x->type) {
    case EL_STEM: return kh[KEY_STEM] == x->h && u->stem_len == x->len && !memcmp(u->stem, w, x->len);
    case EL_EXACT: return kh[KEY_EXACT] == x->h && u->norm_len == x->len && !memcmp(u->norm, w, x->len);
    case EL_PREFIX:
        return kh[KEY_PREFIX1 + (x->len < PREFIX_KEY ? x->len : PREFIX_KEY) - 1] == x->h && u->norm_len >= x->len &&
               !memcmp(u->norm, w, x->len);
    default: return 1;
    }
}

/* Match elements e.. of pentry p's pattern from word position pos, within
 * sentence sent; the shortest match wins (gaps are tried narrowest first). */
static int match_from(const ctx *c, const pentry *p, uint32_t e, size_t start, size_t pos, uint32_t sent,
                      size_t *end, uint64_t *mask)
{
    if (e == p->nel) {
        *end = pos;
        *mask = 0;
        return 1;
    }
    const element *x = &c->tg->el[p->el0 + e];
    if (x->type == EL_GAP) {
        for (size_t g = 0; g <= VOCAL__PAT_GAP; g++)
            if (pos + g <= c->nwl && match_from(c, p, e + 1, start, pos + g, sent, end, mask)) return 1;
        return 0;
    }
    if (pos >= c->nwl) return 0;
    const vocal_token *u = &c->t[c->wl[pos]];
    if (u->sentence != sent || !el_match(c, x, pos)) return 0;
    if (!match_from(c, p, e + 1, start, pos + 1, sent, end, mask)) return 0;
    if (x->type != EL_ANY && pos - start < 64) *mask |= (uint64_t)1 << (pos - start);
    return 1;
}

/* Try every pattern filed under index slot s at position pos. Returns the new match
 * count, or SIZE_MAX when cap was reached. */
static size_t try_key(const ctx *c, const islot *s, size_t pos, match *m, size_t nm, size_t cap)
{
    uint32_t sent = c->t[c->wl[pos]].sentence;
    const uint64_t *bits = c->bits;
    size_t nm0 = nm;
    /* the entries the text's key set allows, a chunk at a time, their
     * elements prefetched, then matched */
    const pentry *cand[32];
    for (uint32_t i = s->first, last = s->first + s->count; i < last;) {
        size_t nc = 0;
        for (; i < last && nc < 32; i++) {
            const pentry *pe = &c->tg->pent[i];
#define HAS(b) (bits[(b) / 64] >> ((b) % 64) & 1)
            if (!HAS(pe->req[0])) {
                i = pe->skip - 1; /* the whole run needs a word the text lacks */
                continue;
            }
            if (!(HAS(pe->req[1]) & HAS(pe->req[2]) & HAS(pe->req[3]))) continue;
#undef HAS
            VOCAL__PREFETCH(&c->tg->el[pe->el0]);
            cand[nc++] = pe;
        }
        for (size_t k = 0; k < nc; k++) {
            size_t end;
            uint64_t mask;
            if (!match_from(c, cand[k], 0, pos, pos, sent, &end, &mask)) continue;
            if (nm == cap) return SIZE_MAX;
            m[nm].pat = cand[k]->pat;
            m[nm].ws = (uint32_t)pos;
            m[nm].we = (uint32_t)end;
            m[nm].mask = mask;
            nm++;
        }
    }
    /* file order, as the chains had it */
    for (size_t i = nm0 + 1; i < nm; i++)
        for (size_t k = i; k > nm0 && m[k - 1].pat > m[k].pat; k--) {
            match t = m[k];
            m[k] = m[k - 1];
            m[k - 1] = t;
        }
    return nm;
}

/* A position's key k ("s" stem, "e" norm, "p" + 1..PREFIX_KEY bytes of the
 * norm) into key; its length, or 0 when the word has no such key. */
static size_t pos_key(const vocal_token *u, int k, char *key)
{
    if (k == KEY_STEM) {
        if (u->stem_len >= 256) return 0;
        key[0] = 's';
        memcpy(key + 1, u->stem, u->stem_len);
        return u->stem_len + 1;
    }
    if (k == KEY_EXACT) {
        if (u->norm_len >= 256) return 0;
        key[0] = 'e';
        memcpy(key + 1, u->norm, u->norm_len);
        return u->norm_len + 1;
    }
    size_t n = (size_t)(k - KEY_PREFIX1 + 1);
    if (n > u->norm_len) return 0;
    key[0] = 'p';
    memcpy(key + 1, u->norm, n);
    return n + 1;
}

static size_t find_matches(const ctx *c, match *m, size_t cap)
{
    size_t nm = 0;
    char key[260];
    /* pass 1: every key's hash, and the text's key set */
    memset(c->bits, 0, TEXT_BITS / 8);
    c->bits[0] = 1; /* bit 0 pads short pentry lists */
    if (c->memo)
        for (size_t pos = 0; pos < c->nwl; pos++) {
            uint32_t id = c->wid[c->wl[pos]];
            if (id == UINT32_MAX) continue;
            const uint64_t *mm = c->memo + (size_t)id * KEY_MEMO_REC;
            VOCAL__PREFETCH(mm);
            VOCAL__PREFETCH(mm + KEY_MEMO_REC - 1);
        }
    for (size_t pos = 0; pos < c->nwl; pos++) {
        const vocal_token *u = &c->t[c->wl[pos]];
        uint64_t *kh = c->kh + pos * NKEYS;
        uint32_t id = c->memo ? c->wid[c->wl[pos]] : UINT32_MAX;
        uint64_t *mm = id != UINT32_MAX ? c->memo + (size_t)id * KEY_MEMO_REC : NULL;
        if (mm && mm[NKEYS]) {
            memcpy(kh, mm, NKEYS * sizeof *kh);
        } else {
            for (int k = 0; k < NKEYS; k++) {
                size_t kl = pos_key(u, k, key);
                kh[k] = kl ? key_hash(key, kl) : 0;
            }
            if (mm) {
                memcpy(mm, kh, NKEYS * sizeof *kh);
                mm[NKEYS] = 1;
            }
        }
        for (int k = 0; k < NKEYS; k++)
            if (kh[k]) c->bits[TEXT_BIT(kh[k]) / 64] |= (uint64_t)1 << (TEXT_BIT(kh[k]) % 64);
    }
    /* pass 2: the index slots of the keys, their pattern lists prefetched */
    size_t nh = 0;
    for (size_t pos = 0; pos < c->nwl; pos++) {
        const vocal_token *u = &c->t[c->wl[pos]];
        for (int k = 0; k < NKEYS; k++) {
            uint64_t h = c->kh[pos * NKEYS + (size_t)k];
            if (!h || !filter_has(c->tg, h)) continue; /* the key's bytes only for a likely hit */
            size_t kl = pos_key(u, k, key);
            const islot *s = index_find_h(c->tg, h, key, kl);
            if (!s) continue;
            VOCAL__PREFETCH(&c->tg->pent[s->first]);
            c->hits[nh].s = s;
            c->hits[nh++].pos = pos;
        }
    }
    /* pass 3: the patterns under each */
    for (size_t i = 0; i < nh; i++)
        if ((nm = try_key(c, c->hits[i].s, c->hits[i].pos, m, nm, cap)) == SIZE_MAX) return SIZE_MAX;
    return nm;
}

/* MARK: evidence */

#define EV_NEGRULE (1u << 8) /* internal: moved to the parent by the negation rule */

typedef struct ev {
    uint32_t source, target; /* taxonomy themes */
    uint32_t ws, we;
    uint32_t flags;          /* VOCAL_EVID_* | EV_NEGRULE */
    uint32_t rule;
    double w;
} ev;

static int is_ancestor(const vocal_taxonomy *tx, size_t a, size_t t)
{
    for (size_t p = tx->th[t].parent; p != VOCAL_NO_THEME; p = tx->th[p].parent)
        if (p == a) return 1;
    return 0;
}

/* Negated: a word of the pattern lies in a negation scope whose negator
 * stands at most NEG_GAP words before it and is not itself a word of the
 * pattern ("not rude", "staff weren't very friendly" for "staff ...
 * friendly"; but "didn't work" for the pattern "didn't work" is not). */
static int evidence_negated(const ctx *c, const match *m)
{
#define IN_PATTERN(q) ((q) >= m->ws && (q) - m->ws < 64 && ((m->mask >> ((q) - m->ws)) & 1))
    for (size_t p = m->ws; p < m->we; p++) {
        if (!IN_PATTERN(p) || !(c->t[c->wl[p]].flags & VOCAL_TOK_NEGATED)) continue;
        size_t words = 0;
        for (size_t q = p; q > 0;) {
            q--;
            if (c->t[c->wl[q]].flags & VOCAL_TOK_NEGATOR) {
                if (words <= NEG_GAP && !IN_PATTERN(q)) return 1;
                break;
            }
            if (++words > NEG_GAP) break;
        }
    }
    return 0;
#undef IN_PATTERN
}

static int cmp_source(const void *a, const void *b)
{
    const ev *x = (const ev *)a, *y = (const ev *)b;
    if (x->source != y->source) return x->source < y->source ? -1 : 1;
    if (x->ws != y->ws) return x->ws < y->ws ? -1 : 1;
    if (x->we != y->we) return x->we > y->we ? -1 : 1; /* longer first */
    return x->rule < y->rule ? -1 : x->rule > y->rule;
}

static int cmp_target(const void *a, const void *b)
{
    const ev *x = (const ev *)a, *y = (const ev *)b;
    if (x->target != y->target) return x->target < y->target ? -1 : 1;
    if (x->ws != y->ws) return x->ws < y->ws ? -1 : 1;
    return x->source < y->source ? -1 : x->source > y->source;
}

/* Turn matches into evidence: cues need a context word of their theme or an
 * ancestor in the same sentence; an exclude of the theme overlapping in the
 * same sentence drops it. Matches come in text order, so the context and
 * exclude matches (aux, usually few) of a match's sentence are found with a
 * pointer that only moves forward: linear in the matches, not quadratic.
 * Returns the evidence count. */
static size_t gather_evidence(const ctx *c, const match *m, size_t nm, ev *out, uint32_t *aux)
{
    const vocal_taxonomy *tx = c->tg->tx;
    size_t na = 0;
    for (size_t i = 0; i < nm; i++) {
        uint32_t kind = tx->ru[c->tg->pat[m[i].pat].rule].kind;
        if (kind == RULE_CONTEXT || kind == RULE_EXCLUDE) aux[na++] = (uint32_t)i;
    }
    size_t ne = 0, lo = 0;
#define SENT_OF(k) (c->t[c->wl[m[k].ws]].sentence)
    for (size_t i = 0; i < nm; i++) {
        const pattern *p = &c->tg->pat[m[i].pat];
        const vocal__rule *r = &tx->ru[p->rule];
        if (r->kind != RULE_MATCH && r->kind != RULE_CUE) continue;
        uint32_t sent = SENT_OF(i);
        while (lo < na && SENT_OF(aux[lo]) < sent) lo++;
        int ok = r->kind != RULE_CUE, excluded = 0;
        for (size_t a = lo; a < na && SENT_OF(aux[a]) == sent && !excluded; a++) {
            const match *x = &m[aux[a]];
            const vocal__rule *q = &tx->ru[c->tg->pat[x->pat].rule];
            if (q->kind == RULE_CONTEXT)
                ok |= q->theme == r->theme || is_ancestor(tx, q->theme, r->theme);
            else
                excluded = q->theme == r->theme && x->ws < m[i].we && m[i].ws < x->we;
        }
        if (!ok || excluded) continue;
        ev *e = &out[ne++];
        e->source = e->target = r->theme;
        e->ws = m[i].ws;
        e->we = m[i].we;
        e->rule = p->rule;
        e->flags = (r->kind == RULE_CUE ? VOCAL_EVID_CUE : 0) | (evidence_negated(c, &m[i]) ? VOCAL_EVID_NEGATED : 0);
        double w = W_MATCH + W_MATCH_WORD * (p->nwords > 1 ? p->nwords - 1 : 0);
        e->w = r->kind == RULE_CUE ? W_CUE : w > W_MATCH_MAX ? W_MATCH_MAX : w;
    }
#undef SENT_OF
    return ne;
}

/* Drop evidence inside other evidence of the same theme ("late" within
 * "arrived late"), then apply the negation rule per theme. */
static size_t resolve_evidence(const ctx *c, ev *e, size_t ne)
{
    const vocal_taxonomy *tx = c->tg->tx;
    if (!ne) return 0;
    qsort(e, ne, sizeof *e, cmp_source);
    size_t w = 0;
    for (size_t i = 0; i < ne; i++) {
        if (w && e[w - 1].source == e[i].source && e[i].we <= e[w - 1].we) {
            e[w - 1].w = e[i].w > e[w - 1].w ? e[i].w : e[w - 1].w;
            continue;
        }
        e[w++] = e[i];
    }
    for (size_t i = 0; i < w;) {
        size_t j = i;
        int all_neg = 1;
        while (j < w && e[j].source == e[i].source) all_neg &= (e[j++].flags & VOCAL_EVID_NEGATED) != 0;
        const vocal__theme *th = &tx->th[e[i].source];
        if (all_neg && th->lean) {
            for (size_t k = i; k < j; k++) {
                e[k].flags |= EV_NEGRULE;
                if (th->parent != VOCAL_NO_THEME) e[k].target = (uint32_t)th->parent;
            }
        }
        i = j;
    }
    return w;
}

/* MARK: hits */

typedef struct outbuf {
    vocal_theme_hit *hits;
    size_t nh;
    vocal_theme_evidence *evid;
    size_t nev;
    size_t *roots;
} outbuf;

static int sign_of(double s, int lean)
{
    return s > POL_EPS ? 1 : s < -POL_EPS ? -1 : lean;
}

static double clause_sum(const vocal_sentiment *sent, uint32_t clause)
{
    return clause < sent->n_clauses ? sent->clause_sum[clause] : 0.0;
}

/* Polarity of a rule hit from s, the sum of its (non-negated) evidence
 * clauses (docs/themes.md §polarity):
 * - a theme with a lean keeps it unless its clauses clearly say the opposite
 *   (|s| > POL_OPPOSE): a weakly opposite clause is mostly another word's
 *   doing ("never replied and I'm still waiting": the negated "waiting");
 * - a theme without a lean whose clauses are neutral takes the polarity of
 *   its whole sentence ("Terrible app, can't even find my orders").
 * On a split of the SemEval-2014 restaurant train file, polarity on detected
 * categories went from 69.7% (the clauses alone) to 74.1%; the labelled
 * sentences (tests/data/themes/sentences.tsv) all still pass. */
static int rule_polarity(const ctx *c, const vocal_sentiment *sent, const ev *e, size_t n, double s, int lean)
{
    if (lean) return s * lean < -POL_OPPOSE ? -lean : lean;
    if (fabs(s) > POL_EPS) return s > 0 ? 1 : -1;
    size_t k = SIZE_MAX;
    for (size_t i = 0; i < n && k == SIZE_MAX; i++)
        if (!(e[i].flags & EV_NEGRULE)) k = c->wl[e[i].ws];
    if (k == SIZE_MAX) return 0;
    uint32_t snt = c->t[k].sentence, last = UINT32_MAX;
    size_t lo = k, hi = k + 1;
    while (lo > 0 && c->t[lo - 1].sentence == snt) lo--;
    while (hi < sent->n_tokens && c->t[hi].sentence == snt) hi++;
    double ss = 0;
    for (size_t j = lo; j < hi; j++)
        if (c->t[j].clause != last) {
            last = c->t[j].clause;
            ss += clause_sum(sent, last);
        }
    return sign_of(ss, 0);
}

/* One hit per target theme from its evidence e[0..n). */
static void make_rule_hit(outbuf *o, const ctx *c, const vocal_sentiment *sent, const ev *e, size_t n)
{
    const vocal_taxonomy *tx = c->tg->tx;
    const vocal__theme *th = &tx->th[e[0].target];
    vocal_theme_hit *h = &o->hits[o->nh++];
    memset(h, 0, sizeof *h);
    h->theme = e[0].target;
    h->id = tx->arena.p + th->id_off;
    h->parent = th->parent == VOCAL_NO_THEME ? "" : tx->arena.p + tx->th[th->parent].id_off;
    h->label = tx->arena.p + th->label_off;
    h->evidence = &o->evid[o->nev];
    h->model_prob = -1;
    h->source = VOCAL_THEME_RULES;
    double keep = 1, s = 0;
    int direct = 0, neg_lean = 0;
    uint32_t last_clause = UINT32_MAX;
    for (size_t i = 0; i < n; i++) {
        const vocal_token *a = &c->t[c->wl[e[i].ws]], *b = &c->t[c->wl[e[i].we - 1]];
        vocal_theme_evidence *v = &o->evid[o->nev++];
        v->start = a->start;
        v->end = b->end;
        v->sentence = a->sentence;
        v->clause = a->clause;
        v->flags = e[i].flags & (VOCAL_EVID_CUE | VOCAL_EVID_NEGATED);
        v->clause_sum = clause_sum(sent, a->clause);
        v->pattern = vocal__tx_str(tx, tx->ru[e[i].rule].pat_off);
        keep *= 1 - e[i].w;
        if (e[i].flags & EV_NEGRULE) {
            neg_lean = -tx->th[e[i].source].lean;
            h->negation_rule = 1;
        } else {
            direct = 1;
            /* each clause counts once, however much evidence it holds (e is by position) */
            if (a->clause != last_clause) s += v->clause_sum;
            last_clause = a->clause;
        }
    }
    h->n_evidence = n;
    h->rule_confidence = h->confidence = 1 - keep;
    h->polarity_score = s;
    h->polarity = direct ? rule_polarity(c, sent, e, n, s, th->lean) : neg_lean;
    if (direct) h->negation_rule = 0;
}

/* Evidence of a model-only hit: the (at most) two words whose unigram
 * weights speak most for model theme j, in text order. Returns the sum of
 * their distinct clauses' lexicon sums. */
static double model_evidence(outbuf *o, vocal_theme_hit *h, const ctx *c, const vocal_sentiment *sent,
                             const vocal_theme_model *m, size_t j)
{
    size_t best[2] = {SIZE_MAX, SIZE_MAX};
    double bw[2] = {0, 0};
    for (size_t i = 0; i < c->nwl; i++) {
        double w = vocal__tm_token_weight(m, &c->t[c->wl[i]], j);
        if (w > bw[0]) {
            best[1] = best[0], bw[1] = bw[0];
            best[0] = i, bw[0] = w;
        } else if (w > bw[1]) {
            best[1] = i, bw[1] = w;
        }
    }
    if (best[1] != SIZE_MAX && best[1] < best[0]) {
        size_t t = best[0];
        best[0] = best[1];
        best[1] = t;
    }
    vocal_theme_evidence *v0 = &o->evid[o->nev];
    h->evidence = v0;
    double s = 0;
    for (int b = 0; b < 2; b++) {
        if (best[b] == SIZE_MAX) continue;
        const vocal_token *u = &c->t[c->wl[best[b]]];
        vocal_theme_evidence *v = &o->evid[o->nev++];
        v->start = u->start;
        v->end = u->end;
        v->sentence = u->sentence;
        v->clause = u->clause;
        v->flags = VOCAL_EVID_MODEL | (u->flags & VOCAL_TOK_NEGATED ? VOCAL_EVID_NEGATED : 0);
        v->clause_sum = clause_sum(sent, u->clause);
        v->pattern = "";
        if (!(v != v0 && v0->clause == v->clause)) s += v->clause_sum;
        h->n_evidence++;
    }
    return s;
}

/* A new hit for model theme j, which no rule found. */
static void model_only_hit(outbuf *o, const ctx *c, const vocal_sentiment *sent, const vocal_theme_model *m,
                           const vocal__tm_scores *sc, size_t j)
{
    const vocal_taxonomy *tx = c->tg ? c->tg->tx : NULL;
    const char *id = vocal__tm_theme(m, j);
    vocal_theme_hit *h = &o->hits[o->nh++];
    memset(h, 0, sizeof *h);
    size_t k = tx ? vocal_taxonomy_find(tx, id, strlen(id)) : VOCAL_NO_THEME;
    h->theme = k;
    if (k != VOCAL_NO_THEME) {
        const vocal__theme *th = &tx->th[k];
        h->id = tx->arena.p + th->id_off;
        h->parent = th->parent == VOCAL_NO_THEME ? "" : tx->arena.p + tx->th[th->parent].id_off;
        h->label = tx->arena.p + th->label_off;
    } else {
        /* a theme only the model knows: its id is also its label */
        h->id = id;
        h->parent = "";
        h->label = id;
    }
    h->source = VOCAL_THEME_MODEL;
    h->model_prob = h->confidence = vocal__tm_prob(sc, j);
    h->model_score = sc->logodds[j];
    double s = model_evidence(o, h, c, sent, m, j);
    /* as for "both": the clauses of the evidence decide when they lean; a
     * neutral clause takes the model's trained polarity (on a split of the
     * SemEval-2014 restaurant train file: 68.9% against 66.8% for the model's
     * polarity alone and 65.5% for the clauses alone), else the text's */
    int lean = k != VOCAL_NO_THEME ? tx->th[k].lean : 0;
    if (sc->pol[j] != 2 && fabs(s) <= POL_EPS) {
        h->polarity = sc->pol[j];
        h->polarity_score = sc->pol_score[j];
    } else {
        if (fabs(s) <= POL_EPS) s = sent->compound * POL_FULL;
        h->polarity = sign_of(s, lean);
        h->polarity_score = s;
    }
}

/* Combine the model's verdicts with the rule hits (docs/themes.md §models):
 * a theme is reported when rules fire or the model's probability reaches the
 * threshold; both: confidence 1 - (1 - rules)(1 - model), source "both". */
static void add_model_hits(outbuf *o, const ctx *c, const vocal_sentiment *sent, const vocal_theme_model *m,
                           const vocal__tm_scores *sc, double thr)
{
    /* the rules' hits first, each looked up in the model by id */
    size_t nrule = o->nh;
    for (size_t i = 0; i < nrule; i++) {
        vocal_theme_hit *h = &o->hits[i];
        size_t j = vocal__tm_find(m, h->id);
        if (j == SIZE_MAX) continue;
        double p = vocal__tm_prob(sc, j);
        h->model_prob = p;
        h->model_score = sc->logodds[j];
        if (p < thr) continue;
        h->source = VOCAL_THEME_BOTH;
        h->confidence = 1 - (1 - h->rule_confidence) * (1 - p);
        if (fabs(h->polarity_score) <= POL_EPS && sc->pol[j] != 2 && !h->negation_rule) h->polarity = sc->pol[j];
    }
    /* then the model's other themes at or over the threshold, in model order */
    for (size_t r = 0; r < sc->nreach; r++) {
        size_t j = sc->reach[r];
        const char *id = vocal__tm_theme(m, j);
        size_t i = 0;
        while (i < nrule && strcmp(o->hits[i].id, id) != 0) i++;
        if (i == nrule) model_only_hit(o, c, sent, m, sc, j);
    }
}

/* 1 if id b is a descendant of id a ("delivery" of "delivery.late"). */
static int id_descends(const char *a, const char *b)
{
    size_t la = strlen(a);
    return strlen(b) > la && !memcmp(a, b, la) && b[la] == '.';
}

static int cmp_hit(const void *a, const void *b)
{
    const vocal_theme_hit *x = (const vocal_theme_hit *)a, *y = (const vocal_theme_hit *)b;
    if (x->strength != y->strength) return x->strength > y->strength ? -1 : 1;
    if (x->model_score != y->model_score) return x->model_score > y->model_score ? -1 : 1;
    uint64_t xs = x->n_evidence ? x->evidence[0].start : UINT64_MAX;
    uint64_t ys = y->n_evidence ? y->evidence[0].start : UINT64_MAX;
    if (xs != ys) return xs < ys ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* Drop implied parents and weak hits, rank, and list the root causes. */
static void finish_hits(outbuf *o, const vocal_tag_options *opts, vocal_themes *out)
{
    size_t w = 0;
    for (size_t i = 0; i < o->nh; i++) {
        vocal_theme_hit *h = &o->hits[i];
        int implied = 0;
        for (size_t k = 0; !opts->keep_parents && k < o->nh && !implied; k++)
            implied = k != i && id_descends(h->id, o->hits[k].id);
        if (implied || h->confidence < opts->min_confidence) continue;
        /* rules: surer and more polar evidence first; the model alone: its probability */
        double pol = fabs(h->polarity_score) / POL_FULL;
        h->strength = h->source == VOCAL_THEME_MODEL ? h->confidence
                                                     : h->confidence * (0.5 + 0.5 * (pol > 1 ? 1 : pol));
        o->hits[w++] = *h;
    }
    o->nh = w;
    qsort(o->hits, o->nh, sizeof *o->hits, cmp_hit);
    size_t nr = 0;
    for (size_t i = 0; i < o->nh; i++)
        if (o->hits[i].polarity < 0) o->roots[nr++] = i;
    out->hits = o->hits;
    out->n_hits = o->nh;
    out->root_causes = o->roots;
    out->n_root_causes = nr;
}

/* MARK: tagging */

#define ALIGN8(x) (((x) + 7) & ~(size_t)7)

int vocal_themes_tag(vocal_themes *out, vocal_workspace *ws, const vocal_tagger *tg, const vocal_theme_model *model,
                     const vocal_sentiment *sent, const vocal_tag_options *opts, vocal_error *err)
{
    assert(out && ws && sent);
    memset(out, 0, sizeof *out);
    vocal_tag_options def = VOCAL_TAG_OPTIONS_INIT;
    if (!opts) opts = &def;
    if (opts->version < 1 || opts->version > VOCAL_TAG_OPTIONS_VERSION)
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "unsupported tag options version %u", opts->version);
    const vocal_token *t = sent->tokens;
    size_t n = sent->n_tokens;
    /* model scores first: they use their own slots */
    vocal__tm_scores sc;
    memset(&sc, 0, sizeof sc);
    if (model) {
        int rc = vocal__tm_score(&sc, ws, model, sent, opts->model_threshold, err);
        if (rc < 0) return rc;
    }
    /* word positions, matches and evidence in the THEMES slot; matches that
     * overflow the first guess are found again with room for all */
    size_t cap = 4 * n + 16;
    ctx c = {tg, t, NULL, 0, NULL, NULL, NULL, NULL, NULL};
    c.wid = vocal__ws_words(ws, t);
    if (c.wid && tg)
        c.memo = (uint64_t *)vocal__ws_memo(ws, VOCAL__MEMO_TAGGER, KEY_MEMO_OWNER, KEY_MEMO_REC * sizeof(uint64_t));
    match *m = NULL;
    ev *e = NULL;
    uint32_t *aux = NULL;
    size_t nm = 0;
    size_t o_kh = TEXT_BITS / 8, o_hits = o_kh + n * NKEYS * sizeof(uint64_t);
    size_t o_wl = o_hits + n * NKEYS * sizeof(struct hit);
    size_t o_m = o_wl + ALIGN8(n * sizeof(uint32_t) + 4);
    for (;;) {
        size_t bytes = o_m + cap * (sizeof(match) + sizeof(ev) + sizeof(uint32_t));
        char *blk = (char *)vocal__ws_buf(ws, VOCAL__SLOT_THEMES, bytes);
        if (!blk) return vocal__err_oom(err);
        c.bits = (uint64_t *)(void *)blk;
        c.kh = (uint64_t *)(void *)(blk + o_kh);
        c.hits = (struct hit *)(void *)(blk + o_hits);
        uint32_t *wl = (uint32_t *)(void *)(blk + o_wl);
        m = (match *)(void *)(blk + o_m);
        e = (ev *)(void *)((char *)m + cap * sizeof(match));
        aux = (uint32_t *)(void *)((char *)e + cap * sizeof(ev));
        c.wl = wl;
        c.nwl = 0;
        for (size_t i = 0; i < n; i++)
            if (is_wordlike(&t[i])) wl[c.nwl++] = (uint32_t)i;
        if (!tg) break;
        nm = find_matches(&c, m, cap);
        if (nm != SIZE_MAX) break;
        cap *= 4;
    }
    size_t ne = tg ? resolve_evidence(&c, e, gather_evidence(&c, m, nm, e, aux)) : 0;
    size_t ntm = sc.nt;
    size_t max_hits = ne + ntm + 1, max_ev = ne + 2 * ntm + 1;
    size_t o_ev = ALIGN8(max_hits * sizeof(vocal_theme_hit));
    size_t o_roots = o_ev + ALIGN8(max_ev * sizeof(vocal_theme_evidence));
    char *ob = (char *)vocal__ws_buf(ws, VOCAL__SLOT_SPARE2, o_roots + max_hits * sizeof(size_t));
    if (!ob) return vocal__err_oom(err);
    outbuf o = {(vocal_theme_hit *)(void *)ob, 0, (vocal_theme_evidence *)(void *)(ob + o_ev), 0,
                (size_t *)(void *)(ob + o_roots)};
    if (ne) {
        qsort(e, ne, sizeof *e, cmp_target);
        for (size_t i = 0; i < ne;) {
            size_t j = i;
            while (j < ne && e[j].target == e[i].target) j++;
            make_rule_hit(&o, &c, sent, e + i, j - i);
            i = j;
        }
    }
    if (model) add_model_hits(&o, &c, sent, model, &sc, opts->model_threshold);
    finish_hits(&o, opts, out);
    return VOCAL_OK;
}

int vocal_themes_tag_text(vocal_themes *out, vocal_sentiment *sent, vocal_workspace *ws, const vocal_tagger *tg,
                          const vocal_theme_model *model, const vocal_lexicon *lex, const char *text, size_t len,
                          const vocal_tag_options *opts, vocal_error *err)
{
    assert(out && ws && lex);
    vocal_sentiment local;
    if (!sent) sent = &local;
    memset(out, 0, sizeof *out);
    int rc = vocal_lexicon_score(sent, ws, lex, text, len, err);
    if (rc < 0) return rc;
    return vocal_themes_tag(out, ws, tg, model, sent, opts, err);
}

const char *vocal_theme_source_name(int source)
{
    return source == VOCAL_THEME_BOTH ? "both" : source == VOCAL_THEME_MODEL ? "model" : "rules";
}
