/* config — the schedule's config file: what it may say, and what it means.
 *
 * Every key is parsed through one table of (section, key, parser, bounds,
 * default, doc line), config_keys(). `check`, `docs/config.md` and the code
 * read the same rows, so they cannot disagree; a unit test holds the docs
 * to the table. Adding a key is one row plus one field in the struct below.
 *
 * A loaded config is immutable. It owns every string it points to (they
 * live as long as the config), and it is plain data: the engine reads the
 * structs directly. Load problems are reported through a struct diag as
 * FILE:LINE messages; a config with any error is not returned at all, so a
 * half-valid config can never be used. */
#ifndef LEDTICKER_CONFIG_H
#define LEDTICKER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "schedule/civil.h"
#include "util/diag.h"

enum config_error {
    CONFIG_OK = 0,
    CONFIG_ERR_INVALID = -1,    /* errors were reported; no config */
    CONFIG_ERR_IO = -2,         /* the file cannot be read */
    CONFIG_ERR_NO_MEM = -3,
};

#define CONFIG_MAX_WINDOWS 16

/* A daily window in minutes since midnight. end <= start crosses midnight
 * (the window belongs to the day it starts on); end == 1440 is 24:00;
 * 00:00-00:00 is the whole day. */
struct config_window {
    int16_t start, end;
};

struct config_hours {
    size_t count;               /* 0: unset (for `hours`: all day) */
    struct config_window w[CONFIG_MAX_WINDOWS];
};

/* A local wall-clock moment (from/until). A bare date in `until` is stored
 * as minute 1440 of that day: the end of the day. */
struct config_when {
    bool set;
    civil_day day;
    int minute;
};

enum config_speed_unit { CONFIG_SPEED_PX, CONFIG_SPEED_CPS };

struct config_speed {
    double value;
    enum config_speed_unit unit;    /* pixels per second, or characters per second */
};

enum config_mode { CONFIG_MODE_MONO, CONFIG_MODE_GRAY };

enum config_idle_kind { CONFIG_IDLE_CLOCK, CONFIG_IDLE_BLANK, CONFIG_IDLE_TEXT };

struct config_idle {
    enum config_idle_kind kind;
    const char *text;           /* CONFIG_IDLE_TEXT */
};

enum config_clock { CONFIG_CLOCK_NONE, CONFIG_CLOCK_TIME, CONFIG_CLOCK_DATE, CONFIG_CLOCK_LUNAR,
                   CONFIG_CLOCK_DATE_LUNAR };
enum config_on_stop { CONFIG_ON_STOP_STANDBY, CONFIG_ON_STOP_NOTICE };

struct config_display {
    /* Where frames go and which panel: names the schedule passes on
     * without knowing them (config_options.check says whether they exist). */
    const char *board;          /* "" when unset */
    const char *output;         /* as written; "auto" when unset */
    const char *font;           /* family chain "A,B,C"; "" = the default chain */
    int size;                   /* pixel size */
    enum config_mode mode;
    struct config_speed speed;
    int brightness;             /* percent */
    int brightness_night;       /* percent, during `night` */
    struct config_hours night;  /* at most one window; count 0 = no night */
    struct config_hours off;    /* panel dark; count 0 = never */
    struct config_idle idle;
    /* The engine's keys (ledticker run / preview). */
    int fps;                    /* frames per second */
    int gap;                    /* px between messages */
    int hold_ms;                /* pause at the left edge */
    const char *separator;      /* between headline and summary on one row */
    int rows;                   /* 0 = auto, 1 or 2 */
    const char *label;          /* fixed label zone text; "" = none */
    uint32_t label_color;
    enum config_clock clock;
    uint32_t clock_color;
    int gamma_x100;             /* host gamma * 100 (when the controller has none) */
    const char *play_log;       /* proof-of-play file; "" = none */
    enum config_on_stop on_stop;
    const char *stop_notice;    /* shown after a stop with on_stop = notice */
};

/* Bit n of `days` is weekday n, 0 = Sunday; the bits above are the
 * statutory calendar's kinds of day (calendar.h). A day matches when any
 * of its bits does: `workday, sat` is workdays and every Saturday. */
#define CONFIG_DAYS_ALL 0x7Fu
#define CONFIG_DAYS_WORKDAY (1u << 7)
#define CONFIG_DAYS_RESTDAY (1u << 8)
#define CONFIG_DAYS_HOLIDAY (1u << 9)
#define CONFIG_DAYS_CALENDAR (CONFIG_DAYS_WORKDAY | CONFIG_DAYS_RESTDAY | CONFIG_DAYS_HOLIDAY)

/* `lunar`: the days of the Chinese lunar calendar a message plays on,
 * every year (docs/config.md). A lunar date is the key
 * (month * 2 + leap) * 32 + day, so that 闰五月 sorts after 五月 and
 * before 六月, and a plain month never equals its leap month. */
#define CONFIG_MAX_LUNAR 16
#define CONFIG_LUNAR_KEY(month, leap, day) ((uint16_t)((((month) * 2 + ((leap) ? 1 : 0)) * 32) + (day)))

enum config_lunar_kind {
    CONFIG_LUNAR_RANGE,         /* from..to, both included; wraps past 腊月 when to < from */
    CONFIG_LUNAR_TERM,          /* the day of solar term `term` (lunar.h: 0 = 小寒) */
    CONFIG_LUNAR_EVE,           /* 除夕: the last day of 腊月, its 廿九 or 三十 */
};

struct config_lunar_item {
    uint8_t kind;               /* enum config_lunar_kind */
    uint8_t term;
    bool eve;                   /* a range that starts on 除夕: that day too */
    uint16_t from, to;          /* CONFIG_LUNAR_KEY */
};

struct config_lunar {
    size_t count;               /* 0: unset, any day */
    struct config_lunar_item item[CONFIG_MAX_LUNAR];
    const char *file;           /* where `lunar =` is, for check's warnings */
    int line;
};

struct config_message {
    const char *id;
    const char *headline;
    const char *summary;        /* "" when none; a summary_file's text lands here */
    uint32_t color;             /* 0xRRGGBB */
    int priority;               /* 0-100 */
    int repeat;                 /* copies per cycle, >= 1 */
    bool emergency;
    bool enabled;
    struct config_when from, until;
    uint16_t days;
    struct config_hours hours;  /* count 0 = all day */
    struct config_lunar lunar;  /* count 0 = any day; else also one of these (AND with days) */
    const char *file;           /* where its [message ID] header is */
    int line;
    size_t index;               /* order of appearance, includes where they stand */
};

/* The coverage check behind check's "no configured font covers" warning.
 * The schedule knows no fonts: the caller (cmd_check) supplies this. It
 * stores up to `max` distinct code points of `utf8` that no font of the
 * display's chain covers in `cps` and returns how many there are in all. */
typedef size_t (*config_uncovered_fn)(void *user, const struct config_display *display,
                                      const char *utf8, size_t len,
                                      uint32_t *cps, size_t max);

/* Whether a value names something that exists, for keys whose names
 * belong to other modules ([display] output and board). The schedule is
 * text and time: the caller (the CLI) supplies these. Returns 0, or -1
 * after writing why into `why` (the config adds file and line). */
typedef int (*config_check_fn)(void *user, const char *value, char *why, size_t len);

/* The check behind check's "shows nothing" colour warning. The schedule
 * knows no panels: the caller (cmd_check) says whether the display's panel
 * shows text of colour 0xRRGGBB. NULL when it does, else why not (a short
 * phrase, valid until the next call). */
typedef const char *(*config_unlit_fn)(void *user, const struct config_display *display,
                                       uint32_t rgb);

/* The check behind check's clock warning. The schedule knows no panels or
 * fonts: the caller (cmd_check) says whether the display's clock format
 * fits its board. NULL when it does, else what shows instead and why (a
 * short phrase, valid until the next call). */
typedef const char *(*config_clock_fit_fn)(void *user, const struct config_display *display);

/* The kiosk's [fleet] section (issue #13; docs/fleet.md). Paths are
 * resolved against the config file's directory. */
struct config_fleet {
    const char *broker;         /* mqtts://HOST[:PORT] or mqtt://HOST[:PORT] */
    const char *site;           /* [a-z0-9][a-z0-9_-]{0,62} */
    const char *ca_file;        /* "" = the system's CAs */
    const char *username;       /* the site name unless set */
    const char *password_file;  /* "" = none */
    const char *cache_dir;      /* default /var/lib/ledticker/fleet */
    const char *const *public_keys;     /* .pub files, at least one */
    size_t public_key_count;
};

/* A fleet bundle laid over the local config, after it, in order. It may
 * hold [message ID] and [calendar YEAR] sections (its year replaces the
 * shipped and the local one), never [display] or [fleet]; its includes
 * and summary files must stay inside its root's directory; a message ID
 * it shares with the local config or an earlier layer is an error that
 * names both places. A root that does not exist is an absent layer. */
struct config_layer {
    const char *path;           /* the bundle's root (bundle.ini) */
    const char *name;           /* for messages: "fleet bundle 'all'" */
};

struct calendar;

struct config_options {
    time_t now;                 /* for "expired" warnings; 0 = no such warnings */
    config_check_fn check_board;    /* NULL = only the name's syntax is checked */
    config_check_fn check_output;   /* NULL = any value is passed on */
    void *check_user;
    config_uncovered_fn uncovered;  /* NULL = no coverage warnings */
    void *uncovered_user;
    config_unlit_fn unlit;      /* NULL = no colour warnings */
    void *unlit_user;
    config_clock_fit_fn clock_fit;  /* NULL = no clock width warnings */
    void *clock_fit_user;
    bool sandbox;               /* read no other file: no includes, no summary_file (fuzzing) */
    /* The shipped statutory calendar (read by the CLI from the data
     * directory); NULL = none. Borrowed: it must outlive every config
     * loaded with it. A config's own [calendar YEAR] replaces its year. */
    const struct calendar *calendar;
    const struct config_layer *layers;  /* read after the file, in order */
    size_t layer_count;
};

struct config;

/* Loads and validates `path`. On CONFIG_OK *out is the config; on any error
 * every problem has been reported through `d` and *out is NULL. */
int  config_load(struct config **out, const char *path,
                 const struct config_options *opt, const struct diag *d);
/* The same for text in memory; `name` is the file name used in messages
 * and the anchor for includes and summary_file. */
int  config_parse(struct config **out, const char *name, const char *text, size_t len,
                  const struct config_options *opt, const struct diag *d);
void config_free(struct config *cfg);

const struct config_display *config_display(const struct config *cfg);
size_t config_message_count(const struct config *cfg);
/* The statutory calendar the config plays by: its own [calendar YEAR]
 * sections over the shipped calendar of its options. Never NULL. */
const struct calendar *config_calendar(const struct config *cfg);
/* Whether any message's days name workday, restday or holiday. */
bool config_uses_calendar(const struct config *cfg);
/* Whether any message has a `lunar` key. */
bool config_uses_lunar(const struct config *cfg);
const struct config_message *config_message_at(const struct config *cfg, size_t i);
/* The message with this ID, or NULL. */
const struct config_message *config_message_find(const struct config *cfg, const char *id);

/* The [fleet] section, or NULL when the config has none. */
const struct config_fleet *config_fleet(const struct config *cfg);

/* Every file the config read, layers included: the root, includes and
 * summary files, as real paths, each once (what `publish` packs). */
size_t config_file_count(const struct config *cfg);
const char *config_file_at(const struct config *cfg, size_t i);

/* What to watch for reload: (directory, name or glob) pairs covering the
 * file, its includes, include patterns and summary files. */
size_t config_watch_count(const struct config *cfg);
void   config_watch_at(const struct config *cfg, size_t i, const char **dir, const char **pattern);
/* Whether a file or include directory this config was read from differs
 * on disk now from what was read (a save that landed during the load). */
bool   config_changed_on_disk(const struct config *cfg);

/* The key table, for docs and `check --keys`. */
struct config_key_info {
    const char *section;        /* "display", "message", "fleet" */
    const char *key;
    const char *type;           /* what the value looks like */
    const char *def;            /* default as written in the file; NULL = required/none */
    const char *doc;            /* one line */
};
size_t config_key_count(void);
void   config_key_at(size_t i, struct config_key_info *info);

const char *config_strerror(int err);

#endif
