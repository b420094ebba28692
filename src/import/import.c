/* The importer: files and archives in, one record shape out, with
 * duplicates dropped, reposts filtered and authors pseudonymized. The
 * formats themselves are in json.c, markup.c and gplay.c. See
 * include/vocal/import.h and docs/import.md. */
#define _POSIX_C_SOURCE 200809L

#include "vocal/import.h"

#include <archive.h>
#include <archive_entry.h>
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "import_int.h"

/* Longest file or archive member read, 1 GiB: each is parsed whole (its
 * formats are single documents), and a bigger one is more likely a wrong
 * path than an export. */
#define MAX_INPUT ((size_t)1 << 30)

/* Pseudonym key drawn when none is given: 32 bytes, HMAC-SHA-256's block
 * half, more than any brute force of the handle space needs. */
#define RANDOM_KEY_LEN 32

struct vocal_importer {
    vocal_import_options o;
    char *xpath;
    uint8_t *key;
    size_t key_len;
    int random_key;

    /* MARK: queue of the current file or member */
    vocal__sink q;
    size_t next;              /* first unread entry of q */
    int have_cur;             /* q.v[next - 1] is lent out as the current record */
    vocal_import_format cur_fmt;
    char why[160];

    /* MARK: the record handed out */
    char author[2 + 16 + 1], reply[2 + 16 + 1];

    /* MARK: dedupe: open-addressed set of 64-bit keys (0 = empty) */
    uint64_t *seen;
    size_t seen_n, seen_cap;

    vocal_import_stats st;
};

/* MARK: format names */

static const char *const format_names[] = {"auto", "twitter", "facebook", "instagram", "mastodon", "reddit",
                                           "rss",  "atom",    "appstore", "googleplay", "html"};
/* docs/format/import.md: the channel each format's records carry */
static const char *const channel_names[] = {"", "x", "facebook", "instagram", "mastodon", "reddit",
                                            "rss", "atom", "app_store", "google_play", "web"};

static int ascii_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z') x += 32;
        if (y >= 'A' && y <= 'Z') y += 32;
        if (x != y) return 0;
    }
    return *a == *b;
}

const char *vocal_import_format_name(vocal_import_format f)
{
    if ((int)f < 0 || (size_t)f >= sizeof format_names / sizeof format_names[0]) return "unknown";
    return format_names[f];
}

vocal_import_format vocal_import_format_from_name(const char *name)
{
    if (!name) return VOCAL_IMPORT_UNKNOWN;
    for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if (ascii_ieq(name, format_names[i])) return (vocal_import_format)i;
    if (ascii_ieq(name, "x")) return VOCAL_IMPORT_TWITTER;
    if (ascii_ieq(name, "google-play") || ascii_ieq(name, "play")) return VOCAL_IMPORT_GOOGLEPLAY;
    if (ascii_ieq(name, "app-store") || ascii_ieq(name, "apple")) return VOCAL_IMPORT_APPSTORE;
    return VOCAL_IMPORT_UNKNOWN;
}

/* MARK: the sink (import_int.h) */

vocal__irec *vocal__sink_add(vocal__sink *s)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        vocal__irec *v = (vocal__irec *)vocal__realloc(s->v, cap * sizeof *v);
        if (!v) return NULL;
        s->v = v;
        s->cap = cap;
    }
    vocal__irec *r = &s->v[s->n++];
    memset(r, 0, sizeof *r);
    r->likes = r->shares = r->replies = r->rating = VOCAL_IMPORT_NONE;
    r->fmt = s->fmt;
    r->src = s->n_srcs ? (uint32_t)(s->n_srcs - 1) : 0;
    s->read++;
    return r;
}

int vocal__irec_set(vocal__irec *r, int i, const char *s, size_t n)
{
    if (!s) return VOCAL_OK;
    char *d = vocal__strndup(s, n);
    if (!d) return VOCAL_ENOMEM;
    vocal__free(r->f[i]);
    r->f[i] = d;
    return VOCAL_OK;
}

int vocal__irec_link(vocal__irec *r, const char *s, size_t n)
{
    for (size_t i = 0; i < r->n_links; i++)
        if (strlen(r->links[i]) == n && !memcmp(r->links[i], s, n)) return VOCAL_OK;
    char **v = (char **)vocal__realloc(r->links, (r->n_links + 1) * sizeof *v);
    if (!v) return VOCAL_ENOMEM;
    r->links = v;
    if (!(v[r->n_links] = vocal__strndup(s, n))) return VOCAL_ENOMEM;
    r->n_links++;
    return VOCAL_OK;
}

void vocal__irec_free(vocal__irec *r)
{
    for (int i = 0; i < F_COUNT; i++) vocal__free(r->f[i]);
    for (size_t i = 0; i < r->n_links; i++) vocal__free(r->links[i]);
    vocal__free(r->links);
    vocal__free(r->err);
    memset(r, 0, sizeof *r);
}

int vocal__sink_reject(vocal__sink *s, uint64_t line, uint64_t byte, const char *fmt, ...)
{
    vocal__irec *r = vocal__sink_add(s);
    if (!r) return VOCAL_ENOMEM;
    if (!(r->err = (vocal_error *)vocal__malloc(sizeof *r->err))) {
        s->n--;
        return VOCAL_ENOMEM;
    }
    char msg[sizeof r->err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    vocal__err(r->err, VOCAL_EINPUT, s->path, line, byte, "%s", msg);
    return VOCAL_OK;
}

void vocal__sink_drop_last(vocal__sink *s)
{
    assert(s->n > 0);
    vocal__irec_free(&s->v[--s->n]);
    s->empty++;
}

static void queue_clear(vocal_importer *imp)
{
    for (size_t i = 0; i < imp->q.n; i++) vocal__irec_free(&imp->q.v[i]);
    imp->q.n = 0;
    imp->q.read = imp->q.empty = 0;
    for (size_t i = 0; i < imp->q.n_srcs; i++) vocal__free(imp->q.srcs[i]);
    imp->q.n_srcs = 0;
    imp->q.path = NULL;
    imp->next = 0;
    imp->have_cur = 0;
}

/* MARK: lifetime */

static int random_bytes(uint8_t *p, size_t n, vocal_error *err)
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return vocal__err(err, VOCAL_EIO, "/dev/urandom", 0, UINT64_MAX, "cannot open: %s", strerror(errno));
    size_t got = 0;
    while (got < n) {
        ssize_t k = read(fd, p + got, n - got);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) {
            close(fd);
            return vocal__err(err, VOCAL_EIO, "/dev/urandom", 0, UINT64_MAX, "cannot read a random key");
        }
        got += (size_t)k;
    }
    close(fd);
    return VOCAL_OK;
}

int vocal_importer_new(vocal_importer **out, const vocal_import_options *o, vocal_error *err)
{
    static const vocal_import_options defaults = VOCAL_IMPORT_OPTIONS_INIT;
    assert(out);
    *out = NULL;
    if (!o) o = &defaults;
    if ((int)o->format < 0 || o->format > VOCAL_IMPORT_HTML)
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "unknown import format %d", (int)o->format);
    if (o->format == VOCAL_IMPORT_HTML && (!o->xpath || !o->xpath[0]))
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "the html format needs an xpath");
    if (o->xpath && !vocal__xpath_valid(o->xpath))
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX, "invalid xpath: %s", o->xpath);
    vocal_importer *imp = (vocal_importer *)vocal__calloc(1, sizeof *imp);
    if (!imp) return vocal__err_oom(err);
    imp->o = *o;
    imp->o.xpath = NULL;
    imp->o.author_key = NULL;
    int error = VOCAL_ENOMEM;
    if (o->xpath && !(imp->xpath = vocal__strndup(o->xpath, strlen(o->xpath)))) goto fail;
    if (o->author_key) {
        imp->key_len = o->author_key_len;
        if (!(imp->key = (uint8_t *)vocal__malloc(imp->key_len))) goto fail;
        memcpy(imp->key, o->author_key, imp->key_len);
    } else if (!o->keep_authors) {
        imp->key_len = RANDOM_KEY_LEN;
        if (!(imp->key = (uint8_t *)vocal__malloc(imp->key_len))) goto fail;
        if ((error = random_bytes(imp->key, imp->key_len, err)) < 0) goto done;
        imp->random_key = 1;
    }
    *out = imp;
    return VOCAL_OK;
fail:
    error = vocal__err_oom(err);
done:
    vocal_importer_free(imp);
    return error;
}

void vocal_importer_free(vocal_importer *imp)
{
    if (!imp) return;
    queue_clear(imp);
    vocal__free(imp->q.v);
    vocal__free(imp->q.srcs);
    vocal__free(imp->xpath);
    vocal__free(imp->key);
    vocal__free(imp->seen);
    vocal__free(imp);
}

int vocal_importer_open(vocal_importer **out, const char *path, const vocal_import_options *o, vocal_error *err)
{
    int error = vocal_importer_new(out, o, err);
    if (error < 0) return error;
    if ((error = vocal_importer_add(*out, path, err)) < 0) {
        vocal_importer_free(*out);
        *out = NULL;
    }
    return error;
}

void vocal_importer_stats(const vocal_importer *imp, vocal_import_stats *out)
{
    assert(imp && out);
    *out = imp->st;
}

vocal_import_format vocal_importer_format(const vocal_importer *imp, const char **why)
{
    assert(imp);
    if (why) *why = imp->why;
    return imp->cur_fmt;
}

int vocal_importer_random_key(const vocal_importer *imp)
{
    assert(imp);
    return imp->random_key;
}

/* MARK: detection (docs/import.md "auto") */

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int ends(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && ascii_ieq(s + n - m, suffix);
}

/* Case-insensitive search for an ASCII needle in the first bytes. */
static int head_has(const char *buf, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    if (n > 8192) n = 8192;
    for (size_t i = 0; i + m <= n; i++) {
        size_t k = 0;
        for (; k < m; k++) {
            int c = (unsigned char)buf[i + k];
            if (c >= 'A' && c <= 'Z') c += 32;
            if (c != needle[k]) break;
        }
        if (k == m) return 1;
    }
    return 0;
}

/* Which parser reads this buffer: JSON formats are told apart by
 * structure inside json.c (they must be parsed first). Returns the format,
 * VOCAL_IMPORT_AUTO for "JSON, decide on its structure", or UNKNOWN. */
static vocal_import_format sniff(vocal_importer *imp, const char *name, const char *buf, size_t n)
{
    const char *b = base_name(name);
    if (n >= 2 && (((unsigned char)buf[0] == 0xFF && (unsigned char)buf[1] == 0xFE) ||
                   ((unsigned char)buf[0] == 0xFE && (unsigned char)buf[1] == 0xFF))) {
        snprintf(imp->why, sizeof imp->why, "UTF-16 byte order mark (Play Console review CSV)");
        return VOCAL_IMPORT_GOOGLEPLAY;
    }
    size_t i = 0;
    if (n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) i = 3;
    while (i < n && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n')) i++;
    if (i < n && (n - i >= 11 && !memcmp(buf + i, "window.YTD.", 11))) {
        /* every archive data file has the prefix: only tweets are posts */
        const char *kind = buf + i + 11;
        size_t left = n - i - 11, k = 0;
        while (k < left && k < 40 && kind[k] != '.' && kind[k] != ' ' && kind[k] != '=') k++;
        if ((k == 6 && !memcmp(kind, "tweets", 6)) || (k == 5 && !memcmp(kind, "tweet", 5))) {
            snprintf(imp->why, sizeof imp->why, "starts with window.YTD.%.*s (X archive tweets)", (int)k, kind);
            return VOCAL_IMPORT_TWITTER;
        }
        snprintf(imp->why, sizeof imp->why, "an X archive file of %.*s, not tweets (data/tweets.js holds the posts)",
                 (int)k, kind);
        return VOCAL_IMPORT_UNKNOWN;
    }
    if (i < n && buf[i] == '<') {
        if (head_has(buf + i, n - i, "<rss") || head_has(buf + i, n - i, "<rdf:rdf")) {
            snprintf(imp->why, sizeof imp->why, "XML with an <rss> root");
            return VOCAL_IMPORT_RSS;
        }
        if (head_has(buf + i, n - i, "<feed")) {
            snprintf(imp->why, sizeof imp->why, "XML with a <feed> root (Atom)");
            return VOCAL_IMPORT_ATOM;
        }
        if (head_has(buf + i, n - i, "<html") || head_has(buf + i, n - i, "<!doctype html")) {
            snprintf(imp->why, sizeof imp->why, "an HTML page");
            return VOCAL_IMPORT_HTML;
        }
        return VOCAL_IMPORT_UNKNOWN;
    }
    if (i < n && (buf[i] == '{' || buf[i] == '[')) return VOCAL_IMPORT_AUTO;
    if (ends(b, ".csv") || head_has(buf, n, "review text")) {
        snprintf(imp->why, sizeof imp->why, "CSV with a Review Text column (Play Console)");
        return VOCAL_IMPORT_GOOGLEPLAY;
    }
    if (ends(b, ".html") || ends(b, ".htm")) {
        snprintf(imp->why, sizeof imp->why, "file name %s", b);
        return VOCAL_IMPORT_HTML;
    }
    return VOCAL_IMPORT_UNKNOWN;
}

/* MARK: reading files */

static int read_fd(vocal__buf *b, int fd, const char *shown, vocal_error *err)
{
    for (;;) {
        if (vocal__buf_reserve(b, 65536) < 0) return vocal__err_oom(err);
        ssize_t k = read(fd, b->p + b->len, b->cap - b->len);
        if (k == 0) return VOCAL_OK;
        if (k < 0) {
            if (errno == EINTR) continue;
            return vocal__err(err, VOCAL_EIO, shown, 0, b->len, "read error: %s", strerror(errno));
        }
        b->len += (size_t)k;
        if (b->len > MAX_INPUT)
            return vocal__err(err, VOCAL_EFORMAT, shown, 0, UINT64_MAX, "larger than %zu MiB: not an export",
                              MAX_INPUT >> 20);
    }
}

static int set_source(vocal_importer *imp, const char *path, const char *member)
{
    vocal__sink *q = &imp->q;
    size_t a = strlen(path), b = member ? strlen(member) : 0;
    char **v = (char **)vocal__realloc(q->srcs, (q->n_srcs + 1) * sizeof *v);
    if (!v) return VOCAL_ENOMEM;
    q->srcs = v;
    char *s = (char *)vocal__malloc(a + b + 2);
    if (!s) return VOCAL_ENOMEM;
    memcpy(s, path, a);
    s[a] = '\0';
    if (member) {
        s[a] = '!';
        memcpy(s + a + 1, member, b + 1);
    }
    q->srcs[q->n_srcs++] = s;
    q->path = s;
    return VOCAL_OK;
}

/* Parse one document into the queue. */
static int parse_buffer(vocal_importer *imp, const char *name, const char *buf, size_t n, vocal_error *err)
{
    vocal_import_format f = imp->o.format;
    imp->why[0] = '\0';
    if (f == VOCAL_IMPORT_AUTO) {
        f = sniff(imp, name, buf, n);
        if (f == VOCAL_IMPORT_UNKNOWN && imp->why[0])
            return vocal__err(err, VOCAL_EFORMAT, imp->q.path, 0, UINT64_MAX, "%s", imp->why);
        if (f == VOCAL_IMPORT_UNKNOWN)
            return vocal__err(err, VOCAL_EFORMAT, imp->q.path, 0, UINT64_MAX,
                              "unknown structure: not JSON, XML, HTML or a review CSV; name a format with --from");
        if (f == VOCAL_IMPORT_HTML && !imp->xpath)
            return vocal__err(err, VOCAL_EFORMAT, imp->q.path, 0, UINT64_MAX,
                              "an HTML page: say which elements are reviews with --xpath");
    } else {
        snprintf(imp->why, sizeof imp->why, "given with --from");
    }
    imp->cur_fmt = imp->q.fmt = f;
    switch (f) {
    case VOCAL_IMPORT_RSS:
    case VOCAL_IMPORT_ATOM: return vocal__import_feed(&imp->q, f, buf, n, err);
    case VOCAL_IMPORT_HTML: return vocal__import_html(&imp->q, imp->xpath, buf, n, err);
    case VOCAL_IMPORT_GOOGLEPLAY: return vocal__import_gplay(&imp->q, buf, n, err);
    default: break;
    }
    /* JSON formats; AUTO is decided by structure in json.c, which sets
     * q.fmt and q.why */
    imp->q.why[0] = '\0';
    int rc = vocal__import_json(&imp->q, f, buf, n, err);
    imp->cur_fmt = imp->q.fmt;
    if (f == VOCAL_IMPORT_AUTO) snprintf(imp->why, sizeof imp->why, "%s", imp->q.why);
    return rc;
}

/* Archive members that exports hold records in (docs/import.md). */
static int known_member(const char *name)
{
    const char *b = base_name(name);
    if (b[0] == '.' || !b[0]) return 0;
    if ((starts(b, "tweets") || starts(b, "tweet.") || starts(b, "tweet-")) && ends(b, ".js")) return 1;
    if (!strcmp(b, "outbox.json")) return 1;
    if (starts(b, "your_posts") && ends(b, ".json")) return 1;
    if ((starts(b, "comments") || starts(b, "post_comments") || starts(b, "posts_")) && ends(b, ".json"))
        return 1;
    if (starts(b, "reviews") && ends(b, ".csv")) return 1;
    if (ends(b, ".rss") || ends(b, ".atom")) return 1;
    if ((starts(b, "RC_") || starts(b, "RS_")) && (ends(b, ".json") || ends(b, ".ndjson"))) return 1;
    return 0;
}

static int is_archive(const char *path, const char *buf, size_t n)
{
    if (n >= 4 && !memcmp(buf, "PK\x03\x04", 4)) return 1;
    if (n >= 2 && (unsigned char)buf[0] == 0x1F && (unsigned char)buf[1] == 0x8B) return 1;
    if (n >= 262 && !memcmp(buf + 257, "ustar", 5)) return 1;
    return ends(path, ".zip") || ends(path, ".tar.gz") || ends(path, ".tgz") || ends(path, ".tar");
}

static int add_archive(vocal_importer *imp, const char *path, const char *buf, size_t n, vocal_error *err)
{
    struct archive *a = archive_read_new();
    if (!a) return vocal__err_oom(err);
    archive_read_support_filter_gzip(a);
    archive_read_support_format_zip(a);
    archive_read_support_format_tar(a);
    archive_read_support_format_gnutar(a);
    archive_read_support_format_raw(a); /* a lone gzipped file: outbox.json.gz */
    vocal__buf m = {0};
    char raw_name[256];
    int error = VOCAL_OK, members = 0;
    if (archive_read_open_memory(a, buf, n) != ARCHIVE_OK) {
        error = vocal__err(err, VOCAL_EFORMAT, path, 0, 0, "not a readable archive: %s", archive_error_string(a));
        goto done;
    }
    struct archive_entry *e;
    int rc;
    while ((rc = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
        const char *name = archive_entry_pathname(e);
        int raw = archive_format(a) == ARCHIVE_FORMAT_RAW;
        if (raw) { /* named after the archive, less its .gz */
            const char *b = base_name(path);
            size_t bl = strlen(b);
            if (ends(b, ".gz")) bl -= 3;
            snprintf(raw_name, sizeof raw_name, "%.*s", (int)(bl < 200 ? bl : 200), b);
            name = raw_name;
        } else if (!name || archive_entry_filetype(e) != AE_IFREG || !known_member(name)) {
            continue;
        }
        m.len = 0;
        for (;;) {
            if (vocal__buf_reserve(&m, 65536) < 0) {
                error = vocal__err_oom(err);
                goto done;
            }
            la_ssize_t k = archive_read_data(a, m.p + m.len, m.cap - m.len);
            if (k == 0) break;
            if (k < 0 || m.len > MAX_INPUT) {
                error = vocal__err(err, VOCAL_EFORMAT, path, 0, UINT64_MAX, "member %s: %s", name,
                                   k < 0 ? archive_error_string(a) : "too large");
                goto done;
            }
            m.len += (size_t)k;
        }
        if ((error = set_source(imp, path, name)) < 0) {
            error = vocal__err_oom(err);
            goto done;
        }
        members++;
        /* one member's damage does not hide the others: its error becomes
         * a rejected item and the next member is read */
        vocal_error me;
        if ((error = parse_buffer(imp, name, m.p, m.len, &me)) < 0) {
            if (error == VOCAL_ENOMEM) {
                *err = me;
                goto done;
            }
            char msg[sizeof me.msg];
            memcpy(msg, me.msg, sizeof msg);
            if ((error = vocal__sink_reject(&imp->q, me.line, me.byte, "%s", msg)) < 0) {
                error = vocal__err_oom(err);
                goto done;
            }
            error = VOCAL_OK;
        }
    }
    if (rc != ARCHIVE_EOF) {
        /* the compressed bytes consumed so far: where the damage was met */
        error = vocal__err(err, VOCAL_EFORMAT, path, 0, (uint64_t)archive_filter_bytes(a, -1), "damaged archive: %s",
                           archive_error_string(a));
        goto done;
    }
    if (!members)
        error = vocal__err(err, VOCAL_EFORMAT, path, 0, UINT64_MAX,
                           "archive holds no known export file (data/tweets.js, outbox.json, your_posts_*.json, …)");
    else
        snprintf(imp->why, sizeof imp->why, "archive: %d export file%s", members, members == 1 ? "" : "s");
done:
    vocal__buf_free(&m);
    archive_read_free(a);
    return error;
}

int vocal_importer_add(vocal_importer *imp, const char *path, vocal_error *err)
{
    assert(imp && path);
    queue_clear(imp);
    imp->why[0] = '\0';
    imp->cur_fmt = imp->o.format;
    int is_stdin = strcmp(path, "-") == 0;
    const char *shown = is_stdin ? "<stdin>" : path;
    if (set_source(imp, shown, NULL) < 0) return vocal__err_oom(err);
    int fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return vocal__err(err, VOCAL_EIO, shown, 0, UINT64_MAX, "cannot open: %s", strerror(errno));
    vocal__buf b = {0};
    int error = read_fd(&b, fd, shown, err);
    if (!is_stdin) close(fd);
    if (error < 0) goto done;
    if (is_archive(path, b.p, b.len)) error = add_archive(imp, shown, b.p, b.len, err);
    else error = parse_buffer(imp, path, b.p, b.len, err);
done:
    imp->st.read += imp->q.read;
    imp->st.empty += imp->q.empty;
    if (error < 0) {
        /* what a damaged document yielded before the damage is kept */
        if (error == VOCAL_ENOMEM) queue_clear(imp);
    }
    vocal__buf_free(&b);
    return error;
}

/* MARK: dedupe */

static int seen_insert(vocal_importer *imp, uint64_t k)
{
    if (!k) k = 1;
    if ((imp->seen_n + 1) * 2 > imp->seen_cap) {
        size_t cap = imp->seen_cap ? imp->seen_cap * 2 : 1024;
        uint64_t *v = (uint64_t *)vocal__calloc(cap, sizeof *v);
        if (!v) return VOCAL_ENOMEM;
        for (size_t i = 0; i < imp->seen_cap; i++) {
            uint64_t x = imp->seen[i];
            if (!x) continue;
            size_t j = (size_t)(x & (cap - 1));
            while (v[j]) j = (j + 1) & (cap - 1);
            v[j] = x;
        }
        vocal__free(imp->seen);
        imp->seen = v;
        imp->seen_cap = cap;
    }
    size_t j = (size_t)(k & (imp->seen_cap - 1));
    while (imp->seen[j]) {
        if (imp->seen[j] == k) return 1;
        j = (j + 1) & (imp->seen_cap - 1);
    }
    imp->seen[j] = k;
    imp->seen_n++;
    return 0;
}

static uint64_t hash_fields(const char *a, const char *b, const char *c, uint64_t seed)
{
    uint64_t h = seed;
    const char *v[3] = {a, b, c};
    for (int i = 0; i < 3; i++) {
        const char *s = v[i] ? v[i] : "";
        h = vocal__fnv1a(s, strlen(s) + 1, h); /* the NUL separates the fields */
    }
    return h;
}

/* 1 if the record was seen before (by id, or by author + text + time). */
static int duplicate(vocal_importer *imp, const vocal__irec *r, int *oom)
{
    int dup = 0, rc;
    *oom = 0;
    if (r->f[F_ID]) {
        rc = seen_insert(imp, hash_fields(vocal_import_format_name((vocal_import_format)r->fmt), r->f[F_ID], NULL, 0x1d));
        if (rc < 0) *oom = 1;
        dup |= rc == 1;
    }
    if (!r->is_repost) {
        rc = seen_insert(imp, hash_fields(r->f[F_AUTHOR], r->f[F_TEXT], r->f[F_CREATED], 0x7e));
        if (rc < 0) *oom = 1;
        dup |= rc == 1;
    }
    return dup;
}

/* MARK: next */

static const char *pseudonym(vocal_importer *imp, char out[19], const char *who)
{
    if (!who || imp->o.keep_authors) return who;
    uint8_t mac[32];
    static const char hex[] = "0123456789abcdef";
    vocal__hmac_sha256(mac, imp->key, imp->key_len, who, strlen(who));
    out[0] = 'u';
    out[1] = ':';
    for (int i = 0; i < 8; i++) {
        out[2 + 2 * i] = hex[mac[i] >> 4];
        out[3 + 2 * i] = hex[mac[i] & 15];
    }
    out[18] = '\0';
    return out;
}

/* Mastodon addresses carry handles ("https://host/@ann/1",
 * "https://host/users/ann/statuses/1"): unless authors are kept, the handle
 * becomes the pseudonym of "https://host/users/NAME", the actor URI that
 * author pseudonyms are made from, so a reply_to still points at the same
 * pseudonymous person as that person's own records. */
static int redact_handles(vocal_importer *imp, char **field)
{
    char *s = *field;
    const char *host = s ? strstr(s, "://") : NULL;
    if (!host) return VOCAL_OK;
    host += 3;
    const char *path = strchr(host, '/');
    if (!path) return VOCAL_OK;
    vocal__buf out = {0};
    if (vocal__buf_put(&out, s, (size_t)(path - s)) < 0) goto oom;
    for (const char *p = path; *p;) {
        /* p is at a '/': copy it, then look at the segment */
        if (vocal__buf_putc(&out, '/') < 0) goto oom;
        p++;
        const char *seg = p, *end = strchr(p, '/');
        if (!end) end = p + strlen(p);
        const char *name = NULL;
        if (*seg == '@' && end > seg + 1) name = seg + 1;
        else if ((size_t)(end - seg) == 5 && !strncmp(seg, "users", 5) && *end == '/') {
            if (vocal__buf_put(&out, "users/", 6) < 0) goto oom;
            seg = end + 1;
            end = strchr(seg, '/');
            if (!end) end = seg + strlen(seg);
            name = end > seg ? seg : NULL;
            p = seg;
        }
        if (name) {
            char actor[600], pseudo[19];
            snprintf(actor, sizeof actor, "https://%.*s/users/%.*s", (int)(path - host), host, (int)(end - name), name);
            if (*seg == '@' && vocal__buf_putc(&out, '@') < 0) goto oom;
            if (vocal__buf_put(&out, pseudonym(imp, pseudo, actor), 18) < 0) goto oom;
        } else if (vocal__buf_put(&out, seg, (size_t)(end - seg)) < 0) {
            goto oom;
        }
        p = end;
    }
    if (vocal__buf_putc(&out, '\0') < 0) goto oom;
    vocal__free(*field);
    *field = out.p;
    return VOCAL_OK;
oom:
    vocal__buf_free(&out);
    return VOCAL_ENOMEM;
}

int vocal_importer_next(vocal_importer *imp, vocal_import_record *rec, vocal_error *err)
{
    assert(imp && rec);
    memset(rec, 0, sizeof *rec);
    if (imp->have_cur) {
        vocal__irec_free(&imp->q.v[imp->next - 1]);
        imp->have_cur = 0;
    }
    while (imp->next < imp->q.n) {
        vocal__irec *r = &imp->q.v[imp->next++];
        if (r->err) {
            imp->st.rejected++;
            if (err) *err = *r->err;
            vocal__irec_free(r);
            return VOCAL_EINPUT;
        }
        if (r->is_repost && !imp->o.include_reposts) {
            imp->st.reposts++;
            vocal__irec_free(r);
            continue;
        }
        int oom;
        if (duplicate(imp, r, &oom)) {
            imp->st.duplicates++;
            vocal__irec_free(r);
            continue;
        }
        if (oom) return vocal__err_oom(err);
        if (r->fmt == VOCAL_IMPORT_MASTODON && !imp->o.keep_authors &&
            (redact_handles(imp, &r->f[F_ID]) < 0 || redact_handles(imp, &r->f[F_URL]) < 0 ||
             redact_handles(imp, &r->f[F_REPLY_TO]) < 0)) {
            vocal__irec_free(r);
            return vocal__err_oom(err);
        }
        /* Facebook titles name the account holder ("Zoe Example recommends
         * …"): with pseudonyms on, they would undo them */
        if (r->fmt == VOCAL_IMPORT_FACEBOOK && !imp->o.keep_authors) {
            vocal__free(r->f[F_TITLE]);
            r->f[F_TITLE] = NULL;
        }
        imp->have_cur = 1;
        imp->st.imported++;
        rec->id = r->f[F_ID];
        rec->created_at = r->f[F_CREATED];
        rec->channel = channel_names[r->fmt > 0 ? r->fmt : 0];
        rec->format = vocal_import_format_name((vocal_import_format)r->fmt);
        rec->source = imp->q.srcs[r->src];
        rec->url = r->f[F_URL];
        rec->author = pseudonym(imp, imp->author, r->f[F_AUTHOR]);
        rec->reply_to = r->f[F_REPLY_TO];
        rec->lang = r->f[F_LANG];
        rec->title = r->f[F_TITLE];
        rec->text = r->f[F_TEXT] ? r->f[F_TEXT] : "";
        rec->text_len = strlen(rec->text);
        rec->links = (const char *const *)r->links;
        rec->n_links = r->n_links;
        rec->likes = r->likes;
        rec->shares = r->shares;
        rec->replies = r->replies;
        rec->rating = r->rating;
        rec->is_repost = r->is_repost;
        return 1;
    }
    return 0;
}
