/* Carry-through roles (docs/format/records.md) and the cells the io module
 * reads for them: column names to roles, NPS, CSAT/CES numbers, dates in
 * ISO 8601 and the common export forms, and strptime formats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vocal/io.h"

static void test_io_roles__column_names_follow_the_records_md_table(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        vocal_role role;
    } cases[] = {
        {"id", VOCAL_ROLE_ID},
        {"Respondent ID", VOCAL_ROLE_ID},
        {"response-id", VOCAL_ROLE_ID},
        {" Ticket_ID ", VOCAL_ROLE_ID},
        {"Date", VOCAL_ROLE_DATE},
        {"created_at", VOCAL_ROLE_DATE},
        {"Submitted At", VOCAL_ROLE_DATE},
        {"NPS", VOCAL_ROLE_NPS},
        {"Likelihood to recommend", VOCAL_ROLE_NPS},
        {"ltr", VOCAL_ROLE_NPS},
        {"CSAT score", VOCAL_ROLE_CSAT},
        {"satisfaction", VOCAL_ROLE_CSAT},
        {"effort", VOCAL_ROLE_CES},
        {"Customer Segment", VOCAL_ROLE_SEGMENT},
        {"plan", VOCAL_ROLE_SEGMENT},
        {"journey stage", VOCAL_ROLE_TOUCHPOINT},
        {"source-channel", VOCAL_ROLE_CHANNEL},
        {"identifier", VOCAL_ROLE_NONE},
        {"dates", VOCAL_ROLE_NONE},
        {"", VOCAL_ROLE_NONE},
        {"why?", VOCAL_ROLE_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vocal_role r = vocal_role_from_column(cases[i].name, strlen(cases[i].name));
        if (r != cases[i].role) fail_msg("\"%s\": role %d, expected %d", cases[i].name, r, cases[i].role);
    }
    assert_string_equal(vocal_role_name(VOCAL_ROLE_TOUCHPOINT), "touchpoint");
    assert_string_equal(vocal_role_name(VOCAL_ROLE_NONE), "");
}

static void test_io_roles__nps_is_a_whole_number_from_0_to_10(void **state)
{
    (void)state;
    static const struct {
        const char *cell;
        int rc, value;
    } cases[] = {
        {"0", VOCAL_OK, 0},   {"10", VOCAL_OK, 10},     {" 7 ", VOCAL_OK, 7},   {"7.0", VOCAL_OK, 7},
        {"11", VOCAL_EINPUT, 0}, {"-1", VOCAL_EINPUT, 0}, {"7.5", VOCAL_EINPUT, 0}, {"", VOCAL_EINPUT, 0},
        {"seven", VOCAL_EINPUT, 0}, {"7 8", VOCAL_EINPUT, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int v = -99;
        int rc = vocal_parse_nps(&v, cases[i].cell, strlen(cases[i].cell));
        if (rc != cases[i].rc) fail_msg("\"%s\": rc %d, expected %d", cases[i].cell, rc, cases[i].rc);
        if (rc == VOCAL_OK && v != cases[i].value) fail_msg("\"%s\": %d", cases[i].cell, v);
        if (rc != VOCAL_OK && v != -99) fail_msg("\"%s\": output touched on failure", cases[i].cell);
    }
}

static void test_io_roles__scores_take_a_point_or_a_comma_as_the_decimal_mark(void **state)
{
    (void)state;
    double v;
    assert_int_equal(vocal_parse_number(&v, "4.5", 3), VOCAL_OK);
    assert_true(v == 4.5);
    assert_int_equal(vocal_parse_number(&v, " 3,25 ", 6), VOCAL_OK);
    assert_true(v == 3.25);
    assert_int_equal(vocal_parse_number(&v, "-2", 2), VOCAL_OK);
    assert_true(v == -2);
    assert_int_equal(vocal_parse_number(&v, "1.2.3", 5), VOCAL_EINPUT);
    assert_int_equal(vocal_parse_number(&v, ".", 1), VOCAL_EINPUT);
    assert_int_equal(vocal_parse_number(&v, "4/5", 3), VOCAL_EINPUT);
    assert_int_equal(vocal_parse_number(&v, "", 0), VOCAL_EINPUT);
}

static void test_io_roles__dates_become_iso_8601(void **state)
{
    (void)state;
    static const struct {
        const char *cell, *format, *iso; /* iso NULL: rejected */
        const char *note;
    } cases[] = {
        {"2026-10-03", NULL, "2026-10-03", "ISO date"},
        {" 2026-10-03 ", NULL, "2026-10-03", "spaces around"},
        {"2026-10-03T14:05:09Z", NULL, "2026-10-03T14:05:09Z", "ISO date-time, UTC"},
        {"2026-10-03T14:05:09.123+02:00", NULL, "2026-10-03T12:05:09Z", "offset converted, fraction dropped"},
        {"2026-10-03T00:30:00-0100", NULL, "2026-10-03T01:30:00Z", "offset without a colon"},
        {"2026-01-01T00:30:00+01:00", NULL, "2025-12-31T23:30:00Z", "offset across a year"},
        {"2026-10-03 14:05:09", NULL, "2026-10-03T14:05:09Z", "spreadsheet export, no zone: UTC"},
        {"2026-10-03 14:05", NULL, "2026-10-03T14:05:00Z", "no seconds"},
        {"2026/10/03", NULL, "2026-10-03", "slashes, year first"},
        {"03/10/2026", NULL, "2026-10-03", "DD/MM/YYYY"},
        {"3/1/2026 9:05", NULL, "2026-01-03T09:05:00Z", "unpadded day, month and hour"},
        {"03.10.2026", NULL, "2026-10-03", "DD.MM.YYYY"},
        {"2024-02-29", NULL, "2024-02-29", "leap day"},
        {"2026-02-29", NULL, NULL, "not a leap year"},
        {"2026-13-01", NULL, NULL, "month 13"},
        {"12/31/2026", NULL, NULL, "US order needs --date-format"},
        {"2026-10-03T25:00:00Z", NULL, NULL, "hour 25"},
        {"2026-10-03x", NULL, NULL, "trailing junk"},
        {"yesterday", NULL, NULL, "not a date"},
        {"", NULL, NULL, "empty"},
        {"12/31/2026", "%m/%d/%Y", "2026-12-31", "US order with a format"},
        {"Oct 3 2026 14:05", "%b %d %Y %H:%M", "2026-10-03T14:05:00Z", "format with a time"},
        {"2026-10", "%Y-%m", "2026-10-01", "format without a day: the first"},
        {"31/12/2026 extra", "%d/%m/%Y", NULL, "format must consume the cell"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[VOCAL_DATE_MAX];
        memset(out, 0xA5, sizeof out);
        int rc = vocal_parse_date(out, cases[i].cell, strlen(cases[i].cell), cases[i].format);
        if (!cases[i].iso) {
            if (rc != VOCAL_EINPUT) fail_msg("%s: \"%s\" accepted as %s", cases[i].note, cases[i].cell, out);
            continue;
        }
        if (rc < 0) fail_msg("%s: \"%s\" rejected", cases[i].note, cases[i].cell);
        if (strcmp(out, cases[i].iso) != 0 || (size_t)rc != strlen(cases[i].iso))
            fail_msg("%s: \"%s\" -> \"%s\", expected \"%s\"", cases[i].note, cases[i].cell, out, cases[i].iso);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_io_roles__column_names_follow_the_records_md_table),
        cmocka_unit_test(test_io_roles__nps_is_a_whole_number_from_0_to_10),
        cmocka_unit_test(test_io_roles__scores_take_a_point_or_a_comma_as_the_decimal_mark),
        cmocka_unit_test(test_io_roles__dates_become_iso_8601),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
