/* Finding vocal's data (lexicons, models) and loading the lexicon the
 * commands share. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The data directory, in order: $VOCAL_DATA_DIR; <exe>/../share/vocal (an
 * installed vocal); the source tree the binary was built from; the
 * configured install prefix. */
const char *cli_data_dir(void)
{
    static char found[PATH_MAX + 64];
    if (found[0]) return found;
    const char *env = getenv("VOCAL_DATA_DIR");
    if (env && *env) {
        if (is_dir(env)) {
            snprintf(found, sizeof found, "%s", env);
            return found;
        }
        cli_error("warning: VOCAL_DATA_DIR=%s is not a directory; ignored", env);
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char cand[PATH_MAX + 32];
            snprintf(cand, sizeof cand, "%s/../share/vocal/lexicons", exe);
            if (is_dir(cand)) {
                snprintf(found, sizeof found, "%s/../share/vocal", exe);
                return found;
            }
        }
    }
    if (is_dir(VOCAL_SOURCE_DATADIR "/lexicons")) {
        snprintf(found, sizeof found, "%s", VOCAL_SOURCE_DATADIR);
        return found;
    }
    snprintf(found, sizeof found, "%s", VOCAL_DATADIR);
    return found;
}

static int is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* A default model: <models>/<lang>-<task>.model, where <models> is, in order,
 * $VOCAL_MODEL_DIR; <data>/models (an installed vocal, or VOCAL_DATA_DIR);
 * the build directory this binary came from (models are built, never kept
 * in the source tree). */
int cli_default_model(char *out, size_t cap, const char *lang, const char *task)
{
    const char *code = lang ? lang : "en";
    const char *env = getenv("VOCAL_MODEL_DIR");
    if (env && *env) {
        snprintf(out, cap, "%s/%s-%s.model", env, code, task);
        return is_file(out) ? 0 : -1;
    }
    snprintf(out, cap, "%s/models/%s-%s.model", cli_data_dir(), code, task);
    if (is_file(out)) return 0;
    snprintf(out, cap, "%s/%s-%s.model", VOCAL_BUILD_MODELDIR, code, task);
    return is_file(out) ? 0 : -1;
}

int cli_lexicon_open(cli_lexicon *cl, const char *lang, const char *dir, const char *const *extra,
                     size_t nextra, uint32_t text_flags)
{
    memset(cl, 0, sizeof *cl);
    vocal_error err;
    const char *code = lang ? lang : "en";
    char path[PATH_MAX + 160], common[PATH_MAX + 160];
    int rc = vocal_lexicon_new(&cl->lex, code, &err);
    if (!dir) {
        /* emoji and emoticons read the same in every language */
        snprintf(common, sizeof common, "%s/lexicons/common", cli_data_dir());
        if (rc == VOCAL_OK && is_dir(common)) rc = vocal_lexicon_load_dir(cl->lex, common, &err);
        snprintf(path, sizeof path, "%s/lexicons/%s", cli_data_dir(), code);
        dir = path;
    }
    if (rc == VOCAL_OK) rc = vocal_lexicon_load_dir(cl->lex, dir, &err);
    for (size_t i = 0; rc == VOCAL_OK && i < nextra; i++) rc = vocal_lexicon_load_file(cl->lex, extra[i], &err);
    vocal_text_options o = VOCAL_TEXT_OPTIONS_INIT;
    o.language = code;
    o.flags = text_flags;
    if (rc == VOCAL_OK) rc = vocal_lexicon_tokenizer_new(&cl->tk, cl->lex, &o, &err);
    if (rc == VOCAL_OK) rc = vocal_workspace_new(&cl->ws, cl->tk, &err);
    if (rc < 0) {
        cli_print_error(&err);
        cli_lexicon_close(cl);
        return rc == VOCAL_ENOMEM ? EXIT_INTERNAL : EXIT_BAD;
    }
    return EXIT_OK;
}

void cli_lexicon_close(cli_lexicon *cl)
{
    vocal_workspace_free(cl->ws);
    vocal_tokenizer_free(cl->tk);
    vocal_lexicon_free(cl->lex);
    memset(cl, 0, sizeof *cl);
}

int cli_model_open(vocal_model **m, cli_lexicon *cl, const char *path, const char *lang)
{
    vocal_error err;
    if (vocal_model_load(m, path, &err) < 0) {
        cli_print_error(&err);
        return err.code == VOCAL_ENOMEM ? EXIT_INTERNAL : EXIT_BAD;
    }
    vocal_model_info info;
    vocal_model_info_get(&info, *m);
    /* the model's own language and stemming, so its features match */
    int status = cli_lexicon_open(cl, lang ? lang : info.language, NULL, NULL, 0,
                                  info.stemmer[0] ? 0 : VOCAL_TEXT_NO_STEM);
    if (status != EXIT_OK) {
        vocal_model_free(*m);
        *m = NULL;
        return status;
    }
    if (vocal_model_check_tokenizer(*m, cl->tk, &err) < 0) {
        cli_print_error(&err);
        cli_lexicon_close(cl);
        vocal_model_free(*m);
        *m = NULL;
        return EXIT_BAD;
    }
    /* Lexicon features read the lexicon loaded now; another one (a newer
     * vocal, an edited file) shifts them, so say so rather than guess. */
    uint64_t fp = vocal_lexicon_fingerprint(cl->lex);
    if (info.options.use_lexicon && info.lexicon_fingerprint && info.lexicon_fingerprint != fp)
        cli_error("warning: %s: trained with lexicon features from another lexicon (fingerprint "
                  "%016llx, loaded %016llx); retrain it to use this lexicon",
                  cli_display_path(path), (unsigned long long)info.lexicon_fingerprint,
                  (unsigned long long)fp);
    return EXIT_OK;
}
