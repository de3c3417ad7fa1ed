/* sched_light — off hours and the night brightness window, as instants. */
#include "schedule/sched.h"

#include "schedule/civil.h"
#include "schedule/config.h"

/* The window of `h` that holds minute-of-day m, or NULL. */
static const struct config_window *window_at(const struct config_hours *h, int m)
{
    for (size_t i = 0; i < h->count; i++) {
        int a = h->w[i].start, b = h->w[i].end;
        if (b > a ? (m >= a && m < b) : (m >= a || m < b))
            return &h->w[i];
    }
    return NULL;
}

void sched_light_at(const struct config_display *d, time_t t, struct sched_light *out)
{
    civil_day day;
    int m;
    civil_local(t, &day, &m);
    const struct config_window *off = window_at(&d->off, m);
    out->off = off != NULL;
    out->off_until = off ? off->end % 1440 : 0;
    out->night = window_at(&d->night, m) != NULL;
    out->brightness = out->off ? 0 : out->night ? d->brightness_night : d->brightness;
}

/* The earliest edge (start or end) of h's windows after t: today's or
 * tomorrow's, whichever comes first. */
static void next_edge(const struct config_hours *h, civil_day day, time_t t, time_t *best)
{
    for (size_t i = 0; i < h->count; i++)
        for (int d = 0; d <= 1; d++) {
            int edges[2] = { h->w[i].start, h->w[i].end };
            for (int e = 0; e < 2; e++) {
                time_t at = civil_instant(day + d, edges[e] % 1440);
                if (at > t && (!*best || at < *best))
                    *best = at;
            }
        }
}

time_t sched_light_next_change(const struct config_display *d, time_t t)
{
    civil_day day;
    int m;
    civil_local(t, &day, &m);
    time_t best = 0;
    next_edge(&d->off, day, t, &best);
    next_edge(&d->night, day, t, &best);
    return best;
}
