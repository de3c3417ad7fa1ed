#include "schedule/placeholder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schedule/lunar.h"

const char *const placeholder_names[PLACEHOLDER_NAMES] = { "date", "weekday", "lunar", "countdown" };

#define COUNTDOWN "countdown:"

/* What the group between the braces, `inner` (n bytes), is. */
static void classify(const char *inner, size_t n, struct placeholder_token *tok)
{
    static const enum placeholder_kind plain[] = { PLACEHOLDER_DATE, PLACEHOLDER_WEEKDAY,
                                                   PLACEHOLDER_LUNAR };
    tok->kind = PLACEHOLDER_OTHER;
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (n == strlen(placeholder_names[i]) && !memcmp(inner, placeholder_names[i], n)) {
            tok->kind = plain[i];
            return;
        }
    size_t lc = strlen(COUNTDOWN);
    if (n < lc || memcmp(inner, COUNTDOWN, lc))
        return;
    /* The one parser of typed dates (full-width digits too); a bare date only. */
    char date[64];
    struct civil_when w;
    tok->kind = PLACEHOLDER_BAD_COUNTDOWN;
    if (n - lc >= sizeof date)
        return;
    memcpy(date, inner + lc, n - lc);
    date[n - lc] = '\0';
    if (civil_parse(date, &w) == 0 && w.precision == CIVIL_DATE) {
        tok->kind = PLACEHOLDER_COUNTDOWN;
        tok->target = w.day;
    }
}

bool placeholder_next(const char *text, size_t *pos, struct placeholder_token *tok)
{
    for (size_t i = *pos; text[i]; i++) {
        if ((text[i] == '{' && text[i + 1] == '{') || (text[i] == '}' && text[i + 1] == '}')) {
            i++;                /* an escaped brace */
            continue;
        }
        if (text[i] != '{')
            continue;
        /* A group ends at the first '}'; one more '{' first makes this '{' plain text. */
        size_t end = i + 1 + strcspn(text + i + 1, "{}");
        if (text[end] != '}')
            continue;
        tok->at = i;
        tok->len = end + 1 - i;
        tok->target = 0;
        classify(text + i + 1, end - i - 1, tok);
        *pos = end + 1;
        return true;
    }
    return false;
}

bool placeholder_present(const char *text)
{
    size_t pos = 0;
    struct placeholder_token tok;
    while (placeholder_next(text, &pos, &tok))
        if (tok.kind != PLACEHOLDER_OTHER && tok.kind != PLACEHOLDER_BAD_COUNTDOWN)
            return true;
    return false;
}

bool placeholder_countdown_end(const char *text, civil_day *day)
{
    size_t pos = 0;
    struct placeholder_token tok;
    bool found = false;
    while (placeholder_next(text, &pos, &tok))
        if (tok.kind == PLACEHOLDER_COUNTDOWN && (!found || tok.target < *day)) {
            *day = tok.target;
            found = true;
        }
    return found;
}

void placeholder_date(civil_day day, char *buf, size_t len)
{
    struct civil_date d = civil_date_from_day(day);
    snprintf(buf, len, "%d月%d日", d.month, d.day);
}

void placeholder_weekday(civil_day day, char *buf, size_t len)
{
    static const char *const names[] = { "日", "一", "二", "三", "四", "五", "六" };
    snprintf(buf, len, "星期%s", names[civil_weekday(day)]);
}

int placeholder_lunar_date(struct lunar *l, civil_day day, char *buf, size_t len)
{
    struct lunar_day ld;
    if (!l || lunar_of(l, day, &ld) != 0)
        return -1;
    lunar_format(&ld, buf, len);
    return 0;
}

int placeholder_lunar(struct lunar *l, civil_day day, char *buf, size_t len)
{
    struct lunar_day ld;
    if (!l || lunar_of(l, day, &ld) != 0)
        return -1;
    if (ld.term[0])
        snprintf(buf, len, "%s", ld.term);
    else
        lunar_format(&ld, buf, len);
    return 0;
}

/* A growing output string. */
struct out {
    char *s;
    size_t n, cap;
    bool failed;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->failed)
        return;
    if (o->n + n + 1 > o->cap) {
        size_t cap = (o->n + n + 1) * 2;
        char *grown = realloc(o->s, cap);
        if (!grown) {
            o->failed = true;
            return;
        }
        o->s = grown;
        o->cap = cap;
    }
    memcpy(o->s + o->n, s, n);
    o->n += n;
    o->s[o->n] = '\0';
}

/* Plain text between groups, with {{ and }} written as one brace. */
static void put_plain(struct out *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        put(o, s + i, 1);
        if ((s[i] == '{' || s[i] == '}') && i + 1 < n && s[i + 1] == s[i])
            i++;
    }
}

int placeholder_expand(const char *text, civil_day day, struct lunar *l, char **out)
{
    struct out o = { 0 };
    put(&o, "", 0);
    size_t pos = 0, done = 0;
    struct placeholder_token tok;
    while (placeholder_next(text, &pos, &tok)) {
        put_plain(&o, text + done, tok.at - done);
        done = tok.at + tok.len;
        char buf[64];
        switch (tok.kind) {
        case PLACEHOLDER_DATE: placeholder_date(day, buf, sizeof buf); break;
        case PLACEHOLDER_WEEKDAY: placeholder_weekday(day, buf, sizeof buf); break;
        case PLACEHOLDER_LUNAR:
            if (placeholder_lunar_date(l, day, buf, sizeof buf) != 0)
                snprintf(buf, sizeof buf, "%.*s", (int)tok.len, text + tok.at);
            break;
        case PLACEHOLDER_COUNTDOWN:
            /* Never negative: the message has expired by then (config.c). */
            snprintf(buf, sizeof buf, "%ld", tok.target > day ? (long)(tok.target - day) : 0L);
            break;
        default:
            put(&o, text + tok.at, tok.len);        /* not ours: as written */
            continue;
        }
        put(&o, buf, strlen(buf));
    }
    put_plain(&o, text + done, strlen(text + done));
    if (o.failed) {
        free(o.s);
        *out = NULL;
        return -1;
    }
    *out = o.s;
    return 0;
}
