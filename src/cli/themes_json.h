/* Internal to the vocal command: loading the theme taxonomy, tagger and
 * theme model the commands share, and rendering a tagged text's themes as
 * the JSON of docs/format/records.md into a buffer, so that any command
 * (classify, a batch classify, explain) can append them to its records. */
#ifndef VOCAL_CLI_THEMES_JSON_H
#define VOCAL_CLI_THEMES_JSON_H

#include <stddef.h>

#include "vocal/vocal.h"

/* The commands' growable buffer (cli.h) with an error result: 0, or -1
 * once a growth has failed. */
#include "cli.h"
int cli_buf_put(cli_buf *b, const char *s, size_t n);
int cli_buf_puts(cli_buf *b, const char *s);
/* s as a JSON string, quotes included; invalid UTF-8 becomes \ufffd. */
int cli_buf_json_str(cli_buf *b, const char *s, size_t n);
void cli_buf_free(cli_buf *b);

#define CLI_THEMES_MAX_FILES 64

/* What the theme options of a command ask for. */
typedef struct cli_theme_args {
    const char *domains[CLI_THEMES_MAX_FILES];
    size_t ndomains;
    const char *files[CLI_THEMES_MAX_FILES];
    size_t nfiles;
    const char *model;  /* --theme-model, or NULL */
    int no_rules;       /* 1: no taxonomy (model only) */
} cli_theme_args;

/* The loaded objects; any may be NULL. */
typedef struct cli_themes {
    vocal_taxonomy *tx;
    vocal_tagger *tg;
    vocal_theme_model *tm;
} cli_themes;

/* Record one --domain / --themes value; prints an error and returns -1 when
 * there are too many. */
int cli_theme_args_add(cli_theme_args *a, int domain, const char *value);

/* Load the taxonomy (core + domains + files from the data directory, unless
 * no_rules), compile it for tk, and load the model. Prints any error.
 * Returns EXIT_OK or the exit code to use. */
int cli_themes_open(cli_themes *ct, const cli_theme_args *a, const vocal_tokenizer *tk);
void cli_themes_close(cli_themes *ct);

/* Append `"themes":[…],"root_causes":[…]` (records.md) for a text tagged as
 * `th`, whose bytes are text[0..len) (the evidence text is cut from it).
 * Returns 0 or -1 when out of memory. */
int cli_themes_json(cli_buf *b, const vocal_themes *th, const char *text, size_t len);
/* Append one hit's evidence array ([{"start","end","text"},…]). 0 or -1. */
int cli_theme_evidence_json(cli_buf *b, const vocal_theme_hit *h, const char *text, size_t len);

/* Print a tagged text's themes for people (vocal themes, vocal explain):
 * each hit with polarity, confidence and source, its evidence with span,
 * clause and pattern, then the root causes. */
void cli_themes_print(const char *text, size_t len, const vocal_themes *th);

/* MARK: train and eval --task themes (cmd_themes.c) */
typedef struct cli_theme_task {
    const vocal_reader_options *ropts;
    const vocal_train_options *topts;
    const char *lang, *out;
    cli_theme_args th;   /* th.model: the theme model to evaluate */
    int rules, json, quiet, strict;
    double threshold;    /* model threshold; 0 = the default */
} cli_theme_task;

int cli_train_themes(const cli_theme_task *t, char **files, int nfiles);
int cli_eval_themes(const cli_theme_task *t, char **files, int nfiles);

#endif
