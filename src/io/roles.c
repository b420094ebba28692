/* Carry-through roles (docs/format/records.md): which column plays which
 * role, and reading the cells of the typed roles (NPS, CSAT/CES numbers,
 * dates). Locale-free except for strptime with a user format, which reads
 * numbers only in the forms the user asked for. See include/vocal/io.h. */
#define _XOPEN_SOURCE 700

#include "vocal/io.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* MARK: role names (records.md, the table of recognized column names) */

static const char *const role_names[VOCAL_ROLE_COUNT] = {
    "id", "date", "nps", "csat", "ces", "segment", "touchpoint", "channel",
};

static const struct {
    const char *column;
    vocal_role role;
} role_columns[] = {
    {"id", VOCAL_ROLE_ID},
    {"respondent_id", VOCAL_ROLE_ID},
    {"response_id", VOCAL_ROLE_ID},
    {"record_id", VOCAL_ROLE_ID},
    {"ticket_id", VOCAL_ROLE_ID},
    {"date", VOCAL_ROLE_DATE},
    {"response_date", VOCAL_ROLE_DATE},
    {"created_at", VOCAL_ROLE_DATE},
    {"submitted_at", VOCAL_ROLE_DATE},
    {"timestamp", VOCAL_ROLE_DATE},
    {"nps", VOCAL_ROLE_NPS},
    {"nps_score", VOCAL_ROLE_NPS},
    {"likelihood_to_recommend", VOCAL_ROLE_NPS},
    {"ltr", VOCAL_ROLE_NPS},
    {"csat", VOCAL_ROLE_CSAT},
    {"csat_score", VOCAL_ROLE_CSAT},
    {"satisfaction", VOCAL_ROLE_CSAT},
    {"ces", VOCAL_ROLE_CES},
    {"ces_score", VOCAL_ROLE_CES},
    {"effort", VOCAL_ROLE_CES},
    {"segment", VOCAL_ROLE_SEGMENT},
    {"customer_segment", VOCAL_ROLE_SEGMENT},
    {"tier", VOCAL_ROLE_SEGMENT},
    {"plan", VOCAL_ROLE_SEGMENT},
    {"touchpoint", VOCAL_ROLE_TOUCHPOINT},
    {"journey_stage", VOCAL_ROLE_TOUCHPOINT},
    {"stage", VOCAL_ROLE_TOUCHPOINT},
    {"channel", VOCAL_ROLE_CHANNEL},
    {"source_channel", VOCAL_ROLE_CHANNEL},
};

const char *vocal_role_name(vocal_role role)
{
    if ((int)role < 0 || (int)role >= VOCAL_ROLE_COUNT) return "";
    return role_names[role];
}

static void trim(const char **s, size_t *len)
{
    while (*len && ((*s)[0] == ' ' || (*s)[0] == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t')) (*len)--;
}

/* records.md: ASCII-case-insensitive, spaces and '-' read as '_' */
static char fold_name_char(char c)
{
    if (c >= 'A' && c <= 'Z') return (char)(c - 'A' + 'a');
    if (c == ' ' || c == '-') return '_';
    return c;
}

vocal_role vocal_role_from_column(const char *name, size_t len)
{
    if (!len) return VOCAL_ROLE_NONE;
    trim(&name, &len);
    for (size_t i = 0; i < sizeof role_columns / sizeof role_columns[0]; i++) {
        const char *c = role_columns[i].column;
        if (strlen(c) != len) continue;
        size_t k = 0;
        while (k < len && fold_name_char(name[k]) == c[k]) k++;
        if (k == len) return role_columns[i].role;
    }
    return VOCAL_ROLE_NONE;
}

/* MARK: numbers */

int vocal_parse_number(double *out, const char *s, size_t len)
{
    char tmp[64];
    trim(&s, &len);
    if (!len || len >= sizeof tmp) return VOCAL_EINPUT;
    /* strtod follows the locale's decimal point; vocal never sets the
     * locale, so it is "C" unless a host program changed it: we accept
     * only digits, one sign, one mark and read the value ourselves */
    size_t k = 0, i = 0;
    int digits = 0, mark = 0;
    if (s[i] == '+' || s[i] == '-') tmp[k++] = s[i++];
    for (; i < len; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            tmp[k++] = s[i];
            digits++;
        } else if ((s[i] == '.' || s[i] == ',') && !mark) {
            tmp[k++] = '.';
            mark = 1;
        } else {
            return VOCAL_EINPUT;
        }
    }
    if (!digits) return VOCAL_EINPUT;
    tmp[k] = '\0';
    double v = 0, scale = 1;
    int after = 0;
    for (const char *p = tmp; *p; p++) {
        if (*p == '.') after = 1;
        else if (*p >= '0' && *p <= '9') {
            if (after) {
                scale /= 10;
                v += (*p - '0') * scale;
            } else {
                v = v * 10 + (*p - '0');
            }
        }
    }
    if (tmp[0] == '-') v = -v;
    if (!isfinite(v)) return VOCAL_EINPUT;
    *out = v;
    return VOCAL_OK;
}

int vocal_parse_nps(int *out, const char *s, size_t len)
{
    double v;
    if (vocal_parse_number(&v, s, len) < 0) return VOCAL_EINPUT;
    if (v < 0 || v > 10 || v != floor(v)) return VOCAL_EINPUT;
    *out = (int)v;
    return VOCAL_OK;
}

/* MARK: dates */

typedef struct datetime {
    int y, mo, d, h, mi, s;
    int has_time;
    int zone_min; /* offset east of UTC, in minutes */
} datetime;

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil). */
static long long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, int *y, int *m, int *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long yy = yoe + era * 400;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

static int valid(const datetime *t)
{
    if (t->y < 1 || t->y > 9999 || t->mo < 1 || t->mo > 12) return 0;
    if (t->d < 1 || t->d > days_in_month(t->y, t->mo)) return 0;
    if (t->has_time && (t->h < 0 || t->h > 23 || t->mi < 0 || t->mi > 59 || t->s < 0 || t->s > 60)) return 0;
    return 1;
}

static int write_iso(char out[VOCAL_DATE_MAX], datetime t)
{
    if (!valid(&t)) return VOCAL_EINPUT;
    if (!t.has_time) return snprintf(out, VOCAL_DATE_MAX, "%04d-%02d-%02d", t.y, t.mo, t.d);
    if (t.s == 60) t.s = 59; /* a leap second: ISO text of the UTC second before */
    long long secs = days_from_civil(t.y, t.mo, t.d) * 86400LL + t.h * 3600LL + t.mi * 60LL + t.s -
                     t.zone_min * 60LL;
    long long days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    long long rem = secs - days * 86400;
    civil_from_days(days, &t.y, &t.mo, &t.d);
    if (t.y < 1 || t.y > 9999) return VOCAL_EINPUT;
    return snprintf(out, VOCAL_DATE_MAX, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.y, t.mo, t.d, (int)(rem / 3600),
                    (int)(rem / 60 % 60), (int)(rem % 60));
}

/* Read exactly n digits at *p. */
static int digits(const char **p, const char *end, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (*p >= end || **p < '0' || **p > '9') return 0;
        v = v * 10 + (*(*p)++ - '0');
    }
    *out = v;
    return 1;
}

/* Read 1 or 2 digits (day and month in DD/MM/YYYY are often unpadded). */
static int digits12(const char **p, const char *end, int *out)
{
    if (!digits(p, end, 1, out)) return 0;
    int more;
    const char *q = *p;
    if (digits(&q, end, 1, &more)) {
        *out = *out * 10 + more;
        *p = q;
    }
    return 1;
}

/* The time part: hh:mm[:ss][.fraction][Z|±hh[:]mm]. */
static int parse_time(const char *p, const char *end, datetime *t)
{
    t->has_time = 1;
    if (!digits12(&p, end, &t->h) || p >= end || *p++ != ':' || !digits(&p, end, 2, &t->mi)) return 0;
    t->s = 0;
    if (p < end && *p == ':') {
        p++;
        if (!digits(&p, end, 2, &t->s)) return 0;
        if (p < end && (*p == '.' || *p == ',')) {
            p++;
            int any = 0;
            while (p < end && *p >= '0' && *p <= '9') {
                p++;
                any = 1;
            }
            if (!any) return 0;
        }
    }
    if (p < end && *p == ' ') p++;
    if (p == end) return 1;
    if (*p == 'Z' || *p == 'z') return p + 1 == end;
    if (*p != '+' && *p != '-') return 0;
    int sign = *p++ == '-' ? -1 : 1, zh, zm = 0;
    if (!digits(&p, end, 2, &zh)) return 0;
    if (p < end && *p == ':') p++;
    if (p < end && !digits(&p, end, 2, &zm)) return 0;
    if (p != end || zh > 23 || zm > 59) return 0;
    t->zone_min = sign * (zh * 60 + zm);
    return 1;
}

static int parse_builtin(const char *s, const char *end, datetime *t)
{
    const char *p = s;
    int a = 0;
    memset(t, 0, sizeof *t);
    size_t lead = 0;
    while (s + lead < end && s[lead] >= '0' && s[lead] <= '9') lead++;
    if (lead == 1 || lead == 2) {
        if (!digits12(&p, end, &a)) return 0;
        /* DD/MM/YYYY or DD.MM.YYYY */
        if (p >= end || (*p != '/' && *p != '.')) return 0;
        char sep = *p++;
        t->d = a;
        if (!digits12(&p, end, &t->mo) || p >= end || *p++ != sep || !digits(&p, end, 4, &t->y)) return 0;
    } else {
        /* YYYY-MM-DD or YYYY/MM/DD: the first number has 4 digits */
        p = s;
        if (!digits(&p, end, 4, &t->y) || p >= end || (*p != '-' && *p != '/')) return 0;
        char sep = *p++;
        if (!digits(&p, end, 2, &t->mo) || p >= end || *p++ != sep || !digits(&p, end, 2, &t->d)) return 0;
    }
    if (p == end) return 1;
    if (*p != ' ' && *p != 'T' && *p != 't') return 0;
    return parse_time(p + 1, end, t);
}

static int parse_with_format(const char *s, size_t len, const char *format, datetime *t)
{
    char tmp[128];
    if (len >= sizeof tmp) return 0;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_hour = -1; /* stays -1 unless the format reads an hour */
    tm.tm_mday = 1;  /* a format without a day ("%Y-%m") means the first */
    const char *rest = strptime(tmp, format, &tm);
    if (!rest) return 0;
    while (*rest == ' ') rest++;
    if (*rest) return 0;
    memset(t, 0, sizeof *t);
    t->y = tm.tm_year + 1900;
    t->mo = tm.tm_mon + 1;
    t->d = tm.tm_mday;
    if (tm.tm_hour >= 0) {
        t->has_time = 1;
        t->h = tm.tm_hour;
        t->mi = tm.tm_min;
        t->s = tm.tm_sec;
    }
    return 1;
}

int vocal_parse_date(char out[VOCAL_DATE_MAX], const char *s, size_t len, const char *format)
{
    datetime t;
    trim(&s, &len);
    if (!len) return VOCAL_EINPUT;
    int ok = format ? parse_with_format(s, len, format, &t) : parse_builtin(s, s + len, &t);
    if (!ok) return VOCAL_EINPUT;
    return write_iso(out, t);
}
