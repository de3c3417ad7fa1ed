/* timeline — what scrolls where at wall time T, as a pure function of the
 * schedule and T.
 *
 * Messages run on a tape: each message's strip follows the previous one
 * `gap` px behind it, the tape moves left at `speed` px/s, and it stops for
 * a message's `hold` when that message's start reaches the left edge. A
 * message's pass runs from its left edge entering at the right of the
 * zone to its right edge leaving at the left.
 *
 * The schedule is a sequence of segments: a segment starts when the
 * playlist changes (the schedule's prev_change) and plays that playlist's
 * cycle on a tape of its own. At a change:
 *   - the passes under way finish; the new playlist follows the last of
 *     them, `gap` px behind it, as the next message would have;
 *   - an emergency playlist instead clears the zone at once and starts
 *     from the right edge;
 *   - when the emergency ends, its passes finish, and then what it
 *     interrupted comes back where it was: the same messages at the same
 *     positions, and the same cycle if the playlist is the same as before.
 * A segment's state depends on the segment before it, and that one's on
 * the one before, back to the first change of the local day, which starts
 * clean (passes under way at that one change are cut, and an emergency
 * does not resume across midnight). So the frame at T depends on the
 * schedule and T only, never on when the program started, and a day's
 * first frame needs only that day's changes.
 *
 * Times are int64 wall nanoseconds; positions are px. The timeline keeps a
 * small cache of segment states; it holds no other state.
 */
#ifndef LEDTICKER_TIMELINE_H
#define LEDTICKER_TIMELINE_H

#include <stdbool.h>
#include <stdint.h>

#define TIMELINE_MAX_VISIBLE 64

enum timeline_error {
    TIMELINE_OK = 0,
    TIMELINE_ERR_INVALID = -1,
    TIMELINE_ERR_NO_MEM = -2,
    TIMELINE_ERR_SOURCE = -3,   /* the schedule callback failed */
};

/* One message on the tape. `key` is the caller's name for it (the engine
 * uses one per message and config generation); the timeline compares keys
 * to tell whether two playlists are the same. */
struct timeline_item {
    uint32_t key;
    int width;          /* px */
    int64_t hold;       /* ns to pause with its start at the left edge */
};

struct timeline_playlist {
    bool emergency;
    int count;
    const struct timeline_item *items;  /* valid until the next callback */
};

/* The schedule, as the timeline asks it. Both must be pure functions of t. */
struct timeline_source {
    void *user;
    /* The latest playlist change at or before t; INT64_MIN if none. */
    int64_t (*prev_change)(void *user, int64_t t);
    /* The playlist in force at t. Returns 0, or negative on failure. */
    int (*playlist_at)(void *user, int64_t t, struct timeline_playlist *out);
};

struct timeline_params {
    int width;          /* the scrolling zone, px */
    int gap;            /* px between one message and the next, >= 1 */
    double speed;       /* px per second, > 0 */
};

/* One message visible at T. */
struct timeline_view {
    uint32_t key;
    int width;
    double x;               /* its left edge in the zone; may be negative */
    int64_t pass_start;     /* wall time it entered at the right edge */
    int64_t pass_end;       /* wall time it will be fully out at the left */
    int64_t hold;           /* its full hold, ns */
    bool holding;           /* paused at the left edge now */
    int64_t hold_left;      /* when holding: ns of pause remaining */
};

struct timeline_state {
    int64_t t;
    int64_t anchor;         /* when the playlist in force took effect */
    bool emergency;         /* an emergency playlist is in force */
    bool active;            /* the playlist in force has messages */
    int count;              /* visible messages, left to right */
    struct timeline_view view[TIMELINE_MAX_VISIBLE];
    /* px the tape still moves before the next message enters; < 0 when
     * no further message is coming. */
    double next_in;
};

struct timeline;

int  timeline_new(struct timeline **out, const struct timeline_params *p,
                  const struct timeline_source *src);
void timeline_free(struct timeline *tl);

/* Fills *out with what shows at wall time t. */
int  timeline_at(struct timeline *tl, int64_t t, struct timeline_state *out);

/* Makes `tl` (a new timeline, for a reloaded config) continue from `old`,
 * the state of the previous timeline at old->t: the passes visible then
 * finish first, then the new playlist follows. States at times before
 * old->t are not asked for afterwards. The keys in `old` must stay
 * meaningful to the caller until those passes end. */
int  timeline_continue_from(struct timeline *tl, const struct timeline_state *old);

/* Wall time at which a pass starting now, `width` px wide, ends, ignoring
 * holds: (zone width + width) / speed. Handy for tests and logs. */
int64_t timeline_pass_duration(const struct timeline *tl, int width);

const char *timeline_strerror(int err);

#endif
