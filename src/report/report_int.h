/* Internal to the report module: the aggregate's layout, shared by the
 * record reader, the file format and the figures. Never installed. */
#ifndef VOCAL_REPORT_INT_H
#define VOCAL_REPORT_INT_H

#include <stdint.h>

#include "../util/util_int.h"
#include "vocal/report.h"

/* The sums kept for every group of records (a cell), and for the records of
 * a cell that cite a theme. Every value is an integer sum, so merging is
 * addition and exact; scores are in thousandths (milli). */
enum {
    RP_N,                                  /* records */
    RP_POS, RP_NEG, RP_NEU, RP_MIX,        /* records by sentiment label */
    RP_SENT_SUM,                           /* sum of sentiment.score, milli */
    RP_NPS_N, RP_NPS_SUM, RP_PROM, RP_PASS, RP_DET,
    RP_CSAT_N, RP_CSAT_SUM, RP_CSAT_TOP2,  /* CSAT within the scale; sum milli */
    RP_CES_N, RP_CES_SUM, RP_CES_SQ,       /* CES sum milli, sum of squares milli^2 */
    RP_TPOS, RP_TNEG, RP_TNEU,             /* theme mentions by polarity (theme rows only) */
    RP_ROOT,                               /* records listing the theme as a root cause */
    RP_TEXT,                               /* records with a text (a comment): the base of the
                                              sentiment and theme shares; RP_N - RP_TEXT
                                              responses gave only scores */
    RP_NFIELDS
};

/* Cell kinds, in the order the file sorts them. */
enum { RP_ALL, RP_SEGMENT, RP_TOUCHPOINT, RP_CHANNEL, RP_DAY, RP_NKINDS };

typedef struct rp_stats {
    int64_t v[RP_NFIELDS];
} rp_stats;

/* string -> index, open addressing; keys owned by the map */
typedef struct rp_map {
    char **keys;
    size_t *idx;
    size_t cap, n;
} rp_map;

typedef struct rp_theme {
    char *id, *parent, *label;
} rp_theme;

typedef struct rp_cell {
    int kind;
    char *key;
    rp_stats all;
    rp_stats *themes; /* n_themes entries (by theme index), NULL until a theme is seen */
    size_t n_themes;
} rp_cell;

/* A verbatim candidate. Order (best first): confidence desc, text length
 * asc, id asc, source asc, line asc, text asc: a total order, so the top k
 * of a union does not depend on how the records were split. */
typedef struct rp_cand {
    int64_t conf;     /* milli */
    char *text;       /* masked */
    char *id, *source, *date;
    int64_t line;
    int sentiment;    /* 0 pos, 1 neg, 2 neu, 3 mixed */
    int nps;          /* -1 when absent */
} rp_cand;

typedef struct rp_verb {
    rp_cand *c[2];    /* [0] positive, [1] negative; up to k each, best first */
    size_t n[2];
} rp_verb;

struct vocal_agg {
    int64_t csat_min, csat_max, ces_min, ces_max; /* milli */
    unsigned k;
    uint64_t records, rejected;
    rp_theme *themes;
    size_t n_themes, cap_themes;
    rp_map theme_map;
    rp_verb *verbs; /* by theme index, cap_themes entries */
    rp_cell *cells;
    size_t n_cells, cap_cells;
    rp_map cell_map;
};

extern const char *const vocal__sentiment_names[4];

int vocal__map_find(const rp_map *m, const char *key, size_t len, size_t *idx);
int vocal__map_put(rp_map *m, const char *key, size_t len, size_t idx);
void vocal__map_free(rp_map *m);

/* theme index for id (created with parent and label if new) */
int vocal__agg_theme(vocal_agg *a, size_t *idx, const char *id, const char *parent, const char *label);
/* the cell of (kind, key), created if new */
int vocal__agg_cell(vocal_agg *a, rp_cell **out, int kind, const char *key);
/* stats of theme t in cell c, growing the cell's theme array */
int vocal__cell_theme(rp_cell *c, size_t t, rp_stats **out);
int vocal__cand_cmp(const rp_cand *x, const rp_cand *y);
/* insert a copy of cand into v's list p, keeping the best k */
int vocal__verb_insert(rp_verb *v, int p, const rp_cand *cand, unsigned k);
void vocal__cand_free(rp_cand *c);

/* One tagged record, borrowed strings (the JSON and SQLite readers fill it). */
typedef struct rp_record_theme {
    const char *id, *parent, *label;
    int polarity;     /* 0 pos, 1 neg, 2 neu */
    int64_t conf;     /* milli */
    int root;
} rp_record_theme;

typedef struct rp_record {
    const char *source, *id, *date, *text;
    size_t text_len;
    int64_t line;
    int nps;          /* -1 absent */
    int has_csat, has_ces;
    int64_t csat, ces; /* milli */
    const char *dim[3]; /* segment, touchpoint, channel; NULL absent */
    int sentiment;
    int64_t score;    /* milli */
    rp_record_theme *themes;
    size_t n_themes;
} rp_record;

int vocal__agg_add(vocal_agg *a, const rp_record *r, vocal_error *err);
/* -1 unless s is one of names (n of them) */
int vocal__lookup(const char *s, const char *const *names, int n);
int64_t vocal__milli(double x);
/* 1 if s starts with a valid YYYY-MM-DD date */
int vocal__valid_date(const char *s, size_t len);

/* MARK: figures and tables (figures.c), used by the renderers */
typedef enum { RC_NULL, RC_STR, RC_INT, RC_NUM } rp_ctype;
typedef struct rp_val {
    rp_ctype t;
    int dec;          /* RC_NUM: decimals when written */
    int64_t i;
    double d;
    char *s;
} rp_val;

typedef struct rp_table {
    const char *name, *title;
    const char *const *cols;
    size_t ncols, nrows, cap;
    rp_val *cells; /* nrows * ncols */
} rp_table;

enum { T_SUMMARY, T_SENTIMENT, T_THEMES, T_BREAKDOWN, T_PERIODS, T_THEME_PERIODS, T_DRIVERS,
       T_VERBATIMS, T_NTABLES };

typedef struct rp_report {
    rp_table t[T_NTABLES];
    const char *title;
    /* headline figures for the HTML header */
    uint64_t records, rejected;
    int64_t comments;   /* records with a text */
    char first_date[11], last_date[11];
    int has_nps, has_csat, has_ces;
    double nps, nps_lo, nps_hi, neg_pct, csat, ces;
    int64_t nps_n;
    vocal_period period;
} rp_report;

int vocal__report_build(rp_report *r, const vocal_agg *a, const vocal_report_options *o, vocal_error *err);
void vocal__report_free(rp_report *r);
const rp_val *vocal__cell(const rp_table *t, size_t row, size_t col);
/* format a value as text (no quoting) into b */
int vocal__val_text(vocal__buf *b, const rp_val *v);

int vocal__render_md(vocal__buf *b, const rp_report *r);
int vocal__render_json(vocal__buf *b, const rp_report *r);
int vocal__render_csv(vocal__buf *b, const rp_table *t);
int vocal__render_html(vocal__buf *b, const rp_report *r, vocal_error *err);

#endif
