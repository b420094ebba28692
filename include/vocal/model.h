/**
 * @file model.h
 * The model module: multinomial and complement naive Bayes over sparse
 * text features, streaming training, versioned checksummed model files,
 * model merge for sharded training, and evaluation helpers.
 *
 * Objects:
 * - vocal_trainer: accumulates feature counts one record at a time. Its
 *   memory is the vocabulary plus the counts, never the corpus.
 * - vocal_model: a trained or loaded model. Immutable; share it across
 *   threads. Each thread classifies with its own vocal_workspace.
 * - vocal_confusion, vocal_calibration: evaluation accumulators.
 *
 * Features (docs/format/model.md §5 is the normative list): word stems (or
 * normalized surface forms), "NOT_" + word inside a negation scope, word
 * n-grams up to the configured order that do not cross sentence ends,
 * optional character n-grams within words, emoji, emoticons, hashtags,
 * "!"/"?" runs, the class tokens "<num>", "<url>", "<email>", "<mention>"
 * and "<long>", and optional lexicon features (the rule scorer's compound
 * binned into LEX_* buckets, and clause polarities).
 *
 * Scores are computed in log space over the document's features only
 * (sparse); probabilities are the softmax of the log-scores with the maximum
 * subtracted, so a 200,000-word text neither underflows nor overflows.
 */
#ifndef VOCAL_MODEL_H
#define VOCAL_MODEL_H

#include <stdio.h>

#include "common.h"
#include "lexicon.h"
#include "text.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Naive-Bayes variants. Numbers are frozen. */
typedef enum vocal_nb_variant {
    /** Multinomial NB: log P(c) + sum of x_f log P(f|c). */
    VOCAL_NB_MULTINOMIAL = 0,
    /** Complement NB (Rennie et al., ICML 2003): each class is scored by
     * what the *other* classes' counts say against the features; robust
     * on unbalanced corpora. Priors are not used (as scikit-learn's
     * ComplementNB), so uniform_priors makes no difference. */
    VOCAL_NB_COMPLEMENT = 1
} vocal_nb_variant;

/** Largest word n-gram order. */
#define VOCAL_MODEL_MAX_NGRAM 8
/** Largest character n-gram length (code points). */
#define VOCAL_MODEL_MAX_CHAR_NGRAM 10
/** Most classes a model may have. */
#define VOCAL_MODEL_MAX_CLASSES 65536

/**
 * Versioned training options; initialise with VOCAL_TRAIN_OPTIONS_INIT.
 * Everything that shapes the features and the counts is recorded in the
 * model file; models trained with different options cannot be merged.
 */
typedef struct vocal_train_options {
    unsigned version;
    int variant;             /**< vocal_nb_variant; default complement */
    double alpha;            /**< Lidstone smoothing, > 0; default 0.5 (chosen by 5-fold
                                  cross-validation on the train splits: docs/accuracy.md) */
    int uniform_priors;      /**< 1: every class has the same prior (multinomial only) */
    unsigned ngram;          /**< word n-gram order, 1..VOCAL_MODEL_MAX_NGRAM; default 2 */
    unsigned char_ngram_min; /**< character n-grams within words, in code points */
    unsigned char_ngram_max; /**<   (both 0 = off; else 1 <= min <= max <= 10; e.g. 3 and 5) */
    int binary;              /**< 1: a feature counts at most once per record */
    uint64_t min_count;      /**< at load time, features counted fewer times (over all
                                  classes) are ignored; 0 or 1 = keep all */
    int use_stems;           /**< 1: words are their stems; 0: their normalized forms */
    int use_negation;        /**< 1: words in a negation scope become "NOT_" + word */
    int use_lexicon;         /**< 1: add lexicon features (needs a vocal_lexicon); default 0
                                  here, 1 in `vocal train` */
} vocal_train_options;

#define VOCAL_TRAIN_OPTIONS_VERSION 1
#define VOCAL_TRAIN_OPTIONS_INIT \
    { VOCAL_TRAIN_OPTIONS_VERSION, VOCAL_NB_COMPLEMENT, 0.5, 0, 2, 0, 0, 0, 1, 1, 1, 0 }

typedef struct vocal_trainer vocal_trainer;
typedef struct vocal_model vocal_model;

/* MARK: training */

/**
 * Start training a model.
 * @param[out] out  the trainer, owned by the caller (vocal_trainer_free); NULL on failure.
 * @param tk        the tokenizer whose workspaces will be passed to vocal_trainer_add;
 *                  its language, stemmer and a probe of its stems are recorded in
 *                  the model. Must not be NULL; only used during this call.
 * @param lex       the lexicon for lexicon features; required when opts->use_lexicon,
 *                  else ignored. Must outlive the trainer. May be NULL.
 * @param opts      options; NULL means VOCAL_TRAIN_OPTIONS_INIT. Copied.
 * @param err       filled on failure; may be NULL.
 * @return VOCAL_OK, VOCAL_EINPUT (bad option value, naming it) or VOCAL_ENOMEM.
 * Threads: a trainer is used by one thread at a time.
 */
VOCAL_API int vocal_trainer_new(vocal_trainer **out, const vocal_tokenizer *tk,
                                const vocal_lexicon *lex, const vocal_train_options *opts,
                                vocal_error *err);

/**
 * Count one labelled record. A record with several labels counts once for
 * each (distinct) label; its text is not kept.
 * @param tr        the trainer; must not be NULL.
 * @param ws        a workspace of the tokenizer given to vocal_trainer_new; its
 *                  borrowed results are overwritten.
 * @param text, len the record's text (UTF-8; bad bytes are replaced, as the tokenizer does).
 * @param labels    n_labels labels, each a NUL-terminated non-empty UTF-8 string
 *                  without control characters; copied. A repeated label counts once.
 * @param n_labels  1 to 64.
 * @return VOCAL_OK, VOCAL_EINPUT (no label, more than 64, an empty or bad label,
 *         over VOCAL_MODEL_MAX_CLASSES classes, a full vocabulary, a text over the
 *         tokenizer's limit) or VOCAL_ENOMEM. On failure nothing is counted: the
 *         record may be added again. (After VOCAL_ENOMEM, vocabulary entries or a
 *         class may remain without counts; they are never written to a model.)
 */
VOCAL_API int vocal_trainer_add(vocal_trainer *tr, vocal_workspace *ws, const char *text,
                                size_t len, const char *const *labels, size_t n_labels,
                                vocal_error *err);

/**
 * Build a model from the counts so far. The trainer is not changed: more
 * records may be added and finish called again (memory peaks at about twice
 * the counts while the model is built).
 * @param[out] out  the model, owned by the caller (vocal_model_free); NULL on failure.
 * @return VOCAL_OK, VOCAL_EINPUT (no record added yet) or VOCAL_ENOMEM.
 */
VOCAL_API int vocal_trainer_finish(vocal_model **out, vocal_trainer *tr, vocal_error *err);

/** Release a trainer. NULL-safe. */
VOCAL_API void vocal_trainer_free(vocal_trainer *tr);

/* MARK: model files */

/**
 * Write a model file atomically: a temporary file in the same directory,
 * fsync, rename over `path`. The file holds every count (no pruning), so a
 * load gives back the same model and merges are exact. Nothing host-specific
 * (no time, host or path) is written: the same model gives the same bytes.
 * @param model  must not be NULL.
 * @param path   the file to write (replaced if it exists).
 * @param err    filled on failure (err->path = path); may be NULL.
 * @return VOCAL_OK, VOCAL_EIO or VOCAL_ENOMEM. On failure `path` is untouched.
 * Threads: safe with concurrent classification.
 */
VOCAL_API int vocal_model_save(const vocal_model *model, const char *path, vocal_error *err);

/**
 * Load a model file, verifying magic, version and every section checksum
 * before use, and every offset and length against the file size.
 * @param[out] out  the model, owned by the caller (vocal_model_free); NULL on failure.
 * @param path      file to read.
 * @param err       filled on failure (err->byte = offset of the damage, err->path = path);
 *                  may be NULL.
 * @return VOCAL_OK, VOCAL_EIO, VOCAL_EFORMAT (corrupt, truncated or foreign file),
 *         VOCAL_EVERSION (written by a newer major format, or needs a feature this
 *         vocal lacks) or VOCAL_ENOMEM.
 * Threads: the model is immutable; any number of threads may classify with it.
 */
VOCAL_API int vocal_model_load(vocal_model **out, const char *path, vocal_error *err);

/**
 * Load a model from memory (a file's bytes), as vocal_model_load does.
 * @param data, size  the bytes; copied what is needed, not kept.
 */
VOCAL_API int vocal_model_load_buffer(vocal_model **out, const void *data, size_t size,
                                      vocal_error *err);

/** Release a model. NULL-safe. */
VOCAL_API void vocal_model_free(vocal_model *model);

/**
 * Check that a tokenizer makes the same words the model was trained on: its
 * stemmer's probe hash (the stems of a fixed word list) and its normalizer's
 * Unicode version must match what the model recorded. Call it once after
 * building the tokenizer for a loaded model; a mismatch is worth a warning
 * (the model still works, with some words unknown).
 * @return VOCAL_OK, VOCAL_EINPUT (mismatch; err->msg says which) or VOCAL_ENOMEM.
 */
VOCAL_API int vocal_model_check_tokenizer(const vocal_model *model, const vocal_tokenizer *tk,
                                          vocal_error *err);

/* MARK: classification */

/** One feature's weight: in a classification, its contribution to a class;
 * in vocal_model_top_features, its weight for the class. */
typedef struct vocal_feature_weight {
    const char *feature; /**< the feature string, NUL-terminated; borrowed from the model */
    size_t len;
    uint32_t cls;        /**< class index */
    double weight;       /**< log-weight (times its count in the text, for a classification) */
    uint64_t count;      /**< occurrences in the text, or training count in the class */
} vocal_feature_weight;

/** Options for vocal_model_classify; initialise with VOCAL_CLASSIFY_OPTIONS_INIT. */
typedef struct vocal_classify_options {
    unsigned version;
    double min_prob;   /**< abstain (label "") when the best probability is below this */
    unsigned top_k;    /**< how many top contributing features to return: 0 (the default,
                            fastest) = none; at most VOCAL_CLASSIFY_MAX_TOP_K */
} vocal_classify_options;

#define VOCAL_CLASSIFY_OPTIONS_VERSION 1
#define VOCAL_CLASSIFY_OPTIONS_INIT { VOCAL_CLASSIFY_OPTIONS_VERSION, 0.0, 0 }
#define VOCAL_CLASSIFY_MAX_TOP_K 256

/** A class index meaning "none" (abstained). */
#define VOCAL_NO_CLASS ((size_t)-1)

/**
 * A classified text. Arrays and strings are borrowed: from the workspace
 * until the next call on it, and (feature and label strings) from the model.
 */
typedef struct vocal_classification {
    const char *label;    /**< the best class's name, or "" when abstaining */
    size_t cls;           /**< the best class's index (ties: the lower index), also
                               when abstaining */
    int abstained;        /**< 1 if probs[cls] < min_prob */
    double prob;          /**< probs[cls] */
    size_t n_classes;
    const double *probs;  /**< per class, finite, summing to 1 */
    const double *scores; /**< per class log-scores (up to a per-text constant) */
    const vocal_feature_weight *top; /**< up to top_k features by contribution, largest
                                          first; each with the class it supports most */
    size_t n_top;
    size_t n_features;    /**< feature occurrences found in the model (distinct
                               features, for a binary model) */
    size_t n_unknown;     /**< feature occurrences not in the model (or pruned) */
} vocal_classification;

/**
 * Classify a text.
 * @param[out] out  the result, borrowed as vocal_classification says; poisoned on failure.
 * @param ws        a workspace of a tokenizer like the model's (see
 *                  vocal_model_check_tokenizer); its earlier borrowed results are overwritten.
 * @param model     must not be NULL.
 * @param lex       the lexicon; required when the model uses lexicon features (else
 *                  VOCAL_EINPUT), ignored otherwise. May be NULL.
 * @param text, len the text; need not be NUL-terminated; text may be NULL if len is 0.
 * @param opts      NULL means VOCAL_CLASSIFY_OPTIONS_INIT.
 * @param err       filled on failure; may be NULL.
 * @return VOCAL_OK, VOCAL_EINPUT or VOCAL_ENOMEM. Once the workspace is warm,
 *         classifying allocates nothing.
 * Threads: any number of threads may classify with one model, each with its own workspace.
 */
VOCAL_API int vocal_model_classify(vocal_classification *out, vocal_workspace *ws,
                                   const vocal_model *model, const vocal_lexicon *lex,
                                   const char *text, size_t len,
                                   const vocal_classify_options *opts, vocal_error *err);

/**
 * Classify a text already scored by the lexicon, without tokenizing or
 * scoring it again: the same result as vocal_model_classify on the text
 * that gave sent, when sent came from the model's lexicon (the one whose
 * fingerprint the model records) with a tokenizer like the model's.
 * @param sent  a vocal_lexicon_score result on ws, whose tokens are still
 *              valid (no other call on ws since); must not be NULL. The
 *              lexicon is needed only for models with lexicon features, but
 *              the tokens are used by every model.
 * Other parameters, the result, errors and threads: as vocal_model_classify.
 */
VOCAL_API int vocal_model_classify_sentiment(vocal_classification *out, vocal_workspace *ws,
                                             const vocal_model *model, const vocal_sentiment *sent,
                                             const vocal_classify_options *opts, vocal_error *err);

/* MARK: introspection */

/** What a model is. Strings are borrowed from the model. */
typedef struct vocal_model_info {
    vocal_train_options options; /**< as trained (min_count as applied at load) */
    size_t n_classes;
    uint64_t n_features;         /**< feature strings stored */
    uint64_t n_features_used;    /**< those kept after min_count pruning */
    uint64_t n_parameters;       /**< n_features_used * n_classes + n_classes */
    uint64_t records;            /**< training records (the corpus fingerprint's count) */
    uint64_t fingerprint;        /**< order-independent sum of record hashes (model.md §4.1) */
    const char *language;        /**< ISO code the tokenizer had ("en") */
    const char *stemmer;         /**< libstemmer algorithm, "" when not stemming */
    uint64_t stemmer_probe;      /**< hash of the stems of the probe words (model.md §4.2) */
    const char *unicode;         /**< Unicode version of the normalizer at training */
    const char *writer;          /**< vocal version that wrote the file (or this library) */
    unsigned format_major, format_minor; /**< of the file loaded (or that save writes) */
    uint64_t lexicon_fingerprint; /**< vocal_lexicon_fingerprint of the lexicon the lexicon
                                       features came from; 0 without lexicon features */
} vocal_model_info;

/**
 * Describe a model. (Named _get because vocal_model_info is the struct.)
 * @param[out] out  filled; must not be NULL.
 * @param model     must not be NULL.
 * Threads: safe.
 */
VOCAL_API void vocal_model_info_get(vocal_model_info *out, const vocal_model *model);

/**
 * The class names (sorted bytewise) and their training record counts.
 * @param model       must not be NULL.
 * @param[out] names  if not NULL, the names, borrowed from the model.
 * @param[out] docs   if not NULL, records per class, borrowed from the model.
 * @return the number of classes (>= 1). Class indices everywhere follow this order.
 * Threads: safe.
 */
VOCAL_API size_t vocal_model_classes(const vocal_model *model, const char *const **names,
                                     const uint64_t **docs);

/** The index of a class name (len bytes, no NUL needed), or VOCAL_NO_CLASS. Threads: safe. */
VOCAL_API size_t vocal_model_class_index(const vocal_model *model, const char *name, size_t len);

/**
 * The features with the largest weight for a class: the features that speak
 * most for it relative to the average class (the weights classification
 * adds up). Ties are broken bytewise by feature.
 * @param[out] out  an array of n entries, filled largest first; strings borrowed from the model;
 *                  count is the feature's training count in the class. NULL only if n is 0.
 * @param n         capacity of out.
 * @param model     must not be NULL.
 * @param cls       class index (< n_classes, else nothing is filled).
 * @return the number of entries filled (min(n, features used)).
 * Threads: safe.
 */
VOCAL_API size_t vocal_model_top_features(vocal_feature_weight *out, size_t n,
                                          const vocal_model *model, size_t cls);

/**
 * Merge models trained on disjoint shards into one with summed counts, as
 * if trained on all the records: saving merge(train(A), train(B)) gives the
 * same bytes as saving train(A + B).
 * @param[out] out  owned by the caller (vocal_model_free); NULL on failure.
 * @param models    n models (n >= 1), none NULL; not changed. Their options, language,
 *                  stemmer probe and Unicode version must all agree (model.md §8).
 * @param err       filled on failure; may be NULL.
 * @return VOCAL_OK, VOCAL_EINPUT (different options, naming the option and the
 *         models' values; a count overflow; n == 0) or VOCAL_ENOMEM.
 * Threads: safe with concurrent classification on the inputs.
 */
VOCAL_API int vocal_model_merge(vocal_model **out, const vocal_model *const *models, size_t n,
                                vocal_error *err);

/**
 * Write the model as deterministic text for diffs in review: META lines,
 * classes, and per feature its counts (exact integers) and load-time
 * weights (hexadecimal floats, formatted without the C locale). The same
 * model gives the same text; a loaded model dumps as the model it was saved from.
 * @param model  must not be NULL.
 * @param f      an open stream, not closed; must not be NULL.
 * @param err    filled on failure; may be NULL.
 * @return VOCAL_OK, VOCAL_EIO (a write failed) or VOCAL_ENOMEM.
 * Threads: safe (the model is only read).
 */
VOCAL_API int vocal_model_dump(const vocal_model *model, FILE *f, vocal_error *err);

/* MARK: evaluation */

typedef struct vocal_confusion vocal_confusion;

/** Per-class metrics. */
typedef struct vocal_class_metrics {
    uint64_t support;   /**< records whose true class it is */
    uint64_t predicted; /**< records predicted as it */
    uint64_t correct;   /**< both */
    double precision, recall, f1; /**< 0 when undefined (0/0) */
} vocal_class_metrics;

/** Summary metrics. per_class is borrowed from the confusion until its next
 * metrics call or free. */
typedef struct vocal_metrics {
    uint64_t total;       /**< records added */
    uint64_t correct;
    uint64_t abstained;   /**< predicted VOCAL_NO_CLASS (counted as wrong) */
    double accuracy;      /**< correct / total */
    double macro_precision, macro_recall, macro_f1; /**< means over the classes that
                               occur as truth or prediction (as scikit-learn's default) */
    double weighted_f1;   /**< F1 weighted by support */
    size_t n_classes;
    const vocal_class_metrics *per_class;
} vocal_metrics;

/**
 * Make an empty confusion matrix over n_classes classes (a model's class
 * indices; map true labels with vocal_model_class_index).
 * @param[out] out  owned by the caller (vocal_confusion_free); NULL on failure.
 * @return VOCAL_OK, VOCAL_EINPUT (0 or too many classes) or VOCAL_ENOMEM.
 * Threads: one thread at a time per matrix; merge per-thread matrices.
 */
VOCAL_API int vocal_confusion_new(vocal_confusion **out, size_t n_classes, vocal_error *err);

/** Release a confusion matrix. NULL-safe. */
VOCAL_API void vocal_confusion_free(vocal_confusion *cm);

/**
 * Count one record.
 * @param truth  the true class index.
 * @param pred   the predicted class index, or VOCAL_NO_CLASS for an abstention.
 * @return VOCAL_OK, or VOCAL_EINPUT when an index is out of range (nothing counted).
 */
VOCAL_API int vocal_confusion_add(vocal_confusion *cm, size_t truth, size_t pred);

/** Add src's counts to dst (same class count, else VOCAL_EINPUT): for sharded evaluation. */
VOCAL_API int vocal_confusion_merge(vocal_confusion *dst, const vocal_confusion *src);

/** Records with this truth and prediction (pred may be VOCAL_NO_CLASS); 0 if out of range. */
VOCAL_API uint64_t vocal_confusion_get(const vocal_confusion *cm, size_t truth, size_t pred);

/**
 * Compute the metrics.
 * @param[out] out  filled; per_class borrowed from cm.
 * @return VOCAL_OK.
 */
VOCAL_API int vocal_confusion_metrics(vocal_metrics *out, vocal_confusion *cm);

#define VOCAL_CALIBRATION_MAX_BINS 100

/**
 * A reliability table: predictions binned by their probability, with the
 * accuracy in each bin. Caller-owned and fixed-size; two tables with the same
 * bins merge by adding their fields.
 */
typedef struct vocal_calibration {
    unsigned n_bins;                                 /**< equal-width bins over [0, 1] */
    uint64_t count[VOCAL_CALIBRATION_MAX_BINS];      /**< predictions in the bin */
    uint64_t correct[VOCAL_CALIBRATION_MAX_BINS];    /**< of which correct */
    double conf_sum[VOCAL_CALIBRATION_MAX_BINS];     /**< sum of their probabilities */
} vocal_calibration;

/** Empty the table and set its bins (1..VOCAL_CALIBRATION_MAX_BINS; others become 10). */
VOCAL_API void vocal_calibration_init(vocal_calibration *cal, unsigned n_bins);

/** Count one prediction with probability prob (clamped to [0, 1]; NaN is ignored). */
VOCAL_API void vocal_calibration_add(vocal_calibration *cal, double prob, int correct);

/**
 * Expected calibration error: sum over bins of count/total *
 * |accuracy - mean probability| (Naeini et al., AAAI 2015); 0 when empty.
 */
VOCAL_API double vocal_calibration_ece(const vocal_calibration *cal);

#ifdef __cplusplus
}
#endif
#endif /* VOCAL_MODEL_H */
