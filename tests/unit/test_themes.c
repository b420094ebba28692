/* The themes module (include/vocal/themes.h): the taxonomy format
 * (lexicons/themes/README.md) with its errors, the pattern semantics, clause
 * polarity, the negation rule, ranking, theme models, and allocation
 * failures — on a tiny taxonomy written here, so the shipped taxonomy can
 * change without breaking these. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <cmocka.h>

#include "util/util_int.h"
#include "vocal/vocal.h"

#define LEX_EN VOCAL_SOURCE_DIR "/lexicons/en"

static const char tiny[] =
    "\xEF\xBB\xBF#vocal-themes 1 lang=en\r\n"
    "# a tiny taxonomy for the tests\n"
    "theme food Food & drink\n"
    "    match food   # a trailing comment\n"
    "theme food.taste Taste\n"
    "    match tast*\n"
    "    match =bland\n"
    "theme staff Staff & people\n"
    "    context waiter waitress staff\n"
    "theme staff.rude Rude staff\n"
    "    lean negative\n"
    "    match rude\n"
    "    cue snapped\n"
    "theme staff.friendly Friendly staff\n"
    "    lean positive\n"
    "    match staff ... friendly\n"
    "theme billing Billing\n"
    "theme billing.overcharged Overcharged\n"
    "    lean negative\n"
    "    match charged ... twice\n"
    "    match overcharg*\n"
    "theme billing.fees Fees\n"
    "    match charge*\n"
    "    exclude charge* my phone\n"
    "theme delivery Delivery\n"
    "theme delivery.late Late delivery\n"
    "    lean negative\n"
    "    match arrived late\n"
    "    match late\n"
    "    match never arrived\n"
    "theme delivery.early Early delivery\n"
    "    lean positive\n"
    "    match arrived ? early\n"
    "theme wait Waiting\n"
    "\ttheme wait.slow Slow service\n"
    "\tmatch \xF0\x9F\x90\x8C\n"
    "theme food Food and drink\n"
    "    match meal\n";

typedef struct fixture {
    vocal_lexicon *lex;
    vocal_tokenizer *tk;
    vocal_workspace *ws;
    vocal_taxonomy *tx;
    vocal_tagger *tg;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    vocal_error err;
    if (!f) return -1;
    if (vocal_lexicon_new(&f->lex, "en", &err) != VOCAL_OK) return -1;
    if (vocal_lexicon_load_dir(f->lex, VOCAL_SOURCE_DIR "/lexicons/common", &err) != VOCAL_OK) return -1;
    if (vocal_lexicon_load_dir(f->lex, LEX_EN, &err) != VOCAL_OK) return -1;
    if (vocal_lexicon_tokenizer_new(&f->tk, f->lex, NULL, &err) != VOCAL_OK) return -1;
    if (vocal_workspace_new(&f->ws, f->tk, &err) != VOCAL_OK) return -1;
    if (vocal_taxonomy_new(&f->tx, &err) != VOCAL_OK) return -1;
    if (vocal_taxonomy_load_buffer(f->tx, "tiny.themes", tiny, sizeof tiny - 1, &err) != VOCAL_OK) {
        fprintf(stderr, "%s:%llu: %s\n", err.path, (unsigned long long)err.line, err.msg);
        return -1;
    }
    if (vocal_tagger_new(&f->tg, f->tx, f->tk, &err) != VOCAL_OK) {
        fprintf(stderr, "%s:%llu: %s\n", err.path, (unsigned long long)err.line, err.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    vocal_tagger_free(f->tg);
    vocal_taxonomy_free(f->tx);
    vocal_workspace_free(f->ws);
    vocal_tokenizer_free(f->tk);
    vocal_lexicon_free(f->lex);
    free(f);
    return 0;
}

static vocal_themes tag(fixture *f, const char *text, const vocal_tag_options *o)
{
    vocal_themes th;
    vocal_error err;
    memset(&th, 0xA5, sizeof th);
    assert_int_equal(vocal_themes_tag_text(&th, NULL, f->ws, f->tg, NULL, f->lex, text, strlen(text), o, &err),
                     VOCAL_OK);
    return th;
}

/* "id:+ id:-" of the hits, sorted by id, for comparing sets. */
static void hit_set(char *out, size_t cap, const vocal_themes *th)
{
    const char *ids[64];
    char pol[64];
    size_t n = th->n_hits < 64 ? th->n_hits : 64;
    for (size_t i = 0; i < n; i++) {
        ids[i] = th->hits[i].id;
        pol[i] = th->hits[i].polarity > 0 ? '+' : th->hits[i].polarity < 0 ? '-' : '0';
    }
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(ids[j - 1], ids[j]) > 0; j--) {
            const char *t = ids[j];
            ids[j] = ids[j - 1];
            ids[j - 1] = t;
            char p = pol[j];
            pol[j] = pol[j - 1];
            pol[j - 1] = p;
        }
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(out);
        snprintf(out + l, cap - l, "%s%s:%c", i ? " " : "", ids[i], pol[i]);
    }
}

static const vocal_theme_hit *find_hit(const vocal_themes *th, const char *id)
{
    for (size_t i = 0; i < th->n_hits; i++)
        if (!strcmp(th->hits[i].id, id)) return &th->hits[i];
    return NULL;
}

/* MARK: the file format */

static void test_themes__every_keyword_is_read_and_packs_continue_themes(void **state)
{
    fixture *f = *state;
    assert_int_equal(vocal_taxonomy_count(f->tx), 13);
    assert_string_equal(vocal_taxonomy_language(f->tx), "en");
    vocal_theme_info ti;
    size_t k = vocal_taxonomy_find(f->tx, "staff.rude", 10);
    assert_int_not_equal(k, VOCAL_NO_THEME);
    assert_int_equal(vocal_taxonomy_theme(&ti, f->tx, k), VOCAL_OK);
    assert_string_equal(ti.parent, "staff");
    assert_string_equal(ti.label, "Rude staff");
    assert_int_equal(ti.lean, -1);
    assert_int_equal(ti.depth, 1);
    assert_int_equal(ti.n_match, 1);
    assert_int_equal(ti.n_cue, 1);
    k = vocal_taxonomy_find(f->tx, "staff", 5);
    vocal_taxonomy_theme(&ti, f->tx, k);
    assert_int_equal(ti.n_context, 3);
    assert_string_equal(ti.parent, "");
    assert_int_equal(ti.parent_index, VOCAL_NO_THEME);
    k = vocal_taxonomy_find(f->tx, "billing.fees", 12);
    vocal_taxonomy_theme(&ti, f->tx, k);
    assert_int_equal(ti.n_exclude, 1);
    /* "theme food Food and drink" later in the file continues food, new label */
    k = vocal_taxonomy_find(f->tx, "food", 4);
    vocal_taxonomy_theme(&ti, f->tx, k);
    assert_string_equal(ti.label, "Food and drink");
    assert_int_equal(ti.n_match, 2);
    assert_int_equal(vocal_taxonomy_theme(&ti, f->tx, 999), VOCAL_EINPUT);
    assert_int_equal(vocal_taxonomy_find(f->tx, "nope", 4), VOCAL_NO_THEME);
}

typedef struct bad_case {
    const char *text;
    int code;
    uint64_t line;
    const char *msg; /* a substring of the message */
} bad_case;

static void test_themes__bad_lines_are_refused_with_file_and_line(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"", VOCAL_EINPUT, 0, "empty file"},
        {"#vocal-lexicon 1\n", VOCAL_EINPUT, 1, "missing header"},
        {"#vocal-themes 2\n", VOCAL_EVERSION, 1, "newer"},
        {"#vocal-themes 1 colour=blue\n", VOCAL_EINPUT, 1, "unknown header field"},
        {"#vocal-themes 1\nmatch late\n", VOCAL_EINPUT, 2, "before any 'theme'"},
        {"#vocal-themes 1\n\n# c\nlean negative\n", VOCAL_EINPUT, 4, "before any 'theme'"},
        {"#vocal-themes 1\ntheme a.b B\n", VOCAL_EINPUT, 2, "parent 'a' is not declared"},
        {"#vocal-themes 1\ntheme a A\nlean sideways\n", VOCAL_EINPUT, 3, "lean must be"},
        {"#vocal-themes 1\ntheme a A\nlean\n", VOCAL_EINPUT, 3, "lean must be"},
        {"#vocal-themes 1\ntheme Big A\n", VOCAL_EINPUT, 2, "theme id"},
        {"#vocal-themes 1\ntheme a..b A\n", VOCAL_EINPUT, 2, "theme id"},
        {"#vocal-themes 1\ntheme\n", VOCAL_EINPUT, 2, "needs an ID"},
        {"#vocal-themes 1\ntheme a A\nfrobnicate x\n", VOCAL_EINPUT, 3, "unknown keyword"},
        {"#vocal-themes 1\ntheme a A\nmatch ? x\n", VOCAL_EINPUT, 3, "cannot start"},
        {"#vocal-themes 1\ntheme a A\nmatch ... x\n", VOCAL_EINPUT, 3, "cannot start"},
        {"#vocal-themes 1\ntheme a A\nmatch x ...\n", VOCAL_EINPUT, 3, "cannot end"},
        {"#vocal-themes 1\ntheme a A\nmatch x ... ... y\n", VOCAL_EINPUT, 3, "two '...'"},
        {"#vocal-themes 1\ntheme a A\nmatch x*y\n", VOCAL_EINPUT, 3, "may only end"},
        {"#vocal-themes 1\ntheme a A\nmatch =x*\n", VOCAL_EINPUT, 3, "both exact"},
        {"#vocal-themes 1\ntheme a A\nmatch =\n", VOCAL_EINPUT, 3, "need a word"},
        {"#vocal-themes 1\ntheme a A\nmatch\n", VOCAL_EINPUT, 3, "missing pattern"},
        {"#vocal-themes 1\ntheme a A\ncontext ?\n", VOCAL_EINPUT, 3, "not a context word"},
        {"#vocal-themes 1\ntheme a A\nmatch \xFF\n", VOCAL_EINPUT, 3, "not valid UTF-8"},
        {"#vocal-themes 1\ntheme a A\nmatch a b c d e f g h i j k l m n o p q\n", VOCAL_EINPUT, 3, "more than 16"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vocal_taxonomy *tx = NULL;
        vocal_error err;
        assert_int_equal(vocal_taxonomy_new(&tx, NULL), VOCAL_OK);
        memset(&err, 0xA5, sizeof err);
        int rc = vocal_taxonomy_load_buffer(tx, "bad.themes", cases[i].text, strlen(cases[i].text), &err);
        if (rc != cases[i].code || err.line != cases[i].line || !strstr(err.msg, cases[i].msg))
            fail_msg("case %zu: got %d line %llu '%s'", i, rc, (unsigned long long)err.line, err.msg);
        assert_string_equal(err.path, "bad.themes");
        vocal_taxonomy_free(tx);
    }
}

static void test_themes__errors_give_the_byte_offset_of_the_line(void **state)
{
    (void)state;
    static const char text[] = "#vocal-themes 1\ntheme a A\nlean up\n";
    vocal_taxonomy *tx = NULL;
    vocal_error err;
    assert_int_equal(vocal_taxonomy_new(&tx, NULL), VOCAL_OK);
    assert_int_equal(vocal_taxonomy_load_buffer(tx, NULL, text, sizeof text - 1, &err), VOCAL_EINPUT);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.byte, 26 + 5); /* the value after "lean " */
    assert_string_equal(err.path, "<buffer>");
    vocal_taxonomy_free(tx);
}

static void test_themes__a_missing_file_or_domain_is_an_io_error(void **state)
{
    (void)state;
    vocal_taxonomy *tx = NULL;
    vocal_error err;
    assert_int_equal(vocal_taxonomy_new(&tx, NULL), VOCAL_OK);
    assert_int_equal(vocal_taxonomy_load_file(tx, "/nonexistent/x.themes", &err), VOCAL_EIO);
    assert_string_equal(err.path, "/nonexistent/x.themes");
    const char *dom[] = {"atlantis"};
    assert_int_equal(vocal_taxonomy_load_data(tx, VOCAL_SOURCE_DIR, dom, 1, &err), VOCAL_EIO);
    assert_non_null(strstr(err.msg, "unknown domain 'atlantis'"));
    const char *bad[] = {"../etc"};
    assert_int_equal(vocal_taxonomy_load_data(tx, VOCAL_SOURCE_DIR, bad, 1, &err), VOCAL_EINPUT);
    vocal_taxonomy_free(tx);
}

static void test_themes__the_shipped_taxonomy_and_packs_load(void **state)
{
    fixture *f = *state;
    vocal_taxonomy *tx = NULL;
    vocal_tagger *tg = NULL;
    vocal_error err;
    const char *dom[] = {"retail", "travel", "hospitality", "software", "finance"};
    assert_int_equal(vocal_taxonomy_new(&tx, NULL), VOCAL_OK);
    int rc = vocal_taxonomy_load_data(tx, VOCAL_SOURCE_DIR, dom, 5, &err);
    if (rc) fail_msg("%s:%llu: %s", err.path, (unsigned long long)err.line, err.msg);
    assert_true(vocal_taxonomy_count(tx) >= 72);
    size_t parents = 0;
    for (size_t i = 0; i < vocal_taxonomy_count(tx); i++) {
        vocal_theme_info ti;
        vocal_taxonomy_theme(&ti, tx, i);
        parents += ti.depth == 0;
    }
    assert_true(parents >= 12);
    rc = vocal_tagger_new(&tg, tx, f->tk, &err);
    if (rc) fail_msg("%s:%llu: %s", err.path, (unsigned long long)err.line, err.msg);
    vocal_tagger_free(tg);
    vocal_taxonomy_free(tx);
}

static void test_themes__a_tokenizer_of_another_language_is_refused(void **state)
{
    fixture *f = *state;
    vocal_text_options o = VOCAL_TEXT_OPTIONS_INIT;
    o.language = "de";
    vocal_tokenizer *tk = NULL;
    vocal_tagger *tg = NULL;
    vocal_error err;
    assert_int_equal(vocal_tokenizer_new(&tk, &o, &err), VOCAL_OK);
    assert_int_equal(vocal_tagger_new(&tg, f->tx, tk, &err), VOCAL_EINPUT);
    assert_null(tg);
    assert_non_null(strstr(err.msg, "language"));
    vocal_tokenizer_free(tk);
}

static void test_themes__punctuation_in_patterns_is_ignored_as_in_texts(void **state)
{
    fixture *f = *state;
    static const char ok[] = "#vocal-themes 1\ntheme a A\n  match fish & chips\n";
    static const char bad[] = "#vocal-themes 1\ntheme a A\n  match x\n  match & ? chips\n";
    vocal_taxonomy *tx = NULL;
    vocal_tagger *tg = NULL;
    vocal_error err;
    assert_int_equal(vocal_taxonomy_new(&tx, NULL), VOCAL_OK);
    assert_int_equal(vocal_taxonomy_load_buffer(tx, "ok", ok, sizeof ok - 1, &err), VOCAL_OK);
    assert_int_equal(vocal_tagger_new(&tg, tx, f->tk, &err), VOCAL_OK);
    vocal_themes th;
    assert_int_equal(vocal_themes_tag_text(&th, NULL, f->ws, tg, NULL, f->lex, "fish, chips", 11, NULL, &err), VOCAL_OK);
    assert_int_equal(th.n_hits, 1);
    vocal_tagger_free(tg);
    vocal_taxonomy_free(tx);
    assert_int_equal(vocal_taxonomy_new(&tx, NULL), VOCAL_OK);
    assert_int_equal(vocal_taxonomy_load_buffer(tx, "bad", bad, sizeof bad - 1, &err), VOCAL_OK);
    memset(&err, 0xA5, sizeof err);
    assert_int_equal(vocal_tagger_new(&tg, tx, f->tk, &err), VOCAL_EINPUT);
    assert_null(tg);
    assert_string_equal(err.path, "bad");
    assert_int_equal(err.line, 4);
    assert_non_null(strstr(err.msg, "needs a word"));
    vocal_taxonomy_free(tx);
}

/* MARK: patterns */

typedef struct tag_case {
    const char *text;
    const char *want; /* hit_set() form */
    const char *note;
} tag_case;

static void test_themes__patterns_match_as_the_readme_says(void **state)
{
    fixture *f = *state;
    static const tag_case cases[] = {
        {"The parcel arrives LATE", "delivery.late:-", "stems and case folding"},
        {"We had the tasting menu", "food.taste:0", "prefix: tast*"},
        {"It was bland", "food.taste:-", "exact: =bland (a negative word)"},
        {"Such blandness", "", "exact does not stem or extend"},
        {"It arrived very early", "delivery.early:+", "? is one word"},
        {"It arrived two days early", "", "? is exactly one word"},
        {"They charged me twice", "billing.fees:- billing.overcharged:-", "... gap of one"},
        {"They charged my old card twice", "billing.fees:- billing.overcharged:-", "... gap of three"},
        {"They charged this to my old card twice", "billing.fees:-", "... gap of four is too wide"},
        {"They charged me. Twice!", "billing.fees:-", "patterns stay in one sentence"},
        {"They charged me, twice", "billing.fees:- billing.overcharged:-", "punctuation is skipped"},
        {"I charged my phone", "", "exclude drops the overlapping hit"},
        {"I charged my phone, they overcharged me", "billing.overcharged:-", "exclude only where it overlaps"},
        {"She snapped at us", "", "a cue needs a context word"},
        {"The waiter snapped at us", "staff.rude:-", "context from an ancestor theme"},
        {"The waiter snapped. She was tired", "staff.rude:-", "context in the same sentence"},
        {"She snapped. The waiter was tired", "", "context in another sentence does not count"},
        {"\xF0\x9F\x90\x8C service today", "wait.slow:-", "an emoji is a word (the snail is negative in emoji.tsv)"},
        {"A lovely meal", "food:+", "a pack line continues a theme"},
        {"Nothing to say here", "", "no theme"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vocal_themes th = tag(f, cases[i].text, NULL);
        char got[512];
        hit_set(got, sizeof got, &th);
        if (strcmp(got, cases[i].want))
            fail_msg("%s (%s): want '%s', got '%s'", cases[i].text, cases[i].note, cases[i].want, got);
    }
}

static void test_themes__evidence_spans_cover_the_longest_pattern(void **state)
{
    fixture *f = *state;
    static const char text[] = "Parcel arrived late, sadly";
    vocal_themes th = tag(f, text, NULL);
    const vocal_theme_hit *h = find_hit(&th, "delivery.late");
    assert_non_null(h);
    assert_int_equal(h->n_evidence, 1); /* "late" lies inside "arrived late" */
    assert_int_equal(h->evidence[0].start, 7);
    assert_int_equal(h->evidence[0].end, 19);
    assert_string_equal(h->evidence[0].pattern, "arrived late");
    assert_int_equal(h->source, VOCAL_THEME_RULES);
    assert_string_equal(h->parent, "delivery");
    assert_string_equal(h->label, "Late delivery");
}

/* MARK: polarity */

static void test_themes__polarity_comes_from_the_clause_of_the_evidence(void **state)
{
    fixture *f = *state;
    vocal_themes th = tag(f, "the food was great but the waiter was rude", NULL);
    char got[256];
    hit_set(got, sizeof got, &th);
    assert_string_equal(got, "food:+ staff.rude:-");
    assert_int_equal(th.n_root_causes, 1);
    assert_string_equal(th.hits[th.root_causes[0]].id, "staff.rude");
    th = tag(f, "the food was awful but the waiter was lovely", NULL);
    hit_set(got, sizeof got, &th);
    assert_string_equal(got, "food:-");
}

static void test_themes__a_neutral_clause_gives_the_lean(void **state)
{
    fixture *f = *state;
    vocal_themes th = tag(f, "the parcel came late", NULL);
    const vocal_theme_hit *h = find_hit(&th, "delivery.late");
    assert_non_null(h);
    assert_int_equal(h->polarity, -1);
    th = tag(f, "the food arrived on a tuesday", NULL);
    h = find_hit(&th, "food");
    assert_non_null(h);
    assert_int_equal(h->polarity, 0); /* no lean, neutral clause */
}

static void test_themes__all_negated_evidence_of_a_leaning_theme_goes_to_the_parent(void **state)
{
    fixture *f = *state;
    static const tag_case cases[] = {
        {"The waiter was not rude at all", "staff:+", "not rude"},
        {"The parcel wasn't late", "delivery:+", "wasn't late"},
        {"The parcel was never late", "delivery:+", "never late"},
        {"Not rude, but the parcel was late", "delivery.late:- staff:+", "only the negated theme moves"},
        {"Nobody told us the parcel would be late", "delivery.late:-", "a negator far back scopes the verb"},
        {"Not late. Rude though", "delivery:+ staff.rude:-", "a negated and a plain theme"},
        {"The staff weren't very friendly", "staff:-", "a negator in a gap of the pattern"},
        {"The staff were very friendly", "staff.friendly:+", "no negator"},
        {"My parcel never arrived", "delivery.late:-", "a pattern's own negator does not negate it"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vocal_themes th = tag(f, cases[i].text, NULL);
        char got[512];
        hit_set(got, sizeof got, &th);
        if (strcmp(got, cases[i].want))
            fail_msg("%s (%s): want '%s', got '%s'", cases[i].text, cases[i].note, cases[i].want, got);
    }
    vocal_themes th = tag(f, "The waiter was not rude at all", NULL);
    assert_int_equal(th.hits[0].negation_rule, 1);
    assert_true(th.hits[0].evidence[0].flags & VOCAL_EVID_NEGATED);
}

/* MARK: several themes */

static void test_themes__one_hit_per_theme_merges_its_evidence(void **state)
{
    fixture *f = *state;
    vocal_themes th = tag(f, "Rude waiter, rude manager, and the food was bland", NULL);
    char got[256];
    hit_set(got, sizeof got, &th);
    assert_string_equal(got, "food.taste:- staff.rude:-");
    const vocal_theme_hit *h = find_hit(&th, "staff.rude");
    assert_int_equal(h->n_evidence, 2);
    assert_true(h->evidence[0].start < h->evidence[1].start);
    /* two pieces of evidence make a surer hit than one */
    const vocal_theme_hit *b = find_hit(&th, "food.taste");
    assert_true(h->confidence > b->confidence);
    assert_true(h->confidence <= 1.0 && b->confidence > 0.0);
}

static void test_themes__hits_are_ranked_and_root_causes_are_the_negative_ones(void **state)
{
    fixture *f = *state;
    vocal_themes th = tag(f, "Tasty food. The parcel arrived late and they overcharged me, so rude", NULL);
    assert_true(th.n_hits >= 3);
    for (size_t i = 1; i < th.n_hits; i++) assert_true(th.hits[i - 1].strength >= th.hits[i].strength);
    for (size_t i = 0; i < th.n_root_causes; i++) {
        assert_int_equal(th.hits[th.root_causes[i]].polarity, -1);
        if (i) assert_true(th.root_causes[i - 1] < th.root_causes[i]);
    }
    size_t neg = 0;
    for (size_t i = 0; i < th.n_hits; i++) neg += th.hits[i].polarity < 0;
    assert_int_equal(neg, th.n_root_causes);
}

static void test_themes__a_parent_is_implied_by_its_child_unless_kept(void **state)
{
    fixture *f = *state;
    vocal_themes th = tag(f, "A tasty meal", NULL);
    char got[256];
    hit_set(got, sizeof got, &th);
    assert_string_equal(got, "food.taste:+");
    vocal_tag_options o = VOCAL_TAG_OPTIONS_INIT;
    o.keep_parents = 1;
    th = tag(f, "A tasty meal", &o);
    hit_set(got, sizeof got, &th);
    assert_string_equal(got, "food:+ food.taste:+");
    o.keep_parents = 0;
    o.min_confidence = 0.99;
    th = tag(f, "A tasty meal", &o);
    assert_int_equal(th.n_hits, 0);
    o.version = 99;
    vocal_error err;
    assert_int_equal(vocal_themes_tag_text(&th, NULL, f->ws, f->tg, NULL, f->lex, "x", 1, &o, &err), VOCAL_EINPUT);
}

static void test_themes__no_tagger_and_no_model_finds_nothing(void **state)
{
    fixture *f = *state;
    vocal_themes th;
    vocal_sentiment s;
    assert_int_equal(vocal_themes_tag_text(&th, &s, f->ws, NULL, NULL, f->lex, "rude", 4, NULL, NULL), VOCAL_OK);
    assert_int_equal(th.n_hits, 0);
    assert_int_equal(th.n_root_causes, 0);
    assert_true(s.compound < 0);
}

/* MARK: theme models */

static void train_tiny(fixture *f, vocal_theme_model **out)
{
    static const struct {
        const char *text;
        const char *themes[2];
    } rows[] = {
        {"the parcel came late", {"delivery.late:negative", NULL}},
        {"delivery three days late", {"delivery.late:-", NULL}},
        {"late again, parcel missing the date", {"delivery.late", NULL}},
        {"lovely soup, very tasty", {"food.taste:positive", NULL}},
        {"bland soup, no flavour", {"food.taste:negative", NULL}},
        {"tasty soup but a late parcel", {"food.taste:+", "delivery.late:-"}},
        {"nice weather", {NULL, NULL}},
        {"we went on sunday", {NULL, NULL}},
    };
    vocal_theme_trainer *tr = NULL;
    vocal_error err;
    assert_int_equal(vocal_theme_trainer_new(&tr, f->tk, NULL, &err), VOCAL_OK);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        size_t n = rows[i].themes[1] ? 2 : rows[i].themes[0] ? 1 : 0;
        assert_int_equal(vocal_theme_trainer_add(tr, f->ws, rows[i].text, strlen(rows[i].text), rows[i].themes, n,
                                                 &err),
                         VOCAL_OK);
    }
    const char *bad[] = {"Delivery.Late"};
    assert_int_equal(vocal_theme_trainer_add(tr, f->ws, "x", 1, bad, 1, &err), VOCAL_EINPUT);
    const char *badpol[] = {"delivery.late:angry"};
    assert_int_equal(vocal_theme_trainer_add(tr, f->ws, "x", 1, badpol, 1, &err), VOCAL_EINPUT);
    assert_non_null(strstr(err.msg, "polarity"));
    assert_int_equal(vocal_theme_trainer_finish(out, tr, &err), VOCAL_OK);
    vocal_theme_trainer_free(tr);
}

static void test_themes__a_theme_model_tags_alone_and_with_rules(void **state)
{
    fixture *f = *state;
    vocal_theme_model *m = NULL;
    train_tiny(f, &m);
    const char *const *ids;
    assert_int_equal(vocal_theme_model_themes(m, &ids), 2);
    assert_string_equal(ids[0], "delivery.late");
    assert_string_equal(ids[1], "food.taste");
    vocal_themes th;
    vocal_error err;
    static const char text[] = "tasty soup";
    assert_int_equal(vocal_themes_tag_text(&th, NULL, f->ws, NULL, m, f->lex, text, sizeof text - 1, NULL, &err),
                     VOCAL_OK);
    const vocal_theme_hit *h = find_hit(&th, "food.taste");
    assert_non_null(h);
    assert_int_equal(h->source, VOCAL_THEME_MODEL);
    assert_int_equal(h->theme, VOCAL_NO_THEME);
    assert_true(h->model_prob >= 0.5);
    assert_int_equal(h->polarity, 1);
    assert_true(h->n_evidence >= 1);
    assert_true(h->evidence[0].flags & VOCAL_EVID_MODEL);
    /* with the rules: the same theme from both */
    assert_int_equal(vocal_themes_tag_text(&th, NULL, f->ws, f->tg, m, f->lex, text, sizeof text - 1, NULL, &err),
                     VOCAL_OK);
    h = find_hit(&th, "food.taste");
    assert_non_null(h);
    assert_int_equal(h->source, VOCAL_THEME_BOTH);
    assert_true(h->confidence >= h->rule_confidence);
    assert_int_not_equal(h->theme, VOCAL_NO_THEME);
    /* save and load give the same verdicts */
    char path[] = "/tmp/vocal-themes-model-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(vocal_theme_model_save(m, path, &err), VOCAL_OK);
    vocal_theme_model *m2 = NULL;
    assert_int_equal(vocal_theme_model_load(&m2, path, &err), VOCAL_OK);
    vocal_themes th2;
    double p1 = -1, p2 = -2;
    assert_int_equal(vocal_themes_tag_text(&th, NULL, f->ws, NULL, m, f->lex, text, sizeof text - 1, NULL, &err),
                     VOCAL_OK);
    p1 = find_hit(&th, "food.taste")->model_prob;
    assert_int_equal(vocal_themes_tag_text(&th2, NULL, f->ws, NULL, m2, f->lex, text, sizeof text - 1, NULL, &err),
                     VOCAL_OK);
    p2 = find_hit(&th2, "food.taste")->model_prob;
    assert_true(fabs(p1 - p2) < 1e-12);
    unlink(path);
    vocal_theme_model_free(m2);
    vocal_theme_model_free(m);
}

static void test_themes__tagging_a_scored_text_reuses_its_tokens_and_keeps_them(void **state)
{
    fixture *f = *state;
    static const char text[] = "The waiter was rude";
    vocal_sentiment s;
    vocal_themes th;
    vocal_error err;
    assert_int_equal(vocal_lexicon_score(&s, f->ws, f->lex, text, sizeof text - 1, &err), VOCAL_OK);
    const vocal_token *tokens = s.tokens;
    double c0 = s.clause_sum[0];
    assert_int_equal(vocal_themes_tag(&th, f->ws, f->tg, NULL, &s, NULL, &err), VOCAL_OK);
    assert_int_equal(th.n_hits, 1);
    /* the sentiment's arrays are still valid after tagging */
    assert_ptr_equal(s.tokens, tokens);
    assert_true(s.clause_sum[0] == c0);
    assert_string_equal(vocal_theme_source_name(th.hits[0].source), "rules");
    assert_string_equal(vocal_theme_source_name(VOCAL_THEME_MODEL), "model");
    assert_string_equal(vocal_theme_source_name(VOCAL_THEME_BOTH), "both");
    assert_ptr_equal(vocal_tagger_taxonomy(f->tg), f->tx);
}

static void test_themes__a_plain_model_is_not_a_theme_model(void **state)
{
    fixture *f = *state;
    vocal_trainer *tr = NULL;
    vocal_model *m = NULL;
    vocal_error err;
    assert_int_equal(vocal_trainer_new(&tr, f->tk, NULL, NULL, &err), VOCAL_OK);
    const char *a[] = {"pos"}, *b[] = {"neg"};
    assert_int_equal(vocal_trainer_add(tr, f->ws, "good", 4, a, 1, &err), VOCAL_OK);
    assert_int_equal(vocal_trainer_add(tr, f->ws, "bad", 3, b, 1, &err), VOCAL_OK);
    assert_int_equal(vocal_trainer_finish(&m, tr, &err), VOCAL_OK);
    char path[] = "/tmp/vocal-themes-plain-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    assert_int_equal(vocal_model_save(m, path, &err), VOCAL_OK);
    vocal_theme_model *tm = NULL;
    assert_int_equal(vocal_theme_model_load(&tm, path, &err), VOCAL_EFORMAT);
    assert_null(tm);
    assert_non_null(strstr(err.msg, "not a theme model"));
    unlink(path);
    vocal_model_free(m);
    vocal_trainer_free(tr);
}

/* MARK: robustness */

static void test_themes__every_allocation_failure_is_reported(void **state)
{
    fixture *f = *state;
    int done = 0;
    for (uint64_t k = 1; k < 400 && !done; k++) {
        vocal_taxonomy *tx = NULL;
        vocal_tagger *tg = NULL;
        vocal_workspace *ws = NULL;
        vocal_error err;
        vocal__alloc_fail_after(k);
        int rc = vocal_taxonomy_new(&tx, &err);
        if (rc == VOCAL_OK) rc = vocal_taxonomy_load_buffer(tx, "tiny", tiny, sizeof tiny - 1, &err);
        if (rc == VOCAL_OK) rc = vocal_tagger_new(&tg, tx, f->tk, &err);
        if (rc == VOCAL_OK) rc = vocal_workspace_new(&ws, f->tk, &err);
        vocal_themes th;
        static const char text[] = "the waiter was rude and the parcel arrived late";
        if (rc == VOCAL_OK) rc = vocal_themes_tag_text(&th, NULL, ws, tg, NULL, f->lex, text, sizeof text - 1, NULL, &err);
        vocal__alloc_fail_after(0);
        if (rc == VOCAL_OK) done = 1;
        else assert_int_equal(rc, VOCAL_ENOMEM);
        vocal_workspace_free(ws);
        vocal_tagger_free(tg);
        vocal_taxonomy_free(tx);
    }
    assert_true(done);
}

static void test_themes__long_and_odd_texts_tag_without_trouble(void **state)
{
    fixture *f = *state;
    size_t n = 200000;
    char *big = malloc(n + 1);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++) big[i] = "late rude food charged twice \xF0\x9F\x90\x8C "[i % 34];
    big[n] = '\0';
    vocal_themes th;
    vocal_error err;
    assert_int_equal(vocal_themes_tag_text(&th, NULL, f->ws, f->tg, NULL, f->lex, big, n, NULL, &err), VOCAL_OK);
    assert_true(th.n_hits >= 3);
    for (size_t i = 0; i < th.n_hits; i++)
        for (size_t k = 0; k < th.hits[i].n_evidence; k++) assert_true(th.hits[i].evidence[k].end <= n);
    free(big);
    static const char odd[] = "\xFF\xFE rude\0late";
    assert_int_equal(vocal_themes_tag_text(&th, NULL, f->ws, f->tg, NULL, f->lex, odd, sizeof odd - 1, NULL, &err),
                     VOCAL_OK);
    assert_int_equal(vocal_themes_tag_text(&th, NULL, f->ws, f->tg, NULL, f->lex, NULL, 0, NULL, &err), VOCAL_OK);
    assert_int_equal(th.n_hits, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_themes__every_keyword_is_read_and_packs_continue_themes),
        cmocka_unit_test(test_themes__bad_lines_are_refused_with_file_and_line),
        cmocka_unit_test(test_themes__errors_give_the_byte_offset_of_the_line),
        cmocka_unit_test(test_themes__a_missing_file_or_domain_is_an_io_error),
        cmocka_unit_test(test_themes__the_shipped_taxonomy_and_packs_load),
        cmocka_unit_test(test_themes__a_tokenizer_of_another_language_is_refused),
        cmocka_unit_test(test_themes__punctuation_in_patterns_is_ignored_as_in_texts),
        cmocka_unit_test(test_themes__patterns_match_as_the_readme_says),
        cmocka_unit_test(test_themes__evidence_spans_cover_the_longest_pattern),
        cmocka_unit_test(test_themes__polarity_comes_from_the_clause_of_the_evidence),
        cmocka_unit_test(test_themes__a_neutral_clause_gives_the_lean),
        cmocka_unit_test(test_themes__all_negated_evidence_of_a_leaning_theme_goes_to_the_parent),
        cmocka_unit_test(test_themes__one_hit_per_theme_merges_its_evidence),
        cmocka_unit_test(test_themes__hits_are_ranked_and_root_causes_are_the_negative_ones),
        cmocka_unit_test(test_themes__a_parent_is_implied_by_its_child_unless_kept),
        cmocka_unit_test(test_themes__no_tagger_and_no_model_finds_nothing),
        cmocka_unit_test(test_themes__a_theme_model_tags_alone_and_with_rules),
        cmocka_unit_test(test_themes__tagging_a_scored_text_reuses_its_tokens_and_keeps_them),
        cmocka_unit_test(test_themes__a_plain_model_is_not_a_theme_model),
        cmocka_unit_test(test_themes__every_allocation_failure_is_reported),
        cmocka_unit_test(test_themes__long_and_odd_texts_tag_without_trouble),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
