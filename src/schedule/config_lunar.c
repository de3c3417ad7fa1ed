/* config_lunar — the `lunar` key: days of the Chinese lunar calendar,
 * every year (docs/config.md, "Lunar dates").
 *
 *   lunar = 八月十五                 a date
 *   lunar = 腊月廿三-正月十五         a range, both ends included, wrapping past 腊月
 *   lunar = 冬至                     one of the 24 solar terms
 *   lunar = 除夕                     the last day of 腊月 (廿九 or 三十)
 *   lunar = 春节, 元宵               festivals; a list is a union
 *   lunar = 12-23..01-15, 08-15      the same in numbers; 闰05-05 for a leap month
 *
 * `-`, `－`, `～`, `~` and `..` separate a range (config_value_normalize
 * turns the full-width ones into `-`). A plain month never matches its
 * leap month: 五月初五 is not 闰五月初五, which can be named. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schedule/config_internal.h"
#include "schedule/lunar.h"
#include "util/suggest.h"
#include "util/utf8.h"

/* Festivals that are one lunar date. 除夕 is not: it is the last day of
 * 腊月, whatever its length. */
static const struct {
    const char *name;
    int month, day;
} festivals[] = {
    { "春节", 1, 1 }, { "元宵", 1, 15 }, { "端午", 5, 5 }, { "七夕", 7, 7 },
    { "中秋", 8, 15 }, { "重阳", 9, 9 }, { "腊八", 12, 8 },
};

#define NFESTIVALS (sizeof festivals / sizeof festivals[0])

/* What one end of a range names. */
struct lunar_end {
    uint16_t key;
    int month, day;
    bool leap, eve;
};

/* `s` without a trailing 节 (元宵节, 端午节, 中秋节...), in `buf`. */
static const char *without_jie(const char *s, char *buf, size_t len)
{
    size_t n = strlen(s);
    if (n > 3 && n < len && !strcmp(s + n - 3, "节")) {
        memcpy(buf, s, n - 3);
        buf[n - 3] = '\0';
        return buf;
    }
    return s;
}

/* A month: 正月/一月 ... 十月, 冬月/十一月, 腊月/十二月. Returns its number
 * and moves *s past it, or 0. */
static int month_word(const char **s)
{
    static const char *alt[13] = { NULL, "一月", NULL, NULL, NULL, NULL, NULL,
                                   NULL, NULL, NULL, NULL, "十一月", "十二月" };
    for (int m = 12; m >= 1; m--) {             /* 十一月 and 十二月 before 一月 */
        char buf[16];
        const char *names[2] = { lunar_month_name(m, false, buf), alt[m] };
        for (int k = 0; k < 2; k++) {
            size_t n = names[k] ? strlen(names[k]) : 0;
            if (n && !strncmp(*s, names[k], n)) {
                *s += n;
                return m;
            }
        }
    }
    return 0;
}

/* A day: 初一 ... 三十, or 二十一 ... 二十九 for 廿一 ... 廿九. 0 if none. */
static int day_word(const char *s)
{
    for (int d = 1; d <= 30; d++)
        if (!strcmp(s, lunar_day_name(d)))
            return d;
    if (!strncmp(s, "二十", 6))
        for (int d = 21; d <= 29; d++)
            if (!strcmp(s + 6, lunar_day_name(d) + 3))  /* 廿 is one character */
                return d;
    return 0;
}

/* "08-15", "8-15", "闰05-05", "*05-05". */
static bool numeric_date(const char *s, struct lunar_end *e)
{
    bool leap = false;
    if (!strncmp(s, "闰", 3) || *s == '*') {
        leap = true;
        s += *s == '*' ? 1 : 3;
    }
    int m, d, n = 0;
    if (sscanf(s, "%2d-%2d%n", &m, &d, &n) != 2 || s[n] || m < 1 || m > 12 || d < 1 || d > 30 ||
        strspn(s, "0123456789-") != strlen(s))
        return false;
    *e = (struct lunar_end){ CONFIG_LUNAR_KEY(m, leap, d), m, d, leap, false };
    return true;
}

/* One end of a range, or a lone date: a lunar date in words or numbers,
 * or a festival that is a date (除夕 included: eve). */
static bool lunar_end(const char *s, struct lunar_end *e)
{
    char buf[64];
    const char *name = without_jie(s, buf, sizeof buf);
    if (!strcmp(s, "除夕") || !strcmp(name, "除夕")) {
        *e = (struct lunar_end){ 0, 12, 30, false, true };
        return true;
    }
    for (size_t i = 0; i < NFESTIVALS; i++)
        if (!strcmp(s, festivals[i].name) || !strcmp(name, festivals[i].name)) {
            *e = (struct lunar_end){ CONFIG_LUNAR_KEY(festivals[i].month, false, festivals[i].day),
                                     festivals[i].month, festivals[i].day, false, false };
            return true;
        }
    if (numeric_date(s, e))
        return true;
    bool leap = !strncmp(s, "闰", 3);
    const char *p = s + (leap ? 3 : 0);
    int m = month_word(&p), d = m ? day_word(p) : 0;
    if (!d)
        return false;
    *e = (struct lunar_end){ CONFIG_LUNAR_KEY(m, leap, d), m, d, leap, false };
    return true;
}

/* Whether two UTF-8 names differ in exactly one character (端五 for 端午,
 * 臘八 for 腊八), which the byte-wise suggest.c does not reach for CJK. */
static bool one_char_apart(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), diff = 0;
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    while (la && lb) {
        uint32_t ca, cb;
        int va, vb;
        size_t na = utf8_decode_one(x, la, &ca, &va), nb = utf8_decode_one(y, lb, &cb, &vb);
        diff += ca != cb;
        x += na, la -= na, y += nb, lb -= nb;
    }
    return !la && !lb && diff == 1;
}

/* The festival or solar term a mistyped name may mean, or NULL: the one
 * name a character away (东至 is as near 夏至 as 冬至: then none). */
static const char *lunar_suggestion(const char *item)
{
    struct suggest s = { item, NULL, 0 };
    const char *close = NULL;
    int nclose = 0;
    for (size_t i = 0; i < NFESTIVALS + 1 + LUNAR_TERMS; i++) {
        const char *name = i < NFESTIVALS ? festivals[i].name
                           : i == NFESTIVALS ? "除夕" : lunar_term_name((int)(i - NFESTIVALS - 1));
        char buf[64];
        if (one_char_apart(item, name) || one_char_apart(without_jie(item, buf, sizeof buf), name)) {
            close = name;
            nclose++;
        }
        suggest_try(&s, name);
    }
    return nclose == 1 ? close : nclose ? NULL : s.best;
}

/* Splits a range at `..`, or at its one `-` (in numbers, the `-` between
 * two month-day pairs: 12-23-01-15). Returns the second half, or NULL
 * for a single day; *bad when the item has too many separators. */
static char *split_range(char *item, bool *bad)
{
    *bad = false;
    char *dots = strstr(item, "..");
    if (dots) {
        *dots = '\0';
        *bad = strstr(dots + 2, "..") != NULL;
        return dots + 2;
    }
    int dashes = 0;
    bool digits = true;                         /* numbers, dashes, * and 闰 only */
    for (const char *p = item; *p; p++) {
        dashes += *p == '-';
        if (!strncmp(p, "闰", 3))
            p += 2;
        else if (!strchr("0123456789-*", *p))
            digits = false;
    }
    int cut = digits && dashes >= 2 ? 2 : 1;    /* 12-23-01-15, or 腊月廿三-正月十五 */
    if (dashes == 0 || (digits && dashes == 1))
        return NULL;
    if (dashes != (digits ? 3 : 1)) {
        *bad = true;
        return NULL;
    }
    char *p = item;
    for (int seen = 0; *p; p++)
        if (*p == '-' && ++seen == cut)
            break;
    *p = '\0';
    return p + 1;
}

static void trim(char **s)
{
    *s = config_value_skip_space(*s);
    config_value_trim_end(*s);
}

/* One item of the list into `out`; 0, or -1 after reporting. */
static int lunar_item(struct pctx *c, const char *v, char *item, struct config_lunar_item *out)
{
    trim(&item);
    if (!*item) {
        config_perr(c, "lunar '%s' has an empty item", v);
        return -1;
    }
    char whole[128];
    snprintf(whole, sizeof whole, "%s", item);
    int term = lunar_term_index(item);
    if (term >= 0) {
        *out = (struct config_lunar_item){ CONFIG_LUNAR_TERM, (uint8_t)term, false, 0, 0 };
        return 0;
    }
    bool bad;
    char *second = split_range(item, &bad);
    const char *hint = NULL;
    struct lunar_end a, b;
    if (!bad && second) {
        trim(&item);
        trim(&second);
        if (lunar_term_index(item) >= 0 || lunar_term_index(second) >= 0) {
            config_perr(c, "lunar '%s': a solar term cannot start or end a range; "
                        "name it alone, or use lunar dates", whole);
            return -1;
        }
        bool ok_a = lunar_end(item, &a), ok_b = lunar_end(second, &b);
        if (ok_a && ok_b && a.eve && b.eve) {
            *out = (struct config_lunar_item){ CONFIG_LUNAR_EVE, 0, true, 0, 0 };
            return 0;
        }
        if (ok_a && ok_b) {
            /* 除夕 starts a range with the last day of 腊月, then 正月; it
             * ends one with the whole of 腊月. */
            uint16_t from = a.eve ? CONFIG_LUNAR_KEY(1, false, 1) : a.key;
            uint16_t to = b.eve ? CONFIG_LUNAR_KEY(12, false, 30) : b.key;
            *out = (struct config_lunar_item){ CONFIG_LUNAR_RANGE, 0, a.eve, from, to };
            return 0;
        }
        hint = lunar_suggestion(ok_a ? second : item);
    } else if (!bad && lunar_end(item, &a)) {
        *out = a.eve ? (struct config_lunar_item){ CONFIG_LUNAR_EVE, 0, true, 0, 0 }
                     : (struct config_lunar_item){ CONFIG_LUNAR_RANGE, 0, false, a.key, a.key };
        return 0;
    }
    if (!second && !bad)
        hint = lunar_suggestion(whole);
    if (hint)
        config_perr(c, "lunar '%s' is not a lunar date, solar term or festival; did you mean '%s'?", whole, hint);
    else
        config_perr(c, "lunar '%s' is not a lunar date, range, solar term or festival: use e.g. 八月十五, "
                    "腊月廿三-正月十五, 冬至, 除夕, 中秋, or 08-15, 12-23..01-15 (闰 before a leap month)", whole);
    return -1;
}

int config_value_lunar(struct pctx *c, const char *v, void *field)
{
    struct config_lunar *out = field;
    memset(out, 0, sizeof *out);
    if (!*v)
        return 0;
    char *n = config_value_normalize(v);
    if (!n)
        return -1;
    struct config_lunar l = { .file = c->file, .line = c->line };
    int rc = 0;
    /* Split by hand: strtok would skip the empty item of "中秋,,除夕". */
    for (char *item = n, *next; item && rc == 0; item = next) {
        next = strchr(item, ',');
        if (next)
            *next++ = '\0';
        if (l.count == (size_t)c->k->max) {
            config_perr(c, "lunar has too many items (at most %ld)", c->k->max);
            rc = -1;
        } else
            rc = lunar_item(c, v, item, &l.item[l.count++]);
    }
    free(n);
    if (rc == 0)
        *out = l;
    return rc;
}
