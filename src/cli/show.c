#include "cli/show.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/datadir.h"
#include "compose/pacing.h"
#include "schedule/civil.h"
#include "schedule/config.h"
#include "schedule/lunar.h"
#include "schedule/placeholder.h"
#include "schedule/reload.h"
#include "schedule/sched.h"
#include "text/strip.h"

#define TEXT_CACHE 8
/* key = generation << 20 | day parity << 19 | message index. The parity
 * is that of the local day a dated message's text was expanded for
 * (placeholder.h); 0 for the others. */
#define KEY_SHIFT 20
#define KEY_DAY (1u << 19)
#define KEY_INDEX (KEY_DAY - 1)

/* A message's strips for one local day, rendered on first use. */
struct show_strips {
    struct engine_message em;
    bool rendered;
    civil_day day;                      /* dated: the day its text was expanded for */
    struct bitmap line, headline, summary;
};

/* A message's strips: one set kept until the show goes, or for a dated
 * message (its text has placeholders) one set per day parity, so that
 * the day before's strips stay valid while the next day's are made. */
struct show_message {
    bool dated;
    struct show_strips day[2];
};

struct text_entry {
    char *text;
    struct bitmap b;
    uint64_t used;
};

struct show {
    const struct config *cfg;
    const struct sched *sched;
    struct config *own_cfg;             /* show_load: owned */
    struct sched *own_sched;
    struct reload_snapshot *snapshot;   /* show_from_snapshot: a reference */
    struct strip_renderer *renderer;
    struct diag diag;
    uint32_t generation;
    size_t count;
    struct show_message *msg;
    bool two_rows;
    int bpp;
    struct sched_playlist pl;
    uint32_t *keys;
    size_t keys_cap;
    /* prev_change is asked every frame: remember the current interval. */
    int64_t span_from, span_to;
    struct text_entry text[TEXT_CACHE];
    uint64_t text_clock;
    char *separator;
    struct lunar *lunar;                /* borrowed (show_use_lunar) or own */
    bool own_lunar;
    bool dated;                         /* an enabled message's text has placeholders */
    civil_day clock_lunar_day;          /* the lunar clock's text of that day */
    bool clock_lunar_known, clock_lunar_ok;
    char clock_lunar[32];
    bool out_of_memory;                 /* a strip could not be rendered for lack of memory */
};

static struct blend_rgb rgb_of(uint32_t c)
{
    return (struct blend_rgb){ (uint8_t)(c >> 16), (uint8_t)(c >> 8), (uint8_t)c };
}

static int render(struct show *s, const char *text, struct bitmap *out)
{
    memset(out, 0, sizeof *out);
    int rc = strip_render_text(s->renderer, text, strlen(text), s->bpp, out);
    if (rc == STRIP_ERR_NO_MEM)
        s->out_of_memory = true;        /* show_engine refuses the show: never a blank message */
    else if (rc)
        diag_warn(&s->diag, "cannot render '%.40s': %s", text, strip_strerror(rc));
    if (rc)
        memset(out, 0, sizeof *out);
    return rc;
}

static void free_strips(struct show_strips *m)
{
    free(m->line.data);
    free(m->headline.data);
    free(m->summary.data);
    memset(&m->line, 0, sizeof m->line);
    memset(&m->headline, 0, sizeof m->headline);
    memset(&m->summary, 0, sizeof m->summary);
}

/* The library leaks per object (lunar.h): a show makes one only when it
 * has none from its owner, and only once it is asked. */
static struct lunar *show_lunar(struct show *s)
{
    if (!s->lunar) {
        s->lunar = lunar_new();
        s->own_lunar = s->lunar != NULL;
    }
    return s->lunar;
}

/* The strips of a message's text expanded for `day` (placeholder.h), with
 * `l` answering {lunar} (NULL for a message without placeholders). */
static void render_message(struct show *s, struct show_strips *m, const struct config_message *cm,
                           civil_day day, struct lunar *l)
{
    free_strips(m);
    m->rendered = true;
    m->day = day;
    char *headline = NULL, *summary = NULL;
    if (placeholder_expand(cm->headline, day, l, &headline) ||
        placeholder_expand(cm->summary, day, l, &summary)) {
        s->out_of_memory = true;
    } else if (s->two_rows) {
        render(s, headline, &m->headline);
        render(s, summary, &m->summary);
    } else {
        size_t n = strlen(headline) + strlen(summary) + strlen(s->separator) + 16;
        char *joined = malloc(n);
        if (!joined) {
            s->out_of_memory = true;
        } else {
            if (*summary)
                snprintf(joined, n, "%s%s%s", headline, s->separator, summary);
            else
                snprintf(joined, n, "%s", headline);
            render(s, joined, &m->line);
            free(joined);
        }
    }
    free(headline);
    free(summary);
    m->em.line = &m->line;
    m->em.headline = &m->headline;
    m->em.summary = &m->summary;
}

static const struct engine_message *src_message(void *user, uint32_t key)
{
    struct show *s = user;
    if (key >> KEY_SHIFT != s->generation)
        return NULL;
    size_t i = key & KEY_INDEX;
    if (i >= s->count)
        return NULL;
    struct show_message *m = &s->msg[i];
    struct show_strips *st = &m->day[(key & KEY_DAY) != 0];
    if (m->dated && !st->rendered)
        return NULL;            /* its keys come from src_playlist_at, which renders the day's */
    if (!st->rendered)
        render_message(s, st, config_message_at(s->cfg, i), 0, NULL);
    return &st->em;
}

static time_t seconds_of(int64_t t)
{
    return (time_t)(t >= 0 ? t / PACING_NS_PER_SEC : (t + 1) / PACING_NS_PER_SEC - 1);
}

static civil_day local_day(int64_t t)
{
    civil_day day;
    int minute;
    civil_local(seconds_of(t), &day, &minute);
    return day;
}

/* With dated messages each local midnight is a playlist change too: the
 * timeline starts the day afresh (timeline.h), and the passes of the new
 * day are of its strips. */
static int64_t src_prev_change(void *user, int64_t t)
{
    struct show *s = user;
    if (t >= s->span_from && t < s->span_to)
        return s->span_from;
    time_t sec = seconds_of(t);
    time_t prev, next;
    bool has_prev = sched_prev_change(s->sched, sec, &prev) == SCHED_OK;
    bool has_next = sched_next_change(s->sched, sec, &next) == SCHED_OK;
    if (s->dated) {
        civil_day day = local_day(t);
        time_t midnight = civil_instant(day, 0), tomorrow = civil_instant(day + 1, 0);
        if (!has_prev || (midnight > prev && midnight <= sec)) {
            prev = midnight;
            has_prev = true;
        }
        if (!has_next || tomorrow < next) {
            next = tomorrow;
            has_next = true;
        }
    }
    if (!has_prev)
        return INT64_MIN;
    int64_t from = (int64_t)prev * PACING_NS_PER_SEC;
    if (has_next) {
        s->span_from = from;
        s->span_to = (int64_t)next * PACING_NS_PER_SEC;
    }
    return from;
}

/* Where a playlist's message sits in the config's message list. */
static size_t position_of(const struct show *s, const struct config_message *cm)
{
    if (cm->index < s->count && config_message_at(s->cfg, cm->index) == cm)
        return cm->index;
    for (size_t i = 0; i < s->count; i++)
        if (config_message_at(s->cfg, i) == cm)
            return i;
    return s->count;    /* unknown: src_message answers NULL */
}

static int src_playlist_at(void *user, int64_t t, struct engine_playlist *out)
{
    struct show *s = user;
    time_t sec = (time_t)(t >= 0 ? t / PACING_NS_PER_SEC : (t + 1) / PACING_NS_PER_SEC - 1);
    if (sched_playlist_at(s->sched, sec, &s->pl) != SCHED_OK)
        return -1;
    if (s->pl.count > s->keys_cap) {
        uint32_t *k = realloc(s->keys, s->pl.count * sizeof *k);
        if (!k)
            return -1;
        s->keys = k;
        s->keys_cap = s->pl.count;
    }
    civil_day day = local_day(t);
    for (size_t i = 0; i < s->pl.count; i++) {
        size_t at = position_of(s, s->pl.items[i]);
        uint32_t key = s->generation << KEY_SHIFT | (uint32_t)at;
        if (at < s->count && s->msg[at].dated) {
            /* The day's text: its strips are made now, before the timeline
             * asks for their width, and the other parity's stay valid. */
            struct show_strips *st = &s->msg[at].day[day & 1];
            if (!st->rendered || st->day != day)
                render_message(s, st, s->pl.items[i], day, show_lunar(s));
            key |= (day & 1) ? KEY_DAY : 0;
        }
        s->keys[i] = key;
    }
    out->emergency = s->pl.emergency;
    out->count = (int)s->pl.count;
    out->keys = s->keys;
    return 0;
}

static const struct bitmap *src_text(void *user, const char *utf8)
{
    struct show *s = user;
    struct text_entry *slot = &s->text[0];
    for (int i = 0; i < TEXT_CACHE; i++) {
        struct text_entry *e = &s->text[i];
        if (e->text && !strcmp(e->text, utf8)) {
            e->used = ++s->text_clock;
            return e->b.data ? &e->b : NULL;
        }
        if (!e->text || e->used < slot->used)
            slot = e;
    }
    free(slot->text);
    free(slot->b.data);
    slot->text = strdup(utf8);
    if (!slot->text || render(s, utf8, &slot->b) != 0)
        memset(&slot->b, 0, sizeof slot->b);
    slot->used = ++s->text_clock;
    return slot->b.data ? &slot->b : NULL;
}

/* Asked every frame: the library is asked once a day. */
static int src_lunar_text(void *user, int64_t t, char *buf, size_t size)
{
    struct show *s = user;
    civil_day day = local_day(t);
    if (!s->clock_lunar_known || s->clock_lunar_day != day) {
        struct lunar *l = show_lunar(s);
        s->clock_lunar_ok = l && placeholder_lunar(l, day, s->clock_lunar, sizeof s->clock_lunar) == 0;
        s->clock_lunar_day = day;
        s->clock_lunar_known = true;
    }
    if (s->clock_lunar_ok)
        snprintf(buf, size, "%s", s->clock_lunar);
    return s->clock_lunar_ok ? 0 : -1;
}

static void src_light_at(void *user, int64_t t, double *brightness, bool *off)
{
    struct show *s = user;
    struct sched_light l;
    sched_light_at(config_display(s->cfg), (time_t)(t / PACING_NS_PER_SEC), &l);
    *off = l.off;
    /* Off hours are the standby command, not brightness 0. */
    const struct config_display *d = config_display(s->cfg);
    *brightness = (l.night ? d->brightness_night : d->brightness) / 100.0;
}

void show_free(struct show *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->count; i++) {
        free_strips(&s->msg[i].day[0]);
        free_strips(&s->msg[i].day[1]);
    }
    for (int i = 0; i < TEXT_CACHE; i++) {
        free(s->text[i].text);
        free(s->text[i].b.data);
    }
    free(s->msg);
    free(s->keys);
    free(s->separator);
    sched_playlist_release(&s->pl);
    sched_free(s->own_sched);
    if (s->own_lunar)
        lunar_free(s->lunar);
    strip_free(s->renderer);
    config_free(s->own_cfg);
    if (s->snapshot)
        reload_snapshot_release(s->snapshot);
    free(s);
}

static void src_release(void *user)
{
    show_free(user);
}

/* Everything after the config and schedule: the renderer, the messages. */
static int show_prepare(struct show *s, const char *fonts_dir, const struct diag *d)
{
    const struct config_display *disp = config_display(s->cfg);
    char dir[PATH_MAX];
    if (datadir_find(DATADIR_FONTS, fonts_dir, NULL, dir, sizeof dir) != 0) {
        diag_error(d, "no fonts directory (with default.chain) found; searched %s", dir);
        return -1;
    }
    struct strip_options so = { .fonts_dir = dir, .families = *disp->font ? disp->font : NULL,
                                .size = disp->size, .height = disp->size,
                                .mode = disp->mode == CONFIG_MODE_GRAY ? STRIP_GRAY : STRIP_MONO,
                                .threads = 1 };
    int err = 0;
    s->renderer = strip_renderer_new(&so, d, &err);
    if (!s->renderer) {
        diag_error(d, "cannot set up the text renderer: %s", strip_strerror(err));
        return -1;
    }
    s->bpp = disp->mode == CONFIG_MODE_GRAY ? 8 : 1;
    size_t n = strlen(disp->separator) + 8;
    s->separator = malloc(n);
    s->count = config_message_count(s->cfg);
    s->msg = calloc(s->count + 1, sizeof *s->msg);
    if (!s->separator || !s->msg)
        return -1;
    /* Full-width spaces set the separator off from the text around it. */
    snprintf(s->separator, n, "%s%s%s", *disp->separator ? "\xE3\x80\x80" : "", disp->separator,
             *disp->separator ? "\xE3\x80\x80" : "\xE3\x80\x80");
    for (size_t i = 0; i < s->count; i++) {
        const struct config_message *cm = config_message_at(s->cfg, i);
        struct show_message *m = &s->msg[i];
        m->dated = placeholder_present(cm->headline) || placeholder_present(cm->summary);
        s->dated |= m->dated && cm->enabled;
        for (uint32_t p = 0; p < 2; p++) {
            struct engine_message *em = &m->day[p].em;
            em->key = s->generation << KEY_SHIFT | (p ? KEY_DAY : 0) | (uint32_t)i;
            em->id = cm->id;
            em->color = rgb_of(cm->color);
            em->hold = (int64_t)disp->hold_ms * 1000000;
        }
    }
    return 0;
}

static struct show *show_alloc(uint32_t generation, const struct diag *d)
{
    struct show *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    if (d)
        s->diag = *d;
    s->generation = generation & ((1u << (32 - KEY_SHIFT)) - 1);
    s->span_from = s->span_to = INT64_MIN;
    return s;
}

int show_load(struct show **out, const char *path, const char *fonts_dir,
              const struct config_options *opt, uint32_t generation, const struct diag *d)
{
    *out = NULL;
    struct show *s = show_alloc(generation, d);
    if (!s)
        return -1;
    if (config_load(&s->own_cfg, path, opt, d) != CONFIG_OK ||
        sched_new(&s->own_sched, s->own_cfg) != SCHED_OK) {
        show_free(s);
        return -1;
    }
    s->cfg = s->own_cfg;
    s->sched = s->own_sched;
    if (show_prepare(s, fonts_dir, d) != 0) {
        show_free(s);
        return -1;
    }
    *out = s;
    return 0;
}

int show_from_snapshot(struct show **out, struct reload_snapshot *snap, const char *fonts_dir,
                       const struct diag *d)
{
    *out = NULL;
    struct show *s = show_alloc(reload_snapshot_generation(snap), d);
    if (!s) {
        reload_snapshot_release(snap);
        return -1;
    }
    s->snapshot = snap;
    s->cfg = reload_snapshot_config(snap);
    s->sched = reload_snapshot_sched(snap);
    if (show_prepare(s, fonts_dir, d) != 0) {
        show_free(s);
        return -1;
    }
    *out = s;
    return 0;
}

int show_playing(const struct show *s, int64_t t, char *buf, size_t len, int64_t *since)
{
    time_t sec = (time_t)(t / PACING_NS_PER_SEC);
    time_t prev;
    *since = sched_prev_change(s->sched, sec, &prev) == SCHED_OK
             ? (int64_t)prev * PACING_NS_PER_SEC : INT64_MIN;
    struct sched_playlist pl = { 0 };
    if (sched_playlist_at(s->sched, sec, &pl) != SCHED_OK) {
        sched_playlist_release(&pl);
        return -1;
    }
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < pl.count && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", pl.items[i]->id);
    if (!pl.count)
        snprintf(buf, len, "nothing");
    else if (pl.emergency && used < len)
        snprintf(buf + used, len - used, " (emergency)");
    sched_playlist_release(&pl);
    return 0;
}

const struct config_display *show_display(const struct show *s)
{
    return config_display(s->cfg);
}

bool show_has_dated(const struct show *s)
{
    return s->dated;
}

void show_prepare_day(struct show *s, int64_t t, struct lunar *l)
{
    civil_day day = local_day(t);
    for (size_t i = 0; i < s->count; i++) {
        const struct config_message *cm = config_message_at(s->cfg, i);
        struct show_strips *st = &s->msg[i].day[day & 1];
        if (cm->enabled && s->msg[i].dated && (!st->rendered || st->day != day))
            render_message(s, st, cm, day, l ? l : show_lunar(s));
    }
}

void show_use_lunar(struct show *s, struct lunar *l)
{
    if (s->own_lunar)
        lunar_free(s->lunar);
    s->lunar = l;
    s->own_lunar = false;
}

enum engine_clock show_clock(enum config_clock c)
{
    switch (c) {
    case CONFIG_CLOCK_TIME: return ENGINE_CLOCK_TIME;
    case CONFIG_CLOCK_DATE: return ENGINE_CLOCK_DATE;
    case CONFIG_CLOCK_LUNAR: return ENGINE_CLOCK_LUNAR;
    case CONFIG_CLOCK_DATE_LUNAR: return ENGINE_CLOCK_DATE_LUNAR;
    case CONFIG_CLOCK_NONE: break;
    }
    return ENGINE_CLOCK_NONE;
}

int show_engine(struct show *s, const struct show_panel *panel, struct engine **out)
{
    const struct config_display *d = config_display(s->cfg);
    bool tall = panel->height >= 2 * d->size;
    if (d->rows == 2 && !tall)
        diag_warn(&s->diag, "rows = 2 needs a panel at least %d px tall (twice the size); "
                  "this one is %d: one row", 2 * d->size, panel->height);
    s->two_rows = d->rows != 1 && tall;
    double speed = d->speed.unit == CONFIG_SPEED_CPS ? d->speed.value * d->size : d->speed.value;
    struct engine_params p = {
        .width = panel->width, .height = panel->height, .row_height = d->size,
        .speed = speed, .gap = d->gap, .smooth = d->mode == CONFIG_MODE_GRAY,
        .two_rows = s->two_rows,
        .label = *d->label ? d->label : NULL, .label_color = rgb_of(d->label_color),
        .clock = show_clock(d->clock),
        .clock_color = rgb_of(d->clock_color),
        .idle = d->idle.kind == CONFIG_IDLE_TEXT ? ENGINE_IDLE_TEXT
              : d->idle.kind == CONFIG_IDLE_BLANK ? ENGINE_IDLE_BLANK : ENGINE_IDLE_CLOCK,
        .idle_text = d->idle.text, .idle_color = { 255, 176, 0 },
        .gamma = d->gamma_x100 / 100.0, .host_light = panel->host_light,
    };
    /* Every enabled message's strips now, once: nothing is rendered while
     * frames are due, and memory stays flat from the first frame on. A
     * dated message's are made for its day, when a playlist first names
     * it that day (a local midnight's first frame). */
    for (size_t i = 0; i < s->count; i++)
        if (config_message_at(s->cfg, i)->enabled && !s->msg[i].dated)
            src_message(s, s->msg[i].day[0].em.key);
    if (s->out_of_memory) {
        diag_error(&s->diag, "out of memory while rendering the messages");
        return ENGINE_ERR_NO_MEM;
    }
    struct engine_source src = { s, src_prev_change, src_playlist_at, src_message, src_text,
                                 src_light_at, src_release, src_lunar_text };
    int rc = engine_new(out, &p, &src, &s->diag);
    if (rc)
        diag_error(&s->diag, "cannot lay out the panel: %s", engine_strerror(rc));
    return rc;
}
