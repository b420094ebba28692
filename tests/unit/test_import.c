/* The importers (include/vocal/import.h) on our own fixtures in
 * tests/data/import (invented content mirroring each real export's
 * structure): expected records per format, mojibake repair, HTML to text,
 * dates, HMAC-SHA-256 against RFC 4231, pseudonyms, dedupe, errors with
 * byte offsets and JSON paths, archives built here with libarchive, and
 * allocation failure at every step. */
#define _POSIX_C_SOURCE 200809L
#include <archive.h>
#include <archive_entry.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "import/import_int.h"
#include "vocal/import.h"

#define DATA VOCAL_SOURCE_DIR "/tests/data/import/"

static void poison(vocal_error *err)
{
    memset(err, 0xA5, sizeof *err);
}

static vocal_import_options opts_with_key(const char *key)
{
    vocal_import_options o = VOCAL_IMPORT_OPTIONS_INIT;
    o.author_key = key;
    o.author_key_len = strlen(key);
    return o;
}

/* MARK: every format on its fixture */

typedef struct fmt_case {
    const char *file;
    vocal_import_format from;  /* AUTO: detection is part of the case */
    vocal_import_format want;
    uint64_t read, imported, empty, reposts, duplicates, rejected;
    const char *first_text;    /* the first record's exact text */
    const char *first_created; /* its created_at, or NULL if absent */
    const char *first_id;
} fmt_case;

static const fmt_case fmt_cases[] = {
    {"tweets.js", VOCAL_IMPORT_AUTO, VOCAL_IMPORT_TWITTER, 4, 2, 0, 1, 1, 0,
     "Checkout was slow & the app froze twice https://shop.example.com/help", "2016-03-03T04:23:56Z", "1001"},
    {"your_posts_1.json", VOCAL_IMPORT_AUTO, VOCAL_IMPORT_FACEBOOK, 3, 2, 1, 0, 0, 0,
     "The caf\xC3\xA9 was lovely, staff were great \xF0\x9F\x98\x80", "2020-09-13T12:26:40Z", NULL},
    {"comments.json", VOCAL_IMPORT_AUTO, VOCAL_IMPORT_FACEBOOK, 1, 1, 0, 0, 0, 0, "D\xC3\xA9licieux, merci !",
     "2020-09-13T12:43:20Z", NULL},
    {"posts_1.json", VOCAL_IMPORT_AUTO, VOCAL_IMPORT_INSTAGRAM, 3, 2, 1, 0, 0, 0,
     "Brunch with friends \xE2\x98\x95 great coffee", "2022-04-15T05:20:00Z", NULL},
    {"post_comments_1.json", VOCAL_IMPORT_AUTO, VOCAL_IMPORT_INSTAGRAM, 2, 2, 0, 0, 0, 0,
     "Love it \xF0\x9F\x98\x8D", "2022-04-15T05:36:40Z", NULL},
    {"outbox.json", VOCAL_IMPORT_AUTO, VOCAL_IMPORT_MASTODON, 4, 2, 1, 1, 0, 0,
     "The new firmware fixed the battery drain & the lag.\n\nDetails: https://blog.example.net/fw\nThanks @devteam",
     "2023-01-02T03:04:05Z", NULL},
    {"reddit_listing.json", VOCAL_IMPORT_AUTO, VOCAL_IMPORT_REDDIT, 4, 3, 1, 0, 0, 0,
     "Is the new plan worth it?\n\nPrices went up & speeds did not.", "2021-05-03T00:00:00Z", "t3_abc"},
    {"reddit_dump.ndjson", VOCAL_IMPORT_AUTO, VOCAL_IMPORT_REDDIT, 3, 2, 0, 0, 0, 1, "Battery life is terrible",
     "2023-11-14T22:13:20Z", "t1_d1"},
    {"feed.rss", VOCAL_IMPORT_AUTO, VOCAL_IMPORT_RSS, 2, 2, 0, 0, 0, 0, "Sound is excellent.\nBattery & comfort: fine.",
     "2023-01-10T07:00:00Z", "https://reviews.example.com/r/1"},
    {"feed.atom", VOCAL_IMPORT_AUTO, VOCAL_IMPORT_ATOM, 2, 2, 0, 0, 0, 0,
     "Crashes every time I open it.\n\nAndroid 14\nv2.1", "2023-02-01T10:00:00Z", "urn:example:review:1"},
    {"appstore.json", VOCAL_IMPORT_AUTO, VOCAL_IMPORT_APPSTORE, 2, 2, 0, 0, 0, 0,
     "Ads after every level, uninstalling.", "2023-03-01T12:06:07Z", "9001"},
    {"reviews_reviews_com.example.app_202304.csv", VOCAL_IMPORT_AUTO, VOCAL_IMPORT_GOOGLEPLAY, 3, 2, 1, 0, 0, 0,
     "Login fails after the update, \"error 500\"", "2023-04-05T06:07:08Z", "https://play.example.com/review?id=gp1"},
    {"tweets.js", VOCAL_IMPORT_TWITTER, VOCAL_IMPORT_TWITTER, 4, 2, 0, 1, 1, 0,
     "Checkout was slow & the app froze twice https://shop.example.com/help", "2016-03-03T04:23:56Z", "1001"},
};

static void test_import__every_fixture_yields_the_expected_records_and_counts(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof fmt_cases / sizeof fmt_cases[0]; i++) {
        const fmt_case *c = &fmt_cases[i];
        vocal_import_options o = opts_with_key("k");
        o.format = c->from;
        vocal_importer *imp = NULL;
        vocal_error err;
        poison(&err);
        char path[512];
        snprintf(path, sizeof path, DATA "%s", c->file);
        int rc = vocal_importer_open(&imp, path, &o, &err);
        if (rc != VOCAL_OK) fail_msg("%s: %s", c->file, err.msg);
        const char *why;
        assert_int_equal(vocal_importer_format(imp, &why), c->want);
        if (c->from == VOCAL_IMPORT_AUTO) assert_true(why[0] != '\0');
        vocal_import_record r;
        int first = 1;
        while ((rc = vocal_importer_next(imp, &r, &err)) != 0) {
            if (rc == VOCAL_EINPUT) continue;
            assert_int_equal(rc, 1);
            assert_non_null(r.text);
            assert_int_equal(r.text_len, strlen(r.text));
            assert_string_equal(r.format, vocal_import_format_name(c->want));
            assert_non_null(r.id);
            if (first) {
                if (strcmp(r.text, c->first_text)) fail_msg("%s: text '%s'", c->file, r.text);
                if (c->first_created) assert_string_equal(r.created_at, c->first_created);
                if (c->first_id) assert_string_equal(r.id, c->first_id);
                first = 0;
            }
        }
        vocal_import_stats st;
        vocal_importer_stats(imp, &st);
        if (st.read != c->read || st.imported != c->imported || st.empty != c->empty || st.reposts != c->reposts ||
            st.duplicates != c->duplicates || st.rejected != c->rejected)
            fail_msg("%s: read %llu imported %llu empty %llu reposts %llu dup %llu rejected %llu", c->file,
                     (unsigned long long)st.read, (unsigned long long)st.imported, (unsigned long long)st.empty,
                     (unsigned long long)st.reposts, (unsigned long long)st.duplicates,
                     (unsigned long long)st.rejected);
        /* nothing is dropped silently */
        assert_int_equal(st.read, st.imported + st.empty + st.reposts + st.duplicates + st.rejected);
        vocal_importer_free(imp);
    }
}

static void test_import__x_archive_fields_and_reposts_on_request(void **state)
{
    (void)state;
    vocal_import_options o = opts_with_key("k");
    o.include_reposts = 1;
    vocal_importer *imp;
    vocal_error err;
    assert_int_equal(vocal_importer_open(&imp, DATA "tweets.js", &o, &err), VOCAL_OK);
    vocal_import_record r;
    assert_int_equal(vocal_importer_next(imp, &r, &err), 1);
    assert_int_equal(r.likes, 3);
    assert_int_equal(r.shares, 1);
    assert_true(r.replies == VOCAL_IMPORT_NONE);
    assert_int_equal(r.n_links, 1);
    assert_string_equal(r.links[0], "https://shop.example.com/help");
    assert_string_equal(r.url, "https://x.com/i/web/status/1001");
    assert_string_equal(r.channel, "x");
    assert_string_equal(r.lang, "en");
    assert_false(r.is_repost);
    assert_int_equal(vocal_importer_next(imp, &r, &err), 1);
    assert_true(r.is_repost);
    assert_string_equal(r.text, "RT @examplebrand: New store opening <today>");
    assert_int_equal(vocal_importer_next(imp, &r, &err), 1);
    assert_string_equal(r.reply_to, "999");
    assert_int_equal(vocal_importer_next(imp, &r, &err), 0);
    vocal_importer_free(imp);
}

static void test_import__html_pages_need_an_xpath_and_yield_one_record_per_element(void **state)
{
    (void)state;
    vocal_import_options o = VOCAL_IMPORT_OPTIONS_INIT;
    vocal_importer *imp;
    vocal_error err;
    o.format = VOCAL_IMPORT_HTML;
    poison(&err);
    assert_int_equal(vocal_importer_new(&imp, &o, &err), VOCAL_EINPUT);
    assert_null(imp);
    assert_non_null(strstr(err.msg, "xpath"));
    o.xpath = "//div[";
    assert_int_equal(vocal_importer_new(&imp, &o, &err), VOCAL_EINPUT);
    assert_non_null(strstr(err.msg, "invalid xpath"));
    o.xpath = "//div[@class='review']";
    o.keep_authors = 1;
    assert_int_equal(vocal_importer_open(&imp, DATA "reviews.html", &o, &err), VOCAL_OK);
    vocal_import_record r;
    assert_int_equal(vocal_importer_next(imp, &r, &err), 1);
    assert_string_equal(r.text, "Fast delivery\n\nArrived in two days\xC2\xA0\xE2\x80\x94 well packed.");
    assert_string_equal(r.lang, "en");
    assert_int_equal(vocal_importer_next(imp, &r, &err), 1);
    assert_string_equal(r.text, "Wrong size sent.\nExchange took three weeks.");
    assert_int_equal(r.n_links, 1);
    assert_int_equal(vocal_importer_next(imp, &r, &err), 0);
    vocal_importer_free(imp);
}

/* MARK: text tools */

static void test_import__mojibake_is_repaired_and_real_latin1_is_left_alone(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out, *note;
    } t[] = {
        {"caf\xC3\x83\xC2\xA9", "caf\xC3\xA9", "é escaped byte by byte"},
        {"\xC3\xB0\xC2\x9F\xC2\x98\xC2\x80", "\xF0\x9F\x98\x80", "an emoji's four bytes"},
        {"caf\xC3\xA9", "caf\xC3\xA9", "a genuine é (U+00E9) is not valid UTF-8 as a byte"},
        {"plain ascii", "plain ascii", "nothing to do"},
        {"\xE2\x82\xAC 5 \xC3\x83\xC2\xA9", "\xE2\x82\xAC 5 \xC3\x83\xC2\xA9", "a code point above U+00FF: not mojibake"},
    };
    vocal__buf b = {0};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        assert_int_equal(vocal__mojibake_repair(&b, t[i].in, strlen(t[i].in)), VOCAL_OK);
        if (b.len != strlen(t[i].out) || memcmp(b.p, t[i].out, b.len)) fail_msg("%s", t[i].note);
    }
    vocal__buf_free(&b);
}

static void test_import__html_becomes_clean_text_with_links_collected(void **state)
{
    (void)state;
    static const struct {
        const char *html, *text, *note;
        size_t links;
    } t[] = {
        {"<p>one</p><p>two</p>", "one\n\ntwo", "paragraphs leave a blank line", 0},
        {"a<br>b<br/><br>c", "a\nb\n\nc", "br is a line break", 0},
        {"<div>x</div><div>y</div>", "x\ny", "blocks are lines", 0},
        {"<script>bad()</script><style>p{}</style>ok", "ok", "script and style dropped", 0},
        {"fish &amp; chips &lt;3 &#x1F600;", "fish & chips <3 \xF0\x9F\x98\x80", "entities decoded", 0},
        {"see <a href=\"https://e.example/\">the page</a>", "see the page", "link text kept", 1},
        {"<a class=\"u-url mention\" href=\"https://s.example/@u\">@u</a>", "@u", "mentions are not links", 0},
        {"  lots   of\n\tspace  ", "lots of space", "whitespace collapsed", 0},
        {"", "", "empty", 0},
    };
    vocal__buf b = {0};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        vocal__irec r;
        memset(&r, 0, sizeof r);
        assert_int_equal(vocal__html_text(&b, &r, t[i].html, strlen(t[i].html)), VOCAL_OK);
        const char *s = b.p ? b.p : "";
        size_t n = b.len;
        vocal__trim(&s, &n);
        if (n != strlen(t[i].text) || memcmp(s, t[i].text, n)) fail_msg("%s: got '%.*s'", t[i].note, (int)n, s);
        assert_int_equal(r.n_links, t[i].links);
        vocal__irec_free(&r);
    }
    vocal__buf_free(&b);
}

static void test_import__dates_become_utc_iso_8601(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } t[] = {
        {"Thu Mar 03 04:23:56 +0000 2016", "2016-03-03T04:23:56Z"},
        {"Tue, 10 Jan 2023 08:00:00 +0100", "2023-01-10T07:00:00Z"},
        {"Wed, 1 Feb 2023 09:30:00 GMT", "2023-02-01T09:30:00Z"},
        {"2023-01-04T10:00:00+02:00", "2023-01-04T08:00:00Z"},
        {"2022-10-19T20:37:25.000Z", "2022-10-19T20:37:25Z"},
        {"2024-02-29", "2024-02-29T00:00:00Z"},
        {"1999-12-31T23:30:00-01:00", "2000-01-01T00:30:00Z"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char out[21];
        if (!vocal__date_parse(out, t[i].in)) fail_msg("refused %s", t[i].in);
        assert_string_equal(out, t[i].out);
    }
    char out[21];
    assert_false(vocal__date_parse(out, "yesterday"));
    assert_false(vocal__date_parse(out, "2023-13-01"));
    vocal__iso_from_epoch(out, 0);
    assert_string_equal(out, "1970-01-01T00:00:00Z");
    vocal__iso_from_epoch(out, 1600000000);
    assert_string_equal(out, "2020-09-13T12:26:40Z");
}

static void test_import__hmac_sha256_matches_rfc_4231(void **state)
{
    (void)state;
    /* RFC 4231 test cases 2 and 6 (a key longer than the block) */
    static const char *const want2 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    static const char *const want6 = "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54";
    uint8_t mac[32], key6[131];
    char hex[65];
    vocal__hmac_sha256(mac, "Jefe", 4, "what do ya want for nothing?", 28);
    for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", mac[i]);
    assert_string_equal(hex, want2);
    memset(key6, 0xaa, sizeof key6);
    const char *m6 = "Test Using Larger Than Block-Size Key - Hash Key First";
    vocal__hmac_sha256(mac, key6, sizeof key6, m6, strlen(m6));
    for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", mac[i]);
    assert_string_equal(hex, want6);
}

/* MARK: privacy */

/* The author of the first record of comments.json under these options. */
static void first_author(char *out, size_t cap, const vocal_import_options *o)
{
    vocal_importer *imp;
    vocal_error err;
    vocal_import_record r;
    assert_int_equal(vocal_importer_open(&imp, DATA "comments.json", o, &err), VOCAL_OK);
    assert_int_equal(vocal_importer_next(imp, &r, &err), 1);
    assert_non_null(r.author);
    snprintf(out, cap, "%s", r.author);
    vocal_importer_free(imp);
}

static void test_import__pseudonyms_are_stable_under_a_key_and_differ_across_keys(void **state)
{
    (void)state;
    char a1[64], a2[64], b[64], raw[64], rnd[64];
    vocal_import_options ka = opts_with_key("key-a"), kb = opts_with_key("key-b");
    first_author(a1, sizeof a1, &ka);
    first_author(a2, sizeof a2, &ka);
    first_author(b, sizeof b, &kb);
    assert_string_equal(a1, a2);
    assert_string_not_equal(a1, b);
    assert_int_equal(strlen(a1), 18);
    assert_memory_equal(a1, "u:", 2);
    vocal_import_options keep = VOCAL_IMPORT_OPTIONS_INIT;
    keep.keep_authors = 1;
    first_author(raw, sizeof raw, &keep);
    assert_string_equal(raw, "Zo\xC3\xA9 Example"); /* mojibake repaired in authors too */
    vocal_import_options none = VOCAL_IMPORT_OPTIONS_INIT;
    vocal_importer *imp;
    assert_int_equal(vocal_importer_new(&imp, &none, NULL), VOCAL_OK);
    assert_true(vocal_importer_random_key(imp));
    vocal_importer_free(imp);
    first_author(rnd, sizeof rnd, &none);
    assert_string_not_equal(rnd, raw);
}

static void test_import__mastodon_handles_in_addresses_become_the_authors_pseudonyms(void **state)
{
    (void)state;
    vocal_import_options o = opts_with_key("k");
    vocal_importer *imp;
    vocal_error err;
    vocal_import_record r;
    assert_int_equal(vocal_importer_open(&imp, DATA "outbox.json", &o, &err), VOCAL_OK);
    assert_int_equal(vocal_importer_next(imp, &r, &err), 1);
    char want[128];
    snprintf(want, sizeof want, "https://social.example/@%s/1", r.author);
    assert_string_equal(r.url, want);
    snprintf(want, sizeof want, "https://social.example/users/%s/statuses/1", r.author);
    assert_string_equal(r.id, want);
    assert_int_equal(vocal_importer_next(imp, &r, &err), 1);
    assert_null(strstr(r.reply_to, "bob"));
    assert_non_null(strstr(r.reply_to, "https://other.example/users/u:"));
    vocal_importer_free(imp);
    o.keep_authors = 1;
    assert_int_equal(vocal_importer_open(&imp, DATA "outbox.json", &o, &err), VOCAL_OK);
    assert_int_equal(vocal_importer_next(imp, &r, &err), 1);
    assert_string_equal(r.url, "https://social.example/@ann/1");
    assert_string_equal(r.author, "https://social.example/users/ann");
    vocal_importer_free(imp);
}

/* MARK: dedupe */

static void test_import__the_same_file_twice_is_all_duplicates(void **state)
{
    (void)state;
    vocal_import_options o = opts_with_key("k");
    vocal_importer *imp;
    vocal_error err;
    vocal_import_record r;
    assert_int_equal(vocal_importer_new(&imp, &o, &err), VOCAL_OK);
    for (int pass = 0; pass < 2; pass++) {
        assert_int_equal(vocal_importer_add(imp, DATA "your_posts_1.json", &err), VOCAL_OK);
        int n = 0;
        while (vocal_importer_next(imp, &r, &err) == 1) n++;
        assert_int_equal(n, pass == 0 ? 2 : 0);
    }
    vocal_import_stats st;
    vocal_importer_stats(imp, &st);
    assert_int_equal(st.duplicates, 2);
    assert_int_equal(st.imported, 2);
    vocal_importer_free(imp);
}

/* MARK: errors */

static char *write_temp(const char *content, size_t n)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/vocal-import-test-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, content, n), (ssize_t)n);
    close(fd);
    return path;
}

static void test_import__a_truncated_archive_file_names_the_byte(void **state)
{
    (void)state;
    vocal_import_options o = opts_with_key("k");
    vocal_importer *imp;
    vocal_error err;
    poison(&err);
    assert_int_equal(vocal_importer_open(&imp, DATA "n_truncated_tweets.js", &o, &err), VOCAL_EFORMAT);
    assert_null(imp);
    assert_int_equal(err.code, VOCAL_EFORMAT);
    assert_int_equal(err.byte, 300); /* the end of the 300-byte file */
    assert_non_null(strstr(err.path, "n_truncated_tweets.js"));
    assert_non_null(strstr(err.msg, "truncated"));
}

static void test_import__a_truncated_feed_keeps_the_items_before_the_damage(void **state)
{
    (void)state;
    vocal_import_options o = opts_with_key("k");
    vocal_importer *imp;
    vocal_error err;
    assert_int_equal(vocal_importer_new(&imp, &o, &err), VOCAL_OK);
    poison(&err);
    assert_int_equal(vocal_importer_add(imp, DATA "n_truncated.rss", &err), VOCAL_EFORMAT);
    assert_int_equal(err.line, 7);
    assert_int_equal(err.byte, 630);
    vocal_import_record r;
    assert_int_equal(vocal_importer_next(imp, &r, &err), 1);
    assert_string_equal(r.title, "Great headphones");
    vocal_importer_free(imp);
}

static void test_import__a_bad_dump_line_is_rejected_with_line_and_byte(void **state)
{
    (void)state;
    vocal_import_options o = opts_with_key("k");
    vocal_importer *imp;
    vocal_error err;
    vocal_import_record r;
    assert_int_equal(vocal_importer_open(&imp, DATA "reddit_dump.ndjson", &o, &err), VOCAL_OK);
    assert_int_equal(vocal_importer_next(imp, &r, &err), 1);
    poison(&err);
    assert_int_equal(vocal_importer_next(imp, &r, &err), VOCAL_EINPUT);
    assert_int_equal(err.line, 2);
    /* line 2 starts after line 1 and its LF; its JSON ends too soon, at the
     * end of the line (its trailing space trimmed) */
    FILE *f = fopen(DATA "reddit_dump.ndjson", "rb");
    char line1[512];
    assert_non_null(fgets(line1, sizeof line1, f));
    fclose(f);
    assert_int_equal(err.byte, strlen(line1) + strlen("{\"id\": \"d2\", \"body\": ") - 1);
    assert_null(r.text);
    assert_int_equal(vocal_importer_next(imp, &r, &err), 1); /* the rest still flows */
    assert_string_equal(r.id, "t3_d3");
    vocal_importer_free(imp);
}

static void test_import__a_dump_whose_first_line_is_broken_still_flows(void **state)
{
    (void)state;
    static const char nd[] = "{\"id\": \"x\", \"body\": \n"
                             "{\"id\":\"d1\",\"body\":\"Fine app\",\"created_utc\":1700000000}\n";
    char *path = write_temp(nd, sizeof nd - 1);
    vocal_import_options o = opts_with_key("k");
    vocal_importer *imp;
    vocal_error err;
    vocal_import_record r;
    assert_int_equal(vocal_importer_open(&imp, path, &o, &err), VOCAL_OK);
    assert_int_equal(vocal_importer_format(imp, NULL), VOCAL_IMPORT_REDDIT);
    poison(&err);
    assert_int_equal(vocal_importer_next(imp, &r, &err), VOCAL_EINPUT);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.byte, 19);
    assert_int_equal(vocal_importer_next(imp, &r, &err), 1);
    assert_string_equal(r.text, "Fine app");
    assert_int_equal(vocal_importer_next(imp, &r, &err), 0);
    vocal_importer_free(imp);
    unlink(path);
}

static void test_import__an_unreadable_item_is_rejected_with_its_json_path(void **state)
{
    (void)state;
    static const char js[] = "window.YTD.tweets.part0 = [ {\"tweet\": {\"id_str\": \"1\", \"full_text\": \"fine\"}},\n"
                             "  {\"tweet\": {\"id_str\": \"2\", \"full_text\": 42}}, {\"tweet\": {\"id_str\": \"3\", "
                             "\"full_text\": \"also fine\"}} ]";
    char *path = write_temp(js, sizeof js - 1);
    vocal_import_options o = opts_with_key("k");
    vocal_importer *imp;
    vocal_error err;
    vocal_import_record r;
    assert_int_equal(vocal_importer_open(&imp, path, &o, &err), VOCAL_OK);
    assert_int_equal(vocal_importer_next(imp, &r, &err), 1);
    poison(&err);
    assert_int_equal(vocal_importer_next(imp, &r, &err), VOCAL_EINPUT);
    assert_non_null(strstr(err.msg, "$[1].tweet.full_text"));
    assert_string_equal(err.path, path);
    assert_int_equal(vocal_importer_next(imp, &r, &err), 1);
    assert_string_equal(r.text, "also fine");
    vocal_importer_free(imp);
    unlink(path);
}

static void test_import__a_flipped_byte_is_reported_where_it_is(void **state)
{
    (void)state;
    FILE *f = fopen(DATA "tweets.js", "rb");
    assert_non_null(f);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    /* the ':' after the first "tweet" key becomes '#' */
    char *colon = strchr(strstr(buf, "\"tweet\""), ':');
    *colon = '#';
    char *path = write_temp(buf, n);
    vocal_import_options o = opts_with_key("k");
    vocal_importer *imp;
    vocal_error err;
    poison(&err);
    assert_int_equal(vocal_importer_open(&imp, path, &o, &err), VOCAL_EFORMAT);
    assert_int_equal(err.code, VOCAL_EFORMAT);
    assert_int_equal(err.byte, (uint64_t)(colon - buf));
    assert_int_equal(err.line, 0);
    assert_non_null(strstr(err.msg, "invalid JSON"));
    unlink(path);
}

static void test_import__facebook_titles_naming_the_account_are_dropped_with_pseudonyms(void **state)
{
    (void)state;
    vocal_import_options o = opts_with_key("k");
    vocal_importer *imp;
    vocal_error err;
    vocal_import_record r;
    assert_int_equal(vocal_importer_open(&imp, DATA "your_posts_1.json", &o, &err), VOCAL_OK);
    assert_int_equal(vocal_importer_next(imp, &r, &err), 1);
    assert_null(r.title);
    vocal_importer_free(imp);
    o.keep_authors = 1;
    assert_int_equal(vocal_importer_open(&imp, DATA "your_posts_1.json", &o, &err), VOCAL_OK);
    assert_int_equal(vocal_importer_next(imp, &r, &err), 1);
    assert_string_equal(r.title, "Zo\xC3\xA9 Example updated her status.");
    vocal_importer_free(imp);
}

static void test_import__the_wrong_format_and_unknown_structures_are_named(void **state)
{
    (void)state;
    vocal_import_options o = opts_with_key("k");
    vocal_importer *imp;
    vocal_error err;
    o.format = VOCAL_IMPORT_MASTODON;
    poison(&err);
    assert_int_equal(vocal_importer_open(&imp, DATA "tweets.js", &o, &err), VOCAL_EFORMAT);
    assert_non_null(strstr(err.msg, "not a mastodon export"));
    assert_non_null(strstr(err.msg, "orderedItems"));
    o.format = VOCAL_IMPORT_RSS;
    assert_int_equal(vocal_importer_open(&imp, DATA "feed.atom", &o, &err), VOCAL_EFORMAT);
    assert_non_null(strstr(err.msg, "root element is <feed>"));
    o.format = VOCAL_IMPORT_AUTO;
    assert_int_equal(vocal_importer_open(&imp, DATA "n_unknown.txt", &o, &err), VOCAL_EFORMAT);
    assert_non_null(strstr(err.msg, "unknown structure"));
    assert_int_equal(vocal_importer_open(&imp, DATA "reviews.html", &o, &err), VOCAL_EFORMAT);
    assert_non_null(strstr(err.msg, "--xpath"));
    assert_int_equal(vocal_importer_open(&imp, DATA "no-such-file.json", &o, &err), VOCAL_EIO);
    assert_int_equal(vocal_import_format_from_name("x"), VOCAL_IMPORT_TWITTER);
    assert_int_equal(vocal_import_format_from_name("GooglePlay"), VOCAL_IMPORT_GOOGLEPLAY);
    assert_int_equal(vocal_import_format_from_name("myspace"), VOCAL_IMPORT_UNKNOWN);
    assert_string_equal(vocal_import_format_name(VOCAL_IMPORT_ATOM), "atom");
}

/* MARK: archives */

static void add_member(struct archive *a, const char *name, const char *file)
{
    FILE *f = fopen(file, "rb");
    assert_non_null(f);
    char buf[8192];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, name);
    archive_entry_set_size(e, (la_int64_t)n);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
    assert_int_equal(archive_write_data(a, buf, n), (la_ssize_t)n);
    archive_entry_free(e);
}

static void build_archive(const char *path, int zip)
{
    struct archive *a = archive_write_new();
    if (zip) archive_write_set_format_zip(a);
    else {
        archive_write_set_format_pax_restricted(a);
        archive_write_add_filter_gzip(a);
    }
    assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
    add_member(a, "data/tweets.js", DATA "tweets.js");
    add_member(a, "data/manifest.js", DATA "n_unknown.txt"); /* not an export file: skipped */
    add_member(a, "your_activity_across_facebook/posts/your_posts_1.json", DATA "your_posts_1.json");
    archive_write_close(a);
    archive_write_free(a);
}

static void test_import__zip_and_tar_gz_exports_are_read_member_by_member(void **state)
{
    (void)state;
    /* per process: other builds of the suite may run at the same time */
    char names[2][64], bad[64];
    snprintf(names[0], sizeof names[0], "/tmp/vocal-import-test-%ld.zip", (long)getpid());
    snprintf(names[1], sizeof names[1], "/tmp/vocal-import-test-%ld.tar.gz", (long)getpid());
    snprintf(bad, sizeof bad, "/tmp/vocal-import-bad-%ld.zip", (long)getpid());
    for (int k = 0; k < 2; k++) {
        build_archive(names[k], k == 0);
        vocal_import_options o = opts_with_key("k");
        vocal_importer *imp;
        vocal_error err;
        vocal_import_record r;
        assert_int_equal(vocal_importer_open(&imp, names[k], &o, &err), VOCAL_OK);
        int x = 0, fb = 0;
        while (vocal_importer_next(imp, &r, &err) == 1) {
            if (!strcmp(r.format, "twitter")) {
                x++;
                assert_non_null(strstr(r.source, "!data/tweets.js"));
            } else if (!strcmp(r.format, "facebook")) {
                fb++;
                assert_non_null(strstr(r.source, "your_posts_1.json"));
            }
        }
        assert_int_equal(x, 2);
        assert_int_equal(fb, 2);
        vocal_importer_free(imp);
        unlink(names[k]);
    }
    /* a damaged archive names the file and a byte */
    FILE *f = fopen(bad, "wb");
    fwrite("PK\x03\x04garbage", 1, 11, f);
    fclose(f);
    vocal_import_options o = opts_with_key("k");
    vocal_importer *imp;
    vocal_error err;
    poison(&err);
    assert_int_equal(vocal_importer_open(&imp, bad, &o, &err), VOCAL_EFORMAT);
    assert_string_equal(err.path, bad);
    unlink(bad);
}

/* MARK: allocation failure */

static void test_import__allocation_failure_at_every_step_is_reported_cleanly(void **state)
{
    (void)state;
    static const char *const files[] = {"outbox.json", "feed.atom", "reviews_reviews_com.example.app_202304.csv",
                                        "reddit_listing.json", "reddit_dump.ndjson", "tweets.js",
                                        "your_posts_1.json", "comments.json", "posts_1.json",
                                        "post_comments_1.json", "feed.rss", "appstore.json"};
    for (size_t fi = 0; fi < sizeof files / sizeof files[0]; fi++) {
        char path[512];
        snprintf(path, sizeof path, DATA "%s", files[fi]);
        for (uint64_t n = 1;; n++) {
            vocal_import_options o = opts_with_key("k");
            vocal_importer *imp = NULL;
            vocal_error err;
            vocal__alloc_fail_after(n);
            int rc = vocal_importer_open(&imp, path, &o, &err);
            vocal_import_record r;
            /* rejected items (the dump's bad line) are part of a good run */
            if (rc == VOCAL_OK)
                while ((rc = vocal_importer_next(imp, &r, &err)) != 0 && rc != VOCAL_ENOMEM) {}
            vocal__alloc_fail_after(0);
            vocal_importer_free(imp);
            if (rc == VOCAL_OK) break;
            if (rc != VOCAL_ENOMEM) fail_msg("%s: step %llu gave %d: %s", files[fi], (unsigned long long)n, rc, err.msg);
            assert_true(n < 10000);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import__every_fixture_yields_the_expected_records_and_counts),
        cmocka_unit_test(test_import__x_archive_fields_and_reposts_on_request),
        cmocka_unit_test(test_import__html_pages_need_an_xpath_and_yield_one_record_per_element),
        cmocka_unit_test(test_import__mojibake_is_repaired_and_real_latin1_is_left_alone),
        cmocka_unit_test(test_import__html_becomes_clean_text_with_links_collected),
        cmocka_unit_test(test_import__dates_become_utc_iso_8601),
        cmocka_unit_test(test_import__hmac_sha256_matches_rfc_4231),
        cmocka_unit_test(test_import__pseudonyms_are_stable_under_a_key_and_differ_across_keys),
        cmocka_unit_test(test_import__mastodon_handles_in_addresses_become_the_authors_pseudonyms),
        cmocka_unit_test(test_import__the_same_file_twice_is_all_duplicates),
        cmocka_unit_test(test_import__a_truncated_archive_file_names_the_byte),
        cmocka_unit_test(test_import__a_truncated_feed_keeps_the_items_before_the_damage),
        cmocka_unit_test(test_import__a_bad_dump_line_is_rejected_with_line_and_byte),
        cmocka_unit_test(test_import__a_dump_whose_first_line_is_broken_still_flows),
        cmocka_unit_test(test_import__an_unreadable_item_is_rejected_with_its_json_path),
        cmocka_unit_test(test_import__a_flipped_byte_is_reported_where_it_is),
        cmocka_unit_test(test_import__facebook_titles_naming_the_account_are_dropped_with_pseudonyms),
        cmocka_unit_test(test_import__the_wrong_format_and_unknown_structures_are_named),
        cmocka_unit_test(test_import__zip_and_tar_gz_exports_are_read_member_by_member),
        cmocka_unit_test(test_import__allocation_failure_at_every_step_is_reported_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
