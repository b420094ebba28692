/* libFuzzer target for the aggregate-file reader: any bytes must load or be
 * refused with VOCAL_EFORMAT / VOCAL_EVERSION (never a crash, leak or
 * undefined behaviour), and an aggregate that loads must be usable: saved
 * again to bytes that load back to the same bytes, merged with itself, and
 * rendered in every format. Seeds: tests/fuzz/corpus/agg/ (vocal aggregate
 * over tests/data/report). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vocal/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
uint32_t vocal__crc32c(uint32_t crc, const void *data, size_t n);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static void exercise(const uint8_t *data, size_t size)
{
    vocal_agg *a = NULL;
    vocal_error err;
    int rc = vocal_agg_load_buffer(&a, data, size, &err);
    if (rc != VOCAL_OK) {
        CHECK(a == NULL);
        CHECK(rc == VOCAL_EFORMAT || rc == VOCAL_EVERSION);
        CHECK(err.code == rc && (err.byte <= size || err.byte == UINT64_MAX));
        return;
    }
    char *p, *q;
    size_t n, m;
    CHECK(vocal_agg_serialize(&p, &n, a, NULL) == VOCAL_OK);
    vocal_agg *b = NULL;
    CHECK(vocal_agg_load_buffer(&b, p, n, NULL) == VOCAL_OK);
    CHECK(vocal_agg_serialize(&q, &m, b, NULL) == VOCAL_OK);
    CHECK(n == m && memcmp(p, q, n) == 0);
    free(p);
    free(q);
    rc = vocal_agg_merge(b, a, NULL);
    CHECK(rc == VOCAL_OK || rc == VOCAL_EINPUT); /* EINPUT: a sum overflows */
    for (int f = VOCAL_REPORT_HTML; f <= VOCAL_REPORT_CSV; f++) {
        vocal_report_options o = VOCAL_REPORT_OPTIONS_INIT;
        o.format = (vocal_report_format)f;
        o.period = (vocal_period)(size % 3);
        o.table = f == VOCAL_REPORT_CSV ? "verbatims" : NULL;
        char *out = NULL;
        size_t len;
        CHECK(vocal_report_render(&out, &len, a, &o, NULL) == VOCAL_OK);
        free(out);
    }
    vocal_agg_free(b);
    vocal_agg_free(a);
}

/* Rewrite the header with the body's true checksum and length, so that
 * mutations reach the JSON reader instead of stopping at the checksum. */
static void exercise_fixed(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    if (!nl) return;
    size_t off = (size_t)(nl - data) + 1, blen = size - off;
    if (!blen || data[size - 1] != '\n') return;
    uint8_t *fixed = malloc(size + 96);
    if (!fixed) return;
    int hl = snprintf((char *)fixed, 96, "#vocal-aggregate 1 crc32c=%08x bytes=%zu\n",
                      (unsigned)vocal__crc32c(0, data + off, blen - 1), blen);
    memcpy(fixed + hl, data + off, blen);
    exercise(fixed, (size_t)hl + blen);
    free(fixed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    exercise(data, size);
    exercise_fixed(data, size);
    return 0;
}
