/* Reader options version 2 (include/vocal/io.h): --encoding conversion
 * through iconv (windows-1252, latin1, UTF-16 with and without a byte order
 * mark, bytes invalid in the encoding rejecting their record with the file
 * offset), UTF-8 checking, several text columns, kept fields, and a
 * version 1 options struct still accepted. Inputs are written at test time. */
#define _DEFAULT_SOURCE /* mkstemps */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "vocal/io.h"

typedef struct tmpfile_ {
    char path[64];
} tmpfile_;

static void write_tmp(tmpfile_ *t, const char *suffix, const void *data, size_t n)
{
    snprintf(t->path, sizeof t->path, "/tmp/vocal-test-XXXXXX%s", suffix);
    int fd = mkstemps(t->path, (int)strlen(suffix));
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    close(fd);
}

static vocal_reader *open_with(const tmpfile_ *t, const vocal_reader_options *o)
{
    vocal_reader *r = NULL;
    vocal_error err;
    memset(&err, 0xA5, sizeof err);
    int rc = vocal_reader_open(&r, t->path, o, &err);
    if (rc < 0) fail_msg("open: %s", err.msg);
    return r;
}

/* The next record must be this text. */
static void expect_text(vocal_reader *r, const char *text, uint64_t line)
{
    vocal_record rec;
    vocal_error err;
    memset(&err, 0xA5, sizeof err);
    int rc = vocal_reader_next(r, &rec, &err);
    if (rc != 1) fail_msg("expected \"%s\", got rc %d (%s)", text, rc, rc < 0 ? err.msg : "");
    if (rec.text_len != strlen(text) || memcmp(rec.text, text, rec.text_len) != 0)
        fail_msg("expected \"%s\", got \"%.*s\"", text, (int)rec.text_len, rec.text);
    assert_int_equal(rec.line, line);
}

static void expect_reject(vocal_reader *r, uint64_t line, uint64_t byte, const char *msg_part)
{
    vocal_record rec;
    vocal_error err;
    memset(&err, 0xA5, sizeof err);
    int rc = vocal_reader_next(r, &rec, &err);
    assert_int_equal(rc, VOCAL_EINPUT);
    assert_int_equal(err.line, line);
    assert_int_equal(err.byte, byte);
    if (!strstr(err.msg, msg_part)) fail_msg("message \"%s\" lacks \"%s\"", err.msg, msg_part);
}

static void expect_end(vocal_reader *r)
{
    vocal_record rec;
    assert_int_equal(vocal_reader_next(r, &rec, NULL), 0);
}

static void test_io_encoding__windows_1252_is_converted_and_an_undefined_byte_rejects_its_record(void **state)
{
    (void)state;
    /* 0xE9 é, 0x80 €, 0x93/0x94 curly quotes; 0x81 is undefined in windows-1252 */
    static const char data[] = "Caf\xe9 \x80 5\nbad \x81 here\n\x93quoted\x94\n";
    tmpfile_ t;
    write_tmp(&t, ".txt", data, sizeof data - 1);
    vocal_reader_options o = VOCAL_READER_OPTIONS_INIT;
    o.encoding = "windows-1252";
    vocal_reader *r = open_with(&t, &o);
    expect_text(r, "Caf\xc3\xa9 \xe2\x82\xac 5", 1);
    /* the file offset of the bad byte itself: "Café € 5\n" is 9 bytes, "bad " 4 */
    expect_reject(r, 2, 13, "byte 0x81 is not valid windows-1252");
    expect_text(r, "\xe2\x80\x9cquoted\xe2\x80\x9d", 3);
    expect_end(r);
    uint64_t nread, nrej;
    vocal_reader_stats(r, &nread, &nrej);
    assert_int_equal(nread, 2);
    assert_int_equal(nrej, 1);
    vocal_reader_free(r);
    unlink(t.path);
}

static void test_io_encoding__latin1_reads_every_byte(void **state)
{
    (void)state;
    static const char data[] = "text\n\xe0 la carte \xbd price\n";
    tmpfile_ t;
    write_tmp(&t, ".csv", data, sizeof data - 1);
    vocal_reader_options o = VOCAL_READER_OPTIONS_INIT;
    o.encoding = "latin1";
    o.label_field = NULL;
    vocal_reader *r = open_with(&t, &o);
    expect_text(r, "\xc3\xa0 la carte \xc2\xbd price", 2);
    expect_end(r);
    vocal_reader_free(r);
    unlink(t.path);
}

/* UTF-16LE of an ASCII string, with or without a byte order mark. */
static size_t utf16le(char *out, const char *s, int bom)
{
    size_t n = 0;
    if (bom) {
        out[n++] = (char)0xFF;
        out[n++] = (char)0xFE;
    }
    for (; *s; s++) {
        out[n++] = *s;
        out[n++] = 0;
    }
    return n;
}

static void test_io_encoding__utf16_is_found_by_its_byte_order_mark_even_in_utf8_mode(void **state)
{
    (void)state;
    char buf[256];
    size_t n = utf16le(buf, "text,id\r\n\"great, really\",1\r\nawful,2\r\n", 1);
    tmpfile_ t;
    write_tmp(&t, ".csv", buf, n);
    vocal_reader_options o = VOCAL_READER_OPTIONS_INIT;
    o.label_field = NULL;
    vocal_reader *r = open_with(&t, &o); /* no encoding given: the BOM says UTF-16 */
    expect_text(r, "great, really", 2);
    expect_text(r, "awful", 3);
    expect_end(r);
    vocal_reader_free(r);
    o.encoding = "utf-16";
    r = open_with(&t, &o);
    expect_text(r, "great, really", 2);
    vocal_reader_free(r);
    unlink(t.path);
}

static void test_io_encoding__utf16_without_a_mark_is_little_endian_and_a_lone_surrogate_is_rejected(void **state)
{
    (void)state;
    char buf[256];
    size_t n = utf16le(buf, "fine\nlone ", 0);
    buf[n++] = 0x00; /* U+D800, a lone high surrogate */
    buf[n++] = (char)0xD8;
    n += utf16le(buf + n, "\nlast\n", 0);
    tmpfile_ t;
    write_tmp(&t, ".txt", buf, n);
    vocal_reader_options o = VOCAL_READER_OPTIONS_INIT;
    o.encoding = "utf-16";
    vocal_reader *r = open_with(&t, &o);
    expect_text(r, "fine", 1);
    vocal_record rec;
    vocal_error err;
    assert_int_equal(vocal_reader_next(r, &rec, &err), VOCAL_EINPUT);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.msg, "not valid utf-16"));
    expect_text(r, "last", 3);
    expect_end(r);
    vocal_reader_free(r);
    unlink(t.path);
}

static void test_io_encoding__conversion_streams_across_buffer_boundaries(void **state)
{
    (void)state;
    /* 200,000 lines of 'é' x 3: far more than one 64 KiB buffer, and a
     * two-byte result lands on every boundary some time */
    size_t lines = 200000;
    char *data = malloc(lines * 4);
    assert_non_null(data);
    for (size_t i = 0; i < lines; i++) memcpy(data + i * 4, "\xe9\xe9\xe9\n", 4);
    tmpfile_ t;
    write_tmp(&t, ".txt", data, lines * 4);
    free(data);
    vocal_reader_options o = VOCAL_READER_OPTIONS_INIT;
    o.encoding = "latin1";
    vocal_reader *r = open_with(&t, &o);
    vocal_record rec;
    size_t got = 0;
    int rc;
    while ((rc = vocal_reader_next(r, &rec, NULL)) == 1) {
        if (rec.text_len != 6 || memcmp(rec.text, "\xc3\xa9\xc3\xa9\xc3\xa9", 6) != 0)
            fail_msg("record %zu: \"%.*s\"", got + 1, (int)rec.text_len, rec.text);
        got++;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(got, lines);
    assert_int_equal(vocal_reader_tell(r), lines * 4);
    vocal_reader_free(r);
    unlink(t.path);
}

static void test_io_encoding__an_unknown_encoding_fails_open(void **state)
{
    (void)state;
    tmpfile_ t;
    write_tmp(&t, ".txt", "x\n", 2);
    vocal_reader_options o = VOCAL_READER_OPTIONS_INIT;
    o.encoding = "no-such-encoding";
    vocal_reader *r = (vocal_reader *)&t;
    vocal_error err;
    assert_int_equal(vocal_reader_open(&r, t.path, &o, &err), VOCAL_EINPUT);
    assert_null(r);
    assert_non_null(strstr(err.msg, "unknown encoding"));
    unlink(t.path);
}

static void test_io_encoding__check_utf8_rejects_invalid_text_and_fields(void **state)
{
    (void)state;
    static const char data[] = "text,region\nok,North\nbad \xff,South\nfine,Sou\xc3th\nlast,East\n";
    tmpfile_ t;
    write_tmp(&t, ".csv", data, sizeof data - 1);
    vocal_reader_options o = VOCAL_READER_OPTIONS_INIT;
    o.label_field = NULL;
    o.check_utf8 = 1;
    o.keep_fields = 1;
    vocal_reader *r = open_with(&t, &o);
    expect_text(r, "ok", 2);
    expect_reject(r, 3, 21, "invalid UTF-8 in the text at its byte 4");
    expect_reject(r, 4, 33, "invalid UTF-8 in column \"region\"");
    expect_text(r, "last", 5);
    vocal_reader_free(r);
    /* off (the default): passed on for the tokenizer */
    o.check_utf8 = 0;
    r = open_with(&t, &o);
    expect_text(r, "ok", 2);
    expect_text(r, "bad \xff", 3);
    vocal_reader_free(r);
    unlink(t.path);
}

static void test_io_encoding__several_text_columns_join_their_non_blank_cells(void **state)
{
    (void)state;
    static const char data[] = "id,liked,improve\n1,Fast delivery,Cheaper please\n2,,Everything\n3,  ,\n";
    tmpfile_ t;
    write_tmp(&t, ".csv", data, sizeof data - 1);
    const char *cols[] = {"liked", "improve"};
    vocal_reader_options o = VOCAL_READER_OPTIONS_INIT;
    o.label_field = NULL;
    o.text_fields = cols;
    o.n_text_fields = 2;
    vocal_reader *r = open_with(&t, &o);
    expect_text(r, "Fast delivery\n\nCheaper please", 2);
    expect_text(r, "Everything", 3);
    expect_reject(r, 4, 62, "empty text in column \"liked\" and the other text columns");
    expect_end(r);
    vocal_reader_free(r);
    unlink(t.path);

    static const char js[] = "{\"a\":\"one\",\"b\":{\"c\":\"two\"}}\n{\"b\":{\"c\":\"only\"}}\n{\"a\":3}\n";
    write_tmp(&t, ".jsonl", js, sizeof js - 1);
    const char *paths[] = {"a", "b.c"};
    o.text_fields = paths;
    r = open_with(&t, &o);
    expect_text(r, "one\n\ntwo", 1);
    expect_text(r, "only", 2);
    expect_reject(r, 3, 47, "text field \"a\" holds an integer");
    vocal_reader_free(r);
    unlink(t.path);
}

static void test_io_encoding__kept_fields_give_every_column_by_name(void **state)
{
    (void)state;
    static const char data[] = "id;text;nps\nR1;\"Late; again\";3\n";
    tmpfile_ t;
    write_tmp(&t, ".csv", data, sizeof data - 1);
    vocal_reader_options o = VOCAL_READER_OPTIONS_INIT;
    o.label_field = NULL;
    o.keep_fields = 1;
    vocal_reader *r = open_with(&t, &o);
    expect_text(r, "Late; again", 2);
    const vocal_field *f;
    assert_int_equal(vocal_reader_fields(r, &f), 3);
    assert_string_equal(f[0].name, "id");
    assert_int_equal(f[0].len, 2);
    assert_memory_equal(f[0].value, "R1", 2);
    assert_string_equal(f[2].name, "nps");
    assert_memory_equal(f[2].value, "3", 1);
    vocal_reader_free(r);
    unlink(t.path);

    static const char js[] = "{\"text\":\"hi\",\"nps\":9,\"csat\":4.5,\"vip\":true,\"tags\":[1],\"x\":null}\n";
    write_tmp(&t, ".jsonl", js, sizeof js - 1);
    r = open_with(&t, &o);
    expect_text(r, "hi", 1);
    size_t n = vocal_reader_fields(r, &f);
    assert_int_equal(n, 4); /* text, nps, csat, vip: not the array, not null */
    assert_string_equal(f[1].name, "nps");
    assert_memory_equal(f[1].value, "9", 1);
    assert_string_equal(f[2].name, "csat");
    assert_int_equal(f[2].len, 3);
    assert_memory_equal(f[2].value, "4.5", 3);
    assert_memory_equal(f[3].value, "true", 4);
    vocal_reader_free(r);
    unlink(t.path);
}

static void test_io_encoding__lookup_finds_jsonl_paths_and_csv_columns(void **state)
{
    (void)state;
    static const char js[] = "{\"text\":\"hi\",\"meta\":{\"nps\":9,\"date\":\"2026-10-03\",\"w\":0.5,\"l\":[1]}}\n";
    tmpfile_ t;
    write_tmp(&t, ".jsonl", js, sizeof js - 1);
    vocal_reader_options o = VOCAL_READER_OPTIONS_INIT;
    o.label_field = NULL;
    vocal_reader *r = open_with(&t, &o);
    expect_text(r, "hi", 1);
    const char *s;
    size_t n;
    assert_int_equal(vocal_reader_lookup(r, "meta.nps", &s, &n), 1);
    assert_int_equal(n, 1);
    assert_memory_equal(s, "9", 1);
    assert_int_equal(vocal_reader_lookup(r, "meta.date", &s, &n), 1);
    assert_memory_equal(s, "2026-10-03", 10);
    assert_int_equal(vocal_reader_lookup(r, "meta.w", &s, &n), 1);
    assert_memory_equal(s, "0.5", 3);
    assert_int_equal(vocal_reader_lookup(r, "meta.l", &s, &n), 0); /* an array is not a scalar */
    assert_int_equal(vocal_reader_lookup(r, "meta.none", &s, &n), 0);
    vocal_reader_free(r);
    unlink(t.path);

    write_tmp(&t, ".csv", "text,Region\nhi,North\n", 21);
    o.keep_fields = 1;
    r = open_with(&t, &o);
    expect_text(r, "hi", 2);
    assert_int_equal(vocal_reader_lookup(r, "Region", &s, &n), 1);
    assert_memory_equal(s, "North", 5);
    assert_int_equal(vocal_reader_lookup(r, "region", &s, &n), 0); /* exact names */
    vocal_reader_free(r);
    unlink(t.path);
}

static void test_io_encoding__a_version_1_options_struct_is_still_read(void **state)
{
    (void)state;
    /* a caller compiled against version 1 passes the shorter struct */
    struct v1 {
        unsigned version;
        vocal_format format;
        const char *text_field, *label_field;
        char delimiter;
        int has_header;
        size_t max_record_bytes;
    } o1 = {1, VOCAL_FMT_AUTO, "text", NULL, 0, 1, 0};
    tmpfile_ t;
    write_tmp(&t, ".csv", "text\nhello\n", 11);
    vocal_reader *r = NULL;
    assert_int_equal(vocal_reader_open(&r, t.path, (const vocal_reader_options *)(const void *)&o1, NULL), VOCAL_OK);
    expect_text(r, "hello", 2);
    vocal_reader_free(r);
    unlink(t.path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_io_encoding__windows_1252_is_converted_and_an_undefined_byte_rejects_its_record),
        cmocka_unit_test(test_io_encoding__latin1_reads_every_byte),
        cmocka_unit_test(test_io_encoding__utf16_is_found_by_its_byte_order_mark_even_in_utf8_mode),
        cmocka_unit_test(test_io_encoding__utf16_without_a_mark_is_little_endian_and_a_lone_surrogate_is_rejected),
        cmocka_unit_test(test_io_encoding__conversion_streams_across_buffer_boundaries),
        cmocka_unit_test(test_io_encoding__an_unknown_encoding_fails_open),
        cmocka_unit_test(test_io_encoding__check_utf8_rejects_invalid_text_and_fields),
        cmocka_unit_test(test_io_encoding__several_text_columns_join_their_non_blank_cells),
        cmocka_unit_test(test_io_encoding__kept_fields_give_every_column_by_name),
        cmocka_unit_test(test_io_encoding__lookup_finds_jsonl_paths_and_csv_columns),
        cmocka_unit_test(test_io_encoding__a_version_1_options_struct_is_still_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
