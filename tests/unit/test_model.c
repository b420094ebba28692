/* The model API (include/vocal/model.h): features, training, classification
 * (long and unbalanced inputs, abstention, explanations), model files
 * (round trips, reproducibility, merges, and every kind of damage: see
 * docs/format/model.md), evaluation helpers, and allocation failure.
 * The corpora are our own sentences, written for these tests. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/model_int.h"
#include "util/le.h"
#include "util/util_int.h"
#include "vocal/lexicon.h"
#include "vocal/model.h"
#include "vocal/text.h"

#define DATA VOCAL_SOURCE_DIR "/tests/data/model/"

/* MARK: corpora */

typedef struct rec {
    const char *label;
    const char *text;
} rec;

/* Customer feedback about three root causes. */
static const rec feedback[] = {
    {"delivery", "The parcel arrived three days late and the box was crushed."},
    {"delivery", "My order still has not been delivered, the tracking page is stuck."},
    {"delivery", "Courier left the package at the wrong address again."},
    {"delivery", "Delivery was late, the driver never rang the bell."},
    {"delivery", "Shipping took two weeks, far longer than promised."},
    {"delivery", "The package was damaged in transit and arrived late."},
    {"delivery", "Tracking says delivered but no parcel at my door."},
    {"delivery", "The courier was late and the shipping box was soaked."},
    {"delivery", "Fast delivery, the parcel came a day early!"},
    {"delivery", "Where is my package? Delivery keeps being postponed."},
    {"delivery", "The driver dumped the parcel by the bins."},
    {"delivery", "Shipping was quick and the tracking was accurate."},
    {"refund", "I returned the jacket a month ago and I am still waiting for my refund."},
    {"refund", "They refused to refund me even though the item was faulty."},
    {"refund", "Refund took six weeks and three phone calls."},
    {"refund", "I was charged twice and nobody will refund the second payment."},
    {"refund", "The money back guarantee is a joke, no refund yet."},
    {"refund", "Still no refund for the cancelled order."},
    {"refund", "My refund was processed quickly, thank you."},
    {"refund", "They promised a refund to my card but the money never came."},
    {"refund", "The return was accepted but the refund is missing."},
    {"refund", "I want my money back, the refund request was ignored."},
    {"refund", "Refunded within two days, very fair."},
    {"refund", "Charged for a return label and the refund was short."},
    {"staff", "The cashier was rude and rolled her eyes at me."},
    {"staff", "Staff were friendly and helpful, the manager even apologised."},
    {"staff", "The waiter ignored us for twenty minutes."},
    {"staff", "Rude staff, nobody greeted us at the door."},
    {"staff", "The assistant was patient and explained everything."},
    {"staff", "The manager shouted at a colleague in front of customers."},
    {"staff", "Lovely staff, the cashier helped me carry the bags."},
    {"staff", "The employee at the desk was unhelpful and rude."},
    {"staff", "Our waiter was attentive and kind."},
    {"staff", "Staff seemed untrained and the manager was nowhere."},
    {"staff", "The agent on the phone was polite and friendly."},
    {"staff", "The security guard was aggressive with my son."},
};
#define N_FEEDBACK (sizeof feedback / sizeof feedback[0])

static const rec feedback_heldout[] = {
    {"delivery", "The parcel is late and the tracking has not moved."},
    {"delivery", "Courier lost my package."},
    {"refund", "Still waiting for the refund of my return."},
    {"refund", "Please refund the money you charged twice."},
    {"staff", "The cashier was so rude."},
    {"staff", "Friendly staff and a helpful manager."},
};

/* MARK: helpers */

static void poison(vocal_error *err)
{
    memset(err, 0xA5, sizeof *err);
}

typedef struct env {
    vocal_tokenizer *tk;
    vocal_workspace *ws;
} env;

static void env_open(env *e, const char *lang)
{
    vocal_text_options o = VOCAL_TEXT_OPTIONS_INIT;
    o.language = lang;
    vocal_error err;
    poison(&err);
    assert_int_equal(vocal_tokenizer_new(&e->tk, &o, &err), VOCAL_OK);
    poison(&err);
    assert_int_equal(vocal_workspace_new(&e->ws, e->tk, &err), VOCAL_OK);
}

static void env_close(env *e)
{
    vocal_workspace_free(e->ws);
    vocal_tokenizer_free(e->tk);
}

static vocal_model *train(env *e, const vocal_train_options *o, const rec *r, size_t n)
{
    vocal_trainer *tr = NULL;
    vocal_error err;
    poison(&err);
    int rc = vocal_trainer_new(&tr, e->tk, NULL, o, &err);
    if (rc) fail_msg("trainer_new: %s", err.msg);
    for (size_t i = 0; i < n; i++) {
        const char *labels[1] = {r[i].label};
        poison(&err);
        rc = vocal_trainer_add(tr, e->ws, r[i].text, strlen(r[i].text), labels, 1, &err);
        if (rc) fail_msg("trainer_add %zu: %s", i, err.msg);
    }
    vocal_model *m = NULL;
    poison(&err);
    rc = vocal_trainer_finish(&m, tr, &err);
    if (rc) fail_msg("trainer_finish: %s", err.msg);
    vocal_trainer_free(tr);
    return m;
}

/* train() with a lexicon (for lexicon features) */
static vocal_model *train_lex(env *e, const vocal_lexicon *lex, const vocal_train_options *o)
{
    vocal_trainer *tr = NULL;
    assert_int_equal(vocal_trainer_new(&tr, e->tk, lex, o, NULL), VOCAL_OK);
    for (size_t i = 0; i < N_FEEDBACK; i++) {
        const char *l[] = {feedback[i].label};
        assert_int_equal(vocal_trainer_add(tr, e->ws, feedback[i].text, strlen(feedback[i].text), l, 1, NULL),
                         VOCAL_OK);
    }
    vocal_model *m = NULL;
    assert_int_equal(vocal_trainer_finish(&m, tr, NULL), VOCAL_OK);
    vocal_trainer_free(tr);
    return m;
}

static vocal_classification classify(env *e, const vocal_model *m, const char *text,
                                     const vocal_classify_options *co)
{
    vocal_classification r;
    vocal_error err;
    memset(&r, 0xA5, sizeof r);
    poison(&err);
    int rc = vocal_model_classify(&r, e->ws, m, NULL, text, strlen(text), co, &err);
    if (rc) fail_msg("classify: %s", err.msg);
    return r;
}

static void assert_probs_ok(const vocal_classification *r)
{
    double sum = 0;
    for (size_t c = 0; c < r->n_classes; c++) {
        assert_true(isfinite(r->probs[c]));
        assert_true(isfinite(r->scores[c]));
        assert_true(r->probs[c] >= 0 && r->probs[c] <= 1);
        sum += r->probs[c];
    }
    assert_true(fabs(sum - 1.0) < 1e-9);
    assert_true(r->cls < r->n_classes);
    for (size_t c = 0; c < r->n_classes; c++) assert_true(r->probs[c] <= r->prob);
}

static unsigned char *serialize(const vocal_model *m, size_t *size)
{
    vocal__buf b = {0};
    assert_int_equal(vocal__model_serialize(m, &b), VOCAL_OK);
    *size = b.len;
    return (unsigned char *)b.p;
}

static char *dump(const vocal_model *m)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    vocal_error err;
    poison(&err);
    assert_int_equal(vocal_model_dump(m, f, &err), VOCAL_OK);
    fclose(f);
    return text;
}

static char tmpdir[256];

static const char *tmp_path(const char *name)
{
    static char p[512];
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/vocal-test-model-XXXXXX");
        assert_non_null(mkdtemp(tmpdir));
    }
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    return p;
}

static unsigned char *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc((size_t)n + 1);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *size = (size_t)n;
    return p;
}

static int load_bytes(vocal_model **m, const unsigned char *p, size_t n, vocal_error *err)
{
    /* an exact-size copy, so that ASan sees any read past the end */
    unsigned char *copy = malloc(n ? n : 1);
    if (n) memcpy(copy, p, n);
    poison(err);
    int rc = vocal_model_load_buffer(m, copy, n, err);
    free(copy);
    return rc;
}

/* The regions of a model file: [start, end) of the header and table, of
 * each section, and of the padding after each. */
typedef struct region {
    uint64_t start, end;
    char tag[5];
} region;

static size_t file_regions(const unsigned char *p, size_t size, region *out, size_t cap)
{
    uint32_t nsec = vocal__le32(p + 16);
    size_t n = 0;
    uint64_t tend = 24 + 24 * (uint64_t)nsec;
    out[n++] = (region){0, tend, "HEAD"};
    for (uint32_t i = 0; i < nsec && n + 2 <= cap; i++) {
        const unsigned char *e = p + 24 + 24 * i;
        uint64_t off = vocal__le64(e + 8), len = vocal__le64(e + 16);
        region r = {off, off + len, ""};
        memcpy(r.tag, e, 4);
        out[n++] = r;
        uint64_t pad = (off + len + 7) & ~(uint64_t)7;
        if (i + 1 < nsec && pad > off + len) out[n++] = (region){off + len, pad, "PAD"};
    }
    assert_int_equal(out[n - 1].end, size);
    return n;
}

static const region *region_of(const region *r, size_t n, uint64_t byte)
{
    for (size_t i = 0; i < n; i++)
        if (byte >= r[i].start && byte < r[i].end) return &r[i];
    return NULL;
}

/* Rebuild a model file from (tag, bytes) sections with valid checksums and
 * the canonical layout: for damage a checksum cannot see. */
typedef struct part {
    const char *tag;
    const unsigned char *p;
    size_t n;
} part;

static unsigned char *build_file(const part *parts, size_t nparts, unsigned major, unsigned minor,
                                 uint32_t flags, size_t *size)
{
    size_t off = 24 + 24 * nparts, total = off;
    for (size_t i = 0; i < nparts; i++) total = ((total + 7) & ~(size_t)7) + parts[i].n;
    unsigned char *f = calloc(1, total + 8);
    memcpy(f, "\x89VOCAL\r\n", 8);
    vocal__put_le16(f + 8, (uint16_t)major);
    vocal__put_le16(f + 10, (uint16_t)minor);
    vocal__put_le32(f + 12, flags);
    vocal__put_le32(f + 16, (uint32_t)nparts);
    size_t at = off;
    for (size_t i = 0; i < nparts; i++) {
        at = (at + 7) & ~(size_t)7;
        unsigned char *e = f + 24 + 24 * i;
        memcpy(e, parts[i].tag, 4);
        memcpy(f + at, parts[i].p, parts[i].n);
        vocal__put_le32(e + 4, vocal__crc32c(0, parts[i].p, parts[i].n));
        vocal__put_le64(e + 8, at);
        vocal__put_le64(e + 16, parts[i].n);
        at += parts[i].n;
    }
    uint32_t crc = vocal__crc32c(vocal__crc32c(0, f, 20), f + 24, 24 * nparts);
    vocal__put_le32(f + 20, crc);
    *size = at;
    return f;
}

/* The four sections of a serialized model, as parts pointing into it. */
static void split_file(const unsigned char *p, part out[4])
{
    for (int i = 0; i < 4; i++) {
        const unsigned char *e = p + 24 + 24 * i;
        static char tags[4][5];
        memcpy(tags[i], e, 4);
        tags[i][4] = 0;
        out[i].tag = tags[i];
        out[i].p = p + vocal__le64(e + 8);
        out[i].n = (size_t)vocal__le64(e + 16);
    }
}

/* MARK: features */

typedef struct featlist {
    char items[512][128];
    size_t n;
} featlist;

static int feat_cb(void *payload, const char *s, size_t n)
{
    featlist *fl = (featlist *)payload;
    if (fl->n < 512 && n < 128) {
        memcpy(fl->items[fl->n], s, n);
        fl->items[fl->n][n] = 0;
        fl->n++;
    }
    return VOCAL_OK;
}

static int has_feature(const featlist *fl, const char *f)
{
    for (size_t i = 0; i < fl->n; i++)
        if (!strcmp(fl->items[i], f)) return 1;
    return 0;
}

static void features_of(env *e, const vocal_train_options *o, const vocal_lexicon *lex,
                        const char *text, featlist *fl)
{
    const vocal_token *t;
    size_t n, ncl = 0;
    vocal_sentiment s;
    if (lex) {
        assert_int_equal(vocal_lexicon_score(&s, e->ws, lex, text, strlen(text), NULL), VOCAL_OK);
        t = s.tokens;
        n = s.n_tokens;
        ncl = s.n_clauses;
    } else {
        int rc = vocal_text_tokenize(&t, NULL, e->ws, text, strlen(text), NULL);
        assert_true(rc >= 0);
        n = (size_t)rc;
    }
    vocal__feat_bounds b;
    vocal__feat_bounds_get(&b, o, t, n, ncl);
    vocal__unit *u = malloc((b.units + 1) * sizeof *u);
    char *scratch = malloc(b.scratch);
    fl->n = 0;
    assert_int_equal(vocal__features(o, t, n, lex ? &s : NULL, u, scratch, feat_cb, fl), VOCAL_OK);
    assert_true(fl->n <= b.max_features);
    for (size_t i = 0; i < fl->n; i++) assert_true(strlen(fl->items[i]) <= b.max_len);
    free(u);
    free(scratch);
}

static void test_model__features_follow_the_spec(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        unsigned ngram, cmin, cmax;
        int stems, negation;
        const char *want[8];
        const char *not_want[4];
        const char *note;
    } cases[] = {
        {"The delivery was not good.", 2, 0, 0, 1, 1,
         {"deliveri", "NOT_good", "not NOT_good", "the deliveri"}, {"good"}, "stems, negation, bigrams"},
        {"The delivery was not good.", 1, 0, 0, 0, 0,
         {"delivery", "good", "not"}, {"NOT_good", "the delivery"}, "surface forms, no negation, unigrams"},
        {"Late again. Refund please", 2, 0, 0, 1, 1,
         {"late again", "refund pleas"}, {"again refund"}, "bigrams do not cross sentence ends"},
        {"@acme see https://x.example/a 3 days \xF0\x9F\x98\xA1 :( !!!", 2, 0, 0, 1, 1,
         {"<mention>", "<url>", "<num>", "\xF0\x9F\x98\xA1", ":(", "!!", "<num> day"}, {"@acme", "3"},
         "class tokens, emoji, emoticons, ! runs"},
        {"the cat sat", 3, 0, 0, 1, 1, {"the cat sat", "cat sat", "sat"}, {NULL}, "trigrams"},
        {"refnud", 1, 3, 4, 1, 1, {"CH_<re", "CH_ref", "CH_nud>", "CH_<ref", "CH_fnud"}, {"CH_refnud"},
         "character n-grams within words, with boundaries"},
        {"#FailWhale", 1, 0, 0, 0, 1, {"#failwhale", "fail", "whale"}, {NULL}, "hashtags and their words"},
    };
    env e;
    env_open(&e, "en");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
        o.ngram = cases[i].ngram;
        o.char_ngram_min = cases[i].cmin;
        o.char_ngram_max = cases[i].cmax;
        o.use_stems = cases[i].stems;
        o.use_negation = cases[i].negation;
        featlist *fl = malloc(sizeof *fl);
        features_of(&e, &o, NULL, cases[i].text, fl);
        for (int k = 0; k < 8 && cases[i].want[k]; k++)
            if (!has_feature(fl, cases[i].want[k]))
                fail_msg("%s: '%s' lacks feature '%s'", cases[i].note, cases[i].text, cases[i].want[k]);
        for (int k = 0; k < 4 && cases[i].not_want[k]; k++)
            if (has_feature(fl, cases[i].not_want[k]))
                fail_msg("%s: '%s' has feature '%s'", cases[i].note, cases[i].text, cases[i].not_want[k]);
        free(fl);
    }
    env_close(&e);
}

static void test_model__a_long_token_becomes_the_long_class_token(void **state)
{
    (void)state;
    env e;
    env_open(&e, "en");
    char text[400];
    for (int i = 0; i < 300; i++) text[i] = (char)('a' + i % 26);
    strcpy(text + 300, " ok");
    vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
    o.char_ngram_min = 3;
    o.char_ngram_max = 3;
    featlist *fl = malloc(sizeof *fl);
    features_of(&e, &o, NULL, text, fl);
    assert_true(has_feature(fl, "<long>"));
    assert_true(has_feature(fl, "<long> ok"));
    assert_false(has_feature(fl, "CH_abc")); /* no character n-grams of it either */
    free(fl);
    env_close(&e);
}

static void test_model__lexicon_features_bin_the_compound_and_mark_clauses(void **state)
{
    (void)state;
    vocal_lexicon *lex = NULL;
    assert_int_equal(vocal_lexicon_new(&lex, "en", NULL), VOCAL_OK);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_VALENCE, "great", 3.1, NULL), VOCAL_OK);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_VALENCE, "rude", -2.0, NULL), VOCAL_OK);
    env e;
    assert_int_equal(vocal_lexicon_tokenizer_new(&e.tk, lex, NULL, NULL), VOCAL_OK);
    assert_int_equal(vocal_workspace_new(&e.ws, e.tk, NULL), VOCAL_OK);
    vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
    o.use_lexicon = 1;
    featlist *fl = malloc(sizeof *fl);
    features_of(&e, &o, lex, "The food was great but the waiter was rude", fl);
    assert_true(has_feature(fl, "LEX_CLAUSE_POS"));
    assert_true(has_feature(fl, "LEX_CLAUSE_NEG"));
    assert_true(has_feature(fl, "LEX_LAST_NEG"));
    features_of(&e, &o, lex, "great great great", fl);
    assert_true(has_feature(fl, "LEX_POS_STRONG"));
    features_of(&e, &o, lex, "a plain sentence", fl);
    assert_true(has_feature(fl, "LEX_NEU"));
    assert_false(has_feature(fl, "LEX_LAST_POS"));
    free(fl);
    env_close(&e);
    vocal_lexicon_free(lex);
}

/* MARK: training and classification */

static void test_model__trains_on_feedback_and_classifies_new_sentences(void **state)
{
    (void)state;
    env e;
    env_open(&e, "en");
    for (int variant = 0; variant <= 1; variant++) {
        vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
        o.variant = variant;
        vocal_model *m = train(&e, &o, feedback, N_FEEDBACK);
        for (size_t i = 0; i < sizeof feedback_heldout / sizeof feedback_heldout[0]; i++) {
            vocal_classification r = classify(&e, m, feedback_heldout[i].text, NULL);
            assert_probs_ok(&r);
            if (strcmp(r.label, feedback_heldout[i].label) != 0)
                fail_msg("variant %d: '%s' classified %s (%.3f), not %s", variant,
                         feedback_heldout[i].text, r.label, r.prob, feedback_heldout[i].label);
            assert_false(r.abstained);
            assert_int_equal(r.n_top, 0); /* top_k defaults to 0 */
        }
        vocal_model_info info;
        vocal_model_info_get(&info, m);
        assert_int_equal(info.n_classes, 3);
        assert_int_equal(info.records, N_FEEDBACK);
        assert_string_equal(info.language, "en");
        assert_string_equal(info.stemmer, "english");
        assert_int_equal(info.options.variant, variant);
        assert_true(info.n_features > 100);
        assert_int_equal(info.n_parameters, info.n_features_used * 3 + 3);
        const char *const *names;
        const uint64_t *docs;
        assert_int_equal(vocal_model_classes(m, &names, &docs), 3);
        assert_string_equal(names[0], "delivery");
        assert_string_equal(names[1], "refund");
        assert_string_equal(names[2], "staff");
        assert_int_equal(docs[0], 12);
        assert_int_equal(vocal_model_class_index(m, "staff", 5), 2);
        assert_int_equal(vocal_model_class_index(m, "staf", 4), VOCAL_NO_CLASS);
        assert_int_equal(vocal_model_class_index(m, "staffs", 6), VOCAL_NO_CLASS);
        vocal_model_free(m);
    }
    env_close(&e);
}

static void test_model__complement_does_not_collapse_to_the_majority_class(void **state)
{
    (void)state;
    /* 200 long "other" records against 8 short "billing" ones: the common
     * words of the test sentences pull multinomial NB to the majority */
    static const char *common[] = {
        "the app is fine and the store was ok and the order came on time",
        "I like the product and the price is fair for what you get here",
        "the website works and the staff answered my question about the order",
        "good coffee and the seats were comfortable and the music was nice today",
    };
    static const rec billing[] = {
        {"billing", "invoice overcharged"}, {"billing", "double charged invoice"},
        {"billing", "wrong invoice amount"}, {"billing", "overcharged on my bill"},
        {"billing", "bill shows an extra fee"}, {"billing", "invoice fee error"},
        {"billing", "charged a hidden fee"}, {"billing", "the bill was overcharged"},
    };
    rec *corpus = malloc(208 * sizeof *corpus);
    for (size_t i = 0; i < 200; i++) corpus[i] = (rec){"other", common[i % 4]};
    for (size_t i = 0; i < 8; i++) corpus[200 + i] = billing[i];
    static const char *tests[] = {
        "the order came and the invoice was overcharged",
        "the app is fine but the bill has a hidden fee",
        "I like the store but I was double charged on the invoice",
        "the price is fair but the invoice fee is wrong",
    };
    env e;
    env_open(&e, "en");
    int hits[2] = {0, 0};
    for (int variant = 0; variant <= 1; variant++) {
        vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
        o.variant = variant;
        vocal_model *m = train(&e, &o, corpus, 208);
        for (size_t i = 0; i < 4; i++) {
            vocal_classification r = classify(&e, m, tests[i], NULL);
            assert_probs_ok(&r);
            hits[variant] += !strcmp(r.label, "billing");
        }
        /* the majority still gets its own texts */
        vocal_classification r = classify(&e, m, common[1], NULL);
        assert_string_equal(r.label, "other");
        vocal_model_free(m);
    }
    assert_int_equal(hits[VOCAL_NB_COMPLEMENT], 4);
    assert_true(hits[VOCAL_NB_COMPLEMENT] >= hits[VOCAL_NB_MULTINOMIAL]);
    free(corpus);
    env_close(&e);
}

static void test_model__a_200000_word_document_classifies_without_underflow(void **state)
{
    (void)state;
    env e;
    env_open(&e, "en");
    static const char *words[] = {"parcel", "late", "refund", "rude", "courier", "money", "waiter",
                                  "tracking", "the", "and", "damaged", "charged"};
    size_t cap = 200000 * 10, len = 0;
    char *doc = malloc(cap);
    for (size_t i = 0; i < 200000; i++) {
        const char *w = words[(i * 7 + i / 13) % 12];
        size_t n = strlen(w);
        memcpy(doc + len, w, n);
        len += n;
        doc[len++] = (i % 20 == 19) ? '.' : ' ';
        if (i % 20 == 19) doc[len++] = ' ';
    }
    for (int variant = 0; variant <= 1; variant++) {
        for (int binary = 0; binary <= 1; binary++) {
            vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
            o.variant = variant;
            o.binary = binary;
            vocal_model *m = train(&e, &o, feedback, N_FEEDBACK);
            vocal_classify_options co = VOCAL_CLASSIFY_OPTIONS_INIT;
            co.top_k = 3;
            vocal_classification r;
            vocal_error err;
            poison(&err);
            assert_int_equal(vocal_model_classify(&r, e.ws, m, NULL, doc, len, &co, &err), VOCAL_OK);
            assert_probs_ok(&r);
            assert_true(r.label[0] != '\0');
            assert_true(r.n_features > (binary ? 10 : 200000));
            assert_int_equal(r.n_top, 3);
            assert_true(r.top[0].weight >= r.top[1].weight && r.top[1].weight >= r.top[2].weight);
            if (!binary) assert_true(r.top[0].count > 1000);
            vocal_model_free(m);
        }
    }
    free(doc);
    env_close(&e);
}

static void test_model__abstains_below_the_probability_threshold(void **state)
{
    (void)state;
    env e;
    env_open(&e, "en");
    vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
    vocal_model *m = train(&e, &o, feedback, N_FEEDBACK);
    vocal_classify_options co = VOCAL_CLASSIFY_OPTIONS_INIT;
    /* a text with no known feature: the probabilities are spread */
    vocal_classification r = classify(&e, m, "zebra quantum", &co);
    assert_false(r.abstained);
    assert_true(r.label[0] != '\0');
    assert_int_equal(r.n_features, 0);
    assert_int_equal(r.n_unknown, 3); /* zebra, quantum, "zebra quantum" */
    co.min_prob = 0.9;
    r = classify(&e, m, "zebra quantum", &co);
    assert_true(r.abstained);
    assert_string_equal(r.label, "");
    assert_true(r.cls < 3 && r.prob < 0.9);
    assert_probs_ok(&r);
    /* a clear text stays above it */
    co.min_prob = 0.5;
    r = classify(&e, m, "refund refund refund, still no refund for my money", &co);
    assert_false(r.abstained);
    assert_string_equal(r.label, "refund");
    vocal_model_free(m);
    env_close(&e);
}

static int contains_feature(const vocal_feature_weight *w, size_t n, const char *f)
{
    for (size_t i = 0; i < n; i++)
        if (w[i].len == strlen(f) && !memcmp(w[i].feature, f, w[i].len)) return 1;
    return 0;
}

static void test_model__top_features_for_a_class_include_the_obvious_words(void **state)
{
    (void)state;
    env e;
    env_open(&e, "en");
    for (int variant = 0; variant <= 1; variant++) {
        vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
        o.variant = variant;
        vocal_model *m = train(&e, &o, feedback, N_FEEDBACK);
        vocal_feature_weight top[15];
        size_t n = vocal_model_top_features(top, 15, m, vocal_model_class_index(m, "refund", 6));
        assert_int_equal(n, 15);
        for (size_t i = 1; i < n; i++) assert_true(top[i - 1].weight >= top[i].weight);
        assert_true(contains_feature(top, n, "refund"));
        assert_true(contains_feature(top, n, "money"));
        n = vocal_model_top_features(top, 15, m, vocal_model_class_index(m, "staff", 5));
        assert_true(contains_feature(top, n, "staff"));
        assert_true(contains_feature(top, n, "rude"));
        n = vocal_model_top_features(top, 15, m, vocal_model_class_index(m, "delivery", 8));
        assert_true(contains_feature(top, n, "parcel"));
        assert_true(contains_feature(top, n, "late"));
        assert_int_equal(top[0].cls, 0);
        assert_true(top[0].count > 0);
        assert_int_equal(vocal_model_top_features(top, 15, m, 3), 0); /* no such class */
        vocal_model_free(m);
    }
    env_close(&e);
}

static void test_model__classification_names_the_features_that_decided_it(void **state)
{
    (void)state;
    env e;
    env_open(&e, "en");
    vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
    vocal_model *m = train(&e, &o, feedback, N_FEEDBACK);
    vocal_classify_options co = VOCAL_CLASSIFY_OPTIONS_INIT;
    co.top_k = 4;
    vocal_classification r = classify(&e, m, "The courier was rude and my refund is late, refund now", &co);
    assert_int_equal(r.n_top, 4);
    assert_true(contains_feature(r.top, r.n_top, "refund"));
    for (size_t i = 0; i < r.n_top; i++) {
        assert_true(r.top[i].cls < 3);
        assert_true(strlen(r.top[i].feature) == r.top[i].len);
        if (r.top[i].len == 6 && !memcmp(r.top[i].feature, "refund", 6)) {
            assert_int_equal(r.top[i].count, 2);
            assert_int_equal(r.top[i].cls, 1);
        }
        if (i) assert_true(r.top[i - 1].weight >= r.top[i].weight);
    }
    vocal_model_free(m);
    env_close(&e);
}

static void test_model__a_record_with_several_labels_counts_for_each(void **state)
{
    (void)state;
    env e;
    env_open(&e, "en");
    vocal_trainer *tr;
    assert_int_equal(vocal_trainer_new(&tr, e.tk, NULL, NULL, NULL), VOCAL_OK);
    const char *two[] = {"refund", "staff", "refund"}; /* a repeated label counts once */
    const char *t = "rude staff refused my refund";
    assert_int_equal(vocal_trainer_add(tr, e.ws, t, strlen(t), two, 3, NULL), VOCAL_OK);
    const char *one[] = {"delivery"};
    t = "late parcel";
    assert_int_equal(vocal_trainer_add(tr, e.ws, t, strlen(t), one, 1, NULL), VOCAL_OK);
    vocal_model *m;
    assert_int_equal(vocal_trainer_finish(&m, tr, NULL), VOCAL_OK);
    const uint64_t *docs;
    assert_int_equal(vocal_model_classes(m, NULL, &docs), 3);
    assert_int_equal(docs[0], 1);
    assert_int_equal(docs[1], 1);
    assert_int_equal(docs[2], 1);
    vocal_model_info info;
    vocal_model_info_get(&info, m);
    assert_int_equal(info.records, 2);
    char *d = dump(m);
    assert_non_null(strstr(d, "\nf\trefund\t0 1 1\tw "));
    free(d);
    /* the trainer may go on after finish */
    assert_int_equal(vocal_trainer_add(tr, e.ws, t, strlen(t), one, 1, NULL), VOCAL_OK);
    vocal_model *m2;
    assert_int_equal(vocal_trainer_finish(&m2, tr, NULL), VOCAL_OK);
    assert_int_equal(vocal_model_classes(m2, NULL, &docs), 3);
    assert_int_equal(docs[0], 2);
    vocal_model_free(m2);
    vocal_model_free(m);
    vocal_trainer_free(tr);
    env_close(&e);
}

static void test_model__binary_counts_a_feature_once_per_record(void **state)
{
    (void)state;
    env e;
    env_open(&e, "en");
    vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
    o.binary = 1;
    o.ngram = 1;
    static const rec r[] = {{"a", "refund refund refund"}, {"b", "late"}};
    vocal_model *m = train(&e, &o, r, 2);
    char *d = dump(m);
    assert_non_null(strstr(d, "\nf\trefund\t1 0\tw "));
    assert_non_null(strstr(d, "meta\tbinary=1\n"));
    free(d);
    vocal_model_free(m);
    env_close(&e);
}

static void test_model__min_count_prunes_at_load_time_but_the_file_keeps_every_count(void **state)
{
    (void)state;
    env e;
    env_open(&e, "en");
    vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
    o.min_count = 3;
    vocal_model *m = train(&e, &o, feedback, N_FEEDBACK);
    vocal_model_info info;
    vocal_model_info_get(&info, m);
    assert_true(info.n_features_used < info.n_features / 4);
    assert_true(info.n_features_used > 5);
    char *d = dump(m);
    assert_non_null(strstr(d, "\tpruned\n"));
    free(d);
    /* a pruned feature is unknown to classification */
    vocal_classification r = classify(&e, m, "bins", NULL);
    assert_int_equal(r.n_features, 0);
    r = classify(&e, m, "refund", NULL);
    assert_int_equal(r.n_features, 1);
    assert_string_equal(r.label, "refund");
    vocal_model_free(m);
    env_close(&e);
}

static void test_model__bad_options_and_records_are_refused_naming_the_problem(void **state)
{
    (void)state;
    env e;
    env_open(&e, "en");
    static const struct {
        double alpha;
        unsigned ngram, cmin, cmax;
        int variant;
        const char *word;
    } bad[] = {
        {0.0, 2, 0, 0, 1, "'alpha'"},      {-1.0, 2, 0, 0, 1, "'alpha'"},
        {NAN, 2, 0, 0, 1, "'alpha'"},      {1.0, 0, 0, 0, 1, "'ngram'"},
        {1.0, 9, 0, 0, 1, "'ngram'"},      {1.0, 2, 5, 3, 1, "'char_ngram_min'"},
        {1.0, 2, 0, 4, 1, "'char_ngram_min'"}, {1.0, 2, 3, 11, 1, "'char_ngram_min'"},
        {1.0, 2, 0, 0, 7, "'variant'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
        o.alpha = bad[i].alpha;
        o.ngram = bad[i].ngram;
        o.char_ngram_min = bad[i].cmin;
        o.char_ngram_max = bad[i].cmax;
        o.variant = bad[i].variant;
        vocal_trainer *tr = (vocal_trainer *)&e; /* poisoned: must come back NULL */
        vocal_error err;
        poison(&err);
        assert_int_equal(vocal_trainer_new(&tr, e.tk, NULL, &o, &err), VOCAL_EINPUT);
        assert_null(tr);
        assert_int_equal(err.code, VOCAL_EINPUT);
        if (!strstr(err.msg, bad[i].word)) fail_msg("case %zu: '%s' does not name %s", i, err.msg, bad[i].word);
    }
    vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
    o.use_lexicon = 1;
    vocal_trainer *tr;
    vocal_error err;
    poison(&err);
    assert_int_equal(vocal_trainer_new(&tr, e.tk, NULL, &o, &err), VOCAL_EINPUT);
    assert_non_null(strstr(err.msg, "lexicon"));
    assert_int_equal(vocal_trainer_new(&tr, e.tk, NULL, NULL, NULL), VOCAL_OK);
    const char *ok[] = {"fine"};
    const char *empty[] = {""};
    const char *ctrl[] = {"a\tb"};
    const char *badutf[] = {"caf\xE9"};
    poison(&err);
    assert_int_equal(vocal_trainer_add(tr, e.ws, "x", 1, ok, 0, &err), VOCAL_EINPUT);
    assert_non_null(strstr(err.msg, "no label"));
    poison(&err);
    assert_int_equal(vocal_trainer_add(tr, e.ws, "x", 1, empty, 1, &err), VOCAL_EINPUT);
    poison(&err);
    assert_int_equal(vocal_trainer_add(tr, e.ws, "x", 1, ctrl, 1, &err), VOCAL_EINPUT);
    poison(&err);
    assert_int_equal(vocal_trainer_add(tr, e.ws, "x", 1, badutf, 1, &err), VOCAL_EINPUT);
    vocal_model *m = (vocal_model *)&e;
    poison(&err);
    assert_int_equal(vocal_trainer_finish(&m, tr, &err), VOCAL_EINPUT);
    assert_null(m);
    assert_non_null(strstr(err.msg, "no record"));
    vocal_trainer_free(tr);
    vocal_trainer_free(NULL);
    vocal_model_free(NULL);
    env_close(&e);
}

static void test_model__a_model_with_lexicon_features_needs_the_lexicon(void **state)
{
    (void)state;
    vocal_lexicon *lex = NULL;
    assert_int_equal(vocal_lexicon_new(&lex, "en", NULL), VOCAL_OK);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_VALENCE, "rude", -2.0, NULL), VOCAL_OK);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_VALENCE, "friendly", 2.0, NULL), VOCAL_OK);
    env e;
    env_open(&e, "en");
    vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
    o.use_lexicon = 1;
    vocal_model *m = train_lex(&e, lex, &o);
    vocal_feature_weight top[200];
    size_t n = vocal_model_top_features(top, 200, m, 2);
    assert_true(contains_feature(top, n, "LEX_CLAUSE_NEG") || contains_feature(top, n, "LEX_CLAUSE_POS"));
    vocal_classification r;
    vocal_error err;
    poison(&err);
    assert_int_equal(vocal_model_classify(&r, e.ws, m, NULL, "rude", 4, NULL, &err), VOCAL_EINPUT);
    assert_non_null(strstr(err.msg, "lexicon"));
    assert_string_equal(r.label, "");
    assert_int_equal(vocal_model_classify(&r, e.ws, m, lex, "the waiter was rude", 19, NULL, &err), VOCAL_OK);
    assert_string_equal(r.label, "staff");
    vocal_model_free(m);
    env_close(&e);
    vocal_lexicon_free(lex);
}

/* Batch classify scores each text with the lexicon once and hands the
 * score to the model: the result must be the one the text would give. */
static void test_model__classifying_a_lexicon_score_equals_classifying_the_text(void **state)
{
    (void)state;
    vocal_lexicon *lex = NULL;
    assert_int_equal(vocal_lexicon_new(&lex, "en", NULL), VOCAL_OK);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_VALENCE, "rude", -2.0, NULL), VOCAL_OK);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_VALENCE, "friendly", 2.0, NULL), VOCAL_OK);
    assert_int_equal(vocal_lexicon_add(lex, VOCAL_LEX_VALENCE, "late", -1.0, NULL), VOCAL_OK);
    env e;
    env_open(&e, "en");
    for (int use_lex = 0; use_lex < 2; use_lex++) {
        vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
        o.use_lexicon = use_lex;
        o.ngram = 2;
        vocal_model *m = train_lex(&e, lex, &o);
        vocal_classify_options co = VOCAL_CLASSIFY_OPTIONS_INIT;
        co.top_k = 3;
        for (size_t i = 0; i < sizeof feedback_heldout / sizeof feedback_heldout[0]; i++) {
            const char *text = feedback_heldout[i].text;
            vocal_classification a, b;
            assert_int_equal(vocal_model_classify(&a, e.ws, m, lex, text, strlen(text), &co, NULL), VOCAL_OK);
            size_t nc = a.n_classes, cls = a.cls, nf = a.n_features, nu = a.n_unknown;
            double probs[16];
            assert_true(nc <= 16);
            memcpy(probs, a.probs, nc * sizeof *probs);
            char top0[128];
            snprintf(top0, sizeof top0, "%s", a.n_top ? a.top[0].feature : "");
            vocal_sentiment s;
            assert_int_equal(vocal_lexicon_score(&s, e.ws, lex, text, strlen(text), NULL), VOCAL_OK);
            assert_int_equal(vocal_model_classify_sentiment(&b, e.ws, m, &s, &co, NULL), VOCAL_OK);
            assert_int_equal(b.n_classes, nc);
            assert_int_equal(b.cls, cls);
            assert_int_equal(b.n_features, nf);
            assert_int_equal(b.n_unknown, nu);
            for (size_t c = 0; c < nc; c++) assert_true(b.probs[c] == probs[c]);
            assert_string_equal(b.n_top ? b.top[0].feature : "", top0);
        }
        vocal_model_free(m);
    }
    env_close(&e);
    vocal_lexicon_free(lex);
}

/* Word unigrams are remembered per workspace (text_int.h word memos): a
 * workspace used with two models in turn, and a fresh workspace, must give
 * each model's own verdict every time. */
static void test_model__two_models_on_one_workspace_classify_as_on_fresh_ones(void **state)
{
    (void)state;
    env e, f;
    env_open(&e, "en");
    env_open(&f, "en");
    vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
    o.ngram = 2;
    vocal_model *a = train(&e, &o, feedback, N_FEEDBACK);
    /* b: half the texts, so its vocabulary (and every feature id) differs */
    vocal_model *b = train(&e, &o, feedback + N_FEEDBACK / 2, N_FEEDBACK - N_FEEDBACK / 2);
    const vocal_model *ms[2] = {a, b};
    /* each model over every text (the memo warms), then the other (the
     * memo's owner changes), three times */
    for (int round = 0; round < 3; round++)
        for (int k = 0; k < 2; k++) {
            for (size_t i = 0; i < sizeof feedback_heldout / sizeof feedback_heldout[0]; i++) {
                const char *text = feedback_heldout[i].text;
                vocal_classification x = classify(&e, ms[k], text, NULL);
                size_t cls = x.cls, nf = x.n_features, nu = x.n_unknown;
                double p = x.prob;
                /* a new workspace has memoized nothing */
                vocal_workspace *fresh = NULL;
                assert_int_equal(vocal_workspace_new(&fresh, e.tk, NULL), VOCAL_OK);
                vocal_workspace *keep = f.ws;
                f.ws = fresh;
                vocal_classification y = classify(&f, ms[k], text, NULL);
                f.ws = keep;
                vocal_workspace_free(fresh);
                assert_int_equal(cls, y.cls);
                assert_int_equal(nf, y.n_features);
                assert_int_equal(nu, y.n_unknown);
                assert_true(p == y.prob);
            }
        }
    vocal_model_free(b);
    vocal_model_free(a);
    env_close(&f);
    env_close(&e);
}

static void test_model__classifying_allocates_nothing_once_the_workspace_is_warm(void **state)
{
    (void)state;
    env e;
    env_open(&e, "en");
    vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
    vocal_model *m = train(&e, &o, feedback, N_FEEDBACK);
    vocal_classify_options co = VOCAL_CLASSIFY_OPTIONS_INIT;
    co.top_k = 5;
    const char *warm = "The parcel arrived late and the courier was rude, refund please!";
    classify(&e, m, warm, &co);
    for (size_t i = 0; i < sizeof feedback_heldout / sizeof feedback_heldout[0]; i++) {
        vocal__alloc_fail_after(1);
        vocal_classification r;
        int rc = vocal_model_classify(&r, e.ws, m, NULL, feedback_heldout[i].text,
                                      strlen(feedback_heldout[i].text), &co, NULL);
        vocal__alloc_fail_after(0);
        assert_int_equal(rc, VOCAL_OK);
    }
    vocal_model_free(m);
    env_close(&e);
}

/* MARK: model files */

static void test_model__save_then_load_gives_identical_classification_and_dump(void **state)
{
    (void)state;
    env e;
    env_open(&e, "en");
    vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
    o.variant = VOCAL_NB_MULTINOMIAL;
    o.alpha = 0.25;
    o.char_ngram_min = 3;
    o.char_ngram_max = 5;
    o.min_count = 2;
    vocal_model *m = train(&e, &o, feedback, N_FEEDBACK);
    const char *path = tmp_path("roundtrip.model");
    vocal_error err;
    poison(&err);
    assert_int_equal(vocal_model_save(m, path, &err), VOCAL_OK);
    vocal_model *l = NULL;
    poison(&err);
    assert_int_equal(vocal_model_load(&l, path, &err), VOCAL_OK);
    char *d1 = dump(m), *d2 = dump(l);
    assert_string_equal(d1, d2);
    assert_non_null(strstr(d1, "meta\talpha=0x1p-2\n"));
    assert_non_null(strstr(d1, "meta\tvariant=multinomial\n"));
    free(d1);
    free(d2);
    vocal_classify_options co = VOCAL_CLASSIFY_OPTIONS_INIT;
    co.top_k = 3;
    for (size_t i = 0; i < N_FEEDBACK; i++) {
        vocal_classification a = classify(&e, m, feedback[i].text, &co);
        double pa[3], sa[3];
        memcpy(pa, a.probs, sizeof pa);
        memcpy(sa, a.scores, sizeof sa);
        vocal_classification b = classify(&e, l, feedback[i].text, &co);
        assert_int_equal(a.cls, b.cls);
        assert_memory_equal(pa, b.probs, sizeof pa);
        assert_memory_equal(sa, b.scores, sizeof sa);
    }
    vocal_model_info ia, ib;
    vocal_model_info_get(&ia, m);
    vocal_model_info_get(&ib, l);
    assert_int_equal(ia.fingerprint, ib.fingerprint);
    assert_int_equal(ia.stemmer_probe, ib.stemmer_probe);
    assert_int_equal(ib.format_major, 1);
    assert_true(ib.options.alpha == 0.25 && ib.options.min_count == 2 && ib.options.char_ngram_max == 5);
    /* saving the loaded model gives the same bytes */
    size_t na, nb;
    unsigned char *a = serialize(m, &na), *b = serialize(l, &nb);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    free(a);
    free(b);
    vocal_model_free(l);
    vocal_model_free(m);
    env_close(&e);
}

static void test_model__model_files_do_not_depend_on_record_order(void **state)
{
    (void)state;
    env e;
    env_open(&e, "en");
    rec rev[N_FEEDBACK];
    for (size_t i = 0; i < N_FEEDBACK; i++) rev[i] = feedback[N_FEEDBACK - 1 - i];
    vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
    vocal_model *a = train(&e, &o, feedback, N_FEEDBACK), *b = train(&e, &o, rev, N_FEEDBACK);
    size_t na, nb;
    unsigned char *fa = serialize(a, &na), *fb = serialize(b, &nb);
    assert_int_equal(na, nb);
    assert_memory_equal(fa, fb, na);
    /* a different corpus has a different fingerprint */
    vocal_model *c = train(&e, &o, feedback, N_FEEDBACK - 1);
    vocal_model_info ia, ic;
    vocal_model_info_get(&ia, a);
    vocal_model_info_get(&ic, c);
    assert_true(ia.fingerprint != ic.fingerprint);
    free(fa);
    free(fb);
    vocal_model_free(a);
    vocal_model_free(b);
    vocal_model_free(c);
    env_close(&e);
}

static void test_model__merge_of_shards_equals_training_on_all_byte_for_byte(void **state)
{
    (void)state;
    env e;
    env_open(&e, "en");
    vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
    o.char_ngram_min = 2;
    o.char_ngram_max = 3;
    /* shard A lacks the staff class; B and C hold the rest */
    rec a[N_FEEDBACK], b[N_FEEDBACK], c[N_FEEDBACK];
    size_t na = 0, nb = 0, nc = 0;
    for (size_t i = 0; i < N_FEEDBACK; i++) {
        if (strcmp(feedback[i].label, "staff") && i % 2) a[na++] = feedback[i];
        else if (i % 3) b[nb++] = feedback[i];
        else c[nc++] = feedback[i];
    }
    vocal_model *ma = train(&e, &o, a, na), *mb = train(&e, &o, b, nb), *mc = train(&e, &o, c, nc);
    vocal_model *all = train(&e, &o, feedback, N_FEEDBACK);
    const vocal_model *shards[] = {ma, mb, mc};
    vocal_model *merged = NULL;
    vocal_error err;
    poison(&err);
    assert_int_equal(vocal_model_merge(&merged, shards, 3, &err), VOCAL_OK);
    /* through files, as `vocal model merge` will do */
    const char *pm = tmp_path("merged.model"), *pa = tmp_path("all.model");
    assert_int_equal(vocal_model_save(merged, pm, NULL), VOCAL_OK);
    assert_int_equal(vocal_model_save(all, pa, NULL), VOCAL_OK);
    size_t sm, sa;
    unsigned char *fm = read_all(pm, &sm), *fa = read_all(pa, &sa);
    assert_int_equal(sm, sa);
    assert_memory_equal(fm, fa, sm);
    free(fm);
    free(fa);
    /* merging one model copies it; merging in another order changes nothing */
    vocal_model *one = NULL, *rev = NULL;
    const vocal_model *r3[] = {mc, ma, mb};
    assert_int_equal(vocal_model_merge(&one, shards, 1, NULL), VOCAL_OK);
    assert_int_equal(vocal_model_merge(&rev, r3, 3, NULL), VOCAL_OK);
    size_t s1, s2, s3;
    unsigned char *f1 = serialize(one, &s1), *f2 = serialize(ma, &s2), *f3 = serialize(rev, &s3);
    assert_int_equal(s1, s2);
    assert_memory_equal(f1, f2, s1);
    assert_int_equal(s3, sa);
    free(f1);
    free(f2);
    free(f3);
    vocal_model_free(one);
    vocal_model_free(rev);
    vocal_model_free(merged);
    vocal_model_free(ma);
    vocal_model_free(mb);
    vocal_model_free(mc);
    vocal_model_free(all);
    env_close(&e);
}

static void test_model__merging_models_with_different_options_is_refused(void **state)
{
    (void)state;
    env e, de;
    env_open(&e, "en");
    env_open(&de, "de");
    vocal_train_options base = VOCAL_TRAIN_OPTIONS_INIT;
    vocal_model *m0 = train(&e, &base, feedback, 12);
    for (int k = 0; k < 6; k++) {
        vocal_train_options o = base;
        const char *want;
        env *ee = &e;
        switch (k) {
        case 0: o.ngram = 1; want = "'ngram'"; break;
        case 1: o.alpha = 0.25; want = "'alpha'"; break;
        case 2: o.variant = VOCAL_NB_MULTINOMIAL; want = "'variant'"; break;
        case 3: o.binary = 1; want = "'binary'"; break;
        case 4: o.use_stems = 0; want = "'features'"; break;
        default: ee = &de; want = "'language'"; break;
        }
        vocal_model *m1 = train(ee, &o, feedback + 12, 12);
        const vocal_model *two[] = {m0, m1};
        vocal_model *out = (vocal_model *)&e;
        vocal_error err;
        poison(&err);
        assert_int_equal(vocal_model_merge(&out, two, 2, &err), VOCAL_EINPUT);
        assert_null(out);
        if (!strstr(err.msg, want)) fail_msg("case %d: '%s' does not name %s", k, err.msg, want);
        assert_non_null(strstr(err.msg, "model 2"));
        vocal_model_free(m1);
    }
    vocal_model *out;
    assert_int_equal(vocal_model_merge(&out, NULL, 0, NULL), VOCAL_EINPUT);
    vocal_model_free(m0);
    env_close(&e);
    env_close(&de);
}

/* A model with lexicon features names the lexicon it read; models built on
 * different lexicons do not merge. */
static void test_model__lexicon_features_record_the_lexicon_fingerprint(void **state)
{
    (void)state;
    vocal_lexicon *lex[2];
    env e[2];
    vocal_model *m[2];
    vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
    o.use_lexicon = 1;
    for (int k = 0; k < 2; k++) {
        assert_int_equal(vocal_lexicon_new(&lex[k], "en", NULL), VOCAL_OK);
        assert_int_equal(vocal_lexicon_add(lex[k], VOCAL_LEX_VALENCE, "great", k ? 2.0 : 3.0, NULL), VOCAL_OK);
        assert_int_equal(vocal_lexicon_tokenizer_new(&e[k].tk, lex[k], NULL, NULL), VOCAL_OK);
        assert_int_equal(vocal_workspace_new(&e[k].ws, e[k].tk, NULL), VOCAL_OK);
        vocal_trainer *tr = NULL;
        assert_int_equal(vocal_trainer_new(&tr, e[k].tk, lex[k], &o, NULL), VOCAL_OK);
        for (size_t i = 0; i < 12; i++) {
            const char *labels[1] = {feedback[12 * k + i].label};
            const char *t = feedback[12 * k + i].text;
            assert_int_equal(vocal_trainer_add(tr, e[k].ws, t, strlen(t), labels, 1, NULL), VOCAL_OK);
        }
        assert_int_equal(vocal_trainer_finish(&m[k], tr, NULL), VOCAL_OK);
        vocal_trainer_free(tr);
        vocal_model_info info;
        vocal_model_info_get(&info, m[k]);
        assert_true(info.lexicon_fingerprint == vocal_lexicon_fingerprint(lex[k]));
    }
    const vocal_model *two[] = {m[0], m[1]};
    vocal_model *out = NULL;
    vocal_error err;
    poison(&err);
    assert_int_equal(vocal_model_merge(&out, two, 2, &err), VOCAL_EINPUT);
    assert_non_null(strstr(err.msg, "'lexicon_fingerprint'"));
    for (int k = 0; k < 2; k++) {
        vocal_model_free(m[k]);
        env_close(&e[k]);
        vocal_lexicon_free(lex[k]);
    }
}

static vocal_model *small_model(env *e, size_t *size, unsigned char **bytes)
{
    vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
    o.ngram = 1;
    static const rec r[] = {{"neg", "late and rude"}, {"pos", "fast and kind"}, {"neg", "broken box"}};
    vocal_model *m = train(e, &o, r, 3);
    if (bytes) *bytes = serialize(m, size);
    return m;
}

static void test_model__truncation_anywhere_is_refused_naming_the_damaged_part(void **state)
{
    (void)state;
    env e;
    env_open(&e, "en");
    size_t size;
    unsigned char *f;
    vocal_model *m = small_model(&e, &size, &f);
    region reg[16];
    size_t nreg = file_regions(f, size, reg, 16);
    assert_true(nreg >= 5); /* header, 4 sections, and the paddings between */
    for (size_t t = 0; t < size; t++) {
        vocal_model *l = (vocal_model *)&e;
        vocal_error err;
        int rc = load_bytes(&l, f, t, &err);
        if (rc != VOCAL_EFORMAT) fail_msg("truncated at %zu: rc %d (%s)", t, rc, err.msg);
        assert_null(l);
        assert_int_equal(err.code, VOCAL_EFORMAT);
        assert_int_equal(err.line, 0);
        /* the reported byte is at or before the cut, within the part it cut */
        const region *r = region_of(reg, nreg, t);
        if (!(err.byte <= t && r && err.byte >= r->start))
            fail_msg("truncated at %zu (in %s %llu..%llu): byte %llu: %s", t, r ? r->tag : "?",
                     (unsigned long long)(r ? r->start : 0), (unsigned long long)(r ? r->end : 0),
                     (unsigned long long)err.byte, err.msg);
    }
    /* a trailing byte is damage too */
    unsigned char *longer = calloc(1, size + 1);
    memcpy(longer, f, size);
    vocal_model *l;
    vocal_error err;
    assert_int_equal(load_bytes(&l, longer, size + 1, &err), VOCAL_EFORMAT);
    assert_int_equal(err.byte, size);
    free(longer);
    free(f);
    vocal_model_free(m);
    env_close(&e);
}

static void test_model__a_flipped_bit_anywhere_is_refused_naming_the_damaged_part(void **state)
{
    (void)state;
    env e;
    env_open(&e, "en");
    size_t size;
    unsigned char *f;
    vocal_model *m = small_model(&e, &size, &f);
    region reg[16];
    size_t nreg = file_regions(f, size, reg, 16);
    unsigned char *g = malloc(size);
    for (size_t i = 0; i < size; i++) {
        for (int bit = 0; bit < 8; bit++) {
            memcpy(g, f, size);
            g[i] ^= (unsigned char)(1u << bit);
            vocal_model *l = (vocal_model *)&e;
            vocal_error err;
            int rc = load_bytes(&l, g, size, &err);
            if (rc != VOCAL_EFORMAT) fail_msg("bit %d of byte %zu: rc %d (%s)", bit, i, rc, err.msg);
            assert_null(l);
            const region *r = region_of(reg, nreg, i);
            assert_non_null(r);
            if (!(err.byte >= r->start && err.byte < r->end))
                fail_msg("bit %d of byte %zu (in %s %llu..%llu): byte %llu: %s", bit, i, r->tag,
                         (unsigned long long)r->start, (unsigned long long)r->end,
                         (unsigned long long)err.byte, err.msg);
        }
    }
    free(g);
    free(f);
    vocal_model_free(m);
    env_close(&e);
}

static void test_model__foreign_files_are_refused(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        size_t n;
        uint64_t byte;
        const char *note;
    } cases[] = {
        {"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde", 33, 1, "a PNG"},
        {"label\ttext\npositive\tgreat service\n", 35, 0, "a text file"},
        {"#vocal-lexicon 1\ngood\t1.9\n", 26, 0, "a lexicon"},
        {"", 0, 0, "an empty file"},
        {"\x89VOC", 4, 4, "a truncated magic"},
        {"\x89VOCAL\n\n", 8, 6, "a magic mangled by a text-mode transfer"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vocal_model *m = (vocal_model *)cases;
        vocal_error err;
        int rc = load_bytes(&m, (const unsigned char *)cases[i].bytes, cases[i].n, &err);
        if (rc != VOCAL_EFORMAT) fail_msg("%s: rc %d", cases[i].note, rc);
        assert_null(m);
        if (err.byte != cases[i].byte)
            fail_msg("%s: byte %llu, not %llu (%s)", cases[i].note, (unsigned long long)err.byte,
                     (unsigned long long)cases[i].byte, err.msg);
    }
    /* through a path: the path is named; a directory or a missing file is an I/O error */
    vocal_model *m;
    vocal_error err;
    const char *p = tmp_path("foreign.txt");
    FILE *fp = fopen(p, "wb");
    fputs("hello\n", fp);
    fclose(fp);
    poison(&err);
    assert_int_equal(vocal_model_load(&m, p, &err), VOCAL_EFORMAT);
    assert_string_equal(err.path, p);
    assert_non_null(strstr(err.msg, "not a vocal model"));
    poison(&err);
    assert_int_equal(vocal_model_load(&m, tmp_path("missing.model"), &err), VOCAL_EIO);
    assert_null(m);
    poison(&err);
    assert_int_equal(vocal_model_load(&m, tmpdir, &err), VOCAL_EIO);
}

static void test_model__a_newer_major_or_unknown_required_flag_is_eversion(void **state)
{
    (void)state;
    env e;
    env_open(&e, "en");
    size_t size;
    unsigned char *f;
    vocal_model *m = small_model(&e, &size, &f);
    part parts[4];
    split_file(f, parts);
    size_t n;
    vocal_model *l;
    vocal_error err;
    unsigned char *g = build_file(parts, 4, 2, 0, 0, &n);
    assert_int_equal(load_bytes(&l, g, n, &err), VOCAL_EVERSION);
    assert_null(l);
    assert_int_equal(err.byte, 8);
    assert_non_null(strstr(err.msg, "newer"));
    free(g);
    g = build_file(parts, 4, 1, 0, 0x10, &n);
    assert_int_equal(load_bytes(&l, g, n, &err), VOCAL_EVERSION);
    assert_int_equal(err.byte, 12);
    free(g);
    /* a newer minor with an unknown section loads: the section is skipped */
    part more[5] = {parts[0], parts[1], {"XTRA", (const unsigned char *)"future data", 11}, parts[2], parts[3]};
    g = build_file(more, 5, 1, 7, 0, &n);
    assert_int_equal(load_bytes(&l, g, n, &err), VOCAL_OK);
    vocal_model_info info;
    vocal_model_info_get(&info, l);
    assert_int_equal(info.format_minor, 7);
    char *d1 = dump(m), *d2 = dump(l);
    assert_string_equal(strchr(d1, '\n') + 1 + strlen("format\t1.0\n"), strchr(d2, '\n') + 1 + strlen("format\t1.7\n"));
    free(d1);
    free(d2);
    vocal_model_free(l);
    free(g);
    /* major 0 never existed */
    g = build_file(parts, 4, 0, 0, 0, &n);
    assert_int_equal(load_bytes(&l, g, n, &err), VOCAL_EFORMAT);
    free(g);
    free(f);
    vocal_model_free(m);
    env_close(&e);
}

/* A section replaced by new bytes, checksums made valid again. */
static int load_with(const unsigned char *f, int which, const char *bytes, size_t nbytes,
                     vocal_error *err, uint64_t *sec_off)
{
    part parts[4];
    split_file(f, parts);
    parts[which].p = (const unsigned char *)bytes;
    parts[which].n = nbytes;
    size_t n;
    unsigned char *g = build_file(parts, 4, 1, 0, 0, &n);
    *sec_off = vocal__le64(g + 24 + 24 * which + 8);
    vocal_model *l;
    int rc = load_bytes(&l, g, n, err);
    vocal_model_free(l);
    free(g);
    return rc;
}

static void test_model__damage_behind_valid_checksums_is_refused(void **state)
{
    (void)state;
    env e;
    env_open(&e, "en");
    size_t size;
    unsigned char *f;
    vocal_model *m = small_model(&e, &size, &f);
    part parts[4];
    split_file(f, parts);
    /* META without a required key, with a bad value, with a duplicate */
    static const struct {
        int sec;
        const char *bytes;
        size_t n;
        uint64_t at; /* byte offset in the section of the reported damage */
        const char *note;
    } cases[] = {
        {0, "variant=complement\n", 19, 0, "META lacks keys"},
        {0, "variant=bayesian\n", 17, 8, "META bad variant"},
        {0, "ngram=2\nngram=2\n", 16, 8, "META duplicate key"},
        {0, "ngram=2", 7, 7, "META without a final newline"},
        {0, "ngram=2\nbad line\n", 17, 8, "META line without ="},
        {1, "\x02\0\0\0\0\0\0\0\x01\0\0\0\0\0\0\0\x01\0\0\0\0\0\0\0pos\0neg\0", 32, 28, "CLAS names out of order"},
        {1, "\x01\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0neg\0", 20, 8, "CLAS class without records"},
        {1, "\x01\0\0\0\0\0\0\0\x01\0\0\0\0\0\0\0n\tg\0", 20, 17, "CLAS control character"},
        {1, "\xff\0\0\0\0\0\0\0\x01\0\0\0\0\0\0\0neg\0", 20, 0, "CLAS impossible count"},
        {2, "\x02\0\0\0\0\0\0\0late\0box\0", 17, 13, "VOCB out of order"},
        {2, "\x02\0\0\0\0\0\0\0box\0box\0", 16, 12, "VOCB duplicate"},
        {2, "\x02\0\0\0\0\0\0\0\0box\0", 13, 8, "VOCB empty feature"},
        {2, "\x01\0\0\0\0\0\0\0b\xffx\0", 12, 9, "VOCB not UTF-8"},
        {3, "\0\0\0\0\0\0\0\0", 8, 0, "CNTS too short"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vocal_error err;
        uint64_t off;
        int rc = load_with(f, cases[i].sec, cases[i].bytes, cases[i].n, &err, &off);
        if (rc != VOCAL_EFORMAT) fail_msg("%s: rc %d", cases[i].note, rc);
        if (err.byte != off + cases[i].at)
            fail_msg("%s: byte %llu, not %llu + %llu (%s)", cases[i].note, (unsigned long long)err.byte,
                     (unsigned long long)off, (unsigned long long)cases[i].at, err.msg);
    }
    /* a missing section, a duplicated one */
    size_t n;
    vocal_model *l;
    vocal_error err;
    unsigned char *g = build_file(parts, 3, 1, 0, 0, &n);
    assert_int_equal(load_bytes(&l, g, n, &err), VOCAL_EFORMAT);
    assert_non_null(strstr(err.msg, "CNTS is missing"));
    free(g);
    part dup[5] = {parts[0], parts[1], parts[2], parts[3], parts[3]};
    g = build_file(dup, 5, 1, 0, 0, &n);
    assert_int_equal(load_bytes(&l, g, n, &err), VOCAL_EFORMAT);
    assert_non_null(strstr(err.msg, "twice"));
    assert_int_equal(err.byte, 24 + 24 * 4);
    free(g);
    /* a feature whose counts are all zero */
    unsigned char *cnts = malloc(parts[3].n);
    memcpy(cnts, parts[3].p, parts[3].n);
    memset(cnts, 0, 16); /* feature 0 of 2 classes */
    uint64_t off;
    assert_int_equal(load_with(f, 3, (const char *)cnts, parts[3].n, &err, &off), VOCAL_EFORMAT);
    assert_int_equal(err.byte, off);
    free(cnts);
    free(f);
    vocal_model_free(m);
    env_close(&e);
}

static void test_model__the_committed_model_files_give_their_exact_errors(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        int code;
        uint64_t byte;
    } cases[] = {
        {"y_small.model", VOCAL_OK, 0},
        {"n_truncated.model", VOCAL_EFORMAT, 472},
        {"n_bitflip_header.model", VOCAL_EFORMAT, 20},
        {"n_bitflip_cnts.model", VOCAL_EFORMAT, 520},
        {"n_foreign_png.model", VOCAL_EFORMAT, 1},
        {"n_newer_major.model", VOCAL_EVERSION, 8},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s%s", DATA, cases[i].file);
        vocal_model *m = NULL;
        vocal_error err;
        poison(&err);
        int rc = vocal_model_load(&m, path, &err);
        if (rc != cases[i].code) fail_msg("%s: rc %d (%s)", cases[i].file, rc, err.msg);
        if (rc == VOCAL_OK) {
            vocal_model_info info;
            vocal_model_info_get(&info, m);
            assert_int_equal(info.n_classes, 2);
            vocal_model_free(m);
            continue;
        }
        assert_string_equal(err.path, path);
        assert_int_equal(err.line, 0);
        if (err.byte != cases[i].byte)
            fail_msg("%s: byte %llu, not %llu (%s)", cases[i].file, (unsigned long long)err.byte,
                     (unsigned long long)cases[i].byte, err.msg);
    }
}

static void test_model__save_is_atomic_and_leaves_no_temporary_file(void **state)
{
    (void)state;
    env e;
    env_open(&e, "en");
    vocal_model *m = small_model(&e, NULL, NULL);
    char dir[300];
    snprintf(dir, sizeof dir, "%s", tmp_path("atomic"));
    mkdir(dir, 0777);
    char path[400];
    snprintf(path, sizeof path, "%s/m.model", dir);
    FILE *fp = fopen(path, "wb");
    fputs("old", fp);
    fclose(fp);
    assert_int_equal(vocal_model_save(m, path, NULL), VOCAL_OK);
    assert_int_equal(vocal_model_save(m, path, NULL), VOCAL_OK);
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;
    while ((de = readdir(d)))
        if (de->d_name[0] != '.') {
            n++;
            assert_string_equal(de->d_name, "m.model");
        }
    closedir(d);
    assert_int_equal(n, 1);
    vocal_model *l;
    assert_int_equal(vocal_model_load(&l, path, NULL), VOCAL_OK);
    vocal_model_free(l);
    vocal_error err;
    snprintf(path, sizeof path, "%s/no/such/dir/m.model", dir);
    poison(&err);
    assert_int_equal(vocal_model_save(m, path, &err), VOCAL_EIO);
    assert_string_equal(err.path, path);
    vocal_model_free(m);
    env_close(&e);
}

static void test_model__a_different_stemmer_is_detected(void **state)
{
    (void)state;
    env e, de, porter;
    env_open(&e, "en");
    env_open(&de, "de");
    env_open(&porter, "porter");
    vocal_model *m = small_model(&e, NULL, NULL);
    vocal_error err;
    poison(&err);
    assert_int_equal(vocal_model_check_tokenizer(m, e.tk, &err), VOCAL_OK);
    poison(&err);
    assert_int_equal(vocal_model_check_tokenizer(m, de.tk, &err), VOCAL_EINPUT);
    assert_non_null(strstr(err.msg, "stem"));
    poison(&err);
    assert_int_equal(vocal_model_check_tokenizer(m, porter.tk, &err), VOCAL_EINPUT);
    vocal_model_free(m);
    env_close(&e);
    env_close(&de);
    env_close(&porter);
}

/* MARK: allocation failure */

static void test_model__every_allocation_failure_in_train_save_and_load_is_reported(void **state)
{
    (void)state;
    env e;
    env_open(&e, "en");
    vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
    o.char_ngram_min = 3;
    o.char_ngram_max = 4;
    o.binary = 1;
    vocal_model *ref = train(&e, &o, feedback, N_FEEDBACK);
    size_t nref;
    unsigned char *fref = serialize(ref, &nref);
    const char *path = tmp_path("oom.model");
    int clean = 0;
    uint64_t k;
    for (k = 1; clean < 3 && k < 100000; k++) {
        vocal_trainer *tr = NULL;
        vocal_model *m = NULL, *l = NULL, *mm = NULL;
        vocal_error err;
        int rc;
        vocal_workspace *ws = NULL;
        vocal__alloc_fail_after(k);
        rc = vocal_workspace_new(&ws, e.tk, &err);
        if (rc == VOCAL_OK) rc = vocal_trainer_new(&tr, e.tk, NULL, &o, &err);
        for (size_t i = 0; rc == VOCAL_OK && i < N_FEEDBACK; i++) {
            const char *lab[] = {feedback[i].label};
            rc = vocal_trainer_add(tr, ws, feedback[i].text, strlen(feedback[i].text), lab, 1, &err);
        }
        if (rc == VOCAL_OK) rc = vocal_trainer_finish(&m, tr, &err);
        if (rc == VOCAL_OK) rc = vocal_model_save(m, path, &err);
        if (rc == VOCAL_OK) rc = vocal_model_load(&l, path, &err);
        if (rc == VOCAL_OK) {
            const vocal_model *two[] = {m, l};
            rc = vocal_model_merge(&mm, two, 2, &err);
        }
        vocal_classification r;
        vocal_classify_options co = VOCAL_CLASSIFY_OPTIONS_INIT;
        co.top_k = 2;
        if (rc == VOCAL_OK) rc = vocal_model_classify(&r, ws, l, NULL, "late parcel", 11, &co, &err);
        vocal__alloc_fail_after(0);
        if (rc != VOCAL_OK && rc != VOCAL_ENOMEM) fail_msg("k=%llu: rc %d (%s)", (unsigned long long)k, rc, err.msg);
        if (rc == VOCAL_ENOMEM) {
            assert_int_equal(err.code, VOCAL_ENOMEM);
            clean = 0;
        } else {
            clean++;
            size_t n;
            unsigned char *got = serialize(l, &n);
            assert_int_equal(n, nref);
            assert_memory_equal(got, fref, n);
            free(got);
        }
        vocal_model_free(mm);
        vocal_model_free(l);
        vocal_model_free(m);
        vocal_trainer_free(tr);
        vocal_workspace_free(ws);
    }
    assert_true(k > 100); /* the loop did reach the allocations */
    free(fref);
    vocal_model_free(ref);
    env_close(&e);
}

static void test_model__a_record_refused_for_memory_can_be_added_again(void **state)
{
    (void)state;
    env e;
    env_open(&e, "en");
    vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
    o.binary = 1;
    o.char_ngram_min = 3;
    o.char_ngram_max = 3;
    vocal_model *ref = train(&e, &o, feedback, N_FEEDBACK);
    size_t nref;
    unsigned char *fref = serialize(ref, &nref);
    /* fail the k-th allocation of each record in turn, then add it again */
    for (uint64_t k = 1; k < 12; k++) {
        vocal_trainer *tr;
        assert_int_equal(vocal_trainer_new(&tr, e.tk, NULL, &o, NULL), VOCAL_OK);
        for (size_t i = 0; i < N_FEEDBACK; i++) {
            const char *lab[] = {feedback[i].label};
            vocal__alloc_fail_after(k);
            int rc = vocal_trainer_add(tr, e.ws, feedback[i].text, strlen(feedback[i].text), lab, 1, NULL);
            vocal__alloc_fail_after(0);
            assert_true(rc == VOCAL_OK || rc == VOCAL_ENOMEM);
            if (rc == VOCAL_ENOMEM)
                assert_int_equal(vocal_trainer_add(tr, e.ws, feedback[i].text, strlen(feedback[i].text),
                                                   lab, 1, NULL), VOCAL_OK);
        }
        vocal_model *m;
        assert_int_equal(vocal_trainer_finish(&m, tr, NULL), VOCAL_OK);
        size_t n;
        unsigned char *got = serialize(m, &n);
        assert_int_equal(n, nref);
        assert_memory_equal(got, fref, n);
        free(got);
        vocal_model_free(m);
        vocal_trainer_free(tr);
    }
    free(fref);
    vocal_model_free(ref);
    env_close(&e);
}

/* MARK: evaluation */

static void test_model__confusion_metrics_match_a_hand_computed_example(void **state)
{
    (void)state;
    vocal_confusion *cm = NULL;
    vocal_error err;
    poison(&err);
    assert_int_equal(vocal_confusion_new(&cm, 3, &err), VOCAL_OK);
    /* truth 0: 3 right, 1 as class 1; truth 1: 2 right, 1 abstained;
     * truth 2: 1 as class 0. Class 2 is never predicted. */
    static const size_t pairs[][2] = {{0, 0}, {0, 0}, {0, 0}, {0, 1}, {1, 1}, {1, 1},
                                      {1, VOCAL_NO_CLASS}, {2, 0}};
    for (size_t i = 0; i < 8; i++) assert_int_equal(vocal_confusion_add(cm, pairs[i][0], pairs[i][1]), VOCAL_OK);
    assert_int_equal(vocal_confusion_add(cm, 3, 0), VOCAL_EINPUT);
    assert_int_equal(vocal_confusion_add(cm, 0, 3), VOCAL_EINPUT);
    assert_int_equal(vocal_confusion_get(cm, 0, 0), 3);
    assert_int_equal(vocal_confusion_get(cm, 1, VOCAL_NO_CLASS), 1);
    vocal_metrics mt;
    assert_int_equal(vocal_confusion_metrics(&mt, cm), VOCAL_OK);
    assert_int_equal(mt.total, 8);
    assert_int_equal(mt.correct, 5);
    assert_int_equal(mt.abstained, 1);
    assert_true(fabs(mt.accuracy - 5.0 / 8) < 1e-12);
    /* class 0: P 3/4, R 3/4, F1 3/4; class 1: P 2/3, R 2/3; class 2: 0 */
    assert_true(fabs(mt.per_class[0].f1 - 0.75) < 1e-12);
    assert_true(fabs(mt.per_class[1].precision - 2.0 / 3) < 1e-12);
    assert_true(fabs(mt.per_class[1].recall - 2.0 / 3) < 1e-12);
    assert_true(mt.per_class[2].f1 == 0 && mt.per_class[2].support == 1 && mt.per_class[2].predicted == 0);
    assert_true(fabs(mt.macro_f1 - (0.75 + 2.0 / 3 + 0) / 3) < 1e-12);
    assert_true(fabs(mt.weighted_f1 - (0.75 * 4 + 2.0 / 3 * 3) / 8) < 1e-12);
    vocal_confusion *cm2;
    assert_int_equal(vocal_confusion_new(&cm2, 3, NULL), VOCAL_OK);
    assert_int_equal(vocal_confusion_merge(cm2, cm), VOCAL_OK);
    assert_int_equal(vocal_confusion_merge(cm2, cm), VOCAL_OK);
    assert_int_equal(vocal_confusion_get(cm2, 0, 0), 6);
    vocal_confusion_free(cm2);
    assert_int_equal(vocal_confusion_new(&cm2, 0, &err), VOCAL_EINPUT);
    vocal_confusion_free(cm);
    vocal_confusion_free(NULL);
}

static void test_model__calibration_table_and_expected_calibration_error(void **state)
{
    (void)state;
    vocal_calibration cal;
    vocal_calibration_init(&cal, 10);
    assert_true(vocal_calibration_ece(&cal) == 0.0);
    /* bin 9: four at 0.95, three right; bin 5: two at 0.55, one right */
    for (int i = 0; i < 4; i++) vocal_calibration_add(&cal, 0.95, i < 3);
    vocal_calibration_add(&cal, 0.55, 1);
    vocal_calibration_add(&cal, 0.55, 0);
    vocal_calibration_add(&cal, NAN, 1); /* ignored */
    assert_int_equal(cal.count[9], 4);
    assert_int_equal(cal.correct[9], 3);
    assert_int_equal(cal.count[5], 2);
    double want = 4.0 / 6 * fabs(0.75 - 0.95) + 2.0 / 6 * fabs(0.5 - 0.55);
    assert_true(fabs(vocal_calibration_ece(&cal) - want) < 1e-12);
    vocal_calibration_add(&cal, 1.0, 1); /* 1.0 goes in the last bin */
    assert_int_equal(cal.count[9], 5);
    vocal_calibration_add(&cal, -3, 0); /* clamped into the first */
    assert_int_equal(cal.count[0], 1);
    vocal_calibration_init(&cal, 0);
    assert_int_equal(cal.n_bins, 10);
}

/* MARK: internals */

static void test_model__crc32c_matches_the_check_value(void **state)
{
    (void)state;
    assert_int_equal(vocal__crc32c(0, "123456789", 9), 0xE3069283u);
    assert_int_equal(vocal__crc32c(0, "", 0), 0);
    /* chained in pieces, at every alignment */
    static char buf[1000];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (char)(i * 31 + 7);
    uint32_t whole = vocal__crc32c(0, buf, sizeof buf);
    for (size_t cut = 0; cut < 40; cut++)
        assert_int_equal(vocal__crc32c(vocal__crc32c(0, buf, cut), buf + cut, sizeof buf - cut), whole);
    /* 32 zero bytes: RFC 3720 B.4 */
    static const char zeros[32];
    assert_int_equal(vocal__crc32c(0, zeros, 32), 0x8A9136AAu);
}

static void test_model__hex_floats_match_printf_and_round_trip(void **state)
{
    (void)state;
    static const double v[] = {1.0, 0.25, 3.0, -1.5, 0.1, 1e-300, 4.9406564584124654e-324,
                               2.2250738585072014e-308, 1e300, 0.0, -0.0, 123456.789};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char mine[VOCAL__HEXF_MAX], libc[64];
        vocal__fmt_hexf(mine, v[i]);
        snprintf(libc, sizeof libc, "%a", v[i]); /* the test runs in the C locale */
        assert_string_equal(mine, libc);
        double back;
        assert_int_equal(vocal__parse_hexf(mine, strlen(mine), &back), 0);
        assert_memory_equal(&back, &v[i], sizeof back);
    }
    double d;
    static const char *bad[] = {"", "0x", "1.0", "0x2p+0", "0x1.p+0", "0x1p", "0x1.8", "0x1p+9999", "0x1.00000000000000p+0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(vocal__parse_hexf(bad[i], strlen(bad[i]), &d), -1);
}

static void test_model__dump_is_deterministic_text(void **state)
{
    (void)state;
    env e;
    env_open(&e, "en");
    vocal_model *m = small_model(&e, NULL, NULL);
    char *d = dump(m);
    assert_memory_equal(d, "vocal-model-dump 1\nformat\t1.0\nmeta\tvocal_version=", 48);
    assert_non_null(strstr(d, "\nmeta\tvariant=complement\nmeta\talpha=0x1p-1\n"));
    assert_non_null(strstr(d, "\nclass\t0\tneg\tdocs=2 count=5 prior=0x0p+0\n"));
    assert_non_null(strstr(d, "\nf\tbox\t1 0\tw "));
    assert_non_null(strstr(d, "\nend\n"));
    char *d2 = dump(m);
    assert_string_equal(d, d2);
    free(d);
    free(d2);
    vocal_model_free(m);
    env_close(&e);
}

static int teardown_tmp(void **state)
{
    (void)state;
    if (tmpdir[0]) {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0) return -1;
    }
    return 0;
}

/* MARK: fixtures
 * `test_model --write-fixtures DATA_DIR SEED_DIR` writes the committed model
 * files (tests/data/model/, see its README) and the fuzz seeds
 * (tests/fuzz/corpus/model/). Rerun it after a format change, then update
 * the expected bytes above. */

static void write_file(const char *dir, const char *name, const unsigned char *p, size_t n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
    printf("%s: %zu bytes\n", path, n);
}

static uint64_t section_offset(const unsigned char *f, const char *tag)
{
    for (uint32_t i = 0; i < vocal__le32(f + 16); i++)
        if (!memcmp(f + 24 + 24 * i, tag, 4)) return vocal__le64(f + 24 + 24 * i + 8);
    return 0;
}

static int write_fixtures(const char *data, const char *seeds)
{
    env e;
    env_open(&e, "en");
    size_t n;
    unsigned char *f;
    vocal_model *m = small_model(&e, &n, &f);
    write_file(data, "y_small.model", f, n);
    unsigned char *g = malloc(n);
    uint64_t vocb = section_offset(f, "VOCB"), cnts = section_offset(f, "CNTS");
    write_file(data, "n_truncated.model", f, (size_t)vocb + 5);
    memcpy(g, f, n);
    g[10] ^= 0x01; /* format_minor */
    write_file(data, "n_bitflip_header.model", g, n);
    memcpy(g, f, n);
    g[cnts + 3] ^= 0x40;
    write_file(data, "n_bitflip_cnts.model", g, n);
    static const unsigned char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde";
    write_file(data, "n_foreign_png.model", png, sizeof png - 1);
    part parts[4];
    split_file(f, parts);
    size_t gn;
    unsigned char *h = build_file(parts, 4, 2, 0, 0, &gn);
    write_file(data, "n_newer_major.model", h, gn);
    free(h);
    free(g);
    free(f);
    vocal_model_free(m);
    /* fuzz seeds: small models with different options */
    static const rec tiny[] = {{"neg", "late parcel :("}, {"pos", "kind staff!"},
                               {"mid", "ok @shop see https://x.io 2 days"}, {"neg", "not good"}};
    for (int k = 0; k < 6; k++) {
        vocal_train_options o = VOCAL_TRAIN_OPTIONS_INIT;
        size_t nrec = 4;
        switch (k) {
        case 0: o.ngram = 1; nrec = 2; break;
        case 1: o.variant = VOCAL_NB_MULTINOMIAL; break;
        case 2: o.binary = 1; o.char_ngram_min = 2; o.char_ngram_max = 2; nrec = 2; break;
        case 3: o.uniform_priors = 1; o.variant = VOCAL_NB_MULTINOMIAL; o.alpha = 0.5; break;
        case 4: o.min_count = 2; o.ngram = 3; break;
        default: o.use_stems = 0; o.use_negation = 0; nrec = 1; break;
        }
        vocal_model *s = train(&e, &o, tiny, nrec);
        unsigned char *b = serialize(s, &n);
        char name[32];
        snprintf(name, sizeof name, "seed-%d.model", k);
        write_file(seeds, name, b, n);
        free(b);
        vocal_model_free(s);
    }
    env_close(&e);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "--write-fixtures")) return write_fixtures(argv[2], argv[3]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model__features_follow_the_spec),
        cmocka_unit_test(test_model__a_long_token_becomes_the_long_class_token),
        cmocka_unit_test(test_model__lexicon_features_bin_the_compound_and_mark_clauses),
        cmocka_unit_test(test_model__trains_on_feedback_and_classifies_new_sentences),
        cmocka_unit_test(test_model__complement_does_not_collapse_to_the_majority_class),
        cmocka_unit_test(test_model__a_200000_word_document_classifies_without_underflow),
        cmocka_unit_test(test_model__abstains_below_the_probability_threshold),
        cmocka_unit_test(test_model__top_features_for_a_class_include_the_obvious_words),
        cmocka_unit_test(test_model__classification_names_the_features_that_decided_it),
        cmocka_unit_test(test_model__a_record_with_several_labels_counts_for_each),
        cmocka_unit_test(test_model__binary_counts_a_feature_once_per_record),
        cmocka_unit_test(test_model__min_count_prunes_at_load_time_but_the_file_keeps_every_count),
        cmocka_unit_test(test_model__bad_options_and_records_are_refused_naming_the_problem),
        cmocka_unit_test(test_model__a_model_with_lexicon_features_needs_the_lexicon),
        cmocka_unit_test(test_model__classifying_a_lexicon_score_equals_classifying_the_text),
        cmocka_unit_test(test_model__two_models_on_one_workspace_classify_as_on_fresh_ones),
        cmocka_unit_test(test_model__classifying_allocates_nothing_once_the_workspace_is_warm),
        cmocka_unit_test(test_model__save_then_load_gives_identical_classification_and_dump),
        cmocka_unit_test(test_model__model_files_do_not_depend_on_record_order),
        cmocka_unit_test(test_model__merge_of_shards_equals_training_on_all_byte_for_byte),
        cmocka_unit_test(test_model__merging_models_with_different_options_is_refused),
        cmocka_unit_test(test_model__lexicon_features_record_the_lexicon_fingerprint),
        cmocka_unit_test(test_model__truncation_anywhere_is_refused_naming_the_damaged_part),
        cmocka_unit_test(test_model__a_flipped_bit_anywhere_is_refused_naming_the_damaged_part),
        cmocka_unit_test(test_model__foreign_files_are_refused),
        cmocka_unit_test(test_model__a_newer_major_or_unknown_required_flag_is_eversion),
        cmocka_unit_test(test_model__damage_behind_valid_checksums_is_refused),
        cmocka_unit_test(test_model__the_committed_model_files_give_their_exact_errors),
        cmocka_unit_test(test_model__save_is_atomic_and_leaves_no_temporary_file),
        cmocka_unit_test(test_model__a_different_stemmer_is_detected),
        cmocka_unit_test(test_model__every_allocation_failure_in_train_save_and_load_is_reported),
        cmocka_unit_test(test_model__a_record_refused_for_memory_can_be_added_again),
        cmocka_unit_test(test_model__confusion_metrics_match_a_hand_computed_example),
        cmocka_unit_test(test_model__calibration_table_and_expected_calibration_error),
        cmocka_unit_test(test_model__crc32c_matches_the_check_value),
        cmocka_unit_test(test_model__hex_floats_match_printf_and_round_trip),
        cmocka_unit_test(test_model__dump_is_deterministic_text),
    };
    return cmocka_run_group_tests(tests, NULL, teardown_tmp);
}
