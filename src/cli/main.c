/* vocal: the command table and the top-level options. */
#include <stdlib.h>
#include <string.h>
#include <libxml/xmlversion.h>

#include "cli.h"

static const cli_cmd *const commands[] = {
    &cmd_tokenize,
    &cmd_score,
    &cmd_explain,
    &cmd_train,
    &cmd_classify,
    &cmd_eval,
    &cmd_model,
    &cmd_themes,
    &cmd_import,
    &cmd_aggregate,
    &cmd_report,
    NULL,
};

static void main_usage(FILE *f)
{
    fprintf(f, "usage: vocal <command> [options] [FILE|-]...\n"
               "       vocal --help | --version\n\n"
               "vocal reads customer feedback and says how customers feel and why.\n\n"
               "commands:\n");
    for (size_t i = 0; commands[i]; i++) fprintf(f, "  %-12s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(f, "\n'vocal <command> --help' describes a command. With no FILE, or '-', input is read\n"
               "from standard input.\n\n"
               "exit status: 0 success, 1 bad usage or bad input, 2 internal failure.\n");
}

static void print_version(void)
{
    printf("vocal %s\n", vocal_version());
    printf("utf8proc %s (Unicode %s)\n", vocal_utf8proc_version(), vocal_unicode_version());
    printf("libxml2 %s\n", LIBXML_DOTTED_VERSION);
}

int main(int argc, char **argv)
{
    /* The header we were compiled with must match the library we run with (zstd). */
    if (vocal_version_number() != VOCAL_VERSION_NUMBER) {
        cli_error("library version %s does not match header version %s", vocal_version(),
                  VOCAL_VERSION_STRING);
        return EXIT_INTERNAL;
    }
    if (argc < 2) {
        main_usage(stderr);
        return EXIT_BAD;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
        main_usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(name, "--version") || !strcmp(name, "-V")) {
        print_version();
        return EXIT_OK;
    }
    if (!strcmp(name, "help")) {
        if (argc < 3) {
            main_usage(stdout);
            return EXIT_OK;
        }
        name = argv[2];
        for (size_t i = 0; commands[i]; i++)
            if (!strcmp(commands[i]->name, name)) {
                cli_help(commands[i], stdout);
                return EXIT_OK;
            }
        cli_error("unknown command '%s'; see 'vocal --help'", name);
        return EXIT_BAD;
    }
    for (size_t i = 0; commands[i]; i++)
        if (!strcmp(commands[i]->name, name)) return commands[i]->run(argc - 1, argv + 1);
    if (name[0] == '-') cli_error("unknown option '%s'; see 'vocal --help'", name);
    else cli_error("unknown command '%s'; see 'vocal --help'", name);
    return EXIT_BAD;
}
