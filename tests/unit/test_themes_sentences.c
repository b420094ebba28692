/* Every labelled sentence of tests/data/themes/sentences.tsv through the
 * shipped core taxonomy and English lexicon: the exact set of themes and
 * polarities must come out. Format: TEXT<TAB>EXPECTED, EXPECTED a
 * space-separated list of theme.id:POLARITY (+, - or 0), empty for no theme;
 * lines starting with # are comments. Prints every failure (text, expected,
 * got) and the count that pass; exits 77 (skipped) when the file is absent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vocal/vocal.h"

#define SENTENCES VOCAL_SOURCE_DIR "/tests/data/themes/sentences.tsv"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sort the space-separated items of s in place (into out). */
static void canonical(char *out, size_t cap, const char *s)
{
    char tmp[2048];
    snprintf(tmp, sizeof tmp, "%s", s);
    const char *items[128];
    size_t n = 0;
    for (char *p = strtok(tmp, " \t\r"); p && n < 128; p = strtok(NULL, " \t\r")) items[n++] = p;
    qsort(items, n, sizeof *items, cmp_str);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(out);
        snprintf(out + l, cap - l, "%s%s", i ? " " : "", items[i]);
    }
}

static void got_set(char *out, size_t cap, const vocal_themes *th)
{
    char raw[2048] = "";
    for (size_t i = 0; i < th->n_hits; i++) {
        const vocal_theme_hit *h = &th->hits[i];
        size_t l = strlen(raw);
        snprintf(raw + l, sizeof raw - l, "%s%s:%c", i ? " " : "", h->id,
                 h->polarity > 0 ? '+' : h->polarity < 0 ? '-' : '0');
    }
    canonical(out, cap, raw);
}

int main(void)
{
    FILE *f = fopen(SENTENCES, "r");
    if (!f) {
        printf("skipped: %s is absent\n", SENTENCES);
        return 77;
    }
    vocal_error err;
    vocal_lexicon *lex = NULL;
    vocal_tokenizer *tk = NULL;
    vocal_workspace *ws = NULL;
    vocal_taxonomy *tx = NULL;
    vocal_tagger *tg = NULL;
    if (vocal_lexicon_new(&lex, "en", &err) || vocal_lexicon_load_dir(lex, VOCAL_SOURCE_DIR "/lexicons/common", &err) ||
        vocal_lexicon_load_dir(lex, VOCAL_SOURCE_DIR "/lexicons/en", &err) ||
        vocal_lexicon_tokenizer_new(&tk, lex, NULL, &err) || vocal_workspace_new(&ws, tk, &err) ||
        vocal_taxonomy_new(&tx, &err) || vocal_taxonomy_load_data(tx, VOCAL_SOURCE_DIR, NULL, 0, &err) ||
        vocal_tagger_new(&tg, tx, tk, &err)) {
        printf("%s:%llu: %s\n", err.path, (unsigned long long)err.line, err.msg);
        return 1;
    }
    char line[4096];
    unsigned total = 0, pass = 0, lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        if (!n || line[0] == '#') continue;
        char *tab = strchr(line, '\t');
        const char *want_raw = tab ? tab + 1 : "";
        size_t tl = tab ? (size_t)(tab - line) : n;
        char want[2048], got[2048];
        canonical(want, sizeof want, want_raw);
        vocal_themes th;
        if (vocal_themes_tag_text(&th, NULL, ws, tg, NULL, lex, line, tl, NULL, &err) < 0) {
            printf("line %u: %s\n", lineno, err.msg);
            return 1;
        }
        got_set(got, sizeof got, &th);
        total++;
        if (!strcmp(want, got)) {
            pass++;
            continue;
        }
        printf("FAIL line %u: %.*s\n    expected: %s\n    got:      %s\n", lineno, (int)tl, line, want, got);
    }
    fclose(f);
    printf("%u of %u sentences pass (%.1f%%)\n", pass, total, total ? 100.0 * pass / total : 0.0);
    vocal_tagger_free(tg);
    vocal_taxonomy_free(tx);
    vocal_workspace_free(ws);
    vocal_tokenizer_free(tk);
    vocal_lexicon_free(lex);
    return total && pass == total ? 0 : 1;
}
