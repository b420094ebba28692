/* libFuzzer target for the model loader: any bytes must load or be refused
 * with VOCAL_EFORMAT / VOCAL_EVERSION (never a crash, leak or undefined
 * behaviour), and a model that loads must be usable: classify, explain,
 * top features, dump, merge with itself, and save again to bytes that load
 * back to the same bytes. Seeds: tests/fuzz/corpus/model/ (written by
 * `test_model --write-fixtures`). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model_int.h"
#include "util/le.h"
#include "vocal/model.h"
#include "vocal/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

/* Recompute every checksum the bytes claim, so that mutations reach the
 * section parsers instead of stopping at a checksum mismatch. */
static void fix_checksums(uint8_t *p, size_t size)
{
    if (size < 24) return;
    uint32_t n = vocal__le32(p + 16);
    if (n > (size - 24) / 24) return;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t *e = p + 24 + 24 * (size_t)i;
        uint64_t off = vocal__le64(e + 8), len = vocal__le64(e + 16);
        if (off <= size && len <= size - off) vocal__put_le32(e + 4, vocal__crc32c(0, p + off, (size_t)len));
    }
    vocal__put_le32(p + 20, vocal__crc32c(vocal__crc32c(0, p, 20), p + 24, 24 * (size_t)n));
}

static void exercise(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    exercise(data, size);
    uint8_t *fixed = (uint8_t *)malloc(size ? size : 1);
    if (!fixed) return 0;
    memcpy(fixed, data, size);
    fix_checksums(fixed, size);
    exercise(fixed, size);
    free(fixed);
    return 0;
}

static void exercise(const uint8_t *data, size_t size)
{
    vocal_model *m = NULL;
    vocal_error err;
    int rc = vocal_model_load_buffer(&m, data, size, &err);
    if (rc != VOCAL_OK) {
        CHECK(m == NULL);
        CHECK(rc == VOCAL_EFORMAT || rc == VOCAL_EVERSION);
        CHECK(err.code == rc && err.byte <= size);
        return;
    }
    vocal_model_info info;
    vocal_model_info_get(&info, m);
    CHECK(info.n_classes >= 1 && info.n_features_used <= info.n_features);
    vocal_tokenizer *tk = NULL;
    vocal_workspace *ws = NULL;
    CHECK(vocal_tokenizer_new(&tk, NULL, NULL) == VOCAL_OK);
    CHECK(vocal_workspace_new(&ws, tk, NULL) == VOCAL_OK);
    vocal_lexicon *lex = NULL;
    CHECK(vocal_lexicon_new(&lex, "en", NULL) == VOCAL_OK);
    vocal_classify_options co = VOCAL_CLASSIFY_OPTIONS_INIT;
    co.top_k = 3;
    static const char text[] = "late parcel :( not good, kind staff! @shop https://x.io 2 days";
    vocal_classification r;
    CHECK(vocal_model_classify(&r, ws, m, lex, text, sizeof text - 1, &co, NULL) == VOCAL_OK);
    double sum = 0;
    for (size_t c = 0; c < r.n_classes; c++) sum += r.probs[c];
    CHECK(sum > 0.999999 && sum < 1.000001 && r.cls < info.n_classes);
    vocal_feature_weight top[4];
    for (size_t c = 0; c < info.n_classes && c < 8; c++) vocal_model_top_features(top, 4, m, c);
    FILE *devnull = fopen("/dev/null", "w");
    if (devnull) {
        CHECK(vocal_model_dump(m, devnull, NULL) == VOCAL_OK);
        fclose(devnull);
    }
    /* save -> load -> save is a fixed point */
    vocal__buf a = {0}, b = {0};
    CHECK(vocal__model_serialize(m, &a) == VOCAL_OK);
    vocal_model *m2 = NULL;
    CHECK(vocal_model_load_buffer(&m2, a.p, a.len, NULL) == VOCAL_OK);
    CHECK(vocal__model_serialize(m2, &b) == VOCAL_OK);
    CHECK(a.len == b.len && memcmp(a.p, b.p, a.len) == 0);
    const vocal_model *two[] = {m, m2};
    vocal_model *mm = NULL;
    rc = vocal_model_merge(&mm, two, 2, NULL);
    CHECK(rc == VOCAL_OK || rc == VOCAL_EINPUT); /* EINPUT: a count overflows */
    vocal_model_free(mm);
    vocal__buf_free(&a);
    vocal__buf_free(&b);
    vocal_model_free(m2);
    vocal_lexicon_free(lex);
    vocal_workspace_free(ws);
    vocal_tokenizer_free(tk);
    vocal_model_free(m);
}
