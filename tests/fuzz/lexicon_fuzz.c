/* libFuzzer target for the lexicon loader: any file must load or be refused
 * with VOCAL_EINPUT / VOCAL_EVERSION naming a line, never crash or leak; a
 * loaded lexicon must then score a text. The first byte picks the kind the
 * file claims (by its name), so every parser path is reached. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vocal/vocal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"words.tsv", "emoji.tsv", "emoticons.tsv", "boosters.tsv",
                                        "negators.tsv", "contrast.tsv", "idioms.tsv", "slang.tsv"};
    char dir[] = "/tmp/vocal-lexfuzz-XXXXXX";
    if (!mkdtemp(dir)) return 0;
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, names[size ? data[0] & 7 : 0]);
    FILE *f = fopen(path, "wb");
    if (!f) {
        rmdir(dir);
        return 0;
    }
    if (size > 1) fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    vocal_lexicon *lex = NULL;
    CHECK(vocal_lexicon_new(&lex, "en", NULL) == VOCAL_OK);
    vocal_error err;
    int rc = vocal_lexicon_load_file(lex, path, &err);
    CHECK(rc == VOCAL_OK || rc == VOCAL_EINPUT || rc == VOCAL_EVERSION);
    if (rc != VOCAL_OK) CHECK(err.path[0] && err.msg[0]);
    vocal_tokenizer *tk = NULL;
    vocal_workspace *ws = NULL;
    CHECK(vocal_lexicon_tokenizer_new(&tk, lex, NULL, NULL) == VOCAL_OK);
    CHECK(vocal_workspace_new(&ws, tk, NULL) == VOCAL_OK);
    static const char text[] = "not bad at all but the waiter was VERY rude :( \xF0\x9F\x98\xA1 kind of slow";
    vocal_sentiment s;
    CHECK(vocal_lexicon_score(&s, ws, lex, text, sizeof text - 1, NULL) == VOCAL_OK);
    CHECK(s.compound >= -1.0 && s.compound <= 1.0);
    vocal_workspace_free(ws);
    vocal_tokenizer_free(tk);
    vocal_lexicon_free(lex);
    unlink(path);
    rmdir(dir);
    return 0;
}
