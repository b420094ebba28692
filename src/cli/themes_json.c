/* Theme setup shared by the commands, and the records.md JSON of a tagged
 * text's themes (see themes_json.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "themes_json.h"

/* MARK: buffer */

int cli_buf_put(cli_buf *b, const char *s, size_t n)
{
    cb_put(b, s, n);
    return b->oom ? -1 : 0;
}

int cli_buf_puts(cli_buf *b, const char *s)
{
    return cli_buf_put(b, s, strlen(s));
}

int cli_buf_json_str(cli_buf *b, const char *s, size_t n)
{
    cb_json_str(b, s, n);
    return b->oom ? -1 : 0;
}

void cli_buf_free(cli_buf *b)
{
    cb_free(b);
}

/* MARK: setup */

int cli_theme_args_add(cli_theme_args *a, int domain, const char *value)
{
    size_t *n = domain ? &a->ndomains : &a->nfiles;
    if (*n == CLI_THEMES_MAX_FILES) {
        cli_error("too many --%s options (at most %d)", domain ? "domain" : "themes", CLI_THEMES_MAX_FILES);
        return -1;
    }
    (domain ? a->domains : a->files)[(*n)++] = value;
    return 0;
}

int cli_themes_open(cli_themes *ct, const cli_theme_args *a, const vocal_tokenizer *tk)
{
    memset(ct, 0, sizeof *ct);
    vocal_error err;
    int rc = VOCAL_OK;
    if (!a->no_rules) {
        rc = vocal_taxonomy_new(&ct->tx, &err);
        /* the data directory is the one the lexicons come from (data.c) */
        if (rc == VOCAL_OK) rc = vocal_taxonomy_load_data(ct->tx, cli_data_dir(), a->domains, a->ndomains, &err);
        for (size_t i = 0; rc == VOCAL_OK && i < a->nfiles; i++) rc = vocal_taxonomy_load_file(ct->tx, a->files[i], &err);
        if (rc == VOCAL_OK) rc = vocal_tagger_new(&ct->tg, ct->tx, tk, &err);
    }
    if (rc == VOCAL_OK && a->model) {
        rc = vocal_theme_model_load(&ct->tm, a->model, &err);
        if (rc == VOCAL_OK && vocal_model_check_tokenizer(vocal_theme_model_base(ct->tm), tk, &err) < 0) {
            cli_error("warning: %s: %s", a->model, err.msg);
            rc = VOCAL_OK;
        }
    }
    if (rc < 0) {
        cli_print_error(&err);
        cli_themes_close(ct);
        return rc == VOCAL_ENOMEM ? EXIT_INTERNAL : EXIT_BAD;
    }
    return EXIT_OK;
}

void cli_themes_close(cli_themes *ct)
{
    vocal_theme_model_free(ct->tm);
    vocal_tagger_free(ct->tg);
    vocal_taxonomy_free(ct->tx);
    memset(ct, 0, sizeof *ct);
}

/* MARK: JSON */

static int put_num(cli_buf *b, double v)
{
    char s[CLI_FMT_G_MAX];
    if (!isfinite(v)) v = 0;
    int n = cli_fmt_g(s, v, 4);
    return cli_buf_put(b, s, (size_t)n);
}

static int put_u64(cli_buf *b, uint64_t v)
{
    char s[CLI_FMT_U64_MAX];
    return cli_buf_put(b, s, (size_t)cli_fmt_u64(s, v));
}

static int put_hit(cli_buf *b, const vocal_theme_hit *h, const char *text, size_t len)
{
    int r = 0;
    r |= cli_buf_puts(b, "{\"id\":");
    r |= cli_buf_json_str(b, h->id, strlen(h->id));
    r |= cli_buf_puts(b, ",\"parent\":");
    r |= cli_buf_json_str(b, h->parent, strlen(h->parent));
    r |= cli_buf_puts(b, ",\"label\":");
    r |= cli_buf_json_str(b, h->label, strlen(h->label));
    r |= cli_buf_puts(b, ",\"polarity\":\"");
    r |= cli_buf_puts(b, vocal_label_name(h->polarity));
    r |= cli_buf_puts(b, "\",\"confidence\":");
    r |= put_num(b, h->confidence);
    r |= cli_buf_puts(b, ",\"source\":\"");
    r |= cli_buf_puts(b, vocal_theme_source_name(h->source));
    r |= cli_buf_puts(b, "\",\"evidence\":");
    r |= cli_theme_evidence_json(b, h, text, len);
    r |= cli_buf_puts(b, "}");
    return r ? -1 : 0;
}

int cli_theme_evidence_json(cli_buf *b, const vocal_theme_hit *h, const char *text, size_t len)
{
    int r = cli_buf_puts(b, "[");
    for (size_t k = 0; k < h->n_evidence; k++) {
        const vocal_theme_evidence *v = &h->evidence[k];
        uint64_t s = v->start < len ? v->start : len, e = v->end < len ? v->end : len;
        r |= cli_buf_puts(b, k ? ",{\"start\":" : "{\"start\":");
        r |= put_u64(b, s);
        r |= cli_buf_puts(b, ",\"end\":");
        r |= put_u64(b, e);
        r |= cli_buf_puts(b, ",\"text\":");
        r |= cli_buf_json_str(b, text + s, (size_t)(e - s));
        r |= cli_buf_puts(b, "}");
    }
    r |= cli_buf_puts(b, "]");
    return r ? -1 : 0;
}

int cli_themes_json(cli_buf *b, const vocal_themes *th, const char *text, size_t len)
{
    int r = cli_buf_puts(b, "\"themes\":[");
    for (size_t i = 0; i < th->n_hits && !r; i++) {
        if (i) r |= cli_buf_puts(b, ",");
        r |= put_hit(b, &th->hits[i], text, len);
    }
    r |= cli_buf_puts(b, "],\"root_causes\":[");
    for (size_t i = 0; i < th->n_root_causes && !r; i++) {
        const char *id = th->hits[th->root_causes[i]].id;
        if (i) r |= cli_buf_puts(b, ",");
        r |= cli_buf_json_str(b, id, strlen(id));
    }
    r |= cli_buf_puts(b, "]");
    return r ? -1 : 0;
}
