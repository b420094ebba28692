/* The lexicon module: see include/vocal/lexicon.h, docs/scorer.md and
 * lexicons/README.md. */
#include "vocal/lexicon.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../text/text_int.h"
#include "../util/util_int.h"

/* MARK: scorer constants
 * Tuned on training splits only (airline_tweets and vader_* train files); the
 * history is in docs/scorer.md. Never tuned on a dev or test split. */
#ifndef NEG_FLIP_POS
#define NEG_FLIP_POS (-0.70) /* "not good": a positive word under negation */
#endif
#ifndef NEG_FLIP_NEG
#define NEG_FLIP_NEG (-0.45) /* "not bad": a negative word under negation is weakly positive */
#endif
#ifndef NEG_FAR_SCALE
#define NEG_FAR_SCALE 0.55    /* negator more than NEG_NEAR words back: damped, not flipped */
#endif
#ifndef NEG_NEAR
#define NEG_NEAR 3       /* words between negator and the word for a full flip */
#endif
#ifndef CAPS_SCALE
#define CAPS_SCALE 1.35    /* ALL-CAPS word in a text that is not all caps */
#endif
#ifndef ELONG_SCALE
#define ELONG_SCALE 1.15    /* "goooood" */
#endif
#ifndef BOOST_DECAY1
#define BOOST_DECAY1 1.00    /* booster right before the word */
#endif
#ifndef BOOST_DECAY2
#define BOOST_DECAY2 0.80    /* one word between */
#endif
#ifndef BOOST_DECAY3
#define BOOST_DECAY3 0.60    /* two words between */
#endif
#ifndef W_DOWN
#define W_DOWN 0.50    /* before "but", inside a concession */
#endif
#ifndef W_UP
#define W_UP 1.50    /* after "but", the main clause of a concession */
#endif
#ifndef EXCL_EACH
#define EXCL_EACH 0.25    /* each '!' (up to EXCL_MAX) adds this to |sum| */
#endif
#ifndef EXCL_MAX
#define EXCL_MAX 4
#endif
#ifndef QUEST_EACH
#define QUEST_EACH 0.15    /* each '?' beyond the first (up to QUEST_MAX) */
#endif
#ifndef QUEST_MAX
#define QUEST_MAX 3
#endif
#ifndef ALPHA
#define ALPHA 15.0    /* compound = sum / sqrt(sum^2 + ALPHA) */
#endif

/* MARK: maps */

/* One entry per key and namespace (words, emoji, emoticons), holding every
 * role the key has, so scoring a word costs one hash and one probe. Strings
 * live in `arena`. */
enum { NS_WORD = 0, NS_EMOJI = 1, NS_EMOTICON = 2 };
/* E_PHRASE1: a word with a one-word expression (a key that was only spaces
 * around it), found by walking its `phrase` chain */
enum { E_VALENCE = 1, E_BOOSTER = 2, E_NEGATOR = 4, E_CONTRAST = 8, E_PHRASE1 = 16 };
typedef struct entry {
    uint64_t hash;  /* 0 = empty */
    uint32_t off, len;
    uint8_t ns;
    uint8_t has;    /* E_* */
    int32_t phrase; /* first phrase starting with this word, -1 none */
    double valence;
    double boost;
    double role;    /* contrast role: 1 after, 2 before, 3 concessive */
} entry;

typedef struct map {
    entry *e;
    size_t cap, n;
} map;

typedef struct phrase {
    uint32_t words_off; /* words in the arena, each as a length byte and its bytes */
    uint32_t nwords;
    uint8_t kind;       /* VALENCE, BOOSTER, NEGATOR, CONTRAST */
    double value;
    int32_t next;       /* next phrase with the same first word */
    int32_t next2;      /* next phrase in its pair slot (pair_hash) */
    int live;           /* 0 once overridden */
} phrase;

struct vocal_lexicon {
    char lang[32];
    vocal__buf arena;
    map m;              /* single keys of every kind + phrase heads */
    phrase *ph;
    size_t nph, phcap;
    /* the phrases of two or more words by their first two words' pair_hash:
     * open addressing, a slot's phrases chained by next2 (a chain may hold
     * two pairs whose hashes collide: phrase_at checks every word) */
    struct pair_slot {
        uint64_t h; /* 0 = empty */
        int32_t first;
    } *pairs;
    size_t pcap, npairs;
    size_t counts[6];
    uint64_t serial;    /* a new vocal__serial() at every change: the word memos' owner */
};

static uint64_t key_hash(int ns, const char *s, size_t n)
{
    uint64_t h = vocal__hash(s, n) ^ ((uint64_t)ns * 0x9E3779B97F4A7C15ULL);
    return h ? h : 1;
}

static entry *map_find(const vocal_lexicon *lex, int ns, const char *s, size_t n)
{
    const map *m = &lex->m;
    if (!m->n) return NULL;
    uint64_t h = key_hash(ns, s, n);
    size_t j = (size_t)h & (m->cap - 1);
    while (m->e[j].hash) {
        entry *e = &m->e[j];
        if (e->hash == h && e->ns == ns && e->len == n && memcmp(lex->arena.p + e->off, s, n) == 0)
            return e;
        j = (j + 1) & (m->cap - 1);
    }
    return NULL;
}

static int map_grow(map *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 4096;
    entry *ne = (entry *)vocal__calloc(ncap, sizeof *ne);
    if (!ne) return VOCAL_ENOMEM;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->e[i].hash) continue;
        size_t j = (size_t)m->e[i].hash & (ncap - 1);
        while (ne[j].hash) j = (j + 1) & (ncap - 1);
        ne[j] = m->e[i];
    }
    vocal__free(m->e);
    m->e = ne;
    m->cap = ncap;
    return VOCAL_OK;
}

/* Find or insert; *created tells which. */
static entry *map_put(vocal_lexicon *lex, int ns, const char *s, size_t n, int *created)
{
    lex->serial = vocal__serial(); /* entries change or move: memos of lookups are stale */
    entry *e = map_find(lex, ns, s, n);
    *created = 0;
    if (e) return e;
    map *m = &lex->m;
    if ((m->n + 1) * 2 > m->cap && map_grow(m) < 0) return NULL;
    size_t off = lex->arena.len;
    if (vocal__buf_put(&lex->arena, s, n) < 0 || vocal__buf_putc(&lex->arena, 0) < 0) return NULL;
    uint64_t h = key_hash(ns, s, n);
    size_t j = (size_t)h & (m->cap - 1);
    while (m->e[j].hash) j = (j + 1) & (m->cap - 1);
    e = &m->e[j];
    memset(e, 0, sizeof *e);
    e->hash = h;
    e->ns = (uint8_t)ns;
    e->off = (uint32_t)off;
    e->len = (uint32_t)n;
    e->phrase = -1;
    m->n++;
    *created = 1;
    return e;
}

/* MARK: lifecycle */

int vocal_lexicon_new(vocal_lexicon **out, const char *language, vocal_error *err)
{
    assert(out);
    *out = NULL;
    vocal_text_options o = VOCAL_TEXT_OPTIONS_INIT;
    o.language = language;
    vocal_tokenizer *tk = NULL;
    int rc = vocal_tokenizer_new(&tk, &o, err);
    if (rc < 0) return rc;
    vocal_lexicon *lex = (vocal_lexicon *)vocal__calloc(1, sizeof *lex);
    if (!lex) {
        vocal_tokenizer_free(tk);
        return vocal__err_oom(err);
    }
    snprintf(lex->lang, sizeof lex->lang, "%s", vocal_tokenizer_language(tk));
    vocal_tokenizer_free(tk);
    lex->serial = vocal__serial();
    *out = lex;
    return VOCAL_OK;
}

void vocal_lexicon_free(vocal_lexicon *lex)
{
    if (!lex) return;
    vocal__buf_free(&lex->arena);
    vocal__free(lex->m.e);
    vocal__free(lex->ph);
    vocal__free(lex->pairs);
    vocal__free(lex);
}

size_t vocal_lexicon_count(const vocal_lexicon *lex, vocal_lexicon_kind kind)
{
    return (unsigned)kind < 6 ? lex->counts[kind] : 0;
}

/* Mix one value into a 64-bit hash (splitmix64's finalizer): the fingerprint
 * sums mixed entry hashes, so entry order cannot matter but every bit can. */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t dbl_bits(double d)
{
    uint64_t u;
    if (d == 0) d = 0; /* -0.0 and 0.0 are the same value */
    memcpy(&u, &d, sizeof u);
    return u;
}

uint64_t vocal_lexicon_fingerprint(const vocal_lexicon *lex)
{
    uint64_t fp = 0;
    for (size_t i = 0; i < lex->m.cap; i++) {
        const entry *e = &lex->m.e[i];
        if (!e->hash || !(e->has & (E_VALENCE | E_BOOSTER | E_NEGATOR | E_CONTRAST))) continue;
        uint64_t h = e->hash;
        if (e->has & E_VALENCE) fp += mix64(h ^ mix64(1 ^ dbl_bits(e->valence)));
        if (e->has & E_BOOSTER) fp += mix64(h ^ mix64(2 ^ dbl_bits(e->boost)));
        if (e->has & E_NEGATOR) fp += mix64(h ^ 3);
        if (e->has & E_CONTRAST) fp += mix64(h ^ mix64(4 ^ dbl_bits(e->role)));
    }
    for (size_t i = 0; i < lex->nph; i++) {
        const phrase *p = &lex->ph[i];
        if (!p->live) continue;
        /* the words as stored: a length byte and the bytes, nwords times */
        const unsigned char *w = (const unsigned char *)lex->arena.p + p->words_off;
        size_t len = 0;
        for (uint32_t k = 0; k < p->nwords; k++) len += 1 + (size_t)w[len];
        fp += mix64(vocal__hash((const char *)w, len) ^ mix64(((uint64_t)p->kind << 56) ^ dbl_bits(p->value)));
    }
    return fp;
}

/* MARK: adding entries */

/* Normalize a key the way the tokenizer normalizes tokens. */
static int norm_key(vocal__buf *b, const char *s, size_t n)
{
    size_t need;
    char small[256];
    int rc = vocal_text_normalize(small, sizeof small, &need, s, n, NULL);
    if (rc == VOCAL_OK) {
        b->len = 0;
        return vocal__buf_put(b, small, need);
    }
    if (rc != VOCAL_EBUFS) return rc;
    b->len = 0;
    if (vocal__buf_reserve(b, need + 1) < 0) return VOCAL_ENOMEM;
    rc = vocal_text_normalize(b->p, need + 1, &need, s, n, NULL);
    if (rc < 0) return rc;
    b->len = need;
    return VOCAL_OK;
}

/* The hash of a phrase's first two words (never 0). */
static uint64_t pair_hash(const char *w1, size_t n1, const char *w2, size_t n2)
{
    uint64_t h = vocal__hash(w1, n1) * 0x9E3779B97F4A7C15ULL + vocal__hash(w2, n2);
    return h ? h : 1;
}

/* The slot of pair hash h: its own, or the empty one where it would go. */
static struct pair_slot *pair_slot(const vocal_lexicon *lex, uint64_t h)
{
    size_t j = (size_t)h & (lex->pcap - 1);
    while (lex->pairs[j].h && lex->pairs[j].h != h) j = (j + 1) & (lex->pcap - 1);
    return &lex->pairs[j];
}

/* File phrase idx (two or more words) under its first two words. */
static int pair_add(vocal_lexicon *lex, int32_t idx, uint64_t h)
{
    if ((lex->npairs + 1) * 2 > lex->pcap) {
        size_t nc = lex->pcap ? lex->pcap * 2 : 1024;
        struct pair_slot *old = lex->pairs, *np = (struct pair_slot *)vocal__calloc(nc, sizeof *np);
        if (!np) return VOCAL_ENOMEM;
        size_t oc = lex->pcap;
        lex->pairs = np;
        lex->pcap = nc;
        for (size_t i = 0; i < oc; i++)
            if (old[i].h) *pair_slot(lex, old[i].h) = old[i];
        vocal__free(old);
    }
    struct pair_slot *s = pair_slot(lex, h);
    if (!s->h) {
        s->h = h;
        s->first = -1;
        lex->npairs++;
    }
    lex->ph[idx].next2 = s->first;
    s->first = idx;
    return VOCAL_OK;
}

static int add_phrase(vocal_lexicon *lex, int kind, const char *key, size_t n, double value)
{
    /* split on spaces; words are stored NUL-separated */
    size_t off = lex->arena.len;
    uint32_t nw = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && key[i] == ' ') i++;
        size_t j = i;
        while (j < n && key[j] != ' ') j++;
        if (j > i) {
            if (j - i > 255) return VOCAL_EINPUT; /* words in expressions are at most 255 bytes */
            if (vocal__buf_putc(&lex->arena, (char)(unsigned char)(j - i)) < 0 ||
                vocal__buf_put(&lex->arena, key + i, j - i) < 0)
                return VOCAL_ENOMEM;
            nw++;
        }
        i = j;
    }
    if (nw == 0) return VOCAL_EINPUT; /* only spaces: an empty key */
    size_t plen = lex->arena.len - off;
    int created;
    size_t flen = (unsigned char)lex->arena.p[off];
    char firstw[256];
    memcpy(firstw, lex->arena.p + off + 1, flen);
    entry *head = map_put(lex, NS_WORD, firstw, flen, &created);
    if (!head) return VOCAL_ENOMEM;
    /* an identical phrase of the same kind is overridden (later files win) */
    int replaced = 0;
    for (int32_t p = head->phrase; p >= 0; p = lex->ph[p].next) {
        phrase *q = &lex->ph[p];
        if (!q->live || q->kind != kind || q->nwords != nw) continue;
        /* same words: the length-prefixed encodings are byte-identical */
        const char *a = lex->arena.p + q->words_off, *b = lex->arena.p + off;
        size_t alen = 0;
        for (uint32_t w = 0; w < nw; w++) alen += 1 + (unsigned char)a[alen];
        int same = alen == plen && memcmp(a, b, plen) == 0;
        if (same) {
            q->value = value;
            replaced = 1;
            break;
        }
    }
    if (replaced) return VOCAL_OK;
    if (lex->nph == lex->phcap) {
        size_t nc = lex->phcap ? lex->phcap * 2 : 512;
        phrase *p = (phrase *)vocal__realloc(lex->ph, nc * sizeof *p);
        if (!p) return VOCAL_ENOMEM;
        lex->ph = p;
        lex->phcap = nc;
    }
    phrase *q = &lex->ph[lex->nph];
    q->words_off = (uint32_t)off;
    q->nwords = nw;
    q->kind = (uint8_t)kind;
    q->value = value;
    q->next = head->phrase;
    q->next2 = -1;
    q->live = 1;
    int32_t idx = (int32_t)lex->nph++;
    head->phrase = idx;
    lex->counts[kind]++;
    if (nw == 1) {
        head->has |= E_PHRASE1;
        return VOCAL_OK;
    }
    const char *w2 = lex->arena.p + off + 1 + flen;
    return pair_add(lex, idx, pair_hash(firstw, flen, w2 + 1, (unsigned char)w2[0]));
}

/* Add one entry with an already normalized key (not pointing into the arena). */
static int add_entry(vocal_lexicon *lex, int kind, const char *key, size_t n, double value)
{
    if (n == 0) return VOCAL_EINPUT; /* e.g. only default-ignorable characters */
    if (kind != VOCAL_LEX_EMOJI && kind != VOCAL_LEX_EMOTICON && memchr(key, ' ', n))
        return add_phrase(lex, kind, key, n, value);
    int ns = kind == VOCAL_LEX_EMOJI ? NS_EMOJI : kind == VOCAL_LEX_EMOTICON ? NS_EMOTICON : NS_WORD;
    int created;
    entry *e = map_put(lex, ns, key, n, &created);
    if (!e) return VOCAL_ENOMEM;
    uint8_t bit = kind == VOCAL_LEX_BOOSTER ? E_BOOSTER : kind == VOCAL_LEX_NEGATOR ? E_NEGATOR
                  : kind == VOCAL_LEX_CONTRAST ? E_CONTRAST : E_VALENCE;
    if (!(e->has & bit)) lex->counts[kind]++;
    e->has |= bit;
    if (bit == E_VALENCE) e->valence = value;
    else if (bit == E_BOOSTER) e->boost = value;
    else if (bit == E_CONTRAST) e->role = value;
    return VOCAL_OK;
}

static int check_value(int kind, double v, const char **why)
{
    switch (kind) {
    case VOCAL_LEX_VALENCE:
        if (!(v >= -4.0 && v <= 4.0) || v == 0.0) {
            *why = "valence must be in [-4, 4] and not 0";
            return 0;
        }
        return 1;
    case VOCAL_LEX_EMOJI:
    case VOCAL_LEX_EMOTICON:
        if (!(v >= -4.0 && v <= 4.0)) {
            *why = "valence must be in [-4, 4]";
            return 0;
        }
        return 1;
    case VOCAL_LEX_BOOSTER:
        if (!(v >= -1.0 && v <= 1.0) || v == 0.0) {
            *why = "booster weight must be in [-1, 1] and not 0";
            return 0;
        }
        return 1;
    case VOCAL_LEX_CONTRAST:
        if (v != 1.0 && v != 2.0 && v != 3.0) {
            *why = "contrast role must be after, before or concessive";
            return 0;
        }
        return 1;
    default:
        return 1;
    }
}

int vocal_lexicon_add(vocal_lexicon *lex, vocal_lexicon_kind kind, const char *key, double value,
                      vocal_error *err)
{
    assert(lex && key);
    const char *why = NULL;
    if ((unsigned)kind > VOCAL_LEX_CONTRAST)
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "unknown lexicon kind %d", (int)kind);
    if (!key[0]) return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "empty key");
    if (kind == VOCAL_LEX_NEGATOR) value = 1.0;
    if (!check_value((int)kind, value, &why))
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "%s: %s", key, why);
    vocal__buf b = {0};
    int rc;
    if (kind == VOCAL_LEX_EMOTICON) {
        rc = vocal__buf_put(&b, key, strlen(key));
    } else if (kind == VOCAL_LEX_EMOJI) {
        /* keep the base sequence: no variation selectors, no skin tones (as token norms) */
        rc = VOCAL_OK;
        size_t n = strlen(key);
        for (size_t i = 0; i < n && rc == VOCAL_OK;) {
            int32_t cp;
            size_t k = vocal_utf8_decode(&cp, NULL, key + i, n - i);
            if (!(cp == 0xFE0F || cp == 0xFE0E || (cp >= 0x1F3FB && cp <= 0x1F3FF)))
                rc = vocal__buf_put(&b, key + i, k);
            i += k;
        }
    } else {
        rc = norm_key(&b, key, strlen(key));
    }
    if (rc == VOCAL_OK) rc = add_entry(lex, (int)kind, b.p, b.len, value);
    vocal__buf_free(&b);
    if (rc == VOCAL_ENOMEM) return vocal__err_oom(err);
    if (rc < 0) return vocal__err(err, rc, NULL, 0, UINT64_MAX, "'%.60s': empty key or a word over 255 bytes", key);
    return VOCAL_OK;
}

/* MARK: files */

static int kind_from_name(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (!strcmp(base, "emoji.tsv")) return VOCAL_LEX_EMOJI;
    if (!strcmp(base, "emoticons.tsv")) return VOCAL_LEX_EMOTICON;
    if (!strcmp(base, "boosters.tsv")) return VOCAL_LEX_BOOSTER;
    if (!strcmp(base, "negators.tsv")) return VOCAL_LEX_NEGATOR;
    if (!strcmp(base, "contrast.tsv")) return VOCAL_LEX_CONTRAST;
    return VOCAL_LEX_VALENCE;
}

static int kind_from_word(const char *w, size_t n)
{
    static const char *const names[] = {"valence", "emoji", "emoticons", "boosters", "negators", "contrast"};
    for (int i = 0; i < 6; i++)
        if (strlen(names[i]) == n && !memcmp(names[i], w, n)) return i;
    if (n == 8 && !memcmp(w, "emoticon", 8)) return VOCAL_LEX_EMOTICON;
    if (n == 7 && !memcmp(w, "booster", 7)) return VOCAL_LEX_BOOSTER;
    if (n == 7 && !memcmp(w, "negator", 7)) return VOCAL_LEX_NEGATOR;
    return -1;
}

/* Parse a strict decimal: optional sign, digits, optional fraction. */
static int parse_number(const char *s, size_t n, double *out)
{
    if (!n || n > 32) return 0;
    char buf[40];
    memcpy(buf, s, n);
    buf[n] = '\0';
    size_t i = 0;
    if (buf[i] == '-' || buf[i] == '+') i++;
    size_t d = 0;
    while (buf[i] >= '0' && buf[i] <= '9') i++, d++;
    if (buf[i] == '.') {
        i++;
        while (buf[i] >= '0' && buf[i] <= '9') i++, d++;
    }
    if (!d || buf[i]) return 0;
    /* locale-independent: the library never touches the locale, and strtod
     * under a ',' locale would misread "2.5"; we parse by hand */
    double v = 0, scale = 1;
    int neg = buf[0] == '-';
    i = (buf[0] == '-' || buf[0] == '+');
    while (buf[i] >= '0' && buf[i] <= '9') v = v * 10 + (buf[i++] - '0');
    if (buf[i] == '.') {
        i++;
        while (buf[i] >= '0' && buf[i] <= '9') {
            scale /= 10;
            v += (buf[i++] - '0') * scale;
        }
    }
    *out = neg ? -v : v;
    return 1;
}

/* "1F468 200D 1F469" -> UTF-8 */
static int parse_codepoints(vocal__buf *b, const char *s, size_t n)
{
    b->len = 0;
    size_t i = 0, count = 0;
    while (i < n) {
        if (s[i] == ' ') {
            i++;
            continue;
        }
        uint32_t cp = 0;
        size_t d = 0;
        if (i + 2 <= n && (s[i] == 'U' || s[i] == 'u') && s[i + 1] == '+') i += 2;
        while (i < n && s[i] != ' ') {
            char c = s[i];
            int v = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                    : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
            if (v < 0 || ++d > 6) return 0;
            cp = cp * 16 + (uint32_t)v;
            i++;
        }
        if (!d || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
        if (cp == 0xFE0F || cp == 0xFE0E || (cp >= 0x1F3FB && cp <= 0x1F3FF)) continue;
        char u[4];
        size_t k;
        if (cp < 0x80) { u[0] = (char)cp; k = 1; }
        else if (cp < 0x800) { u[0] = (char)(0xC0 | (cp >> 6)); u[1] = (char)(0x80 | (cp & 0x3F)); k = 2; }
        else if (cp < 0x10000) { u[0] = (char)(0xE0 | (cp >> 12)); u[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[2] = (char)(0x80 | (cp & 0x3F)); k = 3; }
        else { u[0] = (char)(0xF0 | (cp >> 18)); u[1] = (char)(0x80 | ((cp >> 12) & 0x3F)); u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[3] = (char)(0x80 | (cp & 0x3F)); k = 4; }
        if (vocal__buf_put(b, u, k) < 0) return -1;
        count++;
    }
    return count > 0;
}

int vocal_lexicon_load_file(vocal_lexicon *lex, const char *path, vocal_error *err)
{
    assert(lex && path);
    FILE *f = fopen(path, "rb");
    if (!f) return vocal__err(err, VOCAL_EIO, path, 0, UINT64_MAX, "cannot open: %s", strerror(errno));
    int kind = kind_from_name(path);
    char *line = NULL;
    size_t cap = 0;
    uint64_t lineno = 0, offset = 0, next = 0;
    int rc = VOCAL_OK;
    vocal__buf key = {0};
    for (;;) {
        /* getline is POSIX; read by hand to stay within C11 */
        size_t n = 0;
        int c;
        while ((c = fgetc(f)) != EOF) {
            if (n + 2 > cap) {
                size_t nc = cap ? cap * 2 : 256;
                char *p = (char *)vocal__realloc(line, nc);
                if (!p) {
                    rc = vocal__err_oom(err);
                    goto done;
                }
                line = p;
                cap = nc;
            }
            line[n++] = (char)c;
            if (c == '\n') break;
        }
        if (n == 0) break;
        lineno++;
        offset = next;
        next += n;
        if (line[n - 1] == '\n') n--;
        if (n && line[n - 1] == '\r') n--;
        line[n] = '\0';
        const char *s = line;
        if (lineno == 1 && n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) s += 3, n -= 3;
        if (lineno == 1) {
            if (n < 15 || memcmp(s, "#vocal-lexicon ", 15) != 0) {
                rc = vocal__err(err, VOCAL_EINPUT, path, lineno, offset,
                                "missing header line '#vocal-lexicon 1'");
                goto done;
            }
            if (s[15] != '1' || (n > 16 && s[16] != ' ')) {
                rc = vocal__err(err, VOCAL_EVERSION, path, lineno, offset,
                                "lexicon format '%.*s' is newer than this vocal reads (1)", (int)(n - 15), s + 15);
                goto done;
            }
            const char *kw = strstr(s, "kind=");
            if (kw) {
                const char *e = kw + 5;
                size_t kl = 0;
                while (e[kl] && e[kl] != ' ') kl++;
                int k2 = kind_from_word(e, kl);
                if (k2 < 0) {
                    rc = vocal__err(err, VOCAL_EINPUT, path, lineno, offset, "unknown lexicon kind '%.*s'", (int)kl, e);
                    goto done;
                }
                kind = k2;
            }
            continue;
        }
        if (n == 0 || s[0] == '#') continue;
        const char *tab = memchr(s, '\t', n);
        size_t klen = tab ? (size_t)(tab - s) : n;
        if (klen == 0) {
            rc = vocal__err(err, VOCAL_EINPUT, path, lineno, offset, "empty key");
            goto done;
        }
        double value = 1.0;
        const char *why = NULL;
        if (kind != VOCAL_LEX_NEGATOR) {
            if (!tab) {
                rc = vocal__err(err, VOCAL_EINPUT, path, lineno, offset + klen,
                                "expected a TAB and a value after '%.*s'", (int)(klen > 60 ? 60 : klen), s);
                goto done;
            }
            const char *v = tab + 1;
            const char *vend = memchr(v, '\t', n - klen - 1);
            size_t vl = vend ? (size_t)(vend - v) : n - klen - 1;
            if (kind == VOCAL_LEX_CONTRAST) {
                if (vl == 5 && !memcmp(v, "after", 5)) value = 1;
                else if (vl == 6 && !memcmp(v, "before", 6)) value = 2;
                else if (vl == 10 && !memcmp(v, "concessive", 10)) value = 3;
                else {
                    rc = vocal__err(err, VOCAL_EINPUT, path, lineno, offset + klen + 1,
                                    "contrast role '%.*s' is not after, before or concessive", (int)vl, v);
                    goto done;
                }
            } else if (!parse_number(v, vl, &value)) {
                rc = vocal__err(err, VOCAL_EINPUT, path, lineno, offset + klen + 1,
                                "'%.*s' is not a number", (int)(vl > 40 ? 40 : vl), v);
                goto done;
            }
            if (!check_value(kind, value, &why)) {
                rc = vocal__err(err, VOCAL_EINPUT, path, lineno, offset + klen + 1, "%s (got %.*s)", why, (int)vl, v);
                goto done;
            }
        }
        int pr;
        /* keys are text: a NUL would cut them short wherever they are used as C strings */
        if (memchr(s, '\0', klen)) {
            rc = vocal__err(err, VOCAL_EINPUT, path, lineno, offset + (uint64_t)((const char *)memchr(s, '\0', klen) - s),
                            "key holds a NUL byte");
            goto done;
        }
        if (kind != VOCAL_LEX_EMOJI && vocal_utf8_check(s, klen, NULL)) {
            rc = vocal__err(err, VOCAL_EINPUT, path, lineno, offset, "key is not valid UTF-8");
            goto done;
        }
        if (kind == VOCAL_LEX_EMOJI) {
            pr = parse_codepoints(&key, s, klen);
            if (pr == 0) {
                rc = vocal__err(err, VOCAL_EINPUT, path, lineno, offset,
                                "'%.*s' is not a sequence of hex code points", (int)(klen > 60 ? 60 : klen), s);
                goto done;
            }
            if (pr < 0) {
                rc = vocal__err_oom(err);
                goto done;
            }
        } else if (kind == VOCAL_LEX_EMOTICON) {
            key.len = 0;
            if (vocal__buf_put(&key, s, klen) < 0) {
                rc = vocal__err_oom(err);
                goto done;
            }
        } else {
            int r = norm_key(&key, s, klen);
            if (r < 0) {
                rc = vocal__err_oom(err);
                goto done;
            }
        }
        int ar = add_entry(lex, kind, key.p, key.len, value);
        if (ar == VOCAL_ENOMEM) {
            rc = vocal__err_oom(err);
            goto done;
        }
        if (ar < 0) {
            rc = vocal__err(err, VOCAL_EINPUT, path, lineno, offset, "empty key or a word over 255 bytes");
            goto done;
        }
    }
    if (ferror(f)) rc = vocal__err(err, VOCAL_EIO, path, lineno, UINT64_MAX, "read error");
    else if (lineno == 0) rc = vocal__err(err, VOCAL_EINPUT, path, 0, 0, "empty file: missing header line '#vocal-lexicon 1'");
done:
    vocal__buf_free(&key);
    vocal__free(line);
    fclose(f);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int vocal_lexicon_load_dir(vocal_lexicon *lex, const char *dir, vocal_error *err)
{
    assert(lex && dir);
    DIR *d = opendir(dir);
    if (!d) return vocal__err(err, VOCAL_EIO, dir, 0, UINT64_MAX, "cannot open directory: %s", strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = VOCAL_OK;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".tsv") != 0 || e->d_name[0] == '.') continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            char **p = (char **)vocal__realloc(names, nc * sizeof *p);
            if (!p) {
                rc = vocal__err_oom(err);
                goto done;
            }
            names = p;
            cap = nc;
        }
        size_t dl = strlen(dir);
        names[n] = (char *)vocal__malloc(dl + l + 2);
        if (!names[n]) {
            rc = vocal__err_oom(err);
            goto done;
        }
        memcpy(names[n], dir, dl);
        names[n][dl] = '/';
        memcpy(names[n] + dl + 1, e->d_name, l + 1);
        n++;
    }
    if (!n) {
        rc = vocal__err(err, VOCAL_EIO, dir, 0, UINT64_MAX, "no lexicon files (*.tsv) in directory");
        goto done;
    }
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n && rc == VOCAL_OK; i++) rc = vocal_lexicon_load_file(lex, names[i], err);
done:
    for (size_t i = 0; i < n; i++) vocal__free(names[i]);
    vocal__free(names);
    closedir(d);
    return rc;
}

/* MARK: tokenizer */

int vocal_lexicon_tokenizer_new(vocal_tokenizer **out, const vocal_lexicon *lex,
                                const vocal_text_options *opts, vocal_error *err)
{
    assert(out && lex);
    vocal_text_options o = VOCAL_TEXT_OPTIONS_INIT;
    if (opts) o = *opts;
    if (!o.language) o.language = lex->lang;
    int rc = vocal_tokenizer_new(out, &o, err);
    if (rc < 0) return rc;
    /* single-word negators and contrast words structure the tokens */
    for (int kind = VOCAL_LEX_NEGATOR; kind <= VOCAL_LEX_CONTRAST; kind++) {
        uint8_t bit = kind == VOCAL_LEX_NEGATOR ? E_NEGATOR : E_CONTRAST;
        size_t n = 0;
        for (size_t i = 0; i < lex->m.cap; i++)
            if (lex->m.e[i].hash && (lex->m.e[i].has & bit)) n++;
        if (!n) continue;
        const char **words = (const char **)vocal__malloc(n * sizeof *words);
        if (!words) {
            vocal_tokenizer_free(*out);
            *out = NULL;
            return vocal__err_oom(err);
        }
        size_t k = 0;
        for (size_t i = 0; i < lex->m.cap; i++)
            if (lex->m.e[i].hash && (lex->m.e[i].has & bit)) words[k++] = lex->arena.p + lex->m.e[i].off;
        rc = vocal_tokenizer_set_words(*out, kind == VOCAL_LEX_NEGATOR ? VOCAL_WORDS_NEGATORS : VOCAL_WORDS_CONTRAST,
                                       words, n, err);
        vocal__free(words);
        if (rc < 0) {
            vocal_tokenizer_free(*out);
            *out = NULL;
            return rc;
        }
    }
    return VOCAL_OK;
}

/* MARK: lookups */

double vocal_lexicon_valence(const vocal_lexicon *lex, const char *word, size_t len, int *found)
{
    const entry *e = map_find(lex, NS_WORD, word, len);
    int has = e && (e->has & E_VALENCE);
    if (found) *found = has;
    return has ? e->valence : 0.0;
}

/* "yess" -> "yes", "soo" -> "so": the tokenizer squeezes runs to two
 * letters; the lexicon may know the one-letter form. */
static size_t squeeze_doubles(char *dst, const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (!(w && dst[w - 1] == s[i] && (unsigned char)s[i] < 0x80)) dst[w++] = s[i];
    return w;
}

/* The entry of a word token, given e, its normalized form's entry (or NULL):
 * e, or for an elongated word whose form is unknown, the form with doubled
 * letters single. */
static const entry *word_entry_from(const vocal_lexicon *lex, const vocal_token *t, const entry *e)
{
    if (!e && (t->flags & VOCAL_TOK_ELONGATED) && t->norm_len < 64) {
        char buf[64];
        size_t n = squeeze_doubles(buf, t->norm, t->norm_len);
        e = map_find(lex, NS_WORD, buf, n);
    }
    return e;
}

/* Whether phrase q's words are the tokens from i on, within one line. */
static int phrase_at(const vocal_lexicon *lex, const phrase *q, const vocal_token *t, size_t n, size_t i)
{
    if (i + q->nwords > n) return 0;
    const unsigned char *w = (const unsigned char *)lex->arena.p + q->words_off;
    for (uint32_t k = 0; k < q->nwords; k++) {
        const vocal_token *u = &t[i + k];
        size_t wl = *w++;
        if (u->kind != VOCAL_KIND_WORD && u->kind != VOCAL_KIND_NUMBER) return 0;
        if (k && (t[i + k - 1].flags & VOCAL_TOK_SENT_END)) return 0; /* "not\nbad" is two lines */
        if (!(u->norm_len == wl && memcmp(u->norm, w, wl) == 0)) return 0;
        w += wl;
    }
    return 1;
}

/* Longest live phrase starting at token i (whose entry is head); returns its
 * index or -1. Of equally long ones (the same words in two kinds), the one
 * added last. A common first word ("a", "not") starts dozens of phrases, so
 * only those filed under this token and the next (pairs) are tried, and
 * the word's own chain only when it has a one-word phrase. */
static int32_t match_phrase(const vocal_lexicon *lex, const entry *head, const vocal_token *t, size_t n,
                            size_t i)
{
    if (!head || head->phrase < 0) return -1;
    int32_t best = -1;
    uint32_t best_len = 0;
    if (head->has & E_PHRASE1)
        for (int32_t p = head->phrase; p >= 0 && best < 0; p = lex->ph[p].next)
            if (lex->ph[p].live && lex->ph[p].nwords == 1 && phrase_at(lex, &lex->ph[p], t, n, i)) {
                best = p;
                best_len = 1;
            }
    if (lex->npairs && i + 1 < n && !(t[i].flags & VOCAL_TOK_SENT_END) &&
        (t[i + 1].kind == VOCAL_KIND_WORD || t[i + 1].kind == VOCAL_KIND_NUMBER)) {
        const struct pair_slot *s = pair_slot(lex, pair_hash(t[i].norm, t[i].norm_len, t[i + 1].norm, t[i + 1].norm_len));
        for (int32_t p = s->h ? s->first : -1; p >= 0; p = lex->ph[p].next2) {
            const phrase *q = &lex->ph[p];
            if (q->live && q->nwords > best_len && phrase_at(lex, q, t, n, i)) {
                best = p;
                best_len = q->nwords;
            }
        }
    }
    return best;
}

/* MARK: scoring */

typedef struct tokscore {
    const entry *e;  /* the word's lexicon entry, or NULL */
    double boost;    /* booster weight of this token (0 = not a booster) */
    double weight;   /* contrast weight */
    int32_t covered; /* phrase index covering this token, or -1 */
    int32_t role;    /* contrast role cue starting here: 0 none, 1 after, 2 before, 3 concessive */
    uint32_t cue_len;/* tokens in the contrast cue */
} tokscore;

static int is_word_like(const vocal_token *t)
{
    return t->kind == VOCAL_KIND_WORD || t->kind == VOCAL_KIND_NUMBER;
}

/* Apply contrast weights for a cue at token c (docs/scorer.md §contrast). */
static void apply_contrast(tokscore *ts, const vocal_token *t, size_t n, size_t c, int role, uint32_t cue_len)
{
    uint32_t sent = t[c].sentence, clause = t[c].clause;
    size_t s0 = c, s1 = c + cue_len; /* sentence bounds [s0, s1) */
    while (s0 > 0 && t[s0 - 1].sentence == sent) s0--;
    while (s1 < n && t[s1].sentence == sent) s1++;
    size_t after = c + cue_len;
    if (role == 1) { /* after: "X but Y" -> X down, Y up; a sentence-initial "But" looks back one sentence */
        size_t b0 = s0;
        if (s0 == c && s0 > 0) {
            uint32_t prev = t[s0 - 1].sentence;
            b0 = s0 - 1;
            while (b0 > 0 && t[b0 - 1].sentence == prev) b0--;
        }
        for (size_t i = b0; i < c; i++) ts[i].weight *= W_DOWN;
        for (size_t i = after; i < s1; i++) ts[i].weight *= W_UP;
    } else if (role == 2) { /* before: clause-final "though" makes its clause the point */
        /* clause-final: nothing after it in the sentence but the punctuation that ends the clause */
        int final = after >= n || t[after].sentence != sent || (t[c + cue_len - 1].flags & VOCAL_TOK_CLAUSE_END) ||
                    (t[after].kind == VOCAL_KIND_PUNCT && (t[after].flags & VOCAL_TOK_CLAUSE_END));
        if (final) {
            size_t k0 = c;
            while (k0 > 0 && t[k0 - 1].clause == t[c].clause - (t[c].flags & VOCAL_TOK_CONTRAST ? 1u : 0u) &&
                   t[k0 - 1].sentence == sent)
                k0--;
            for (size_t i = 0; i < k0; i++) ts[i].weight *= W_DOWN;
            for (size_t i = k0; i < c; i++) ts[i].weight *= W_UP;
        } else { /* "good, though slow": what follows is the concession */
            for (size_t i = s0; i < c; i++) ts[i].weight *= W_UP;
            for (size_t i = after; i < s1; i++) ts[i].weight *= W_DOWN;
        }
    } else if (role == 3) { /* concessive: its own clause down, the rest of the sentence up */
        size_t k1 = after;
        while (k1 < s1 && !(t[k1 - 1].flags & VOCAL_TOK_CLAUSE_END && t[k1 - 1].clause != clause)) {
            if (t[k1].clause != t[after < n ? after : c].clause) break;
            k1++;
        }
        if (c == s0 && k1 >= s1) return; /* no main clause found: leave the weights alone */
        for (size_t i = c; i < k1; i++) ts[i].weight *= W_DOWN;
        for (size_t i = s0; i < c; i++) ts[i].weight *= W_UP;
        for (size_t i = k1; i < s1; i++) ts[i].weight *= W_UP;
    }
}

int vocal_lexicon_score(vocal_sentiment *out, vocal_workspace *ws, const vocal_lexicon *lex,
                        const char *text, size_t len, vocal_error *err)
{
    assert(out && ws && lex);
    memset(out, 0, sizeof *out);
    out->first_invalid = UINT64_MAX;
    const vocal_token *t;
    vocal_text_info info;
    int rn = vocal_text_tokenize(&t, &info, ws, text, len, err);
    if (rn < 0) return rn;
    size_t n = (size_t)rn;
    tokscore *ts = (tokscore *)vocal__ws_buf(ws, VOCAL__SLOT_TOKSCORE, (n + 1) * sizeof *ts);
    vocal_contribution *cb = (vocal_contribution *)vocal__ws_buf(ws, VOCAL__SLOT_CONTRIB, (n + 1) * sizeof *cb);
    double *cs = (double *)vocal__ws_buf(ws, VOCAL__SLOT_CLAUSE, (info.n_clauses + 1) * sizeof *cs);
    if (!ts || !cb || !cs) return vocal__err_oom(err);
    /* each distinct word's normalized form is looked up once per word cache
     * (text_int.h); the elongation fallback stays per token (it depends on
     * the token's mark, not on the word) */
    const uint32_t *wid = vocal__ws_words(ws, t);
    uintptr_t *memo = wid ? (uintptr_t *)vocal__ws_memo(ws, VOCAL__MEMO_LEXICON, lex->serial, sizeof(uintptr_t)) : NULL;
    if (memo)
        for (size_t i = 0; i < n; i++)
            if (wid[i] != UINT32_MAX) VOCAL__PREFETCH(&memo[wid[i]]);
    for (size_t i = 0; i < n; i++) {
        /* numbers too: they may start an expression ("5 stars"), though they carry no valence */
        if (t[i].kind != VOCAL_KIND_WORD && t[i].kind != VOCAL_KIND_NUMBER) {
            ts[i].e = NULL;
        } else if (memo && wid[i] != UINT32_MAX) {
            /* 0: not looked up yet, 1: not in the lexicon */
            uintptr_t v = memo[wid[i]];
            if (!v) {
                const entry *e = map_find(lex, NS_WORD, t[i].norm, t[i].norm_len);
                memo[wid[i]] = v = e ? (uintptr_t)e : 1;
            }
            ts[i].e = word_entry_from(lex, &t[i], v == 1 ? NULL : (const entry *)v);
        } else {
            ts[i].e = word_entry_from(lex, &t[i], map_find(lex, NS_WORD, t[i].norm, t[i].norm_len));
        }
        if (ts[i].e) VOCAL__PREFETCH(ts[i].e); /* pass 1 reads its phrase list */
        ts[i].boost = 0;
        ts[i].weight = 1;
        ts[i].covered = -1;
        ts[i].role = 0;
        ts[i].cue_len = 0;
    }
    for (size_t i = 0; i < info.n_clauses; i++) cs[i] = 0;

    /* pass 1: phrases (longest first), single-word boosters and contrast cues */
    for (size_t i = 0; i < n; i++) {
        if (!is_word_like(&t[i])) continue;
        int32_t p = match_phrase(lex, ts[i].e, t, n, i);
        if (p >= 0) {
            const phrase *q = &lex->ph[p];
            if (q->kind == VOCAL_LEX_VALENCE) {
                for (uint32_t k = 0; k < q->nwords; k++) ts[i + k].covered = p;
            } else if (q->kind == VOCAL_LEX_BOOSTER) {
                ts[i + q->nwords - 1].boost = q->value;
                for (uint32_t k = 0; k + 1 < q->nwords; k++) ts[i + k].covered = -2; /* part of a booster */
            } else if (q->kind == VOCAL_LEX_CONTRAST) {
                ts[i].role = (int32_t)q->value;
                ts[i].cue_len = q->nwords;
                for (uint32_t k = 0; k < q->nwords; k++) ts[i + k].covered = -2;
            }
            if (q->kind != VOCAL_LEX_NEGATOR) {
                i += q->nwords - 1;
                continue;
            }
        }
        const entry *e = ts[i].e;
        if (t[i].flags & VOCAL_TOK_CONTRAST) {
            ts[i].role = e && (e->has & E_CONTRAST) ? (int32_t)e->role : 1;
            ts[i].cue_len = 1;
        }
        ts[i].boost = e && (e->has & E_BOOSTER) ? e->boost : 0;
    }
    for (size_t i = 0; i < n; i++)
        if (ts[i].role) apply_contrast(ts, t, n, i, ts[i].role, ts[i].cue_len);

    /* pass 2: contributions */
    size_t nc = 0;
    uint32_t words = 0, hits = 0;
    double pos = 0, neg = 0;
    for (size_t i = 0; i < n; i++) {
        const vocal_token *u = &t[i];
        if (u->kind == VOCAL_KIND_WORD) words++;
        if (ts[i].covered == -2) continue;
        uint32_t rules = 0, span = 1;
        double v = 0;
        int found = 0;
        if (ts[i].covered >= 0) {
            const phrase *q = &lex->ph[ts[i].covered];
            v = q->value;
            span = q->nwords;
            rules |= VOCAL_RULE_IDIOM;
            found = 1;
        } else if (u->kind == VOCAL_KIND_WORD) {
            found = ts[i].e && (ts[i].e->has & E_VALENCE);
            if (found) v = ts[i].e->valence;
            if (found && u->kind != VOCAL_KIND_WORD) found = 0;
            /* a booster that modifies the next word is not scored itself ("damn good") */
            if (found && ts[i].boost != 0 && i + 1 < n && t[i + 1].kind == VOCAL_KIND_WORD) {
                if ((ts[i + 1].e && (ts[i + 1].e->has & E_VALENCE)) || ts[i + 1].covered >= 0) found = 0;
            }
            if (found && (u->flags & VOCAL_TOK_NEGATOR)) found = 0; /* "no", "never": cues, not valence */
        } else if (u->kind == VOCAL_KIND_EMOJI) {
            const entry *e = map_find(lex, NS_EMOJI, u->norm, u->norm_len);
            if (e) {
                v = e->valence;
                found = 1;
                rules |= VOCAL_RULE_EMOJI;
            }
        } else if (u->kind == VOCAL_KIND_EMOTICON) {
            const entry *e = map_find(lex, NS_EMOTICON, u->norm, u->norm_len);
            if (e) {
                v = e->valence;
                found = 1;
                rules |= VOCAL_RULE_EMOTICON;
            }
        }
        if (!found || v == 0) {
            if (span > 1) i += span - 1;
            continue;
        }
        double valence = v, boost = 0;
        if (u->kind == VOCAL_KIND_WORD) {
            /* boosters up to three words back, within the clause */
            size_t d = 0;
            for (size_t j = i; j > 0 && d < 3;) {
                j--;
                if (t[j].clause != u->clause || t[j].kind != VOCAL_KIND_WORD) break;
                d++;
                /* a booster inside the expression being scored is part of it, not a modifier */
                if (ts[j].boost != 0 && !(ts[i].covered >= 0 && ts[j].covered == ts[i].covered)) {
                    double decay = d == 1 ? BOOST_DECAY1 : d == 2 ? BOOST_DECAY2 : BOOST_DECAY3;
                    double w = ts[j].boost * decay;
                    if (t[j].flags & VOCAL_TOK_CAPS && !info.all_caps) w *= 1.3;
                    boost += w;
                }
            }
            if (boost < -0.9) boost = -0.9;
            if (boost != 0) {
                v *= 1.0 + boost;
                rules |= boost > 0 ? VOCAL_RULE_BOOSTED : VOCAL_RULE_DAMPENED;
            }
            int caps = 0, elong = 0;
            for (uint32_t k = 0; k < span; k++) {
                caps |= (t[i + k].flags & VOCAL_TOK_CAPS) != 0;
                elong |= (t[i + k].flags & VOCAL_TOK_ELONGATED) != 0;
            }
            if (caps && !info.all_caps) {
                v *= CAPS_SCALE;
                rules |= VOCAL_RULE_CAPS;
            }
            if (elong) {
                v *= ELONG_SCALE;
                rules |= VOCAL_RULE_ELONGATED;
            }
            /* negation: the phrase's first token carries the scope; a phrase
             * that holds its own negator ("not bad") is already resolved */
            if ((u->flags & VOCAL_TOK_NEGATED)) {
                size_t d2 = 0, j = i;
                int foundneg = 0;
                while (j > 0) {
                    j--;
                    if (t[j].flags & VOCAL_TOK_NEGATOR) {
                        foundneg = 1;
                        break;
                    }
                    if (t[j].kind == VOCAL_KIND_WORD) d2++;
                }
                if (foundneg && ts[j].covered >= 0 && ts[j].covered == ts[i].covered) foundneg = 0;
                if (foundneg) {
                    if (d2 <= NEG_NEAR) {
                        v *= v > 0 ? NEG_FLIP_POS : NEG_FLIP_NEG;
                        rules |= VOCAL_RULE_NEGATED;
                    } else {
                        v *= NEG_FAR_SCALE;
                        rules |= VOCAL_RULE_NEG_FAR;
                    }
                }
            }
        }
        double w = ts[i].weight;
        if (w > 1.0) rules |= VOCAL_RULE_CONTRAST_UP;
        else if (w < 1.0) rules |= VOCAL_RULE_CONTRAST_DOWN;
        vocal_contribution *c = &cb[nc++];
        c->token = (uint32_t)i;
        c->ntokens = span;
        c->rules = rules;
        c->clause = u->clause;
        c->valence = valence;
        c->boost = boost;
        c->weight = w;
        c->value = v * w;
        if (u->clause < info.n_clauses) cs[u->clause] += v;
        if (c->value > 0) pos += c->value;
        else neg -= c->value;
        hits += span;
        if (span > 1) i += span - 1;
    }
    double sum = pos - neg;
    /* emphasis from ! and ? (VADER's observation, our weights) */
    unsigned excl = 0, quest = 0;
    for (size_t i = 0; i < n; i++) {
        if (t[i].kind != VOCAL_KIND_PUNCT) continue;
        for (const char *p = t[i].norm; *p; p++) {
            if (*p == '!') excl++;
            else if (*p == '?') quest++;
        }
    }
    double emph = 0;
    if (sum != 0) {
        emph += (excl > EXCL_MAX ? EXCL_MAX : excl) * EXCL_EACH;
        if (quest > 1) emph += (quest - 1 > QUEST_MAX ? QUEST_MAX : quest - 1) * QUEST_EACH;
        sum += sum > 0 ? emph : -emph;
    }
    out->sum = sum;
    out->emphasis = emph;
    out->compound = sum / sqrt(sum * sum + ALPHA);
    /* proportions: sentiment mass against neutral words (each counts 1) */
    double neu = (double)(words > hits ? words - hits : 0);
    if (sum > 0) pos += emph;
    else if (sum < 0) neg += emph;
    double total = pos + neg + neu;
    if (total > 0) {
        out->pos = pos / total;
        out->neg = neg / total;
        out->neu = neu / total;
    }
    out->label = out->compound >= VOCAL_POSITIVE_THRESHOLD   ? VOCAL_LABEL_POSITIVE
                 : out->compound <= VOCAL_NEGATIVE_THRESHOLD ? VOCAL_LABEL_NEGATIVE
                                                             : VOCAL_LABEL_NEUTRAL;
    out->contrib = cb;
    out->n_contrib = nc;
    out->clause_sum = cs;
    out->n_clauses = info.n_clauses;
    out->tokens = t;
    out->n_tokens = n;
    out->n_words = words;
    out->n_hits = hits;
    out->invalid_utf8 = info.invalid;
    out->first_invalid = info.first_invalid;
    return VOCAL_OK;
}

const char *vocal_rule_name(uint32_t rule)
{
    static const char *const names[] = {"idiom", "negated", "negation-far", "boosted", "dampened", "caps",
                                        "elongated", "contrast-up", "contrast-down", NULL, "emoji", "emoticon"};
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
        if (rule == (1u << i)) return names[i];
    return NULL;
}

const char *vocal_label_name(int label)
{
    return label > 0 ? "positive" : label < 0 ? "negative" : "neutral";
}
