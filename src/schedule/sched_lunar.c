/* sched_lunar — the `lunar` key in the scheduler (sched_lunar.h). */
#include "schedule/sched_lunar.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schedule/lunar.h"

#define FIRST_YEAR 1900         /* the library's range */
#define YEARS 201
#define WARN_YEARS 10           /* check looks this many lunar years ahead */

/* A day's lunar date, packed into the cache: 0 = not asked yet. */
#define DAY_ASKED 1u
#define DAY_VALID 2u            /* inside the library's range */
#define DAY_LAST 4u             /* the last day of its month */
#define DAY_TERM_SHIFT 3        /* 5 bits: solar term index + 1, 0 = none */
#define DAY_KEY_SHIFT 8         /* 16 bits: CONFIG_LUNAR_KEY */

struct sched_lunar {
    pthread_mutex_t lock;       /* the cache and the library */
    struct lunar *lunar;
    uint32_t *years[YEARS];     /* per Gregorian year, 366 days, allocated when first asked */
};

struct sched_lunar *sched_lunar_new(void)
{
    struct sched_lunar *sl = calloc(1, sizeof *sl);
    if (!sl)
        return NULL;
    if (!(sl->lunar = lunar_new()) || pthread_mutex_init(&sl->lock, NULL) != 0) {
        lunar_free(sl->lunar);
        free(sl);
        return NULL;
    }
    return sl;
}

void sched_lunar_free(struct sched_lunar *sl)
{
    if (!sl)
        return;
    for (size_t i = 0; i < YEARS; i++)
        free(sl->years[i]);
    lunar_free(sl->lunar);
    pthread_mutex_destroy(&sl->lock);
    free(sl);
}

/* A day's date in the cache's form, without its last-day bit. */
static uint32_t pack(const struct lunar_day *ld)
{
    return DAY_VALID | (uint32_t)(ld->term_index + 1) << DAY_TERM_SHIFT |
           (uint32_t)CONFIG_LUNAR_KEY(ld->month, ld->leap, ld->day) << DAY_KEY_SHIFT;
}

/* The cache's slot for `day`, or NULL outside the range or out of memory
 * (then the day matches no item). A slot is 0 (not asked), the date
 * alone (DAY_ASKED clear), or complete. */
static uint32_t *slot_of(struct sched_lunar *sl, civil_day day)
{
    struct civil_date c = civil_date_from_day(day);
    if (c.year < FIRST_YEAR || c.year >= FIRST_YEAR + YEARS)
        return NULL;
    uint32_t **year = &sl->years[c.year - FIRST_YEAR];
    if (!*year && !(*year = calloc(366, sizeof **year)))
        return NULL;
    return &(*year)[day - civil_day_from_date(c.year, 1, 1)];
}

/* The date of `day` alone, asked once and kept. */
static uint32_t date_of(struct sched_lunar *sl, civil_day day, uint32_t *slot)
{
    if (slot && *slot)
        return *slot & ~(DAY_ASKED | DAY_LAST);
    struct lunar_day ld;
    uint32_t v = lunar_of_day(sl->lunar, day, &ld) == 0 ? pack(&ld) : 0;
    if (slot)
        *slot = v ? v : DAY_ASKED;
    return v;
}

/* The packed lunar date of `day`, complete; the caller holds the lock. A
 * day is the last of its month when the next one is an 初一: one question
 * to the library per day, the next day's kept for its own turn. */
static uint32_t day_info(struct sched_lunar *sl, civil_day day)
{
    uint32_t *slot = slot_of(sl, day);
    if (!slot)
        return DAY_ASKED;
    if (*slot & DAY_ASKED)
        return *slot;
    uint32_t date = date_of(sl, day, slot);
    if (!date)
        return *slot = DAY_ASKED;
    uint32_t next = date_of(sl, day + 1, slot_of(sl, day + 1));
    bool last = (next & DAY_VALID) && (next >> DAY_KEY_SHIFT & 31) == 1;
    return *slot = date | DAY_ASKED | (last ? DAY_LAST : 0);
}

static bool item_matches(const struct config_lunar_item *it, uint32_t info)
{
    unsigned key = info >> DAY_KEY_SHIFT & 0xFFFF, term = info >> DAY_TERM_SHIFT & 31;
    bool eve = (info & DAY_LAST) && key / 32 == CONFIG_LUNAR_KEY(12, false, 0) / 32;
    switch (it->kind) {
    case CONFIG_LUNAR_TERM:
        return term == it->term + 1u;
    case CONFIG_LUNAR_EVE:
        return eve;
    default:
        if (it->eve && eve)
            return true;
        return it->from <= it->to ? key >= it->from && key <= it->to : key >= it->from || key <= it->to;
    }
}

bool sched_lunar_allows(struct sched_lunar *sl, const struct config_lunar *l, civil_day day)
{
    if (!l->count)
        return true;
    pthread_mutex_lock(&sl->lock);
    uint32_t info = day_info(sl, day);
    pthread_mutex_unlock(&sl->lock);
    if (!(info & DAY_VALID))
        return false;
    for (size_t i = 0; i < l->count; i++)
        if (item_matches(&l->item[i], info))
            return true;
    return false;
}

bool sched_lunar_next_edge(struct sched_lunar *sl, const struct config *cfg, civil_day day, int dir,
                           long max_days, civil_day *out)
{
    civil_day limit = max_days ? day + dir * max_days : dir > 0 ? INT32_MAX : INT32_MIN;
    /* Outside the range nothing matches: start at its edge. */
    civil_day lo = civil_day_from_date(FIRST_YEAR, 1, 1) - 1;
    civil_day hi = civil_day_from_date(FIRST_YEAR + YEARS, 1, 1);
    if (dir > 0 && day < lo - 1)
        day = lo - 1;
    if (dir < 0 && day > hi + 1)
        day = hi + 1;
    size_t n = config_message_count(cfg);
    for (civil_day d = day + dir; d >= lo && d <= hi && (dir > 0 ? d <= limit : d >= limit); d += dir)
        for (size_t i = 0; i < n; i++) {
            const struct config_lunar *l = &config_message_at(cfg, i)->lunar;
            if (l->count && sched_lunar_allows(sl, l, d) != sched_lunar_allows(sl, l, d - dir)) {
                *out = d;
                return true;
            }
        }
    return false;
}

/* ---- check's warnings ------------------------------------------------- */

/* The lunar years among the WARN_YEARS from `first` in which `month`
 * (闰 when leap) lacks day `day`, as "2025, 2027"; how many. */
static int years_without(struct sched_lunar *sl, int first, int month, bool leap, int day, char *buf,
                         size_t len)
{
    int missing = 0;
    size_t used = 0;
    buf[0] = '\0';
    pthread_mutex_lock(&sl->lock);
    for (int y = first; y < first + WARN_YEARS; y++) {
        int days = lunar_month_length(sl->lunar, y, month, leap);
        if (days < 0 || days >= day)
            continue;
        missing++;
        int k = snprintf(buf + used, len - used, "%s%d", used ? ", " : "", y);
        if (k > 0 && (size_t)k < len - used)
            used += (size_t)k;
    }
    pthread_mutex_unlock(&sl->lock);
    return missing;
}

static void warn_item(struct sched_lunar *sl, const struct config_message *m, const struct config_lunar_item *it,
                      int first, const struct diag *d)
{
    if (it->kind != CONFIG_LUNAR_RANGE)
        return;
    int month = it->from / 64, day = it->from % 32;
    bool leap = it->from / 32 % 2, single = it->from == it->to;
    if (day != 30 && !leap)
        return;
    char years[WARN_YEARS * 8], name[32], mname[16];
    int missing = years_without(sl, first, month, leap, leap ? day : 30, years, sizeof years);
    if (!missing)
        return;
    snprintf(name, sizeof name, "%s%s", lunar_month_name(month, leap, mname), lunar_day_name(day));
    const char *why = day == 30 ? "has 29 days" : "does not exist";
    if (day == 30 && leap)
        why = "has 29 days or does not exist";
    diag_emit(d, DIAG_WARN, m->lunar.file, m->lunar.line,
              "message '%s': lunar %s%s is missed in %d of the lunar years %d-%d (%s: %s %s then)%s%s",
              m->id, name, single ? "" : " (the start of a range)", missing, first, first + WARN_YEARS - 1,
              years, mname, why, single ? "" : "; the range starts on the next day those years",
              month == 12 && !leap && day == 30 ? "; for the last day of 腊月 write 除夕" : "");
}

int sched_lunar_warn(struct sched_lunar *sl, const struct config *cfg, time_t now, const struct diag *d)
{
    civil_day today;
    int minute;
    civil_local(now, &today, &minute);
    struct lunar_day ld;
    pthread_mutex_lock(&sl->lock);
    int known = lunar_of(sl->lunar, today, &ld);
    pthread_mutex_unlock(&sl->lock);
    if (known != 0)
        return 0;                       /* outside the library's range: nothing to say */
    for (size_t i = 0; i < config_message_count(cfg); i++) {
        const struct config_message *m = config_message_at(cfg, i);
        for (size_t k = 0; k < m->lunar.count; k++)
            warn_item(sl, m, &m->lunar.item[k], ld.year, d);
    }
    return 0;
}
