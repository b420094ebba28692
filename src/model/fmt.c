/* Hexadecimal floats without the C library's locale-dependent printf and
 * strtod (STYLE.md: the library never touches the locale; "%a" prints the
 * locale's decimal point). Output matches glibc's "%a". */
#include <math.h>

#include "model_int.h"

size_t vocal__fmt_hexf(char out[VOCAL__HEXF_MAX], double v)
{
    static const char hex[] = "0123456789abcdef";
    size_t k = 0;
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    if (bits >> 63) out[k++] = '-';
    unsigned e = (unsigned)(bits >> 52) & 0x7FF;
    uint64_t frac = bits & 0xFFFFFFFFFFFFFull;
    if (e == 0x7FF) {
        memcpy(out + k, frac ? "nan" : "inf", 4);
        return k + 3;
    }
    int exp;
    char lead;
    if (e == 0) {
        lead = '0';
        exp = frac ? -1022 : 0;
    } else {
        lead = '1';
        exp = (int)e - 1023;
    }
    out[k++] = '0';
    out[k++] = 'x';
    out[k++] = lead;
    if (frac) {
        out[k++] = '.';
        int digits = 13;
        while ((frac & 0xF) == 0) {
            frac >>= 4;
            digits--;
        }
        for (int i = digits - 1; i >= 0; i--) out[k++] = hex[(frac >> (4 * i)) & 0xF];
    }
    out[k++] = 'p';
    out[k++] = exp < 0 ? '-' : '+';
    unsigned ue = (unsigned)(exp < 0 ? -exp : exp);
    char d[8];
    int nd = 0;
    do {
        d[nd++] = (char)('0' + ue % 10);
        ue /= 10;
    } while (ue);
    while (nd) out[k++] = d[--nd];
    out[k] = '\0';
    return k;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int vocal__parse_hexf(const char *s, size_t n, double *out)
{
    size_t i = 0;
    int neg = 0;
    if (i < n && s[i] == '-') {
        neg = 1;
        i++;
    }
    if (n - i < 4 || s[i] != '0' || (s[i + 1] != 'x' && s[i + 1] != 'X')) return -1;
    i += 2;
    if (s[i] != '0' && s[i] != '1') return -1;
    int lead = s[i++] - '0';
    uint64_t frac = 0;
    int digits = 0;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && hexval(s[i]) >= 0) {
            if (++digits > 13) return -1;
            frac = frac << 4 | (uint64_t)hexval(s[i++]);
        }
        if (!digits) return -1;
    }
    if (i >= n || (s[i] != 'p' && s[i] != 'P')) return -1;
    i++;
    int eneg = 0;
    if (i < n && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
    if (i >= n) return -1;
    long e = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        e = e * 10 + (s[i++] - '0');
        if (e > 2000) return -1;
    }
    if (i != n) return -1;
    frac <<= 4 * (13 - digits);
    double m = (double)lead + ldexp((double)frac, -52);
    double v = ldexp(m, (int)(eneg ? -e : e));
    if (!isfinite(v)) return -1;
    *out = neg ? -v : v;
    return 0;
}
