/* Model files: docs/format/model.md is the spec; section numbers (§) refer
 * to it. Every number goes through le.h; every offset and length is checked
 * against the file size before it is used. */
#define _POSIX_C_SOURCE 200809L
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../util/le.h"
#include "model_int.h"

#define ALIGN8(x) (((x) + 7) & ~(uint64_t)7)

enum { SEC_META, SEC_CLAS, SEC_VOCB, SEC_CNTS, NSEC };
static const char sec_tags[NSEC][5] = {"META", "CLAS", "VOCB", "CNTS"};

/* MARK: writing */

static int put_kv(vocal__buf *b, const char *k, const char *v)
{
    if (vocal__buf_put(b, k, strlen(k)) < 0 || vocal__buf_putc(b, '=') < 0 ||
        vocal__buf_put(b, v, strlen(v)) < 0 || vocal__buf_putc(b, '\n') < 0)
        return VOCAL_ENOMEM;
    return VOCAL_OK;
}

static int put_ku(vocal__buf *b, const char *k, uint64_t v)
{
    char s[24];
    snprintf(s, sizeof s, "%" PRIu64, v);
    return put_kv(b, k, s);
}

int vocal__model_meta(const vocal_model *m, vocal__buf *b)
{
    /* §3.1: fixed order, so the same model gives the same bytes */
    char s[VOCAL__HEXF_MAX];
    const vocal_train_options *o = &m->opt;
    int rc = put_kv(b, "vocal_version", VOCAL_VERSION_STRING);
    if (!rc) rc = put_kv(b, "variant", o->variant == VOCAL_NB_COMPLEMENT ? "complement" : "multinomial");
    if (!rc) {
        vocal__fmt_hexf(s, o->alpha);
        rc = put_kv(b, "alpha", s);
    }
    if (!rc) rc = put_ku(b, "uniform_priors", (uint64_t)o->uniform_priors);
    if (!rc) rc = put_ku(b, "ngram", o->ngram);
    if (!rc) rc = put_ku(b, "char_ngram_min", o->char_ngram_min);
    if (!rc) rc = put_ku(b, "char_ngram_max", o->char_ngram_max);
    if (!rc) rc = put_ku(b, "binary", (uint64_t)o->binary);
    if (!rc) rc = put_ku(b, "min_count", o->min_count);
    if (!rc) rc = put_kv(b, "features", o->use_stems ? "stems" : "norms");
    if (!rc) rc = put_ku(b, "negation", (uint64_t)o->use_negation);
    if (!rc) rc = put_ku(b, "lexicon", (uint64_t)o->use_lexicon);
    if (!rc && o->use_lexicon) {
        snprintf(s, sizeof s, "%016" PRIx64, m->lexfp);
        rc = put_kv(b, "lexicon_fingerprint", s);
    }
    if (!rc) rc = put_kv(b, "language", m->language);
    if (!rc) rc = put_kv(b, "stemmer", m->stemmer);
    if (!rc) {
        snprintf(s, sizeof s, "%016" PRIx64, m->probe);
        rc = put_kv(b, "stemmer_probe", s);
    }
    if (!rc) rc = put_kv(b, "normalizer", "nfkc-casefold");
    if (!rc) rc = put_kv(b, "unicode", m->unicode);
    if (!rc) rc = put_kv(b, "hash", m->hash);
    if (!rc) rc = put_ku(b, "records", m->records);
    if (!rc) {
        snprintf(s, sizeof s, "%016" PRIx64, m->fingerprint);
        rc = put_kv(b, "fingerprint", s);
    }
    return rc;
}

static int pad8(vocal__buf *b)
{
    while (b->len & 7)
        if (vocal__buf_putc(b, 0) < 0) return VOCAL_ENOMEM;
    return VOCAL_OK;
}

int vocal__model_serialize(const vocal_model *m, vocal__buf *b)
{
    size_t base = b->len;
    size_t table = base + VOCAL__MODEL_HEADER;
    size_t secoff[NSEC], seclen[NSEC];
    if (vocal__buf_reserve(b, VOCAL__MODEL_HEADER + NSEC * VOCAL__MODEL_ENTRY) < 0) return VOCAL_ENOMEM;
    memset(b->p + base, 0, VOCAL__MODEL_HEADER + NSEC * VOCAL__MODEL_ENTRY);
    b->len += VOCAL__MODEL_HEADER + NSEC * VOCAL__MODEL_ENTRY;
    /* §3.1 META */
    secoff[SEC_META] = b->len;
    if (vocal__model_meta(m, b) < 0) return VOCAL_ENOMEM;
    seclen[SEC_META] = b->len - secoff[SEC_META];
    /* §3.2 CLAS: u64 n, u64 docs[n], n NUL-terminated names */
    if (pad8(b) < 0) return VOCAL_ENOMEM;
    secoff[SEC_CLAS] = b->len;
    if (vocal__buf_reserve(b, 8 + 8 * m->nc) < 0) return VOCAL_ENOMEM;
    vocal__put_le64(b->p + b->len, m->nc);
    b->len += 8;
    for (size_t c = 0; c < m->nc; c++, b->len += 8) vocal__put_le64(b->p + b->len, m->cdocs[c]);
    for (size_t c = 0; c < m->nc; c++)
        if (vocal__buf_put(b, m->cnames[c], m->clen[c] + 1) < 0) return VOCAL_ENOMEM;
    seclen[SEC_CLAS] = b->len - secoff[SEC_CLAS];
    /* §3.3 VOCB: u64 n, n NUL-terminated strings in strictly increasing bytewise order */
    if (pad8(b) < 0) return VOCAL_ENOMEM;
    secoff[SEC_VOCB] = b->len;
    if (vocal__buf_reserve(b, 8) < 0) return VOCAL_ENOMEM;
    vocal__put_le64(b->p + b->len, m->nf);
    b->len += 8;
    if (vocal__buf_put(b, m->strs, m->off[m->nf]) < 0) return VOCAL_ENOMEM;
    seclen[SEC_VOCB] = b->len - secoff[SEC_VOCB];
    /* §3.4 CNTS: u64 counts, row-major by feature */
    if (pad8(b) < 0) return VOCAL_ENOMEM;
    secoff[SEC_CNTS] = b->len;
    size_t ncnt = (size_t)m->nf * m->nc;
    if (ncnt > (SIZE_MAX - b->len) / 8 || vocal__buf_reserve(b, ncnt * 8) < 0) return VOCAL_ENOMEM;
    for (size_t i = 0; i < ncnt; i++, b->len += 8) vocal__put_le64(b->p + b->len, m->counts[i]);
    seclen[SEC_CNTS] = b->len - secoff[SEC_CNTS];
    /* §2 header and section table, then the header checksum */
    unsigned char *h = (unsigned char *)b->p + base;
    memcpy(h, VOCAL__MODEL_MAGIC, 8);
    vocal__put_le16(h + 8, VOCAL__MODEL_MAJOR);
    vocal__put_le16(h + 10, VOCAL__MODEL_MINOR);
    vocal__put_le32(h + 12, 0);
    vocal__put_le32(h + 16, NSEC);
    for (int i = 0; i < NSEC; i++) {
        unsigned char *e = (unsigned char *)b->p + table + (size_t)i * VOCAL__MODEL_ENTRY;
        memcpy(e, sec_tags[i], 4);
        vocal__put_le32(e + 4, vocal__crc32c(0, b->p + secoff[i], seclen[i]));
        vocal__put_le64(e + 8, secoff[i] - base);
        vocal__put_le64(e + 16, seclen[i]);
    }
    uint32_t crc = vocal__crc32c(0, h, 20);
    crc = vocal__crc32c(crc, b->p + table, NSEC * VOCAL__MODEL_ENTRY);
    vocal__put_le32(h + 20, crc);
    return VOCAL_OK;
}

static int io_err(vocal_error *err, const char *path, const char *what)
{
    return vocal__err(err, VOCAL_EIO, path, 0, UINT64_MAX, "%s: %s", what, strerror(errno));
}

int vocal_model_save(const vocal_model *m, const char *path, vocal_error *err)
{
    assert(m && path);
    vocal__buf b = {0};
    char *tmp = NULL;
    int fd = -1, rc;
    if (vocal__model_serialize(m, &b) < 0) {
        rc = vocal__err_oom(err);
        goto done;
    }
    /* a temporary name beside the target, so rename stays on one file system
     * and is atomic (POSIX rename); O_EXCL against collisions */
    size_t pl = strlen(path);
    tmp = (char *)vocal__malloc(pl + 32);
    if (!tmp) {
        rc = vocal__err_oom(err);
        goto done;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t salt = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 20 ^ (uint64_t)getpid() << 40 ^
                    (uint64_t)(uintptr_t)&ts;
    for (int attempt = 0; attempt < 100; attempt++) {
        salt = salt * 6364136223846793005ULL + 1442695040888963407ULL;
        snprintf(tmp, pl + 32, "%s.tmp-%08" PRIx32, path, (uint32_t)(salt >> 32));
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST) break;
    }
    if (fd < 0) {
        rc = io_err(err, path, "cannot create a temporary file beside it");
        goto done;
    }
    for (size_t w = 0; w < b.len;) {
        ssize_t r = write(fd, b.p + w, b.len - w);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            rc = io_err(err, path, "cannot write");
            goto fail;
        }
        w += (size_t)r;
    }
    if (fsync(fd) != 0) {
        rc = io_err(err, path, "cannot sync");
        goto fail;
    }
    if (close(fd) != 0) {
        fd = -1;
        rc = io_err(err, path, "cannot close");
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        rc = io_err(err, path, "cannot rename the temporary file over it");
        goto fail;
    }
    /* make the rename itself durable: sync the directory (best effort) */
    {
        const char *slash = strrchr(path, '/');
        char *dir = slash ? vocal__strndup(path, slash == path ? 1 : (size_t)(slash - path)) : NULL;
        int dfd = open(dir ? dir : ".", O_RDONLY | O_CLOEXEC);
        if (dfd >= 0) {
            (void)fsync(dfd);
            close(dfd);
        }
        vocal__free(dir);
    }
    rc = VOCAL_OK;
    goto done;
fail:
    if (fd >= 0) close(fd);
    fd = -1;
    unlink(tmp);
done:
    vocal__free(tmp);
    vocal__buf_free(&b);
    return rc;
}

/* MARK: reading */

typedef struct reader {
    const unsigned char *p;
    uint64_t size;
    const char *path;
    vocal_error *err;
} reader;

static int bad(const reader *r, uint64_t byte, const char *fmt, ...) VOCAL__PRINTF(3, 4);
static int bad(const reader *r, uint64_t byte, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return vocal__err(r->err, VOCAL_EFORMAT, r->path, 0, byte, "%s", msg);
}

typedef struct section {
    uint64_t off, len;
} section;

static int parse_u64(const char *s, size_t n, uint64_t *out)
{
    if (n == 0 || n > 20 || (n > 1 && s[0] == '0')) return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10) return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

static int parse_hex64(const char *s, size_t n, uint64_t *out)
{
    if (n != 16) return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        int d = (s[i] >= '0' && s[i] <= '9') ? s[i] - '0' : (s[i] >= 'a' && s[i] <= 'f') ? s[i] - 'a' + 10 : -1;
        if (d < 0) return -1;
        v = v << 4 | (unsigned)d;
    }
    *out = v;
    return 0;
}

static int copy_str(char *dst, size_t cap, const char *s, size_t n)
{
    if (n >= cap) return -1;
    memcpy(dst, s, n);
    dst[n] = '\0';
    return 0;
}

/* §3.1: key=value lines; unknown keys are skipped (a newer minor may add
 * some), required ones must be there once. */
static int read_meta(const reader *r, section s, vocal_model *m)
{
    enum {
        K_VARIANT, K_ALPHA, K_UNIFORM, K_NGRAM, K_CMIN, K_CMAX, K_BINARY, K_MINCOUNT, K_FEATURES,
        K_NEGATION, K_LEXICON, K_LANGUAGE, K_STEMMER, K_PROBE, K_UNICODE, K_HASH, K_RECORDS,
        K_FINGERPRINT, K_VERSION, K_LEXFP, NKEYS
    };
    static const char *const keys[NKEYS] = {
        "variant", "alpha", "uniform_priors", "ngram", "char_ngram_min", "char_ngram_max",
        "binary", "min_count", "features", "negation", "lexicon", "language", "stemmer",
        "stemmer_probe", "unicode", "hash", "records", "fingerprint", "vocal_version",
        "lexicon_fingerprint"};
    /* all but vocal_version, unicode, hash and lexicon_fingerprint are needed
     * to use the model */
    const unsigned required = ((1u << NKEYS) - 1) & ~(1u << K_VERSION) & ~(1u << K_UNICODE) &
                              ~(1u << K_HASH) & ~(1u << K_LEXFP);
    unsigned seen = 0;
    const char *p = (const char *)r->p + s.off;
    uint64_t i = 0;
    vocal_train_options *o = &m->opt;
    o->version = VOCAL_TRAIN_OPTIONS_VERSION;
    if (s.len == 0 || p[s.len - 1] != '\n') return bad(r, s.off + s.len, "META does not end with a newline");
    while (i < s.len) {
        uint64_t at = s.off + i;
        const char *line = p + i;
        const char *nl = (const char *)memchr(line, '\n', (size_t)(s.len - i));
        size_t n = (size_t)(nl - line);
        i += n + 1;
        const char *eq = (const char *)memchr(line, '=', n);
        if (!eq || eq == line) return bad(r, at, "META line without key=value");
        for (size_t j = 0; j < n; j++)
            if ((unsigned char)line[j] < 0x20 || (unsigned char)line[j] >= 0x7F)
                return bad(r, at + j, "META holds a byte that is not printable ASCII");
        size_t kl = (size_t)(eq - line);
        const char *v = eq + 1;
        size_t vl = n - kl - 1;
        int k = 0;
        while (k < NKEYS && !(strlen(keys[k]) == kl && memcmp(keys[k], line, kl) == 0)) k++;
        if (k == NKEYS) continue;
        if (seen & (1u << k)) return bad(r, at, "META key '%s' appears twice", keys[k]);
        seen |= 1u << k;
        uint64_t u = 0;
        int ok = 1;
        switch (k) {
        case K_VARIANT:
            if (vl == 11 && !memcmp(v, "multinomial", 11)) o->variant = VOCAL_NB_MULTINOMIAL;
            else if (vl == 10 && !memcmp(v, "complement", 10)) o->variant = VOCAL_NB_COMPLEMENT;
            else ok = 0;
            break;
        case K_ALPHA:
            ok = vocal__parse_hexf(v, vl, &o->alpha) == 0 && o->alpha > 0;
            break;
        case K_FEATURES:
            if (vl == 5 && !memcmp(v, "stems", 5)) o->use_stems = 1;
            else if (vl == 5 && !memcmp(v, "norms", 5)) o->use_stems = 0;
            else ok = 0;
            break;
        case K_UNIFORM: case K_BINARY: case K_NEGATION: case K_LEXICON:
            ok = parse_u64(v, vl, &u) == 0 && u <= 1;
            if (k == K_UNIFORM) o->uniform_priors = (int)u;
            else if (k == K_BINARY) o->binary = (int)u;
            else if (k == K_NEGATION) o->use_negation = (int)u;
            else o->use_lexicon = (int)u;
            break;
        case K_NGRAM:
            ok = parse_u64(v, vl, &u) == 0 && u >= 1 && u <= VOCAL_MODEL_MAX_NGRAM;
            o->ngram = (unsigned)u;
            break;
        case K_CMIN: case K_CMAX:
            ok = parse_u64(v, vl, &u) == 0 && u <= VOCAL_MODEL_MAX_CHAR_NGRAM;
            if (k == K_CMIN) o->char_ngram_min = (unsigned)u;
            else o->char_ngram_max = (unsigned)u;
            break;
        case K_MINCOUNT: ok = parse_u64(v, vl, &o->min_count) == 0; break;
        case K_RECORDS: ok = parse_u64(v, vl, &m->records) == 0; break;
        case K_PROBE: ok = parse_hex64(v, vl, &m->probe) == 0; break;
        case K_FINGERPRINT: ok = parse_hex64(v, vl, &m->fingerprint) == 0; break;
        case K_LEXFP: ok = parse_hex64(v, vl, &m->lexfp) == 0; break;
        case K_LANGUAGE: ok = copy_str(m->language, sizeof m->language, v, vl) == 0; break;
        case K_STEMMER: ok = copy_str(m->stemmer, sizeof m->stemmer, v, vl) == 0; break;
        case K_UNICODE: ok = copy_str(m->unicode, sizeof m->unicode, v, vl) == 0; break;
        case K_HASH: ok = copy_str(m->hash, sizeof m->hash, v, vl) == 0; break;
        case K_VERSION: ok = copy_str(m->writer, sizeof m->writer, v, vl) == 0; break;
        default: break;
        }
        if (!ok) return bad(r, at + kl + 1, "META value of '%s' is not valid", keys[k]);
    }
    if ((seen & required) != required) {
        int k = 0;
        while (seen & (1u << k) || !(required & (1u << k))) k++;
        return bad(r, s.off, "META lacks the key '%s'", keys[k]);
    }
    /* the pair is checked together (vocal__options_check's rule) */
    if ((o->char_ngram_min || o->char_ngram_max) &&
        (o->char_ngram_min < 1 || o->char_ngram_min > o->char_ngram_max))
        return bad(r, s.off, "META char_ngram_min and char_ngram_max disagree");
    if (!m->hash[0]) snprintf(m->hash, sizeof m->hash, "fnv1a64");
    return VOCAL_OK;
}

/* A run of NUL-terminated, non-empty, UTF-8 strings in strictly increasing
 * bytewise order; *end is set past the n-th string. */
static int read_strings(const reader *r, uint64_t from, uint64_t to, uint64_t n, const char *what,
                        int no_ctrl, uint64_t *end)
{
    const char *p = (const char *)r->p;
    const char *prev = NULL;
    size_t prevlen = 0;
    uint64_t i = from;
    for (uint64_t k = 0; k < n; k++) {
        if (i >= to) return bad(r, to, "%s ends after %" PRIu64 " of %" PRIu64 " names", what, k, n);
        const char *nul = (const char *)memchr(p + i, '\0', (size_t)(to - i));
        if (!nul) return bad(r, to, "%s name %" PRIu64 " is not NUL-terminated", what, k);
        size_t len = (size_t)(nul - (p + i));
        if (len == 0) return bad(r, i, "%s name %" PRIu64 " is empty", what, k);
        size_t first;
        if (vocal_utf8_check(p + i, len, &first)) return bad(r, i + first, "%s name %" PRIu64 " is not UTF-8", what, k);
        for (size_t j = 0; no_ctrl && j < len; j++)
            if ((unsigned char)p[i + j] < 0x20 || p[i + j] == 0x7F)
                return bad(r, i + j, "%s name %" PRIu64 " has a control character", what, k);
        if (prev) {
            int c = memcmp(prev, p + i, prevlen < len ? prevlen : len);
            if (c > 0 || (c == 0 && prevlen >= len))
                return bad(r, i, "%s names are not in strictly increasing order at name %" PRIu64, what, k);
        }
        prev = p + i;
        prevlen = len;
        i += len + 1;
    }
    *end = i;
    return VOCAL_OK;
}

static int parse(vocal_model *m, const reader *r)
{
    const unsigned char *p = r->p;
    uint64_t size = r->size;
    /* §2 header: magic first, so a foreign file is named as such */
    if (size < 8 || memcmp(p, VOCAL__MODEL_MAGIC, 8) != 0) {
        uint64_t k = 0;
        while (k < 8 && k < size && p[k] == (unsigned char)VOCAL__MODEL_MAGIC[k]) k++;
        if (k == size) return bad(r, size, "truncated: %" PRIu64 " bytes, too short for a model header", size);
        return bad(r, k, "not a vocal model file (bad magic)");
    }
    if (size < VOCAL__MODEL_HEADER)
        return bad(r, size, "truncated: %" PRIu64 " bytes, too short for a model header", size);
    uint32_t nsec = vocal__le32(p + 16);
    if (nsec > (size - VOCAL__MODEL_HEADER) / VOCAL__MODEL_ENTRY)
        return bad(r, 16, "truncated, or a bad section count: %" PRIu32 " sections do not fit in %"
                   PRIu64 " bytes", nsec, size);
    uint64_t tend = VOCAL__MODEL_HEADER + (uint64_t)nsec * VOCAL__MODEL_ENTRY;
    uint32_t crc = vocal__crc32c(vocal__crc32c(0, p, 20), p + VOCAL__MODEL_HEADER, (size_t)(tend - VOCAL__MODEL_HEADER));
    if (crc != vocal__le32(p + 20))
        return bad(r, 20, "header checksum mismatch (header or section table damaged)");
    /* the header is intact: now its version means what it says (§2: bytes
     * 0..23 and the table layout are the same in every major) */
    unsigned major = vocal__le16(p + 8), minor = vocal__le16(p + 10);
    if (major > VOCAL__MODEL_MAJOR)
        return vocal__err(r->err, VOCAL_EVERSION, r->path, 0, 8,
                          "model format %u.%u needs a newer vocal (this one reads %d.x)", major,
                          minor, VOCAL__MODEL_MAJOR);
    if (major < 1) return bad(r, 8, "model format major %u does not exist", major);
    uint32_t flags = vocal__le32(p + 12);
    if (flags & ~VOCAL__MODEL_FLAGS_KNOWN)
        return vocal__err(r->err, VOCAL_EVERSION, r->path, 0, 12,
                          "model needs features this vocal lacks (required flags 0x%08" PRIx32 ")", flags);
    m->fmt_major = major;
    m->fmt_minor = minor;
    /* §2 section table: canonical layout, each section starting at the
     * 8-aligned end of the one before, zero padding, the file ending with
     * the last section */
    section sec[NSEC];
    memset(sec, 0, sizeof sec); /* set below for every section; -O3 cannot tell */
    int have[NSEC] = {0};
    uint64_t expect = tend;
    for (uint32_t i = 0; i < nsec; i++) {
        const unsigned char *e = p + VOCAL__MODEL_HEADER + (uint64_t)i * VOCAL__MODEL_ENTRY;
        uint64_t off = vocal__le64(e + 8), len = vocal__le64(e + 16);
        char tag[5];
        memcpy(tag, e, 4);
        tag[4] = '\0';
        for (int k = 0; k < 4; k++)
            if ((unsigned char)tag[k] < 0x20 || (unsigned char)tag[k] >= 0x7F) tag[k] = '?';
        if (off != expect) return bad(r, (uint64_t)(e - p) + 8, "section %s is not where the layout puts it", tag);
        if (off > size || len > size - off)
            return bad(r, off <= size ? off : size,
                       "truncated: section %s (offset %" PRIu64 ", %" PRIu64 " bytes) runs past the end "
                       "of the file (%" PRIu64 " bytes)", tag, off, len, size);
        if (vocal__crc32c(0, p + off, (size_t)len) != vocal__le32(e + 4))
            return bad(r, off, "section %s checksum mismatch (damaged at or after byte %" PRIu64 ")", tag, off);
        expect = off + len;
        if (i + 1 < nsec) {
            uint64_t next = ALIGN8(expect);
            if (next > size)
                return bad(r, size, "truncated after section %s", tag);
            for (uint64_t k = expect; k < next; k++)
                if (p[k]) return bad(r, k, "padding after section %s is not zero", tag);
            expect = next;
        }
        for (int k = 0; k < NSEC; k++) {
            if (memcmp(tag, sec_tags[k], 4) != 0) continue;
            if (have[k]) return bad(r, (uint64_t)(e - p), "section %s appears twice", tag);
            have[k] = 1;
            sec[k].off = off;
            sec[k].len = len;
        }
    }
    if (expect != size)
        return bad(r, expect, "%" PRIu64 " bytes after the last section", size - expect);
    for (int k = 0; k < NSEC; k++)
        if (!have[k]) return bad(r, tend, "section %s is missing", sec_tags[k]);
    int rc;
    if ((rc = read_meta(r, sec[SEC_META], m)) < 0) return rc;
    /* §3.2 CLAS */
    section s = sec[SEC_CLAS];
    if (s.len < 8) return bad(r, s.off, "CLAS is too short");
    uint64_t nc = vocal__le64(p + s.off);
    if (nc < 1 || nc > VOCAL_MODEL_MAX_CLASSES || nc > (s.len - 8) / 10)
        return bad(r, s.off, "CLAS class count %" PRIu64 " is not possible here", nc);
    for (uint64_t k = 0; k < nc; k++)
        if (vocal__le64(p + s.off + 8 + 8 * k) == 0)
            return bad(r, s.off + 8 + 8 * k, "CLAS class %" PRIu64 " has no records", k);
    uint64_t names = s.off + 8 + 8 * nc, end;
    if ((rc = read_strings(r, names, s.off + s.len, nc, "CLAS", 1, &end)) < 0) return rc;
    if (end != s.off + s.len) return bad(r, end, "CLAS has bytes after its names");
    /* §3.3 VOCB */
    section v = sec[SEC_VOCB];
    if (v.len < 8) return bad(r, v.off, "VOCB is too short");
    uint64_t nf = vocal__le64(p + v.off);
    if (nf > (v.len - 8) / 2 || nf >= UINT32_MAX || v.len - 8 > UINT32_MAX)
        return bad(r, v.off, "VOCB feature count %" PRIu64 " is not possible here", nf);
    if ((rc = read_strings(r, v.off + 8, v.off + v.len, nf, "VOCB", 0, &end)) < 0) return rc;
    if (end != v.off + v.len) return bad(r, end, "VOCB has bytes after its features");
    /* §3.4 CNTS */
    section c = sec[SEC_CNTS];
    if (nf && nc > c.len / 8 / nf) return bad(r, c.off, "CNTS is shorter than features x classes");
    if (c.len != 8 * nf * nc)
        return bad(r, c.off, "CNTS holds %" PRIu64 " bytes, not 8 x %" PRIu64 " features x %" PRIu64
                   " classes", c.len, nf, nc);
    /* everything checked: build the model */
    if (vocal__model_alloc(m, (size_t)nc, (size_t)(s.off + s.len - names), nf) < 0) return VOCAL_ENOMEM;
    m->strs = (char *)vocal__malloc((size_t)(v.len - 8) + 1);
    if (!m->strs) return VOCAL_ENOMEM;
    memcpy(m->cblob, p + names, (size_t)(s.off + s.len - names));
    for (uint64_t k = 0, q = 0; k < nc; k++) {
        m->cdocs[k] = vocal__le64(p + s.off + 8 + 8 * k);
        m->cnames[k] = m->cblob + q;
        m->clen[k] = strlen(m->cblob + q);
        q += m->clen[k] + 1;
    }
    memcpy(m->strs, p + v.off + 8, (size_t)(v.len - 8));
    for (uint64_t k = 0, q = 0; k < nf; k++) {
        q += strlen(m->strs + q) + 1;
        m->off[k + 1] = (uint32_t)q;
    }
    for (uint64_t f = 0; f < nf; f++) {
        uint64_t any = 0;
        for (uint64_t k = f * nc; k < (f + 1) * nc; k++) any |= m->counts[k] = vocal__le64(p + c.off + 8 * k);
        /* §3.4: writers drop features without a count; one here is damage */
        if (!any) return bad(r, c.off + 8 * f * nc, "CNTS feature %" PRIu64 " has no count", f);
    }
    return VOCAL_OK;
}

static int load_mem(vocal_model **out, const unsigned char *p, size_t size, const char *path,
                    vocal_error *err)
{
    vocal_model *m = (vocal_model *)vocal__calloc(1, sizeof *m);
    if (!m) return vocal__err_oom(err);
    reader r = {p, size, path, err};
    int rc = parse(m, &r);
    if (rc == VOCAL_OK) rc = vocal__model_prepare(m);
    if (rc == VOCAL_ENOMEM) vocal__err_oom(err);
    if (rc < 0) {
        vocal_model_free(m);
        return rc;
    }
    *out = m;
    return VOCAL_OK;
}

int vocal_model_load_buffer(vocal_model **out, const void *data, size_t size, vocal_error *err)
{
    assert(out && (data || !size));
    *out = NULL;
    return load_mem(out, (const unsigned char *)data, size, NULL, err);
}

int vocal_model_load(vocal_model **out, const char *path, vocal_error *err)
{
    assert(out && path);
    *out = NULL;
    /* one read of the whole file; everything after works on the bytes */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return io_err(err, path, "cannot open");
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int rc = io_err(err, path, "cannot stat");
        close(fd);
        return rc;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return vocal__err(err, VOCAL_EIO, path, 0, UINT64_MAX, "not a regular file");
    }
    if ((uint64_t)st.st_size > (uint64_t)SIZE_MAX / 2) {
        close(fd);
        return vocal__err(err, VOCAL_EIO, path, 0, UINT64_MAX, "file too large");
    }
    size_t size = (size_t)st.st_size;
    unsigned char *buf = (unsigned char *)vocal__malloc(size ? size : 1);
    if (!buf) {
        close(fd);
        return vocal__err_oom(err);
    }
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int rc = io_err(err, path, "cannot read");
            close(fd);
            vocal__free(buf);
            return rc;
        }
        if (n == 0) break; /* shrank while reading: parse what is there */
        got += (size_t)n;
    }
    close(fd);
    int rc = load_mem(out, buf, got, path, err);
    vocal__free(buf);
    return rc;
}
