/* vocal tokenize: one JSON object per input line with every token. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const cli_opt opts[] = {
    {"lang", 'l', "LANG", "language: ISO code (en, es, de, fr …) or libstemmer name; default en"},
    {"no-stem", 0, NULL, "do not stem (stem = norm)"},
    {"no-hashtag-split", 0, NULL, "keep hashtags whole, without their word parts"},
    {"text", 'e', "TEXT", "tokenize TEXT instead of reading files"},
    {"strict", 0, NULL, "treat invalid UTF-8 as an error (exit 1)"},
    {"quiet", 'q', NULL, "no warnings on standard error"},
    {0, 0, 0, 0},
};

typedef struct tok_args {
    vocal_text_options topts;
    const char *text;
    int strict, quiet;
} tok_args;

static int on_opt(int idx, const char *arg, void *ctx)
{
    tok_args *a = ctx;
    switch (idx) {
    case 0: a->topts.language = arg; break;
    case 1: a->topts.flags |= VOCAL_TEXT_NO_STEM; break;
    case 2: a->topts.flags |= VOCAL_TEXT_NO_HASHTAG_SPLIT; break;
    case 3: a->text = arg; break;
    case 4: a->strict = 1; break;
    case 5: a->quiet = 1; break;
    }
    return 0;
}

static void write_tokens(FILE *out, const char *file, uint64_t lineno, const char *s,
                         const vocal_token *t, const vocal_text_info *info)
{
    fputc('{', out);
    if (file) {
        json_key(out, "file");
        json_str(out, file, strlen(file));
        fputc(',', out);
    }
    fprintf(out, "\"line\":%llu,", (unsigned long long)lineno);
    if (info->invalid) fprintf(out, "\"invalid_utf8\":%llu,", (unsigned long long)info->invalid);
    if (info->nul_bytes) fprintf(out, "\"nul_bytes\":%llu,", (unsigned long long)info->nul_bytes);
    fprintf(out, "\"sentences\":%u,\"tokens\":[", info->n_sentences);
    for (size_t i = 0; i < info->n_tokens; i++) {
        if (i) fputc(',', out);
        fputs("{\"text\":", out);
        json_str(out, s + t[i].start, (size_t)(t[i].end - t[i].start));
        fputs(",\"norm\":", out);
        json_str(out, t[i].norm, t[i].norm_len);
        if (t[i].kind == VOCAL_KIND_WORD) {
            fputs(",\"stem\":", out);
            json_str(out, t[i].stem, t[i].stem_len);
        }
        fprintf(out, ",\"kind\":\"%s\",\"flags\":[", vocal_token_kind_name(t[i].kind));
        int first = 1;
        for (uint32_t b = 1; b; b <<= 1) {
            if (!(t[i].flags & b)) continue;
            const char *nm = vocal_token_flag_name(b);
            if (!nm) continue;
            fprintf(out, "%s\"%s\"", first ? "" : ",", nm);
            first = 0;
        }
        fprintf(out, "],\"start\":%llu,\"end\":%llu,\"sentence\":%u,\"clause\":%u}",
                (unsigned long long)t[i].start, (unsigned long long)t[i].end, t[i].sentence, t[i].clause);
    }
    fputs("]}\n", out);
}

static int run(int argc, char **argv)
{
    tok_args a;
    memset(&a, 0, sizeof a);
    vocal_text_options init = VOCAL_TEXT_OPTIONS_INIT;
    a.topts = init;
    int first = cli_parse(&cmd_tokenize, argc, argv, on_opt, &a);
    if (first == -2) return EXIT_OK;
    if (first < 0) return EXIT_BAD;
    if (a.text && first < argc) return cli_bad_usage(&cmd_tokenize, "give --text or files, not both");

    vocal_error err;
    vocal_tokenizer *tk = NULL;
    vocal_workspace *ws = NULL;
    if (vocal_tokenizer_new(&tk, &a.topts, &err) < 0 || vocal_workspace_new(&ws, tk, &err) < 0) {
        cli_print_error(&err);
        vocal_tokenizer_free(tk);
        return err.code == VOCAL_ENOMEM ? EXIT_INTERNAL : EXIT_BAD;
    }
    int status = EXIT_OK;
    uint64_t lines = 0, bad_lines = 0, bad_seqs = 0;
    const vocal_token *toks;
    vocal_text_info info;
    if (a.text) {
        if (vocal_text_tokenize(&toks, &info, ws, a.text, strlen(a.text), &err) < 0) {
            cli_print_error(&err);
            status = EXIT_INTERNAL;
        } else {
            write_tokens(stdout, NULL, 1, a.text, toks, &info);
            if (info.invalid) {
                bad_lines++;
                bad_seqs += info.invalid;
            }
            lines = 1;
        }
    } else {
        int nfiles = argc - first;
        char *dash[] = {"-"};
        char **files = nfiles ? argv + first : dash;
        if (!nfiles) nfiles = 1;
        for (int fi = 0; fi < nfiles && status != EXIT_INTERNAL; fi++) {
            cli_lines in;
            if (cli_lines_open(&in, files[fi]) < 0) {
                status = EXIT_BAD;
                continue;
            }
            const char *shown = cli_display_path(files[fi]);
            char *line;
            size_t len;
            int r;
            while ((r = cli_lines_next(&in, &line, &len)) > 0) {
                lines++;
                if (vocal_text_tokenize(&toks, &info, ws, line, len, &err) < 0) {
                    cli_error("%s:%llu: %s", shown, (unsigned long long)in.lineno, err.msg);
                    status = err.code == VOCAL_ENOMEM ? EXIT_INTERNAL : EXIT_BAD;
                    if (status == EXIT_INTERNAL) break;
                    continue;
                }
                if (info.invalid) {
                    bad_lines++;
                    bad_seqs += info.invalid;
                    if (!a.quiet || a.strict)
                        cli_error("%s:%llu: byte %llu: %llu invalid UTF-8 sequence%s replaced by U+FFFD", shown,
                                  (unsigned long long)in.lineno,
                                  (unsigned long long)(in.offset + info.first_invalid),
                                  (unsigned long long)info.invalid, info.invalid == 1 ? "" : "s");
                }
                write_tokens(stdout, nfiles > 1 ? shown : NULL, in.lineno, line, toks, &info);
            }
            if (r < 0) status = EXIT_BAD;
            cli_lines_close(&in);
        }
    }
    if (bad_lines && !a.quiet)
        cli_error("tokenize: %llu line%s read, %llu with invalid UTF-8 (%llu sequence%s replaced)",
                  (unsigned long long)lines, lines == 1 ? "" : "s", (unsigned long long)bad_lines,
                  (unsigned long long)bad_seqs, bad_seqs == 1 ? "" : "s");
    if (a.strict && bad_lines && status == EXIT_OK) status = EXIT_BAD;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write standard output");
        status = EXIT_INTERNAL;
    }
    vocal_workspace_free(ws);
    vocal_tokenizer_free(tk);
    return status;
}

const cli_cmd cmd_tokenize = {
    "tokenize",
    "[options] [FILE|-]...",
    "print the tokens of each input line as one JSON object",
    "Each line of input is one text. Output, one JSON object per line, gives each token's\n"
    "original text, normalized form (NFKC, case folded, elongation squeezed), stem (words),\n"
    "kind, flags and byte offsets [start, end) into the line, plus sentence and clause\n"
    "indices. Invalid UTF-8 is replaced by U+FFFD, counted, and reported on standard error\n"
    "with its file, line and byte offset.",
    opts,
    run,
};
