/* Small text tools of the importers: mojibake repair, HTML character
 * references, dates, HMAC-SHA-256. See import_int.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_int.h"
#include "vocal/text.h"

/* MARK: trimming */

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

void vocal__trim(const char **s, size_t *n)
{
    while (*n && is_space((unsigned char)(*s)[0])) {
        (*s)++;
        (*n)--;
    }
    while (*n && is_space((unsigned char)(*s)[*n - 1])) (*n)--;
}

/* MARK: mojibake
 * Facebook and Instagram exports write each UTF-8 byte of a text as its own
 * \u00XX escape, so "é" (C3 A9) arrives as the two code points U+00C3
 * U+00A9. Taking those code points back as bytes restores the text; a
 * genuine Latin-1 text ("café" written by someone as U+00E9) gives invalid
 * UTF-8 that way and is left alone. */
int vocal__mojibake_repair(vocal__buf *out, const char *s, size_t n)
{
    out->len = 0;
    if (vocal__buf_reserve(out, n + 1) < 0) return VOCAL_ENOMEM;
    int high = 0, ok = 1;
    for (size_t i = 0; i < n && ok;) {
        int32_t cp;
        int bad;
        size_t k = vocal_utf8_decode(&cp, &bad, s + i, n - i);
        if (bad || cp > 0xFF) ok = 0;
        else {
            if (cp >= 0x80) high = 1;
            out->p[out->len++] = (char)cp;
        }
        i += k;
    }
    if (ok && high && vocal_utf8_check(out->p, out->len, NULL) == 0) {
        out->p[out->len] = '\0';
        return VOCAL_OK;
    }
    out->len = 0;
    memcpy(out->p, s, n);
    out->len = n;
    out->p[n] = '\0';
    return VOCAL_OK;
}

/* MARK: HTML character references (HTML5 §13.2.5.72; the named ones that
 * exports actually use: Twitter escapes & < >, feeds add the typographic
 * ones) */

static size_t put_utf8(char *o, uint32_t cp)
{
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static const struct {
    const char *name;
    uint32_t cp;
} named_refs[] = {
    {"amp", '&'},     {"lt", '<'},       {"gt", '>'},       {"quot", '"'},     {"apos", '\''},
    {"nbsp", 0xA0},   {"hellip", 0x2026}, {"mdash", 0x2014}, {"ndash", 0x2013}, {"rsquo", 0x2019},
    {"lsquo", 0x2018}, {"rdquo", 0x201D}, {"ldquo", 0x201C}, {"eacute", 0xE9},  {"copy", 0xA9},
};

/* The code point of the reference at s[0] == '&', and its length; 0 if none. */
static size_t ref_at(const char *s, size_t n, uint32_t *cp)
{
    if (n >= 3 && s[1] == '#') {
        size_t i = 2;
        int hex = 0;
        if (s[i] == 'x' || s[i] == 'X') {
            hex = 1;
            i++;
        }
        uint32_t v = 0;
        size_t start = i;
        for (; i < n && i < start + 8; i++) {
            int c = (unsigned char)s[i], d;
            if (c >= '0' && c <= '9') d = c - '0';
            else if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
            else if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
            else break;
            v = v * (hex ? 16u : 10u) + (uint32_t)d;
        }
        if (i == start || i >= n || s[i] != ';') return 0;
        *cp = v;
        return i + 1;
    }
    for (size_t k = 0; k < sizeof named_refs / sizeof named_refs[0]; k++) {
        size_t len = strlen(named_refs[k].name);
        if (n >= len + 2 && !memcmp(s + 1, named_refs[k].name, len) && s[len + 1] == ';') {
            *cp = named_refs[k].cp;
            return len + 2;
        }
    }
    return 0;
}

size_t vocal__entities_decode(char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k;
        /* every reference is at least as long as its UTF-8 ("&#1;" is 4
         * bytes, the longest code point 4), so decoding in place is safe */
        if (s[i] == '&' && (k = ref_at(s + i, n - i, &cp)) > 0) {
            char tmp[4];
            size_t m = put_utf8(tmp, cp);
            memcpy(s + o, tmp, m);
            o += m;
            i += k;
        } else {
            s[o++] = s[i++];
        }
    }
    return o;
}

/* MARK: dates */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void vocal__iso_from_epoch(char out[21], int64_t t)
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t secs = t - days * 86400;
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    if (y < 0) y = 0;
    if (y > 9999) y = 9999;
    /* by hand: the fields are bounded, and printf cannot prove it */
    int v[6] = {(int)y, (int)m, (int)d, (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60)};
    memcpy(out, "0000-00-00T00:00:00Z", 21);
    out[0] = (char)('0' + v[0] / 1000);
    out[1] = (char)('0' + v[0] / 100 % 10);
    out[2] = (char)('0' + v[0] / 10 % 10);
    out[3] = (char)('0' + v[0] % 10);
    for (int i = 1; i < 6; i++) {
        out[2 + 3 * i] = (char)('0' + v[i] / 10);
        out[3 + 3 * i] = (char)('0' + v[i] % 10);
    }
}

static int month_of(const char *s)
{
    static const char *const mon[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; i++)
        if (!strncmp(s, mon[i], 3)) return i + 1;
    return 0;
}

/* Read exactly w digits. */
static int digits(const char **p, int w, int *v)
{
    *v = 0;
    for (int i = 0; i < w; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9') return 0;
        *v = *v * 10 + (c - '0');
    }
    *p += w;
    return 1;
}

/* "+hhmm", "+hh:mm", "Z", "GMT", "UTC", "UT" or nothing: offset in seconds. */
static int zone(const char *p, int *off)
{
    *off = 0;
    while (*p == ' ') p++;
    if (!*p || *p == 'Z' || !strncmp(p, "GMT", 3) || !strncmp(p, "UT", 2)) return 1;
    if (*p != '+' && *p != '-') return 0;
    int sign = *p == '-' ? -1 : 1, h, m;
    p++;
    if (!digits(&p, 2, &h)) return 0;
    if (*p == ':') p++;
    if (!digits(&p, 2, &m)) return 0;
    *off = sign * (h * 3600 + m * 60);
    return 1;
}

static int emit(char out[21], int y, int mo, int d, int h, int mi, int se, int off)
{
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return 0;
    vocal__iso_from_epoch(out, days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off);
    return 1;
}

int vocal__date_parse(char out[21], const char *s)
{
    int y, mo, d, h, mi, se, off;
    const char *p = s;
    while (*p == ' ') p++;
    if (p[0] >= '0' && p[0] <= '9') { /* ISO 8601: 2016-03-03T04:23:56(.000)(Z|+01:00) */
        if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' || !digits(&p, 2, &d))
            return 0;
        h = mi = se = 0;
        if (*p == 'T' || *p == ' ') {
            p++;
            if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi)) return 0;
            if (*p == ':') {
                p++;
                if (!digits(&p, 2, &se)) return 0;
            }
            if (*p == '.')
                for (p++; *p >= '0' && *p <= '9'; p++) {}
        }
        return zone(p, &off) && emit(out, y, mo, d, h, mi, se, off);
    }
    /* skip a weekday: "Thu " or "Thu, " */
    if (p[0] && p[1] && p[2] && (p[3] == ' ' || p[3] == ',')) {
        p += 3;
        if (*p == ',') p++;
        while (*p == ' ') p++;
    }
    if (month_of(p)) { /* Twitter: Mar 03 04:23:56 +0000 2016 */
        mo = month_of(p);
        p += 3;
        while (*p == ' ') p++;
        if (!digits(&p, 2, &d) || *p++ != ' ' || !digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi) ||
            *p++ != ':' || !digits(&p, 2, &se))
            return 0;
        const char *z = p;
        while (*p == ' ') p++;
        while (*p && *p != ' ') p++;
        char zbuf[8] = {0};
        size_t zl = (size_t)(p - z) < sizeof zbuf - 1 ? (size_t)(p - z) : sizeof zbuf - 1;
        memcpy(zbuf, z, zl);
        while (*p == ' ') p++;
        return digits(&p, 4, &y) && zone(zbuf, &off) && emit(out, y, mo, d, h, mi, se, off);
    }
    /* RFC 822: 03 Mar 2016 04:23:56 GMT (one-digit days too) */
    if (p[0] < '0' || p[0] > '9') return 0;
    d = p[0] - '0';
    p++;
    if (*p >= '0' && *p <= '9') d = d * 10 + (*p++ - '0');
    while (*p == ' ') p++;
    if (!(mo = month_of(p))) return 0;
    p += 3;
    while (*p == ' ') p++;
    if (!digits(&p, 4, &y) || *p++ != ' ' || !digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi)) return 0;
    se = 0;
    if (*p == ':') {
        p++;
        if (!digits(&p, 2, &se)) return 0;
    }
    return zone(p, &off) && emit(out, y, mo, d, h, mi, se, off);
}

/* MARK: SHA-256 (FIPS 180-4 §6.2) and HMAC (RFC 2104) */

typedef struct sha256 {
    uint32_t h[8];
    uint8_t block[64];
    size_t fill;
    uint64_t total;
} sha256;

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

static void sha_block(sha256 *c, const uint8_t *p)
{
    uint32_t w[64], v[8];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    memcpy(v, c->h, sizeof v);
    for (int i = 0; i < 64; i++) {
        uint32_t S1 = ror(v[4], 6) ^ ror(v[4], 11) ^ ror(v[4], 25);
        uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
        uint32_t t1 = v[7] + S1 + ch + K256[i] + w[i];
        uint32_t S0 = ror(v[0], 2) ^ ror(v[0], 13) ^ ror(v[0], 22);
        uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
        memmove(v + 1, v, 7 * sizeof v[0]);
        v[4] += t1;
        v[0] = t1 + S0 + maj;
    }
    for (int i = 0; i < 8; i++) c->h[i] += v[i];
}

static void sha_init(sha256 *c)
{
    static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(c->h, h0, sizeof h0);
    c->fill = 0;
    c->total = 0;
}

static void sha_update(sha256 *c, const void *data, size_t n)
{
    const uint8_t *p = (const uint8_t *)data;
    c->total += n;
    while (n) {
        size_t k = 64 - c->fill < n ? 64 - c->fill : n;
        memcpy(c->block + c->fill, p, k);
        c->fill += k;
        p += k;
        n -= k;
        if (c->fill == 64) {
            sha_block(c, c->block);
            c->fill = 0;
        }
    }
}

static void sha_final(sha256 *c, uint8_t out[32])
{
    uint64_t bits = c->total * 8;
    uint8_t pad = 0x80, zero = 0, len[8];
    sha_update(c, &pad, 1);
    while (c->fill != 56) sha_update(c, &zero, 1);
    for (int i = 0; i < 8; i++) len[i] = (uint8_t)(bits >> (56 - 8 * i));
    sha_update(c, len, 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(c->h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
        out[4 * i + 3] = (uint8_t)c->h[i];
    }
}

void vocal__hmac_sha256(uint8_t out[32], const void *key, size_t klen, const void *msg, size_t mlen)
{
    uint8_t k[64] = {0}, pad[64], inner[32];
    sha256 c;
    if (klen > 64) {
        sha_init(&c);
        sha_update(&c, key, klen);
        sha_final(&c, k);
    } else if (klen) {
        memcpy(k, key, klen);
    }
    for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x36;
    sha_init(&c);
    sha_update(&c, pad, 64);
    sha_update(&c, msg, mlen);
    sha_final(&c, inner);
    for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x5c;
    sha_init(&c);
    sha_update(&c, pad, 64);
    sha_update(&c, inner, 32);
    sha_final(&c, out);
}
