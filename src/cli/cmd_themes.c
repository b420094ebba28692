/* vocal themes (see the taxonomy, and why a text got its themes), and the
 * theme tasks of vocal train and vocal eval (--task themes). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "themes_json.h"

/* MARK: vocal themes */

typedef struct themes_args {
    cli_theme_args th;
    const char *lang;
    int json;
} themes_args;

static const cli_opt themes_opts[] = {
    {"domain", 0, "D", "also load the theme pack D: retail, travel, hospitality, software, finance (repeatable)"},
    {"themes", 0, "FILE", "also load this theme taxonomy file (repeatable)"},
    {"theme-model", 0, "MODEL", "also tag with this trained theme model"},
    {"lang", 'l', "LANG", "language (default en)"},
    {"json", 0, NULL, "print each text's themes as JSON (docs/format/records.md)"},
    {0, 0, 0, 0},
};

static int on_themes_opt(int idx, const char *arg, void *ctx)
{
    themes_args *a = ctx;
    const char *n = themes_opts[idx].name;
    if (!strcmp(n, "domain")) return cli_theme_args_add(&a->th, 1, arg) < 0 ? 1 : 0;
    if (!strcmp(n, "themes")) return cli_theme_args_add(&a->th, 0, arg) < 0 ? 1 : 0;
    if (!strcmp(n, "theme-model")) a->th.model = arg;
    else if (!strcmp(n, "lang")) a->lang = arg;
    else if (!strcmp(n, "json")) a->json = 1;
    return 0;
}

static void list_taxonomy(const vocal_taxonomy *tx)
{
    size_t n = vocal_taxonomy_count(tx);
    printf("%zu themes (language %s)\n", n, vocal_taxonomy_language(tx));
    for (size_t i = 0; i < n; i++) {
        vocal_theme_info ti;
        vocal_taxonomy_theme(&ti, tx, i);
        int ind = (int)ti.depth * 2;
        printf("%*s%-*s %-34s %-14s %3zu match %3zu cue %3zu context %3zu exclude\n", ind, "", 32 - ind, ti.id,
               ti.label, ti.lean < 0 ? "lean negative" : ti.lean > 0 ? "lean positive" : "", ti.n_match, ti.n_cue,
               ti.n_context, ti.n_exclude);
    }
}

void cli_themes_print(const char *text, size_t len, const vocal_themes *th)
{
    if (!th->n_hits) printf("  no theme\n");
    for (size_t i = 0; i < th->n_hits; i++) {
        const vocal_theme_hit *h = &th->hits[i];
        printf("  %s (%s): %s, confidence %.2f, %s", h->id, h->label, vocal_label_name(h->polarity), h->confidence,
               vocal_theme_source_name(h->source));
        if (h->model_prob >= 0) printf(", model p=%.2f", h->model_prob);
        if (h->negation_rule) printf(", negated leaning child -> parent");
        putchar('\n');
        for (size_t k = 0; k < h->n_evidence; k++) {
            const vocal_theme_evidence *v = &h->evidence[k];
            uint64_t s = v->start < len ? v->start : len, e = v->end < len ? v->end : len;
            printf("      \"%.*s\" [%llu, %llu) clause %u (%+.2f)", (int)(e - s), text + s, (unsigned long long)s,
                   (unsigned long long)e, v->clause, v->clause_sum);
            if (v->pattern[0]) printf(" %s \"%s\"", v->flags & VOCAL_EVID_CUE ? "cue" : "match", v->pattern);
            if (v->flags & VOCAL_EVID_MODEL) printf(" model word");
            if (v->flags & VOCAL_EVID_NEGATED) printf(" negated");
            putchar('\n');
        }
    }
    if (th->n_root_causes) {
        printf("  root causes:");
        for (size_t i = 0; i < th->n_root_causes; i++) printf(" %s", th->hits[th->root_causes[i]].id);
        putchar('\n');
    }
}

static int run_themes(int argc, char **argv)
{
    themes_args a;
    memset(&a, 0, sizeof a);
    int first = cli_parse(&cmd_themes, argc, argv, on_themes_opt, &a);
    if (first == -2) return EXIT_OK;
    if (first < 0) return EXIT_BAD;
    int list = first < argc && !strcmp(argv[first], "list");
    cli_lexicon cl;
    int status = cli_lexicon_open(&cl, a.lang, NULL, NULL, 0, 0);
    if (status != EXIT_OK) return status;
    cli_themes ct;
    if ((status = cli_themes_open(&ct, &a.th, cl.tk)) != EXIT_OK) {
        cli_lexicon_close(&cl);
        return status;
    }
    cli_lines in = {0};
    cli_buf b = {0};
    vocal_error err;
    int from_stdin = !list && (first >= argc || (first + 1 == argc && !strcmp(argv[first], "-")));
    if (list) {
        list_taxonomy(ct.tx);
        goto done;
    }
    if (from_stdin && cli_lines_open(&in, "-") < 0) {
        status = EXIT_BAD;
        goto done;
    }
    for (int i = first;; i++) {
        char *text;
        size_t len;
        if (from_stdin) {
            int r = cli_lines_next(&in, &text, &len);
            if (r < 0) status = EXIT_BAD;
            if (r <= 0) break;
        } else {
            if (i >= argc) break;
            text = argv[i];
            len = strlen(text);
        }
        vocal_themes th;
        if (vocal_themes_tag_text(&th, NULL, cl.ws, ct.tg, ct.tm, cl.lex, text, len, NULL, &err) < 0) {
            cli_print_error(&err);
            status = EXIT_INTERNAL;
            break;
        }
        if (a.json) {
            b.len = 0;
            if (cli_buf_puts(&b, "{\"text\":") < 0 || cli_buf_json_str(&b, text, len) < 0 || cli_buf_puts(&b, ",") < 0 ||
                cli_themes_json(&b, &th, text, len) < 0) {
                cli_error("out of memory");
                status = EXIT_INTERNAL;
                break;
            }
            printf("%.*s}\n", (int)b.len, b.p);
        } else {
            printf("%.*s\n", (int)len, text);
            cli_themes_print(text, len, &th);
        }
    }
done:
    if (from_stdin) cli_lines_close(&in);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write standard output");
        status = EXIT_INTERNAL;
    }
    cli_buf_free(&b);
    cli_themes_close(&ct);
    cli_lexicon_close(&cl);
    return status;
}

const cli_cmd cmd_themes = {
    "themes",
    "[options] list | [TEXT...|-]",
    "show the theme taxonomy, or which themes a text has and why",
    "'vocal themes list' prints the taxonomy as a tree: id, label, lean and how many\n"
    "patterns of each kind a theme has. 'vocal themes TEXT...' (or lines on standard input)\n"
    "prints each text's themes, strongest first, with polarity, confidence and source,\n"
    "and under each its evidence: the words, their byte span, the clause and its lexicon\n"
    "sum (where the polarity comes from), the pattern that matched and whether it was\n"
    "negated; then the root causes. The taxonomy is lexicons/themes/core.themes plus the\n"
    "--domain packs and --themes files, in that order (lexicons/themes/README.md).",
    themes_opts,
    run_themes,
};

/* MARK: theme labels of a record */

/* Split a record's labels into theme labels: each label may hold several,
 * separated by spaces or commas (a TSV cell); "none" is no theme. */
static size_t split_themes(const vocal_record *rec, char *buf, size_t cap, const char **out, size_t max)
{
    size_t n = 0, used = 0;
    for (size_t i = 0; i < rec->n_labels; i++) {
        const char *s = rec->labels[i];
        for (size_t p = 0; s[p];) {
            while (s[p] == ' ' || s[p] == ',') p++;
            size_t q = p;
            while (s[q] && s[q] != ' ' && s[q] != ',') q++;
            if (q > p && !(q - p == 4 && !memcmp(s + p, "none", 4)) && n < max && used + q - p + 1 <= cap) {
                memcpy(buf + used, s + p, q - p);
                buf[used + q - p] = '\0';
                out[n++] = buf + used;
                used += q - p + 1;
            }
            p = q;
        }
    }
    return n;
}

static int open_reader(vocal_reader **r, const char *path, const vocal_reader_options *ro)
{
    vocal_error err;
    if (vocal_reader_open(r, path, ro, &err) < 0) {
        cli_print_error(&err);
        return err.code == VOCAL_ENOMEM ? EXIT_INTERNAL : EXIT_BAD;
    }
    return EXIT_OK;
}

/* MARK: train --task themes */

int cli_train_themes(const cli_theme_task *t, char **files, int nfiles)
{
    cli_lexicon cl;
    int status = cli_lexicon_open(&cl, t->lang, NULL, NULL, 0, t->topts->use_stems ? 0 : VOCAL_TEXT_NO_STEM);
    if (status != EXIT_OK) return status;
    vocal_theme_trainer *tr = NULL;
    vocal_theme_model *m = NULL;
    vocal_error err;
    uint64_t used = 0, rejected = 0;
    if (vocal_theme_trainer_new(&tr, cl.tk, t->topts, &err) < 0) {
        cli_print_error(&err);
        cli_lexicon_close(&cl);
        return err.code == VOCAL_ENOMEM ? EXIT_INTERNAL : EXIT_BAD;
    }
    char buf[4096];
    const char *themes[20];
    for (int i = 0; i < nfiles && status == EXIT_OK; i++) {
        vocal_reader *r = NULL;
        if ((status = open_reader(&r, files[i], t->ropts)) != EXIT_OK) break;
        vocal_record rec;
        int rc;
        while ((rc = vocal_reader_next(r, &rec, &err)) != 0) {
            if (rc == VOCAL_EINPUT) {
                rejected++;
                if (!t->quiet) cli_print_error(&err);
                continue;
            }
            if (rc < 0) {
                cli_print_error(&err);
                status = rc == VOCAL_ENOMEM ? EXIT_INTERNAL : EXIT_BAD;
                break;
            }
            size_t n = split_themes(&rec, buf, sizeof buf, themes, 20);
            rc = vocal_theme_trainer_add(tr, cl.ws, rec.text, rec.text_len, themes, n, &err);
            if (rc == VOCAL_EINPUT) {
                rejected++;
                snprintf(err.path, sizeof err.path, "%s", cli_display_path(files[i]));
                err.line = rec.line;
                err.byte = rec.byte;
                if (!t->quiet) cli_print_error(&err);
            } else if (rc < 0) {
                cli_print_error(&err);
                status = EXIT_INTERNAL;
                break;
            } else {
                used++;
            }
        }
        vocal_reader_free(r);
    }
    if (status == EXIT_OK && vocal_theme_trainer_finish(&m, tr, &err) < 0) {
        cli_print_error(&err);
        status = err.code == VOCAL_ENOMEM ? EXIT_INTERNAL : EXIT_BAD;
    }
    if (status == EXIT_OK && vocal_theme_model_save(m, t->out, &err) < 0) {
        cli_print_error(&err);
        status = err.code == VOCAL_ENOMEM ? EXIT_INTERNAL : EXIT_BAD;
    }
    if (status == EXIT_OK) {
        cli_error("train: %llu records used, %llu rejected; %zu themes -> %s", (unsigned long long)used,
                  (unsigned long long)rejected, vocal_theme_model_themes(m, NULL), t->out);
        if (t->strict && rejected) status = EXIT_BAD;
    }
    vocal_theme_model_free(m);
    vocal_theme_trainer_free(tr);
    cli_lexicon_close(&cl);
    return status;
}

/* MARK: eval --task themes */

typedef struct theme_stat {
    char *id;
    uint64_t tp, fp, fn, pol_total, pol_correct;
} theme_stat;

typedef struct stats {
    theme_stat *s;
    size_t n, cap;
} stats;

static theme_stat *stat_of(stats *st, const char *id)
{
    for (size_t i = 0; i < st->n; i++)
        if (!strcmp(st->s[i].id, id)) return &st->s[i];
    if (st->n == st->cap) {
        size_t nc = st->cap ? st->cap * 2 : 32;
        theme_stat *p = realloc(st->s, nc * sizeof *p);
        if (!p) return NULL;
        st->s = p;
        st->cap = nc;
    }
    theme_stat *t = &st->s[st->n];
    memset(t, 0, sizeof *t);
    t->id = strdup(id);
    if (!t->id) return NULL;
    st->n++;
    return t;
}

static int cmp_stat(const void *a, const void *b)
{
    return strcmp(((const theme_stat *)a)->id, ((const theme_stat *)b)->id);
}

/* -1/0/+1 from a label's ":polarity", or 2 when it has none. */
static int label_pol(const char *s, size_t *idlen)
{
    const char *c = strchr(s, ':');
    *idlen = c ? (size_t)(c - s) : strlen(s);
    if (!c) return 2;
    c++;
    if (!strcmp(c, "negative") || !strcmp(c, "-") || !strcmp(c, "neg")) return -1;
    if (!strcmp(c, "positive") || !strcmp(c, "+") || !strcmp(c, "pos")) return 1;
    return 0;
}

/* A predicted id counts as the truth id it equals or descends from (a hit on
 * delivery.late is the truth "delivery"); else as itself. */
static const char *map_pred(const char *id, const char *const *truth, const size_t *tlen, size_t nt)
{
    for (size_t k = 0; k < nt; k++) {
        size_t l = tlen[k];
        if (!strncmp(id, truth[k], l) && (id[l] == '\0' || id[l] == '.')) return truth[k];
    }
    return NULL;
}

static double f1(double p, double r)
{
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

static double ratio(uint64_t a, uint64_t b)
{
    return b ? (double)a / (double)b : 0;
}

static void print_theme_eval(const stats *st, const cli_theme_task *t, uint64_t records, const char *how)
{
    uint64_t tp = 0, fp = 0, fn = 0, pt = 0, pc = 0;
    double macro = 0;
    size_t nm = 0;
    for (size_t i = 0; i < st->n; i++) {
        const theme_stat *s = &st->s[i];
        tp += s->tp, fp += s->fp, fn += s->fn, pt += s->pol_total, pc += s->pol_correct;
        if (s->tp + s->fp + s->fn) {
            macro += f1(ratio(s->tp, s->tp + s->fp), ratio(s->tp, s->tp + s->fn));
            nm++;
        }
    }
    double P = ratio(tp, tp + fp), R = ratio(tp, tp + fn), F = f1(P, R);
    macro = nm ? macro / (double)nm : 0;
    if (t->json) {
        printf("{\"evaluation\":");
        json_str(stdout, how, strlen(how));
        printf(",\"records\":%llu,\"micro_precision\":%.6f,\"micro_recall\":%.6f,\"micro_f1\":%.6f,\"macro_f1\":%.6f,"
               "\"polarity_accuracy\":%.6f,\"polarity_scored\":%llu,\"themes\":{",
               (unsigned long long)records, P, R, F, macro, ratio(pc, pt), (unsigned long long)pt);
        for (size_t i = 0; i < st->n; i++) {
            const theme_stat *s = &st->s[i];
            double p = ratio(s->tp, s->tp + s->fp), r = ratio(s->tp, s->tp + s->fn);
            if (i) putchar(',');
            json_str(stdout, s->id, strlen(s->id));
            printf(":{\"precision\":%.6f,\"recall\":%.6f,\"f1\":%.6f,\"support\":%llu,\"predicted\":%llu,"
                   "\"polarity_accuracy\":%.6f}",
                   p, r, f1(p, r), (unsigned long long)(s->tp + s->fn), (unsigned long long)(s->tp + s->fp),
                   ratio(s->pol_correct, s->pol_total));
        }
        printf("}}\n");
        return;
    }
    printf("%s: %llu records\n", how, (unsigned long long)records);
    printf("micro-F1   %.4f   (precision %.4f, recall %.4f)\nmacro-F1   %.4f\n", F, P, R, macro);
    printf("polarity   %.4f   accuracy on %llu correctly found themes with a true polarity\n\n", ratio(pc, pt),
           (unsigned long long)pt);
    printf("%-32s %9s %9s %9s %9s %9s %9s\n", "theme", "precision", "recall", "F1", "support", "predicted",
           "polarity");
    for (size_t i = 0; i < st->n; i++) {
        const theme_stat *s = &st->s[i];
        double p = ratio(s->tp, s->tp + s->fp), r = ratio(s->tp, s->tp + s->fn);
        printf("%-32s %9.4f %9.4f %9.4f %9llu %9llu %9.4f\n", s->id, p, r, f1(p, r),
               (unsigned long long)(s->tp + s->fn), (unsigned long long)(s->tp + s->fp),
               ratio(s->pol_correct, s->pol_total));
    }
}

/* Score one record: truth labels against the tagged hits. */
static int score_record(stats *st, const char *const *truth, size_t nt, const vocal_themes *th)
{
    size_t tlen[20];
    int tpol[20], found[20] = {0};
    for (size_t k = 0; k < nt; k++) tpol[k] = label_pol(truth[k], &tlen[k]);
    char tid[20][128];
    for (size_t k = 0; k < nt; k++) {
        size_t l = tlen[k] < 127 ? tlen[k] : 127;
        memcpy(tid[k], truth[k], l);
        tid[k][l] = '\0';
    }
    const char *tids[20];
    for (size_t k = 0; k < nt; k++) tids[k] = tid[k];
    /* predictions, strongest first; each truth or other id counted once */
    const char *seen[64];
    size_t ns = 0;
    for (size_t i = 0; i < th->n_hits; i++) {
        const char *id = th->hits[i].id;
        const char *m = map_pred(id, tids, tlen, nt);
        const char *key = m ? m : id;
        int dup = 0;
        for (size_t k = 0; k < ns && !dup; k++) dup = !strcmp(seen[k], key);
        if (dup || ns == 64) continue;
        seen[ns++] = key;
        theme_stat *s = stat_of(st, key);
        if (!s) return -1;
        if (!m) {
            s->fp++;
            continue;
        }
        size_t k = 0;
        while (k < nt && tids[k] != m) k++;
        s->tp++;
        found[k] = 1;
        if (tpol[k] != 2) {
            s->pol_total++;
            s->pol_correct += th->hits[i].polarity == tpol[k];
        }
    }
    for (size_t k = 0; k < nt; k++) {
        int dup = 0;
        for (size_t j = 0; j < k && !dup; j++) dup = !strcmp(tids[j], tids[k]);
        if (found[k] || dup) continue;
        theme_stat *s = stat_of(st, tids[k]);
        if (!s) return -1;
        s->fn++;
    }
    return 0;
}

int cli_eval_themes(const cli_theme_task *t, char **files, int nfiles)
{
    int rules = t->rules || !t->th.model; /* no model: the rules alone */
    cli_lexicon cl;
    int status = cli_lexicon_open(&cl, t->lang, NULL, NULL, 0, 0);
    if (status != EXIT_OK) return status;
    cli_theme_args ta = t->th;
    ta.no_rules = !rules;
    cli_themes ct;
    if ((status = cli_themes_open(&ct, &ta, cl.tk)) != EXIT_OK) {
        cli_lexicon_close(&cl);
        return status;
    }
    vocal_tag_options to = VOCAL_TAG_OPTIONS_INIT;
    if (t->threshold > 0) to.model_threshold = t->threshold;
    stats st = {0};
    uint64_t records = 0, rejected = 0;
    vocal_error err;
    char buf[4096];
    const char *truth[20];
    for (int i = 0; i < nfiles && status == EXIT_OK; i++) {
        vocal_reader *r = NULL;
        if ((status = open_reader(&r, files[i], t->ropts)) != EXIT_OK) break;
        vocal_record rec;
        int rc;
        while ((rc = vocal_reader_next(r, &rec, &err)) != 0) {
            if (rc == VOCAL_EINPUT) {
                rejected++;
                if (!t->quiet) cli_print_error(&err);
                continue;
            }
            if (rc < 0) {
                cli_print_error(&err);
                status = rc == VOCAL_ENOMEM ? EXIT_INTERNAL : EXIT_BAD;
                break;
            }
            size_t n = split_themes(&rec, buf, sizeof buf, truth, 20);
            vocal_themes th;
            if (vocal_themes_tag_text(&th, NULL, cl.ws, ct.tg, ct.tm, cl.lex, rec.text, rec.text_len, &to, &err) < 0 ||
                score_record(&st, truth, n, &th) < 0) {
                cli_error("out of memory");
                status = EXIT_INTERNAL;
                break;
            }
            records++;
        }
        vocal_reader_free(r);
    }
    if (status == EXIT_OK) {
        qsort(st.s, st.n, sizeof *st.s, cmp_stat);
        char how[160];
        const char *mb = t->th.model ? strrchr(t->th.model, '/') : NULL;
        mb = mb ? mb + 1 : t->th.model ? t->th.model : "";
        snprintf(how, sizeof how, "theme evaluation (%s%s%s)", rules ? "rules" : "",
                 rules && t->th.model ? " + " : "", mb);
        print_theme_eval(&st, t, records, how);
        if (rejected) cli_error("eval: %llu records rejected", (unsigned long long)rejected);
        if (t->strict && rejected) status = EXIT_BAD;
    }
    for (size_t i = 0; i < st.n; i++) free(st.s[i].id);
    free(st.s);
    cli_themes_close(&ct);
    cli_lexicon_close(&cl);
    return status;
}
