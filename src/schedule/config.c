/* config — sections, message IDs and the checks across keys; loading and
 * the accessors. The keys themselves are in config_keys.c, their values'
 * parsers in config_value.c and config_summary.c. */
#include "schedule/config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schedule/calendar.h"
#include "schedule/config_internal.h"
#include "util/suggest.h"

const char *config_strerror(int err)
{
    switch (err) {
    case CONFIG_OK: return "success";
    case CONFIG_ERR_INVALID: return "the config has errors";
    case CONFIG_ERR_IO: return "cannot read the config";
    case CONFIG_ERR_NO_MEM: return "out of memory";
    }
    return "unknown error";
}

void config_perr(struct pctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vemit(c->d, DIAG_ERROR, c->file, c->line, fmt, ap);
    va_end(ap);
    c->errors++;
}

void config_pwarn(struct pctx *c, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vemit(c->d, DIAG_WARN, file, line, fmt, ap);
    va_end(ap);
}

const char *config_intern(struct pctx *c, const char *s)
{
    return ini_intern(c->cfg->doc, s, strlen(s));
}

/* ---- sections --------------------------------------------------------- */

static const struct {
    const char *name;
    bool has_id;
} kinds[] = { { "display", false }, { "message", true }, { "fleet", false } };

#define NKINDS (sizeof kinds / sizeof kinds[0])

static void apply_defaults(struct pctx *c, const char *section, void *obj)
{
    const char *file = c->file;
    int line = c->line;
    c->file = NULL;
    c->line = 0;
    for (size_t i = 0; i < CONFIG_KEYS_COUNT; i++)
        if (!strcmp(config_keys_table[i].section, section) && config_keys_table[i].def) {
            c->k = &config_keys_table[i];
            config_keys_table[i].parse(c, config_keys_table[i].def, (char *)obj + config_keys_table[i].offset);
        }
    c->file = file;
    c->line = line;
}

static bool id_valid(const char *id)
{
    return *id && strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == strlen(id);
}

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

const struct config_message *config_message_find(const struct config *cfg, const char *id)
{
    if (!cfg->hashcap)
        return NULL;
    for (size_t i = hash_str(id) & (cfg->hashcap - 1);; i = (i + 1) & (cfg->hashcap - 1)) {
        if (!cfg->hash[i])
            return NULL;
        if (!strcmp(cfg->messages[cfg->hash[i] - 1].id, id))
            return &cfg->messages[cfg->hash[i] - 1];
    }
}

static int hash_insert(struct config *cfg, size_t index)
{
    if ((cfg->nmessages + 1) * 2 > cfg->hashcap) {
        size_t cap = cfg->hashcap ? cfg->hashcap * 2 : 64;
        size_t *h = calloc(cap, sizeof *h);
        if (!h)
            return -1;
        for (size_t j = 0; j < cfg->hashcap; j++)
            if (cfg->hash[j])
                for (size_t i = hash_str(cfg->messages[cfg->hash[j] - 1].id) & (cap - 1);; i = (i + 1) & (cap - 1))
                    if (!h[i]) {
                        h[i] = cfg->hash[j];
                        break;
                    }
        free(cfg->hash);
        cfg->hash = h;
        cfg->hashcap = cap;
    }
    for (size_t i = hash_str(cfg->messages[index].id) & (cfg->hashcap - 1);; i = (i + 1) & (cfg->hashcap - 1))
        if (!cfg->hash[i]) {
            cfg->hash[i] = index + 1;
            return 0;
        }
}

/* Per-message facts needed after all sections are read. */
struct msg_build {
    const struct ini_entry *seen[CONFIG_KEYS_COUNT];
};

struct build {
    struct pctx c;
    struct config_message message_defaults;     /* the table's defaults, parsed once */
    const struct ini_entry *display_seen[CONFIG_KEYS_COUNT];
    const struct ini_entry *fleet_seen[CONFIG_KEYS_COUNT];
    const char *fleet_file;                     /* the first [fleet] header */
    int fleet_line;
    struct msg_build *msgs;
    size_t capmsgs;
};

static void parse_entries(struct build *b, const struct ini_section *sec, const char *kind,
                          void *obj, const struct ini_entry **seen)
{
    struct pctx *c = &b->c;
    for (size_t i = 0; i < sec->count; i++) {
        const struct ini_entry *e = &sec->entries[i];
        c->file = e->file;
        c->line = e->line;
        size_t k = config_keys_index(kind, e->key);
        if (k == CONFIG_KEYS_COUNT) {
            struct suggest s = { e->key, NULL, 0 };
            for (size_t j = 0; j < CONFIG_KEYS_COUNT; j++)
                if (!strcmp(config_keys_table[j].section, kind))
                    suggest_try(&s, config_keys_table[j].name);
            if (s.best)
                config_perr(c, "unknown key '%s' in [%s]; did you mean '%s'?", e->key, kind, s.best);
            else
                config_perr(c, "unknown key '%s' in [%s]", e->key, kind);
            continue;
        }
        if (seen[k] && !(config_keys_table[k].flags & CONFIG_KEY_REPEAT)) {
            config_perr(c, "'%s' is already set at %s:%d", config_keys_table[k].name, seen[k]->file, seen[k]->line);
            continue;
        }
        seen[k] = e;
        c->k = &config_keys_table[k];
        config_keys_table[k].parse(c, e->value, (char *)obj + config_keys_table[k].offset);
    }
}

static void check_message(struct build *b, struct config_message *m, const struct ini_entry **seen)
{
    struct pctx *c = &b->c;
    size_t ks = config_keys_index("message", "summary"), kf = config_keys_index("message", "summary_file");
    size_t kfrom = config_keys_index("message", "from"), kuntil = config_keys_index("message", "until");
    if (!seen[config_keys_index("message", "headline")]) {
        c->file = m->file;
        c->line = m->line;
        config_perr(c, "message '%s' has no headline", m->id);
    }
    if (seen[ks] && seen[kf]) {
        const struct ini_entry *later = seen[ks]->line > seen[kf]->line ? seen[ks] : seen[kf];
        c->file = later->file;
        c->line = later->line;
        config_perr(c, "message '%s' sets both summary and summary_file; keep one", m->id);
    }
    if (m->from.set && m->until.set &&
        (int64_t)m->until.day * 1440 + m->until.minute <= (int64_t)m->from.day * 1440 + m->from.minute) {
        c->file = seen[kuntil]->file;
        c->line = seen[kuntil]->line;
        config_perr(c, "until '%s' is not after from '%s' (line %d)", seen[kuntil]->value,
             seen[kfrom]->value, seen[kfrom]->line);
    } else if (m->until.set && c->opt->now &&
               civil_instant(m->until.day, m->until.minute) <= c->opt->now)
        config_pwarn(c, seen[kuntil]->file, seen[kuntil]->line, "message '%s' has expired (until %s)",
              m->id, seen[kuntil]->value);
    config_check_placeholders(c, m, seen);
}

static void read_section(struct build *b, const struct ini_section *sec)
{
    struct pctx *c = &b->c;
    struct config *cfg = c->cfg;
    c->file = sec->file;
    c->line = sec->line;
    const char *sp = sec->name + strcspn(sec->name, " \t");
    char kind[64];
    snprintf(kind, sizeof kind, "%.*s", (int)(sp - sec->name), sec->name);
    const char *id = config_value_skip_space(sp);
    if (c->layer && (!strcasecmp(kind, "display") || !strcasecmp(kind, "fleet"))) {
        config_perr(c, "%s may not contain [%s]: it belongs to the kiosk's own config", c->layer->name, kind);
        return;
    }
    if (calendar_section_is(sec->name)) {
        int rc = calendar_read_section(config_calendar_top(cfg), sec, c->d);
        if (rc < 0)
            config_perr(c, "out of memory");
        c->errors += rc > 0 ? rc : 0;
        return;
    }
    size_t k = 0;
    while (k < NKINDS && strcasecmp(kinds[k].name, kind))
        k++;
    if (k == NKINDS) {
        struct suggest s = { kind, NULL, 0 };
        for (size_t j = 0; j < NKINDS; j++)
            suggest_try(&s, kinds[j].name);
        suggest_try(&s, "calendar");
        if (s.best)
            config_perr(c, "unknown section [%s]; did you mean [%s%s%s]?", sec->name, s.best, *id ? " " : "", id);
        else
            config_perr(c, "unknown section [%s]: sections are [display], [message ID], [calendar YEAR] and [fleet]", sec->name);
        return;
    }
    if (!kinds[k].has_id) {
        if (*id) {
            config_perr(c, "[%s] takes no name; write [%s]", sec->name, kinds[k].name);
            return;
        }
        if (!strcmp(kinds[k].name, "fleet")) {
            if (!cfg->has_fleet) {
                cfg->has_fleet = true;
                b->fleet_file = sec->file;
                b->fleet_line = sec->line;
            }
            parse_entries(b, sec, "fleet", &cfg->fleet, b->fleet_seen);
        } else {
            parse_entries(b, sec, "display", &cfg->display, b->display_seen);
        }
        return;
    }
    struct config_message scratch, *m = &scratch;
    bool keep = false;
    if (!*id)
        config_perr(c, "[%s] needs an ID: [message ID]", sec->name);
    else if (!id_valid(id))
        config_perr(c, "message ID '%s' may use only ASCII letters, digits, '-' and '_'", id);
    else if (config_message_find(cfg, id)) {
        const struct config_message *first = config_message_find(cfg, id);
        config_perr(c, "duplicate message ID '%s'%s%s (first defined at %s:%d)", id,
                    c->layer ? " in " : "", c->layer ? c->layer->name : "", first->file, first->line);
    } else
        keep = true;
    if (keep) {
        if (cfg->nmessages == cfg->capmessages) {
            size_t cap = cfg->capmessages ? cfg->capmessages * 2 : 16;
            void *p = realloc(cfg->messages, cap * sizeof *cfg->messages);
            void *q = realloc(b->msgs, cap * sizeof *b->msgs);
            if (p)
                cfg->messages = p;
            if (q)
                b->msgs = q;
            if (!p || !q) {
                config_perr(c, "out of memory");
                return;
            }
            cfg->capmessages = b->capmsgs = cap;
        }
        m = &cfg->messages[cfg->nmessages];
    }
    *m = b->message_defaults;
    m->id = config_intern(c, *id ? id : "?");
    m->file = sec->file;
    m->line = sec->line;
    m->index = cfg->nmessages;
    struct msg_build local = { 0 }, *mb = keep ? &b->msgs[cfg->nmessages] : &local;
    memset(mb, 0, sizeof *mb);
    if (keep) {
        if (hash_insert(cfg, cfg->nmessages) != 0) {
            config_perr(c, "out of memory");
            return;
        }
        cfg->nmessages++;
    }
    parse_entries(b, sec, "message", m, mb->seen);
    check_message(b, m, mb->seen);
}

static void coverage_warning(struct build *b, const char *what, const char *id,
                             const char *text, const struct ini_entry *where)
{
    struct pctx *c = &b->c;
    uint32_t cps[8];
    size_t n = c->opt->uncovered(c->opt->uncovered_user, &c->cfg->display, text, strlen(text), cps, 8);
    if (!n)
        return;
    char list[8 * 24] = "", *o = list;
    for (size_t i = 0; i < n && i < 8; i++)
        o += snprintf(o, sizeof list - (size_t)(o - list), "%sU+%04X", i ? ", " : "", (unsigned)cps[i]);
    config_pwarn(c, where ? where->file : NULL, where ? where->line : 0,
          "%s%s%s%s: %zu character%s no configured font covers: %s%s", id ? "message '" : "",
          id ? id : "", id ? "' " : "", what, n, n == 1 ? "" : "s", list, n > 8 ? ", ..." : "");
}

/* A colour the display's panel shows as nothing (cmd_check decides). */
static void colour_warning(struct build *b, const char *key, const char *id, uint32_t rgb,
                           const struct ini_entry *where, const char *file, int line)
{
    struct pctx *c = &b->c;
    const char *why = c->opt->unlit(c->opt->unlit_user, &c->cfg->display, rgb);
    if (!why)
        return;
    config_pwarn(c, where ? where->file : file, where ? where->line : line,
          "%s%s%s%s #%06X shows nothing: %s", id ? "message '" : "", id ? id : "",
          id ? "' " : "", key, (unsigned)rgb, why);
}

static void check_colours(struct build *b)
{
    struct config *cfg = b->c.cfg;
    size_t kc = config_keys_index("message", "color");
    for (size_t i = 0; i < cfg->nmessages; i++) {
        const struct config_message *m = &cfg->messages[i];
        colour_warning(b, "color", m->id, m->color, b->msgs[i].seen[kc], m->file, m->line);
    }
    const struct config_display *d = &cfg->display;
    if (*d->label)
        colour_warning(b, "label_color", NULL, d->label_color,
                       b->display_seen[config_keys_index("display", "label_color")], NULL, 0);
    if (d->clock != CONFIG_CLOCK_NONE)
        colour_warning(b, "clock_color", NULL, d->clock_color,
                       b->display_seen[config_keys_index("display", "clock_color")], NULL, 0);
}

/* A clock format too wide for the display's board (cmd_check decides). */
static void check_clock_fit(struct build *b)
{
    struct pctx *c = &b->c;
    if (c->cfg->display.clock == CONFIG_CLOCK_NONE)
        return;
    const char *why = c->opt->clock_fit(c->opt->clock_fit_user, &c->cfg->display);
    const struct ini_entry *where = b->display_seen[config_keys_index("display", "clock")];
    if (why && where)
        config_pwarn(c, where->file, where->line, "clock = %s %s", where->value, why);
}

static void check_coverage(struct build *b)
{
    struct config *cfg = b->c.cfg;
    size_t kh = config_keys_index("message", "headline"), ks = config_keys_index("message", "summary");
    size_t kf = config_keys_index("message", "summary_file"), ki = config_keys_index("display", "idle");
    for (size_t i = 0; i < cfg->nmessages; i++) {
        const struct config_message *m = &cfg->messages[i];
        const struct ini_entry **seen = b->msgs[i].seen;
        coverage_warning(b, "headline", m->id, m->headline ? m->headline : "", seen[kh]);
        if (*m->summary)
            coverage_warning(b, seen[kf] ? "summary_file" : "summary", m->id, m->summary,
                             seen[kf] ? seen[kf] : seen[ks]);
    }
    if (cfg->display.idle.kind == CONFIG_IDLE_TEXT)
        coverage_warning(b, "idle text", NULL, cfg->display.idle.text, b->display_seen[ki]);
}

static int build_config(struct config *cfg, const char *name, int ini_rc,
                        const struct config_options *opt, const struct diag *d)
{
    struct build b = { .c = { .cfg = cfg, .opt = opt, .d = d } };
    apply_defaults(&b.c, "display", &cfg->display);
    apply_defaults(&b.c, "message", &b.message_defaults);
    apply_defaults(&b.c, "fleet", &cfg->fleet);
    for (size_t i = 0; i < ini_section_count(cfg->doc); i++)
        read_section(&b, ini_section_at(cfg->doc, i));
    for (size_t l = 0; l < cfg->nlayers; l++) {
        b.c.layer = &cfg->layers[l];
        if (!config_layer_calendar_push(cfg))
            config_perr(&b.c, "out of memory");
        for (size_t i = 0; i < ini_section_count(cfg->layers[l].doc); i++)
            read_section(&b, ini_section_at(cfg->layers[l].doc, i));
    }
    b.c.layer = NULL;
    if (cfg->has_fleet)
        config_fleet_check(&b.c, b.fleet_file, b.fleet_line);
    if (opt->uncovered)
        check_coverage(&b);
    if (opt->unlit)
        check_colours(&b);
    if (opt->clock_fit)
        check_clock_fit(&b);
    if (cfg->nmessages == 0 && b.c.errors == 0 && ini_rc == INI_OK)
        diag_emit(d, DIAG_WARN, name, 0, "no [message ID] sections: only the idle display will show");
    for (size_t i = 0; i < cfg->nmessages; i++)
        if (!cfg->messages[i].headline)
            cfg->messages[i].headline = "";
    free(b.msgs);
    return b.c.errors || ini_rc != INI_OK ? CONFIG_ERR_INVALID : CONFIG_OK;
}

static int finish(struct config *cfg, const char *name, struct ini_doc *doc, int ini_rc,
                  const struct config_options *opt, const struct diag *d, struct config **out)
{
    *out = NULL;
    if (ini_rc == INI_ERR_IO) {
        free(cfg);                      /* the reader has freed its document */
        return CONFIG_ERR_IO;
    }
    if (ini_rc == INI_ERR_NO_MEM || !cfg) {
        ini_free(doc);
        free(cfg);
        return CONFIG_ERR_NO_MEM;
    }
    cfg->doc = doc;
    static const struct config_options none;
    if (!(cfg->calendar = calendar_new(opt ? opt->calendar : NULL))) {
        config_free(cfg);
        return CONFIG_ERR_NO_MEM;
    }
    int lrc = config_layers_load(cfg, opt, d);
    if (lrc == INI_ERR_NO_MEM) {
        config_free(cfg);
        return CONFIG_ERR_NO_MEM;
    }
    int rc = build_config(cfg, name, ini_rc != INI_OK ? ini_rc : lrc, opt ? opt : &none, d);
    if (rc == CONFIG_OK && config_files_collect(cfg) < 0)
        rc = CONFIG_ERR_NO_MEM;
    if (rc != CONFIG_OK) {
        config_free(cfg);
        return rc;
    }
    *out = cfg;
    return CONFIG_OK;
}

int config_load(struct config **out, const char *path, const struct config_options *opt,
                const struct diag *d)
{
    struct ini_doc *doc;
    int rc = ini_load(&doc, path, opt && opt->sandbox ? INI_NO_INCLUDE : 0, d);
    return finish(calloc(1, sizeof(struct config)), path, doc, rc, opt, d, out);
}

int config_parse(struct config **out, const char *name, const char *text, size_t len,
                 const struct config_options *opt, const struct diag *d)
{
    struct ini_doc *doc;
    int rc = ini_parse(&doc, name, text, len, opt && opt->sandbox ? INI_NO_INCLUDE : 0, d);
    return finish(calloc(1, sizeof(struct config)), name, doc, rc, opt, d, out);
}

void config_free(struct config *cfg)
{
    if (!cfg)
        return;
    config_layers_free(cfg);
    ini_free(cfg->doc);
    calendar_free(cfg->calendar);
    free(cfg->fleet_keys);
    free(cfg->messages);
    free(cfg->hash);
    free(cfg);
}

const struct config_display *config_display(const struct config *cfg)
{
    return &cfg->display;
}

const struct calendar *config_calendar(const struct config *cfg)
{
    return config_calendar_top(cfg);
}

bool config_uses_calendar(const struct config *cfg)
{
    for (size_t i = 0; i < cfg->nmessages; i++)
        if (cfg->messages[i].days & CONFIG_DAYS_CALENDAR)
            return true;
    return false;
}

bool config_uses_lunar(const struct config *cfg)
{
    for (size_t i = 0; i < cfg->nmessages; i++)
        if (cfg->messages[i].lunar.count)
            return true;
    return false;
}

size_t config_message_count(const struct config *cfg)
{
    return cfg->nmessages;
}

const struct config_message *config_message_at(const struct config *cfg, size_t i)
{
    return i < cfg->nmessages ? &cfg->messages[i] : NULL;
}

size_t config_watch_count(const struct config *cfg)
{
    return ini_watch_count(cfg->doc);
}

void config_watch_at(const struct config *cfg, size_t i, const char **dir, const char **pattern)
{
    ini_watch_at(cfg->doc, i, dir, pattern);
}

bool config_changed_on_disk(const struct config *cfg)
{
    return ini_changed_on_disk(cfg->doc) || config_layers_changed_on_disk(cfg);
}
