/* runstate — what `ledticker run` reports of itself while it plays: the
 * state file `ledticker status` reads, and on a fleet kiosk the loop's
 * part of the status the kiosk client publishes. */
#include "cli/run_internal.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fleet/kiosk.h"
#include "schedule/civil.h"

static unsigned active_faults(const struct run *r)
{
    char tmp[8];
    return (playlog_fault(r->playlog, tmp, sizeof tmp) ? FAULT_PLAYLOG : 0) |
           (r->away ? FAULT_OUTPUT : 0) | (r->state.err ? FAULT_STATEFILE : 0) |
           (r->rl && reload_missing_since(r->rl) ? FAULT_CONFIG : 0);
}

void runstate_format_wall(int64_t wall, char buf[32])
{
    if (wall == INT64_MIN)
        snprintf(buf, 32, "-");
    else
        civil_format((time_t)(wall / PACING_NS_PER_SEC), true, buf);
}

/* The state file: every clock minute, and at once when a fault starts or
 * ends (a technician asks right after pulling the cable back in). */
void runstate_update(struct run *r, int64_t mono, int64_t wall)
{
    unsigned faults = active_faults(r);
    if (!r->state.path || (mono < r->state_next && faults == r->faults))
        return;
    r->state_next = mono + 60 * PACING_NS_PER_SEC;
    r->faults = faults;
    char text[4096], playing[1024], now[32], since[32], started[32], fault[512];
    int64_t from = INT64_MIN;
    if (show_playing(r->show, wall, playing, sizeof playing, &from) != 0)
        snprintf(playing, sizeof playing, "(unknown: out of memory)");
    runstate_format_wall(wall, now);
    runstate_format_wall(from, since);
    runstate_format_wall(r->started, started);
    int n = snprintf(text, sizeof text,
                     "pid: %ld\nupdated: %s\nrunning since: %s\nconfig: %s\nplaying: %s\n"
                     "playing since: %s\npanel: %s\noutput: %s, %ux%u panel, board %s%s%s\n"
                     "last reload: %s\n",
                     (long)getpid(), now, started, r->a.config, playing, since,
                     r->standby ? "dark (off hours)" : "on",
                     r->spec, r->info.width, r->info.height, r->info.board,
                     *r->info.serial ? ", controller " : "", r->info.serial,
                     *r->last_reload ? r->last_reload : "none since the start");
    if (r->away && n < (int)sizeof text) {
        runstate_format_wall(r->away_since, since);
        n += snprintf(text + n, sizeof text - (size_t)n,
                      "fault: output %s: the controller is gone since %s; waiting for it\n",
                      r->spec, since);
    }
    time_t gone = r->rl ? reload_missing_since(r->rl) : 0;
    if (gone && n < (int)sizeof text) {
        civil_format(gone, true, since);
        n += snprintf(text + n, sizeof text - (size_t)n, "fault: config %s: gone (deleted or "
                      "moved away) since %s; the last good one plays\n", r->a.config, since);
    }
    if (playlog_fault(r->playlog, fault, sizeof fault) && n < (int)sizeof text)
        n += snprintf(text + n, sizeof text - (size_t)n, "fault: %s\n", fault);
    if (!faults && n < (int)sizeof text)
        snprintf(text + n, sizeof text - (size_t)n, "fault: none\n");
    statefile_write(&r->state, text);
}

/* What the fleet's status says of this kiosk (once a second at most). */
void runstate_fleet(void *user, struct kiosk_state *s)
{
    struct run *r = user;
    int64_t since;
    if (show_playing(r->show, r->wall, s->playing, sizeof s->playing, &since) != 0)
        snprintf(s->playing, sizeof s->playing, "(unknown: out of memory)");
    /* "usb SERIAL, board B" or "record, board B" (a path says nothing there). */
    char controller[256];
    snprintf(controller, sizeof controller, "%.*s%s%s, board %s%s", (int)strcspn(r->spec, ":"),
             r->spec, *r->info.serial ? " " : "", r->info.serial, r->info.board,
             r->away ? ", gone" : r->standby ? ", dark (off hours)" : "");
    snprintf(s->controller, sizeof s->controller, "%.63s", controller);
    s->frames = r->stats ? r->stats->frames : 0;
    s->dropped = r->stats ? r->stats->dropped : 0;
    if (r->away)
        snprintf(s->last_error, sizeof s->last_error, "output %s: the controller is gone", r->spec);
    else if (!playlog_fault(r->playlog, s->last_error, sizeof s->last_error) &&
             strstr(r->last_reload, "refused"))
        snprintf(s->last_error, sizeof s->last_error, "config reload %s", r->last_reload);
}
