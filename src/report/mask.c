/* Masking personal data in verbatims (docs/report.md, "Masking"). A scan
 * that tries, at each word start, an e-mail address, a card number, a phone
 * number and an @handle, in that order. It errs towards masking: a 9-digit
 * order number is masked as a phone number, which is the safe mistake. */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

static int is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}
static int is_local(unsigned char c)
{
    return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/* name@domain.tld: the domain has 2+ labels and a TLD of 2+ letters. */
static size_t match_email(const char *s, size_t i, size_t n)
{
    size_t j = i;
    while (j < n && is_local((unsigned char)s[j])) j++;
    if (j == i || j >= n || s[j] != '@') return 0;
    size_t k = j + 1, labels = 0, end = 0, last_len = 0;
    int last_alpha = 0;
    for (;;) {
        size_t st = k;
        int alpha = 1;
        while (k < n && (is_alnum((unsigned char)s[k]) || s[k] == '-')) {
            if (!((s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'z')) alpha = 0;
            k++;
        }
        if (k == st) break;
        labels++;
        end = k;
        last_len = k - st;
        last_alpha = alpha;
        if (k + 1 < n && s[k] == '.' && is_alnum((unsigned char)s[k + 1])) k++;
        else break;
    }
    if (labels < 2 || last_len < 2 || !last_alpha) return 0;
    return end - i;
}

static int luhn(const char *digits, size_t n)
{
    int sum = 0;
    for (size_t i = 0; i < n; i++) {
        int d = digits[n - 1 - i] - '0';
        if (i & 1) {
            d *= 2;
            if (d > 9) d -= 9;
        }
        sum += d;
    }
    return sum % 10 == 0;
}

/* 13-19 digits, single spaces or dashes between them, passing Luhn. */
/* The end of the run of digits (single spaces or dashes between them) at i. */
static size_t digit_run_end(const char *s, size_t i, size_t n)
{
    size_t j = i, end = i;
    while (j < n) {
        if (is_digit((unsigned char)s[j])) end = ++j;
        else if ((s[j] == ' ' || s[j] == '-') && j + 1 < n && is_digit((unsigned char)s[j + 1]) && end > i) j++;
        else break;
    }
    return end;
}

static size_t match_card(const char *s, size_t i, size_t n)
{
    char d[20];
    size_t nd = 0, j = i, end = i;
    while (j < n) {
        if (is_digit((unsigned char)s[j])) {
            if (nd == 20) return 0;
            d[nd++] = s[j++];
            end = j;
        } else if ((s[j] == ' ' || s[j] == '-') && j + 1 < n && is_digit((unsigned char)s[j + 1]) && nd > 0) {
            j++;
        } else {
            break;
        }
    }
    if (nd < 13 || nd > 19 || (end < n && is_alnum((unsigned char)s[end]))) return 0;
    return luhn(d, nd) ? end - i : 0;
}

/* 9-15 digits (8 after a leading +) with spaces, dashes, dots or brackets. */
static size_t match_phone(const char *s, size_t i, size_t n)
{
    size_t j = i, nd = 0, end = 0;
    int plus = s[i] == '+';
    if (plus) j++;
    int seps = 0;
    while (j < n) {
        unsigned char c = (unsigned char)s[j];
        if (is_digit(c)) {
            nd++;
            end = j + 1;
            seps = 0;
        } else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') {
            if (++seps > 2) break;
        } else {
            break;
        }
        j++;
    }
    if (!end || (end < n && is_alnum((unsigned char)s[end]))) return 0;
    if (nd > 15 || nd < (plus ? 8u : 9u)) return 0;
    return end - i;
}

static size_t match_handle(const char *s, size_t i, size_t n)
{
    if (s[i] != '@') return 0;
    size_t j = i + 1;
    while (j < n && j - i <= 31 && (is_alnum((unsigned char)s[j]) || s[j] == '_')) j++;
    return j - i >= 2 && j - i <= 31 ? j - i : 0;
}

int vocal_mask_pii(char **out, size_t *out_len, const char *s, size_t n)
{
    vocal__buf b = {0};
    *out = NULL;
    size_t i = 0;
    while (i < n) {
        unsigned char prev = i ? (unsigned char)s[i - 1] : ' ';
        size_t m = 0;
        const char *rep = NULL;
        if (!is_local(prev) && (m = match_email(s, i, n)) > 0) rep = "[email]";
        else if (!is_alnum(prev) && (is_digit((unsigned char)s[i]) || s[i] == '+' || s[i] == '(')) {
            if ((m = match_card(s, i, n)) > 0) rep = "[card]";
            else if ((m = match_phone(s, i, n)) > 0) rep = "[phone]";
            else if (is_digit((unsigned char)s[i])) {
                /* neither: keep the whole run, so that its tail is not
                 * read as a shorter number (a 16-digit non-card would
                 * otherwise leave a 12-digit "phone" behind) */
                size_t end = digit_run_end(s, i, n);
                if (vocal__buf_put(&b, s + i, end - i) < 0) {
                    vocal__buf_free(&b);
                    return VOCAL_ENOMEM;
                }
                i = end;
                continue;
            }
        } else if (!is_alnum(prev) && prev != '_' && (m = match_handle(s, i, n)) > 0) {
            rep = "@[handle]";
        }
        int rc = rep ? vocal__buf_put(&b, rep, strlen(rep)) : vocal__buf_putc(&b, s[i]);
        if (rc < 0) {
            vocal__buf_free(&b);
            return VOCAL_ENOMEM;
        }
        i += rep ? m : 1;
    }
    if (vocal__buf_putc(&b, '\0') < 0) {
        vocal__buf_free(&b);
        return VOCAL_ENOMEM;
    }
    if (out_len) *out_len = b.len - 1;
    *out = b.p;
    return VOCAL_OK;
}
