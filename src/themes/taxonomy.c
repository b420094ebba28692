/* Theme taxonomies: the file parser and the queries. The format is
 * lexicons/themes/README.md; errors name the file, line and byte of the bad
 * line, as the lexicon loader does (src/lexicon/lexicon.c). */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "themes_int.h"

/* MARK: lifecycle */

int vocal_taxonomy_new(vocal_taxonomy **out, vocal_error *err)
{
    assert(out);
    *out = (vocal_taxonomy *)vocal__calloc(1, sizeof **out);
    if (!*out) return vocal__err_oom(err);
    memcpy((*out)->lang, "en", 3);
    return VOCAL_OK;
}

void vocal_taxonomy_free(vocal_taxonomy *tx)
{
    if (!tx) return;
    vocal__buf_free(&tx->arena);
    vocal__free(tx->th);
    vocal__free(tx->ru);
    vocal__free(tx->idx);
    for (size_t i = 0; i < tx->nfiles; i++) vocal__free(tx->files[i]);
    vocal__free(tx->files);
    vocal__free(tx);
}

/* MARK: queries */

size_t vocal_taxonomy_count(const vocal_taxonomy *tx)
{
    return tx->nth;
}

const char *vocal_taxonomy_language(const vocal_taxonomy *tx)
{
    return tx->lang;
}

size_t vocal_taxonomy_find(const vocal_taxonomy *tx, const char *id, size_t len)
{
    if (!tx->idxcap) return VOCAL_NO_THEME;
    size_t j = (size_t)vocal__hash(id, len) & (tx->idxcap - 1);
    while (tx->idx[j]) {
        const vocal__theme *t = &tx->th[tx->idx[j] - 1];
        if (t->id_len == len && !memcmp(tx->arena.p + t->id_off, id, len)) return tx->idx[j] - 1;
        j = (j + 1) & (tx->idxcap - 1);
    }
    return VOCAL_NO_THEME;
}

int vocal_taxonomy_theme(vocal_theme_info *out, const vocal_taxonomy *tx, size_t i)
{
    assert(out && tx);
    if (i >= tx->nth) return VOCAL_EINPUT;
    const vocal__theme *t = &tx->th[i];
    out->id = tx->arena.p + t->id_off;
    out->parent = t->parent == VOCAL_NO_THEME ? "" : tx->arena.p + tx->th[t->parent].id_off;
    out->label = tx->arena.p + t->label_off;
    out->parent_index = t->parent;
    out->lean = t->lean;
    out->depth = t->depth;
    out->n_match = t->counts[RULE_MATCH];
    out->n_cue = t->counts[RULE_CUE];
    out->n_context = t->counts[RULE_CONTEXT];
    out->n_exclude = t->counts[RULE_EXCLUDE];
    return VOCAL_OK;
}

/* MARK: building */

static int put_str(vocal_taxonomy *tx, const char *s, size_t n, uint32_t *off)
{
    if (tx->arena.len + n + 1 > UINT32_MAX) return VOCAL_ENOMEM;
    *off = (uint32_t)tx->arena.len;
    if (vocal__buf_put(&tx->arena, s, n) < 0 || vocal__buf_putc(&tx->arena, '\0') < 0) return VOCAL_ENOMEM;
    return VOCAL_OK;
}

static int index_grow(vocal_taxonomy *tx)
{
    size_t cap = tx->idxcap ? tx->idxcap * 2 : 64;
    uint32_t *idx = (uint32_t *)vocal__calloc(cap, sizeof *idx);
    if (!idx) return VOCAL_ENOMEM;
    for (size_t i = 0; i < tx->nth; i++) {
        const vocal__theme *t = &tx->th[i];
        size_t j = (size_t)vocal__hash(tx->arena.p + t->id_off, t->id_len) & (cap - 1);
        while (idx[j]) j = (j + 1) & (cap - 1);
        idx[j] = (uint32_t)i + 1;
    }
    vocal__free(tx->idx);
    tx->idx = idx;
    tx->idxcap = cap;
    return VOCAL_OK;
}

static int add_theme(vocal_taxonomy *tx, const char *id, size_t n, size_t parent, const char *label, size_t ln)
{
    if (tx->nth == tx->thcap) {
        size_t nc = tx->thcap ? tx->thcap * 2 : 64;
        vocal__theme *p = (vocal__theme *)vocal__realloc(tx->th, nc * sizeof *p);
        if (!p) return VOCAL_ENOMEM;
        tx->th = p;
        tx->thcap = nc;
    }
    if ((tx->nth + 1) * 2 > tx->idxcap && index_grow(tx) < 0) return VOCAL_ENOMEM;
    vocal__theme *t = &tx->th[tx->nth];
    memset(t, 0, sizeof *t);
    if (put_str(tx, id, n, &t->id_off) < 0) return VOCAL_ENOMEM;
    t->id_len = (uint32_t)n;
    if (put_str(tx, ln ? label : id, ln ? ln : n, &t->label_off) < 0) return VOCAL_ENOMEM;
    t->parent = parent;
    t->depth = parent == VOCAL_NO_THEME ? 0 : tx->th[parent].depth + 1;
    size_t j = (size_t)vocal__hash(id, n) & (tx->idxcap - 1);
    while (tx->idx[j]) j = (j + 1) & (tx->idxcap - 1);
    tx->idx[j] = (uint32_t)tx->nth + 1;
    tx->nth++;
    return VOCAL_OK;
}

static int add_rule(vocal_taxonomy *tx, size_t theme, int kind, const char *pat, size_t n, uint64_t line)
{
    if (tx->nru == tx->rucap) {
        size_t nc = tx->rucap ? tx->rucap * 2 : 256;
        vocal__rule *p = (vocal__rule *)vocal__realloc(tx->ru, nc * sizeof *p);
        if (!p) return VOCAL_ENOMEM;
        tx->ru = p;
        tx->rucap = nc;
    }
    vocal__rule *r = &tx->ru[tx->nru];
    r->theme = (uint32_t)theme;
    r->kind = (uint32_t)kind;
    r->file = (uint32_t)(tx->nfiles - 1);
    r->line = line;
    if (put_str(tx, pat, n, &r->pat_off) < 0) return VOCAL_ENOMEM;
    tx->nru++;
    tx->th[theme].counts[kind]++;
    return VOCAL_OK;
}

/* MARK: syntax checks */

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* An id: [a-z0-9_]+ segments joined by '.'. */
static int valid_id(const char *s, size_t n)
{
    if (!n || s[0] == '.' || s[n - 1] == '.') return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '.') {
            if (s[i - 1] == '.') return 0;
        } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            return 0;
        }
    }
    return 1;
}

/* Check one pattern word (README "Patterns"); *why says what is wrong. */
static int valid_word(const char *w, size_t n, int in_pattern, const char **why)
{
    if (n == 1 && w[0] == '?') {
        if (!in_pattern) *why = "'?' is not a context word";
        return in_pattern;
    }
    if (n == 3 && !memcmp(w, "...", 3)) {
        if (!in_pattern) *why = "'...' is not a context word";
        return in_pattern;
    }
    size_t a = w[0] == '=' ? 1 : 0, b = n;
    if (w[n - 1] == '*') b--;
    if (a && b < n) {
        *why = "a word cannot be both exact (=) and a prefix (*)";
        return 0;
    }
    if (b <= a) {
        *why = "'=' and '*' need a word";
        return 0;
    }
    for (size_t i = a; i < b; i++)
        if (w[i] == '*') {
            *why = "'*' may only end a word";
            return 0;
        }
    return 1;
}

/* Check a pattern: words, a '?' or '...' never first, '...' never last or doubled. */
static int valid_pattern(const char *s, size_t n, int in_pattern, const char **why, size_t *bad)
{
    size_t words = 0;
    int prev_gap = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && is_space(s[i])) i++;
        if (i >= n) break;
        size_t j = i;
        while (j < n && !is_space(s[j])) j++;
        *bad = i;
        if (!valid_word(s + i, j - i, in_pattern, why)) return 0;
        int gap = j - i == 3 && !memcmp(s + i, "...", 3);
        int any = j - i == 1 && s[i] == '?';
        if (words == 0 && (gap || any)) {
            *why = "a pattern cannot start with '?' or '...'";
            return 0;
        }
        if (gap && prev_gap) {
            *why = "two '...' in a row";
            return 0;
        }
        if (++words > VOCAL__PAT_MAX_WORDS) {
            *why = "more than 16 words in a pattern";
            return 0;
        }
        prev_gap = gap;
        i = j;
    }
    *bad = 0;
    if (!words) {
        *why = "missing pattern";
        return 0;
    }
    if (prev_gap) {
        *why = "a pattern cannot end with '...'";
        return 0;
    }
    return 1;
}

/* MARK: parsing */

typedef struct parse_state {
    vocal_taxonomy *tx;
    const char *name;
    size_t cur;        /* the theme later lines belong to, VOCAL_NO_THEME before the first */
    vocal_error *err;
} parse_state;

#define BAD_LINE(st, lineno, off, ...) vocal__err((st)->err, VOCAL_EINPUT, (st)->name, lineno, off, __VA_ARGS__)

static int parse_header(parse_state *st, const char *s, size_t n, uint64_t off)
{
    static const char magic[] = "#vocal-themes ";
    size_t ml = sizeof magic - 1;
    if (n < ml || memcmp(s, magic, ml) != 0)
        return BAD_LINE(st, 1, off, "missing header line '#vocal-themes 1'");
    if (s[ml] != '1' || (n > ml + 1 && !is_space(s[ml + 1])))
        return vocal__err(st->err, VOCAL_EVERSION, st->name, 1, off,
                          "theme format '%.*s' is newer than this vocal reads (1)", (int)(n - ml), s + ml);
    char lang[32] = "en";
    for (size_t i = ml + 1; i < n;) {
        while (i < n && is_space(s[i])) i++;
        size_t j = i;
        while (j < n && !is_space(s[j])) j++;
        if (j > i) {
            if (j - i > 5 && !memcmp(s + i, "lang=", 5) && j - i - 5 < sizeof lang) {
                memcpy(lang, s + i + 5, j - i - 5);
                lang[j - i - 5] = '\0';
            } else {
                return BAD_LINE(st, 1, off + i, "unknown header field '%.*s' (only lang=LANG)", (int)(j - i), s + i);
            }
        }
        i = j;
    }
    vocal_taxonomy *tx = st->tx;
    if (tx->lang_set && strcmp(tx->lang, lang) != 0)
        return BAD_LINE(st, 1, off, "language '%s' differs from the taxonomy's '%s'", lang, tx->lang);
    snprintf(tx->lang, sizeof tx->lang, "%s", lang);
    tx->lang_set = 1;
    return VOCAL_OK;
}

static int parse_theme(parse_state *st, const char *s, size_t n, uint64_t lineno, uint64_t off)
{
    vocal_taxonomy *tx = st->tx;
    size_t il = 0;
    while (il < n && !is_space(s[il])) il++;
    if (!il) return BAD_LINE(st, lineno, off, "'theme' needs an ID");
    if (!valid_id(s, il))
        return BAD_LINE(st, lineno, off, "theme id '%.*s' is not lowercase [a-z0-9_] segments joined by '.'",
                        (int)(il > 60 ? 60 : il), s);
    const char *label = s + il;
    size_t ll = n - il;
    while (ll && is_space(*label)) label++, ll--;
    size_t found = vocal_taxonomy_find(tx, s, il);
    if (found != VOCAL_NO_THEME) {
        /* a pack adjusting a theme: continue it; a new label replaces the old */
        if (ll && put_str(tx, label, ll, &tx->th[found].label_off) < 0) return vocal__err_oom(st->err);
        st->cur = found;
        return VOCAL_OK;
    }
    size_t parent = VOCAL_NO_THEME;
    const char *dot = NULL;
    for (size_t i = 0; i < il; i++)
        if (s[i] == '.') dot = s + i;
    if (dot) {
        parent = vocal_taxonomy_find(tx, s, (size_t)(dot - s));
        if (parent == VOCAL_NO_THEME)
            return BAD_LINE(st, lineno, off, "theme '%.*s': parent '%.*s' is not declared before it", (int)il, s,
                            (int)(dot - s), s);
    }
    if (tx->nth >= UINT32_MAX - 1) return BAD_LINE(st, lineno, off, "too many themes");
    if (add_theme(tx, s, il, parent, label, ll) < 0) return vocal__err_oom(st->err);
    st->cur = tx->nth - 1;
    return VOCAL_OK;
}

static int parse_line(parse_state *st, const char *s, size_t n, uint64_t lineno, uint64_t off)
{
    /* indentation is ignored; '#' after whitespace starts a comment */
    size_t lead = 0;
    while (lead < n && is_space(s[lead])) lead++;
    s += lead, n -= lead, off += lead;
    if (!n || s[0] == '#') return VOCAL_OK;
    for (size_t i = 1; i < n; i++)
        if (s[i] == '#' && is_space(s[i - 1])) {
            n = i;
            break;
        }
    while (n && is_space(s[n - 1])) n--;
    size_t kl = 0;
    while (kl < n && !is_space(s[kl])) kl++;
    const char *rest = s + kl;
    size_t rl = n - kl;
    while (rl && is_space(*rest)) rest++, rl--;
    uint64_t roff = off + (uint64_t)(rest - s);
#define KW(w) (kl == sizeof(w) - 1 && !memcmp(s, w, kl))
    if (KW("theme")) return parse_theme(st, rest, rl, lineno, roff);
    int kind = KW("match") ? RULE_MATCH : KW("cue") ? RULE_CUE : KW("context") ? RULE_CONTEXT
             : KW("exclude") ? RULE_EXCLUDE : KW("lean") ? 4 : -1;
#undef KW
    if (kind < 0)
        return BAD_LINE(st, lineno, off, "unknown keyword '%.*s' (theme, lean, match, cue, context, exclude)",
                        (int)(kl > 40 ? 40 : kl), s);
    if (st->cur == VOCAL_NO_THEME)
        return BAD_LINE(st, lineno, off, "'%.*s' before any 'theme' line", (int)kl, s);
    vocal_taxonomy *tx = st->tx;
    if (kind == 4) {
        if (rl == 8 && !memcmp(rest, "negative", 8)) tx->th[st->cur].lean = -1;
        else if (rl == 8 && !memcmp(rest, "positive", 8)) tx->th[st->cur].lean = 1;
        else return BAD_LINE(st, lineno, roff, "lean must be 'negative' or 'positive', not '%.*s'",
                             (int)(rl > 40 ? 40 : rl), rest);
        return VOCAL_OK;
    }
    const char *why = NULL;
    size_t bad = 0;
    if (!valid_pattern(rest, rl, kind != RULE_CONTEXT, &why, &bad))
        return BAD_LINE(st, lineno, roff + bad, "%s", why);
    if (kind != RULE_CONTEXT) return add_rule(tx, st->cur, kind, rest, rl, lineno) < 0 ? vocal__err_oom(st->err) : 0;
    /* each context word is a one-word pattern of its own */
    for (size_t i = 0; i < rl;) {
        while (i < rl && is_space(rest[i])) i++;
        size_t j = i;
        while (j < rl && !is_space(rest[j])) j++;
        if (j > i && add_rule(tx, st->cur, RULE_CONTEXT, rest + i, j - i, lineno) < 0) return vocal__err_oom(st->err);
        i = j;
    }
    return VOCAL_OK;
}

static int add_file_name(vocal_taxonomy *tx, const char *name)
{
    char **p = (char **)vocal__realloc(tx->files, (tx->nfiles + 1) * sizeof *p);
    if (!p) return VOCAL_ENOMEM;
    tx->files = p;
    p[tx->nfiles] = vocal__strndup(name, strlen(name));
    if (!p[tx->nfiles]) return VOCAL_ENOMEM;
    tx->nfiles++;
    return VOCAL_OK;
}

int vocal_taxonomy_load_buffer(vocal_taxonomy *tx, const char *name, const char *data, size_t len,
                               vocal_error *err)
{
    assert(tx && (data || !len));
    if (!name) name = "<buffer>";
    if (add_file_name(tx, name) < 0) return vocal__err_oom(err);
    parse_state st = {tx, name, VOCAL_NO_THEME, err};
    uint64_t lineno = 0;
    size_t pos = 0;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) pos = 3;
    if (pos >= len) return BAD_LINE(&st, 0, 0, "empty file: missing header line '#vocal-themes 1'");
    while (pos < len) {
        const char *s = data + pos;
        const char *nl = (const char *)memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        uint64_t off = pos;
        pos += n + (nl ? 1 : 0);
        lineno++;
        if (n && s[n - 1] == '\r') n--;
        if (memchr(s, '\0', n))
            return BAD_LINE(&st, lineno, off + (uint64_t)((const char *)memchr(s, '\0', n) - s), "line holds a NUL byte");
        size_t first_bad;
        if (vocal_utf8_check(s, n, &first_bad)) return BAD_LINE(&st, lineno, off + first_bad, "line is not valid UTF-8");
        int rc = lineno == 1 ? parse_header(&st, s, n, off) : parse_line(&st, s, n, lineno, off);
        if (rc < 0) return rc;
    }
    return VOCAL_OK;
}

int vocal_taxonomy_load_file(vocal_taxonomy *tx, const char *path, vocal_error *err)
{
    assert(tx && path);
    FILE *f = fopen(path, "rb");
    if (!f) return vocal__err(err, VOCAL_EIO, path, 0, UINT64_MAX, "cannot open: %s", strerror(errno));
    vocal__buf b = {0};
    char chunk[8192];
    size_t got;
    int rc = VOCAL_OK;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (vocal__buf_put(&b, chunk, got) < 0) {
            rc = vocal__err_oom(err);
            break;
        }
    if (rc == VOCAL_OK && ferror(f)) rc = vocal__err(err, VOCAL_EIO, path, 0, UINT64_MAX, "read error");
    fclose(f);
    if (rc == VOCAL_OK) rc = vocal_taxonomy_load_buffer(tx, path, b.p ? b.p : "", b.len, err);
    vocal__buf_free(&b);
    return rc;
}

int vocal_taxonomy_load_data(vocal_taxonomy *tx, const char *data_dir, const char *const *domains, size_t n,
                             vocal_error *err)
{
    assert(tx && data_dir && (domains || !n));
    char path[1024];
    snprintf(path, sizeof path, "%s/lexicons/themes/core.themes", data_dir);
    int rc = vocal_taxonomy_load_file(tx, path, err);
    for (size_t i = 0; rc == VOCAL_OK && i < n; i++) {
        const char *d = domains[i];
        size_t dl = strlen(d);
        int ok = dl > 0 && dl < 64;
        for (size_t k = 0; ok && k < dl; k++)
            ok = (d[k] >= 'a' && d[k] <= 'z') || (d[k] >= '0' && d[k] <= '9') || d[k] == '_';
        if (!ok) return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "bad domain name '%.60s'", d);
        snprintf(path, sizeof path, "%s/lexicons/themes/%s.themes", data_dir, d);
        rc = vocal_taxonomy_load_file(tx, path, err);
        if (rc == VOCAL_EIO && err && err->line == 0)
            snprintf(err->msg, sizeof err->msg, "unknown domain '%s' (no %s.themes)", d, d);
    }
    return rc;
}
