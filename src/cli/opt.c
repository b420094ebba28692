/* Option parsing from a command's option table (STYLE.md: one table drives
 * getopt_long, --help and the man page source). */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_usage(const cli_cmd *cmd, FILE *f)
{
    fprintf(f, "usage: vocal %s %s\n", cmd->name, cmd->synopsis);
}

void cli_help(const cli_cmd *cmd, FILE *f)
{
    cli_usage(cmd, f);
    fprintf(f, "\n%s\n", cmd->summary);
    if (cmd->description) fprintf(f, "\n%s\n", cmd->description);
    fprintf(f, "\noptions:\n");
    for (const cli_opt *o = cmd->opts; o && o->name; o++) {
        char left[64];
        if (o->short_name)
            snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf(f, "  %-28s %s\n", left, o->help);
    }
    fprintf(f, "  %-28s %s\n", "-h, --help", "show this help and exit");
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("vocal: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_print_error(const vocal_error *err)
{
    fputs("vocal: ", stderr);
    if (err->path[0]) {
        fprintf(stderr, "%s:", err->path);
        if (err->line) fprintf(stderr, "%llu:", (unsigned long long)err->line);
        fputc(' ', stderr);
    }
    if (err->byte != UINT64_MAX && err->path[0]) fprintf(stderr, "byte %llu: ", (unsigned long long)err->byte);
    fprintf(stderr, "%s\n", err->msg);
}

int cli_bad_usage(const cli_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "vocal: %s: ", cmd->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    cli_usage(cmd, stderr);
    return EXIT_BAD;
}

int cli_parse(const cli_cmd *cmd, int argc, char **argv,
              int (*on_opt)(int idx, const char *arg, void *ctx), void *ctx)
{
    size_t n = 0;
    while (cmd->opts && cmd->opts[n].name) n++;
    struct option *lo = calloc(n + 2, sizeof *lo);
    char *so = calloc(n * 2 + 4, 1);
    if (!lo || !so) {
        free(lo);
        free(so);
        cli_error("out of memory");
        return -1;
    }
    size_t sp = 0;
    so[sp++] = ':';
    for (size_t i = 0; i < n; i++) {
        lo[i].name = cmd->opts[i].name;
        lo[i].has_arg = cmd->opts[i].arg ? required_argument : no_argument;
        lo[i].val = 1000 + (int)i;
        if (cmd->opts[i].short_name) {
            so[sp++] = (char)cmd->opts[i].short_name;
            if (cmd->opts[i].arg) so[sp++] = ':';
        }
    }
    lo[n].name = "help";
    lo[n].val = 'h';
    so[sp++] = 'h';
    int rc = 0;
    optind = 1;
    opterr = 0;
    for (;;) {
        int c = getopt_long(argc, argv, so, lo, NULL);
        if (c == -1) break;
        if (c == 'h') {
            cli_help(cmd, stdout);
            rc = -2;
            break;
        }
        if (c == '?' || c == ':') {
            const char *what = argv[optind - 1];
            if (c == ':') cli_bad_usage(cmd, "option %s needs an argument", what);
            else if (optopt) cli_bad_usage(cmd, "unknown option -%c", optopt);
            else cli_bad_usage(cmd, "unknown option %s", what);
            rc = -1;
            break;
        }
        int idx = -1;
        if (c >= 1000) idx = c - 1000;
        else
            for (size_t i = 0; i < n; i++)
                if (cmd->opts[i].short_name == c) idx = (int)i;
        if (idx < 0 || on_opt(idx, optarg, ctx) != 0) {
            rc = -1;
            break;
        }
    }
    free(lo);
    free(so);
    return rc < 0 ? rc : optind;
}

int cli_input_opt(const cli_cmd *cmd, const char *name, const char *arg, vocal_reader_options *o, int *status)
{
    *status = 0;
    if (!strcmp(name, "format") || !strcmp(name, "from")) {
        vocal_format f = vocal_format_from_name(arg);
        if (f == VOCAL_FMT_UNKNOWN) *status = cli_bad_usage(cmd, "unknown input format '%s'", arg);
        else o->format = f;
    } else if (!strcmp(name, "text-column")) {
        o->text_field = arg;
    } else if (!strcmp(name, "label-column")) {
        o->label_field = arg;
    } else if (!strcmp(name, "delimiter")) {
        if (!strcmp(arg, "\\t") || !strcmp(arg, "tab")) o->delimiter = '\t';
        else if (strlen(arg) == 1) o->delimiter = arg[0];
        else *status = cli_bad_usage(cmd, "--delimiter takes one character, got '%s'", arg);
    } else if (!strcmp(name, "no-header")) {
        o->has_header = 0;
    } else {
        return 0;
    }
    return 1;
}
