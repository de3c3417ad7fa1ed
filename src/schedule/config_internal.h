/* config_internal.h — what the config reader's files share:
 *   config.c          sections, message IDs, validation, loading
 *   config_keys.c     the key table
 *   config_value.c    the value parsers (numbers, colours, dates, hours...)
 *   config_summary.c  reading summary_file
 *   config_placeholder.c  the placeholders of a message's text: checks, and
 *                     a countdown's end as the message's until
 * Not for use outside src/schedule/. */
#ifndef LEDTICKER_CONFIG_INTERNAL_H
#define LEDTICKER_CONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "schedule/config.h"
#include "util/ini.h"

struct config {
    struct ini_doc *doc;                /* owns every string */
    struct config_display display;
    struct config_message *messages;
    size_t nmessages, capmessages;
    size_t *hash;                       /* message index + 1 by ID, open addressing */
    size_t hashcap;
    struct calendar *calendar;          /* own [calendar YEAR] sections over the shipped one */
};

/* ---- parsing context ------------------------------------------------- */

struct pctx {
    struct config *cfg;
    const struct config_options *opt;
    const struct diag *d;
    const struct config_key *k;
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
};

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
#define CONFIG_KEYS_COUNT 36
extern const struct config_key *const config_keys_table;
size_t config_keys_index(const char *section, const char *name);

/* config_value.c: one parser per kind of value, and the text helpers. */
char *config_value_normalize(const char *s);
char *config_value_skip_space(const char *s);
void config_value_trim_end(char *s);
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


#endif
