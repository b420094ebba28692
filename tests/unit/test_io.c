/* The record readers (include/vocal/io.h): tables of CSV, TSV, fastText,
 * JSONL and lines fixtures (tests/data/io: y_ must read, n_ must reject
 * exactly where stated, i_ our documented choice), format detection, option
 * and column errors, oversized records generated at test time, standard
 * input, and allocation failure at every step of open + read-all. */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
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
#include "vocal/io.h"

#define DATA VOCAL_SOURCE_DIR "/tests/data/io/"

/* MARK: helpers */

static void poison(vocal_error *err)
{
    memset(err, 0xA5, sizeof *err);
}

/* One expected outcome of vocal_reader_next. */
typedef struct expect {
    int rc;             /* 1 (a record) or VOCAL_EINPUT; 0 ends the list */
    uint64_t line, byte;
    const char *text;   /* rc 1: the exact text; EINPUT: a substring of err.msg */
    size_t len;         /* rc 1: text length when it holds NUL; 0 = strlen(text) */
    const char *labels; /* rc 1: labels joined with '|'; NULL = none */
} expect;

#define MAX_EXPECT 8

typedef struct io_case {
    const char *file;
    vocal_format format;     /* AUTO unless the case is about a format option */
    const char *text_field;  /* NULL: the default */
    const char *label_field; /* NULL: the default "label" */
    int unlabelled;          /* 1: label_field = NULL */
    int no_header;
    char delimiter;
    expect out[MAX_EXPECT];
    const char *note;
} io_case;

static vocal_reader_options case_options(const io_case *c)
{
    vocal_reader_options o = VOCAL_READER_OPTIONS_INIT;
    o.format = c->format;
    if (c->text_field) o.text_field = c->text_field;
    if (c->label_field) o.label_field = c->label_field;
    if (c->unlabelled) o.label_field = NULL;
    if (c->no_header) o.has_header = 0;
    o.delimiter = c->delimiter;
    return o;
}

static void join_labels(char *dst, size_t cap, const vocal_record *rec)
{
    size_t k = 0;
    dst[0] = '\0';
    for (size_t i = 0; i < rec->n_labels; i++) {
        int w = snprintf(dst + k, cap - k, "%s%s", i ? "|" : "", rec->labels[i]);
        assert_true(w > 0 && (size_t)w < cap - k);
        k += (size_t)w;
    }
}

static void check_case(const io_case *c)
{
    char path[1024];
    snprintf(path, sizeof path, "%s%s", DATA, c->file);
    vocal_reader_options o = case_options(c);
    vocal_reader *r = (vocal_reader *)(uintptr_t)0x1;
    vocal_error err;
    poison(&err);
    int rc = vocal_reader_open(&r, path, &o, &err);
    if (rc != VOCAL_OK) fail_msg("%s (%s): open: %d %s", c->file, c->note, rc, err.msg);
    uint64_t want_read = 0, want_rejected = 0;
    for (size_t i = 0;; i++) {
        const expect *e = &c->out[i];
        vocal_record rec;
        memset(&rec, 0xA5, sizeof rec);
        poison(&err);
        rc = vocal_reader_next(r, &rec, &err);
        if (rc != e->rc)
            fail_msg("%s (%s): outcome %zu: rc %d, expected %d (line %llu: %s)", c->file, c->note, i, rc, e->rc,
                     (unsigned long long)err.line, rc < 0 ? err.msg : "");
        if (e->rc == 0) break;
        if (e->rc == 1) {
            want_read++;
            size_t len = e->len ? e->len : strlen(e->text);
            if (rec.text_len != len || memcmp(rec.text, e->text, len) != 0)
                fail_msg("%s (%s): outcome %zu: text \"%.*s\", expected \"%s\"", c->file, c->note, i,
                         (int)rec.text_len, rec.text, e->text);
            assert_int_equal(rec.line, e->line);
            assert_int_equal(rec.byte, e->byte);
            char labels[256];
            join_labels(labels, sizeof labels, &rec);
            assert_string_equal(labels, e->labels ? e->labels : "");
            if (!e->labels) assert_null(rec.labels);
        } else {
            want_rejected++;
            assert_int_equal(err.code, e->rc);
            if (err.line != e->line || err.byte != e->byte)
                fail_msg("%s (%s): outcome %zu: rejected at line %llu byte %llu, expected %llu/%llu: %s", c->file,
                         c->note, i, (unsigned long long)err.line, (unsigned long long)err.byte,
                         (unsigned long long)e->line, (unsigned long long)e->byte, err.msg);
            if (!strstr(err.msg, e->text))
                fail_msg("%s (%s): message \"%s\" lacks \"%s\"", c->file, c->note, err.msg, e->text);
            assert_string_equal(err.path, path);
            assert_null(rec.text);
            assert_int_equal(rec.n_labels, 0);
        }
    }
    /* the end stays the end */
    vocal_record rec;
    assert_int_equal(vocal_reader_next(r, &rec, NULL), 0);
    uint64_t nread = 7, nrejected = 7;
    vocal_reader_stats(r, &nread, &nrejected);
    assert_int_equal(nread, want_read);
    assert_int_equal(nrejected, want_rejected);
    vocal_reader_free(r);
}

static void run_table(const io_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) check_case(&cases[i]);
}

#define REC(l, b, t, lab) {1, l, b, t, 0, lab}
#define REJ(l, b, m) {VOCAL_EINPUT, l, b, m, 0, NULL}
#define END {0, 0, 0, NULL, 0, NULL}

static int open_err(const char *file, const vocal_reader_options *o, vocal_error *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s%s", DATA, file);
    vocal_reader *r = (vocal_reader *)(uintptr_t)0x1;
    poison(err);
    int rc = vocal_reader_open(&r, path, o, err);
    if (rc == VOCAL_OK) {
        vocal_reader_free(r);
    } else {
        assert_null(r);
        assert_int_equal(err->code, rc);
        assert_non_null(memchr(err->msg, '\0', sizeof err->msg));
    }
    return rc;
}

/* A temporary file named `name` (its extension picks the format) holding
 * what `write` puts in it; remove it with temp_remove. */
static void temp_file(char *path, size_t cap, const char *name, void (*write)(FILE *f))
{
    char dir[] = "/tmp/vocal-test-io-XXXXXX";
    assert_non_null(mkdtemp(dir));
    snprintf(path, cap, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    write(f);
    assert_int_equal(fclose(f), 0);
}

static void temp_remove(char *path)
{
    assert_int_equal(unlink(path), 0);
    *strrchr(path, '/') = '\0';
    assert_int_equal(rmdir(path), 0);
}

/* MARK: CSV */

static const io_case csv_cases[] = {
    {"y_quoted_newline.csv", 0, NULL, NULL, 0, 0, 0,
     {REC(2, 14, "line one\nline two", "pos"), REC(4, 40, "plain", "neg"), END},
     "a quoted newline stays in the text and the next row's line counts it"},
    {"y_quoted_newline.csv", 0, "2", "3", 0, 0, 0,
     {REC(2, 14, "line one\nline two", "pos"), REC(4, 40, "plain", "neg"), END},
     "columns by 1-based index"},
    {"y_doubled_quotes.csv", 0, NULL, NULL, 0, 0, 0,
     {REC(2, 14, "she said \"wow\", twice", "pos"), REC(3, 46, "\"quoted\" start", "neg"), END},
     "doubled quotes are one quote"},
    {"y_bom_crlf.csv", 0, NULL, NULL, 0, 0, 0,
     {REC(2, 18, "multi\r\nline", "pos"), REC(4, 39, "second", "neg"), END},
     "a BOM is skipped but counted in offsets; CRLF ends rows, a quoted CRLF is kept"},
    {"y_semicolon.csv", 0, "Why?", "Score", 0, 0, 0,
     {REC(2, 22, "Great, fast; friendly", "9"), REC(3, 50, "Slow delivery", "3"), END},
     "semicolons are sniffed from the header"},
    {"y_semicolon.csv", 0, "why?", "SCORE", 0, 0, 0,
     {REC(2, 22, "Great, fast; friendly", "9"), REC(3, 50, "Slow delivery", "3"), END},
     "a column name matches ASCII-case-insensitively when nothing matches exactly"},
    {"y_semicolon.csv", 0, "Why?", NULL, 1, 0, 0,
     {REC(2, 22, "Great, fast; friendly", NULL), REC(3, 50, "Slow delivery", NULL), END},
     "no label column: unlabelled records"},
    {"y_tab.csv", 0, NULL, NULL, 0, 0, 0,
     {REC(2, 14, "good value, really", "pos"), REC(3, 39, "tab\tinside", "neg"), END},
     "TAB is sniffed from the header"},
    {"y_empty_fields.csv", 0, NULL, NULL, 0, 0, 0,
     {REC(2, 20, "fine", "pos"), REC(3, 31, "also fine", "neg"), END},
     "empty fields in other columns are fine"},
    {"y_no_final_newline.csv", 0, NULL, NULL, 0, 0, 0, {REC(2, 11, "last one", "pos"), END},
     "the last row needs no line end"},
    {"y_blank_lines.csv", 0, NULL, NULL, 0, 0, 0, {REC(4, 15, "first", "pos"), REC(7, 28, "second", "neg"), END},
     "blank lines are skipped and not counted"},
    {"y_cr_only.csv", 0, NULL, NULL, 0, 0, 0, {REC(2, 11, "one", "pos"), REC(3, 19, "two", "neg"), END},
     "a lone CR ends a row and a line"},
    {"y_invalid_utf8.csv", 0, NULL, NULL, 0, 0, 0, {REC(2, 11, "caf\xe9 au lait", "pos"), END},
     "invalid UTF-8 passes through for the tokenizer"},
    {"i_stray_quote.csv", 0, NULL, NULL, 0, 0, 0, {REC(2, 11, "the 5\" screen", "pos"), END},
     "a quote inside an unquoted field is data (libcsv non-strict)"},
    {"y_headerless.csv", 0, "3", "2", 0, 1, 0,
     {REC(1, 0, "first text", "pos"), REC(2, 17, "second text", "neg"), END}, "no header: columns by index"},
    {"n_ragged.csv", 0, NULL, NULL, 0, 0, 0,
     {REC(2, 14, "ok", "pos"), REJ(3, 23, "row has 2 columns, the header has 3"),
      REC(4, 31, "after the ragged row", "neg"), END},
     "a ragged row is rejected and reading goes on"},
    {"n_extra_columns.csv", 0, NULL, NULL, 0, 0, 0,
     {REJ(2, 14, "row has 4 columns, the header has 3"), REC(3, 32, "ok", "neg"), END},
     "an unquoted delimiter in the text shifts columns: rejected, never mislabelled"},
    {"n_unterminated_quote.csv", 0, NULL, NULL, 0, 0, 0,
     {REC(2, 14, "fine", "pos"), REJ(3, 25, "unterminated quoted field at end of file"), END},
     "an open quote at the end is rejected at the row where it began"},
    {"n_empty_text.csv", 0, NULL, NULL, 0, 0, 0,
     {REJ(2, 14, "empty text in column \"text\""), REJ(3, 21, "empty text"), REC(4, 32, "kept", "pos"), END},
     "empty and whitespace-only texts are rejected"},
    {"n_empty_label.csv", 0, NULL, NULL, 0, 0, 0,
     {REJ(2, 14, "empty label in column \"label\""), REC(3, 31, "kept", "neg"), END}, "an empty label is rejected"},
};

static void test_io__csv_fixtures_read_as_the_table_says(void **state)
{
    (void)state;
    run_table(csv_cases, sizeof csv_cases / sizeof csv_cases[0]);
}

static void test_io__csv_header_without_the_column_fails_open_at_line_1(void **state)
{
    (void)state;
    vocal_reader_options o = VOCAL_READER_OPTIONS_INIT;
    vocal_error err;
    assert_int_equal(open_err("n_missing_column.csv", &o, &err), VOCAL_EINPUT);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.byte, 0);
    assert_string_equal(err.msg, "no text column \"text\" in the header (id, body, category)");
    assert_string_equal(err.path, DATA "n_missing_column.csv");

    o.text_field = "body";
    assert_int_equal(open_err("n_missing_column.csv", &o, &err), VOCAL_EINPUT);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.byte, 0);
    assert_string_equal(err.msg, "no label column \"label\" in the header (id, body, category)");

    o.label_field = "category";
    assert_int_equal(open_err("n_missing_column.csv", &o, &err), VOCAL_OK);
}

static void test_io__csv_column_errors_are_reported_at_open(void **state)
{
    (void)state;
    static const struct {
        const char *file, *text, *label;
        int no_header;
        char delimiter;
        uint64_t line, byte;
        const char *msg;
    } cases[] = {
        {"n_duplicate_column.csv", "text", "label", 0, 0, 1, 0,
         "text column \"text\" is named 2 times in the header"},
        {"y_quoted_newline.csv", "4", "label", 0, 0, 1, 0, "text column 4: the header has 3 columns"},
        {"y_quoted_newline.csv", "0", "label", 0, 0, 1, 0, "text column 0: columns are counted from 1"},
        {"y_quoted_newline.csv", "text", "2", 0, 0, 1, 0, "text and label are the same column"},
        {"y_headerless.csv", "text", "2", 1, 0, 0, UINT64_MAX,
         "text column \"text\" must be a 1-based index: the CSV has no header"},
        {"y_headerless.csv", "1", "label", 1, 0, 0, UINT64_MAX,
         "label column \"label\" must be a 1-based index: the CSV has no header"},
        {"n_unterminated_header.csv", "text", "label", 0, 0, 1, 0, "unterminated quoted field at end of file"},
        /* a given delimiter is used as given, never sniffed over */
        {"y_semicolon.csv", "Why?", NULL, 0, ',', 1, 0,
         "no text column \"Why?\" in the header (Respondent;Why?;Score)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vocal_reader_options o = VOCAL_READER_OPTIONS_INIT;
        o.text_field = cases[i].text;
        o.label_field = cases[i].label;
        o.has_header = !cases[i].no_header;
        o.delimiter = cases[i].delimiter;
        vocal_error err;
        assert_int_equal(open_err(cases[i].file, &o, &err), VOCAL_EINPUT);
        assert_string_equal(err.msg, cases[i].msg);
        assert_int_equal(err.line, cases[i].line);
        assert_int_equal(err.byte, cases[i].byte);
    }
}

static void write_big_cell(FILE *f)
{
    /* line 1 header, line 2 a 10 MB quoted cell (with a quoted newline),
     * line 4 a normal row */
    fputs("id,text,label\n1,\"", f);
    for (int i = 0; i < 10 * 1000 * 1000 - 1; i++) fputc(i % 1000 == 999 ? '\n' : 'a' + i % 26, f);
    fputs("z\",pos\n2,after,neg\n", f);
}

static void test_io__a_10_mb_csv_cell_is_rejected_by_default_and_read_when_allowed(void **state)
{
    (void)state;
    char path[256];
    temp_file(path, sizeof path, "big.csv", write_big_cell);
    const uint64_t after_line = 2 + 10000, after_byte = 14 + 2 + 1 + 10000000 + 1 + 5;
    vocal_reader *r;
    vocal_record rec;
    vocal_error err;
    poison(&err);
    assert_int_equal(vocal_reader_open(&r, path, NULL, &err), VOCAL_OK);
    poison(&err);
    assert_int_equal(vocal_reader_next(r, &rec, &err), VOCAL_EINPUT);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.byte, 14);
    assert_string_equal(err.msg, "record longer than 1048576 bytes");
    assert_int_equal(vocal_reader_next(r, &rec, &err), 1);
    assert_int_equal(rec.line, after_line);
    assert_int_equal(rec.byte, after_byte);
    assert_int_equal(rec.text_len, 5);
    assert_memory_equal(rec.text, "after", 5);
    assert_int_equal(vocal_reader_next(r, &rec, &err), 0);
    vocal_reader_free(r);

    vocal_reader_options o = VOCAL_READER_OPTIONS_INIT;
    o.max_record_bytes = 16u << 20;
    assert_int_equal(vocal_reader_open(&r, path, &o, &err), VOCAL_OK);
    assert_int_equal(vocal_reader_next(r, &rec, &err), 1);
    assert_int_equal(rec.line, 2);
    assert_int_equal(rec.text_len, 10 * 1000 * 1000);
    assert_int_equal(rec.text[0], 'a');
    assert_int_equal(rec.text[999], '\n');
    assert_int_equal(rec.text[rec.text_len - 1], 'z');
    assert_string_equal(rec.labels[0], "pos");
    assert_int_equal(vocal_reader_next(r, &rec, &err), 1);
    assert_int_equal(rec.line, after_line);
    assert_int_equal(rec.byte, after_byte);
    vocal_reader_free(r);
    temp_remove(path);
}

static void write_unterminated_big(FILE *f)
{
    fputs("text,label\nfine,pos\n\"never closed", f);
    for (int i = 0; i < 3 * 1000 * 1000; i++) fputc(i % 80 == 79 ? '\n' : 'x', f);
}

static void test_io__an_open_quote_in_a_big_file_is_skipped_in_bounded_memory(void **state)
{
    (void)state;
    char path[256];
    temp_file(path, sizeof path, "open-quote.csv", write_unterminated_big);
    vocal_reader *r;
    vocal_record rec;
    vocal_error err;
    assert_int_equal(vocal_reader_open(&r, path, NULL, &err), VOCAL_OK);
    assert_int_equal(vocal_reader_next(r, &rec, &err), 1);
    poison(&err);
    assert_int_equal(vocal_reader_next(r, &rec, &err), VOCAL_EINPUT);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.byte, 20);
    assert_string_equal(err.msg, "record longer than 1048576 bytes (a quoted field runs to the end of the file)");
    assert_int_equal(vocal_reader_next(r, &rec, &err), 0);
    uint64_t nread, nrejected;
    vocal_reader_stats(r, &nread, &nrejected);
    assert_int_equal(nread, 1);
    assert_int_equal(nrejected, 1);
    vocal_reader_free(r);
    temp_remove(path);
}

/* MARK: TSV and fastText */

static const io_case line_cases[] = {
    {"y_basic.tsv", 0, NULL, NULL, 0, 0, 0,
     {REC(1, 0, "The staff were lovely", "pos"), REC(2, 26, "Parcel arrived late", "neg"), END}, "label TAB text"},
    {"y_crlf.tsv", 0, NULL, NULL, 0, 0, 0, {REC(1, 0, "good", "pos"), REC(2, 10, "bad", "neg"), END},
     "CRLF: the CR is not text"},
    {"y_no_final_newline.tsv", 0, NULL, NULL, 0, 0, 0, {REC(1, 0, "good", "pos"), REC(2, 9, "bad", "neg"), END},
     "the last line needs no LF"},
    {"y_blank_lines.tsv", 0, NULL, NULL, 0, 0, 0, {REC(2, 1, "good", "pos"), REC(5, 16, "bad", "neg"), END},
     "blank lines are skipped and not counted"},
    {"y_nul_in_text.tsv", 0, NULL, NULL, 0, 0, 0, {{1, 1, 0, "nul\0inside", 10, "pos"}, END},
     "a NUL byte in a text passes through"},
    {"y_tab_in_text.tsv", 0, NULL, NULL, 0, 0, 0, {REC(1, 0, "col a\tcol b", "pos"), END},
     "the first TAB splits; later ones are text"},
    {"y_lone_cr.tsv", 0, NULL, NULL, 0, 0, 0, {REC(1, 0, "one\rstill one", "pos"), END},
     "a lone CR is data in line formats"},
    {"y_basic.tsv", 0, NULL, NULL, 1, 0, 0,
     {REC(1, 0, "The staff were lovely", "pos"), REC(2, 26, "Parcel arrived late", "neg"), END},
     "TSV keeps its labels when label_field is NULL"},
    {"n_missing_tab.tsv", 0, NULL, NULL, 0, 0, 0,
     {REC(1, 0, "ok", "pos"), REJ(2, 7, "missing label (no TAB)"), REC(3, 27, "after", "neg"), END},
     "a line without a TAB is rejected"},
    {"n_empty_label.tsv", 0, NULL, NULL, 0, 0, 0,
     {REC(1, 0, "ok", "pos"), REJ(2, 7, "empty label"), REC(3, 17, "after", "neg"), END},
     "a line starting with a TAB is rejected"},
    {"n_empty_text.tsv", 0, NULL, NULL, 0, 0, 0,
     {REC(1, 0, "ok", "pos"), REJ(2, 7, "empty text"), REC(3, 13, "after", "neg"), END},
     "a whitespace text is rejected"},
    {"n_nul_in_label.tsv", 0, NULL, NULL, 0, 0, 0,
     {REC(1, 0, "ok", "pos"), REJ(2, 7, "NUL byte in label"), REC(3, 17, "after", "neg"), END},
     "labels are C strings: a NUL in one is rejected"},
    {"y_multilabel.ft", 0, NULL, NULL, 0, 0, 0,
     {REC(1, 0, "late and expensive", "delivery|price"), REC(2, 52, "great", "pos"), END},
     "several leading labels"},
    {"y_label_in_text.ft", 0, NULL, NULL, 0, 0, 0, {REC(1, 0, "see __label__neg later", "pos"), END},
     "a label after the text starts is text"},
    {"n_no_label.ft", 0, NULL, NULL, 0, 0, 0,
     {REC(1, 0, "ok", "pos"), REJ(2, 16, "missing label (no __label__ prefix)"), REC(3, 26, "after", "neg"), END},
     "a line without a label is rejected"},
    {"n_empty_text.ft", 0, NULL, NULL, 0, 0, 0,
     {REC(1, 0, "ok", "pos"), REJ(2, 16, "empty text"), REC(3, 41, "after", "neg"), END},
     "labels and no text is rejected"},
    {"n_bare_label.ft", 0, NULL, NULL, 0, 0, 0, {REJ(1, 0, "empty label"), REC(2, 15, "after", "pos"), END},
     "a bare __label__ is rejected"},
    {"y_basic.tsv", VOCAL_FMT_FASTTEXT, NULL, NULL, 0, 0, 0,
     {REJ(1, 0, "missing label"), REJ(2, 26, "missing label"), END}, "a format option beats the extension"},
    {"y_lines.txt", 0, NULL, NULL, 0, 0, 0,
     {REC(1, 0, "first line", NULL), REC(4, 15, "second line", NULL), REC(5, 28, "third", NULL), END},
     "lines: blank lines skipped, no labels"},
};

static void test_io__tsv_fasttext_and_lines_fixtures_read_as_the_table_says(void **state)
{
    (void)state;
    run_table(line_cases, sizeof line_cases / sizeof line_cases[0]);
}

static void write_long_tsv_line(FILE *f)
{
    fputs("pos\tshort\nneg\t", f);
    for (int i = 0; i < 2 * 1000 * 1000; i++) fputc('y', f);
    fputs("\npos\tafter\n", f);
}

static void test_io__an_overlong_tsv_line_is_rejected_and_reading_goes_on(void **state)
{
    (void)state;
    char path[256];
    temp_file(path, sizeof path, "long.tsv", write_long_tsv_line);
    vocal_reader *r;
    vocal_record rec;
    vocal_error err;
    assert_int_equal(vocal_reader_open(&r, path, NULL, &err), VOCAL_OK);
    assert_int_equal(vocal_reader_next(r, &rec, &err), 1);
    poison(&err);
    assert_int_equal(vocal_reader_next(r, &rec, &err), VOCAL_EINPUT);
    assert_int_equal(err.code, VOCAL_EINPUT);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.byte, 10);
    assert_string_equal(err.msg, "record longer than 1048576 bytes");
    assert_int_equal(vocal_reader_next(r, &rec, &err), 1);
    assert_int_equal(rec.line, 3);
    assert_int_equal(rec.byte, 10 + 4 + 2000000 + 1);
    assert_memory_equal(rec.text, "after", 5);
    vocal_reader_free(r);

    /* exactly at the limit is allowed: "neg\t" + 2,000,000 bytes */
    vocal_reader_options o = VOCAL_READER_OPTIONS_INIT;
    o.max_record_bytes = 2000004;
    assert_int_equal(vocal_reader_open(&r, path, &o, &err), VOCAL_OK);
    assert_int_equal(vocal_reader_next(r, &rec, &err), 1);
    assert_int_equal(vocal_reader_next(r, &rec, &err), 1);
    assert_int_equal(rec.text_len, 2000000);
    vocal_reader_free(r);
    o.max_record_bytes = 2000003;
    assert_int_equal(vocal_reader_open(&r, path, &o, &err), VOCAL_OK);
    assert_int_equal(vocal_reader_next(r, &rec, &err), 1);
    assert_int_equal(vocal_reader_next(r, &rec, &err), VOCAL_EINPUT);
    vocal_reader_free(r);
    temp_remove(path);
}

/* MARK: JSONL */

static const io_case jsonl_cases[] = {
    {"y_nested.jsonl", 0, "meta.text", "meta.label", 0, 0, 0,
     {REC(1, 0, "nested text", "pos"), REC(2, 53, "second", "neg"), END}, "dotted paths into objects"},
    {"y_array_labels.jsonl", 0, NULL, NULL, 0, 0, 0,
     {REC(1, 0, "late and expensive", "delivery|price"), REC(2, 59, "five stars", "5"), REC(3, 91, "mixed", "a|2"),
      END},
     "labels as arrays and integers"},
    {"y_theme_objects.jsonl", 0, NULL, "themes", 0, 0, 0,
     {REC(1, 0, "late and rude", "delivery.late:negative|staff.rude"),
      REJ(2, 104, "label field \"themes\" holds an object, not a string"), END},
     "theme objects: \"id\" (or \"theme\") and \"polarity\" make \"id:polarity\" (issue 5)"},
    {"y_dotted_key.jsonl", 0, "meta.text", NULL, 0, 0, 0,
     {REC(1, 0, "literal key", "pos"), REJ(2, 42, "missing field \"meta.text\""), END},
     "a key with a dot in it wins over the path"},
    {"y_dotted_key.jsonl", 0, "answers.0.text", NULL, 0, 0, 0,
     {REJ(1, 0, "missing field \"answers.0.text\""), REC(2, 42, "first answer", "neg"), END},
     "a numeric segment indexes an array"},
    {"y_blank_lines.jsonl", 0, NULL, NULL, 0, 0, 0, {REC(2, 1, "a", "pos"), REC(4, 33, "b", "neg"), END},
     "blank lines skipped; CRLF; no final newline"},
    {"y_nested.jsonl", 0, "meta.text", NULL, 1, 0, 0,
     {REC(1, 0, "nested text", NULL), REC(2, 53, "second", NULL), END}, "unlabelled"},
    {"n_bad_json_middle.jsonl", 0, NULL, NULL, 0, 0, 0,
     {REC(1, 0, "one", "pos"), REJ(2, 43, "invalid JSON at column 15: string or '}' expected near ','"),
      REC(3, 59, "three", "neg"), END},
     "bad JSON in the middle: rejected at the offending byte, the rest still read"},
    {"n_missing_field.jsonl", 0, NULL, NULL, 0, 0, 0,
     {REC(1, 0, "one", "pos"), REJ(2, 29, "missing field \"text\""), REJ(3, 58, "missing field \"label\""),
      REC(4, 75, "four", "pos"), END},
     "a missing field is named"},
    {"n_not_object.jsonl", 0, NULL, NULL, 0, 0, 0,
     {REJ(1, 0, "line holds an array, not a JSON object"), REC(2, 15, "ok", "pos"), END}, "not an object"},
    {"n_wrong_types.jsonl", 0, NULL, NULL, 0, 0, 0,
     {REJ(1, 0, "text field \"text\" holds an integer, not a string"),
      REJ(2, 26, "label field \"label\" holds a boolean, not a string"),
      REJ(3, 53, "no label: field \"label\" is an empty array"),
      REJ(4, 78, "label field \"label\" holds null, not a string"), REJ(5, 111, "empty text in field \"text\""),
      REC(6, 137, "fine", "pos"), END},
     "wrong types are rejected"},
    {"n_nul_in_label.jsonl", 0, NULL, NULL, 0, 0, 0,
     {REC(1, 0, "ok", "pos"), REJ(2, 28, "NUL byte in label"), {1, 3, 62, "t\0x", 3, "neg"}, END},
     "an escaped NUL is kept in a text, rejected in a label"},
    {"n_invalid_utf8.jsonl", 0, NULL, NULL, 0, 0, 0,
     {REJ(1, 12, "unable to decode byte 0xe9"), REC(2, 30, "ok", "pos"), END},
     "JSON must be UTF-8 (RFC 8259 8.1): the bad byte is pointed at"},
};

static void test_io__jsonl_fixtures_read_as_the_table_says(void **state)
{
    (void)state;
    run_table(jsonl_cases, sizeof jsonl_cases / sizeof jsonl_cases[0]);
}

/* MARK: formats */

static void test_io__auto_detects_by_extension_then_by_the_first_line(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        vocal_format want;
        const char *first; /* the first record's text; NULL: not read */
    } cases[] = {
        {"y_basic.tsv", VOCAL_FMT_TSV, "The staff were lovely"},
        {"y_lines.txt", VOCAL_FMT_LINES, "first line"},
        {"y_bom_crlf.csv", VOCAL_FMT_CSV, "multi\r\nline"},
        {"y_nested.jsonl", VOCAL_FMT_JSONL, NULL},
        {"y_multilabel.ft", VOCAL_FMT_FASTTEXT, "late and expensive"},
        {"y_sniff_jsonl.data", VOCAL_FMT_JSONL, "x"},
        {"y_sniff_fasttext.data", VOCAL_FMT_FASTTEXT, "x"},
        {"y_sniff_csv.data", VOCAL_FMT_CSV, "x"},
        {"y_sniff_tsv.data", VOCAL_FMT_TSV, "x"},
        {"y_sniff_lines.data", VOCAL_FMT_LINES, "just, some text; here"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s%s", DATA, cases[i].file);
        vocal_reader *r;
        vocal_error err;
        poison(&err);
        assert_int_equal(vocal_reader_open(&r, path, NULL, &err), VOCAL_OK);
        if (vocal_reader_format(r) != cases[i].want)
            fail_msg("%s: detected %s", cases[i].file, vocal_format_name(vocal_reader_format(r)));
        if (cases[i].first) {
            vocal_record rec;
            assert_int_equal(vocal_reader_next(r, &rec, &err), 1);
            assert_int_equal(rec.text_len, strlen(cases[i].first));
            assert_memory_equal(rec.text, cases[i].first, rec.text_len);
        }
        vocal_reader_free(r);
    }
}

static void test_io__format_names_round_trip_and_unknown_names_are_refused(void **state)
{
    (void)state;
    for (int f = VOCAL_FMT_AUTO; f <= VOCAL_FMT_LINES; f++)
        assert_int_equal(vocal_format_from_name(vocal_format_name((vocal_format)f)), f);
    assert_int_equal(vocal_format_from_name("CSV"), VOCAL_FMT_CSV);
    assert_int_equal(vocal_format_from_name("ndjson"), VOCAL_FMT_JSONL);
    assert_int_equal(vocal_format_from_name("ft"), VOCAL_FMT_FASTTEXT);
    assert_int_equal(vocal_format_from_name("txt"), VOCAL_FMT_LINES);
    assert_int_equal(vocal_format_from_name("xlsx"), VOCAL_FMT_UNKNOWN);
    assert_int_equal(vocal_format_from_name(""), VOCAL_FMT_UNKNOWN);
    assert_int_equal(vocal_format_from_name(NULL), VOCAL_FMT_UNKNOWN);
    assert_string_equal(vocal_format_name(VOCAL_FMT_UNKNOWN), "unknown");
    assert_string_equal(vocal_format_name((vocal_format)42), "unknown");
}

static void test_io__bad_options_and_unreadable_files_fail_open(void **state)
{
    (void)state;
    vocal_error err;
    vocal_reader_options o = VOCAL_READER_OPTIONS_INIT;
    o.version = 99;
    assert_int_equal(open_err("y_basic.tsv", &o, &err), VOCAL_EINPUT);
    assert_string_equal(err.msg, "unsupported vocal_reader_options version 99");
    o = (vocal_reader_options)VOCAL_READER_OPTIONS_INIT;
    o.delimiter = '"';
    assert_int_equal(open_err("y_basic.tsv", &o, &err), VOCAL_EINPUT);
    o = (vocal_reader_options)VOCAL_READER_OPTIONS_INIT;
    o.text_field = "";
    assert_int_equal(open_err("y_basic.tsv", &o, &err), VOCAL_EINPUT);
    o = (vocal_reader_options)VOCAL_READER_OPTIONS_INIT;
    o.format = (vocal_format)17;
    assert_int_equal(open_err("y_basic.tsv", &o, &err), VOCAL_EINPUT);

    assert_int_equal(open_err("no_such_file.tsv", NULL, &err), VOCAL_EIO);
    assert_string_equal(err.path, DATA "no_such_file.tsv");
    assert_string_equal(err.msg, "cannot open: No such file or directory");
    assert_int_equal(err.line, 0);
    assert_int_equal(err.byte, UINT64_MAX);

    /* a directory opens but cannot be read */
    assert_int_equal(open_err("", NULL, &err), VOCAL_EIO);
    assert_true(strncmp(err.msg, "read error: ", 12) == 0);
}

/* Survey rows without a comment (options v3 keep_blank_text): read as
 * records with text "" so that their scores count, or rejected as before. */
static void write_blank_comments_csv(FILE *f)
{
    fputs("id,nps,comment,extra\n1,9,Fast delivery,a\n2,3,,b\n3,10,\"  \",c\n4,0,Rude agent,d\n", f);
}

static void write_blank_comments_jsonl(FILE *f)
{
    fputs("{\"text\":\"Fast delivery\",\"nps\":9}\n{\"text\":\"\",\"nps\":3}\n{\"text\":null,\"nps\":10}\n"
          "{\"nps\":7}\n{\"text\":\" \\t\",\"nps\":0}\n",
          f);
}

static void read_texts(const char *path, const vocal_reader_options *o, char *texts, size_t cap, uint64_t *rejected)
{
    vocal_reader *r;
    vocal_error err;
    assert_int_equal(vocal_reader_open(&r, path, o, &err), VOCAL_OK);
    vocal_record rec;
    int rc;
    texts[0] = '\0';
    while ((rc = vocal_reader_next(r, &rec, &err)) != 0) {
        if (rc == VOCAL_EINPUT) continue;
        assert_int_equal(rc, 1);
        size_t n = strlen(texts);
        snprintf(texts + n, cap - n, "[%.*s]", (int)rec.text_len, rec.text);
    }
    uint64_t read;
    vocal_reader_stats(r, &read, rejected);
    vocal_reader_free(r);
}

static void test_io__blank_texts_are_kept_as_records_when_asked(void **state)
{
    (void)state;
    char path[256], texts[256];
    uint64_t rejected;
    vocal_reader_options o = VOCAL_READER_OPTIONS_INIT;
    o.label_field = NULL;
    o.text_field = "comment";
    temp_file(path, sizeof path, "survey.csv", write_blank_comments_csv);
    read_texts(path, &o, texts, sizeof texts, &rejected);
    assert_string_equal(texts, "[Fast delivery][Rude agent]");
    assert_int_equal(rejected, 2);
    o.keep_blank_text = 1;
    read_texts(path, &o, texts, sizeof texts, &rejected);
    assert_string_equal(texts, "[Fast delivery][][][Rude agent]");
    assert_int_equal(rejected, 0);
    /* a version 2 struct never keeps them, whatever follows it */
    o.version = 2;
    read_texts(path, &o, texts, sizeof texts, &rejected);
    assert_int_equal(rejected, 2);
    temp_remove(path);

    o = (vocal_reader_options)VOCAL_READER_OPTIONS_INIT;
    o.label_field = NULL;
    temp_file(path, sizeof path, "survey.jsonl", write_blank_comments_jsonl);
    read_texts(path, &o, texts, sizeof texts, &rejected);
    assert_string_equal(texts, "[Fast delivery]");
    assert_int_equal(rejected, 4);
    o.keep_blank_text = 1;
    read_texts(path, &o, texts, sizeof texts, &rejected);
    /* "", null and blank are kept; the record without the field is not */
    assert_string_equal(texts, "[Fast delivery][][][]");
    assert_int_equal(rejected, 1);
    temp_remove(path);
}

static void test_io__empty_and_blank_files_open_and_hold_no_records(void **state)
{
    (void)state;
    static const char *const files[] = {"y_empty.csv", "y_blank_only.tsv"};
    for (size_t i = 0; i < 2; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s%s", DATA, files[i]);
        vocal_reader *r;
        vocal_record rec;
        vocal_error err;
        assert_int_equal(vocal_reader_open(&r, path, NULL, &err), VOCAL_OK);
        assert_int_equal(vocal_reader_next(r, &rec, &err), 0);
        uint64_t nread = 1, nrejected = 1;
        vocal_reader_stats(r, &nread, &nrejected);
        assert_int_equal(nread + nrejected, 0);
        vocal_reader_free(r);
    }
    vocal_reader_free(NULL);
}

/* Put a fixture on file descriptor 0, where "-" reads. */
static void stdin_from(const char *file)
{
    int fd = open(file, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
    close(fd);
}

static void test_io__dash_reads_standard_input_and_sniffs_its_format(void **state)
{
    (void)state;
    int saved = dup(STDIN_FILENO);
    assert_true(saved >= 0);
    stdin_from(DATA "y_sniff_csv.data");
    vocal_reader *r;
    vocal_record rec;
    vocal_error err;
    assert_int_equal(vocal_reader_open(&r, "-", NULL, &err), VOCAL_OK);
    assert_int_equal(vocal_reader_format(r), VOCAL_FMT_CSV);
    assert_int_equal(vocal_reader_next(r, &rec, &err), 1);
    assert_int_equal(rec.line, 2);
    assert_int_equal(rec.byte, 14);
    assert_string_equal(rec.labels[0], "pos");
    assert_int_equal(vocal_reader_next(r, &rec, &err), 0);
    vocal_reader_free(r);

    /* a rejection on stdin names it */
    stdin_from(DATA "n_missing_tab.tsv");
    vocal_reader_options o = VOCAL_READER_OPTIONS_INIT;
    o.format = VOCAL_FMT_TSV;
    assert_int_equal(vocal_reader_open(&r, "-", &o, &err), VOCAL_OK);
    assert_int_equal(vocal_reader_next(r, &rec, &err), 1);
    poison(&err);
    assert_int_equal(vocal_reader_next(r, &rec, &err), VOCAL_EINPUT);
    assert_string_equal(err.path, "<stdin>");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.byte, 7);
    vocal_reader_free(r);

    /* the reader never closes stdin */
    assert_true(fcntl(STDIN_FILENO, F_GETFD) >= 0);
    assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
    close(saved);
}

/* MARK: allocation failure */

/* Open and read everything, with the k-th allocation failing. Only
 * VOCAL_ENOMEM may change the outcome, and after it the reader stays failed. */
static void read_all_failing(const io_case *c, uint64_t k, uint64_t want_read, uint64_t want_rejected,
                             int *failed)
{
    char path[1024];
    snprintf(path, sizeof path, "%s%s", DATA, c->file);
    vocal_reader_options o = case_options(c);
    vocal_reader *r = NULL;
    vocal_error err;
    *failed = 0;
    vocal__alloc_fail_after(k);
    int rc = vocal_reader_open(&r, path, &o, &err);
    if (rc != VOCAL_OK) {
        vocal__alloc_fail_after(0);
        assert_int_equal(rc, VOCAL_ENOMEM);
        assert_null(r);
        *failed = 1;
        return;
    }
    uint64_t nread = 0, nrejected = 0;
    vocal_record rec;
    for (;;) {
        rc = vocal_reader_next(r, &rec, &err);
        if (rc == 1) nread++;
        else if (rc == VOCAL_EINPUT) nrejected++;
        else break;
    }
    vocal__alloc_fail_after(0);
    if (rc == VOCAL_ENOMEM) {
        *failed = 1;
        assert_int_equal(err.code, VOCAL_ENOMEM);
        assert_int_equal(vocal_reader_next(r, &rec, &err), VOCAL_ENOMEM);
    } else {
        assert_int_equal(rc, 0);
        assert_int_equal(nread, want_read);
        assert_int_equal(nrejected, want_rejected);
    }
    vocal_reader_free(r);
}

static void test_io__every_allocation_failure_gives_enomem_and_no_leak(void **state)
{
    (void)state;
    const io_case *tables[] = {csv_cases, line_cases, jsonl_cases};
    const size_t sizes[] = {sizeof csv_cases / sizeof csv_cases[0], sizeof line_cases / sizeof line_cases[0],
                            sizeof jsonl_cases / sizeof jsonl_cases[0]};
    for (size_t t = 0; t < 3; t++) {
        for (size_t i = 0; i < sizes[t]; i++) {
            const io_case *c = &tables[t][i];
            uint64_t want_read = 0, want_rejected = 0;
            for (size_t j = 0; c->out[j].rc; j++) {
                if (c->out[j].rc == 1) want_read++;
                else want_rejected++;
            }
            /* past the last allocation a run succeeds; 20 clean runs in a
             * row mean the countdown no longer reaches one */
            int clean = 0, failures = 0;
            for (uint64_t k = 1; clean < 20; k++) {
                int failed;
                read_all_failing(c, k, want_read, want_rejected, &failed);
                clean = failed ? 0 : clean + 1;
                failures += failed;
                assert_true(k < 10000);
            }
            /* open allocates the reader, its strings and its buffer at least */
            assert_true(failures >= 4);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_io__csv_fixtures_read_as_the_table_says),
        cmocka_unit_test(test_io__csv_header_without_the_column_fails_open_at_line_1),
        cmocka_unit_test(test_io__csv_column_errors_are_reported_at_open),
        cmocka_unit_test(test_io__a_10_mb_csv_cell_is_rejected_by_default_and_read_when_allowed),
        cmocka_unit_test(test_io__an_open_quote_in_a_big_file_is_skipped_in_bounded_memory),
        cmocka_unit_test(test_io__tsv_fasttext_and_lines_fixtures_read_as_the_table_says),
        cmocka_unit_test(test_io__an_overlong_tsv_line_is_rejected_and_reading_goes_on),
        cmocka_unit_test(test_io__jsonl_fixtures_read_as_the_table_says),
        cmocka_unit_test(test_io__auto_detects_by_extension_then_by_the_first_line),
        cmocka_unit_test(test_io__format_names_round_trip_and_unknown_names_are_refused),
        cmocka_unit_test(test_io__bad_options_and_unreadable_files_fail_open),
        cmocka_unit_test(test_io__blank_texts_are_kept_as_records_when_asked),
        cmocka_unit_test(test_io__empty_and_blank_files_open_and_hold_no_records),
        cmocka_unit_test(test_io__dash_reads_standard_input_and_sniffs_its_format),
        cmocka_unit_test(test_io__every_allocation_failure_gives_enomem_and_no_leak),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
