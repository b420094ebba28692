/* vocal train and vocal eval: naive-Bayes models from the command line
 * (vocal classify is in cmd_classify.c). Every record read is either used or reported as rejected
 * with its file, line and byte, and counted in the closing summary. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "themes_json.h"

#define MAX_INPUTS 256

/* MARK: shared options */

typedef struct nb_args {
    /* input */
    vocal_reader_options ropts;
    const char *format;
    /* training */
    vocal_train_options topts;
    const char *lang;
    /* output / model */
    const char *out, *model;
    /* classify */
    vocal_classify_options copts;
    /* eval */
    unsigned folds;
    unsigned long seed;
    int json, strict, quiet;
    const char *lexicon_dir;
    /* themes (issue 5) */
    cli_theme_args th;
    int no_themes, rules, label_set, theme_threshold_set;
    double theme_threshold;
    const char *task;
} nb_args;

static void args_init(nb_args *a)
{
    memset(a, 0, sizeof *a);
    vocal_reader_options r = VOCAL_READER_OPTIONS_INIT;
    vocal_train_options t = VOCAL_TRAIN_OPTIONS_INIT;
    vocal_classify_options c = VOCAL_CLASSIFY_OPTIONS_INIT;
    a->ropts = r;
    a->topts = t;
    a->topts.use_lexicon = 1; /* measured: docs/accuracy.md */
    a->copts = c;
    a->seed = 1;
}

/* Options every one of the three commands shares, then each one's own. The
 * tables are joined per command so each has one table (STYLE.md). */
#define INPUT_OPTS                                                                                  \
    {"format", 'f', "FMT", "input format: auto (default), tsv, fasttext, csv, jsonl, lines"},        \
    {"text-column", 0, "COL", "CSV column (name or 1-based index) or JSONL path of the text"},      \
    {"label-column", 0, "COL", "CSV column or JSONL path of the label(s) (default \"label\")"},     \
    {"delimiter", 0, "C", "CSV delimiter (default: sniffed among , ; TAB)"},                        \
    {"no-header", 0, NULL, "CSV has no header row (columns are then 1-based indexes)"},             \
    {"quiet", 'q', NULL, "no per-record warnings on standard error (the summary stays)"},           \
    {"strict", 0, NULL, "exit 1 if any record was rejected"}

#define TRAIN_OPTS                                                                                  \
    {"variant", 0, "NB", "complement (default) or multinomial naive Bayes"},                        \
    {"alpha", 0, "A", "Lidstone smoothing (default 0.5)"},                                            \
    {"uniform-priors", 0, NULL, "equal class priors instead of learned ones"},                      \
    {"ngram", 0, "N", "word n-gram order (default 2)"},                                             \
    {"char-ngrams", 0, "MIN-MAX", "also character n-grams within words, e.g. 3-5 (default off)"},   \
    {"binary", 0, NULL, "count a feature at most once per record"},                                 \
    {"min-count", 0, "N", "ignore features seen fewer than N times in all (default 1)"},            \
    {"surface", 0, NULL, "words as they are written (normalized), not their stems"},                \
    {"no-negation", 0, NULL, "do not mark words in a negation scope (NOT_good)"},                   \
    {"no-lexicon-features", 0, NULL, "leave out the lexicon scorer's verdict as features"},         \
    {"lang", 'l', "LANG", "language of the texts (default en)"}

#define THEME_OPTS                                                                                  \
    {"domain", 0, "D", "also load the theme pack D: retail, travel, hospitality, software, finance "  \
                       "(repeatable)"},                                                               \
    {"themes", 0, "FILE", "also load this theme taxonomy file (repeatable)"}

static const cli_opt train_opts[] = {
    {"output", 'o', "MODEL", "the model file to write (required)"},
    {"task", 0, "TASK", "labels (default) or themes: labels are theme ids, \"id\" or \"id:polarity\" "
                        "(JSONL field \"themes\" by default; \"none\" = no theme)"},
    INPUT_OPTS,
    TRAIN_OPTS,
    {0, 0, 0, 0},
};

static const cli_opt eval_opts[] = {
    {"model", 'm', "MODEL", "evaluate this model on the labelled FILEs"},
    {"task", 0, "TASK", "labels (default) or themes: multi-label theme tagging (micro/macro-F1, polarity)"},
    {"rules", 0, NULL, "with --task themes and --model: the taxonomy rules too (without --model: rules only)"},
    THEME_OPTS,
    {"folds", 'k', "K", "without --model: K-fold cross-validation on the FILEs (default 10)"},
    {"seed", 0, "N", "shuffle seed for the folds (default 1)"},
    {"json", 0, NULL, "print the results as one JSON object"},
    {"min-prob", 0, "P", "abstain below this probability (abstentions count as errors)"},
    INPUT_OPTS,
    TRAIN_OPTS,
    {0, 0, 0, 0},
};

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    if (!s || !*s || *s == '-') return -1;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || v > max) return -1;
    *out = v;
    return 0;
}

static int parse_prob(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (!*s || *end || !(v >= 0 && v <= 1)) return -1;
    *out = v;
    return 0;
}

typedef struct opt_ctx {
    nb_args *a;
    const cli_cmd *cmd;
} opt_ctx;

static int on_opt(int idx, const char *arg, void *ctx)
{
    opt_ctx *c = ctx;
    nb_args *a = c->a;
    const char *n = c->cmd->opts[idx].name;
    unsigned long u;
    int st = 0;
    if (!strcmp(n, "output")) a->out = arg;
    else if (!strcmp(n, "model")) a->model = arg;
    else if (cli_input_opt(c->cmd, n, arg, &a->ropts, &st)) {
        if (!strcmp(n, "label-column")) a->label_set = 1;
        return st;
    }
    else if (!strcmp(n, "quiet")) a->quiet = 1;
    else if (!strcmp(n, "strict")) a->strict = 1;
    else if (!strcmp(n, "variant")) {
        if (!strcmp(arg, "complement")) a->topts.variant = VOCAL_NB_COMPLEMENT;
        else if (!strcmp(arg, "multinomial")) a->topts.variant = VOCAL_NB_MULTINOMIAL;
        else return cli_bad_usage(c->cmd, "--variant is complement or multinomial, not '%s'", arg);
    } else if (!strcmp(n, "alpha")) {
        char *end;
        double v = strtod(arg, &end);
        if (*end || !(v > 0 && v < 1e6)) return cli_bad_usage(c->cmd, "--alpha needs a number > 0, got '%s'", arg);
        a->topts.alpha = v;
    } else if (!strcmp(n, "uniform-priors")) a->topts.uniform_priors = 1;
    else if (!strcmp(n, "ngram")) {
        if (parse_uint(arg, VOCAL_MODEL_MAX_NGRAM, &u) < 0 || u < 1)
            return cli_bad_usage(c->cmd, "--ngram needs 1..%d, got '%s'", VOCAL_MODEL_MAX_NGRAM, arg);
        a->topts.ngram = (unsigned)u;
    } else if (!strcmp(n, "char-ngrams")) {
        unsigned lo, hi;
        char tail;
        if (sscanf(arg, "%u-%u%c", &lo, &hi, &tail) != 2 || lo < 1 || lo > hi || hi > VOCAL_MODEL_MAX_CHAR_NGRAM)
            return cli_bad_usage(c->cmd, "--char-ngrams needs MIN-MAX with 1 <= MIN <= MAX <= %d, got '%s'",
                                 VOCAL_MODEL_MAX_CHAR_NGRAM, arg);
        a->topts.char_ngram_min = lo;
        a->topts.char_ngram_max = hi;
    } else if (!strcmp(n, "binary")) a->topts.binary = 1;
    else if (!strcmp(n, "min-count")) {
        if (parse_uint(arg, 1000000000UL, &u) < 0 || u < 1)
            return cli_bad_usage(c->cmd, "--min-count needs a whole number >= 1, got '%s'", arg);
        a->topts.min_count = u;
    } else if (!strcmp(n, "surface")) a->topts.use_stems = 0;
    else if (!strcmp(n, "no-negation")) a->topts.use_negation = 0;
    else if (!strcmp(n, "no-lexicon-features")) a->topts.use_lexicon = 0;
    else if (!strcmp(n, "lang")) a->lang = arg;
    else if (!strcmp(n, "min-prob")) {
        if (parse_prob(arg, &a->copts.min_prob) < 0)
            return cli_bad_usage(c->cmd, "--min-prob needs a probability in [0, 1], got '%s'", arg);
    } else if (!strcmp(n, "top")) {
        if (parse_uint(arg, VOCAL_CLASSIFY_MAX_TOP_K, &u) < 0)
            return cli_bad_usage(c->cmd, "--top needs 0..%d, got '%s'", VOCAL_CLASSIFY_MAX_TOP_K, arg);
        a->copts.top_k = (unsigned)u;
    } else if (!strcmp(n, "folds")) {
        if (parse_uint(arg, 1000, &u) < 0 || u < 2) return cli_bad_usage(c->cmd, "--folds needs 2..1000, got '%s'", arg);
        a->folds = (unsigned)u;
    } else if (!strcmp(n, "seed")) {
        if (parse_uint(arg, 0xFFFFFFFFUL, &u) < 0) return cli_bad_usage(c->cmd, "--seed needs a whole number, got '%s'", arg);
        a->seed = u;
    } else if (!strcmp(n, "json")) a->json = 1;
    else if (!strcmp(n, "domain")) return cli_theme_args_add(&a->th, 1, arg) < 0 ? 1 : 0;
    else if (!strcmp(n, "themes")) return cli_theme_args_add(&a->th, 0, arg) < 0 ? 1 : 0;
    else if (!strcmp(n, "theme-model")) a->th.model = arg;
    else if (!strcmp(n, "no-themes")) a->no_themes = 1;
    else if (!strcmp(n, "no-rules")) a->th.no_rules = 1;
    else if (!strcmp(n, "theme-threshold")) {
        if (parse_prob(arg, &a->theme_threshold) < 0)
            return cli_bad_usage(c->cmd, "--theme-threshold needs a probability in [0, 1], got '%s'", arg);
        a->theme_threshold_set = 1;
    }
    else if (!strcmp(n, "rules")) a->rules = 1;
    else if (!strcmp(n, "task")) {
        if (strcmp(arg, "labels") && strcmp(arg, "themes"))
            return cli_bad_usage(c->cmd, "--task is labels or themes, not '%s'", arg);
        a->task = !strcmp(arg, "themes") ? "themes" : NULL;
    }
    return 0;
}

/* --task themes: hand over to cmd_themes.c; theme labels come from the
 * JSONL field "themes" unless --label-column says otherwise */
static int run_theme_task(nb_args *a, int train, char **files, int nfiles)
{
    if (!a->label_set) a->ropts.label_field = "themes";
    /* a theme model's evidence is words; the clause polarity comes from the
     * lexicon at tagging time, so the lexicon features (on by default for
     * sentiment) stay off here */
    a->topts.use_lexicon = 0;
    a->ropts.empty_label = "none"; /* "themes": [] is a record with no theme */
    cli_theme_task t;
    memset(&t, 0, sizeof t);
    t.ropts = &a->ropts;
    t.topts = &a->topts;
    t.lang = a->lang;
    t.out = a->out;
    t.th = a->th;
    t.th.model = train ? NULL : a->model;
    t.rules = a->rules;
    t.json = a->json;
    t.quiet = a->quiet;
    t.strict = a->strict;
    t.threshold = a->copts.min_prob;
    return train ? cli_train_themes(&t, files, nfiles) : cli_eval_themes(&t, files, nfiles);
}

/* MARK: the lexicon and tokenizer every command needs */

typedef struct nb_env {
    cli_lexicon cl; /* lexicon + a stemming tokenizer + workspace */
} nb_env;

static int env_open(nb_env *e, const char *lang, int stems)
{
    return cli_lexicon_open(&e->cl, lang, NULL, NULL, 0, stems ? 0 : VOCAL_TEXT_NO_STEM);
}

static void report_reject(const nb_args *a, const vocal_error *err, uint64_t *rejected)
{
    (*rejected)++;
    if (!a->quiet) cli_print_error(err);
}

/* MARK: reading records */

/* Call fn on every record of every file; a record the reader rejects is
 * reported and counted. fn returns EXIT_OK, VOCAL_EINPUT (the record is
 * rejected: fn filled err, without its location) or an exit code that
 * stops the run. Returns EXIT_OK or that exit code. */
typedef int (*record_fn)(const vocal_record *rec, vocal_error *err, void *ctx);

static int each_record(nb_args *a, char **files, int nfiles, uint64_t *read, uint64_t *rejected, record_fn fn,
                       void *ctx)
{
    for (int i = 0; i < nfiles; i++) {
        vocal_reader *r = NULL;
        vocal_error err;
        if (vocal_reader_open(&r, files[i], &a->ropts, &err) < 0) {
            cli_print_error(&err);
            return err.code == VOCAL_ENOMEM ? EXIT_INTERNAL : EXIT_BAD;
        }
        vocal_record rec;
        int rc, st = EXIT_OK;
        while (st == EXIT_OK && (rc = vocal_reader_next(r, &rec, &err)) != 0) {
            if (rc == VOCAL_EINPUT) {
                report_reject(a, &err, rejected);
                continue;
            }
            if (rc < 0) {
                cli_print_error(&err);
                st = rc == VOCAL_ENOMEM ? EXIT_INTERNAL : EXIT_BAD;
                break;
            }
            int fr = fn(&rec, &err, ctx);
            if (fr == VOCAL_EINPUT) {
                /* the reader knows where the record was; fn knows why it is bad */
                snprintf(err.path, sizeof err.path, "%s", cli_display_path(files[i]));
                err.line = rec.line;
                err.byte = rec.byte;
                report_reject(a, &err, rejected);
            } else {
                st = fr;
            }
        }
        uint64_t nread, nrej;
        vocal_reader_stats(r, &nread, &nrej);
        *read += nread + nrej;
        vocal_reader_free(r);
        if (st != EXIT_OK) return st;
    }
    return EXIT_OK;
}

/* MARK: train */

typedef struct train_ctx {
    vocal_trainer *tr;
    vocal_workspace *ws;
    uint64_t used;
} train_ctx;

static int train_one(const vocal_record *rec, vocal_error *err, void *ctx)
{
    train_ctx *t = ctx;
    int rc = vocal_trainer_add(t->tr, t->ws, rec->text, rec->text_len, rec->labels, rec->n_labels, err);
    if (rc == VOCAL_EINPUT) return VOCAL_EINPUT;
    if (rc < 0) {
        cli_print_error(err);
        return EXIT_INTERNAL;
    }
    t->used++;
    return EXIT_OK;
}

static int run_train(int argc, char **argv)
{
    nb_args a;
    args_init(&a);
    opt_ctx ctx = {&a, &cmd_train};
    int first = cli_parse(&cmd_train, argc, argv, on_opt, &ctx);
    if (first == -2) return EXIT_OK;
    if (first < 0) return EXIT_BAD;
    if (!a.out) return cli_bad_usage(&cmd_train, "missing -o MODEL");
    if (first >= argc) return cli_bad_usage(&cmd_train, "missing CORPUS");
    if (a.task) return run_theme_task(&a, 1, argv + first, argc - first);
    nb_env e;
    int status = env_open(&e, a.lang, a.topts.use_stems);
    if (status != EXIT_OK) return status;
    vocal_trainer *tr = NULL;
    vocal_model *m = NULL;
    vocal_error err;
    if (vocal_trainer_new(&tr, e.cl.tk, e.cl.lex, &a.topts, &err) < 0) {
        cli_print_error(&err);
        cli_lexicon_close(&e.cl);
        return err.code == VOCAL_ENOMEM ? EXIT_INTERNAL : EXIT_BAD;
    }
    uint64_t rejected = 0, read = 0;
    train_ctx tc = {tr, e.cl.ws, 0};
    status = each_record(&a, argv + first, argc - first, &read, &rejected, train_one, &tc);
    uint64_t used = tc.used;
    if (status == EXIT_OK) {
        const char *const *names;
        if (vocal_trainer_finish(&m, tr, &err) < 0) {
            cli_print_error(&err);
            status = err.code == VOCAL_ENOMEM ? EXIT_INTERNAL : EXIT_BAD;
        } else if (vocal_model_classes(m, &names, NULL) < 2) {
            if (vocal_model_classes(m, &names, NULL) == 1)
                cli_error("train: only one class ('%s') in the corpus: a classifier needs two or more", names[0]);
            else
                cli_error("train: no usable record in the corpus");
            status = EXIT_BAD;
        } else if (vocal_model_save(m, a.out, &err) < 0) {
            cli_print_error(&err);
            status = err.code == VOCAL_ENOMEM ? EXIT_INTERNAL : EXIT_BAD;
        }
    }
    if (status == EXIT_OK) {
        vocal_model_info info;
        vocal_model_info_get(&info, m);
        cli_error("train: %llu record%s read, %llu used, %llu rejected; %zu classes, %llu features -> %s",
                  (unsigned long long)read, read == 1 ? "" : "s", (unsigned long long)used,
                  (unsigned long long)rejected, info.n_classes, (unsigned long long)info.n_features, a.out);
        if (a.strict && rejected) status = EXIT_BAD;
    }
    vocal_model_free(m);
    vocal_trainer_free(tr);
    cli_lexicon_close(&e.cl);
    return status;
}

static int load_model_for(vocal_model **m, nb_env *e, const char *path, const char *lang)
{
    return cli_model_open(m, &e->cl, path, lang);
}

/* MARK: eval */

typedef struct labelled {
    char *text;
    size_t len;
    char *label;
} labelled;

typedef struct dataset {
    labelled *r;
    size_t n, cap;
} dataset;

static void dataset_free(dataset *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->r[i].text);
        free(d->r[i].label);
    }
    free(d->r);
    memset(d, 0, sizeof *d);
}

/* Keep every labelled record (cross-validation needs them all in memory). */
static int keep_one(const vocal_record *rec, vocal_error *err, void *ctx)
{
    dataset *d = ctx;
    (void)err;
    if (d->n == d->cap) {
        size_t nc = d->cap ? d->cap * 2 : 1024;
        labelled *p = realloc(d->r, nc * sizeof *p);
        if (!p) {
            cli_error("out of memory");
            return EXIT_INTERNAL;
        }
        d->r = p;
        d->cap = nc;
    }
    labelled *l = &d->r[d->n];
    l->text = malloc(rec->text_len ? rec->text_len : 1);
    l->label = strdup(rec->labels[0]); /* the first label is the truth */
    if (!l->text || !l->label) {
        free(l->text);
        free(l->label);
        cli_error("out of memory");
        return EXIT_INTERNAL;
    }
    memcpy(l->text, rec->text, rec->text_len);
    l->len = rec->text_len;
    d->n++;
    return EXIT_OK;
}

/* Evaluate m on records [idx] into cm (classes by name: a true label the
 * model lacks is rejected, reported and counted). */
typedef struct evalacc {
    vocal_confusion *cm;
    vocal_calibration cal;
    uint64_t unknown;
} evalacc;

static int evaluate(evalacc *acc, nb_env *e, const vocal_model *m, const dataset *d, const size_t *idx, size_t n,
                    const nb_args *a, const char *const *truth_names, size_t n_truth)
{
    vocal_error err;
    for (size_t k = 0; k < n; k++) {
        const labelled *l = &d->r[idx ? idx[k] : k];
        /* truth index in the shared class list */
        size_t t = VOCAL_NO_CLASS;
        for (size_t c = 0; c < n_truth; c++)
            if (!strcmp(truth_names[c], l->label)) t = c;
        vocal_classification c;
        if (vocal_model_classify(&c, e->cl.ws, m, e->cl.lex, l->text, l->len, &a->copts, &err) < 0) {
            cli_print_error(&err);
            return EXIT_INTERNAL;
        }
        if (t == VOCAL_NO_CLASS) {
            acc->unknown++;
            continue;
        }
        /* map the model's predicted class to the shared list by name */
        size_t p = VOCAL_NO_CLASS;
        if (!c.abstained)
            for (size_t q = 0; q < n_truth; q++)
                if (!strcmp(truth_names[q], c.label)) p = q;
        vocal_confusion_add(acc->cm, t, p);
        vocal_calibration_add(&acc->cal, c.prob, p == t);
    }
    return EXIT_OK;
}

static void print_results(const nb_args *a, vocal_confusion *cm, const vocal_calibration *cal,
                          const char *const *names, size_t nc, const char *how, uint64_t rejected, uint64_t unknown)
{
    vocal_metrics mt;
    vocal_confusion_metrics(&mt, cm);
    FILE *o = stdout;
    if (a->json) {
        fprintf(o, "{\"evaluation\":");
        json_str(o, how, strlen(how));
        fprintf(o, ",\"records\":%llu,\"rejected\":%llu,\"unknown_label\":%llu,\"accuracy\":%.6f,\"macro_f1\":%.6f,"
                   "\"macro_precision\":%.6f,\"macro_recall\":%.6f,\"weighted_f1\":%.6f,\"abstained\":%llu,"
                   "\"ece\":%.6f,\"classes\":{",
                (unsigned long long)mt.total, (unsigned long long)rejected, (unsigned long long)unknown, mt.accuracy,
                mt.macro_f1, mt.macro_precision, mt.macro_recall, mt.weighted_f1, (unsigned long long)mt.abstained,
                vocal_calibration_ece(cal));
        for (size_t c = 0; c < nc; c++) {
            const vocal_class_metrics *pc = &mt.per_class[c];
            if (c) fputc(',', o);
            json_str(o, names[c], strlen(names[c]));
            fprintf(o, ":{\"precision\":%.6f,\"recall\":%.6f,\"f1\":%.6f,\"support\":%llu}", pc->precision,
                    pc->recall, pc->f1, (unsigned long long)pc->support);
        }
        fputs("},\"confusion\":[", o);
        for (size_t t = 0; t < nc; t++) {
            fputs(t ? ",[" : "[", o);
            for (size_t p = 0; p < nc; p++) fprintf(o, "%s%llu", p ? "," : "", (unsigned long long)vocal_confusion_get(cm, t, p));
            fputc(']', o);
        }
        fputs("],\"calibration\":[", o);
        int first = 1;
        for (unsigned b = 0; b < cal->n_bins; b++) {
            if (!cal->count[b]) continue;
            fprintf(o, "%s{\"from\":%.2f,\"to\":%.2f,\"count\":%llu,\"confidence\":%.4f,\"accuracy\":%.4f}",
                    first ? "" : ",", (double)b / cal->n_bins, (double)(b + 1) / cal->n_bins,
                    (unsigned long long)cal->count[b], cal->conf_sum[b] / cal->count[b],
                    (double)cal->correct[b] / cal->count[b]);
            first = 0;
        }
        fputs("]}\n", o);
        return;
    }
    fprintf(o, "%s: %llu records", how, (unsigned long long)mt.total);
    if (rejected || unknown)
        fprintf(o, " (%llu rejected, %llu with a label the model lacks)", (unsigned long long)rejected,
                (unsigned long long)unknown);
    fprintf(o, "\naccuracy   %.4f\nmacro-F1   %.4f   (precision %.4f, recall %.4f)\n", mt.accuracy, mt.macro_f1,
            mt.macro_precision, mt.macro_recall);
    if (mt.abstained) fprintf(o, "abstained  %llu (counted as errors)\n", (unsigned long long)mt.abstained);
    fprintf(o, "\n%-20s %9s %9s %9s %9s\n", "class", "precision", "recall", "F1", "support");
    for (size_t c = 0; c < nc; c++) {
        const vocal_class_metrics *pc = &mt.per_class[c];
        fprintf(o, "%-20s %9.4f %9.4f %9.4f %9llu\n", names[c], pc->precision, pc->recall, pc->f1,
                (unsigned long long)pc->support);
    }
    fprintf(o, "\nconfusion (rows: true class, columns: predicted)\n%-20s", "");
    for (size_t p = 0; p < nc; p++) fprintf(o, " %8.8s", names[p]);
    fputc('\n', o);
    for (size_t t = 0; t < nc; t++) {
        fprintf(o, "%-20.20s", names[t]);
        for (size_t p = 0; p < nc; p++) fprintf(o, " %8llu", (unsigned long long)vocal_confusion_get(cm, t, p));
        fputc('\n', o);
    }
    fprintf(o, "\ncalibration: expected calibration error %.4f\n", vocal_calibration_ece(cal));
    fprintf(o, "  %-11s %8s %11s %9s\n", "probability", "records", "confidence", "accuracy");
    for (unsigned b = 0; b < cal->n_bins; b++) {
        if (!cal->count[b]) continue;
        fprintf(o, "  %.2f-%.2f   %8llu %11.4f %9.4f\n", (double)b / cal->n_bins, (double)(b + 1) / cal->n_bins,
                (unsigned long long)cal->count[b], cal->conf_sum[b] / cal->count[b],
                (double)cal->correct[b] / cal->count[b]);
    }
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* xorshift64*: a fixed-seed shuffle that is the same on every machine */
static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

static int run_eval(int argc, char **argv)
{
    nb_args a;
    args_init(&a);
    a.folds = 10;
    opt_ctx ctx = {&a, &cmd_eval};
    int first = cli_parse(&cmd_eval, argc, argv, on_opt, &ctx);
    if (first == -2) return EXIT_OK;
    if (first < 0) return EXIT_BAD;
    if (first >= argc) return cli_bad_usage(&cmd_eval, "missing FILE (labelled records)");
    if (a.task) return run_theme_task(&a, 0, argv + first, argc - first);
    dataset d = {0};
    uint64_t rejected = 0, read = 0;
    int status = each_record(&a, argv + first, argc - first, &read, &rejected, keep_one, &d);
    if (status == EXIT_OK && d.n == 0) {
        cli_error("eval: no labelled record could be read");
        status = EXIT_BAD;
    }
    if (status != EXIT_OK) {
        dataset_free(&d);
        return status;
    }
    /* the class list: the model's, plus any true label it lacks (those are reported) */
    nb_env e;
    memset(&e, 0, sizeof e);
    vocal_model *m = NULL;
    const char **names = NULL;
    size_t nc = 0;
    evalacc acc;
    memset(&acc, 0, sizeof acc);
    vocal_calibration_init(&acc.cal, 10);
    vocal_error err;
    char how[96];
    if (a.model) {
        status = load_model_for(&m, &e, a.model, a.lang);
        if (status != EXIT_OK) {
            dataset_free(&d);
            return status;
        }
        const char *const *mn;
        nc = vocal_model_classes(m, &mn, NULL);
        names = malloc(nc * sizeof *names);
        if (!names) status = EXIT_INTERNAL;
        else memcpy(names, mn, nc * sizeof *names);
        for (size_t i = 0; status == EXIT_OK && i < d.n; i++)
            if (vocal_model_class_index(m, d.r[i].label, strlen(d.r[i].label)) == VOCAL_NO_CLASS && !a.quiet)
                cli_error("%s: record %zu: label '%s' is not a class of %s; not scored", argv[first], i + 1,
                          d.r[i].label, a.model);
        if (status == EXIT_OK && vocal_confusion_new(&acc.cm, nc, &err) < 0) status = EXIT_INTERNAL;
        if (status == EXIT_OK) status = evaluate(&acc, &e, m, &d, NULL, d.n, &a, names, nc);
        snprintf(how, sizeof how, "held-out evaluation of %s", a.model);
    } else {
        /* k-fold cross-validation: classes are every label seen, sorted */
        names = malloc(d.n * sizeof *names);
        if (!names) status = EXIT_INTERNAL;
        for (size_t i = 0; status == EXIT_OK && i < d.n; i++) names[i] = d.r[i].label;
        if (status == EXIT_OK) {
            qsort(names, d.n, sizeof *names, cmp_str);
            for (size_t i = 0; i < d.n; i++)
                if (!nc || strcmp(names[nc - 1], names[i])) names[nc++] = names[i];
        }
        if (status == EXIT_OK && nc < 2) {
            cli_error("eval: only one class ('%s') in the data: nothing to cross-validate", names[0]);
            status = EXIT_BAD;
        }
        if (status == EXIT_OK && d.n < a.folds) {
            cli_error("eval: %zu records cannot be split into %u folds", d.n, a.folds);
            status = EXIT_BAD;
        }
        if (status == EXIT_OK) status = env_open(&e, a.lang, a.topts.use_stems);
        if (status == EXIT_OK && vocal_confusion_new(&acc.cm, nc, &err) < 0) status = EXIT_INTERNAL;
        size_t *perm = status == EXIT_OK ? malloc(d.n * sizeof *perm) : NULL;
        if (status == EXIT_OK && !perm) status = EXIT_INTERNAL;
        if (status == EXIT_OK) {
            uint64_t s = 0x9E3779B97F4A7C15ULL ^ a.seed;
            for (size_t i = 0; i < d.n; i++) perm[i] = i;
            for (size_t i = d.n; i > 1; i--) {
                size_t j = (size_t)(rng_next(&s) % i);
                size_t t = perm[i - 1];
                perm[i - 1] = perm[j];
                perm[j] = t;
            }
        }
        for (unsigned f = 0; status == EXIT_OK && f < a.folds; f++) {
            size_t lo = d.n * f / a.folds, hi = d.n * (f + 1) / a.folds;
            vocal_trainer *tr = NULL;
            vocal_model *fm = NULL;
            if (vocal_trainer_new(&tr, e.cl.tk, e.cl.lex, &a.topts, &err) < 0) {
                cli_print_error(&err);
                status = err.code == VOCAL_ENOMEM ? EXIT_INTERNAL : EXIT_BAD;
                break;
            }
            for (size_t k = 0; k < d.n && status == EXIT_OK; k++) {
                if (k >= lo && k < hi) continue;
                const labelled *l = &d.r[perm[k]];
                const char *lab[1] = {l->label};
                if (vocal_trainer_add(tr, e.cl.ws, l->text, l->len, lab, 1, &err) == VOCAL_ENOMEM) status = EXIT_INTERNAL;
            }
            if (status == EXIT_OK && vocal_trainer_finish(&fm, tr, &err) < 0) {
                cli_print_error(&err);
                status = err.code == VOCAL_ENOMEM ? EXIT_INTERNAL : EXIT_BAD;
            }
            if (status == EXIT_OK) status = evaluate(&acc, &e, fm, &d, perm + lo, hi - lo, &a, names, nc);
            vocal_model_free(fm);
            vocal_trainer_free(tr);
        }
        free(perm);
        snprintf(how, sizeof how, "%u-fold cross-validation (seed %lu)", a.folds, a.seed);
    }
    if (status == EXIT_OK) {
        print_results(&a, acc.cm, &acc.cal, names, nc, how, rejected, acc.unknown);
        if (rejected || acc.unknown)
            cli_error("eval: %zu records read, %llu rejected, %llu with a label the model lacks", d.n + (size_t)rejected,
                      (unsigned long long)rejected, (unsigned long long)acc.unknown);
        if (a.strict && (rejected || acc.unknown)) status = EXIT_BAD;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write standard output");
        status = EXIT_INTERNAL;
    }
    vocal_confusion_free(acc.cm);
    free(names);
    vocal_model_free(m);
    cli_lexicon_close(&e.cl);
    dataset_free(&d);
    return status;
}

const cli_cmd cmd_train = {
    "train",
    "[options] CORPUS... -o MODEL",
    "train a naive-Bayes classifier on labelled corpora",
    "Corpora are TSV (label<TAB>text), fastText (__label__a __label__b text), CSV (with\n"
    "--text-column and --label-column) or JSONL (field paths), read as a stream: their size\n"
    "is limited by disk, not memory. Any label set works: sentiment, intent, product line.\n"
    "A record that cannot be used (no label, empty text, a malformed row) is reported with\n"
    "its file, line and byte and counted; the run ends with a summary.",
    train_opts,
    run_train,
};

const cli_cmd cmd_eval = {
    "eval",
    "[--model MODEL | --folds K] [options] FILE...",
    "measure a classifier on labelled data: accuracy, macro-F1, per class, confusion, calibration",
    "With --model, the model is scored on the labelled FILEs (a label the model lacks is\n"
    "reported and not scored). Without, K-fold cross-validation (default 10 folds, fixed\n"
    "seed) trains on K-1 folds and scores the last, K times, with the training options given.",
    eval_opts,
    run_eval,
};
