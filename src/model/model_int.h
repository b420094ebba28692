/* Internal to the model module: the model and trainer layouts, feature
 * extraction, the string table, and the pieces the file code shares with
 * training and merging. Never installed. */
#ifndef VOCAL_MODEL_INT_H
#define VOCAL_MODEL_INT_H

#include "vocal/model.h"

#include "../util/util_int.h"

/* MARK: format constants (docs/format/model.md §2) */
#define VOCAL__MODEL_MAGIC "\x89VOCAL\r\n"
#define VOCAL__MODEL_MAJOR 1
#define VOCAL__MODEL_MINOR 0
#define VOCAL__MODEL_FLAGS_KNOWN 0u /* required_flags bits this reader understands */
#define VOCAL__MODEL_HEADER 24
#define VOCAL__MODEL_ENTRY 24

/* A token longer than this (bytes) becomes the class token "<long>": base64
 * blobs and runaway strings would otherwise fill the vocabulary with
 * one-off features (model.md §5). */
#define VOCAL__MAX_UNIT 100

/* MARK: string table
 * Interned NUL-terminated strings with ids in insertion order, found by
 * vocal__hash with open addressing. Used for the trainer's vocabulary and
 * class names. off has n + 1 entries: string i is arena.p + off[i], of
 * length off[i + 1] - off[i] - 1. */
typedef struct vocal__strtab {
    vocal__buf arena;
    uint32_t *off;
    size_t n, offcap;
    uint64_t *slots; /* (tag << 32) | id; UINT64_MAX = empty */
    size_t cap;      /* power of two */
} vocal__strtab;

/* The id of s (interning it when `add`); VOCAL_OK with *id = UINT32_MAX when
 * absent and !add; VOCAL_ENOMEM; VOCAL_EINPUT when the table would exceed
 * 2^32 - 2 strings or 4 GiB of text. */
int vocal__strtab_get(vocal__strtab *t, const char *s, size_t n, int add, uint32_t *id);
static inline const char *vocal__strtab_str(const vocal__strtab *t, uint32_t id, size_t *len)
{
    if (len) *len = t->off[id + 1] - t->off[id] - 1;
    return t->arena.p + t->off[id];
}
void vocal__strtab_free(vocal__strtab *t);

/* MARK: the model */

/* Lookup (model.md §6 says what, this says how): a compact open-addressing
 * table of u64 slots, (high half of vocal__hash << 32) | k, UINT64_MAX for
 * empty, small enough to stay in cache; and per kept feature k one record
 * of `rstride` bytes holding everything a hit needs in one cache line:
 *   u64 key[2]  the feature's first 16 bytes, zero-padded (features hold no
 *               NUL), compared as two words to verify a hit exactly
 *   u32 off     the feature in strs, for the bytes after the first 16
 *   f32 w[nc]   its centred log-weights */
#define VOCAL__REC_W 20 /* offset of w in a record */

static inline const float *vocal__wrow(const vocal_model *m, uint64_t k);

struct vocal_model {
    vocal_train_options opt;
    char language[32], stemmer[64], unicode[32], writer[32], hash[32];
    uint64_t probe, records, fingerprint;
    uint64_t lexfp;      /* the lexicon's fingerprint when opt.use_lexicon, else 0 */
    unsigned fmt_major, fmt_minor;
    /* classes, sorted bytewise */
    size_t nc;
    char *cblob;         /* names, NUL-terminated, back to back */
    const char **cnames;
    size_t *clen;
    uint64_t *cdocs;
    /* vocabulary, sorted bytewise, and every count (model.md §3.3, §3.4) */
    uint64_t nf;
    char *strs;          /* NUL-terminated, back to back */
    uint32_t *off;       /* nf + 1 */
    uint64_t *counts;    /* nf * nc, row-major by feature */
    /* derived at load time (vocal__model_prepare) */
    uint64_t nk;         /* features kept after min_count */
    uint32_t *kept;      /* nk feature ids */
    char *rec;           /* nk records of rstride bytes (in rec_raw, 32-byte aligned) */
    void *rec_raw;
    size_t rstride;
    double *prior;       /* nc log-priors (0 for complement / uniform) */
    double *ctotal;      /* nc: kept feature counts per class */
    uint64_t *tab;       /* in tab_raw, aligned */
    void *tab_raw;
    size_t tabmask;
    uint64_t serial;     /* a new vocal__serial() whenever the tables are built: the word memos' owner */
};

static inline const float *vocal__wrow(const vocal_model *m, uint64_t k)
{
    return (const float *)(const void *)(m->rec + (size_t)k * m->rstride + VOCAL__REC_W);
}

/* Allocate the class and vocabulary arrays of an empty model (counts
 * zeroed); strs is left for the caller. */
int vocal__model_alloc(vocal_model *m, size_t nc, size_t cblob_len, uint64_t nf);
/* Compute kept features, weights, priors and the lookup table from the
 * counts and options. */
int vocal__model_prepare(vocal_model *m);
/* Release everything a model owns, leaving it zeroed; for the model itself
 * use vocal_model_free. */
void vocal__model_clear(vocal_model *m);
/* Validate options; err names the option. */
int vocal__options_check(const vocal_train_options *o, vocal_error *err);
/* The META text the file holds (model.md §3.1), appended to b. */
int vocal__model_meta(const vocal_model *m, vocal__buf *b);
/* The whole file's bytes, appended to b. */
int vocal__model_serialize(const vocal_model *m, vocal__buf *b);
/* Stems-of-probe-words hash for a tokenizer (model.md §4.2). */
int vocal__stemmer_probe(uint64_t *out, const vocal_tokenizer *tk, vocal_error *err);
/* Hash of one training record (model.md §4.1). labels are distinct. */
uint64_t vocal__record_hash(const char *text, size_t len, const char *const *labels,
                            const size_t *label_len, size_t n);

/* MARK: features (model.md §5) */

typedef int (*vocal__feat_fn)(void *payload, const char *s, size_t n);
/* A word unigram with its token index and negation mark (vocal__features_ex). */
typedef int (*vocal__uni_fn)(void *payload, size_t tok, uint32_t neg, const char *s, size_t n);

/* Sizes of the scratch vocal__features needs for these tokens. */
typedef struct vocal__feat_bounds {
    size_t max_features; /* upper bound on callbacks */
    size_t scratch;      /* bytes of char scratch */
    size_t units;        /* entries of unit scratch */
    size_t max_len;      /* longest feature string */
} vocal__feat_bounds;

typedef struct vocal__unit {
    const char *s;
    uint32_t len;
    uint32_t sentence;
    uint32_t neg;
    uint32_t word; /* 1: a word token, gets char n-grams */
} vocal__unit;

/* A token's unit (features.c "units"); 0 when it makes none. A word's unit
 * depends only on its normalized form (and the negation mark in u->neg). */
int vocal__make_unit(vocal__unit *u, const vocal_train_options *o, const vocal_token *t);
/* A unit's unigram feature ("NOT_" + s when negated) into d; its length. */
size_t vocal__put_unit(char *d, const vocal__unit *u);

void vocal__feat_bounds_get(vocal__feat_bounds *b, const vocal_train_options *o,
                            const vocal_token *t, size_t n, size_t n_clauses);
/* Call fn for every feature of the tokens (and of sent, when o->use_lexicon
 * and sent is not NULL). Stops at and returns the first negative fn result. */
int vocal__features(const vocal_train_options *o, const vocal_token *t, size_t n,
                    const vocal_sentiment *sent, vocal__unit *units, char *scratch,
                    vocal__feat_fn fn, void *payload);
/* The same features in the same order, but a word token's unigram goes to
 * uni (when not NULL) with the token's index, so callers can memoize it per
 * word (text_int.h); every other feature goes to fn. */
int vocal__features_ex(const vocal_train_options *o, const vocal_token *t, size_t n,
                       const vocal_sentiment *sent, vocal__unit *units, char *scratch,
                       vocal__feat_fn fn, vocal__uni_fn uni, void *payload);

/* MARK: hexadecimal floats, locale-free (printf's %a depends on LC_NUMERIC) */
#define VOCAL__HEXF_MAX 32
/* Format as glibc's "%a" does ("0x1.8p+1", "-0x0p+0", "inf", "nan"). */
size_t vocal__fmt_hexf(char out[VOCAL__HEXF_MAX], double v);
/* Parse exactly what vocal__fmt_hexf writes for finite values; 0 on success. */
int vocal__parse_hexf(const char *s, size_t n, double *out);

#endif
