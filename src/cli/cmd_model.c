/* vocal model info|top|merge|dump: look inside model files, and merge
 * models trained on shards of a corpus. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct model_args {
    const char *cls, *out;
    unsigned long n;
} model_args;

static const cli_opt model_opts[] = {
    {"class", 'c', "CLASS", "top: only this class"},
    {"number", 'n', "N", "top: features per class (default 20)"},
    {"output", 'o', "MODEL", "merge: the model file to write"},
    {0, 0, 0, 0},
};

static int on_opt(int idx, const char *arg, void *ctx)
{
    model_args *a = ctx;
    char *end;
    switch (idx) {
    case 0: a->cls = arg; break;
    case 1:
        a->n = strtoul(arg, &end, 10);
        if (*end || !*arg || a->n == 0 || a->n > 100000)
            return cli_bad_usage(&cmd_model, "-n needs a whole number in 1..100000, got '%s'", arg);
        break;
    case 2: a->out = arg; break;
    }
    return 0;
}

static int load(vocal_model **m, const char *path)
{
    vocal_error err;
    if (vocal_model_load(m, path, &err) < 0) {
        cli_print_error(&err);
        return err.code == VOCAL_ENOMEM ? EXIT_INTERNAL : EXIT_BAD;
    }
    return EXIT_OK;
}

static int info(const char *path)
{
    vocal_model *m;
    int st = load(&m, path);
    if (st != EXIT_OK) return st;
    vocal_model_info i;
    vocal_model_info_get(&i, m);
    const char *const *names;
    const uint64_t *docs;
    size_t nc = vocal_model_classes(m, &names, &docs);
    printf("model       %s\n", path);
    printf("format      %u.%u, written by vocal %s\n", i.format_major, i.format_minor, i.writer);
    printf("classes     %zu\n", nc);
    for (size_t c = 0; c < nc; c++) printf("  %-24s %llu training records\n", names[c], (unsigned long long)docs[c]);
    printf("features    %llu stored, %llu used after min-count pruning\n", (unsigned long long)i.n_features,
           (unsigned long long)i.n_features_used);
    printf("parameters  %llu\n", (unsigned long long)i.n_parameters);
    printf("corpus      %llu records, fingerprint %016llx\n", (unsigned long long)i.records,
           (unsigned long long)i.fingerprint);
    printf("text        language %s, stemmer %s (probe %016llx), Unicode %s\n", i.language,
           i.stemmer[0] ? i.stemmer : "none", (unsigned long long)i.stemmer_probe, i.unicode);
    const vocal_train_options *o = &i.options;
    printf("options     %s NB, alpha %g, %s priors, word %u-grams", o->variant == VOCAL_NB_COMPLEMENT ? "complement" : "multinomial",
           o->alpha, o->uniform_priors ? "uniform" : "learned", o->ngram);
    if (o->char_ngram_min) printf(", char %u-%u-grams", o->char_ngram_min, o->char_ngram_max);
    printf("%s, min count %llu, %s%s%s\n", o->binary ? ", binary" : "", (unsigned long long)o->min_count,
           o->use_stems ? "stems" : "surface words", o->use_negation ? ", negation marks" : "",
           o->use_lexicon ? ", lexicon features" : "");
    if (o->use_lexicon) printf("lexicon     fingerprint %016llx\n", (unsigned long long)i.lexicon_fingerprint);
    vocal_model_free(m);
    return EXIT_OK;
}

static int top(const char *path, const model_args *a)
{
    vocal_model *m;
    int st = load(&m, path);
    if (st != EXIT_OK) return st;
    const char *const *names;
    size_t nc = vocal_model_classes(m, &names, NULL);
    size_t n = a->n ? a->n : 20;
    vocal_feature_weight *w = malloc(n * sizeof *w);
    if (!w) {
        vocal_model_free(m);
        cli_error("out of memory");
        return EXIT_INTERNAL;
    }
    int found = 0;
    for (size_t c = 0; c < nc; c++) {
        if (a->cls && strcmp(a->cls, names[c]) != 0) continue;
        found = 1;
        size_t k = vocal_model_top_features(w, n, m, c);
        printf("%s\n", names[c]);
        for (size_t j = 0; j < k; j++)
            printf("  %-32.*s %+8.4f  %8llu\n", (int)w[j].len, w[j].feature, w[j].weight,
                   (unsigned long long)w[j].count);
    }
    free(w);
    vocal_model_free(m);
    if (!found) {
        cli_error("model top: '%s' is not a class of %s", a->cls, path);
        return EXIT_BAD;
    }
    return EXIT_OK;
}

static int merge(char **paths, int n, const char *out)
{
    vocal_model **ms = calloc((size_t)n, sizeof *ms);
    if (!ms) {
        cli_error("out of memory");
        return EXIT_INTERNAL;
    }
    int st = EXIT_OK;
    for (int i = 0; i < n && st == EXIT_OK; i++) st = load(&ms[i], paths[i]);
    vocal_model *m = NULL;
    vocal_error err;
    if (st == EXIT_OK && vocal_model_merge(&m, (const vocal_model *const *)ms, (size_t)n, &err) < 0) {
        cli_print_error(&err);
        st = err.code == VOCAL_ENOMEM ? EXIT_INTERNAL : EXIT_BAD;
    }
    if (st == EXIT_OK && vocal_model_save(m, out, &err) < 0) {
        cli_print_error(&err);
        st = err.code == VOCAL_ENOMEM ? EXIT_INTERNAL : EXIT_BAD;
    }
    if (st == EXIT_OK) {
        vocal_model_info i;
        vocal_model_info_get(&i, m);
        cli_error("model merge: %d models, %llu records, %llu features -> %s", n, (unsigned long long)i.records,
                  (unsigned long long)i.n_features, out);
    }
    vocal_model_free(m);
    for (int i = 0; i < n; i++) vocal_model_free(ms[i]);
    free(ms);
    return st;
}

static int dump(const char *path)
{
    vocal_model *m;
    int st = load(&m, path);
    if (st != EXIT_OK) return st;
    vocal_error err;
    if (vocal_model_dump(m, stdout, &err) < 0) {
        cli_print_error(&err);
        st = EXIT_INTERNAL;
    }
    vocal_model_free(m);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write standard output");
        st = EXIT_INTERNAL;
    }
    return st;
}

static int run(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        if (argc < 2) return cli_bad_usage(&cmd_model, "missing subcommand: info, top, merge or dump");
        cli_help(&cmd_model, stdout);
        return EXIT_OK;
    }
    const char *sub = argv[1];
    model_args a;
    memset(&a, 0, sizeof a);
    int first = cli_parse(&cmd_model, argc - 1, argv + 1, on_opt, &a);
    if (first == -2) return EXIT_OK;
    if (first < 0) return EXIT_BAD;
    char **ops = argv + 1 + first;
    int nops = argc - 1 - first;
    if (!strcmp(sub, "info") || !strcmp(sub, "top") || !strcmp(sub, "dump")) {
        if (nops != 1) return cli_bad_usage(&cmd_model, "%s takes one MODEL", sub);
        if (!strcmp(sub, "info")) return info(ops[0]);
        if (!strcmp(sub, "top")) return top(ops[0], &a);
        return dump(ops[0]);
    }
    if (!strcmp(sub, "merge")) {
        if (!a.out) return cli_bad_usage(&cmd_model, "merge needs -o MODEL");
        if (nops < 1) return cli_bad_usage(&cmd_model, "merge needs at least one MODEL");
        if (isatty(STDOUT_FILENO) && !strcmp(a.out, "-")) {
            cli_error("model merge: refusing to write a binary model to a terminal");
            return EXIT_BAD;
        }
        return merge(ops, nops, a.out);
    }
    return cli_bad_usage(&cmd_model, "unknown subcommand '%s': info, top, merge or dump", sub);
}

const cli_cmd cmd_model = {
    "model",
    "info|top|merge|dump [options] MODEL...",
    "look inside model files, and merge models trained on shards",
    "info MODEL            classes, vocabulary, parameters, corpus fingerprint, options\n"
    "top MODEL [-c C] [-n N]  the features that speak most for each class\n"
    "merge A B... -o C     sum models trained with the same options on different shards;\n"
    "                      the result equals the model trained on all the shards at once\n"
    "dump MODEL            a deterministic text form, for diffs in review",
    model_opts,
    run,
};
