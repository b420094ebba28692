/* The report module (include/vocal/report.h, docs/report.md): figures of
 * tests/data/report/small.jsonl checked against values computed by hand (in
 * the comments), the period-change flag on records built here, masking,
 * the aggregate file (round trip, corruption, newer version), the shard
 * merge property (byte-identical reports), the SQLite store, the HTML
 * parsed as XML by libxml2, and allocation failure at every step. */
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
#include <libxml/parser.h>
#include <sqlite3.h>

#include "report/report_int.h"
#include "vocal/report.h"

#define DATA VOCAL_SOURCE_DIR "/tests/data/report/"

/* MARK: helpers */

/* Add every line of a file; shard k of n takes lines i with i % n == k (n 0: all). */
static vocal_agg *agg_of(const char *file, int k, int n)
{
    vocal_agg *a = NULL;
    assert_int_equal(vocal_agg_new(&a, NULL, NULL), VOCAL_OK);
    FILE *f = fopen(file, "r");
    assert_non_null(f);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int i = 0;
    while ((len = getline(&line, &cap, f)) > 0) {
        if (n == 0 || i % n == k) {
            vocal_error err;
            assert_int_equal(vocal_agg_add_json(a, line, (size_t)len, file, (uint64_t)i + 1, &err), VOCAL_OK);
        }
        i++;
    }
    free(line);
    fclose(f);
    return a;
}

static const rp_val *find(const rp_table *t, const char *k0, const char *k1, const char *colname)
{
    size_t c = 0;
    while (c < t->ncols && strcmp(t->cols[c], colname) != 0) c++;
    assert_true(c < t->ncols);
    for (size_t r = 0; r < t->nrows; r++) {
        const rp_val *a = vocal__cell(t, r, 0), *b = vocal__cell(t, r, 1);
        if (a->t == RC_STR && strcmp(a->s, k0) == 0 && (!k1 || (b->t == RC_STR && strcmp(b->s, k1) == 0)))
            return vocal__cell(t, r, c);
    }
    fail_msg("no row %s/%s in %s", k0, k1 ? k1 : "", t->name);
    return NULL;
}

static int64_t ival(const rp_table *t, const char *k0, const char *k1, const char *col)
{
    const rp_val *v = find(t, k0, k1, col);
    assert_int_equal(v->t, RC_INT);
    return v->i;
}

static double dval(const rp_table *t, const char *k0, const char *k1, const char *col)
{
    const rp_val *v = find(t, k0, k1, col);
    if (v->t == RC_INT) return (double)v->i;
    assert_int_equal(v->t, RC_NUM);
    return v->d;
}

static const char *sval(const rp_table *t, const char *k0, const char *k1, const char *col)
{
    const rp_val *v = find(t, k0, k1, col);
    return v->t == RC_STR ? v->s : "";
}

static char *render(const vocal_agg *a, vocal_report_format f)
{
    vocal_report_options o = VOCAL_REPORT_OPTIONS_INIT;
    o.format = f;
    char *out;
    size_t len;
    vocal_error err;
    assert_int_equal(vocal_report_render(&out, &len, a, &o, &err), VOCAL_OK);
    assert_int_equal(strlen(out), len);
    return out;
}

/* MARK: figures on the small fixture */

static void figures_of_the_small_fixture_match_hand_computation(void **state)
{
    (void)state;
    vocal_agg *a = agg_of(DATA "small.jsonl", 0, 0);
    rp_report r;
    vocal_report_options o = VOCAL_REPORT_OPTIONS_INIT;
    assert_int_equal(vocal__report_build(&r, a, &o, NULL), VOCAL_OK);
    const rp_table *s = &r.t[T_SUMMARY], *th = &r.t[T_THEMES], *b = &r.t[T_BREAKDOWN], *d = &r.t[T_DRIVERS];
    const rp_table *p = &r.t[T_PERIODS];
    assert_int_equal(ival(s, "records", NULL, "value"), 24);
    assert_string_equal(sval(s, "first_date", NULL, "value"), "2026-08-03");
    assert_string_equal(sval(s, "last_date", NULL, "value"), "2026-10-28");
    /* sentiment: 11 positive, 10 negative, 2 neutral, 1 mixed */
    assert_int_equal(ival(&r.t[T_SENTIMENT], "negative", NULL, "records"), 10);
    assert_true(fabs(dval(s, "negative_pct", NULL, "value") - 41.7) < 1e-9);
    /* NPS: 23 scores, P = 10, D = 9: NPS = 100/23 = 4.35;
     * var = (19/23 - (1/23)^2)/23 = 436/12167 = 0.035834, se = 18.93,
     * interval 4.35 -+ 37.10 = -32.76 .. 41.45 */
    assert_int_equal(ival(b, "all", "all", "promoters"), 10);
    assert_int_equal(ival(b, "all", "all", "passives"), 4);
    assert_int_equal(ival(b, "all", "all", "detractors"), 9);
    assert_true(fabs(r.nps - 100.0 / 23) < 1e-9);
    assert_true(fabs(r.nps_lo - (100.0 / 23 - 1.959963984540054 * 100 * sqrt(436.0 / 12167))) < 1e-9);
    assert_true(fabs(dval(s, "nps_low", NULL, "value") - -32.8) < 1e-9);
    assert_true(fabs(dval(s, "nps_high", NULL, "value") - 41.5) < 1e-9);
    /* Premium: 10 scores, P 7, D 2: NPS 50, var = (0.9 - 0.25)/10 = 0.065,
     * se 25.50, 50 +- 49.97 -> 0.0 .. 99.97, printed 100.0 */
    assert_true(fabs(dval(b, "segment", "Premium", "nps") - 50.0) < 1e-9);
    assert_true(fabs(dval(b, "segment", "Premium", "nps_low") - 0.0) < 1e-9);
    /* CSAT top-two-box (4 or 5 on 1-5): 14 of 23 = 60.9%; CES 78/23 = 3.39 */
    assert_true(fabs(dval(s, "csat_top2_pct", NULL, "value") - 60.9) < 1e-9);
    assert_true(fabs(dval(s, "ces_mean", NULL, "value") - 3.39) < 1e-9);
    assert_string_equal(sval(s, "csat_scale", NULL, "value"), "1-5");
    /* roll-up: delivery = fast (6) u late (5) u damaged (1), R07 in two: 11;
     * polarity: positive R01 R02 R07 R17 R23, negative R03 R07 R10 R11 R14 R19 */
    assert_int_equal(ival(th, "delivery", NULL, "mentions"), 11);
    assert_int_equal(ival(th, "delivery", NULL, "positive"), 5);
    assert_int_equal(ival(th, "delivery", NULL, "negative"), 6);
    assert_int_equal(ival(th, "delivery", NULL, "neutral"), 1);
    assert_int_equal(ival(th, "delivery.late", NULL, "mentions"), 5);
    assert_int_equal(ival(th, "service", NULL, "mentions"), 5); /* helpful 3 + long_hold 2 */
    /* drivers: late delivery's detractors R03 R10 R11 R14 R19 = 5 of 23
     * scores: impact 21.7; mean score with (3+4+1+0+6)/5 = 2.80, without
     * (156-14)/18 = 7.89 */
    assert_string_equal(vocal__cell(d, 0, 1)->s, "delivery.late");
    assert_true(fabs(vocal__cell(d, 0, 12)->d - 21.7) < 1e-9);
    assert_true(fabs(vocal__cell(d, 0, 8)->d - 2.80) < 1e-9);
    assert_true(fabs(vocal__cell(d, 0, 9)->d - 7.89) < 1e-9);
    /* periods: negative 3/8, 5/8, 2/8; Sep -> Oct: -37.5 points, z = -1.51:
     * within noise, so no flag */
    assert_true(fabs(dval(p, "2026-09", NULL, "negative_pct") - 62.5) < 1e-9);
    assert_true(fabs(dval(p, "2026-10", NULL, "negative_change") - -37.5) < 1e-9);
    assert_string_equal(sval(p, "2026-10", NULL, "negative_flag"), "");
    vocal__report_free(&r);
    vocal_agg_free(a);
}

static void add_line(vocal_agg *a, const char *date, int nps, const char *label)
{
    char line[512];
    int n = snprintf(line, sizeof line,
                     "{\"source\":\"t\",\"line\":1,\"date\":\"%s\",\"nps\":%d,\"text\":\"x\","
                     "\"sentiment\":{\"label\":\"%s\",\"score\":0,\"confidence\":1,\"lexicon\":0},"
                     "\"themes\":[],\"root_causes\":[]}",
                     date, nps, label);
    assert_int_equal(vocal_agg_add_json(a, line, (size_t)n, "t", 1, NULL), VOCAL_OK);
}

static void a_change_larger_than_noise_is_flagged(void **state)
{
    (void)state;
    vocal_agg *a;
    assert_int_equal(vocal_agg_new(&a, NULL, NULL), VOCAL_OK);
    /* September: 20 records, 2 negative detractors (nps 0), 18 promoters;
     * October: 20 records, 15 negative detractors, 5 promoters.
     * share 10% -> 75%: pooled p = 0.425, se = 0.1563, z = 4.16 > 1.96: up.
     * NPS 80 (se 13.42) -> -50 (se 19.36): |-130| > 1.96 * 23.56: down. */
    for (int i = 0; i < 20; i++) add_line(a, "2026-09-10", i < 2 ? 0 : 10, i < 2 ? "negative" : "positive");
    for (int i = 0; i < 20; i++) add_line(a, "2026-10-10", i < 15 ? 0 : 10, i < 15 ? "negative" : "positive");
    /* a week later, one more record: 75% -> 100% of 1 is noise */
    add_line(a, "2026-11-02", 0, "negative");
    rp_report r;
    vocal_report_options o = VOCAL_REPORT_OPTIONS_INIT;
    assert_int_equal(vocal__report_build(&r, a, &o, NULL), VOCAL_OK);
    const rp_table *p = &r.t[T_PERIODS];
    assert_string_equal(sval(p, "2026-10", NULL, "negative_flag"), "up");
    assert_string_equal(sval(p, "2026-10", NULL, "nps_flag"), "down");
    assert_true(fabs(dval(p, "2026-10", NULL, "nps_change") - -130.0) < 1e-9);
    assert_string_equal(sval(p, "2026-11", NULL, "negative_flag"), "");
    vocal__report_free(&r);
    /* ISO weeks: 2026-09-10 is in 2026-W37 */
    o.period = VOCAL_PERIOD_WEEK;
    assert_int_equal(vocal__report_build(&r, a, &o, NULL), VOCAL_OK);
    assert_int_equal(ival(&r.t[T_PERIODS], "2026-W37", NULL, "records"), 20);
    assert_int_equal(ival(&r.t[T_PERIODS], "2026-W45", NULL, "records"), 1);
    vocal__report_free(&r);
    vocal_agg_free(a);
}

static void iso_weeks_at_year_ends(void **state)
{
    (void)state;
    vocal_agg *a;
    assert_int_equal(vocal_agg_new(&a, NULL, NULL), VOCAL_OK);
    add_line(a, "2027-01-01", 5, "neutral"); /* a Friday: ISO 2026-W53 */
    add_line(a, "2024-12-30", 5, "neutral"); /* a Monday: ISO 2025-W01 */
    rp_report r;
    vocal_report_options o = VOCAL_REPORT_OPTIONS_INIT;
    o.period = VOCAL_PERIOD_WEEK;
    assert_int_equal(vocal__report_build(&r, a, &o, NULL), VOCAL_OK);
    assert_int_equal(ival(&r.t[T_PERIODS], "2026-W53", NULL, "records"), 1);
    assert_int_equal(ival(&r.t[T_PERIODS], "2025-W01", NULL, "records"), 1);
    vocal__report_free(&r);
    vocal_agg_free(a);
}

/* MARK: masking */

static void personal_data_is_masked(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"mail jo.smith@example.com now", "mail [email] now"},
        {"call 020 7946 0958.", "call [phone]."},
        {"ring +44 7700 900123 today", "ring [phone] today"},
        {"(555) 123-4567", "[phone]"},
        {"card 4111 1111 1111 1111 ok", "card [card] ok"},
        {"card 4111-1111-1111-1111", "card [card]"},
        {"4012888888881881", "[card]"},
        {"not a card 4111 1111 1111 1112", "not a card 4111 1111 1111 1112"}, /* Luhn fails, 16 digits */
        {"thanks @sam_cs!", "thanks @[handle]!"},
        {"@bob and @al", "@[handle] and @[handle]"},
        {"on 2026-10-03 at 10:30", "on 2026-10-03 at 10:30"},
        {"order 1234 costs 59.99", "order 1234 costs 59.99"},
        {"a@b is not an address", "a@b is not an address"},
        {"x@y.co", "[email]"},
        {"café @ noon", "café @ noon"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out;
        size_t len;
        assert_int_equal(vocal_mask_pii(&out, &len, cases[i][0], strlen(cases[i][0])), VOCAL_OK);
        if (strcmp(out, cases[i][1]) != 0) fail_msg("mask(\"%s\") = \"%s\", want \"%s\"", cases[i][0], out, cases[i][1]);
        assert_int_equal(len, strlen(out));
        free(out);
    }
}

/* MARK: the aggregate file */

static void aggregate_file_round_trips_and_refuses_corruption(void **state)
{
    (void)state;
    vocal_agg *a = agg_of(DATA "small.jsonl", 0, 0), *b = NULL;
    char *p, *q;
    size_t n, m;
    vocal_error err;
    assert_int_equal(vocal_agg_serialize(&p, &n, a, &err), VOCAL_OK);
    assert_true(vocal_agg_sniff(p, n));
    assert_int_equal(vocal_agg_load_buffer(&b, p, n, &err), VOCAL_OK);
    assert_int_equal(vocal_agg_serialize(&q, &m, b, &err), VOCAL_OK);
    assert_int_equal(n, m);
    assert_memory_equal(p, q, n);
    free(q);
    vocal_agg_free(b);
    /* one flipped byte in the body: checksum */
    char *c = malloc(n);
    memcpy(c, p, n);
    c[n / 2] ^= 1;
    assert_int_equal(vocal_agg_load_buffer(&b, c, n, &err), VOCAL_EFORMAT);
    assert_null(b);
    assert_non_null(strstr(err.msg, "checksum"));
    /* truncated */
    assert_int_equal(vocal_agg_load_buffer(&b, p, n - 10, &err), VOCAL_EFORMAT);
    /* foreign */
    assert_int_equal(vocal_agg_load_buffer(&b, "{\"a\":1}\n", 8, &err), VOCAL_EFORMAT);
    assert_int_equal(err.byte, 0);
    /* newer format */
    memcpy(c, p, n);
    c[strlen("#vocal-aggregate ")] = '9';
    assert_int_equal(vocal_agg_load_buffer(&b, c, n, &err), VOCAL_EVERSION);
    free(c);
    free(p);
    vocal_agg_free(a);
}

/* MARK: the merge property */

static void check_shards(const char *file, int nshards)
{
    vocal_agg *whole = agg_of(file, 0, 0), *merged;
    assert_int_equal(vocal_agg_new(&merged, NULL, NULL), VOCAL_OK);
    /* shards go through the file format, and merge in reverse order */
    for (int k = nshards - 1; k >= 0; k--) {
        vocal_agg *part = agg_of(file, k, nshards), *back;
        char *p;
        size_t n;
        assert_int_equal(vocal_agg_serialize(&p, &n, part, NULL), VOCAL_OK);
        assert_int_equal(vocal_agg_load_buffer(&back, p, n, NULL), VOCAL_OK);
        assert_int_equal(vocal_agg_merge(merged, back, NULL), VOCAL_OK);
        free(p);
        vocal_agg_free(back);
        vocal_agg_free(part);
    }
    for (int f = VOCAL_REPORT_HTML; f <= VOCAL_REPORT_CSV; f++) {
        char *x = render(whole, (vocal_report_format)f), *y = render(merged, (vocal_report_format)f);
        if (strcmp(x, y) != 0) fail_msg("%s: format %d differs after merging %d shards", file, f, nshards);
        free(x);
        free(y);
    }
    char *p, *q;
    size_t n, m;
    assert_int_equal(vocal_agg_serialize(&p, &n, whole, NULL), VOCAL_OK);
    assert_int_equal(vocal_agg_serialize(&q, &m, merged, NULL), VOCAL_OK);
    assert_int_equal(n, m);
    assert_memory_equal(p, q, n);
    free(p);
    free(q);
    vocal_agg_free(whole);
    vocal_agg_free(merged);
}

static void shards_merge_into_the_same_report(void **state)
{
    (void)state;
    check_shards(DATA "small.jsonl", 3);
    check_shards(DATA "big.jsonl", 3);
    check_shards(DATA "big.jsonl", 7);
}

static void merge_refuses_different_scales(void **state)
{
    (void)state;
    vocal_agg *a, *b;
    vocal_agg_options o = VOCAL_AGG_OPTIONS_INIT;
    o.csat_min = 0;
    o.csat_max = 10;
    assert_int_equal(vocal_agg_new(&a, NULL, NULL), VOCAL_OK);
    assert_int_equal(vocal_agg_new(&b, &o, NULL), VOCAL_OK);
    vocal_error err;
    assert_int_equal(vocal_agg_merge(a, b, &err), VOCAL_EINPUT);
    vocal_agg_free(a);
    vocal_agg_free(b);
}

/* MARK: bad records */

static void bad_records_are_rejected_and_counted(void **state)
{
    (void)state;
    vocal_agg *a;
    vocal_error err;
    assert_int_equal(vocal_agg_new(&a, NULL, NULL), VOCAL_OK);
    static const char *const bad[] = {
        "{\"text\":\"x\"", /* syntax */
        "[1,2]",
        "{\"text\":\"x\"}", /* no sentiment */
        "{\"text\":\"x\",\"sentiment\":{\"label\":\"great\"}}",
        "{\"text\":\"x\",\"nps\":11,\"sentiment\":{\"label\":\"neutral\"}}",
        "{\"text\":\"x\",\"date\":\"2026-02-30\",\"sentiment\":{\"label\":\"neutral\"}}",
        "{\"text\":\"x\",\"sentiment\":{\"label\":\"neutral\"},\"themes\":[{\"polarity\":\"negative\"}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&err, 0xA5, sizeof err);
        assert_int_equal(vocal_agg_add_json(a, bad[i], strlen(bad[i]), "f.jsonl", i + 1, &err), VOCAL_EINPUT);
        assert_string_equal(err.path, "f.jsonl");
        assert_int_equal(err.line, i + 1);
    }
    uint64_t n, rej;
    vocal_agg_stats(a, &n, &rej);
    assert_int_equal(n, 0);
    assert_int_equal(rej, sizeof bad / sizeof bad[0]);
    vocal_agg_free(a);
}

/* MARK: HTML */

static void html_is_well_formed_and_escaped(void **state)
{
    (void)state;
    vocal_agg *a = agg_of(DATA "small.jsonl", 0, 0);
    static const char evil[] =
        "{\"text\":\"<script>alert(1)</script> & \\u0001 \\\"q\\\"\",\"segment\":\"<b>VIP</b>\",\"nps\":0,"
        "\"sentiment\":{\"label\":\"negative\",\"score\":-1},\"themes\":[{\"id\":\"x.<y>\",\"parent\":\"x\","
        "\"label\":\"A & <B>\",\"polarity\":\"negative\",\"confidence\":1}]}";
    assert_int_equal(vocal_agg_add_json(a, evil, sizeof evil - 1, "e", 1, NULL), VOCAL_OK);
    char *html = render(a, VOCAL_REPORT_HTML);
    assert_null(strstr(html, "<script"));
    assert_non_null(strstr(html, "&lt;b&gt;VIP&lt;/b&gt;"));
    assert_non_null(strstr(html, "<!DOCTYPE html>"));
    xmlDocPtr doc = xmlReadMemory(html, (int)strlen(html), "report.html", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    assert_non_null(doc);
    xmlFreeDoc(doc);
    free(html);
    vocal_agg_free(a);
}

/* MARK: the SQLite store */

static const char schema[] =
    "PRAGMA user_version = 1;"
    "CREATE TABLE runs (run_id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL,"
    " vocal_version TEXT NOT NULL, command TEXT NOT NULL, model TEXT, taxonomy TEXT, records_read INTEGER NOT NULL DEFAULT 0,"
    " records_tagged INTEGER NOT NULL DEFAULT 0, records_rejected INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE records (run_id INTEGER NOT NULL, seq INTEGER NOT NULL, source TEXT NOT NULL, line INTEGER NOT NULL,"
    " id TEXT, date TEXT, nps INTEGER, csat REAL, ces REAL, segment TEXT, touchpoint TEXT, channel TEXT, fields TEXT,"
    " text TEXT NOT NULL, sentiment TEXT NOT NULL, score REAL NOT NULL, confidence REAL NOT NULL, lexicon REAL NOT NULL,"
    " PRIMARY KEY (run_id, seq));"
    "CREATE TABLE themes (run_id INTEGER NOT NULL, seq INTEGER NOT NULL, rank INTEGER NOT NULL, theme TEXT NOT NULL,"
    " parent TEXT NOT NULL, polarity TEXT NOT NULL, confidence REAL NOT NULL, source TEXT NOT NULL, evidence TEXT NOT NULL,"
    " root_cause INTEGER NOT NULL, PRIMARY KEY (run_id, seq, rank));"
    "CREATE TABLE rejects (run_id INTEGER NOT NULL, source TEXT NOT NULL, line INTEGER, byte INTEGER, reason TEXT NOT NULL);"
    "INSERT INTO runs VALUES (1,'2026-10-01T00:00:00Z','2026-10-01T00:01:00Z','complete','0.1.0','vocal classify',NULL,NULL,2,2,0);"
    "INSERT INTO runs VALUES (2,'2026-10-02T00:00:00Z',NULL,'running','0.1.0','vocal classify',NULL,NULL,0,0,0);"
    "INSERT INTO records VALUES (1,0,'a.csv',2,'A1','2026-10-01',10,5,1,'Premium','delivery','web',NULL,"
    " 'Fast!','positive',0.8,0.9,0.8);"
    "INSERT INTO records VALUES (1,1,'a.csv',3,'A2','2026-10-02',2,1,6,'Standard','delivery','web',NULL,"
    " 'Late, mail me at a@b.com','negative',-0.7,0.9,-0.7);"
    "INSERT INTO themes VALUES (1,1,0,'delivery.late','delivery','negative',0.9,'rules','[]',1);"
    "INSERT INTO records VALUES (2,0,'b.csv',2,'B1','2026-10-03',0,1,7,'Standard','delivery','web',NULL,"
    " 'Awful','negative',-0.9,0.9,-0.9);";

static void log_count(int level, const char *msg, void *payload)
{
    (void)level;
    assert_non_null(strstr(msg, "run 2"));
    (*(int *)payload)++;
}

static void the_store_is_read_by_complete_runs(void **state)
{
    (void)state;
    char path[] = "/tmp/vocal-test-report-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, schema, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    vocal_agg *a;
    vocal_error err;
    int skipped = 0;
    assert_int_equal(vocal_agg_new(&a, NULL, NULL), VOCAL_OK);
    assert_int_equal(vocal_agg_add_db(a, path, NULL, 0, log_count, &skipped, &err), VOCAL_OK);
    assert_int_equal(skipped, 1);
    uint64_t n;
    vocal_agg_stats(a, &n, NULL);
    assert_int_equal(n, 2);
    rp_report r;
    vocal_report_options o = VOCAL_REPORT_OPTIONS_INIT;
    assert_int_equal(vocal__report_build(&r, a, &o, NULL), VOCAL_OK);
    assert_int_equal(ival(&r.t[T_THEMES], "delivery", NULL, "mentions"), 1);
    assert_int_equal(ival(&r.t[T_BREAKDOWN], "all", "all", "detractors"), 1);
    assert_string_equal(sval(&r.t[T_VERBATIMS], "delivery.late", NULL, "text"), "Late, mail me at [email]");
    vocal__report_free(&r);
    /* a run named explicitly must be complete */
    int64_t run = 2;
    assert_int_equal(vocal_agg_add_db(a, path, &run, 1, NULL, NULL, &err), VOCAL_EINPUT);
    run = 9;
    assert_int_equal(vocal_agg_add_db(a, path, &run, 1, NULL, NULL, &err), VOCAL_EINPUT);
    vocal_agg_free(a);
    /* not a store */
    assert_int_equal(vocal_agg_new(&a, NULL, NULL), VOCAL_OK);
    assert_int_not_equal(vocal_agg_add_db(a, DATA "small.jsonl", NULL, 0, NULL, NULL, &err), VOCAL_OK);
    vocal_agg_free(a);
    unlink(path);
}

/* MARK: allocation failure */

static void every_allocation_failure_is_reported(void **state)
{
    (void)state;
    static const char rec[] =
        "{\"text\":\"late, call 020 7946 0958\",\"date\":\"2026-10-01\",\"nps\":3,\"segment\":\"S\","
        "\"sentiment\":{\"label\":\"negative\",\"score\":-0.5},\"themes\":[{\"id\":\"delivery.late\","
        "\"parent\":\"delivery\",\"label\":\"Late\",\"polarity\":\"negative\",\"confidence\":0.9}]}";
    int done = 0;
    for (uint64_t k = 1; k < 5000 && !done; k++) {
        vocal_agg *a = NULL;
        vocal__alloc_fail_after(k);
        int rc = vocal_agg_new(&a, NULL, NULL);
        if (rc == VOCAL_OK) rc = vocal_agg_add_json(a, rec, sizeof rec - 1, "f", 1, NULL);
        char *out = NULL;
        size_t len;
        vocal_report_options o = VOCAL_REPORT_OPTIONS_INIT;
        o.format = VOCAL_REPORT_MD;
        if (rc == VOCAL_OK) rc = vocal_report_render(&out, &len, a, &o, NULL);
        vocal__alloc_fail_after(0);
        if (rc == VOCAL_OK) done = 1;
        else assert_int_equal(rc, VOCAL_ENOMEM);
        free(out);
        vocal_agg_free(a);
    }
    assert_true(done);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(figures_of_the_small_fixture_match_hand_computation),
        cmocka_unit_test(a_change_larger_than_noise_is_flagged),
        cmocka_unit_test(iso_weeks_at_year_ends),
        cmocka_unit_test(personal_data_is_masked),
        cmocka_unit_test(aggregate_file_round_trips_and_refuses_corruption),
        cmocka_unit_test(shards_merge_into_the_same_report),
        cmocka_unit_test(merge_refuses_different_scales),
        cmocka_unit_test(bad_records_are_rejected_and_counted),
        cmocka_unit_test(html_is_well_formed_and_escaped),
        cmocka_unit_test(the_store_is_read_by_complete_runs),
        cmocka_unit_test(every_allocation_failure_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
