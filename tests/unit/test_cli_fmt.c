/* The command's output formatting: cli_fmt_g and cli_fmt_u64 must write
 * exactly what printf's "%.*g" and "%llu" write, since every number in
 * vocal's JSONL and CSV output goes through them (docs/format/records.md),
 * and cb_json_str's eight-bytes-at-a-time scan must escape exactly as a
 * byte-by-byte one does. The command's fmt.c and io.c are compiled into
 * this test as they are. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cli/fmt.c"
#include "cli/io.c"

/* io.c's line reader reports through cli_error (main.c); nothing here
 * opens files, so a call is a failure */
void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fail_msg("cli_error called");
}

static void check(double v, int digits)
{
    char want[64], got[CLI_FMT_G_MAX];
    int wn = snprintf(want, sizeof want, "%.*g", digits, v);
    int gn = cli_fmt_g(got, v, digits);
    if (gn != wn || strcmp(got, want) != 0) fail_msg("%.17g at %d digits: printf \"%s\", cli_fmt_g \"%s\"", v, digits, want, got);
}

/* xorshift64*: a fixed sequence, so a failure repeats */
static uint64_t next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

static void test_cli_fmt__the_values_vocal_writes_match_printf(void **state)
{
    (void)state;
    static const double cases[] = {0.0,     -0.0,    1.0,     -1.0,    0.5,       0.1,     0.12345, 0.99995,
                                   0.99994, 0.99996, 9.9995,  1e-4,    9.99949e-5, 1e-5,   123456.0, 1234.5,
                                   1235.5,  0.00012345, 6.549e-05, 4.741e-05, 0.3193, -0.8802, 1e21,   1e-300,
                                   5e-324,  1.7976931348623157e308, 100.0,   1000.0,  10000.0, 99999.0, 0.0001};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (int d = 1; d <= 17; d++) {
            check(cases[i], d);
            check(-cases[i], d);
        }
}

static void test_cli_fmt__random_doubles_match_printf(void **state)
{
    (void)state;
    uint64_t s = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < 300000; i++) {
        uint64_t r = next(&s);
        double v;
        switch (i % 4) {
        case 0: v = (double)(r >> 11) / 9007199254740992.0; break;            /* [0, 1): probabilities */
        case 1: v = ((double)(r >> 11) / 4503599627370496.0 - 1) * 4; break;  /* [-4, 4): scores */
        case 2: v = (double)(r % 100000) / 10000.0 + 0.00005; break;         /* near ties at 4 digits */
        default: memcpy(&v, &r, sizeof v); break;                             /* any bits */
        }
        if (v != v) continue;
        check(v, 4);
        check(v, 1 + (int)(r % 17));
    }
}

static void test_cli_fmt__unsigned_numbers_match_printf(void **state)
{
    (void)state;
    uint64_t s = 0x2545F4914F6CDD1DULL;
    for (int i = 0; i < 200000; i++) {
        uint64_t v = i < 64 ? (uint64_t)1 << i : i < 128 ? ((uint64_t)1 << (i - 64)) - 1 : next(&s) >> (i % 64);
        if (i == 128) v = UINT64_MAX;
        if (i == 129) v = 0;
        char want[32], got[CLI_FMT_U64_MAX];
        int wn = snprintf(want, sizeof want, "%llu", (unsigned long long)v);
        int gn = cli_fmt_u64(got, v);
        if (gn != wn || strcmp(got, want) != 0) fail_msg("%s: cli_fmt_u64 \"%s\"", want, got);
    }
}

/* The escaping, one byte at a time (records.md: controls as \n \r \t or
 * \u00XX, '"' and '\\' escaped, invalid UTF-8 as \ufffd, the rest as is). */
static void json_str_ref(cli_buf *b, const char *s, size_t n)
{
    cb_putc(b, '"');
    for (size_t i = 0; i < n;) {
        unsigned c = (unsigned char)s[i];
        if (c >= 0x80) {
            int32_t cp;
            int bad;
            size_t k = vocal_utf8_decode(&cp, &bad, s + i, n - i);
            if (bad) cb_puts(b, "\\ufffd");
            else cb_put(b, s + i, k);
            i += k;
            continue;
        }
        if (c == '"') cb_puts(b, "\\\"");
        else if (c == '\\') cb_puts(b, "\\\\");
        else if (c == '\n') cb_puts(b, "\\n");
        else if (c == '\r') cb_puts(b, "\\r");
        else if (c == '\t') cb_puts(b, "\\t");
        else if (c < 0x20) {
            char e[7];
            snprintf(e, sizeof e, "\\u%04x", c);
            cb_puts(b, e);
        } else {
            cb_putc(b, (char)c);
        }
        i++;
    }
    cb_putc(b, '"');
}

static void test_cli_fmt__json_strings_escape_as_byte_by_byte(void **state)
{
    (void)state;
    /* pieces that meet the eight-byte scan at every offset: plain runs,
     * each special, valid and broken UTF-8 */
    static const char *const pieces[] = {"a", "plain text ", "0123456789abcdef", "\"", "\\", "\n", "\r", "\t",
                                         "\x01", "\x1f", " ", "~", "\x7f", "\xc3\xa9", "\xe2\x82\xac",
                                         "\xf0\x9f\x98\x80", "\xc3", "\xff", "\xe2\x82", "\x80"};
    const size_t np = sizeof pieces / sizeof *pieces;
    uint64_t s = 0x9E3779B97F4A7C15ULL;
    char text[512];
    cli_buf got = {0}, want = {0};
    for (int i = 0; i < 100000; i++) {
        size_t n = 0, parts = next(&s) % 12;
        for (size_t k = 0; k < parts; k++) {
            const char *p = pieces[next(&s) % np];
            size_t l = strlen(p);
            memcpy(text + n, p, l);
            n += l;
        }
        got.len = want.len = 0;
        cb_json_str(&got, text, n);
        json_str_ref(&want, text, n);
        assert_false(got.oom || want.oom);
        if (got.len != want.len || memcmp(got.p, want.p, got.len) != 0)
            fail_msg("escaped \"%.*s\" as %.*s, want %.*s", (int)n, text, (int)got.len, got.p, (int)want.len, want.p);
    }
    cb_free(&got);
    cb_free(&want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_fmt__the_values_vocal_writes_match_printf),
        cmocka_unit_test(test_cli_fmt__random_doubles_match_printf),
        cmocka_unit_test(test_cli_fmt__unsigned_numbers_match_printf),
        cmocka_unit_test(test_cli_fmt__json_strings_escape_as_byte_by_byte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
