/* sched — what plays when: a compiled, immutable view of a config.
 *
 * The rules (docs/config.md has the long form):
 *  - a message is active at instant t when it is enabled, t >= from,
 *    t < until (a bare date means the end of that day), and t lies in one
 *    of its windows: a window of `hours` that starts on a day `days` names
 *    (and `lunar`, when set: sched_lunar.c) runs from the first instant showing its start time to the first
 *    instant showing its end time (see civil.h for skipped and repeated
 *    times), and crosses midnight when end <= start;
 *  - if an emergency message is active, only emergency messages play;
 *  - play order is priority, high to low, ties in config order;
 *  - a message with repeat = N plays N times per cycle, its copies spread
 *    through it and never side by side, the cycle's wrap included; the
 *    first copies stand in play order, extra copies anywhere between.
 *    Only a message that wants more than half the cycle can be cut short
 *    (alone, a message plays its copies back to back).
 *
 * The local time zone (TZ) is read when a schedule is built and when it is
 * queried. A struct sched borrows its config: free the sched first. Queries
 * never modify the sched, so threads may share one.
 *
 * For the engine: sched_playlist_at(t) is the cycle to play; the cycle
 * started at sched_prev_change(t) and lasts until sched_next_change(t). */
#ifndef LEDTICKER_SCHED_H
#define LEDTICKER_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "schedule/config.h"
#include "util/diag.h"

enum sched_error {
    SCHED_OK = 0,
    SCHED_ERR_NO_MEM = -1,
    SCHED_ERR_NOT_FOUND = -2,   /* no change in that direction, ever */
    SCHED_ERR_INVALID = -3,     /* a time that cannot be read */
};

struct sched;

/* One cycle, in play order, repeats applied. Zero it before first use;
 * sched_playlist_at reuses its storage; sched_playlist_release frees it. */
struct sched_playlist {
    bool emergency;             /* only emergency messages are in it */
    size_t count;
    const struct config_message **items;    /* point into the config */
    size_t cap;
    /* The message whose repeat did not fit (NULL: every copy fits), and
     * how many of its copies were dropped to keep its copies apart. Only
     * one message can be short: the one wanting more than half the cycle. */
    const struct config_message *short_msg;
    int dropped;
};

int  sched_new(struct sched **out, const struct config *cfg);
void sched_free(struct sched *s);
const struct config *sched_config(const struct sched *s);

/* The playlist at instant t; count 0 means idle. 0, or SCHED_ERR_NO_MEM
 * (then the playlist is empty: that is an error, not idle). */
int  sched_playlist_at(const struct sched *s, time_t t, struct sched_playlist *pl);
void sched_playlist_release(struct sched_playlist *pl);
bool sched_playlist_equal(const struct sched_playlist *a, const struct sched_playlist *b);

/* Whether one message is active at t (ignores emergency pre-emption). */
bool sched_message_active(const struct sched *s, const struct config_message *m, time_t t);

/* The first instant after t at which the playlist differs from the one at
 * t, or SCHED_ERR_NOT_FOUND. */
int  sched_next_change(const struct sched *s, time_t t, time_t *out);
/* The last instant at or before t at which the playlist changed (became
 * the one playing at t), or SCHED_ERR_NOT_FOUND. */
int  sched_prev_change(const struct sched *s, time_t t, time_t *out);

/* Warns through `d`, once per message, at its [message] line, about every
 * message whose copies are cut short at some moment in [from, to] (the
 * moment t alone when from == to). 0 or SCHED_ERR_NO_MEM. */
int  sched_warn_dropped(const struct sched *s, time_t from, time_t to, const struct diag *d);

/* Warns through `d` about `lunar` dates that some of the next ten lunar
 * years lack: a 三十 in a month of 29 days, or a leap month the year has
 * not (sched_lunar.c). 0. */
int  sched_warn_lunar(const struct sched *s, time_t now, const struct diag *d);

const char *sched_strerror(int err);

/* The panel's light at an instant, from [display] off, night, brightness
 * and brightness_night (sched_light.c): the one rule for `run`, `preview`
 * and `schedule`. A window whose end is at or before its start crosses
 * midnight. */
struct sched_light {
    bool off;                   /* in the off hours: the panel is dark */
    int brightness;             /* percent; 0 when off */
    bool night;                 /* in the night window (brightness_night) */
    int off_until;              /* when off: the minute of the day it ends */
};

void sched_light_at(const struct config_display *d, time_t t, struct sched_light *out);
/* The first instant after t at which off or night begins or ends, or 0
 * when the config has no such hours. */
time_t sched_light_next_change(const struct config_display *d, time_t t);

#endif
