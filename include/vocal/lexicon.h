/**
 * @file lexicon.h
 * Valence lexicons and the rule-based sentiment scorer.
 *
 * A vocal_lexicon holds word valences (-4 … +4), multi-word expressions,
 * emoji and emoticon valences, boosters and dampeners, negators and contrast
 * words, loaded from plain TSV files (lexicons/README.md). Load it once,
 * then share it: scoring never changes it.
 *
 * The scorer walks the tokens of a text and gives each sentiment-bearing
 * token (or expression) a contribution, after the rules in
 * docs/scorer.md: expressions before single words, negation scope,
 * boosters and dampeners, ALL-CAPS emphasis, elongation, contrast clauses,
 * exclamation and question marks. The contributions sum to a document score
 * that is squashed into a compound in [-1, 1].
 */
#ifndef VOCAL_LEXICON_H
#define VOCAL_LEXICON_H

#include "common.h"
#include "text.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vocal_lexicon vocal_lexicon;

/** Kinds of lexicon entries (and of lexicon files). */
typedef enum vocal_lexicon_kind {
    VOCAL_LEX_VALENCE = 0,   /**< words and multi-word expressions with a valence */
    VOCAL_LEX_EMOJI = 1,     /**< emoji by code point sequence, with a valence */
    VOCAL_LEX_EMOTICON = 2,  /**< emoticons as typed, with a valence */
    VOCAL_LEX_BOOSTER = 3,   /**< intensifiers (> 0) and dampeners (< 0), weight in [-1, 1] */
    VOCAL_LEX_NEGATOR = 4,   /**< negation cues */
    VOCAL_LEX_CONTRAST = 5   /**< contrast words with a role: after, before, concessive */
} vocal_lexicon_kind;

/**
 * Make an empty lexicon for a language.
 * @param[out] out   owned by the caller (vocal_lexicon_free); NULL on failure.
 * @param language   ISO code or libstemmer name, as for the tokenizer; NULL = "en".
 *                   The tokenizer made by vocal_lexicon_tokenizer_new uses it.
 * @return VOCAL_OK, VOCAL_EINPUT (unknown language) or VOCAL_ENOMEM.
 */
VOCAL_API int vocal_lexicon_new(vocal_lexicon **out, const char *language, vocal_error *err);

/** Release a lexicon. NULL-safe. */
VOCAL_API void vocal_lexicon_free(vocal_lexicon *lex);

/**
 * Load one lexicon file. Its kind comes from its header line
 * (`#vocal-lexicon 1 kind=emoji`) or, without one, from its file name
 * (emoji.tsv, emoticons.tsv, boosters.tsv, negators.tsv, contrast.tsv;
 * anything else holds valences). Entries override earlier ones with the same
 * key: later files win.
 * @param lex   must not be NULL, and not yet shared with other threads.
 * @param path  the file.
 * @param err   on failure names the file and 1-based line (err->line) and
 *              byte offset of the bad line.
 * @return VOCAL_OK, VOCAL_EIO, VOCAL_EINPUT (bad line) or VOCAL_ENOMEM.
 *         On failure the entries read before the bad line stay loaded.
 */
VOCAL_API int vocal_lexicon_load_file(vocal_lexicon *lex, const char *path, vocal_error *err);

/**
 * Load every lexicon file (*.tsv) of a directory, in name order.
 * @return as vocal_lexicon_load_file; VOCAL_EIO if the directory cannot be read.
 */
VOCAL_API int vocal_lexicon_load_dir(vocal_lexicon *lex, const char *dir, vocal_error *err);

/**
 * Add or override one entry.
 * @param kind   VOCAL_LEX_*.
 * @param key    the word, expression (words separated by spaces), emoji
 *               (UTF-8) or emoticon; for NEGATOR entries value is ignored;
 *               for CONTRAST entries value is 1 (after), 2 (before) or 3 (concessive).
 * @param value  valence in [-4, 4] or booster weight in [-1, 1].
 * @return VOCAL_OK, VOCAL_EINPUT (value out of range, empty key) or VOCAL_ENOMEM.
 */
VOCAL_API int vocal_lexicon_add(vocal_lexicon *lex, vocal_lexicon_kind kind, const char *key,
                                double value, vocal_error *err);

/**
 * Number of entries of a kind.
 */
VOCAL_API size_t vocal_lexicon_count(const vocal_lexicon *lex, vocal_lexicon_kind kind);

/**
 * A 64-bit fingerprint of everything the lexicon holds (every live entry:
 * kind, key and value), independent of load order and of how entries were
 * split into files. Two lexicons with the same fingerprint score every text
 * alike (up to hash collisions). Models trained with lexicon features record
 * it, so using a model with another lexicon can be noticed.
 */
VOCAL_API uint64_t vocal_lexicon_fingerprint(const vocal_lexicon *lex);

/**
 * Make a tokenizer whose negators and contrast words are the lexicon's
 * (when it has any; else the tokenizer's built-in lists stay).
 * @param[out] out  owned by the caller (vocal_tokenizer_free).
 * @param opts      tokenizer options; NULL for defaults. Its language
 *                  defaults to the lexicon's.
 */
VOCAL_API int vocal_lexicon_tokenizer_new(vocal_tokenizer **out, const vocal_lexicon *lex,
                                          const vocal_text_options *opts, vocal_error *err);

/** Sentiment labels. */
typedef enum vocal_label {
    VOCAL_LABEL_NEGATIVE = -1,
    VOCAL_LABEL_NEUTRAL = 0,
    VOCAL_LABEL_POSITIVE = 1
} vocal_label;

/* Rules that changed a contribution (vocal_contribution.rules bits). */
#define VOCAL_RULE_IDIOM      (1u << 0)  /**< a multi-word expression matched */
#define VOCAL_RULE_NEGATED    (1u << 1)  /**< flipped and damped by a negator */
#define VOCAL_RULE_NEG_FAR    (1u << 2)  /**< negator far away: damped, not flipped */
#define VOCAL_RULE_BOOSTED    (1u << 3)  /**< an intensifier raised it */
#define VOCAL_RULE_DAMPENED   (1u << 4)  /**< a dampener lowered it */
#define VOCAL_RULE_CAPS       (1u << 5)  /**< ALL-CAPS emphasis */
#define VOCAL_RULE_ELONGATED  (1u << 6)  /**< elongation emphasis ("goooood") */
#define VOCAL_RULE_CONTRAST_UP   (1u << 7)  /**< weighs more: after "but", outside a concession */
#define VOCAL_RULE_CONTRAST_DOWN (1u << 8)  /**< weighs less: before "but", inside a concession */
/* bit 9 is reserved */
#define VOCAL_RULE_EMOJI      (1u << 10) /**< an emoji */
#define VOCAL_RULE_EMOTICON   (1u << 11) /**< an emoticon */

/** One token's (or expression's) part in the score. */
typedef struct vocal_contribution {
    uint32_t token;     /**< index of the first token */
    uint32_t ntokens;   /**< tokens covered (> 1 for expressions) */
    uint32_t rules;     /**< VOCAL_RULE_* */
    uint32_t clause;    /**< clause index of the first token */
    double valence;     /**< the lexicon's valence */
    double boost;       /**< booster/dampener weight applied (0 = none) */
    double weight;      /**< contrast weight applied (1 = none) */
    double value;       /**< the final contribution */
} vocal_contribution;

/**
 * A scored text. Arrays are borrowed from the workspace and live until the
 * next score or tokenize call on it.
 */
typedef struct vocal_sentiment {
    double compound;     /**< in [-1, 1] */
    double pos, neu, neg;/**< proportions, summing to 1 (all 0 for an empty text) */
    int label;           /**< vocal_label, by the thresholds in docs/scorer.md */
    double sum;          /**< the raw document score before squashing */
    double emphasis;     /**< what ! and ? added to |sum| */
    const vocal_contribution *contrib;
    size_t n_contrib;
    const double *clause_sum;  /**< per clause: the sum of its contributions before contrast
                                    weights (a clause's own polarity, as the theme tagger needs) */
    size_t n_clauses;
    const vocal_token *tokens; /**< the text's tokens (also borrowed) */
    size_t n_tokens;
    uint32_t n_words;          /**< word tokens, for coverage statistics */
    uint32_t n_hits;           /**< tokens that carried sentiment */
    uint64_t invalid_utf8;     /**< invalid UTF-8 sequences the tokenizer replaced */
    uint64_t first_invalid;    /**< byte offset of the first; UINT64_MAX if none */
} vocal_sentiment;

/** Compound thresholds for the label (docs/scorer.md). */
#define VOCAL_POSITIVE_THRESHOLD 0.05
#define VOCAL_NEGATIVE_THRESHOLD (-0.05)

/**
 * Tokenize and score a text.
 * @param[out] out  the result; its arrays are borrowed from ws.
 * @param ws        a workspace made for a tokenizer from vocal_lexicon_tokenizer_new
 *                  (or any tokenizer of the same language).
 * @param lex       the lexicon; not modified.
 * @return VOCAL_OK, VOCAL_ENOMEM or VOCAL_EINPUT (text over the tokenizer's limit).
 * Threads: any number of threads may score with one lexicon, each with its own workspace.
 */
VOCAL_API int vocal_lexicon_score(vocal_sentiment *out, vocal_workspace *ws, const vocal_lexicon *lex,
                                  const char *text, size_t len, vocal_error *err);

/** The valence of a single normalized word, or 0 with *found = 0. */
VOCAL_API double vocal_lexicon_valence(const vocal_lexicon *lex, const char *word, size_t len, int *found);

/** Name of one rule bit ("negated" …), NULL if unknown. */
VOCAL_API const char *vocal_rule_name(uint32_t rule);

/** "positive", "neutral" or "negative". */
VOCAL_API const char *vocal_label_name(int label);

#ifdef __cplusplus
}
#endif
#endif /* VOCAL_LEXICON_H */
