/* vocal score and vocal explain: the lexicon scorer from the command line. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "themes_json.h"

#define MAX_EXTRA 64

typedef struct score_args {
    const char *lang, *dir, *text;
    const char *extra[MAX_EXTRA];
    size_t nextra;
    int tsv, quiet, tokens;
    cli_theme_args th; /* explain: the themes too (issue 5) */
    int no_themes;
} score_args;

static const cli_opt score_opts[] = {
    {"lexicon", 'L', "FILE", "also load this lexicon file (repeatable; later files win)"},
    {"lexicon-dir", 0, "DIR", "lexicon directory (default: the shipped lexicons/LANG)"},
    {"lang", 'l', "LANG", "language (default en)"},
    {"text", 'e', "TEXT", "score TEXT instead of reading input"},
    {"tsv", 0, NULL, "input lines are LABEL<TAB>TEXT: score the text after the first TAB"},
    {"quiet", 'q', NULL, "no warnings on standard error"},
    {0, 0, 0, 0},
};

static const cli_opt explain_opts[] = {
    {"lexicon", 'L', "FILE", "also load this lexicon file (repeatable; later files win)"},
    {"lexicon-dir", 0, "DIR", "lexicon directory (default: the shipped lexicons/LANG)"},
    {"lang", 'l', "LANG", "language (default en)"},
    {"tokens", 't', NULL, "also list the tokens that carry no sentiment"},
    {"domain", 0, "D", "also load the theme pack D (repeatable; see vocal themes)"},
    {"themes", 0, "FILE", "also load this theme taxonomy file (repeatable)"},
    {"no-themes", 0, NULL, "do not show the text's themes"},
    {0, 0, 0, 0},
};

static int on_opt(int idx, const char *arg, void *ctx, const cli_opt *opts)
{
    score_args *a = ctx;
    const char *name = opts[idx].name;
    if (!strcmp(name, "lexicon")) {
        if (a->nextra == MAX_EXTRA) {
            cli_error("too many --lexicon files (at most %d)", MAX_EXTRA);
            return 1;
        }
        a->extra[a->nextra++] = arg;
    } else if (!strcmp(name, "lexicon-dir")) {
        a->dir = arg;
    } else if (!strcmp(name, "lang")) {
        a->lang = arg;
    } else if (!strcmp(name, "text")) {
        a->text = arg;
    } else if (!strcmp(name, "tsv")) {
        a->tsv = 1;
    } else if (!strcmp(name, "quiet")) {
        a->quiet = 1;
    } else if (!strcmp(name, "tokens")) {
        a->tokens = 1;
    } else if (!strcmp(name, "domain") || !strcmp(name, "themes")) {
        return cli_theme_args_add(&a->th, name[0] == 'd', arg) < 0 ? 1 : 0;
    } else if (!strcmp(name, "no-themes")) {
        a->no_themes = 1;
    }
    return 0;
}

static int on_score_opt(int idx, const char *arg, void *ctx)
{
    return on_opt(idx, arg, ctx, score_opts);
}

static int on_explain_opt(int idx, const char *arg, void *ctx)
{
    return on_opt(idx, arg, ctx, explain_opts);
}

/* Numbers in [-1, 1] with 4 decimals, rounded half away from zero, -0 as 0;
 * by hand because printf's float formatting was a tenth of scoring time. */
static void num(FILE *f, double v)
{
    long q = lround(v * 10000.0);
    char buf[16], *p = buf;
    if (q < 0) {
        *p++ = '-';
        q = -q;
    }
    long ip = q / 10000, fp = q % 10000;
    *p++ = (char)('0' + ip % 10);
    *p++ = '.';
    *p++ = (char)('0' + fp / 1000);
    *p++ = (char)('0' + fp / 100 % 10);
    *p++ = (char)('0' + fp / 10 % 10);
    *p++ = (char)('0' + fp % 10);
    fwrite(buf, 1, (size_t)(p - buf), f);
}

static void write_score(FILE *out, const vocal_sentiment *s)
{
    fputs("{\"compound\":", out);
    num(out, s->compound);
    fputs(",\"pos\":", out);
    num(out, s->pos);
    fputs(",\"neu\":", out);
    num(out, s->neu);
    fputs(",\"neg\":", out);
    num(out, s->neg);
    fprintf(out, ",\"label\":\"%s\"}\n", vocal_label_name(s->label));
}

static int is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && !S_ISDIR(st.st_mode);
}

static int run_score(int argc, char **argv)
{
    score_args a;
    memset(&a, 0, sizeof a);
    int first = cli_parse(&cmd_score, argc, argv, on_score_opt, &a);
    if (first == -2) return EXIT_OK;
    if (first < 0) return EXIT_BAD;
    cli_lexicon cl;
    int status = cli_lexicon_open(&cl, a.lang, a.dir, a.extra, a.nextra, VOCAL_TEXT_NO_STEM);
    if (status != EXIT_OK) return status;
    vocal_sentiment s;
    vocal_error err;
    uint64_t lines = 0, bad_utf8 = 0;
    /* operands: files, "-", or (when not a file) a text to score */
    const char *dash[] = {"-"};
    const char *const *ops = (const char *const *)(argv + first);
    int nops = argc - first;
    if (a.text) {
        if (nops) {
            cli_lexicon_close(&cl);
            return cli_bad_usage(&cmd_score, "give --text or operands, not both");
        }
        ops = &a.text;
        nops = 1;
    } else if (!nops) {
        ops = dash;
        nops = 1;
    }
    for (int i = 0; i < nops && status != EXIT_INTERNAL; i++) {
        const char *op = ops[i];
        if (a.text || (strcmp(op, "-") != 0 && !is_file(op))) {
            if (vocal_lexicon_score(&s, cl.ws, cl.lex, op, strlen(op), &err) < 0) {
                cli_print_error(&err);
                status = EXIT_INTERNAL;
                break;
            }
            write_score(stdout, &s);
            lines++;
            continue;
        }
        cli_lines in;
        if (cli_lines_open(&in, op) < 0) {
            status = EXIT_BAD;
            continue;
        }
        const char *shown = cli_display_path(op);
        char *line;
        size_t len;
        int r;
        while ((r = cli_lines_next(&in, &line, &len)) > 0) {
            const char *txt = line;
            size_t tl = len;
            if (a.tsv) {
                const char *tab = memchr(line, '\t', len);
                if (!tab) {
                    cli_error("%s:%llu: no TAB in a --tsv line; scored the whole line", shown,
                              (unsigned long long)in.lineno);
                } else {
                    txt = tab + 1;
                    tl = len - (size_t)(txt - line);
                }
            }
            if (vocal_lexicon_score(&s, cl.ws, cl.lex, txt, tl, &err) < 0) {
                cli_error("%s:%llu: %s", shown, (unsigned long long)in.lineno, err.msg);
                status = EXIT_INTERNAL;
                break;
            }
            if (s.invalid_utf8) {
                bad_utf8++;
                if (!a.quiet)
                    cli_error("%s:%llu: byte %llu: invalid UTF-8 replaced by U+FFFD", shown,
                              (unsigned long long)in.lineno,
                              (unsigned long long)(in.offset + (uint64_t)(txt - line) + s.first_invalid));
            }
            write_score(stdout, &s);
            lines++;
        }
        if (r < 0) status = EXIT_BAD;
        cli_lines_close(&in);
    }
    if (bad_utf8 && !a.quiet)
        cli_error("score: %llu lines scored, %llu with invalid UTF-8", (unsigned long long)lines,
                  (unsigned long long)bad_utf8);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write standard output");
        status = EXIT_INTERNAL;
    }
    cli_lexicon_close(&cl);
    return status;
}

/* MARK: explain */

static void rules_str(char *buf, size_t cap, const vocal_contribution *c)
{
    buf[0] = '\0';
    size_t used = 0;
    for (uint32_t b = 1; b; b <<= 1) {
        if (!(c->rules & b)) continue;
        const char *nm = vocal_rule_name(b);
        if (!nm || b == VOCAL_RULE_EMOJI || b == VOCAL_RULE_EMOTICON) continue;
        char item[48];
        if (b == VOCAL_RULE_BOOSTED || b == VOCAL_RULE_DAMPENED) snprintf(item, sizeof item, "%s %+.2f", nm, c->boost);
        else if (b == VOCAL_RULE_CONTRAST_UP || b == VOCAL_RULE_CONTRAST_DOWN)
            snprintf(item, sizeof item, "%s x%.2f", nm, c->weight);
        else snprintf(item, sizeof item, "%s", nm);
        int w = snprintf(buf + used, cap - used, "%s%s", used ? ", " : "", item);
        if (w < 0 || (size_t)w >= cap - used) break;
        used += (size_t)w;
    }
    if (!used) snprintf(buf, cap, "-");
}

/* Print s padded to `width` display columns (UTF-8 aware, roughly: one
 * column per code point). */
static void pad(FILE *f, const char *s, size_t n, int width)
{
    int cols = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) cols++;
    fwrite(s, 1, n, f);
    for (; cols < width; cols++) fputc(' ', f);
}

/* The themes part of vocal explain. Patterns are compared by stem, so the
 * themes get a stemming tokenizer of their own (explain's shows surfaces). */
static int explain_themes(const score_args *a, const char *text)
{
    cli_lexicon cl;
    int status = cli_lexicon_open(&cl, a->lang, a->dir, a->extra, a->nextra, 0);
    if (status != EXIT_OK) return status;
    cli_themes ct;
    if ((status = cli_themes_open(&ct, &a->th, cl.tk)) != EXIT_OK) {
        cli_lexicon_close(&cl);
        return status;
    }
    vocal_themes th;
    vocal_error err;
    if (vocal_themes_tag_text(&th, NULL, cl.ws, ct.tg, NULL, cl.lex, text, strlen(text), NULL, &err) < 0) {
        cli_print_error(&err);
        status = EXIT_INTERNAL;
    } else {
        printf("\nthemes:\n");
        cli_themes_print(text, strlen(text), &th);
    }
    cli_themes_close(&ct);
    cli_lexicon_close(&cl);
    return status;
}

static int run_explain(int argc, char **argv)
{
    score_args a;
    memset(&a, 0, sizeof a);
    int first = cli_parse(&cmd_explain, argc, argv, on_explain_opt, &a);
    if (first == -2) return EXIT_OK;
    if (first < 0) return EXIT_BAD;
    if (first >= argc) return cli_bad_usage(&cmd_explain, "missing TEXT");
    /* the operands, joined by spaces, are the text */
    size_t tl = 0;
    for (int i = first; i < argc; i++) tl += strlen(argv[i]) + 1;
    char *text = malloc(tl + 1);
    if (!text) {
        cli_error("out of memory");
        return EXIT_INTERNAL;
    }
    text[0] = '\0';
    for (int i = first; i < argc; i++) {
        if (i > first) strcat(text, " ");
        strcat(text, argv[i]);
    }
    cli_lexicon cl;
    int status = cli_lexicon_open(&cl, a.lang, a.dir, a.extra, a.nextra, VOCAL_TEXT_NO_STEM);
    if (status != EXIT_OK) {
        free(text);
        return status;
    }
    vocal_sentiment s;
    vocal_error err;
    if (vocal_lexicon_score(&s, cl.ws, cl.lex, text, strlen(text), &err) < 0) {
        cli_print_error(&err);
        cli_lexicon_close(&cl);
        free(text);
        return EXIT_INTERNAL;
    }
    FILE *o = stdout;
    fprintf(o, "%-24s %8s  %-36s %12s\n", "token", "valence", "rules", "contribution");
    size_t ci = 0;
    for (size_t i = 0; i < s.n_tokens; i++) {
        const vocal_token *t = &s.tokens[i];
        if (ci < s.n_contrib && s.contrib[ci].token == i) {
            const vocal_contribution *c = &s.contrib[ci++];
            const vocal_token *last = &s.tokens[i + c->ntokens - 1];
            char rules[128];
            rules_str(rules, sizeof rules, c);
            pad(o, text + t->start, (size_t)(last->end - t->start), 24);
            fprintf(o, " %+8.2f  %-36s %+12.3f\n", c->valence, rules, c->value);
            i += c->ntokens - 1;
        } else if (a.tokens && t->kind != VOCAL_KIND_PUNCT) {
            pad(o, text + t->start, (size_t)(t->end - t->start), 24);
            const char *why = t->kind == VOCAL_KIND_MENTION ? "mention: not scored"
                              : t->kind == VOCAL_KIND_URL   ? "url: not scored"
                              : (t->flags & VOCAL_TOK_NEGATOR) ? "negator"
                              : (t->flags & VOCAL_TOK_CONTRAST) ? "contrast"
                                                                : "";
            fprintf(o, " %8s  %-36s %12s\n", "", why, "");
        }
    }
    fprintf(o, "\nclauses:\n");
    for (size_t k = 0; k < s.n_clauses; k++) {
        size_t b = SIZE_MAX, e = 0;
        for (size_t i = 0; i < s.n_tokens; i++)
            if (s.tokens[i].clause == k) {
                if (b == SIZE_MAX) b = i;
                e = i;
            }
        if (b == SIZE_MAX) continue;
        double cs = s.clause_sum[k];
        fprintf(o, "  %2zu  %+7.3f  %-8s  ", k, cs, cs > 0.05 ? "positive" : cs < -0.05 ? "negative" : "neutral");
        fwrite(text + s.tokens[b].start, 1, (size_t)(s.tokens[e].end - s.tokens[b].start), o);
        fputc('\n', o);
    }
    fprintf(o, "\ndocument: sum %+.3f", s.sum);
    if (s.emphasis > 0) fprintf(o, " (incl. %+.2f for ! and ?)", s.sum > 0 ? s.emphasis : -s.emphasis);
    fprintf(o, ", compound %+.4f -> %s   (pos %.3f  neu %.3f  neg %.3f)\n", s.compound,
            vocal_label_name(s.label), s.pos, s.neu, s.neg);
    fprintf(o, "labels: compound >= %.2f positive, <= %.2f negative, else neutral\n", VOCAL_POSITIVE_THRESHOLD,
            VOCAL_NEGATIVE_THRESHOLD);
    cli_lexicon_close(&cl);
    if (!a.no_themes) status = explain_themes(&a, text);
    free(text);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write standard output");
        return EXIT_INTERNAL;
    }
    return status;
}

const cli_cmd cmd_score = {
    "score",
    "[options] [TEXT|FILE|-]...",
    "score sentiment with the lexicon rules: one JSON object per input line",
    "Each operand that names a file (or '-', standard input) is read one text per line;\n"
    "any other operand is scored as a text itself. Output: one JSON object per text with\n"
    "compound (in [-1, 1]), pos, neu, neg (proportions) and label (positive, neutral or\n"
    "negative: compound >= 0.05, <= -0.05, else neutral). No training needed.",
    score_opts,
    run_score,
};

const cli_cmd cmd_explain = {
    "explain",
    "[options] TEXT...",
    "show how a text was scored and why: token valences, rules, contributions, themes",
    "Prints a table of the tokens that carry sentiment (expressions, words, emoji and\n"
    "emoticons) with their lexicon valence, the rules that changed it (negated, boosted,\n"
    "dampened, caps, elongated, contrast weights, stem fallback, idiom) and the final\n"
    "contribution; then each clause's sum and the document's score and label; then its\n"
    "themes (as 'vocal themes' shows them: evidence, clause, pattern) and root causes.",
    explain_opts,
    run_explain,
};
