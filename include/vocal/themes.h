/**
 * @file themes.h
 * The themes module: a hierarchical taxonomy of customer-experience themes
 * (lexicons/themes/README.md is the file format), a rule tagger compiled
 * from it, trained one-vs-rest naive-Bayes theme models, and multi-label
 * tagging with per-theme polarity, confidence and evidence (docs/themes.md).
 *
 * Objects:
 * - vocal_taxonomy: themes and their patterns as loaded from files. Filled
 *   by the load calls, then immutable.
 * - vocal_tagger: the taxonomy's patterns compiled for one tokenizer (stems
 *   of its language) into an index keyed by a pattern's first word, so that
 *   tagging costs about one hash probe per token. Immutable; share it.
 * - vocal_theme_model: a trained theme model (a vocal model file whose
 *   classes are theme ids plus the reserved class "*"; docs/format/model.md
 *   §9). Immutable; share it.
 * - vocal_theme_trainer: accumulates labelled records for a theme model.
 *
 * Tagging reuses a vocal_workspace: the tokens and the lexicon scorer's
 * clause sums of a vocal_sentiment, and scratch in the workspace's slots.
 */
#ifndef VOCAL_THEMES_H
#define VOCAL_THEMES_H

#include "common.h"
#include "lexicon.h"
#include "model.h"
#include "text.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A theme index meaning "none". */
#define VOCAL_NO_THEME ((size_t)-1)

/* MARK: taxonomy */

typedef struct vocal_taxonomy vocal_taxonomy;

/** One theme of a taxonomy. Strings are borrowed from the taxonomy. */
typedef struct vocal_theme_info {
    const char *id;      /**< "delivery.late" */
    const char *parent;  /**< "delivery"; "" for a top-level theme */
    const char *label;   /**< "Late delivery"; the id when the file gave none */
    size_t parent_index; /**< VOCAL_NO_THEME for a top-level theme */
    int lean;            /**< -1 negative, 0 none, +1 positive */
    unsigned depth;      /**< 0 for a top-level theme */
    size_t n_match, n_cue, n_context, n_exclude; /**< pattern lines of each kind */
} vocal_theme_info;

/**
 * Make an empty taxonomy.
 * @param[out] out  owned by the caller (vocal_taxonomy_free); NULL on failure.
 * @return VOCAL_OK or VOCAL_ENOMEM.
 */
VOCAL_API int vocal_taxonomy_new(vocal_taxonomy **out, vocal_error *err);

/** Release a taxonomy. NULL-safe. Taggers made from it must be freed first. */
VOCAL_API void vocal_taxonomy_free(vocal_taxonomy *tx);

/**
 * Load one taxonomy file (format version 1, lexicons/themes/README.md) on
 * top of what is loaded: new themes are added, an existing id continues
 * that theme. The first file loaded sets the language (`lang=` on its
 * header, default "en"); a later file with another language is an error.
 * @param tx    must not be NULL, not yet compiled into a tagger.
 * @param path  the file.
 * @param err   on failure: the file, the 1-based line and the byte offset of
 *              the bad line, and what is wrong with it.
 * @return VOCAL_OK, VOCAL_EIO, VOCAL_EINPUT (bad line), VOCAL_EVERSION (a newer
 *         format) or VOCAL_ENOMEM. On failure the lines before the bad one stay loaded.
 */
VOCAL_API int vocal_taxonomy_load_file(vocal_taxonomy *tx, const char *path, vocal_error *err);

/**
 * Load a taxonomy from memory, as vocal_taxonomy_load_file does.
 * @param name  shown in errors as the file name; may be NULL ("<buffer>").
 */
VOCAL_API int vocal_taxonomy_load_buffer(vocal_taxonomy *tx, const char *name, const char *data,
                                         size_t len, vocal_error *err);

/**
 * Load the shipped taxonomy of a data directory: `DIR/lexicons/themes/core.themes`,
 * then `DIR/lexicons/themes/DOMAIN.themes` for each domain, in order.
 * @param data_dir  vocal's data directory (the CLI's is found as for lexicons).
 * @param domains   n domain names ("retail", "travel" …); may be NULL if n is 0.
 *                  A name must be [a-z0-9_]+; an unknown one is VOCAL_EIO naming the file.
 * @return as vocal_taxonomy_load_file; VOCAL_EINPUT for a malformed domain name.
 */
VOCAL_API int vocal_taxonomy_load_data(vocal_taxonomy *tx, const char *data_dir,
                                       const char *const *domains, size_t n, vocal_error *err);

/** Number of themes, in declaration order (indices 0 … count-1). Threads: safe. */
VOCAL_API size_t vocal_taxonomy_count(const vocal_taxonomy *tx);

/**
 * Describe theme i.
 * @return VOCAL_OK, or VOCAL_EINPUT when i is out of range (out untouched).
 */
VOCAL_API int vocal_taxonomy_theme(vocal_theme_info *out, const vocal_taxonomy *tx, size_t i);

/** The index of a theme id (len bytes), or VOCAL_NO_THEME. Threads: safe. */
VOCAL_API size_t vocal_taxonomy_find(const vocal_taxonomy *tx, const char *id, size_t len);

/** The taxonomy's language code ("en"); borrowed. */
VOCAL_API const char *vocal_taxonomy_language(const vocal_taxonomy *tx);

/* MARK: tagger */

typedef struct vocal_tagger vocal_tagger;

/**
 * Compile a taxonomy's patterns for a tokenizer: pattern words are tokenized,
 * normalized and stemmed exactly as texts are, then indexed by first word.
 * @param[out] out  owned by the caller (vocal_tagger_free); NULL on failure.
 * @param tx        must outlive the tagger; not changed.
 * @param tk        the tokenizer whose workspaces will tag; its language must
 *                  be the taxonomy's. Only used during this call.
 * @param err       on failure names the file and line of a pattern that holds no word.
 * @return VOCAL_OK, VOCAL_EINPUT (language mismatch, empty pattern) or VOCAL_ENOMEM.
 * Threads: the tagger is immutable; any number of threads may tag with it.
 */
VOCAL_API int vocal_tagger_new(vocal_tagger **out, const vocal_taxonomy *tx, const vocal_tokenizer *tk,
                               vocal_error *err);

/** Release a tagger. NULL-safe. */
VOCAL_API void vocal_tagger_free(vocal_tagger *tg);

/** The taxonomy a tagger was compiled from (borrowed). */
VOCAL_API const vocal_taxonomy *vocal_tagger_taxonomy(const vocal_tagger *tg);

/* MARK: theme models */

typedef struct vocal_theme_trainer vocal_theme_trainer;
typedef struct vocal_theme_model vocal_theme_model;

/**
 * Start training a theme model: one-vs-rest naive Bayes per theme, plus a
 * polarity classifier per theme where records give polarities.
 * @param tk    as for vocal_trainer_new.
 * @param opts  training options; NULL means VOCAL_TRAIN_OPTIONS_INIT. The
 *              variant is ignored (theme models are multinomial one-vs-rest)
 *              and lexicon features are refused (VOCAL_EINPUT); binary counts
 *              a feature once per record, in training and in tagging.
 * @return VOCAL_OK, VOCAL_EINPUT or VOCAL_ENOMEM.
 */
VOCAL_API int vocal_theme_trainer_new(vocal_theme_trainer **out, const vocal_tokenizer *tk,
                                      const vocal_train_options *opts, vocal_error *err);

/**
 * Count one record.
 * @param themes    n theme labels, each "ID" or "ID:POLARITY" where POLARITY is
 *                  positive, negative, neutral (or +, -, 0; "conflict" counts
 *                  as neutral). ID is a theme id ([a-z0-9_] segments joined by '.').
 *                  n may be 0: a record about no theme (it still counts).
 * @param n         0 to 20.
 * @return VOCAL_OK, VOCAL_EINPUT (a bad label, naming it; nothing counted) or VOCAL_ENOMEM.
 */
VOCAL_API int vocal_theme_trainer_add(vocal_theme_trainer *tr, vocal_workspace *ws, const char *text,
                                      size_t len, const char *const *themes, size_t n, vocal_error *err);

/**
 * Build the model from the counts so far (the trainer is unchanged).
 * @return VOCAL_OK, VOCAL_EINPUT (no record, or no theme in any record) or VOCAL_ENOMEM.
 */
VOCAL_API int vocal_theme_trainer_finish(vocal_theme_model **out, vocal_theme_trainer *tr, vocal_error *err);

/** Release a theme trainer. NULL-safe. */
VOCAL_API void vocal_theme_trainer_free(vocal_theme_trainer *tr);

/** Write a theme model atomically (a vocal model file; see vocal_model_save). */
VOCAL_API int vocal_theme_model_save(const vocal_theme_model *m, const char *path, vocal_error *err);

/**
 * Load a theme model.
 * @return VOCAL_OK, as vocal_model_load, or VOCAL_EFORMAT when the file is a
 *         model but not a theme model (no "*" class).
 */
VOCAL_API int vocal_theme_model_load(vocal_theme_model **out, const char *path, vocal_error *err);

/** Release a theme model. NULL-safe. */
VOCAL_API void vocal_theme_model_free(vocal_theme_model *m);

/**
 * The themes a model knows, as ids (borrowed from the model), in bytewise order.
 * @return their number.
 */
VOCAL_API size_t vocal_theme_model_themes(const vocal_theme_model *m, const char *const **ids);

/** The underlying vocal model (for vocal_model_info_get, vocal_model_check_tokenizer); borrowed. */
VOCAL_API const vocal_model *vocal_theme_model_base(const vocal_theme_model *m);

/* MARK: tagging */

/** Where a theme's hit came from. */
typedef enum vocal_theme_source {
    VOCAL_THEME_RULES = 1,
    VOCAL_THEME_MODEL = 2,
    VOCAL_THEME_BOTH = 3
} vocal_theme_source;

/* vocal_theme_evidence.flags */
#define VOCAL_EVID_CUE     (1u << 0)  /**< a cue pattern confirmed by a context word */
#define VOCAL_EVID_NEGATED (1u << 1)  /**< its first word is in a negation scope */
#define VOCAL_EVID_MODEL   (1u << 2)  /**< a model feature, not a pattern match */

/** One piece of evidence: a byte span of the text. */
typedef struct vocal_theme_evidence {
    uint64_t start, end;  /**< [start, end) in the text */
    uint32_t sentence;    /**< sentence index of its first token */
    uint32_t clause;      /**< clause index of its first token */
    uint32_t flags;       /**< VOCAL_EVID_* */
    double clause_sum;    /**< the lexicon scorer's sum for that clause */
    const char *pattern;  /**< the pattern as written in the taxonomy ("" for model evidence) */
} vocal_theme_evidence;

/** One theme found in a text. Strings are borrowed from the taxonomy or the model. */
typedef struct vocal_theme_hit {
    const char *id, *parent, *label;
    size_t theme;        /**< index in the tagger's taxonomy, or VOCAL_NO_THEME (model-only theme) */
    int polarity;        /**< -1, 0, +1 */
    double polarity_score; /**< the evidence clauses' sum (or the model's log-odds for polarity) */
    double confidence;   /**< in [0, 1] (docs/themes.md §confidence) */
    double rule_confidence; /**< from the evidence alone; 0 when no rule fired */
    double model_prob;   /**< the model's probability; -1 when no model knows the theme */
    double strength;     /**< confidence weighted by how strongly the clauses lean: the ranking key */
    int source;          /**< vocal_theme_source */
    int negation_rule;   /**< 1: moved here from a leaning child whose evidence was all negated */
    const vocal_theme_evidence *evidence;
    size_t n_evidence;
    double model_score;  /**< the model's log-odds for the theme (unbounded, unlike model_prob,
                              so it still ranks themes whose probabilities round to 1); 0 without */
} vocal_theme_hit;

/** A tagged text. Arrays are borrowed from the workspace until its next call. */
typedef struct vocal_themes {
    const vocal_theme_hit *hits;  /**< strongest first */
    size_t n_hits;
    const size_t *root_causes;    /**< indices into hits of the negative ones, strongest first */
    size_t n_root_causes;
} vocal_themes;

/** Tagging options; initialise with VOCAL_TAG_OPTIONS_INIT. */
typedef struct vocal_tag_options {
    unsigned version;
    double model_threshold; /**< a model reports a theme at this probability (default 0.5) */
    double min_confidence;  /**< hits below are dropped (default 0) */
    int keep_parents;       /**< 1: keep a parent's hit even when one of its children hit */
} vocal_tag_options;

#define VOCAL_TAG_OPTIONS_VERSION 1
#define VOCAL_TAG_OPTIONS_INIT { VOCAL_TAG_OPTIONS_VERSION, 0.5, 0.0, 0 }

/**
 * Tag a scored text with themes.
 * @param[out] out  the hits, borrowed from ws; emptied on failure.
 * @param ws        the workspace `sent` was scored with (its tokens are used);
 *                  the sentiment's arrays stay valid.
 * @param tg        the rule tagger; may be NULL (model only).
 * @param model     a theme model; may be NULL (rules only). Both NULL: no hits.
 * @param sent      the text's vocal_lexicon_score result on ws; must not be NULL.
 * @param opts      NULL means VOCAL_TAG_OPTIONS_INIT.
 * @return VOCAL_OK, VOCAL_EINPUT (bad options version) or VOCAL_ENOMEM.
 * Threads: any number of threads may tag with one tagger and model, each with its own workspace.
 */
VOCAL_API int vocal_themes_tag(vocal_themes *out, vocal_workspace *ws, const vocal_tagger *tg,
                               const vocal_theme_model *model, const vocal_sentiment *sent,
                               const vocal_tag_options *opts, vocal_error *err);

/**
 * Score a text with the lexicon, then tag it (vocal_lexicon_score + vocal_themes_tag).
 * @param[out] sent  if not NULL, the sentiment too (borrowed from ws).
 */
VOCAL_API int vocal_themes_tag_text(vocal_themes *out, vocal_sentiment *sent, vocal_workspace *ws,
                                    const vocal_tagger *tg, const vocal_theme_model *model,
                                    const vocal_lexicon *lex, const char *text, size_t len,
                                    const vocal_tag_options *opts, vocal_error *err);

/** "rules", "model" or "both" for a vocal_theme_source. Threads: safe. */
VOCAL_API const char *vocal_theme_source_name(int source);

#ifdef __cplusplus
}
#endif
#endif /* VOCAL_THEMES_H */
