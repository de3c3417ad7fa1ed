#include "schedule/civil.h"


/* Howard Hinnant's days_from_civil / civil_from_days: exact for every date
 * we can meet, no tables, no time zone. */
civil_day civil_day_from_date(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct civil_date civil_date_from_day(civil_day z)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    struct civil_date c;
    c.day = doy - (153 * mp + 2) / 5 + 1;
    c.month = mp < 10 ? mp + 3 : mp - 9;
    c.year = yoe + era * 400 + (c.month <= 2);
    return c;
}

int civil_weekday(civil_day day)
{
    int w = (int)((day + 4) % 7);       /* 1970-01-01 was a Thursday */
    return w < 0 ? w + 7 : w;
}

bool civil_date_valid(int y, int m, int d)
{
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

void civil_local(time_t t, civil_day *day, int *minute)
{
    struct tm tm;
    localtime_r(&t, &tm);
    *day = civil_day_from_date(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    *minute = tm.tm_hour * 60 + tm.tm_min;
}

/* Wall-clock time as a single number, for comparing. */
static int64_t wall_minutes(time_t t)
{
    civil_day d;
    int m;
    civil_local(t, &d, &m);
    return (int64_t)d * 1440 + m;
}

static long utc_offset(time_t t)
{
    struct tm tm;
    localtime_r(&t, &tm);
    return tm.tm_gmtoff;
}

time_t civil_instant(civil_day day, int minute)
{
    day += minute / 1440;
    minute %= 1440;
    /* A wall time W shows at W - offset, for an offset in force then. No
     * zone changes its offset twice within two days, so the offsets a day
     * either side are all the candidates; keep the earliest that really
     * shows W (the first occurrence). mktime is not used: glibc's searches
     * far and slowly when asked for a DST flag the zone does not have. */
    time_t wall = (time_t)day * 86400 + (time_t)minute * 60;
    time_t probe = wall - utc_offset(wall);
    time_t best = 0;
    bool found = false;
    for (int k = -1; k <= 1; k++) {
        time_t t = wall - utc_offset(probe + k * 86400);
        if (wall_minutes(t) == (int64_t)day * 1440 + minute && (!found || t < best)) {
            best = t;
            found = true;
        }
    }
    if (found)
        return best;
    /* A skipped time: the first instant showing a later wall time is the
     * moment of the jump. Near a gap the wall clock only moves forward, so
     * a binary search over a day either side finds it. */
    int64_t want = (int64_t)day * 1440 + minute;
    time_t lo = (time_t)day * 86400 + (time_t)minute * 60 - 30 * 3600;
    time_t hi = lo + 60 * 3600;
    while (hi - lo > 1) {
        time_t mid = lo + (hi - lo) / 2;
        if (wall_minutes(mid) >= want)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

void civil_span_init(struct civil_span *s, civil_day first, int days)
{
    s->first = first;
    s->days = days;
    s->midnight = civil_instant(first, 0);
    time_t end = civil_instant(first + days, 0);
    /* No zone changes its offset twice within a few days, so an exact
     * length means no change at all. The middle check catches a clock that
     * goes back and forward again (nothing real does, but it costs little). */
    s->uniform = end - s->midnight == (time_t)days * 86400 &&
                 civil_instant(first + days / 2, 0) - s->midnight == (time_t)(days / 2) * 86400;
}

time_t civil_span_instant(const struct civil_span *s, civil_day day, int minute)
{
    int64_t m = (int64_t)(day - s->first) * 1440 + minute;
    if (s->uniform && m >= 0 && m <= (int64_t)s->days * 1440)
        return s->midnight + (time_t)m * 60;
    return civil_instant(day, minute);
}

/* ---- text ------------------------------------------------------------- */

/* The character at *s read as ASCII, with what Chinese input methods type
 * in its place (full-width digits, －, ：, the ideographic space) folded
 * to ASCII; anything else non-ASCII is 0x80. Advances *s past it. */
static int next_char(const char **s)
{
    const unsigned char *u = (const unsigned char *)*s;
    if (u[0] < 0x80) {
        if (u[0])
            (*s)++;
        return u[0];
    }
    int c = 0x80;
    if (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99)
        c = '0' + (u[2] - 0x90);
    else if (u[0] == 0xEF && u[1] == 0xBC && u[2] == 0x8D)
        c = '-';
    else if (u[0] == 0xEF && u[1] == 0xBC && u[2] == 0x9A)
        c = ':';
    else if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
        c = ' ';
    *s += c == 0x80 ? 1 : 3;
    return c;
}

static int peek_char(const char *s)
{
    return next_char(&s);
}

/* Skips spaces; returns how many. */
static int skip_blanks(const char **s)
{
    int n = 0;
    for (int c = peek_char(*s); c == ' ' || c == '\t'; c = peek_char(*s), n++)
        next_char(s);
    return n;
}

/* From `min` to `max` digits as a number, or -1. */
static int read_number(const char **s, int min, int max)
{
    int v = 0, n = 0;
    while (n < max && peek_char(*s) >= '0' && peek_char(*s) <= '9')
        v = v * 10 + (next_char(s) - '0'), n++;
    return n >= min ? v : -1;
}

static bool expect(const char **s, int c)
{
    if (peek_char(*s) != c)
        return false;
    next_char(s);
    return true;
}

int civil_parse(const char *text, struct civil_when *out)
{
    const char *s = text;
    skip_blanks(&s);
    int y = read_number(&s, 4, 4);
    int mo = expect(&s, '-') ? read_number(&s, 1, 2) : -1;
    int d = expect(&s, '-') ? read_number(&s, 1, 2) : -1;
    if (y < 1970 || mo < 0 || d < 0 || !civil_date_valid(y, mo, d))
        return -1;
    struct civil_when w = { civil_day_from_date(y, mo, d), 0, 0, CIVIL_DATE };
    if (skip_blanks(&s) && *s) {
        int h = read_number(&s, 1, 2);
        int mi = expect(&s, ':') ? read_number(&s, 2, 2) : -1;
        if (h < 0 || h > 23 || mi < 0 || mi > 59)
            return -1;
        w.minute = h * 60 + mi;
        w.precision = CIVIL_MINUTE;
        if (expect(&s, ':')) {
            w.second = read_number(&s, 2, 2);
            if (w.second < 0 || w.second > 59)
                return -1;
            w.precision = CIVIL_SECOND;
        }
        skip_blanks(&s);
    }
    if (*s)
        return -1;
    *out = w;
    return 0;
}

time_t civil_when_instant(const struct civil_when *w)
{
    time_t t = civil_instant(w->day, w->minute);
    civil_day day;
    int minute;
    civil_local(t, &day, &minute);
    /* Clocks change on whole minutes: seconds count only when the minute
     * exists; in a skipped minute the first later instant is the jump. */
    return day == w->day && minute == w->minute ? t + w->second : t;
}

int civil_parse_instant(const char *text, time_t *out)
{
    struct civil_when w;
    if (civil_parse(text, &w) != 0)
        return -1;
    *out = civil_when_instant(&w);
    return 0;
}

void civil_format(time_t t, bool seconds, char out[32])
{
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 32, seconds ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d %H:%M", &tm);
}
