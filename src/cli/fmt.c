/* Number formatting for the command's output: printf's "%.*g" and "%llu", fast. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Powers of ten a double holds exactly. */
static const double pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                       1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* a scaled by 10^k, with one rounding (k within +-22), or -1 when k is out of range. */
static double scale10(double a, int k)
{
    if (k > 22 || k < -22) return -1;
    return k >= 0 ? a * pow10_exact[k] : a / pow10_exact[-k];
}

int cli_fmt_g(char out[CLI_FMT_G_MAX], double v, int digits)
{
    /* The digits come from one correctly rounded scaling of |v| to
     * [10^(digits-1), 10^digits), rounded half to even as printf does. When
     * the scaled value is so near a tie that the scaling's rounding could
     * have moved it across, or out of the table's range, printf decides. */
    if (digits < 1 || digits > 15 || !isfinite(v) || v == 0) return snprintf(out, CLI_FMT_G_MAX, "%.*g", digits, v);
    double a = fabs(v);
    int e = (int)floor(log10(a)), k = digits - 1 - e;
    double lo = pow10_exact[digits - 1], hi = pow10_exact[digits];
    double x = scale10(a, k);
    if (x >= 0 && x < lo) x = scale10(a, ++k), e--;
    else if (x >= hi) x = scale10(a, --k), e++;
    if (x < lo || x >= hi) return snprintf(out, CLI_FMT_G_MAX, "%.*g", digits, v);
    double fl = floor(x), frac = x - fl;
    if (fabs(frac - 0.5) <= x * 0x1p-50) return snprintf(out, CLI_FMT_G_MAX, "%.*g", digits, v);
    uint64_t r = (uint64_t)fl + (frac > 0.5);
    if ((double)r >= hi) r /= 10, e++;
    char d[16];
    for (int i = digits - 1; i >= 0; i--) d[i] = (char)('0' + r % 10), r /= 10;
    int nd = digits;
    while (nd > 1 && d[nd - 1] == '0') nd--; /* %g drops trailing zeros */
    char *o = out;
    if (v < 0) *o++ = '-';
    if (e < -4 || e >= digits) {
        *o++ = d[0];
        if (nd > 1) {
            *o++ = '.';
            memcpy(o, d + 1, (size_t)nd - 1);
            o += nd - 1;
        }
        *o++ = 'e';
        *o++ = e < 0 ? '-' : '+';
        int ae = e < 0 ? -e : e;
        if (ae >= 100) *o++ = (char)('0' + ae / 100);
        *o++ = (char)('0' + ae / 10 % 10);
        *o++ = (char)('0' + ae % 10);
    } else if (e >= 0) {
        for (int i = 0; i <= e; i++) *o++ = i < nd ? d[i] : '0';
        if (nd > e + 1) {
            *o++ = '.';
            memcpy(o, d + e + 1, (size_t)(nd - e - 1));
            o += nd - e - 1;
        }
    } else {
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -e - 1; i++) *o++ = '0';
        memcpy(o, d, (size_t)nd);
        o += nd;
    }
    *o = '\0';
    return (int)(o - out);
}

int cli_fmt_u64(char out[CLI_FMT_U64_MAX], uint64_t v)
{
    char d[20];
    int n = 0;
    do {
        d[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (int i = 0; i < n; i++) out[i] = d[n - 1 - i];
    out[n] = '\0';
    return n;
}
