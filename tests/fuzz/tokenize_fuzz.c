/* libFuzzer target for the tokenizer: any bytes must tokenize without a
 * crash, leak or undefined behaviour, and the tokens must satisfy the
 * invariants every caller relies on. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vocal/vocal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* first byte picks the language, so the elision and negation rules are fuzzed too */
    static const char *const langs[] = {"en", "fr", "de", "es"};
    vocal_text_options o = VOCAL_TEXT_OPTIONS_INIT;
    if (size) {
        o.language = langs[data[0] & 3];
        if (data[0] & 4) o.flags |= VOCAL_TEXT_NO_HASHTAG_SPLIT;
    }
    vocal_tokenizer *tk = NULL;
    vocal_workspace *ws = NULL;
    CHECK(vocal_tokenizer_new(&tk, &o, NULL) == VOCAL_OK);
    CHECK(vocal_workspace_new(&ws, tk, NULL) == VOCAL_OK);
    const vocal_token *t;
    vocal_text_info info;
    int n = vocal_text_tokenize(&t, &info, ws, (const char *)data, size, NULL);
    CHECK(n >= 0 && (size_t)n == info.n_tokens);
    uint64_t prev_start = 0;
    for (int i = 0; i < n; i++) {
        CHECK(t[i].start < t[i].end && t[i].end <= size);
        CHECK(t[i].start >= prev_start);
        prev_start = t[i].start;
        CHECK(t[i].norm && strlen(t[i].norm) == t[i].norm_len);
        CHECK(t[i].stem && strlen(t[i].stem) == t[i].stem_len);
        CHECK(vocal_utf8_check(t[i].norm, t[i].norm_len, NULL) == 0);
        CHECK(t[i].kind <= VOCAL_KIND_SYMBOL);
        if (i) CHECK(t[i].sentence >= t[i - 1].sentence && t[i].clause >= t[i - 1].clause);
    }
    CHECK(info.invalid == vocal_utf8_check((const char *)data, size, NULL));
    /* a second call on the same workspace must give the same result */
    vocal_text_info info2;
    int n2 = vocal_text_tokenize(&t, &info2, ws, (const char *)data, size, NULL);
    CHECK(n2 == n && info2.invalid == info.invalid);
    vocal_workspace_free(ws);
    vocal_tokenizer_free(tk);
    return 0;
}
