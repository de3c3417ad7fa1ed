/* config_internal.h — what the config reader's files share:
 *   config.c          sections, message IDs, validation, loading
 *   config_keys.c     the key table
 *   config_value.c    the value parsers (numbers, colours, dates, hours...)
 *   config_summary.c  reading summary_file
 *   config_fleet.c    the [fleet] section's values and checks
 *   config_layer.c    fleet bundles laid over the config; the files read
 *   config_lunar.c    the `lunar` key's values (dates, ranges, terms, festivals)
 *   config_placeholder.c  the placeholders of a message's text: checks, and
 *                     a countdown's end as the message's until
 * Not for use outside src/schedule/. */
#ifndef LEDTICKER_CONFIG_INTERNAL_H
#define LEDTICKER_CONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "schedule/config.h"
#include "util/ini.h"

/* A fleet bundle's document, laid over the config (config_layer.c). */
struct config_layer_doc {
    struct ini_doc *doc;
    const char *name;                   /* "fleet bundle 'all'" */
    const char *dir;                    /* real path of its root's directory */
};

struct config {
    struct ini_doc *doc;                /* owns every string */
    struct config_display display;
    struct config_message *messages;
    size_t nmessages, capmessages;
    size_t *hash;                       /* message index + 1 by ID, open addressing */
    size_t hashcap;
    struct calendar *calendar;          /* own [calendar YEAR] sections over the shipped one */
    struct config_fleet fleet;
    bool has_fleet;
    const char **fleet_keys;            /* public_key paths (interned) */
    size_t nfleet_keys, capfleet_keys;
    bool fleet_key_written;     /* a public_key line, good or not (one error per mistake) */
    struct config_layer_doc *layers;
    size_t nlayers;
    struct calendar **layer_calendars;  /* one per layer, each over the one below */
    size_t nlayer_calendars;
    const char **files;                 /* config_file_at */
    size_t nfiles;
};

/* ---- parsing context ------------------------------------------------- */

struct pctx {
    struct config *cfg;
    const struct config_options *opt;
    const struct diag *d;
    const struct config_key *k;
    const struct config_layer_doc *layer;   /* the layer being read; NULL = the local config */
    const char *file;                   /* NULL while applying defaults */
    int line;
    int errors;
};

typedef int (*parse_fn)(struct pctx *c, const char *value, void *field);

struct config_key {
    const char *section;
    const char *name;
    parse_fn parse;
    long min, max;
    const char *def;                    /* parsed by `parse` itself; NULL = no default */
    size_t offset;
    const char *type, *doc;
    unsigned flags;                     /* CONFIG_KEY_* */
};

#define CONFIG_KEY_REPEAT 1u            /* may be given more than once (public_key) */

/* The parser's field, as its real type. */
#define FIELD(type) (*(type *)field)

/* config.c: errors count against the load; warnings do not. */
void config_perr(struct pctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void config_pwarn(struct pctx *c, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A copy of s that lives as long as the config. */
const char *config_intern(struct pctx *c, const char *s);

/* config_placeholder.c: checks a message's placeholders (after its keys
 * are read) and ends it with its countdown day. */
void config_check_placeholders(struct pctx *c, struct config_message *m,
                               const struct ini_entry **seen);

/* config_keys.c: the table, and a key's row (CONFIG_KEYS_COUNT if unknown). */
#define CONFIG_KEYS_COUNT 44
extern const struct config_key *const config_keys_table;
size_t config_keys_index(const char *section, const char *name);

/* config_value.c: one parser per kind of value, and the text helpers. */
char *config_value_normalize(const char *s);
char *config_value_skip_space(const char *s);
void config_value_trim_end(char *s);
/* `v` relative to the file that names it (c->file), as a string the
 * config keeps; an absolute `v` as it is. */
const char *config_value_path_near(struct pctx *c, const char *v);
int config_value_text(struct pctx *c, const char *v, void *field);
int config_value_int(struct pctx *c, const char *v, void *field);
int config_value_bool(struct pctx *c, const char *v, void *field);
int config_value_color(struct pctx *c, const char *v, void *field);
int config_value_from(struct pctx *c, const char *v, void *field);
int config_value_until(struct pctx *c, const char *v, void *field);
int config_value_days(struct pctx *c, const char *v, void *field);
int config_value_hours(struct pctx *c, const char *v, void *field);
int config_value_output(struct pctx *c, const char *v, void *field);
int config_value_font(struct pctx *c, const char *v, void *field);
int config_value_mode(struct pctx *c, const char *v, void *field);
int config_value_speed(struct pctx *c, const char *v, void *field);
int config_value_board(struct pctx *c, const char *v, void *field);
int config_value_idle(struct pctx *c, const char *v, void *field);
int config_value_seconds_ms(struct pctx *c, const char *v, void *field);
int config_value_gamma(struct pctx *c, const char *v, void *field);
int config_value_rows(struct pctx *c, const char *v, void *field);
int config_value_clock(struct pctx *c, const char *v, void *field);
int config_value_on_stop(struct pctx *c, const char *v, void *field);

/* config_summary.c */
int config_summary_file(struct pctx *c, const char *v, void *field);

/* config_lunar.c */
int config_value_lunar(struct pctx *c, const char *v, void *field);

/* config_fleet.c: the [fleet] values, and the section's check once read. */
int config_value_broker(struct pctx *c, const char *v, void *field);
int config_value_site(struct pctx *c, const char *v, void *field);
int config_value_file(struct pctx *c, const char *v, void *field);
int config_value_dir(struct pctx *c, const char *v, void *field);
int config_value_public_key(struct pctx *c, const char *v, void *field);
void config_fleet_check(struct pctx *c, const char *file, int line);

/* config_layer.c */
int config_layers_load(struct config *cfg, const struct config_options *opt,
                       const struct diag *d);
/* A calendar for the next layer, over the one below; NULL when out of memory. */
struct calendar *config_layer_calendar_push(struct config *cfg);
/* The calendar [calendar YEAR] sections go into now (the top one). */
struct calendar *config_calendar_top(const struct config *cfg);
bool config_layer_inside(const struct config_layer_doc *l, const char *path);
int config_files_collect(struct config *cfg);
bool config_layers_changed_on_disk(const struct config *cfg);
void config_layers_free(struct config *cfg);


#endif
