/* The command's number formatting: cli_fmt_g must write exactly what
 * printf's "%.*g" writes, since every number in vocal's JSONL and CSV
 * output goes through it (docs/format/records.md). The command's fmt.c is
 * compiled into this test as is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cli/fmt.c"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_fmt__the_values_vocal_writes_match_printf),
        cmocka_unit_test(test_cli_fmt__random_doubles_match_printf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
