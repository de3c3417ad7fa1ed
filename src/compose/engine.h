/* engine — the frame the panel shows at wall time T.
 *
 * The engine joins the schedule (which messages, since when), the strips
 * (coverage, rendered once per message by the text renderer), the timeline
 * (where each strip is at T) and the zones (label, clock, one or two rows)
 * into a frame at the panel's resolution. It knows neither the schedule
 * nor the renderer by name: the command-line layer hands it a struct
 * engine_source of callbacks, so this module stays testable alone.
 *
 * The frame at T is a function of the source and T: the engine holds only
 * caches, and the list of passes under way, which it compares frame to
 * frame to report the passes that completed (proof of play).
 */
#ifndef LEDTICKER_ENGINE_H
#define LEDTICKER_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compose/blend.h"
#include "util/frame.h"
#include "util/bitmap.h"
#include "util/diag.h"

enum engine_error {
    ENGINE_OK = 0,
    ENGINE_ERR_INVALID = -1,    /* bad parameters, or zones that leave no room */
    ENGINE_ERR_NO_MEM = -2,
    ENGINE_ERR_SOURCE = -3,     /* the schedule callbacks failed */
};

/* One message as the engine draws it. The strips belong to the source and
 * must stay valid while the engine (or a successor continuing from it)
 * may show the message. */
struct engine_message {
    uint32_t key;
    const char *id;                     /* the config's [message ID] */
    const struct bitmap *line;          /* one row: headline, separator, summary */
    const struct bitmap *headline;      /* two rows: the top row */
    const struct bitmap *summary;       /* two rows: the scrolling row */
    struct blend_rgb color;
    int64_t hold;                       /* ns paused at the left edge */
};

struct engine_playlist {
    bool emergency;
    int count;
    const uint32_t *keys;               /* valid until the next callback */
};

struct engine_source {
    void *user;
    /* Latest playlist change at or before t; INT64_MIN if none. Pure in t. */
    int64_t (*prev_change)(void *user, int64_t t);
    /* The playlist in force at t. Returns 0 or negative. Pure in t. */
    int (*playlist_at)(void *user, int64_t t, struct engine_playlist *out);
    /* The message named `key`, or NULL when this source does not know it. */
    const struct engine_message *(*message)(void *user, uint32_t key);
    /* Coverage strip of a short text (label, clock, idle), kept by the
     * source until it is freed; NULL when it cannot be rendered. */
    const struct bitmap *(*text)(void *user, const char *utf8);
    /* The light at t: brightness 0..1, and whether the panel is off. */
    void (*light_at)(void *user, int64_t t, double *brightness, bool *off);
    /* Called by engine_free when the engine lets go of the source (may
     * be NULL): the source may free `user` and its strips then. */
    void (*release)(void *user);
    /* The lunar clock's text for the local day of t: the lunar date
     * ("十月廿三"), or the solar term on its day ("冬至"). 0, or -1 when
     * unknown (then the clock shows the Gregorian date). May be NULL. */
    int (*lunar_text)(void *user, int64_t t, char *buf, size_t size);
};

/* The clock zone's formats. One too wide for the panel (its zone would
 * leave the scrolling zone less than the layout's minimum) falls back to
 * the next narrower one: date_lunar → lunar → time, date → time. */
enum engine_clock {
    ENGINE_CLOCK_NONE,
    ENGINE_CLOCK_TIME,          /* "14:05" */
    ENGINE_CLOCK_DATE,          /* "12月1日 星期二" */
    ENGINE_CLOCK_LUNAR,         /* "十月廿三", or the solar term "冬至" on its day */
    ENGINE_CLOCK_DATE_LUNAR,    /* "12月1日 十月廿三" */
};
enum engine_idle { ENGINE_IDLE_CLOCK, ENGINE_IDLE_TEXT, ENGINE_IDLE_BLANK };

struct engine_params {
    int width, height;          /* the panel */
    int row_height;             /* strip height (the font size) */
    double speed;               /* px per second */
    int gap;                    /* px between messages */
    bool smooth;                /* gray mode: anti-alias fractional positions */
    bool two_rows;              /* allow two rows when the panel is tall enough */
    const char *label;          /* fixed label zone text, or NULL */
    struct blend_rgb label_color;
    enum engine_clock clock;
    struct blend_rgb clock_color;
    enum engine_idle idle;
    const char *idle_text;      /* ENGINE_IDLE_TEXT */
    struct blend_rgb idle_color;
    double gamma;               /* applied by the host when host_light */
    bool host_light;            /* the controller does not apply gamma/brightness */
};

/* A pass that completed: its message left the zone at the left. */
struct engine_pass {
    uint32_t key;
    char id[64];
    int64_t start, end;         /* wall ns */
};

#define ENGINE_MAX_PASSES 16

struct engine_info {
    bool off;                   /* the off hours: send STANDBY, show nothing */
    uint8_t brightness;         /* 0..255, for the controller's BRIGHTNESS */
    bool emergency;
    bool idle;                  /* nothing active and nothing scrolling */
    int64_t anchor;             /* when the playlist in force took effect */
    int passes;
    struct engine_pass pass[ENGINE_MAX_PASSES];
};

struct engine;

int  engine_new(struct engine **out, const struct engine_params *p,
                const struct engine_source *src, const struct diag *d);
void engine_free(struct engine *e);

/* Composes the frame at wall time t into f (already frame_init'ed at the
 * panel's size) and says what else the panel needs in *info. Frames are
 * asked for in increasing t (after engine_wall_jumped, from the new t on);
 * passes are reported once, by the first frame
 * at or after their end. */
int  engine_frame(struct engine *e, int64_t t, struct frame *f, struct engine_info *info);

/* The wall clock stepped (pacing_check_jump) before the next frame: the
 * passes on screen were cut off by it and those under way at the new time
 * were not seen from their start, so none of them is proof of play. Frames
 * go on from the new time, which may be earlier than the last. */
void engine_wall_jumped(struct engine *e);

/* A still frame of `text` centred on the whole panel in the idle colour
 * (the notice left on the panel when the ticker stops). */
int  engine_still(struct engine *e, const char *text, struct frame *f);

/* For a reload: `next` (built on the new config) continues from `prev` at
 * wall time t. The passes under way finish with prev's strips; next takes
 * ownership of prev and frees it when they are done. */
int  engine_continue_from(struct engine *next, struct engine *prev, int64_t t);

/* The clock format the engine shows for `p` on its panel: p->clock when
 * its zone (as wide as its widest text) leaves room to scroll beside the
 * label, else the first narrower format that does, else p->clock (and
 * engine_new refuses the layout). `measure` gives a text's width in px.
 * *need gets the width p->clock needs, *room the most the clock zone may
 * take. The engine and `check` both decide with this. */
enum engine_clock engine_clock_fit(const struct engine_params *p,
                                   int (*measure)(void *user, const char *utf8), void *user,
                                   int *need, int *room);
/* "date_lunar", "lunar", "date", "time", "none": as the config spells it. */
const char *engine_clock_name(enum engine_clock c);

const char *engine_strerror(int err);

#endif
