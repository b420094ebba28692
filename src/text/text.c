/* The text module: see include/vocal/text.h and docs/tokenizer.md.
 *
 * One left-to-right pass over the bytes recognises tokens in a fixed order of
 * precedence (URL, e-mail, mention, hashtag, emoticon, keycap, number, emoji,
 * word, punctuation, symbol); a second pass over the tokens marks sentence and
 * clause ends and negation scope. Plain ASCII takes a fast path that never
 * calls utf8proc. */
#include "vocal/text.h"

#include <assert.h>
#include <stdio.h>
#include <libstemmer.h>
#include <string.h>
#include <utf8proc.h>

#include "../util/util_int.h"
#include "text_int.h"

/* MARK: word sets */

/* A small open-addressing set of NUL-terminated words, keyed by FNV-1a. */
typedef struct wordset {
    uint64_t bloom[16]; /* 1024-bit filter: most words are in neither set */
    uint64_t *hashes; /* 0 = empty slot */
    char **words;
    size_t cap;       /* power of two */
    size_t n;
} wordset;

static uint64_t word_hash(const char *s, size_t n)
{
    uint64_t h = vocal__hash(s, n);
    return h ? h : 1; /* 0 marks empty slots */
}

static void wordset_free(wordset *ws)
{
    if (ws->words)
        for (size_t i = 0; i < ws->cap; i++) vocal__free(ws->words[i]);
    vocal__free(ws->words);
    vocal__free(ws->hashes);
    memset(ws, 0, sizeof *ws);
}

static int wordset_build(wordset *out, const char *const *words, size_t n)
{
    wordset s = {0};
    s.cap = 16;
    while (s.cap < n * 2 + 2) s.cap *= 2;
    s.hashes = (uint64_t *)vocal__calloc(s.cap, sizeof *s.hashes);
    s.words = (char **)vocal__calloc(s.cap, sizeof *s.words);
    if (!s.hashes || !s.words) goto oom;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(words[i]);
        uint64_t h = word_hash(words[i], len);
        size_t j = (size_t)h & (s.cap - 1);
        int dup = 0;
        while (s.hashes[j]) {
            if (s.hashes[j] == h && strcmp(s.words[j], words[i]) == 0) {
                dup = 1;
                break;
            }
            j = (j + 1) & (s.cap - 1);
        }
        if (dup) continue;
        s.words[j] = vocal__strndup(words[i], len);
        if (!s.words[j]) goto oom;
        s.hashes[j] = h;
        s.bloom[(h >> 6) & 15] |= 1ULL << (h & 63);
        s.n++;
    }
    *out = s;
    return VOCAL_OK;
oom:
    wordset_free(&s);
    return VOCAL_ENOMEM;
}

static int wordset_has(const wordset *s, const char *w, size_t n, uint64_t h)
{
    if (!s->n || !((s->bloom[(h >> 6) & 15] >> (h & 63)) & 1)) return 0;
    size_t j = (size_t)h & (s->cap - 1);
    while (s->hashes[j]) {
        if (s->hashes[j] == h && strncmp(s->words[j], w, n) == 0 && s->words[j][n] == '\0')
            return 1;
        j = (j + 1) & (s->cap - 1);
    }
    return 0;
}

/* MARK: languages
 * Built-in negators and contrast words per language. A lexicon may replace
 * them (vocal_tokenizer_set_words). English "n't" and French "n'" forms are
 * recognised by rule, so they need not be listed. */

typedef struct lang_def {
    const char *iso;
    const char *stemmer;
    const char *const *negators;
    const char *const *contrast;
} lang_def;

static const char *const en_neg[] = {
    "not", "no", "never", "none", "nobody", "nothing", "nowhere", "neither", "nor",
    "without", "hardly", "barely", "scarcely", "seldom", "cannot", "dont", "doesnt",
    "didnt", "isnt", "arent", "wasnt", "werent", "wont", "wouldnt", "shouldnt",
    "couldnt", "cant", "havent", "hasnt", "hadnt", "aint", "mustnt", "neednt",
    "lack", "lacks", "lacked", "lacking", "nope", "nah", NULL};
static const char *const en_con[] = {
    "but", "however", "although", "though", "whereas", "nevertheless", "nonetheless",
    "despite", "except", "otherwise", NULL};
static const char *const es_neg[] = {
    "no", "nunca", "jamás", "nadie", "nada", "ninguno", "ninguna", "ningún", "ni",
    "sin", "tampoco", NULL};
static const char *const es_con[] = {"pero", "aunque", "sino", "embargo", NULL};
static const char *const de_neg[] = {
    "nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie", "niemals",
    "nichts", "niemand", "ohne", "weder", "nirgends", "kaum", NULL};
static const char *const de_con[] = {"aber", "jedoch", "obwohl", "sondern", "trotzdem", NULL};
static const char *const fr_neg[] = {
    "ne", "pas", "jamais", "rien", "personne", "aucun", "aucune", "sans", "ni",
    "guère", "non", NULL};
static const char *const fr_con[] = {"mais", "cependant", "pourtant", "quoique", "toutefois", NULL};
static const char *const it_neg[] = {"non", "mai", "niente", "nessuno", "nessuna", "senza", "né", NULL};
static const char *const it_con[] = {"ma", "però", "tuttavia", "sebbene", "benché", NULL};
static const char *const pt_neg[] = {"não", "nunca", "nada", "ninguém", "nenhum", "nenhuma", "sem", "nem", NULL};
static const char *const pt_con[] = {"mas", "porém", "contudo", "embora", "entretanto", NULL};
static const char *const nl_neg[] = {"niet", "geen", "nooit", "niets", "niemand", "zonder", NULL};
static const char *const nl_con[] = {"maar", "echter", "hoewel", NULL};
static const char *const no_words[] = {NULL};

static const lang_def langs[] = {
    {"en", "english", en_neg, en_con},
    {"es", "spanish", es_neg, es_con},
    {"de", "german", de_neg, de_con},
    {"fr", "french", fr_neg, fr_con},
    {"it", "italian", it_neg, it_con},
    {"pt", "portuguese", pt_neg, pt_con},
    {"nl", "dutch", nl_neg, nl_con},
    {"sv", "swedish", no_words, no_words},
    {"da", "danish", no_words, no_words},
    {"no", "norwegian", no_words, no_words},
    {"fi", "finnish", no_words, no_words},
    {"ru", "russian", no_words, no_words},
    {"tr", "turkish", no_words, no_words},
    {"hu", "hungarian", no_words, no_words},
    {"ro", "romanian", no_words, no_words},
    {"ar", "arabic", no_words, no_words},
    {"el", "greek", no_words, no_words},
    {"id", "indonesian", no_words, no_words},
    {"ga", "irish", no_words, no_words},
    {"lt", "lithuanian", no_words, no_words},
    {"ne", "nepali", no_words, no_words},
    {"sr", "serbian", no_words, no_words},
    {"ta", "tamil", no_words, no_words},
    {"hy", "armenian", no_words, no_words},
    {"eu", "basque", no_words, no_words},
    {"ca", "catalan", no_words, no_words},
    {"yi", "yiddish", no_words, no_words},
};

static size_t count_words(const char *const *w)
{
    size_t n = 0;
    while (w[n]) n++;
    return n;
}

/* MARK: tokenizer */

struct vocal_tokenizer {
    char lang[16];
    char stemmer[32];    /* "" = no stemming */
    uint32_t flags;
    int rule_nt;         /* English: a word ending in n't negates */
    int rule_n_apos;     /* French: a word starting with n' negates */
    int split_elision;   /* French/Italian/Catalan: l'hôtel -> l' hôtel */
    wordset negators;
    wordset contrast;
};

int vocal_tokenizer_new(vocal_tokenizer **out, const vocal_text_options *opts, vocal_error *err)
{
    assert(out);
    *out = NULL;
    vocal_text_options def = VOCAL_TEXT_OPTIONS_INIT;
    if (!opts) opts = &def;
    if (opts->version < 1 || opts->version > VOCAL_TEXT_OPTIONS_VERSION)
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX,
                          "unsupported text options version %u", opts->version);
    const char *want = opts->language ? opts->language : "en";
    const lang_def *ld = NULL;
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
        if (strcmp(want, langs[i].iso) == 0 || strcmp(want, langs[i].stemmer) == 0) {
            ld = &langs[i];
            break;
        }
    }
    /* porter is the original English algorithm: English word lists and rules */
    if (!ld && strcmp(want, "porter") == 0) ld = &langs[0];
    const char *stemmer_name = ld && strcmp(want, "porter") != 0 ? ld->stemmer : want;
    /* Accept any algorithm libstemmer ships ("porter", …) even without a table entry. */
    struct sb_stemmer *probe = sb_stemmer_new(stemmer_name, "UTF_8");
    if (!probe)
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX,
                          "unknown language or stemmer '%s'", want);
    sb_stemmer_delete(probe);

    vocal_tokenizer *tk = (vocal_tokenizer *)vocal__calloc(1, sizeof *tk);
    if (!tk) return vocal__err_oom(err);
    snprintf(tk->lang, sizeof tk->lang, "%s", ld ? ld->iso : want);
    snprintf(tk->stemmer, sizeof tk->stemmer, "%s",
             (opts->flags & VOCAL_TEXT_NO_STEM) ? "" : stemmer_name);
    tk->flags = opts->flags;
    tk->rule_nt = strcmp(tk->lang, "en") == 0;
    tk->rule_n_apos = strcmp(tk->lang, "fr") == 0;
    tk->split_elision = !strcmp(tk->lang, "fr") || !strcmp(tk->lang, "it") || !strcmp(tk->lang, "ca");
    const char *const *neg = ld ? ld->negators : no_words;
    const char *const *con = ld ? ld->contrast : no_words;
    if (wordset_build(&tk->negators, neg, count_words(neg)) < 0 ||
        wordset_build(&tk->contrast, con, count_words(con)) < 0) {
        vocal_tokenizer_free(tk);
        return vocal__err_oom(err);
    }
    *out = tk;
    return VOCAL_OK;
}

void vocal_tokenizer_free(vocal_tokenizer *tk)
{
    if (!tk) return;
    wordset_free(&tk->negators);
    wordset_free(&tk->contrast);
    vocal__free(tk);
}

int vocal_tokenizer_set_words(vocal_tokenizer *tk, vocal_wordlist which, const char *const *words,
                              size_t n, vocal_error *err)
{
    assert(tk);
    if (which != VOCAL_WORDS_NEGATORS && which != VOCAL_WORDS_CONTRAST)
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "unknown word list %d", (int)which);
    for (size_t i = 0; i < n; i++)
        if (!words[i] || !words[i][0])
            return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "empty word at index %zu", i);
    wordset s;
    if (wordset_build(&s, words, n) < 0) return vocal__err_oom(err);
    wordset *dst = which == VOCAL_WORDS_NEGATORS ? &tk->negators : &tk->contrast;
    wordset_free(dst);
    *dst = s;
    return VOCAL_OK;
}

const char *vocal_tokenizer_language(const vocal_tokenizer *tk)
{
    return tk->lang;
}

const char *vocal_tokenizer_stemmer(const vocal_tokenizer *tk)
{
    return tk->stemmer;
}

/* MARK: workspace */

/* Stem cache: open addressing over entries whose strings live in `arena`.
 * Bounded: when it holds STEM_CACHE_MAX entries it is emptied and refilled,
 * so memory stays flat on unbounded vocabularies. */
#define STEM_CACHE_MAX (1u << 18) /* 262,144 words: ~12 MiB incl. strings */

/* 32 bytes, two to a cache line. Keys up to STEM_INLINE bytes are compared
 * in the entry itself, and `same` says the stem is the word, so the common
 * hit never touches the arena. */
#define STEM_INLINE 8
typedef struct stem_entry {
    uint64_t hash; /* 0 = empty */
    uint32_t key_off, stem_off;
    uint8_t key_len, stem_len, same, wflags;
    uint32_t id;   /* the word's id: its index in insertion order since the last reset */
    char key[STEM_INLINE];
} stem_entry;

/* stem_entry.wflags: the tokenizer's word-list verdicts, found once per word */
#define WF_KNOWN 1u
#define WF_NEGATOR 2u
#define WF_CONTRAST 4u

/* Per-word results other modules keep (text_int.h "word memos"). */
typedef struct memo {
    uint64_t owner;
    size_t rec, cap, zeroed;
    unsigned char *p;
} memo;

struct vocal_workspace {
    const vocal_tokenizer *tk;
    struct sb_stemmer *stemmer;
    /* stem cache */
    stem_entry *cache;
    size_t cache_cap, cache_n;
    vocal__buf arena;
    vocal__buf stem_out; /* vocal_text_stem results that are not in the cache */
    /* tokenize output */
    vocal_token *toks;
    size_t *norm_off, *stem_off; /* offsets into `strs`, fixed up into pointers at the end */
    size_t ntok, tokcap;
    vocal__buf strs;
    /* utf8proc scratch */
    utf8proc_int32_t *cps;
    size_t cpcap;
    uint64_t stats_hits, stats_misses;
    /* other modules' scratch (text_int.h) */
    void *slot[VOCAL__NSLOTS];
    size_t slotcap[VOCAL__NSLOTS];
    /* word ids of the last tokenize's tokens (UINT32_MAX: not a cached word),
     * valid while words_valid; and the memos over word ids */
    uint32_t *tok_word;
    uint64_t *tok_hash;  /* finish(): each word token's word_hash */
    int words_valid;
    memo memos[VOCAL__NMEMO];
};

const uint32_t *vocal__ws_words(const vocal_workspace *ws, const vocal_token *t)
{
    return ws->words_valid && t == ws->toks ? ws->tok_word : NULL;
}

void *vocal__ws_memo(vocal_workspace *ws, int kind, uint64_t owner, size_t rec)
{
    assert(kind >= 0 && kind < VOCAL__NMEMO && rec > 0);
    memo *m = &ws->memos[kind];
    if (m->owner != owner || m->rec != rec) {
        if (m->rec != rec) {
            vocal__free(m->p);
            m->p = NULL;
            m->cap = 0;
        }
        m->owner = owner;
        m->rec = rec;
        m->zeroed = 0;
    }
    size_t n = ws->cache_n;
    if (m->cap < n) {
        size_t cap = m->cap ? m->cap : 1024;
        while (cap < n) cap *= 2;
        unsigned char *p = (unsigned char *)vocal__realloc(m->p, cap * rec);
        if (!p) return NULL;
        m->p = p;
        m->cap = cap;
    }
    if (m->zeroed < n) memset(m->p + m->zeroed * rec, 0, (n - m->zeroed) * rec);
    m->zeroed = n;
    return m->p;
}

uint64_t vocal__serial(void)
{
    static uint64_t next = 1;
    return __atomic_add_fetch(&next, 1, __ATOMIC_RELAXED);
}

void *vocal__ws_buf(vocal_workspace *ws, int slot, size_t bytes)
{
    assert(slot >= 0 && slot < VOCAL__NSLOTS);
    if (bytes <= ws->slotcap[slot]) return ws->slot[slot];
    size_t cap = ws->slotcap[slot] ? ws->slotcap[slot] : 256;
    while (cap < bytes) cap *= 2;
    void *p = vocal__realloc(ws->slot[slot], cap);
    if (!p) return NULL;
    ws->slot[slot] = p;
    ws->slotcap[slot] = cap;
    return p;
}

int vocal_workspace_new(vocal_workspace **out, const vocal_tokenizer *tk, vocal_error *err)
{
    assert(out && tk);
    *out = NULL;
    vocal_workspace *ws = (vocal_workspace *)vocal__calloc(1, sizeof *ws);
    if (!ws) return vocal__err_oom(err);
    ws->tk = tk;
    if (tk->stemmer[0]) {
        ws->stemmer = sb_stemmer_new(tk->stemmer, "UTF_8");
        if (!ws->stemmer) {
            vocal__free(ws);
            return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "cannot start stemmer '%s'",
                              tk->stemmer);
        }
    }
    *out = ws;
    return VOCAL_OK;
}

void vocal_workspace_free(vocal_workspace *ws)
{
    if (!ws) return;
    if (ws->stemmer) sb_stemmer_delete(ws->stemmer);
    vocal__free(ws->cache);
    vocal__free(ws->tok_word);
    vocal__free(ws->tok_hash);
    for (int i = 0; i < VOCAL__NMEMO; i++) vocal__free(ws->memos[i].p);
    vocal__buf_free(&ws->arena);
    vocal__buf_free(&ws->stem_out);
    vocal__free(ws->toks);
    vocal__free(ws->norm_off);
    vocal__free(ws->stem_off);
    vocal__buf_free(&ws->strs);
    vocal__free(ws->cps);
    for (int i = 0; i < VOCAL__NSLOTS; i++) vocal__free(ws->slot[i]);
    vocal__free(ws);
}

static int cache_grow(vocal_workspace *ws)
{
    size_t ncap = ws->cache_cap ? ws->cache_cap * 2 : 1024;
    stem_entry *nc = (stem_entry *)vocal__calloc(ncap, sizeof *nc);
    if (!nc) return VOCAL_ENOMEM;
    for (size_t i = 0; i < ws->cache_cap; i++) {
        stem_entry *e = &ws->cache[i];
        if (!e->hash) continue;
        size_t j = (size_t)e->hash & (ncap - 1);
        while (nc[j].hash) j = (j + 1) & (ncap - 1);
        nc[j] = *e;
    }
    vocal__free(ws->cache);
    ws->cache = nc;
    ws->cache_cap = ncap;
    return VOCAL_OK;
}

/* Empty the stem cache: word ids start again, so every memo is stale. */
static void cache_reset(vocal_workspace *ws)
{
    memset(ws->cache, 0, ws->cache_cap * sizeof *ws->cache);
    ws->cache_n = 0;
    ws->arena.len = 0;
    for (int i = 0; i < VOCAL__NMEMO; i++) ws->memos[i].zeroed = 0;
    ws->words_valid = 0;
}

/* The cache entry of `w` (normalized, n bytes), stemming it on a miss (the
 * stem is the word when the tokenizer does not stem); NULL when out of
 * memory. Never empties the cache, so the word ids of the text being
 * tokenized stay valid: callers reset it between texts. */
static stem_entry *stem_cached(vocal_workspace *ws, const char *w, size_t n, uint64_t h)
{
    if (ws->cache_n * 2 >= ws->cache_cap && cache_grow(ws) < 0) return NULL;
    size_t j = (size_t)h & (ws->cache_cap - 1);
    while (ws->cache[j].hash) {
        stem_entry *e = &ws->cache[j];
        if (e->hash == h && e->key_len == n &&
            memcmp(n <= sizeof e->key ? e->key : ws->arena.p + e->key_off, w, n) == 0) {
            ws->stats_hits++;
            return e;
        }
        j = (j + 1) & (ws->cache_cap - 1);
    }
    ws->stats_misses++;
    const char *st = w;
    size_t sl = n;
    if (ws->stemmer) {
        const sb_symbol *r = sb_stemmer_stem(ws->stemmer, (const sb_symbol *)w, (int)n);
        if (!r) return NULL;
        st = (const char *)r;
        sl = (size_t)sb_stemmer_length(ws->stemmer);
    }
    size_t ko = ws->arena.len;
    if (vocal__buf_reserve(&ws->arena, n + sl + 2) < 0) return NULL;
    memcpy(ws->arena.p + ko, w, n);
    ws->arena.p[ko + n] = '\0';
    memcpy(ws->arena.p + ko + n + 1, st, sl);
    ws->arena.p[ko + n + 1 + sl] = '\0';
    ws->arena.len += n + sl + 2;
    stem_entry *e = &ws->cache[j];
    e->hash = h;
    e->key_off = (uint32_t)ko;
    e->key_len = (uint8_t)n;
    e->stem_off = (uint32_t)(ko + n + 1);
    e->stem_len = (uint8_t)sl;
    e->same = sl == n && memcmp(st, w, n) == 0;
    e->wflags = 0;
    e->id = (uint32_t)ws->cache_n;
    if (n <= sizeof e->key) memcpy(e->key, w, n);
    ws->cache_n++;
    return e;
}

int vocal_text_stem(const char **out, size_t *out_len, vocal_workspace *ws, const char *word,
                    size_t len, vocal_error *err)
{
    assert(out && ws);
    if (!ws->stemmer || len > 255) {
        /* No stemming, or too long to be a word worth stemming: the word comes
         * back as is, NUL-terminated in a buffer of its own, so the tokens of
         * the last vocal_text_tokenize stay valid (test_text__stem_keeps_tokens_valid). */
        ws->stem_out.len = 0;
        if (vocal__buf_put(&ws->stem_out, word, len) < 0 || vocal__buf_putc(&ws->stem_out, 0) < 0)
            return vocal__err_oom(err);
        *out = ws->stem_out.p;
        if (out_len) *out_len = len;
        return VOCAL_OK;
    }
    if (ws->cache_n >= STEM_CACHE_MAX) cache_reset(ws);
    stem_entry *e = stem_cached(ws, word, len, word_hash(word, len));
    if (!e) return vocal__err_oom(err);
    *out = ws->arena.p + e->stem_off;
    if (out_len) *out_len = e->stem_len;
    return VOCAL_OK;
}

/* MARK: UTF-8 decoding */

/* Decode one code point at s[i]. Invalid input yields U+FFFD for each maximal
 * subpart of an ill-formed sequence (Unicode 15 §3.9, U+FFFD substitution of
 * maximal subparts), with *bad set. Returns the number of bytes consumed (>= 1). */
static size_t dec(const unsigned char *s, size_t n, size_t i, int32_t *cp, int *bad)
{
    unsigned c = s[i];
    *bad = 0;
    if (c < 0x80) {
        *cp = (int32_t)c;
        return 1;
    }
    size_t need;
    int32_t v;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0F;
        if (c == 0xE0) lo = 0xA0;      /* overlong */
        else if (c == 0xED) hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07;
        if (c == 0xF0) lo = 0x90;      /* overlong */
        else if (c == 0xF4) hi = 0x8F; /* above U+10FFFF */
    } else {
        *cp = 0xFFFD;
        *bad = 1;
        return 1;
    }
    size_t k;
    for (k = 1; k <= need; k++) {
        if (i + k >= n) break;
        unsigned b = s[i + k];
        if (b < lo || b > hi) break;
        lo = 0x80;
        hi = 0xBF;
        v = (v << 6) | (int32_t)(b & 0x3F);
    }
    if (k <= need) {
        *cp = 0xFFFD;
        *bad = 1;
        return k;
    }
    *cp = v;
    return need + 1;
}

size_t vocal_utf8_decode(int32_t *cp, int *bad, const char *s, size_t len)
{
    int b;
    assert(cp && s && len);
    size_t k = dec((const unsigned char *)s, len, 0, cp, &b);
    if (bad) *bad = b;
    return k;
}

uint64_t vocal_utf8_check(const char *s, size_t len, size_t *first_bad)
{
    const unsigned char *u = (const unsigned char *)s;
    uint64_t nbad = 0;
    size_t first = len;
    for (size_t i = 0; i < len;) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        int32_t cp;
        int bad;
        size_t k = dec(u, len, i, &cp, &bad);
        if (bad) {
            if (!nbad) first = i;
            nbad++;
        }
        i += k;
    }
    if (first_bad) *first_bad = first;
    return nbad;
}

/* MARK: character classes */

/* Hiragana and katakana are separate classes: a katakana loanword glued to
 * a hiragana particle ("テキストの") is two words. */
enum { SC_OTHER = 0, SC_HAN, SC_HIRA, SC_KATA, SC_HANGUL, SC_THAI };

static int script_class(int32_t c)
{
    if (c < 0x0E00) return SC_OTHER;
    if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
        (c >= 0x20000 && c <= 0x3134F) || (c >= 0xF900 && c <= 0xFAFF))
        return SC_HAN;
    if (c >= 0x3040 && c <= 0x309F) return SC_HIRA;
    if ((c >= 0x30A0 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF66 && c <= 0xFF9F))
        return SC_KATA;
    if ((c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F))
        return SC_HANGUL;
    if (c <= 0x0E7F) return SC_THAI;
    return SC_OTHER;
}

static int is_letter_cat(utf8proc_category_t k)
{
    return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO;
}

static int is_mark_cat(utf8proc_category_t k)
{
    return k >= UTF8PROC_CATEGORY_MN && k <= UTF8PROC_CATEGORY_ME;
}

static int is_space_cp(int32_t c)
{
    if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0;
    if (c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
        c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000)
        return 1;
    return 0;
}

static int is_newline_cp(int32_t c)
{
    return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x85 || c == 0x2028 || c == 0x2029;
}

static int is_emoji_start(int32_t c)
{
    /* ©, ®, ‼, ⁉, ™ and ℹ default to text presentation (emoji-data.txt,
     * Emoji_Presentation=No) and are mostly used as symbols ("Brand™"): they
     * are emoji only with U+FE0F, which the caller checks */
    if (c < 0x2190) return 0;
    const utf8proc_property_t *p = utf8proc_get_property(c);
    switch (p->boundclass) {
    case UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC:
    case UTF8PROC_BOUNDCLASS_E_ZWG:
    case UTF8PROC_BOUNDCLASS_E_BASE:
    case UTF8PROC_BOUNDCLASS_E_BASE_GAZ:
    case UTF8PROC_BOUNDCLASS_GLUE_AFTER_ZWJ:
    case UTF8PROC_BOUNDCLASS_E_MODIFIER:
    case UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR:
        return 1;
    default:
        return 0;
    }
}

static inline int a_alpha(unsigned c)
{
    return (c | 0x20) - 'a' < 26;
}
static inline int a_digit(unsigned c)
{
    return c - '0' < 10;
}
static inline int a_alnum(unsigned c)
{
    return a_alpha(c) || a_digit(c);
}

/* ASCII classes for the dispatch loop: which recognisers can start here. */
enum { A_EMO = 1, A_URL = 2 };
static const unsigned char ascii_class[128] = {
    [':'] = A_EMO, [';'] = A_EMO, ['='] = A_EMO, ['8'] = A_EMO, ['x'] = A_EMO, ['X'] = A_EMO,
    ['B'] = A_EMO, ['>'] = A_EMO, ['}'] = A_EMO, ['O'] = A_EMO, ['0'] = A_EMO, ['<'] = A_EMO,
    ['('] = A_EMO, [')'] = A_EMO, ['['] = A_EMO, [']'] = A_EMO, ['^'] = A_EMO, ['-'] = A_EMO,
    ['T'] = A_EMO, ['*'] = A_EMO, ['u'] = A_EMO, ['o'] = A_EMO, ['.'] = A_EMO, ['_'] = A_EMO,
    ['\\'] = A_EMO, ['D'] = A_EMO,
    ['h'] = A_URL, ['H'] = A_URL, ['w'] = A_URL, ['W'] = A_URL, ['f'] = A_URL, ['F'] = A_URL,
};

/* MARK: tokenizer state */

typedef struct tokstate {
    vocal_workspace *ws;
    const vocal_tokenizer *tk;
    const unsigned char *s;
    size_t n;
    vocal_text_info info;
    int pending_break; /* a line break was seen since the last token */
    uint64_t upper, lower;
    size_t no_email_before; /* match_email's memo: no e-mail starts before this byte */
    int caps_word;          /* some word is ALL-CAPS (VOCAL_TOK_CAPS) */
} tokstate;

static int push_token(tokstate *st, uint32_t kind, uint32_t flags, size_t start, size_t end,
                      size_t norm_off)
{
    vocal_workspace *ws = st->ws;
    /* nothing but default-ignorables (a stray U+FE0F): no token, as for a ZWJ */
    if (ws->strs.len == norm_off) return VOCAL_OK;
    if (ws->ntok == ws->tokcap) {
        size_t nc = ws->tokcap ? ws->tokcap * 2 : 64;
        vocal_token *t = (vocal_token *)vocal__realloc(ws->toks, nc * sizeof *t);
        if (!t) return VOCAL_ENOMEM;
        ws->toks = t;
        size_t *a = (size_t *)vocal__realloc(ws->norm_off, nc * sizeof *a);
        if (!a) return VOCAL_ENOMEM;
        ws->norm_off = a;
        size_t *b = (size_t *)vocal__realloc(ws->stem_off, nc * sizeof *b);
        if (!b) return VOCAL_ENOMEM;
        ws->stem_off = b;
        uint32_t *wd = (uint32_t *)vocal__realloc(ws->tok_word, nc * sizeof *wd);
        if (!wd) return VOCAL_ENOMEM;
        ws->tok_word = wd;
        uint64_t *th = (uint64_t *)vocal__realloc(ws->tok_hash, nc * sizeof *th);
        if (!th) return VOCAL_ENOMEM;
        ws->tok_hash = th;
        ws->tokcap = nc;
    }
    if (st->pending_break && ws->ntok) ws->toks[ws->ntok - 1].flags |= VOCAL_TOK_SENT_END;
    if (flags & VOCAL_TOK_CAPS) st->caps_word = 1;
    st->pending_break = 0;
    vocal_token *t = &ws->toks[ws->ntok];
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->flags = flags;
    t->start = start;
    t->end = end;
    t->norm_len = ws->strs.len - norm_off;
    ws->norm_off[ws->ntok] = norm_off;
    ws->stem_off[ws->ntok] = norm_off;
    ws->tok_word[ws->ntok] = UINT32_MAX;
    t->stem_len = t->norm_len;
    ws->ntok++;
    /* NUL-terminate norm. */
    return vocal__buf_putc(&ws->strs, 0);
}

static int put_cp(vocal__buf *b, int32_t c)
{
    if (vocal__buf_reserve(b, 4) < 0) return VOCAL_ENOMEM;
    b->len += (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)b->p + b->len);
    return VOCAL_OK;
}

/* Make room for `more` code points after the first `used` of ws->cps. The
 * capacity is only raised once the allocation succeeded, so a failed call
 * leaves the workspace consistent. */
static int cps_reserve(vocal_workspace *ws, size_t used, size_t more)
{
    if (used + more <= ws->cpcap) return VOCAL_OK;
    size_t nc = ws->cpcap ? ws->cpcap : 256;
    while (nc < used + more) nc *= 2;
    utf8proc_int32_t *p = (utf8proc_int32_t *)vocal__realloc(ws->cps, nc * sizeof *p);
    if (!p) return VOCAL_ENOMEM;
    ws->cps = p;
    ws->cpcap = nc;
    return VOCAL_OK;
}

/* Canonical ordering (Unicode §3.11, D109): sort each run of non-starters by
 * combining class, stably. utf8proc_decompose_char works one character at a
 * time and leaves this to its caller. Insertion sort is quadratic, so a run
 * is sorted in chunks of at most 30 non-starters, the Stream-Safe Text Format
 * bound of UAX #15 §13: real text never has longer runs, and a hostile run of
 * a million accents costs linear time instead of minutes. */
#define STREAM_SAFE_RUN 30

static void canonical_order(utf8proc_int32_t *c, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        int cc = utf8proc_get_property(c[i])->combining_class;
        if (cc == 0 || run == STREAM_SAFE_RUN) {
            run = cc != 0;
            continue;
        }
        run++;
        for (size_t j = i; run > 1 && j > i + 1 - run; j--) {
            if (utf8proc_get_property(c[j - 1])->combining_class <= cc) break;
            utf8proc_int32_t t = c[j - 1];
            c[j - 1] = c[j];
            c[j] = t;
        }
    }
}

/* Normalize s[a,b) into ws->strs: NFKC + case folding (utf8proc's
 * NFKC_Casefold recipe: decompose with COMPAT and CASEFOLD, order, compose),
 * invalid bytes to U+FFFD, default-ignorables dropped, typographic
 * apostrophes and hyphens to ASCII, Turkish U+0130 to plain i. */
static int normalize_span(tokstate *st, size_t a, size_t b)
{
    vocal_workspace *ws = st->ws;
    const unsigned char *s = st->s;
    /* ASCII fast path: NFKC and case folding of ASCII is plain lower-casing */
    size_t i;
    for (i = a; i < b && s[i] < 0x80; i++) {}
    if (i == b) {
        if (vocal__buf_reserve(&ws->strs, b - a + 1) < 0) return VOCAL_ENOMEM;
        char *d = ws->strs.p + ws->strs.len;
        for (i = a; i < b; i++) {
            unsigned c = s[i];
            if (c - 'A' < 26) c |= 0x20;
            *d++ = (char)c;
        }
        ws->strs.len += b - a;
        return VOCAL_OK;
    }
    const utf8proc_option_t opt = (utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE |
                                                      UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
    size_t ncp = 0;
    for (i = a; i < b;) {
        int32_t c;
        int bad;
        size_t k = dec(s, b, i, &c, &bad);
        i += k;
        if (c == 0x2019 || c == 0x02BC || c == 0x2018 || c == 0xFF07) c = '\'';
        else if (c == 0x2010 || c == 0x2011) c = '-';
        else if (c == 0x0130) c = 'I'; /* Turkish dotted capital I folds to plain i */
        if (cps_reserve(ws, ncp, 32) < 0) return VOCAL_ENOMEM;
        for (;;) {
            int last = 0;
            utf8proc_ssize_t r = utf8proc_decompose_char(c, ws->cps + ncp,
                                                         (utf8proc_ssize_t)(ws->cpcap - ncp), opt, &last);
            if (r < 0) { /* cannot happen for valid code points; keep the character */
                ws->cps[ncp++] = c;
                break;
            }
            if ((size_t)r <= ws->cpcap - ncp) {
                ncp += (size_t)r;
                break;
            }
            if (cps_reserve(ws, ncp, (size_t)r) < 0) return VOCAL_ENOMEM; /* grow and retry */
        }
    }
    canonical_order(ws->cps, ncp);
    utf8proc_ssize_t m = utf8proc_normalize_utf32(ws->cps, (utf8proc_ssize_t)ncp,
                                                  (utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    if (m < 0) m = (utf8proc_ssize_t)ncp;
    if (vocal__buf_reserve(&ws->strs, (size_t)m * 4 + 1) < 0) return VOCAL_ENOMEM;
    for (utf8proc_ssize_t j = 0; j < m; j++)
        ws->strs.len += (size_t)utf8proc_encode_char(ws->cps[j], (utf8proc_uint8_t *)ws->strs.p + ws->strs.len);
    return VOCAL_OK;
}

/* Squeeze runs of 3+ identical characters in the norm just written (from
 * off) down to 2: "soooo" -> "soo", "goood" -> "good". Returns 1 if squeezed. */
static int squeeze(vocal__buf *b, size_t off)
{
    char *p = b->p + off;
    size_t n = b->len - off, w = 0;
    int did = 0;
    for (size_t r = 0; r < n;) {
        /* one UTF-8 character at p[r] */
        size_t cl = 1;
        unsigned c = (unsigned char)p[r];
        if (c >= 0xF0) cl = 4;
        else if (c >= 0xE0) cl = 3;
        else if (c >= 0xC0) cl = 2;
        if (r + cl > n) cl = n - r;
        size_t run = 1;
        while (r + (run + 1) * cl <= n && memcmp(p + r, p + r + run * cl, cl) == 0) run++;
        /* only letters are squeezed: digits ("1000") and punctuation keep their runs */
        int letter = cl > 1 || a_alpha(c);
        size_t keep = (letter && run >= 3) ? 2 : run;
        if (keep != run) did = 1;
        memmove(p + w, p + r, keep * cl);
        w += keep * cl;
        r += run * cl;
    }
    b->len = off + w;
    return did;
}

/* MARK: recognisers
 * Each returns the length of the token starting at i, or 0. */

static int is_url_start(const unsigned char *s, size_t n, size_t i)
{
    static const char *const pre[] = {"http://", "https://", "ftp://", "www."};
    for (size_t k = 0; k < 4; k++) {
        size_t l = strlen(pre[k]);
        if (i + l <= n) {
            size_t j;
            for (j = 0; j < l; j++)
                if ((s[i + j] | (pre[k][j] >= 'a' ? 0x20 : 0)) != (unsigned char)pre[k][j]) break;
            if (j == l && i + l < n && s[i + l] > ' ') return 1;
        }
    }
    return 0;
}

static size_t match_url(const unsigned char *s, size_t n, size_t i)
{
    size_t j = i;
    int opens = 0, closes = 0;
    while (j < n) {
        unsigned c = s[j];
        if (c <= ' ' || c == '"' || c == '<' || c == '>') break;
        if (c >= 0x80) {
            int32_t cp;
            int bad;
            size_t k = dec(s, n, j, &cp, &bad);
            if (bad || is_space_cp(cp) || cp == 0x201C || cp == 0x201D || cp == 0x2026) break;
            j += k;
            continue;
        }
        if (c == '(') opens++;
        if (c == ')') closes++;
        j++;
    }
    /* trailing punctuation belongs to the sentence, not the URL */
    while (j > i) {
        unsigned c = s[j - 1];
        if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\'' ||
            c == ']' || c == '}') {
            j--;
        } else if (c == ')' && closes > opens) {
            closes--;
            j--;
        } else {
            break;
        }
    }
    return j - i;
}

static int is_email_local(unsigned c)
{
    return a_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/* local@domain.tld with a top-level label of two or more letters. Every start
 * inside one run of local-part characters ends the local part at the same
 * byte, so when a run fails to be an e-mail, *no_email_before is set to its
 * end and later starts inside it give up at once: without this, "a.a.a.a…"
 * costs quadratic time (test_text__a_megabyte_line_tokenizes_without_trouble). */
static size_t match_email(const unsigned char *s, size_t n, size_t i, size_t *no_email_before)
{
    if (i < *no_email_before) return 0;
    size_t j = i;
    while (j < n && is_email_local(s[j])) j++;
    size_t run_end = j;
    *no_email_before = run_end;
    if (j == i || j >= n || s[j] != '@' || s[i] == '.') return 0;
    size_t d = ++j;
    while (j < n && (a_alnum(s[j]) || s[j] == '.' || s[j] == '-')) j++;
    /* a sentence may end right after the address: "write to a@b.com." */
    while (j > d && (s[j - 1] == '.' || s[j - 1] == '-')) j--;
    size_t lastdot = 0;
    for (size_t k = d; k < j; k++)
        if (s[k] == '.') lastdot = k;
    if (!lastdot || lastdot == d) return 0;
    /* top-level label: at least two letters */
    size_t tl = 0;
    for (size_t k = lastdot + 1; k < j; k++) {
        if (!a_alpha(s[k])) return 0;
        tl++;
    }
    if (tl < 2) return 0;
    *no_email_before = 0;
    return j - i;
}

static size_t match_mention(const unsigned char *s, size_t n, size_t i)
{
    /* an '@' glued to a word ("me@home", a broken e-mail) is not a mention,
     * as on Twitter and Mastodon */
    if (i && (a_alnum(s[i - 1]) || s[i - 1] == '_')) return 0;
    size_t j = i + 1;
    while (j < n && (a_alnum(s[j]) || s[j] == '_')) j++;
    if (j == i + 1) return 0;
    /* Mastodon: @user@instance.tld */
    if (j + 1 < n && s[j] == '@' && a_alnum(s[j + 1])) {
        size_t k = j + 1, dot = 0;
        while (k < n && (a_alnum(s[k]) || s[k] == '.' || s[k] == '-' || s[k] == '_')) {
            if (s[k] == '.') dot = k;
            k++;
        }
        while (k > j + 1 && s[k - 1] == '.') k--;
        if (dot && dot + 1 < k) j = k;
    }
    return j - i;
}

/* Emoticons (docs/tokenizer.md §emoticons). Shapes, ASCII only apart from
 * the shrug: western eyes-nose-mouth with optional hat and tear, reversed
 * mouth-nose-eyes, hearts, and a fixed list of eastern faces. */
static const char *const fixed_emoticons[] = {
    "\xC2\xAF\\_(\xE3\x83\x84)_/\xC2\xAF", "\\o/", "\\m/", "^_^", "^.^", "^-^", "^o^", "^^", "-__-",
    "-_-", "-.-", ">_<", ">.<", "T_T", "T.T", "T-T", ";_;", "o_O", "O_o", "o.O", "O.o", "0_0",
    "o_o", "O_O", "*_*", "u_u", "._.", "=_=", "x_x", "X_X", "D:<", "D:", "D;", "D=", "DX", NULL};

static int is_mouth(unsigned c)
{
    return c && strchr(")]}>([{<|/\\DPpOo0*3$@SsLxX#", (int)c) != NULL;
}

static int bound_after(const unsigned char *s, size_t n, size_t j)
{
    return j >= n || !a_alnum(s[j]);
}

static size_t match_emoticon(const unsigned char *s, size_t n, size_t i)
{
    unsigned prev = i ? s[i - 1] : ' ';
    unsigned c = s[i];
    int prev_alnum = a_alnum(prev);
    /* fixed list: needs boundaries on both sides */
    if (!prev_alnum) {
        for (size_t k = 0; fixed_emoticons[k]; k++) {
            if ((unsigned char)fixed_emoticons[k][0] != c) continue;
            size_t l = strlen(fixed_emoticons[k]);
            if (i + l <= n && memcmp(s + i, fixed_emoticons[k], l) == 0 && bound_after(s, n, i + l))
                return l;
        }
    }
    /* hearts: <3 <33 </3 <\3 */
    if (c == '<' && !prev_alnum) {
        size_t j = i + 1;
        if (j < n && (s[j] == '/' || s[j] == '\\')) j++;
        size_t d = j;
        while (j < n && s[j] == '3') j++;
        if (j > d && (j >= n || !a_digit(s[j]))) return j - i;
    }
    /* western: [hat] eyes ['] [nose] mouth+ */
    {
        size_t j = i;
        if ((c == '>' || c == '}' || c == 'O' || c == '0') && !prev_alnum && j + 2 < n &&
            (s[j + 1] == ':' || s[j + 1] == ';'))
            j++;
        unsigned e = s[j];
        int letter_eyes = (e == 'x' || e == 'X' || e == '8' || e == 'B');
        /* after a digit any mouth but a digit: "10/10:)" smiles, "5:0" is a
         * score (and a time never gets here: numbers take 10:30 first) */
        int digit_prev = j == i && !letter_eyes && a_digit(prev);
        int ok_prev = j > i ? 1 : (letter_eyes ? !prev_alnum : 1);
        if (ok_prev && (e == ':' || e == ';' || e == '=' || letter_eyes)) {
            size_t k = j + 1;
            if (k < n && s[k] == '\'' && !letter_eyes) k++;
            int nose = 0;
            if (k < n && (s[k] == '-' || s[k] == '^' || (s[k] == 'o' && k + 1 < n && is_mouth(s[k + 1]) &&
                                                         !a_alpha(s[k + 1])))) {
                k++;
                nose = 1;
            }
            if (k < n && is_mouth(s[k])) {
                unsigned m = s[k];
                int ok = 1;
                if (e == 'x' || e == 'X')
                    ok = (m == 'D' || m == 'P' || m == 'p' || m == '(' || m == ')' || m == 'd');
                if ((e == '8' || e == 'B') && !nose) ok = 0;
                if (m == '/' && k + 1 < n && s[k + 1] == '/') ok = 0; /* scheme:// */
                if (digit_prev && a_digit(m)) ok = 0;
                size_t r = k + 1;
                while (r < n && s[r] == m) r++;
                if (ok && (!a_alnum(m) || bound_after(s, n, r)) && !(a_digit(m) && r < n && a_digit(s[r])))
                    return r - i;
            }
        }
    }
    /* reversed: mouth [nose] eyes, e.g. (: (-: ): )-: */
    if ((c == '(' || c == ')' || c == '[' || c == ']') && !prev_alnum) {
        size_t k = i + 1;
        if (k < n && (s[k] == '-' || s[k] == '\'')) k++;
        if (k < n && (s[k] == ':' || s[k] == ';' || s[k] == '=') && bound_after(s, n, k + 1) &&
            (k + 1 >= n || s[k + 1] == ' ' || s[k + 1] == '\t' || s[k + 1] == '\n' || s[k + 1] == '\r'))
            return k + 1 - i;
    }
    return 0;
}

/* A number: [currency] digits ([.,:/] digits)* [%|currency] [short unit suffix].
 * Sets *is_word when a longer letter or hyphenated suffix makes it a word
 * ("5-star", "2morrow"). */
static size_t match_number(const unsigned char *s, size_t n, size_t i, int *is_word)
{
    size_t j = i;
    *is_word = 0;
    /* currency prefix */
    if (s[j] == '$') j++;
    else if (j + 1 < n && s[j] == 0xC2 && (s[j + 1] == 0xA3 || s[j + 1] == 0xA5)) j += 2; /* £ ¥ */
    else if (j + 2 < n && s[j] == 0xE2 && s[j + 1] == 0x82 && (s[j + 2] == 0xAC || s[j + 2] == 0xB9)) j += 3; /* € ₹ */
    if (j >= n || !a_digit(s[j])) return 0;
    while (j < n && a_digit(s[j])) j++;
    int sep = 0;
    while (j + 1 < n && (s[j] == '.' || s[j] == ',' || s[j] == ':' || s[j] == '/') && a_digit(s[j + 1])) {
        sep = 1;
        j++;
        while (j < n && a_digit(s[j])) j++;
    }
    if (j < n && s[j] == '%') return j + 1 - i;
    if (j < n && s[j] == '$') return j + 1 - i;
    if (j + 2 < n && s[j] == 0xE2 && s[j + 1] == 0x82 && s[j + 2] == 0xAC) return j + 3 - i;
    /* letter suffix: units and ordinals (2nd, 4pm, 30min) stay numbers; longer ones make a word */
    size_t k = j;
    while (k < n && a_alpha(s[k])) k++;
    /* "$10voucher", "3.5stars": a number with a currency or a separator never
     * becomes a word; the letters follow as one */
    if (k > j && (s[i] == '$' || s[i] >= 0x80 || (sep && (k - j > 4 || (k < n && s[k] >= 0x80)))))
        return j - i;
    if (k > j) {
        if (k >= n || s[k] < 0x80) {
            if (k - j <= 4 && (sep || !(k < n && (s[k] == '-' || s[k] == '\'')))) return k - i;
            *is_word = 1;
            return 0; /* let the word recogniser take it from i */
        }
        *is_word = 1;
        return 0;
    }
    if (j + 1 < n && s[j] == '-' && a_alpha(s[j + 1]) && s[i] != '$' && s[i] < 0x80 && !sep) {
        *is_word = 1;
        return 0;
    }
    return j - i;
}

/* MARK: tokenize */

static int emit_norm(tokstate *st, uint32_t kind, uint32_t flags, size_t a, size_t b)
{
    size_t off = st->ws->strs.len;
    if (normalize_span(st, a, b) < 0) return VOCAL_ENOMEM;
    return push_token(st, kind, flags, a, b, off);
}

static int emit_raw(tokstate *st, uint32_t kind, uint32_t flags, size_t a, size_t b)
{
    size_t off = st->ws->strs.len;
    if (vocal__buf_put(&st->ws->strs, st->s + a, b - a) < 0) return VOCAL_ENOMEM;
    return push_token(st, kind, flags, a, b, off);
}

/* Count cased letters of s[a,b): sets *caps when >= 2 upper and no lower. */
static uint32_t caps_flag(tokstate *st, size_t a, size_t b)
{
    size_t up = 0, lo = 0;
    for (size_t i = a; i < b;) {
        unsigned c = st->s[i];
        if (c < 0x80) {
            if (c - 'A' < 26) up++;
            else if (c - 'a' < 26) lo++;
            i++;
            continue;
        }
        int32_t cp;
        int bad;
        i += dec(st->s, b, i, &cp, &bad);
        utf8proc_category_t k = utf8proc_category(cp);
        if (k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LT) up++;
        else if (k == UTF8PROC_CATEGORY_LL) lo++;
    }
    st->upper += up;
    st->lower += lo;
    return (up >= 2 && lo == 0) ? VOCAL_TOK_CAPS : 0;
}

static int emit_word(tokstate *st, uint32_t flags, size_t a, size_t b, int invalid)
{
    vocal_workspace *ws = st->ws;
    if (!invalid) {
        /* ASCII fast path: fold, count case and squeeze runs in one pass */
        const unsigned char *s = st->s;
        size_t i;
        unsigned up = 0, lo = 0;
        for (i = a; i < b && s[i] < 0x80; i++) {
            up += (unsigned)(s[i] - 'A') < 26u;
            lo += (unsigned)(s[i] - 'a') < 26u;
        }
        if (i == b) {
            if (vocal__buf_reserve(&ws->strs, b - a + 1) < 0) return VOCAL_ENOMEM;
            size_t off = ws->strs.len;
            char *d = ws->strs.p + off;
            size_t w = 0;
            int squeezed = 0;
            for (i = a; i < b; i++) {
                char c = (char)(s[i] | ((unsigned)(s[i] - 'A') < 26u ? 0x20 : 0));
                /* a letter already written twice is not written a third time */
                if (w >= 2 && d[w - 1] == c && d[w - 2] == c && a_alpha((unsigned char)c)) {
                    squeezed = 1;
                    continue;
                }
                d[w++] = c;
            }
            ws->strs.len += w;
            st->upper += up;
            st->lower += lo;
            if (up >= 2 && lo == 0) flags |= VOCAL_TOK_CAPS;
            if (squeezed) flags |= VOCAL_TOK_ELONGATED;
            return push_token(st, VOCAL_KIND_WORD, flags, a, b, off);
        }
    }
    flags |= caps_flag(st, a, b);
    if (invalid) flags |= VOCAL_TOK_INVALID;
    size_t off = ws->strs.len;
    if (normalize_span(st, a, b) < 0) return VOCAL_ENOMEM;
    if (squeeze(&ws->strs, off)) flags |= VOCAL_TOK_ELONGATED;
    return push_token(st, VOCAL_KIND_WORD, flags, a, b, off);
}

/* One part of a hashtag: a number when it is all ASCII digits ("10" in
 * #top10), else a word. */
static int emit_hashtag_part(tokstate *st, size_t a, size_t b, int invalid)
{
    if (a >= b) return VOCAL_OK;
    int digits = 1;
    for (size_t q = a; q < b; q++)
        if (!a_digit(st->s[q])) digits = 0;
    if (digits) return emit_norm(st, VOCAL_KIND_NUMBER, VOCAL_TOK_HASHTAG_PART, a, b);
    invalid = invalid && vocal_utf8_check((const char *)st->s + a, b - a, NULL) > 0;
    return emit_word(st, VOCAL_TOK_HASHTAG_PART, a, b, invalid);
}

enum { HP_LOWER = 0, HP_UPPER, HP_DIGIT, HP_HAN };

/* Split a hashtag body s[a,b) into words at '_', case changes (worstService,
 * HTMLParser -> HTML Parser), letter/digit changes, and around each Han
 * ideograph (one word per ideograph, as in running text, docs/tokenizer.md
 * §CJK). `invalid`: the body holds invalid UTF-8. */
static int emit_hashtag_parts(tokstate *st, size_t a, size_t b, int invalid)
{
    const unsigned char *s = st->s;
    size_t w = a;          /* start of the current part */
    size_t prev_at = a;    /* start of the previous base (non-mark) character */
    int prev = -1;         /* HP_* class of the previous character; -1 at a part's start */
    for (size_t i = a; i < b;) {
        int32_t cp;
        int bad;
        size_t k = dec(s, b, i, &cp, &bad);
        if (cp == '_') {
            if (emit_hashtag_part(st, w, i, invalid) < 0) return VOCAL_ENOMEM;
            w = i + k;
            prev = -1;
            i += k;
            continue;
        }
        utf8proc_category_t cat = utf8proc_category(cp);
        if (is_mark_cat(cat)) { /* a mark stays with its base */
            i += k;
            continue;
        }
        int cls = (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT) ? HP_UPPER
                  : cat == UTF8PROC_CATEGORY_ND                                ? HP_DIGIT
                  : script_class(cp) == SC_HAN                                 ? HP_HAN
                                                                               : HP_LOWER;
        size_t cut = i;
        int split = 0;
        if (prev >= 0) {
            if (cls == HP_HAN || prev == HP_HAN) split = 1;
            else if (prev == HP_LOWER && cls == HP_UPPER) split = 1;   /* worstService */
            else if (cls != prev && (prev == HP_DIGIT || cls == HP_DIGIT)) split = 1; /* top10, 2day */
            else if (prev == HP_UPPER && cls == HP_LOWER) {
                /* HTMLParser: the split goes before the last capital */
                cut = prev_at;
                split = cut > w;
            }
        }
        if (split) {
            if (emit_hashtag_part(st, w, cut, invalid) < 0) return VOCAL_ENOMEM;
            w = cut;
        }
        prev = cls;
        prev_at = i;
        i += k;
    }
    return emit_hashtag_part(st, w, b, invalid);
}

static int is_apostrophe(int32_t c)
{
    return c == '\'' || c == 0x2019 || c == 0x02BC;
}

static int is_hyphen(int32_t c)
{
    return c == '-' || c == 0x2010 || c == 0x2011;
}

/* Peek the code point at j (or -1 at the end). */
static int32_t peek(const tokstate *st, size_t j, size_t *k)
{
    if (j >= st->n) {
        *k = 0;
        return -1;
    }
    int32_t cp;
    int bad;
    *k = dec(st->s, st->n, j, &cp, &bad);
    return cp;
}

static int cp_is_letter(int32_t c)
{
    if (c < 0) return 0;
    if (c < 0x80) return a_alpha((unsigned)c);
    return is_letter_cat(utf8proc_category(c)) || c == 0xFFFD;
}

/* French, Italian and Catalan elision: the apostrophe at j ends the word
 * when what precedes it is at most two letters (l', qu', d'), or ends in "qu"
 * (jusqu', lorsqu') or "ll" (Italian dell', nell', quell'). aujourd'hui stays
 * whole. */
static int elides(const tokstate *st, size_t j, size_t letters)
{
    if (!st->tk->split_elision) return 0;
    if (letters <= 2) return 1;
    unsigned a = st->s[j - 2] | 0x20, b = st->s[j - 1] | 0x20;
    return (a == 'q' && b == 'u') || (a == 'l' && b == 'l');
}

/* Scan a word from i (whose first character is a letter or mark): letters,
 * marks, digits, joiners (ZWJ, ZWNJ, soft hyphen) and in-word apostrophes
 * and hyphens. A change of script class ends it; each Han ideograph is a
 * word of its own (docs/tokenizer.md §CJK). */
static size_t scan_word(tokstate *st, size_t i, int *invalid)
{
    const unsigned char *s = st->s;
    size_t n = st->n, j = i;
    int cls = -1;
    size_t letters = 0;
    *invalid = 0;
    while (j < n) {
        unsigned c = s[j];
        if (c < 0x80) {
            if (a_alnum(c)) {
                if (cls > SC_OTHER) break;
                cls = SC_OTHER;
                letters++;
                j++;
                continue;
            }
            if ((c == '\'' || c == '-') && letters) {
                size_t k;
                int32_t nx = peek(st, j + 1, &k);
                int ok = cp_is_letter(nx) || (c == '-' && nx >= '0' && nx <= '9');
                if (!ok) break;
                if (c == '\'' && elides(st, j, letters)) { /* l'hôtel */
                    j++;
                    break;
                }
                j++;
                continue;
            }
            break;
        }
        int32_t cp;
        int bad;
        size_t k = dec(s, n, j, &cp, &bad);
        if (bad) {
            if (!letters) break;
            *invalid = 1;
            j += k;
            continue;
        }
        utf8proc_category_t cat = utf8proc_category(cp);
        if (is_letter_cat(cat) || cat == UTF8PROC_CATEGORY_ND) {
            int sc = script_class(cp);
            /* the prolonged sound mark lengthens hiragana too: すごーい */
            if ((cp == 0x30FC || cp == 0xFF70) && (cls == SC_HIRA || cls == SC_KATA)) sc = cls;
            if (cls >= 0 && sc != cls) break;
            if (sc == SC_HAN && letters) break;
            cls = sc;
            letters++;
            j += k;
            if (sc == SC_HAN) {
                /* take following marks / variation selectors, then stop */
                while (j < n) {
                    int32_t m;
                    size_t mk = dec(s, n, j, &m, &bad);
                    if (bad || !is_mark_cat(utf8proc_category(m))) break;
                    j += mk;
                }
                break;
            }
            continue;
        }
        if (is_mark_cat(cat)) {
            j += k;
            continue;
        }
        if (letters && (cp == 0x200C || cp == 0x200D || cp == 0x00AD)) {
            size_t k2;
            if (cp_is_letter(peek(st, j + k, &k2))) {
                j += k;
                continue;
            }
            break;
        }
        if (letters && (is_apostrophe(cp) || is_hyphen(cp))) {
            size_t k2;
            if (!cp_is_letter(peek(st, j + k, &k2))) break;
            if (is_apostrophe(cp) && elides(st, j, letters)) {
                j += k;
                break;
            }
            j += k;
            continue;
        }
        break;
    }
    return j - i;
}

/* Scan an emoji grapheme cluster (UAX #29 via utf8proc). */
static size_t scan_emoji(tokstate *st, size_t i)
{
    size_t k;
    int32_t prev = peek(st, i, &k);
    size_t j = i + k;
    utf8proc_int32_t state = 0;
    while (j < st->n) {
        size_t k2;
        int32_t c = peek(st, j, &k2);
        if (utf8proc_grapheme_break_stateful(prev, c, &state)) break;
        prev = c;
        j += k2;
    }
    return j - i;
}

static int emit_emoji(tokstate *st, size_t a, size_t b)
{
    vocal_workspace *ws = st->ws;
    size_t off = ws->strs.len;
    for (size_t j = a; j < b;) {
        int32_t c;
        int bad;
        j += dec(st->s, b, j, &c, &bad);
        /* norm is the base sequence: no variation selectors, no skin tones */
        if (c == 0xFE0F || c == 0xFE0E || (c >= 0x1F3FB && c <= 0x1F3FF)) continue;
        if (put_cp(&ws->strs, c) < 0) return VOCAL_ENOMEM;
    }
    if (ws->strs.len == off && vocal__buf_put(&ws->strs, st->s + a, b - a) < 0) return VOCAL_ENOMEM;
    return push_token(st, VOCAL_KIND_EMOJI, 0, a, b, off);
}

/* Punctuation at i: runs of ! and ? (also fullwidth, ‼ and ⁉) are one token, as are
 * runs of one of '.', '-', the ellipsis and the ideographic full stop. */
static int emit_punct(tokstate *st, size_t i, size_t *adv)
{
    size_t k;
    int32_t c = peek(st, i, &k);
    int q = (c == '!' || c == '?' || c == 0xFF01 || c == 0xFF1F || c == 0x203C || c == 0x2049);
    size_t j = i + k, count = 1;
    if (q) {
        for (;;) {
            size_t k2;
            int32_t d = peek(st, j, &k2);
            if (!(d == '!' || d == '?' || d == 0xFF01 || d == 0xFF1F || d == 0x203C || d == 0x2049)) break;
            j += k2;
            count++;
        }
    } else if (c == '.' || c == '-' || c == 0x2026 || c == 0x3002) {
        for (;;) {
            size_t k2;
            if (peek(st, j, &k2) != c) break;
            j += k2;
            count++;
        }
    }
    *adv = j - i;
    /* one "…", "‼" or "⁉" is a repeat already: NFKC spells it out as "...", "!!", "!?" */
    uint32_t fl = (count > 1 || c == 0x2026 || c == 0x203C || c == 0x2049) ? VOCAL_TOK_REPEAT : 0;
    return emit_norm(st, VOCAL_KIND_PUNCT, fl, i, j);
}

/* Is t an abbreviation whose period does not end the sentence? Single
 * letters (e.g., U.S.) and a fixed list. "No." only abbreviates before a
 * number ("No. 5"): "No. The room was dirty." is an answer, and taking it for
 * an abbreviation would negate the next sentence. */
static int is_abbrev(const vocal_token *t, const vocal_token *next)
{
    static const char *const ab[] = {"mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "approx",
                                     "dept", "inc", "ltd", "co", NULL};
    if (t->kind != VOCAL_KIND_WORD) return 0;
    if (t->norm_len == 1) return 1;
    for (size_t i = 0; ab[i]; i++)
        if (strcmp(t->norm, ab[i]) == 0) return 1;
    return strcmp(t->norm, "no") == 0 && next && next->kind == VOCAL_KIND_NUMBER;
}

/* White space (ASCII or U+00A0) just before byte `off`, or the text's start. */
static int space_before(const tokstate *st, size_t off)
{
    return off == 0 || st->s[off - 1] <= ' ' ||
           (off >= 2 && st->s[off - 2] == 0xC2 && st->s[off - 1] == 0xA0);
}

/* White space at byte `off`, or the text's end. */
static int space_at(const tokstate *st, size_t off)
{
    return off >= st->n || st->s[off] <= ' ' ||
           (off + 1 < st->n && st->s[off] == 0xC2 && st->s[off + 1] == 0xA0);
}

/* Does the dash token t end a clause? A typographic dash (— –) or a run of
 * hyphens ("--") does, as in "great food -- awful service"; a single hyphen
 * only when spaced ("food - service"), not in "2-3 days" or "3.5-star". A
 * dash that opens a sentence is a bullet ("- fast\n- cheap"), not a break. */
static int dash_ends_clause(const tokstate *st, const vocal_token *t, int opens_sentence)
{
    if (opens_sentence) return 0;
    if (strcmp(t->norm, "-") != 0) return 1;
    return space_before(st, (size_t)t->start) && space_at(st, (size_t)t->end);
}

/* English negative contraction: "n't" at the end of the word or before
 * another contraction ("shouldn't've"). */
static int has_nt(const char *w, size_t n)
{
    for (size_t p = 0; p + 3 <= n; p++)
        if (w[p] == 'n' && w[p + 1] == '\'' && w[p + 2] == 't' && (p + 3 == n || w[p + 3] == '\''))
            return 1;
    return 0;
}

/* A word's marks from the tokenizer's word lists: VOCAL_TOK_NEGATOR and
 * VOCAL_TOK_CONTRAST. */
static uint32_t word_marks(const vocal_tokenizer *tk, const char *w, size_t wl, uint64_t h)
{
    uint32_t f = 0;
    if (wordset_has(&tk->negators, w, wl, h) || (tk->rule_nt && has_nt(w, wl)) ||
        (tk->rule_n_apos && wl >= 2 && w[0] == 'n' && w[1] == '\''))
        f |= VOCAL_TOK_NEGATOR;
    if (wordset_has(&tk->contrast, w, wl, h)) f |= VOCAL_TOK_CONTRAST;
    return f;
}

/* Second pass: stems, negators, contrast words, sentence and clause ends,
 * negation scope, indices. */
static int finish(tokstate *st)
{
    vocal_workspace *ws = st->ws;
    const vocal_tokenizer *tk = st->tk;
    vocal_token *t = ws->toks;
    size_t n = ws->ntok;
    /* the words' hashes and cache slots first, so the slots' misses
     * overlap (the cache is far larger than the CPU's: a rare word's slot
     * is a miss) */
    int warm = ws->cache_cap && ws->cache_n * 2 < ws->cache_cap;
    for (size_t i = 0; i < n; i++) {
        if (t[i].kind != VOCAL_KIND_WORD) continue;
        uint64_t h = ws->tok_hash[i] = word_hash(ws->strs.p + ws->norm_off[i], t[i].norm_len);
        if (warm) VOCAL__PREFETCH(&ws->cache[(size_t)h & (ws->cache_cap - 1)]);
    }
    /* fix up pointers first (strs no longer grows, except by stems: done after) */
    for (size_t i = 0; i < n; i++) {
        if (t[i].kind != VOCAL_KIND_WORD) continue;
        const char *w = ws->strs.p + ws->norm_off[i];
        size_t wl = t[i].norm_len;
        uint64_t h = ws->tok_hash[i];
        if (wl > 255) {
            /* too long to cache (or to be a word worth stemming): no id */
            t[i].flags |= word_marks(tk, w, wl, h);
            continue;
        }
        stem_entry *e = stem_cached(ws, w, wl, h);
        if (!e) return VOCAL_ENOMEM;
        if (!(e->wflags & WF_KNOWN)) {
            uint32_t f = word_marks(tk, w, wl, h);
            e->wflags = (uint8_t)(WF_KNOWN | (f & VOCAL_TOK_NEGATOR ? WF_NEGATOR : 0) |
                                  (f & VOCAL_TOK_CONTRAST ? WF_CONTRAST : 0));
        }
        if (e->wflags & WF_NEGATOR) t[i].flags |= VOCAL_TOK_NEGATOR;
        if (e->wflags & WF_CONTRAST) t[i].flags |= VOCAL_TOK_CONTRAST;
        ws->tok_word[i] = e->id;
        if (!e->same) {
            /* the stem may move when strs grows: copied from the arena by offset */
            size_t so = e->stem_off, sl = e->stem_len;
            ws->stem_off[i] = ws->strs.len;
            if (vocal__buf_reserve(&ws->strs, sl + 1) < 0) return VOCAL_ENOMEM;
            memcpy(ws->strs.p + ws->strs.len, ws->arena.p + so, sl);
            ws->strs.p[ws->strs.len + sl] = '\0';
            ws->strs.len += sl + 1;
            t[i].stem_len = sl;
        }
    }
    for (size_t i = 0; i < n; i++) {
        t[i].norm = ws->strs.p + ws->norm_off[i];
        t[i].stem = ws->strs.p + ws->stem_off[i];
    }
    /* boundaries */
    for (size_t i = 0; i < n; i++) {
        if (t[i].kind == VOCAL_KIND_PUNCT) {
            const char *p = t[i].norm;
            if (strchr(p, '!') || strchr(p, '?') || strstr(p, "\xE3\x80\x82") /* 。 */ ||
                strstr(p, "\xD8\x9F") /* ؟ */ || strstr(p, "\xE0\xA5\xA4") /* । */) {
                t[i].flags |= VOCAL_TOK_SENT_END;
            } else if (strcmp(p, ".") == 0) {
                if (i > 0 && is_abbrev(&t[i - 1], i + 1 < n ? &t[i + 1] : NULL) &&
                    !(t[i - 1].flags & VOCAL_TOK_SENT_END)) {
                    /* "No. 5" is a number, not a negation */
                    if (!strcmp(t[i - 1].norm, "no")) t[i - 1].flags &= ~VOCAL_TOK_NEGATOR;
                } else {
                    t[i].flags |= VOCAL_TOK_SENT_END;
                }
            } else if (p[0] == '-' || !strcmp(p, "\xE2\x80\x94") || !strcmp(p, "\xE2\x80\x93")) {
                if (dash_ends_clause(st, &t[i], i == 0 || (t[i - 1].flags & VOCAL_TOK_SENT_END)))
                    t[i].flags |= VOCAL_TOK_CLAUSE_END;
            } else if (!strcmp(p, ",") || !strcmp(p, ";") || !strcmp(p, ":") ||
                       (p[0] == '.' && p[1] == '.') /* "..", "...", "…" (NFKC "...") trail off */ ||
                       !strcmp(p, "\xEF\xBC\x8C") || !strcmp(p, "\xE3\x80\x81")) {
                t[i].flags |= VOCAL_TOK_CLAUSE_END;
            }
        }
        if ((t[i].flags & VOCAL_TOK_CONTRAST) && i > 0) t[i - 1].flags |= VOCAL_TOK_CLAUSE_END;
    }
    if (n) t[n - 1].flags |= VOCAL_TOK_SENT_END;
    uint32_t sent = 0, clause = 0;
    int neg = 0;
    for (size_t i = 0; i < n; i++) {
        if (t[i].flags & VOCAL_TOK_SENT_END) t[i].flags |= VOCAL_TOK_CLAUSE_END;
        t[i].sentence = sent;
        t[i].clause = clause;
        uint32_t k = t[i].kind;
        /* "#NotHappy" negates its own part "happy", not the words after the tag */
        if (i > 0 && (t[i - 1].flags & VOCAL_TOK_HASHTAG_PART) && !(t[i].flags & VOCAL_TOK_HASHTAG_PART))
            neg = 0;
        if (t[i].flags & VOCAL_TOK_NEGATOR) {
            neg = 1;
        } else if (k == VOCAL_KIND_EMOJI || k == VOCAL_KIND_EMOTICON || k == VOCAL_KIND_URL ||
                   k == VOCAL_KIND_MENTION || k == VOCAL_KIND_HASHTAG) {
            /* social text punctuates with these: "not happy :( #fail" negates only "happy" */
            neg = 0;
        } else if (neg && k != VOCAL_KIND_PUNCT) {
            t[i].flags |= VOCAL_TOK_NEGATED;
        }
        if (t[i].flags & VOCAL_TOK_CLAUSE_END) {
            clause++;
            neg = 0;
        }
        if (t[i].flags & VOCAL_TOK_SENT_END) sent++;
    }
    st->info.n_sentences = sent;
    st->info.n_clauses = clause;
    return VOCAL_OK;
}

int vocal_text_tokenize(const vocal_token **out, vocal_text_info *info, vocal_workspace *ws,
                        const char *text, size_t len, vocal_error *err)
{
    assert(out && ws);
    *out = NULL;
    if (len > ((size_t)1 << 30))
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX,
                          "text of %zu bytes is over the 1 GiB limit", len);
    tokstate st;
    memset(&st, 0, sizeof st);
    st.ws = ws;
    st.tk = ws->tk;
    st.s = (const unsigned char *)(text ? text : "");
    st.n = text ? len : 0;
    st.info.first_invalid = UINT64_MAX;
    ws->ntok = 0;
    ws->strs.len = 0;
    ws->words_valid = 0;
    if (ws->cache_n >= STEM_CACHE_MAX) cache_reset(ws);
    const unsigned char *s = st.s;
    size_t n = st.n, i = 0;
    int rc = VOCAL_OK;
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        i = 3;
        st.info.bom = 1;
    }
    while (i < n && rc >= 0) {
        unsigned c = s[i];
        size_t m;
        /* whitespace, controls, NUL */
        if (c <= ' ' || c == 0x7F) {
            if (c == 0) st.info.nul_bytes++;
            if (c == '\n' || c == '\r' || c == 0x0B || c == 0x0C) st.pending_break = 1;
            i++;
            continue;
        }
        if (c < 0x80) {
            if ((ascii_class[c] & A_URL) && is_url_start(s, n, i)) {
                m = match_url(s, n, i);
                rc = emit_raw(&st, VOCAL_KIND_URL, 0, i, i + m);
                i += m;
                continue;
            }
            if (a_alnum(c)) {
                /* one scan of the alphanumeric run decides the common case: a plain
                 * ASCII word followed by a space or punctuation goes straight out */
                size_t j = i + 1;
                while (j < n && a_alnum(s[j])) j++;
                unsigned d = j < n ? s[j] : ' ';
                if (d == '@' || d == '.' || d == '_' || d == '%' || d == '+' || d == '-') {
                    /* an e-mail needs an '@' after its run of local-part characters */
                    if ((m = match_email(s, n, i, &st.no_email_before)) > 0) {
                        rc = emit_norm(&st, VOCAL_KIND_EMAIL, 0, i, i + m);
                        i += m;
                        continue;
                    }
                } else if (a_alpha(c) && d < 0x80 && d != '\'' && d != ':' && d != ';' && d != '=' &&
                           !((ascii_class[c] & A_URL) && is_url_start(s, n, i)) &&
                           !((ascii_class[c] & A_EMO) && (j - i == 1 || c == 'x' || c == 'X'))) {
                    rc = emit_word(&st, 0, i, j, 0);
                    i = j;
                    continue;
                }
            }
            if (c == '@' && (m = match_mention(s, n, i)) > 0) {
                rc = emit_norm(&st, VOCAL_KIND_MENTION, 0, i, i + m);
                i += m;
                continue;
            }
            if ((ascii_class[c] & A_EMO) && (m = match_emoticon(s, n, i)) > 0) {
                rc = emit_raw(&st, VOCAL_KIND_EMOTICON, 0, i, i + m);
                i += m;
                continue;
            }
            /* keycap: [0-9#*] U+FE0F? U+20E3 */
            if (a_digit(c) || c == '#' || c == '*') {
                size_t j = i + 1;
                if (j + 2 < n && s[j] == 0xEF && s[j + 1] == 0xB8 && s[j + 2] == 0x8F) j += 3;
                if (j + 2 < n && s[j] == 0xE2 && s[j + 1] == 0x83 && s[j + 2] == 0xA3) {
                    rc = emit_emoji(&st, i, j + 3);
                    i = j + 3;
                    continue;
                }
            }
            if (c == '#') {
                size_t j = i + 1, k;
                int letters = 0, fffd = 0;
                while (j < n) {
                    int32_t d = peek(&st, j, &k);
                    if (d == '_' || (d < 0x80 && a_alnum((unsigned)d))) {
                        if (d >= 'A') letters |= d != '_';
                    } else if (d == 0xFFFD) {
                        /* Latin-1 "#caf\xE9" stays one tag, as "caf\xE9" stays one word */
                        fffd = 1;
                    } else if (d >= 0x80) {
                        utf8proc_category_t cat = utf8proc_category(d);
                        if (is_letter_cat(cat)) letters = 1;
                        else if (!is_mark_cat(cat) && cat != UTF8PROC_CATEGORY_ND) break;
                    } else {
                        break;
                    }
                    j += k;
                }
                if (letters) {
                    int inv = fffd && vocal_utf8_check((const char *)s + i, j - i, NULL) > 0;
                    rc = emit_norm(&st, VOCAL_KIND_HASHTAG, inv ? VOCAL_TOK_INVALID : 0, i, j);
                    if (rc >= 0 && !(st.tk->flags & VOCAL_TEXT_NO_HASHTAG_SPLIT))
                        rc = emit_hashtag_parts(&st, i + 1, j, inv);
                    i = j;
                    continue;
                }
            }
            if (a_digit(c) || c == '$') {
                int is_word;
                m = match_number(s, n, i, &is_word);
                if (m) {
                    rc = emit_norm(&st, VOCAL_KIND_NUMBER, 0, i, i + m);
                    i += m;
                    continue;
                }
                if (is_word && a_digit(c)) {
                    int inv;
                    m = scan_word(&st, i, &inv);
                    rc = emit_word(&st, 0, i, i + m, inv);
                    i += m;
                    continue;
                }
            }
            if (a_alpha(c)) {
                int inv;
                m = scan_word(&st, i, &inv);
                rc = emit_word(&st, 0, i, i + m, inv);
                i += m;
                continue;
            }
            rc = emit_punct(&st, i, &m);
            i += m;
            continue;
        }
        /* non-ASCII */
        int32_t cp;
        int bad;
        size_t k = dec(s, n, i, &cp, &bad);
        if (bad) {
            if (st.info.first_invalid == UINT64_MAX) st.info.first_invalid = i;
        }
        if (bad) {
            /* a word may start right after the bad bytes ("\xE9t\xE9"): take them in */
            size_t k2;
            int32_t nx = peek(&st, i + k, &k2);
            if (cp_is_letter(nx) && nx != 0xFFFD) {
                int inv;
                size_t w = scan_word(&st, i + k, &inv);
                rc = emit_word(&st, 0, i, i + k + w, 1);
                i += k + w;
            } else {
                rc = emit_norm(&st, VOCAL_KIND_SYMBOL, VOCAL_TOK_INVALID, i, i + k);
                i += k;
            }
            continue;
        }
        if (is_space_cp(cp) || cp == 0xFEFF || cp == 0x200B || cp == 0x200C || cp == 0x200D ||
            cp == 0x2060 || cp == 0x00AD) {
            if (is_newline_cp(cp)) st.pending_break = 1;
            i += k;
            continue;
        }
        if (cp == 0xA3 || cp == 0xA5 || cp == 0x20AC || cp == 0x20B9) {
            int is_word;
            m = match_number(s, n, i, &is_word);
            if (m) {
                rc = emit_norm(&st, VOCAL_KIND_NUMBER, 0, i, i + m);
                i += m;
                continue;
            }
        }
        if (cp == 0xAF && (m = match_emoticon(s, n, i)) > 0) { /* the shrug */
            rc = emit_raw(&st, VOCAL_KIND_EMOTICON, 0, i, i + m);
            i += m;
            continue;
        }
        {
            size_t k2;
            int32_t nx = peek(&st, i + k, &k2);
            if (is_emoji_start(cp) || nx == 0xFE0F) {
                m = scan_emoji(&st, i);
                rc = emit_emoji(&st, i, i + m);
                i += m;
                continue;
            }
        }
        utf8proc_category_t cat = utf8proc_category(cp);
        if (is_letter_cat(cat) || is_mark_cat(cat) || cat == UTF8PROC_CATEGORY_ND) {
            int inv;
            m = scan_word(&st, i, &inv);
            if (m == 0) m = k;
            /* digits only (fullwidth "１２３", Arabic-Indic "٣٠") make a number */
            int digits = cat == UTF8PROC_CATEGORY_ND && !inv;
            for (size_t q = i + k; digits && q < i + m;) {
                int32_t d;
                int b2;
                q += dec(s, i + m, q, &d, &b2);
                digits = d < 0x80 ? a_digit((unsigned)d) : utf8proc_category(d) == UTF8PROC_CATEGORY_ND;
            }
            rc = digits ? emit_norm(&st, VOCAL_KIND_NUMBER, 0, i, i + m) : emit_word(&st, 0, i, i + m, inv);
            i += m;
            continue;
        }
        if (cat == UTF8PROC_CATEGORY_NO || cat == UTF8PROC_CATEGORY_NL) {
            /* circled, superscript, fraction and Roman numerals (① ² ½ Ⅻ): NFKC
             * makes them ASCII ("1", "2", "1⁄2", "xii") */
            rc = emit_norm(&st, VOCAL_KIND_NUMBER, 0, i, i + k);
            i += k;
            continue;
        }
        if (cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO) {
            rc = emit_punct(&st, i, &m);
            i += m;
            continue;
        }
        if (cat == UTF8PROC_CATEGORY_CC || cat == UTF8PROC_CATEGORY_CF || cat == UTF8PROC_CATEGORY_CN ||
            cat == UTF8PROC_CATEGORY_CO || cat == UTF8PROC_CATEGORY_CS || cat == UTF8PROC_CATEGORY_ZL ||
            cat == UTF8PROC_CATEGORY_ZP || cat == UTF8PROC_CATEGORY_ZS) {
            i += k;
            continue;
        }
        rc = emit_norm(&st, VOCAL_KIND_SYMBOL, 0, i, i + k);
        i += k;
    }
    /* count every invalid sequence (including those inside words/URLs) */
    if (rc >= 0) {
        size_t first;
        st.info.invalid = vocal_utf8_check((const char *)s, n, &first);
        if (st.info.invalid) st.info.first_invalid = first;
        rc = finish(&st);
    }
    if (rc < 0) {
        ws->ntok = 0;
        return vocal__err_oom(err);
    }
    st.info.n_tokens = ws->ntok;
    ws->words_valid = 1;
    /* shouting needs an ALL-CAPS word: "I" or "A B" alone is not */
    st.info.all_caps = st.caps_word && st.lower == 0;
    if (info) *info = st.info;
    *out = ws->toks;
    return (int)ws->ntok;
}

/* MARK: normalize, names, versions */

int vocal_text_normalize(char *dst, size_t cap, size_t *out_len, const char *s, size_t len,
                         vocal_error *err)
{
    /* A throwaway state with its own buffers: this entry point needs no workspace. */
    vocal_workspace ws;
    memset(&ws, 0, sizeof ws);
    vocal_tokenizer tk;
    memset(&tk, 0, sizeof tk);
    ws.tk = &tk;
    tokstate st;
    memset(&st, 0, sizeof st);
    st.ws = &ws;
    st.tk = &tk;
    st.s = (const unsigned char *)(s ? s : "");
    st.n = s ? len : 0;
    int rc = normalize_span(&st, 0, st.n);
    size_t need = ws.strs.len;
    if (rc >= 0) {
        if (out_len) *out_len = need;
        if (need + 1 > cap) {
            rc = vocal__err(err, VOCAL_EBUFS, NULL, 0, UINT64_MAX, "need %zu bytes", need + 1);
        } else {
            if (need) memcpy(dst, ws.strs.p, need);
            dst[need] = '\0';
        }
    } else {
        rc = vocal__err_oom(err);
    }
    vocal__buf_free(&ws.strs);
    vocal__free(ws.cps);
    return rc;
}

const char *vocal_token_kind_name(uint32_t kind)
{
    static const char *const names[] = {"word", "number", "url", "email", "mention",
                                        "hashtag", "emoji", "emoticon", "punct", "symbol"};
    return kind < sizeof names / sizeof names[0] ? names[kind] : "?";
}

const char *vocal_token_flag_name(uint32_t flag)
{
    static const char *const names[] = {"caps", "elongated", "repeat", "negator", "negated",
                                        "contrast", "hashtag_part", "invalid", "sent_end", "clause_end"};
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
        if (flag == (1u << i)) return names[i];
    return NULL;
}

const char *vocal_utf8proc_version(void)
{
    return utf8proc_version();
}

const char *vocal_unicode_version(void)
{
    return utf8proc_unicode_version();
}
