/* The lexicon API (include/vocal/lexicon.h): making, loading, overriding and
 * looking up entries, the exact error positions of malformed files
 * (tests/data/lexicon/n_*.tsv), files that must load (y_*.tsv), the tokenizer
 * a lexicon makes, and allocation failure. Scoring behaviour is in
 * test_score.c; the shipped data is checked in test_lexicon_files.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/util_int.h"
#include "vocal/lexicon.h"
#include "vocal/text.h"

#define DATA VOCAL_SOURCE_DIR "/tests/data/lexicon/"
#define LEX_EN VOCAL_SOURCE_DIR "/lexicons/en"
#define LEX_COMMON VOCAL_SOURCE_DIR "/lexicons/common" /* emoji, emoticons */

/* MARK: helpers */

static void poison(vocal_error *err)
{
    memset(err, 0xA5, sizeof *err);
}

static vocal_lexicon *new_lexicon(void)
{
    vocal_lexicon *lex = NULL;
    vocal_error err;
    poison(&err);
    assert_int_equal(vocal_lexicon_new(&lex, "en", &err), VOCAL_OK);
    assert_non_null(lex);
    return lex;
}

static vocal_lexicon *shipped_lexicon(void)
{
    vocal_lexicon *lex = new_lexicon();
    vocal_error err;
    poison(&err);
    int rc = vocal_lexicon_load_dir(lex, LEX_COMMON, &err);
    if (rc == VOCAL_OK) rc = vocal_lexicon_load_dir(lex, LEX_EN, &err);
    if (rc != VOCAL_OK) fail_msg("%s:%llu: %s", err.path, (unsigned long long)err.line, err.msg);
    return lex;
}

static int load(vocal_lexicon *lex, const char *fixture, vocal_error *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s%s", DATA, fixture);
    poison(err);
    return vocal_lexicon_load_file(lex, path, err);
}

/* A tokenizer + workspace made from a lexicon, for scoring. */
typedef struct scorer {
    vocal_tokenizer *tk;
    vocal_workspace *ws;
    const vocal_lexicon *lex;
} scorer;

static void scorer_open(scorer *s, const vocal_lexicon *lex)
{
    vocal_error err;
    poison(&err);
    assert_int_equal(vocal_lexicon_tokenizer_new(&s->tk, lex, NULL, &err), VOCAL_OK);
    poison(&err);
    assert_int_equal(vocal_workspace_new(&s->ws, s->tk, &err), VOCAL_OK);
    s->lex = lex;
}

static void scorer_close(scorer *s)
{
    vocal_workspace_free(s->ws);
    vocal_tokenizer_free(s->tk);
}

static vocal_sentiment score(scorer *s, const char *text)
{
    vocal_sentiment r;
    vocal_error err;
    memset(&r, 0xA5, sizeof r);
    poison(&err);
    assert_int_equal(vocal_lexicon_score(&r, s->ws, s->lex, text, strlen(text), &err), VOCAL_OK);
    return r;
}

static double valence(const vocal_lexicon *lex, const char *word, int *found)
{
    *found = 0xA5;
    return vocal_lexicon_valence(lex, word, strlen(word), found);
}

/* MARK: making and freeing */

static void test_lexicon__new_with_an_unknown_language_fails_with_einput(void **state)
{
    (void)state;
    static const char *const bad[] = {"xx", "klingon", "", "en_US!"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        vocal_lexicon *lex = (vocal_lexicon *)(uintptr_t)0x1;
        vocal_error err;
        poison(&err);
        assert_int_equal(vocal_lexicon_new(&lex, bad[i], &err), VOCAL_EINPUT);
        assert_null(lex);
        assert_int_equal(err.code, VOCAL_EINPUT);
        assert_non_null(memchr(err.msg, '\0', sizeof err.msg));
        assert_true(err.msg[0] != '\0');
    }
}

static void test_lexicon__new_with_a_null_language_makes_an_english_lexicon(void **state)
{
    (void)state;
    vocal_lexicon *lex = NULL;
    vocal_error err;
    poison(&err);
    assert_int_equal(vocal_lexicon_new(&lex, NULL, &err), VOCAL_OK);
    vocal_tokenizer *tk = NULL;
    assert_int_equal(vocal_lexicon_tokenizer_new(&tk, lex, NULL, &err), VOCAL_OK);
    assert_string_equal(vocal_tokenizer_language(tk), "en");
    vocal_tokenizer_free(tk);
    vocal_lexicon_free(lex);
}

static void test_lexicon__free_functions_accept_null(void **state)
{
    (void)state;
    vocal_lexicon_free(NULL);
    vocal_tokenizer_free(NULL);
    vocal_workspace_free(NULL);
}

static void test_lexicon__a_new_lexicon_is_empty(void **state)
{
    (void)state;
    vocal_lexicon *lex = new_lexicon();
    for (int k = VOCAL_LEX_VALENCE; k <= VOCAL_LEX_CONTRAST; k++)
        assert_int_equal(vocal_lexicon_count(lex, (vocal_lexicon_kind)k), 0);
    int found;
    assert_true(valence(lex, "good", &found) == 0.0);
    assert_int_equal(found, 0);
    vocal_lexicon_free(lex);
}

/* The fingerprint models record: it follows the content, not the order. */
static void test_lexicon__fingerprint_follows_content_not_load_order(void **state)
{
    (void)state;
    vocal_lexicon *a = new_lexicon(), *b = new_lexicon();
    assert_true(vocal_lexicon_fingerprint(a) == 0);
    assert_int_equal(vocal_lexicon_add(a, VOCAL_LEX_VALENCE, "great", 3.0, NULL), VOCAL_OK);
    assert_int_equal(vocal_lexicon_add(a, VOCAL_LEX_VALENCE, "waste of money", -3.0, NULL), VOCAL_OK);
    assert_int_equal(vocal_lexicon_add(a, VOCAL_LEX_BOOSTER, "very", 0.3, NULL), VOCAL_OK);
    assert_int_equal(vocal_lexicon_add(b, VOCAL_LEX_BOOSTER, "very", 0.3, NULL), VOCAL_OK);
    assert_int_equal(vocal_lexicon_add(b, VOCAL_LEX_VALENCE, "waste of money", -3.0, NULL), VOCAL_OK);
    assert_int_equal(vocal_lexicon_add(b, VOCAL_LEX_VALENCE, "great", 1.0, NULL), VOCAL_OK);
    uint64_t fa = vocal_lexicon_fingerprint(a);
    assert_true(fa != 0 && vocal_lexicon_fingerprint(b) != fa); /* great: 3 against 1 */
    assert_int_equal(vocal_lexicon_add(b, VOCAL_LEX_VALENCE, "great", 3.0, NULL), VOCAL_OK);
    assert_true(vocal_lexicon_fingerprint(b) == fa); /* overridden to the same value */
    assert_int_equal(vocal_lexicon_add(b, VOCAL_LEX_VALENCE, "waste of time", -3.0, NULL), VOCAL_OK);
    assert_true(vocal_lexicon_fingerprint(b) != fa); /* a new expression */
    assert_int_equal(vocal_lexicon_add(a, VOCAL_LEX_VALENCE, "waste of time", -3.0, NULL), VOCAL_OK);
    assert_true(vocal_lexicon_fingerprint(b) == vocal_lexicon_fingerprint(a));
    assert_int_equal(vocal_lexicon_add(a, VOCAL_LEX_NEGATOR, "nary", 0, NULL), VOCAL_OK);
    assert_true(vocal_lexicon_fingerprint(b) != vocal_lexicon_fingerprint(a)); /* a new role */
    vocal_lexicon_free(a);
    vocal_lexicon_free(b);
}

/* MARK: malformed files: exact code, path, line and byte */

typedef struct bad_file {
    const char *fixture;
    int code;
    uint64_t line;
    uint64_t byte;
    const char *msg_has; /* a fragment of err->msg */
    const char *note;
} bad_file;

static const bad_file bad_files[] = {
    {"n_missing_header.tsv", VOCAL_EINPUT, 1, 0, "header", "an entry where the header belongs"},
    {"n_bad_number.tsv", VOCAL_EINPUT, 3, 31, "2,5", "decimal comma; byte = the value field"},
    {"n_out_of_range.tsv", VOCAL_EINPUT, 4, 50, "[-4, 4]", "valence 5.0, after a comment and an empty line"},
    {"n_missing_tab.tsv", VOCAL_EINPUT, 2, 25, "TAB", "space instead of TAB; byte = where the TAB should be"},
    {"n_bad_role.tsv", VOCAL_EINPUT, 3, 48, "sideways", "contrast role not after/before/concessive"},
    {"n_bad_emoji.tsv", VOCAL_EINPUT, 3, 48, "ZZZZ", "emoji key not hex; byte = the key, at the line start"},
    {"n_newer_version.tsv", VOCAL_EVERSION, 1, 0, "newer", "#vocal-lexicon 2"},
    {"n_empty.tsv", VOCAL_EINPUT, 0, 0, "empty", "no header line at all: no line to name"},
    {"n_unknown_kind.tsv", VOCAL_EINPUT, 1, 0, "sentiment", "kind=sentiment"},
    {"n_crlf_bad_number.tsv", VOCAL_EINPUT, 3, 33, "2,5", "offsets count the CR bytes"},
    {"n_bom_bad_number.tsv", VOCAL_EINPUT, 3, 33, "'x'", "offsets count the 3 BOM bytes"},
    {"n_invalid_utf8_key.tsv", VOCAL_EINPUT, 3, 26, "UTF-8", "a truncated 2-byte sequence in the key"},
    {"n_empty_key.tsv", VOCAL_EINPUT, 3, 26, "empty key", "line starts with a TAB"},
    {"n_truncated.tsv", VOCAL_EINPUT, 3, 30, "'-'", "cut after the sign, no final LF"},
    {"n_bitflip_header.tsv", VOCAL_EINPUT, 1, 0, "header", "' ' (0x20) flipped to '!' (0x21)"},
    {"n_bitflip_value.tsv", VOCAL_EINPUT, 3, 31, "2/0", "'.' (0x2E) flipped to '/' (0x2F)"},
    {"n_foreign_csv.tsv", VOCAL_EINPUT, 1, 0, "header", "a CSV file"},
};

static void test_lexicon__load_file_reports_the_exact_code_line_and_byte_of_a_bad_file(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_files / sizeof bad_files[0]; i++) {
        const bad_file *b = &bad_files[i];
        vocal_lexicon *lex = new_lexicon();
        vocal_error err;
        int rc = load(lex, b->fixture, &err);
        char path[1024];
        snprintf(path, sizeof path, "%s%s", DATA, b->fixture);
        if (rc != b->code || err.code != b->code || err.line != b->line || err.byte != b->byte ||
            strcmp(err.path, path) != 0 || !strstr(err.msg, b->msg_has))
            fail_msg("%s (%s): got rc %d code %d line %llu byte %llu path '%s' msg '%s'; "
                     "want %d line %llu byte %llu msg with '%s'",
                     b->fixture, b->note, rc, err.code, (unsigned long long)err.line,
                     (unsigned long long)err.byte, err.path, err.msg, b->code, (unsigned long long)b->line,
                     (unsigned long long)b->byte, b->msg_has);
        vocal_lexicon_free(lex);
    }
}

static void test_lexicon__load_file_of_a_missing_file_fails_with_eio_naming_it(void **state)
{
    (void)state;
    vocal_lexicon *lex = new_lexicon();
    vocal_error err;
    assert_int_equal(load(lex, "no_such_file.tsv", &err), VOCAL_EIO);
    assert_int_equal(err.code, VOCAL_EIO);
    assert_string_equal(err.path, DATA "no_such_file.tsv");
    assert_int_equal(err.line, 0);
    vocal_lexicon_free(lex);
}

static void test_lexicon__load_file_accepts_a_null_error_struct(void **state)
{
    (void)state;
    vocal_lexicon *lex = new_lexicon();
    assert_int_equal(vocal_lexicon_load_file(lex, DATA "n_bad_number.tsv", NULL), VOCAL_EINPUT);
    assert_int_equal(vocal_lexicon_load_file(lex, DATA "no_such_file.tsv", NULL), VOCAL_EIO);
    vocal_lexicon_free(lex);
}

static void test_lexicon__entries_before_a_bad_line_stay_loaded_and_later_ones_do_not(void **state)
{
    (void)state;
    vocal_lexicon *lex = new_lexicon();
    vocal_error err;
    assert_int_equal(load(lex, "n_bad_number.tsv", &err), VOCAL_EINPUT);
    int found;
    assert_true(valence(lex, "fine", &found) == 1.0);
    assert_int_equal(found, 1);
    (void)valence(lex, "later", &found);
    assert_int_equal(found, 0);
    (void)valence(lex, "good", &found);
    assert_int_equal(found, 0);
    assert_int_equal(vocal_lexicon_count(lex, VOCAL_LEX_VALENCE), 1);
    vocal_lexicon_free(lex);
}

/* Regression (was a bug): a key made only of spaces ("   \t1.0" in a file, or
 * vocal_lexicon_add(lex, VOCAL_LEX_VALENCE, "   ", 1, &err)) goes to
 * add_phrase() as an expression of zero words, which then reads the first
 * word's length byte at lex->arena.p[off] with off == arena.len, past the
 * end of the arena's contents, and copies up to 255 bytes from there.
 * Reproducer: vocal_lexicon_new then vocal_lexicon_add(lex,
 * VOCAL_LEX_VALENCE, " ", 1.0, NULL) dereferences the NULL arena (SIGSEGV;
 * UBSan: "applying zero offset to null pointer", lexicon.c add_phrase).
 * After the shipped files (`vocal score --lexicon
 * tests/data/lexicon/n_blank_key.tsv -e hi`) it reads stale arena bytes and
 * silently adds a phrase with a garbage head word, exit 0. Expected:
 * VOCAL_EINPUT, like an empty key (file: line 2, byte 17). */
static void test_lexicon__a_key_of_only_spaces_is_rejected_as_an_empty_key(void **state)
{
    (void)state;
    vocal_lexicon *lex = new_lexicon();
    vocal_error err;
    assert_int_equal(load(lex, "n_blank_key.tsv", &err), VOCAL_EINPUT);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.byte, 17);
    poison(&err);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_VALENCE, "   ", 1.0, &err), VOCAL_EINPUT);
    assert_int_equal(err.code, VOCAL_EINPUT);
    assert_int_equal(vocal_lexicon_count(lex, VOCAL_LEX_VALENCE), 0);
    vocal_lexicon_free(lex);
}

/* MARK: files that must load */

static void test_lexicon__crlf_and_bom_files_load_with_their_notes_ignored(void **state)
{
    (void)state;
    static const char *const ok[] = {"y_crlf.tsv", "y_bom.tsv"};
    for (size_t i = 0; i < 2; i++) {
        vocal_lexicon *lex = new_lexicon();
        vocal_error err;
        int rc = load(lex, ok[i], &err);
        if (rc != VOCAL_OK) fail_msg("%s: %s:%llu: %s", ok[i], err.path, (unsigned long long)err.line, err.msg);
        int found;
        assert_true(valence(lex, "splendiferous", &found) == 2.5);
        assert_int_equal(found, 1);
        /* the CR is a line end, not part of the value or key */
        scorer s;
        scorer_open(&s, lex);
        vocal_sentiment r = score(&s, "worth the trip");
        assert_int_equal(r.n_contrib, 1);
        assert_true(r.contrib[0].valence == 2.0);
        assert_true(r.contrib[0].rules & VOCAL_RULE_IDIOM);
        scorer_close(&s);
        vocal_lexicon_free(lex);
    }
    vocal_lexicon *lex = new_lexicon();
    vocal_error err;
    assert_int_equal(load(lex, "y_crlf.tsv", &err), VOCAL_OK);
    int found;
    assert_true(valence(lex, "meh-ish", &found) == -0.5);
    assert_int_equal(vocal_lexicon_count(lex, VOCAL_LEX_VALENCE), 3);
    vocal_lexicon_free(lex);
}

static void test_lexicon__a_user_file_loaded_after_the_shipped_lexicon_wins(void **state)
{
    (void)state;
    vocal_lexicon *lex = shipped_lexicon();
    scorer s;
    scorer_open(&s, lex);
    int found;
    double shipped = valence(lex, "cheap", &found);
    assert_int_equal(found, 1);
    assert_true(shipped < 0); /* a hotel towel, not a budget airline */
    assert_true(score(&s, "cheap").compound < 0);
    size_t before = vocal_lexicon_count(lex, VOCAL_LEX_VALENCE);
    scorer_close(&s);

    vocal_error err;
    assert_int_equal(load(lex, "y_user_override.tsv", &err), VOCAL_OK);
    scorer_open(&s, lex);
    assert_true(valence(lex, "cheap", &found) == 1.5);
    assert_true(score(&s, "cheap").compound >= VOCAL_POSITIVE_THRESHOLD);
    assert_true(score(&s, "Cheap flights, killer deal").compound >= VOCAL_POSITIVE_THRESHOLD);
    vocal_sentiment r = score(&s, "no frills");
    assert_true(r.compound >= VOCAL_POSITIVE_THRESHOLD);
    assert_int_equal(r.n_contrib, 1);
    assert_true(r.contrib[0].rules & VOCAL_RULE_IDIOM);
    /* "cheap" overrode an entry; "killer" and "no frills" are new */
    assert_int_equal(vocal_lexicon_count(lex, VOCAL_LEX_VALENCE), before + 2);
    scorer_close(&s);
    vocal_lexicon_free(lex);
}

static void test_lexicon__load_dir_reads_tsv_files_in_name_order(void **state)
{
    (void)state;
    vocal_lexicon *lex = new_lexicon();
    vocal_error err;
    poison(&err);
    assert_int_equal(vocal_lexicon_load_dir(lex, DATA "dir_order", &err), VOCAL_OK);
    int found;
    assert_true(valence(lex, "meh", &found) == 1.0); /* b.tsv after a.tsv */
    assert_true(valence(lex, "only-in-a", &found) == 1.0);
    assert_int_equal(vocal_lexicon_count(lex, VOCAL_LEX_VALENCE), 2); /* c.txt is not read */
    vocal_lexicon_free(lex);
}

static void test_lexicon__load_dir_of_a_missing_or_empty_directory_fails_with_eio(void **state)
{
    (void)state;
    vocal_lexicon *lex = new_lexicon();
    vocal_error err;
    poison(&err);
    assert_int_equal(vocal_lexicon_load_dir(lex, DATA "no_such_dir", &err), VOCAL_EIO);
    assert_int_equal(err.code, VOCAL_EIO);
    assert_string_equal(err.path, DATA "no_such_dir");
    poison(&err);
    /* tests/unit holds .c files only */
    assert_int_equal(vocal_lexicon_load_dir(lex, VOCAL_SOURCE_DIR "/tests/unit", &err), VOCAL_EIO);
    assert_int_equal(err.code, VOCAL_EIO);
    vocal_lexicon_free(lex);
}

/* MARK: adding, looking up, counting */

static void test_lexicon__add_overrides_a_shipped_word_without_changing_the_count(void **state)
{
    (void)state;
    vocal_lexicon *lex = shipped_lexicon();
    size_t before = vocal_lexicon_count(lex, VOCAL_LEX_VALENCE);
    vocal_error err;
    poison(&err);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_VALENCE, "cheap", 1.5, &err), VOCAL_OK);
    int found;
    assert_true(valence(lex, "cheap", &found) == 1.5);
    assert_int_equal(found, 1);
    assert_int_equal(vocal_lexicon_count(lex, VOCAL_LEX_VALENCE), before);
    /* the key is normalized as tokens are: case, NFKC */
    poison(&err);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_VALENCE, "CHEAP", -1.0, &err), VOCAL_OK);
    assert_true(valence(lex, "cheap", &found) == -1.0);
    assert_int_equal(vocal_lexicon_count(lex, VOCAL_LEX_VALENCE), before);
    poison(&err);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_VALENCE, "\xEF\xAC\x81nicky", -0.8, &err), VOCAL_OK); /* "ﬁnicky" */
    assert_true(valence(lex, "finicky", &found) == -0.8);
    vocal_lexicon_free(lex);
}

static void test_lexicon__add_overrides_an_expression(void **state)
{
    (void)state;
    vocal_lexicon *lex = shipped_lexicon();
    scorer s;
    scorer_open(&s, lex);
    assert_true(score(&s, "waste of money").compound < 0);
    size_t before = vocal_lexicon_count(lex, VOCAL_LEX_VALENCE);
    vocal_error err;
    poison(&err);
    /* a deliberately odd override, to see it win */
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_VALENCE, "Waste  of money", 2.0, &err), VOCAL_OK);
    assert_int_equal(vocal_lexicon_count(lex, VOCAL_LEX_VALENCE), before);
    vocal_sentiment r = score(&s, "waste of money");
    assert_true(r.compound > 0);
    assert_int_equal(r.n_contrib, 1);
    assert_int_equal(r.contrib[0].ntokens, 3);
    assert_true(r.contrib[0].valence == 2.0);
    scorer_close(&s);
    vocal_lexicon_free(lex);
}

typedef struct bad_add {
    vocal_lexicon_kind kind;
    const char *key;
    double value;
    const char *note;
} bad_add;

static void test_lexicon__add_rejects_bad_values_and_empty_keys_with_einput(void **state)
{
    (void)state;
    static const bad_add bad[] = {
        {VOCAL_LEX_VALENCE, "great", 5.0, "valence above 4"},
        {VOCAL_LEX_VALENCE, "great", -4.5, "valence below -4"},
        {VOCAL_LEX_VALENCE, "great", 0.0, "a valence of 0 says nothing"},
        {VOCAL_LEX_VALENCE, "", 1.0, "empty key"},
        {VOCAL_LEX_EMOJI, "\xF0\x9F\x91\x8D", 4.5, "emoji valence above 4"},
        {VOCAL_LEX_EMOTICON, ":)", -5.0, "emoticon valence below -4"},
        {VOCAL_LEX_BOOSTER, "very", 1.5, "booster weight above 1"},
        {VOCAL_LEX_BOOSTER, "very", 0.0, "booster weight 0"},
        {VOCAL_LEX_CONTRAST, "but", 4.0, "contrast role other than 1, 2, 3"},
        {VOCAL_LEX_CONTRAST, "but", 0.0, "contrast role 0"},
        {(vocal_lexicon_kind)6, "good", 1.0, "unknown kind"},
        {(vocal_lexicon_kind)-1, "good", 1.0, "negative kind"},
    };
    vocal_lexicon *lex = new_lexicon();
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        vocal_error err;
        poison(&err);
        int rc = vocal_lexicon_add(lex, bad[i].kind, bad[i].key, bad[i].value, &err);
        if (rc != VOCAL_EINPUT || err.code != VOCAL_EINPUT) fail_msg("%s: rc %d", bad[i].note, rc);
        assert_true(err.msg[0] != '\0');
    }
    for (int k = VOCAL_LEX_VALENCE; k <= VOCAL_LEX_CONTRAST; k++)
        assert_int_equal(vocal_lexicon_count(lex, (vocal_lexicon_kind)k), 0);
    vocal_lexicon_free(lex);
}

static void test_lexicon__add_accepts_the_edges_of_each_range(void **state)
{
    (void)state;
    vocal_lexicon *lex = new_lexicon();
    vocal_error err;
    poison(&err);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_VALENCE, "best", 4.0, &err), VOCAL_OK);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_VALENCE, "worst", -4.0, &err), VOCAL_OK);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_EMOJI, "\xF0\x9F\x98\x90", 0.0, &err), VOCAL_OK); /* 😐 known, neutral */
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_BOOSTER, "most", 1.0, &err), VOCAL_OK);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_BOOSTER, "barely-ish", -1.0, &err), VOCAL_OK);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_CONTRAST, "tho", 2.0, &err), VOCAL_OK);
    /* a negator's value is ignored */
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_NEGATOR, "nae", 123.0, &err), VOCAL_OK);
    assert_int_equal(vocal_lexicon_count(lex, VOCAL_LEX_VALENCE), 2);
    assert_int_equal(vocal_lexicon_count(lex, VOCAL_LEX_EMOJI), 1);
    assert_int_equal(vocal_lexicon_count(lex, VOCAL_LEX_BOOSTER), 2);
    assert_int_equal(vocal_lexicon_count(lex, VOCAL_LEX_CONTRAST), 1);
    assert_int_equal(vocal_lexicon_count(lex, VOCAL_LEX_NEGATOR), 1);
    vocal_lexicon_free(lex);
}

static void test_lexicon__count_counts_each_kind_once_per_key(void **state)
{
    (void)state;
    vocal_lexicon *lex = new_lexicon();
    vocal_error err;
    poison(&err);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_VALENCE, "good", 1.8, &err), VOCAL_OK);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_VALENCE, "good", 1.9, &err), VOCAL_OK);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_VALENCE, "good value", 2.0, &err), VOCAL_OK);
    /* ❤️ and ❤ are one emoji: U+FE0F is dropped from keys as from tokens */
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_EMOJI, "\xE2\x9D\xA4\xEF\xB8\x8F", 3.0, &err), VOCAL_OK);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_EMOJI, "\xE2\x9D\xA4", 3.1, &err), VOCAL_OK);
    /* 👍🏽 and 👍 too: skin tones are dropped */
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_EMOJI, "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", 2.0, &err), VOCAL_OK);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_EMOJI, "\xF0\x9F\x91\x8D", 2.0, &err), VOCAL_OK);
    /* emoticons are case-sensitive */
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_EMOTICON, ":D", 2.0, &err), VOCAL_OK);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_EMOTICON, ":d", 1.0, &err), VOCAL_OK);
    /* a word may be a valence and a booster at once ("frustratingly") */
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_BOOSTER, "good", 0.1, &err), VOCAL_OK);
    assert_int_equal(vocal_lexicon_count(lex, VOCAL_LEX_VALENCE), 2);
    assert_int_equal(vocal_lexicon_count(lex, VOCAL_LEX_EMOJI), 2);
    assert_int_equal(vocal_lexicon_count(lex, VOCAL_LEX_EMOTICON), 2);
    assert_int_equal(vocal_lexicon_count(lex, VOCAL_LEX_BOOSTER), 1);
    assert_int_equal(vocal_lexicon_count(lex, VOCAL_LEX_NEGATOR), 0);
    assert_int_equal(vocal_lexicon_count(lex, (vocal_lexicon_kind)6), 0);
    int found;
    assert_true(valence(lex, "good", &found) == 1.9);
    vocal_lexicon_free(lex);
}

static void test_lexicon__valence_looks_up_normalized_single_words_only(void **state)
{
    (void)state;
    vocal_lexicon *lex = shipped_lexicon();
    int found;
    assert_true(valence(lex, "great", &found) > 0);
    assert_int_equal(found, 1);
    assert_true(valence(lex, "terrible", &found) < 0);
    assert_int_equal(found, 1);
    /* unknown: 0 with found = 0 */
    assert_true(valence(lex, "table", &found) == 0.0);
    assert_int_equal(found, 0);
    /* the word must be normalized already, and expressions are not words */
    (void)valence(lex, "GREAT", &found);
    assert_int_equal(found, 0);
    (void)valence(lex, "waste of money", &found);
    assert_int_equal(found, 0);
    /* boosters and negators are not valences */
    (void)valence(lex, "not", &found);
    assert_int_equal(found, 0);
    /* found may be NULL; len bounds the word */
    assert_true(vocal_lexicon_valence(lex, "great", 5, NULL) > 0);
    assert_true(vocal_lexicon_valence(lex, "greatXYZ", 5, NULL) > 0);
    vocal_lexicon_free(lex);
}

/* MARK: the tokenizer a lexicon makes */

static void test_lexicon__tokenizer_from_a_lexicon_makes_its_negators_effective(void **state)
{
    (void)state;
    vocal_lexicon *lex = new_lexicon();
    vocal_error err;
    poison(&err);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_VALENCE, "good", 2.0, &err), VOCAL_OK);
    scorer s;
    /* no negators in the lexicon: the tokenizer's built-in list stays */
    scorer_open(&s, lex);
    assert_true(score(&s, "not good").compound < 0);
    assert_true(score(&s, "nae good").compound > 0);
    scorer_close(&s);

    poison(&err);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_NEGATOR, "nae", 0, &err), VOCAL_OK);
    scorer_open(&s, lex);
    vocal_sentiment r = score(&s, "nae good");
    assert_true(r.compound < 0);
    assert_int_equal(r.n_contrib, 1);
    assert_true(r.contrib[0].rules & VOCAL_RULE_NEGATED);
    /* the lexicon's list replaces the built-in one (lexicon.h) */
    assert_true(score(&s, "not good").compound > 0);
    scorer_close(&s);
    vocal_lexicon_free(lex);
}

static void test_lexicon__a_negators_file_loaded_by_its_header_kind_drives_the_scope(void **state)
{
    (void)state;
    vocal_lexicon *lex = shipped_lexicon();
    vocal_error err;
    assert_int_equal(load(lex, "y_negators.tsv", &err), VOCAL_OK);
    size_t n = vocal_lexicon_count(lex, VOCAL_LEX_NEGATOR);
    assert_true(n > 1);
    scorer s;
    scorer_open(&s, lex);
    assert_true(score(&s, "nae helpful").compound < 0);
    assert_true(score(&s, "not helpful").compound < 0); /* the shipped negators are still there */
    scorer_close(&s);
    vocal_lexicon_free(lex);
}

static void test_lexicon__tokenizer_options_are_honoured(void **state)
{
    (void)state;
    vocal_lexicon *lex = new_lexicon();
    vocal_text_options o = VOCAL_TEXT_OPTIONS_INIT;
    o.flags = VOCAL_TEXT_NO_STEM;
    vocal_tokenizer *tk = NULL;
    vocal_error err;
    poison(&err);
    assert_int_equal(vocal_lexicon_tokenizer_new(&tk, lex, &o, &err), VOCAL_OK);
    assert_string_equal(vocal_tokenizer_stemmer(tk), "");
    vocal_tokenizer_free(tk);
    o.language = "xx";
    tk = (vocal_tokenizer *)(uintptr_t)0x1;
    poison(&err);
    assert_int_equal(vocal_lexicon_tokenizer_new(&tk, lex, &o, &err), VOCAL_EINPUT);
    assert_null(tk);
    assert_int_equal(err.code, VOCAL_EINPUT);
    vocal_lexicon_free(lex);
}

/* MARK: names */

static void test_lexicon__rule_and_label_names_are_stable(void **state)
{
    (void)state;
    assert_string_equal(vocal_rule_name(VOCAL_RULE_IDIOM), "idiom");
    assert_string_equal(vocal_rule_name(VOCAL_RULE_NEGATED), "negated");
    assert_string_equal(vocal_rule_name(VOCAL_RULE_CONTRAST_UP), "contrast-up");
    assert_string_equal(vocal_rule_name(VOCAL_RULE_EMOTICON), "emoticon");
    assert_null(vocal_rule_name(1u << 9)); /* reserved */
    assert_null(vocal_rule_name(VOCAL_RULE_IDIOM | VOCAL_RULE_CAPS));
    assert_null(vocal_rule_name(0));
    assert_null(vocal_rule_name(1u << 31));
    assert_string_equal(vocal_label_name(VOCAL_LABEL_POSITIVE), "positive");
    assert_string_equal(vocal_label_name(VOCAL_LABEL_NEUTRAL), "neutral");
    assert_string_equal(vocal_label_name(VOCAL_LABEL_NEGATIVE), "negative");
}

/* MARK: memory */

/* Regression: add_phrase() once passed map_put() a pointer into lex->arena
 * (the expression's first word) as the key to copy; when that copy made the
 * arena grow, vocal__buf_put() read the freed block (ASan:
 * heap-use-after-free in vocal__buf_put <- map_put <- add_phrase), and
 * the expression did not match. A word of every length from 1 to 299 bytes
 * before the expression puts the arena's growth at every point of the
 * insert (then: a 50-letter word filled 51 of the first 64 bytes, the words
 * fitted and the head key did not). */
static void test_lexicon__adding_an_expression_when_the_arena_must_grow_reads_no_freed_memory(void **state)
{
    (void)state;
    for (size_t len = 1; len < 300; len++) {
        vocal_lexicon *lex = new_lexicon();
        char word[320];
        memset(word, 'a', len);
        word[len] = '\0';
        vocal_error err;
        poison(&err);
        assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_VALENCE, word, 1.0, &err), VOCAL_OK);
        assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_VALENCE, "qwer tyui", 1.0, &err), VOCAL_OK);
        scorer s;
        scorer_open(&s, lex);
        vocal_sentiment r = score(&s, "qwer tyui");
        assert_int_equal(r.n_contrib, 1);
        assert_int_equal(r.contrib[0].ntokens, 2);
        scorer_close(&s);
        vocal_lexicon_free(lex);
    }
}

/* SQLite's way: make the k-th allocation fail, for every k, over
 * vocal_lexicon_new + vocal_lexicon_load_file of a small file with words, an
 * expression and a key too long for norm_key's stack buffer. Every run must
 * end in VOCAL_OK (with the whole file loaded) or VOCAL_ENOMEM, never a crash
 * or a leak (LSan, in the sanitizer build). */
static void test_lexicon__every_allocation_failure_in_new_and_load_file_is_reported(void **state)
{
    (void)state;
    unsigned ok_in_a_row = 0, nomem = 0;
    for (uint64_t k = 1; k < 5000 && ok_in_a_row < 50; k++) {
        vocal_lexicon *lex = NULL;
        vocal_error err;
        poison(&err);
        vocal__alloc_fail_after(k);
        int rc = vocal_lexicon_new(&lex, "en", &err);
        if (rc == VOCAL_OK) {
            poison(&err);
            rc = vocal_lexicon_load_file(lex, DATA "y_small.tsv", &err);
        } else {
            assert_null(lex);
        }
        vocal__alloc_fail_after(0);
        if (rc != VOCAL_OK && rc != VOCAL_ENOMEM) fail_msg("k=%llu: rc %d (%s)", (unsigned long long)k, rc, err.msg);
        if (rc == VOCAL_ENOMEM) {
            assert_int_equal(err.code, VOCAL_ENOMEM);
            nomem++;
            ok_in_a_row = 0;
        } else {
            int found;
            if (vocal_lexicon_count(lex, VOCAL_LEX_VALENCE) != 4 || valence(lex, "splendid", &found) != 2.0)
                fail_msg("k=%llu: VOCAL_OK but the file is not fully loaded", (unsigned long long)k);
            ok_in_a_row++;
        }
        vocal_lexicon_free(lex);
    }
    assert_true(nomem > 0);
    assert_int_equal(ok_in_a_row, 50);
}

static void test_lexicon__every_allocation_failure_in_the_lexicon_tokenizer_is_reported(void **state)
{
    (void)state;
    vocal_lexicon *lex = new_lexicon();
    vocal_error err;
    assert_int_equal(load(lex, "y_negators.tsv", &err), VOCAL_OK);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_CONTRAST, "but", 1, &err), VOCAL_OK);
    unsigned ok_in_a_row = 0, nomem = 0;
    for (uint64_t k = 1; k < 5000 && ok_in_a_row < 50; k++) {
        vocal_tokenizer *tk = NULL;
        poison(&err);
        vocal__alloc_fail_after(k);
        int rc = vocal_lexicon_tokenizer_new(&tk, lex, NULL, &err);
        vocal__alloc_fail_after(0);
        if (rc == VOCAL_ENOMEM) {
            assert_null(tk);
            nomem++;
            ok_in_a_row = 0;
        } else {
            assert_int_equal(rc, VOCAL_OK);
            ok_in_a_row++;
        }
        vocal_tokenizer_free(tk);
    }
    assert_true(nomem > 0);
    vocal_lexicon_free(lex);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lexicon__new_with_an_unknown_language_fails_with_einput),
        cmocka_unit_test(test_lexicon__new_with_a_null_language_makes_an_english_lexicon),
        cmocka_unit_test(test_lexicon__free_functions_accept_null),
        cmocka_unit_test(test_lexicon__a_new_lexicon_is_empty),
        cmocka_unit_test(test_lexicon__fingerprint_follows_content_not_load_order),
        cmocka_unit_test(test_lexicon__load_file_reports_the_exact_code_line_and_byte_of_a_bad_file),
        cmocka_unit_test(test_lexicon__load_file_of_a_missing_file_fails_with_eio_naming_it),
        cmocka_unit_test(test_lexicon__load_file_accepts_a_null_error_struct),
        cmocka_unit_test(test_lexicon__entries_before_a_bad_line_stay_loaded_and_later_ones_do_not),
        cmocka_unit_test(test_lexicon__a_key_of_only_spaces_is_rejected_as_an_empty_key),
        cmocka_unit_test(test_lexicon__crlf_and_bom_files_load_with_their_notes_ignored),
        cmocka_unit_test(test_lexicon__a_user_file_loaded_after_the_shipped_lexicon_wins),
        cmocka_unit_test(test_lexicon__load_dir_reads_tsv_files_in_name_order),
        cmocka_unit_test(test_lexicon__load_dir_of_a_missing_or_empty_directory_fails_with_eio),
        cmocka_unit_test(test_lexicon__add_overrides_a_shipped_word_without_changing_the_count),
        cmocka_unit_test(test_lexicon__add_overrides_an_expression),
        cmocka_unit_test(test_lexicon__add_rejects_bad_values_and_empty_keys_with_einput),
        cmocka_unit_test(test_lexicon__add_accepts_the_edges_of_each_range),
        cmocka_unit_test(test_lexicon__count_counts_each_kind_once_per_key),
        cmocka_unit_test(test_lexicon__valence_looks_up_normalized_single_words_only),
        cmocka_unit_test(test_lexicon__tokenizer_from_a_lexicon_makes_its_negators_effective),
        cmocka_unit_test(test_lexicon__a_negators_file_loaded_by_its_header_kind_drives_the_scope),
        cmocka_unit_test(test_lexicon__tokenizer_options_are_honoured),
        cmocka_unit_test(test_lexicon__rule_and_label_names_are_stable),
        cmocka_unit_test(test_lexicon__adding_an_expression_when_the_arena_must_grow_reads_no_freed_memory),
        cmocka_unit_test(test_lexicon__every_allocation_failure_in_new_and_load_file_is_reported),
        cmocka_unit_test(test_lexicon__every_allocation_failure_in_the_lexicon_tokenizer_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
