/* Internal to the themes module: the taxonomy and tagger layouts shared by
 * taxonomy.c (the file parser), tagger.c (compile and tag) and model.c
 * (theme models). Never installed. */
#ifndef VOCAL_THEMES_INT_H
#define VOCAL_THEMES_INT_H

#include <math.h>

#include "vocal/themes.h"

#include "../util/util_int.h"

/* Rule kinds: the keywords that hold patterns (README "File format"). */
enum { RULE_MATCH = 0, RULE_CUE = 1, RULE_CONTEXT = 2, RULE_EXCLUDE = 3 };

/* Pattern limits: words per pattern, and gap width of "..." (README "Patterns"). */
#define VOCAL__PAT_MAX_WORDS 16
#define VOCAL__PAT_GAP 3

typedef struct vocal__theme {
    uint32_t id_off, id_len;   /* in the taxonomy arena */
    uint32_t label_off;
    size_t parent;             /* VOCAL_NO_THEME for a top-level theme */
    int lean;
    unsigned depth;
    size_t counts[4];          /* rule lines per RULE_* */
} vocal__theme;

typedef struct vocal__rule {
    uint32_t theme;
    uint32_t kind;     /* RULE_* */
    uint32_t pat_off;  /* the pattern as written, NUL-terminated, in the arena */
    uint32_t file;     /* index into files */
    uint64_t line;
} vocal__rule;

struct vocal_taxonomy {
    char lang[32];
    int lang_set;
    vocal__buf arena;          /* strings, NUL-terminated, by offset */
    vocal__theme *th;
    size_t nth, thcap;
    vocal__rule *ru;
    size_t nru, rucap;
    uint32_t *idx;             /* open addressing: theme index + 1, 0 = empty */
    size_t idxcap;             /* power of two */
    char **files;
    size_t nfiles;
};

static inline const char *vocal__tx_str(const vocal_taxonomy *tx, uint32_t off)
{
    return tx->arena.p + off;
}

/* Theme model internals used by the tagger (model.c). */
typedef struct vocal__tm_scores {
    size_t nt;            /* themes of the model */
    double *logodds;      /* per model theme: its log-odds; P(theme | text) is vocal__tm_prob */
    int *pol;             /* per model theme at or over the threshold: -1/0/+1, or 2 when it has
                             no polarity classes; 2 for every theme under the threshold */
    double *pol_score;    /* log-odds of the chosen polarity against the next */
    double thr;           /* the reporting threshold the scores were made for */
    double zthr;          /* its log-odds, less a margin for rounding */
    uint32_t *reach;      /* the themes at or over the threshold, in model order */
    size_t nreach;
} vocal__tm_scores;

/* P(theme j | text): the logistic of its log-odds. */
static inline double vocal__tm_prob(const vocal__tm_scores *sc, size_t j)
{
    double z = sc->logodds[j];
    return z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z));
}

/* Score a text's tokens with a theme model; arrays come from ws slot SPARE1.
 * Polarity is found only for themes whose probability reaches thr (the
 * only ones the tagger reports from the model). */
int vocal__tm_score(vocal__tm_scores *out, vocal_workspace *ws, const vocal_theme_model *m,
                    const vocal_sentiment *sent, double thr, vocal_error *err);
/* The weight of a single token's unigram feature for model theme j (0 if unknown). */
double vocal__tm_token_weight(const vocal_theme_model *m, const vocal_token *t, size_t j);
/* Model theme j's id. */
const char *vocal__tm_theme(const vocal_theme_model *m, size_t j);
/* The model theme index of a theme id, or SIZE_MAX when the model has no such theme. */
size_t vocal__tm_find(const vocal_theme_model *m, const char *id);

#endif
