/* vocal import: social-media and review exports to JSONL records
 * (docs/format/import.md), with a summary on standard error. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "vocal/import.h"

static const cli_opt opts[] = {
    {"from", 'f', "FORMAT", "auto (default), twitter, facebook, instagram, mastodon, reddit, rss, atom, "
                            "appstore, googleplay or html"},
    {"xpath", 0, "EXPR", "html: the elements that are one review each (XPath 1.0)"},
    {"include-reposts", 0, NULL, "keep retweets and boosts (is_repost: true)"},
    {"keep-authors", 0, NULL, "write authors as in the export instead of pseudonyms"},
    {"author-key", 0, "KEY", "pseudonym key (default: $VOCAL_AUTHOR_KEY, else a random key for this run)"},
    {"output", 'o', "FILE", "write the records to FILE (atomically) instead of standard output"},
    {"quiet", 'q', NULL, "no per-record warnings and no format notes; the summary stays"},
    {0, 0, 0, 0},
};

typedef struct import_args {
    vocal_import_options o;
    const char *from, *key, *out;
    int quiet;
} import_args;

static int on_opt(int idx, const char *arg, void *ctx)
{
    import_args *a = ctx;
    switch (idx) {
    case 0: a->from = arg; break;
    case 1: a->o.xpath = arg; break;
    case 2: a->o.include_reposts = 1; break;
    case 3: a->o.keep_authors = 1; break;
    case 4: a->key = arg; break;
    case 5: a->out = arg; break;
    case 6: a->quiet = 1; break;
    }
    return 0;
}

/* Rejected items shown per file before the rest are only counted. */
#define MAX_SHOWN 10

/* MARK: output */

static void str_field(FILE *f, const char *key, const char *v)
{
    if (!v) return;
    fputc(',', f);
    json_key(f, key);
    json_str(f, v, strlen(v));
}

static void num_field(FILE *f, const char *key, int64_t v)
{
    if (v == VOCAL_IMPORT_NONE) return;
    fprintf(f, ",\"%s\":%lld", key, (long long)v);
}

/* docs/format/import.md: key order is fixed, absent values are left out */
static void write_record(FILE *f, const vocal_import_record *r)
{
    fputs("{\"source\":", f);
    json_str(f, r->source, strlen(r->source));
    str_field(f, "format", r->format);
    str_field(f, "channel", r->channel);
    str_field(f, "id", r->id);
    str_field(f, "created_at", r->created_at);
    str_field(f, "url", r->url);
    str_field(f, "author", r->author);
    str_field(f, "reply_to", r->reply_to);
    str_field(f, "lang", r->lang);
    str_field(f, "title", r->title);
    fputs(",\"text\":", f);
    json_str(f, r->text, r->text_len);
    if (r->n_links) {
        fputs(",\"links\":[", f);
        for (size_t i = 0; i < r->n_links; i++) {
            if (i) fputc(',', f);
            json_str(f, r->links[i], strlen(r->links[i]));
        }
        fputc(']', f);
    }
    num_field(f, "likes", r->likes);
    num_field(f, "shares", r->shares);
    num_field(f, "replies", r->replies);
    num_field(f, "rating", r->rating);
    fprintf(f, ",\"is_repost\":%s}\n", r->is_repost ? "true" : "false");
}

/* -o FILE: a temporary file beside it, renamed over it once complete */
typedef struct out_file {
    FILE *f;
    char *tmp;
} out_file;

static int out_open(out_file *o, const char *path)
{
    memset(o, 0, sizeof *o);
    if (!path || !strcmp(path, "-")) {
        o->f = stdout;
        return 0;
    }
    size_t n = strlen(path);
    o->tmp = malloc(n + 16);
    if (!o->tmp) return -1;
    snprintf(o->tmp, n + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
        cli_error("%s: cannot create: %s", path, strerror(errno));
        if (fd >= 0) close(fd);
        free(o->tmp);
        o->tmp = NULL;
        return -1;
    }
    return 0;
}

/* Returns 0, or -1 after printing the error; ok = 0 discards the file. */
static int out_close(out_file *o, const char *path, int ok)
{
    if (!o->tmp) {
        if (fflush(stdout) != 0 || ferror(stdout)) {
            cli_error("<stdout>: write error: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    int rc = 0;
    if (fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0) rc = -1;
    if (fclose(o->f) != 0) rc = -1;
    if (rc < 0) cli_error("%s: write error: %s", path, strerror(errno));
    if (rc == 0 && ok && rename(o->tmp, path) != 0) {
        cli_error("%s: cannot rename into place: %s", path, strerror(errno));
        rc = -1;
    }
    if (rc < 0 || !ok) unlink(o->tmp);
    free(o->tmp);
    return rc;
}

/* MARK: run */

static int run(int argc, char **argv)
{
    import_args a;
    memset(&a, 0, sizeof a);
    vocal_import_options init = VOCAL_IMPORT_OPTIONS_INIT;
    a.o = init;
    int first = cli_parse(&cmd_import, argc, argv, on_opt, &a);
    if (first == -2) return EXIT_OK;
    if (first < 0) return EXIT_BAD;
    if (a.from) {
        a.o.format = vocal_import_format_from_name(a.from);
        if (a.o.format == VOCAL_IMPORT_UNKNOWN) return cli_bad_usage(&cmd_import, "unknown format '%s'", a.from);
    }
    if (a.o.xpath && a.o.format == VOCAL_IMPORT_AUTO) a.o.format = VOCAL_IMPORT_HTML;
    if (a.o.format == VOCAL_IMPORT_HTML && !a.o.xpath)
        return cli_bad_usage(&cmd_import, "--from html needs --xpath EXPR");
    if (!a.key) {
        const char *env = getenv("VOCAL_AUTHOR_KEY");
        if (env && *env) a.key = env;
        else if (env) cli_error("warning: VOCAL_AUTHOR_KEY is empty: ignored");
    }
    if (a.key && !a.o.keep_authors) {
        a.o.author_key = a.key;
        a.o.author_key_len = strlen(a.key);
    }
    vocal_importer *imp = NULL;
    vocal_error err;
    if (vocal_importer_new(&imp, &a.o, &err) < 0) {
        if (err.code == VOCAL_EINPUT) return cli_bad_usage(&cmd_import, "%s", err.msg);
        cli_print_error(&err);
        return EXIT_INTERNAL;
    }
    if (vocal_importer_random_key(imp) && !a.quiet)
        cli_error("import: authors pseudonymized with a random key for this run (not linkable across runs; "
                  "set --author-key or VOCAL_AUTHOR_KEY for stable pseudonyms)");
    out_file out;
    if (out_open(&out, a.out) < 0) {
        vocal_importer_free(imp);
        return EXIT_INTERNAL;
    }
    int status = EXIT_OK, failed_files = 0;
    /* STYLE.md: no PATH reads standard input */
    static char dash[] = "-";
    char *stdin_only[1] = {dash};
    char **paths = first < argc ? argv + first : stdin_only;
    int n_paths = first < argc ? argc - first : 1;
    for (int i = 0; i < n_paths; i++) {
        int rc = vocal_importer_add(imp, paths[i], &err);
        const char *why;
        vocal_import_format f = vocal_importer_format(imp, &why);
        if (!a.quiet && a.o.format == VOCAL_IMPORT_AUTO && f > VOCAL_IMPORT_AUTO && why[0])
            cli_error("import: %s: %s (%s)", cli_display_path(paths[i]), vocal_import_format_name(f), why);
        if (rc < 0) {
            cli_print_error(&err);
            failed_files++;
            if (rc == VOCAL_ENOMEM) {
                status = EXIT_INTERNAL;
                break;
            }
            status = EXIT_BAD;
        }
        vocal_import_record r;
        uint64_t shown = 0, hidden = 0;
        /* records read before a damaged part of a file still flow */
        while ((rc = vocal_importer_next(imp, &r, &err)) != 0) {
            if (rc == 1) write_record(out.f, &r);
            else if (rc == VOCAL_EINPUT) {
                /* the first few name the problem; a thousand more would bury it */
                if (a.quiet) continue;
                if (shown < MAX_SHOWN) {
                    cli_print_error(&err);
                    shown++;
                } else {
                    hidden++;
                }
            } else {
                cli_print_error(&err);
                status = EXIT_INTERNAL;
                break;
            }
        }
        if (hidden) cli_error("%s: %llu more rejected items not shown", cli_display_path(paths[i]),
                              (unsigned long long)hidden);
        if (status == EXIT_INTERNAL) break;
    }
    vocal_import_stats st;
    vocal_importer_stats(imp, &st);
    vocal_importer_free(imp);
    if (out_close(&out, a.out, status != EXIT_INTERNAL) < 0) status = EXIT_INTERNAL;
    fprintf(stderr,
            "vocal: import: %llu read, %llu imported, %llu duplicates, %llu reposts left out, %llu without text, "
            "%llu rejected",
            (unsigned long long)st.read, (unsigned long long)st.imported, (unsigned long long)st.duplicates,
            (unsigned long long)st.reposts, (unsigned long long)st.empty, (unsigned long long)st.rejected);
    if (failed_files) fprintf(stderr, "; %d file%s failed", failed_files, failed_files == 1 ? "" : "s");
    fputc('\n', stderr);
    return status;
}

const cli_cmd cmd_import = {
    "import",
    "[--from FORMAT|auto] [--xpath EXPR] [--include-reposts] [--keep-authors] [--author-key KEY] [-o FILE] "
    "[PATH|-]...",
    "turn social-media and review exports into JSONL records",
    "Reads X/Twitter archives (tweets.js), Facebook and Instagram JSON exports, Mastodon outbox.json,\n"
    "Reddit listings and dumps, RSS and Atom feeds, App Store review JSON, Google Play review CSV,\n"
    "and HTML pages (--xpath), also inside .zip and .tar.gz exports. Writes one JSON object per\n"
    "record (docs/format/import.md); the summary goes to standard error. Authors are pseudonymized\n"
    "unless --keep-authors. Duplicates are dropped and counted.",
    opts,
    run,
};
