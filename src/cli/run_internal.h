/* run_internal.h — what the files of `ledticker run` share: the run's
 * state (one struct per run, no globals) and the state reports.
 * cmd_run.c: arguments, the frame loop's sinks, output and reload;
 * runstate.c: what the run reports of itself (the state file `ledticker
 * status` reads, the fleet kiosk's status). Included only by those two. */
#ifndef LEDTICKER_RUN_INTERNAL_H
#define LEDTICKER_RUN_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "cli/cfgcheck.h"
#include "cli/fleetrun.h"
#include "cli/loop.h"
#include "cli/show.h"
#include "cli/showbuild.h"
#include "cli/statefile.h"
#include "compose/pacing.h"
#include "compose/playlog.h"
#include "protocol/encoder.h"
#include "schedule/reload.h"
#include "transport/transport.h"
#include "util/diag.h"

struct run_args {
    const char *config, *output, *board, *boards_dir, *fonts_dir, *clock_start, *calendar_dir;
    const char *device;         /* --device SERIAL: which USB controller */
    const char *clock_jump;     /* --clock-jump AT:STEP, kept for after loading */
    const char *state_file;     /* --state-file PATH, for `ledticker status` */
    double rate;
    double seconds;
};

struct run {
    const struct diag *d;
    struct run_args a;
    const char *boards;
    const struct cfgcheck *checks;  /* the boards and the statutory calendar */
    struct transport *t;
    struct transport_info info;
    struct encoder *enc;        /* NULL for outputs that draw host frames (term) */
    uint32_t seq;
    bool standby;
    int brightness;
    struct reload *rl;          /* the config, re-read on SIGHUP and on file changes */
    int sigfd;
    struct loop_flags flags;
    struct playlog *playlog;
    char *playlog_path;
    const char *spec;           /* the output in use */
    uint64_t watchdog_usec;
    int64_t watchdog_last;
    struct pacing_clock *clock;
    struct show *show;          /* the config now playing (owned by its engine) */
    struct lunar *lunar;        /* every show's lunar dates: one object for the run (lunar.h) */
    struct showbuild *build;    /* builds reloaded configs off the frame loop */
    bool build_due;             /* a new snapshot is waiting to be handed to it */
    bool awaiting;              /* a build was asked for and not yet taken */
    bool ready;
    long rss_start;
    int64_t last_hour;
    int failures;
    bool away;                  /* the controller is gone: encode nothing until it is back */
    bool quiet;                 /* -q */
    bool relayout;              /* it came back with another panel size */
    bool lost_output;           /* a lossless output (record:) failed: stop */
    struct statefile state;     /* what `ledticker status` reads */
    char state_path[4096];
    int64_t state_next;         /* clock ns of the next state file update */
    unsigned faults;            /* FAULT_* bits at the last update */
    int64_t started, away_since;    /* wall ns */
    char last_reload[160];      /* when and how the last reload went */
    struct fleetrun *fleet;     /* the fleet's kiosk client ([fleet]); NULL: none */
    const struct loop_stats *stats; /* the loop's counters so far */
    int64_t wall;               /* the wall time of the last frame */
};

/* Active faults, as bits: a change rewrites the state file at once. */
enum { FAULT_PLAYLOG = 1, FAULT_OUTPUT = 2, FAULT_STATEFILE = 4, FAULT_CONFIG = 8 };

struct kiosk_state;
/* Local time of wall ns (or "-" for INT64_MIN), for logs and reports. */
void runstate_format_wall(int64_t wall, char buf[32]);
/* The state file: every clock minute, and at once when a fault starts or ends. */
void runstate_update(struct run *r, int64_t mono, int64_t wall);
/* What the fleet's status says of this kiosk (fleetrun_tick's fill). */
void runstate_fleet(void *user, struct kiosk_state *s);

#endif
