/* libFuzzer target for the themes module: the input (after its first byte)
 * is a taxonomy file, which must load or be refused with VOCAL_EINPUT /
 * VOCAL_EVERSION naming a line, never crash or leak; a loaded taxonomy is
 * compiled and tags fixed texts. With the first byte odd, the input is
 * instead a text tagged by a small fixed taxonomy, and every evidence span
 * must lie inside it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vocal/vocal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static const char fixed_taxonomy[] =
    "#vocal-themes 1\n"
    "theme staff Staff\n context waiter staff\n"
    "theme staff.rude Rude\n lean negative\n match rude\n cue snapped ... at\n"
    "theme billing Billing\ntheme billing.twice Twice\n lean negative\n match charged ... twice\n"
    " match overcharg*\n exclude charged ? phone\n"
    "theme wait Wait\n match long =queue\n match \xF0\x9F\x90\x8C\n";

static void tag_all(vocal_workspace *ws, const vocal_tagger *tg, const vocal_lexicon *lex, const char *text,
                    size_t len)
{
    vocal_themes th;
    CHECK(vocal_themes_tag_text(&th, NULL, ws, tg, NULL, lex, text, len, NULL, NULL) == VOCAL_OK);
    for (size_t i = 0; i < th.n_hits; i++) {
        const vocal_theme_hit *h = &th.hits[i];
        CHECK(h->confidence >= 0 && h->confidence <= 1);
        CHECK(h->polarity >= -1 && h->polarity <= 1);
        for (size_t k = 0; k < h->n_evidence; k++) CHECK(h->evidence[k].start < h->evidence[k].end && h->evidence[k].end <= len);
    }
    for (size_t i = 0; i < th.n_root_causes; i++) CHECK(th.hits[th.root_causes[i]].polarity < 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vocal_lexicon *lex = NULL;
    vocal_tokenizer *tk = NULL;
    vocal_workspace *ws = NULL;
    vocal_taxonomy *tx = NULL;
    vocal_tagger *tg = NULL;
    CHECK(vocal_lexicon_new(&lex, "en", NULL) == VOCAL_OK);
    CHECK(vocal_lexicon_add(lex, VOCAL_LEX_VALENCE, "rude", -2, NULL) == VOCAL_OK);
    CHECK(vocal_lexicon_add(lex, VOCAL_LEX_NEGATOR, "not", 1, NULL) == VOCAL_OK);
    CHECK(vocal_lexicon_tokenizer_new(&tk, lex, NULL, NULL) == VOCAL_OK);
    CHECK(vocal_workspace_new(&ws, tk, NULL) == VOCAL_OK);
    CHECK(vocal_taxonomy_new(&tx, NULL) == VOCAL_OK);
    const char *in = size > 1 ? (const char *)data + 1 : "";
    size_t n = size > 1 ? size - 1 : 0;
    vocal_error err;
    if (size && (data[0] & 1)) {
        CHECK(vocal_taxonomy_load_buffer(tx, "fixed", fixed_taxonomy, sizeof fixed_taxonomy - 1, NULL) == VOCAL_OK);
        CHECK(vocal_tagger_new(&tg, tx, tk, NULL) == VOCAL_OK);
        tag_all(ws, tg, lex, in, n);
    } else {
        int rc = vocal_taxonomy_load_buffer(tx, "fuzz.themes", in, n, &err);
        CHECK(rc == VOCAL_OK || rc == VOCAL_EINPUT || rc == VOCAL_EVERSION);
        if (rc != VOCAL_OK) CHECK(err.path[0] && err.msg[0]);
        if (rc == VOCAL_OK) {
            for (size_t i = 0; i < vocal_taxonomy_count(tx); i++) {
                vocal_theme_info ti;
                CHECK(vocal_taxonomy_theme(&ti, tx, i) == VOCAL_OK);
                CHECK(vocal_taxonomy_find(tx, ti.id, strlen(ti.id)) == i);
            }
            rc = vocal_tagger_new(&tg, tx, tk, &err);
            CHECK(rc == VOCAL_OK || rc == VOCAL_EINPUT);
            if (rc == VOCAL_OK) {
                static const char text[] = "The waiter snapped at us, not rude though. Charged my card twice! "
                                           "\xF0\x9F\x90\x8C long queue outside";
                tag_all(ws, tg, lex, text, sizeof text - 1);
                tag_all(ws, tg, lex, in, n);
            }
        }
    }
    vocal_tagger_free(tg);
    vocal_taxonomy_free(tx);
    vocal_workspace_free(ws);
    vocal_tokenizer_free(tk);
    vocal_lexicon_free(lex);
    return 0;
}
