/**
 * @file text.h
 * The text module: UTF-8 validation, NFKC + case folding, social-aware
 * tokens with byte offsets and flags, sentence/clause split, negation scope
 * and stemming with a per-workspace cache.
 *
 * Two objects:
 * - vocal_tokenizer: the configuration (language, stemmer algorithm, negator
 *   and contrast word lists). Immutable once built; share it across threads.
 * - vocal_workspace: per-thread scratch (the libstemmer instance, the stem
 *   cache, token and string buffers). One per thread; never shared.
 *
 * Tokenization rules are documented in docs/tokenizer.md.
 */
#ifndef VOCAL_TEXT_H
#define VOCAL_TEXT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Token kinds. Numbers are frozen. */
typedef enum vocal_token_kind {
    VOCAL_KIND_WORD = 0,     /**< letters/marks/digits; in-word ' and - kept */
    VOCAL_KIND_NUMBER = 1,   /**< 4.5  10%  $20  3/5  24/7  10:30  2nd */
    VOCAL_KIND_URL = 2,      /**< http(s)://…  www.… */
    VOCAL_KIND_EMAIL = 3,    /**< local@domain.tld */
    VOCAL_KIND_MENTION = 4,  /**< @user, @user@instance.social */
    VOCAL_KIND_HASHTAG = 5,  /**< #tag (its words follow as HASHTAG_PART words) */
    VOCAL_KIND_EMOJI = 6,    /**< one extended grapheme cluster */
    VOCAL_KIND_EMOTICON = 7, /**< :-) :( <3 ^_^ xD … */
    VOCAL_KIND_PUNCT = 8,    /**< punctuation; runs of ! and ? are one token */
    VOCAL_KIND_SYMBOL = 9    /**< other symbols (©, ™, stray U+FFFD …) */
} vocal_token_kind;

/* Token flags (uint32_t bits). */
#define VOCAL_TOK_CAPS         (1u << 0)  /**< ALL-CAPS in the original (>= 2 cased letters) */
#define VOCAL_TOK_ELONGATED    (1u << 1)  /**< a letter repeated 3+ times ("soooo") */
#define VOCAL_TOK_REPEAT       (1u << 2)  /**< repeated punctuation ("!!!", "?!", "...") */
#define VOCAL_TOK_NEGATOR      (1u << 3)  /**< a negation cue (not, never, n't, without …) */
#define VOCAL_TOK_NEGATED      (1u << 4)  /**< inside a negation scope */
#define VOCAL_TOK_CONTRAST     (1u << 5)  /**< a contrast word (but, however, although …) */
#define VOCAL_TOK_HASHTAG_PART (1u << 6)  /**< a word split out of a hashtag */
#define VOCAL_TOK_INVALID      (1u << 7)  /**< holds U+FFFD put in for invalid UTF-8 */
#define VOCAL_TOK_SENT_END     (1u << 8)  /**< last token of its sentence */
#define VOCAL_TOK_CLAUSE_END   (1u << 9)  /**< last token of its clause */

/**
 * One token. All pointers are borrowed from the workspace and live until the
 * next tokenize call on that workspace (or its free).
 */
typedef struct vocal_token {
    uint32_t kind;       /**< vocal_token_kind */
    uint32_t flags;      /**< VOCAL_TOK_* bits */
    uint64_t start;      /**< byte offset of the token in the original text */
    uint64_t end;        /**< one past its last byte */
    const char *norm;    /**< NFKC + case folded, elongation squeezed; NUL-terminated */
    size_t norm_len;
    const char *stem;    /**< stem of norm (== norm for non-words or when stemming is off) */
    size_t stem_len;
    uint32_t sentence;   /**< 0-based sentence index */
    uint32_t clause;     /**< 0-based clause index, counted over the whole text */
} vocal_token;

/** What tokenizing a text found besides its tokens. */
typedef struct vocal_text_info {
    size_t n_tokens;
    uint64_t invalid;        /**< invalid UTF-8 sequences replaced by U+FFFD */
    uint64_t first_invalid;  /**< byte offset of the first; UINT64_MAX if none */
    uint64_t nul_bytes;      /**< NUL bytes, treated as spaces */
    int bom;                 /**< 1 if a leading U+FEFF byte order mark was skipped */
    uint32_t n_sentences;
    uint32_t n_clauses;
    int all_caps;            /**< 1 if no cased letter of the text is lower case and at least
                                  one word is ALL-CAPS (so "I" or "A B" is not shouting) */
} vocal_text_info;

/* Tokenizer option flags. */
#define VOCAL_TEXT_NO_STEM          (1u << 0)  /**< stem = norm */
#define VOCAL_TEXT_NO_HASHTAG_SPLIT (1u << 1)  /**< keep hashtags whole */

/** Versioned tokenizer options; initialise with VOCAL_TEXT_OPTIONS_INIT. */
typedef struct vocal_text_options {
    unsigned version;
    /** Language: an ISO 639-1 code ("en", "es", "de", …) or a libstemmer
     * algorithm name ("english", "porter", …). NULL means "en". */
    const char *language;
    uint32_t flags;          /**< VOCAL_TEXT_* */
} vocal_text_options;

#define VOCAL_TEXT_OPTIONS_VERSION 1
#define VOCAL_TEXT_OPTIONS_INIT { VOCAL_TEXT_OPTIONS_VERSION, NULL, 0 }

typedef struct vocal_tokenizer vocal_tokenizer;
typedef struct vocal_workspace vocal_workspace;

/**
 * Build a tokenizer.
 * @param[out] out  the tokenizer, owned by the caller (vocal_tokenizer_free); NULL on failure.
 * @param opts      options; NULL means VOCAL_TEXT_OPTIONS_INIT.
 * @param err       filled on failure; may be NULL.
 * @return VOCAL_OK, VOCAL_EINPUT (unknown language or stemmer, bad version) or VOCAL_ENOMEM.
 * Threads: the result is immutable; any number of threads may use it, each
 * with its own workspace.
 */
VOCAL_API int vocal_tokenizer_new(vocal_tokenizer **out, const vocal_text_options *opts,
                                  vocal_error *err);

/** Release a tokenizer. NULL-safe. Every workspace made for it must be freed first. */
VOCAL_API void vocal_tokenizer_free(vocal_tokenizer *tk);

/** Word lists a tokenizer uses for its structural marks. */
typedef enum vocal_wordlist {
    VOCAL_WORDS_NEGATORS = 0,  /**< words that open a negation scope */
    VOCAL_WORDS_CONTRAST = 1   /**< words that open a new clause (but, however …) */
} vocal_wordlist;

/**
 * Replace one of the tokenizer's built-in word lists (for instance from a
 * lexicon's negators.tsv). Words are matched against normalized tokens.
 * Must be called before the tokenizer is shared or any workspace is made.
 * @param tk     the tokenizer; must not be NULL.
 * @param which  VOCAL_WORDS_NEGATORS or VOCAL_WORDS_CONTRAST.
 * @param words  n UTF-8 words (already lower case); copied.
 * @return VOCAL_OK, VOCAL_EINPUT or VOCAL_ENOMEM.
 */
VOCAL_API int vocal_tokenizer_set_words(vocal_tokenizer *tk, vocal_wordlist which,
                                        const char *const *words, size_t n,
                                        vocal_error *err);

/** The ISO code of the tokenizer's language ("en"), and its libstemmer algorithm
 * name ("english", or "" when stemming is off). Borrowed; live as long as tk. */
VOCAL_API const char *vocal_tokenizer_language(const vocal_tokenizer *tk);
VOCAL_API const char *vocal_tokenizer_stemmer(const vocal_tokenizer *tk);

/**
 * Make a per-thread workspace for a tokenizer.
 * @param[out] out  owned by the caller (vocal_workspace_free); NULL on failure.
 * @param tk        must outlive the workspace; must not be NULL.
 * @return VOCAL_OK, VOCAL_EINPUT (stemmer could not start) or VOCAL_ENOMEM.
 * Threads: one thread at a time per workspace.
 */
VOCAL_API int vocal_workspace_new(vocal_workspace **out, const vocal_tokenizer *tk,
                                  vocal_error *err);

/** Release a workspace. NULL-safe. */
VOCAL_API void vocal_workspace_free(vocal_workspace *ws);

/**
 * Tokenize a text. Never fails on bad bytes: invalid UTF-8 becomes U+FFFD
 * (one per maximal invalid subpart, Unicode §3.9 / W3C practice) and is
 * counted in info->invalid.
 * @param[out] out   the token array, borrowed from ws until the next call on ws.
 * @param[out] info  counts and flags about the text; may be NULL.
 * @param ws         the workspace; must not be NULL.
 * @param s, len     the text; need not be NUL-terminated; s may be NULL if len is 0.
 * @param err        filled on failure; may be NULL.
 * @return the number of tokens (>= 0), or VOCAL_ENOMEM / VOCAL_EINPUT (text over 1 GiB:
 *         the count is returned as an int).
 * Threads: one thread at a time per workspace.
 */
VOCAL_API int vocal_text_tokenize(const vocal_token **out, vocal_text_info *info,
                                  vocal_workspace *ws, const char *s, size_t len,
                                  vocal_error *err);

/**
 * Stem one word with the workspace's stemmer and cache. The word is used as
 * given (normalize it first).
 * @param[out] out  the stem, borrowed until the next call on ws; NUL-terminated.
 * @return VOCAL_OK or VOCAL_ENOMEM.
 */
VOCAL_API int vocal_text_stem(const char **out, size_t *out_len, vocal_workspace *ws,
                              const char *word, size_t len, vocal_error *err);

/**
 * Decode one code point from s (len > 0). An ill-formed sequence decodes as
 * U+FFFD and consumes its maximal subpart (Unicode §3.9), so a caller that
 * loops on this function substitutes exactly as the tokenizer does.
 * @param[out] cp  the code point, or 0xFFFD.
 * @param[out] bad if not NULL, 1 when the bytes were ill-formed, else 0.
 * @return bytes consumed, >= 1.
 * Threads: safe.
 */
VOCAL_API size_t vocal_utf8_decode(int32_t *cp, int *bad, const char *s, size_t len);

/**
 * Count invalid UTF-8 sequences (maximal subparts) in s.
 * @param first_bad  if not NULL, set to the offset of the first, or len if none.
 * @return the count; 0 means the text is valid UTF-8.
 * Threads: safe.
 */
VOCAL_API uint64_t vocal_utf8_check(const char *s, size_t len, size_t *first_bad);

/**
 * Normalize a text as tokens are normalized: invalid UTF-8 to U+FFFD, NFKC,
 * Unicode default case folding. Elongation is not squeezed here.
 * @param[out] dst   buffer of cap bytes; the result is NUL-terminated when it fits.
 * @param[out] out_len  the length the result needs (without the NUL), also on VOCAL_EBUFS.
 * @return VOCAL_OK, VOCAL_EBUFS (dst too small) or VOCAL_ENOMEM.
 * Threads: safe.
 */
VOCAL_API int vocal_text_normalize(char *dst, size_t cap, size_t *out_len,
                                   const char *s, size_t len, vocal_error *err);

/** Lower-case name of a token kind ("word", "emoji" …); "?" if unknown. */
VOCAL_API const char *vocal_token_kind_name(uint32_t kind);

/** Name of one flag bit ("caps", "negated" …); NULL if not a single known bit. */
VOCAL_API const char *vocal_token_flag_name(uint32_t flag);

#ifdef __cplusplus
}
#endif
#endif /* VOCAL_TEXT_H */
