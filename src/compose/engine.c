#include "compose/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compose/layout.h"
#include "compose/light.h"
#include "compose/pacing.h"
#include "compose/timeline.h"

/* A pass seen on screen and not yet over. */
struct tracked {
    uint32_t key;
    int64_t start, end;
    bool partial;           /* already under way when the panel started showing */
    char id[64];
};

struct engine {
    struct engine_params p;
    struct engine_source src;
    struct diag diag;
    struct layout lay;
    struct timeline *tl;
    struct timeline_item *items;
    int items_cap;
    struct light light;
    double light_brightness;
    bool light_ready;
    struct engine *prev;        /* the engine of the config before a reload */
    struct tracked track[TIMELINE_MAX_VISIBLE];
    int ntrack;
    bool shown;             /* a frame has been shown since start or the off hours */
    struct timeline_state st;
    int warned_keys;
    enum engine_clock clock;    /* the format shown: p.clock, or a narrower fallback */
};

static const struct engine_message *lookup(const struct engine *e, uint32_t key)
{
    for (; e; e = e->prev) {
        const struct engine_message *m = e->src.message(e->src.user, key);
        if (m)
            return m;
    }
    return NULL;
}

static const struct bitmap *scroll_strip(const struct engine *e, const struct engine_message *m)
{
    return e->lay.two_rows ? m->summary : m->line;
}

static int64_t tl_prev_change(void *user, int64_t t)
{
    struct engine *e = user;
    return e->src.prev_change(e->src.user, t);
}

static int tl_playlist_at(void *user, int64_t t, struct timeline_playlist *out)
{
    struct engine *e = user;
    struct engine_playlist pl = { 0 };
    if (e->src.playlist_at(e->src.user, t, &pl) < 0 || pl.count < 0)
        return -1;
    if (pl.count > e->items_cap) {
        struct timeline_item *grown = realloc(e->items, (size_t)pl.count * sizeof *grown);
        if (!grown)
            return -1;
        e->items = grown;
        e->items_cap = pl.count;
    }
    int n = 0;
    for (int i = 0; i < pl.count; i++) {
        const struct engine_message *m = e->src.message(e->src.user, pl.keys[i]);
        if (!m) {
            if (e->warned_keys++ < 3)
                diag_warn(&e->diag, "the schedule named message key %u, which has no strip",
                          (unsigned)pl.keys[i]);
            continue;
        }
        const struct bitmap *b = scroll_strip(e, m);
        e->items[n++] = (struct timeline_item){ .key = m->key, .width = b ? b->width : 0,
                                                .hold = m->hold > 0 ? m->hold : 0 };
    }
    out->emergency = pl.emergency;
    out->count = n;
    out->items = e->items;
    return 0;
}

static int text_width(const struct engine *e, const char *s)
{
    const struct bitmap *b = e->src.text ? e->src.text(e->src.user, s) : NULL;
    return b ? b->width : 0;
}

/* The widest text of each clock format: its zone is this wide. */
static const char *clock_sample(enum engine_clock c)
{
    switch (c) {
    case ENGINE_CLOCK_TIME: return "88:88";
    case ENGINE_CLOCK_DATE: return "12月28日 星期三";
    case ENGINE_CLOCK_LUNAR: return "闰十月廿三";
    case ENGINE_CLOCK_DATE_LUNAR: return "12月28日 闰十月廿三";
    case ENGINE_CLOCK_NONE: break;
    }
    return "";
}

/* The next narrower format, keeping the lunar date while it fits. */
static enum engine_clock clock_narrower(enum engine_clock c)
{
    switch (c) {
    case ENGINE_CLOCK_DATE_LUNAR: return ENGINE_CLOCK_LUNAR;
    case ENGINE_CLOCK_LUNAR: return ENGINE_CLOCK_TIME;
    case ENGINE_CLOCK_DATE: return ENGINE_CLOCK_TIME;
    default: return ENGINE_CLOCK_NONE;
    }
}

const char *engine_clock_name(enum engine_clock c)
{
    switch (c) {
    case ENGINE_CLOCK_TIME: return "time";
    case ENGINE_CLOCK_DATE: return "date";
    case ENGINE_CLOCK_LUNAR: return "lunar";
    case ENGINE_CLOCK_DATE_LUNAR: return "date_lunar";
    case ENGINE_CLOCK_NONE: break;
    }
    return "none";
}

enum engine_clock engine_clock_fit(const struct engine_params *p,
                                   int (*measure)(void *user, const char *utf8), void *user,
                                   int *need, int *room)
{
    struct layout_params lp = { .width = p->width, .height = p->height, .pad = 2 };
    if (p->label && *p->label)
        lp.label_width = measure(user, p->label);
    *room = layout_clock_room(&lp);
    *need = p->clock ? measure(user, clock_sample(p->clock)) : 0;
    for (enum engine_clock c = p->clock; c != ENGINE_CLOCK_NONE; c = clock_narrower(c))
        if ((c == p->clock ? *need : measure(user, clock_sample(c))) <= *room)
            return c;
    return p->clock;
}

static int measure_text(void *user, const char *utf8)
{
    return text_width(user, utf8);
}

int engine_new(struct engine **out, const struct engine_params *p,
               const struct engine_source *src, const struct diag *d)
{
    *out = NULL;
    if (!p || !src || !src->prev_change || !src->playlist_at || !src->message ||
        p->width <= 0 || p->height <= 0 || p->row_height <= 0)
        return ENGINE_ERR_INVALID;
    struct engine *e = calloc(1, sizeof *e);
    if (!e)
        return ENGINE_ERR_NO_MEM;
    e->p = *p;
    e->src = *src;
    if (d)
        e->diag = *d;

    struct layout_params lp = { .width = p->width, .height = p->height,
                                .row_height = p->row_height, .pad = 2,
                                .allow_two_rows = p->two_rows };
    if (p->label && *p->label) {
        lp.label_width = text_width(e, p->label);
        if (!lp.label_width)
            diag_warn(&e->diag, "label '%s' could not be rendered; no label zone", p->label);
    }
    int need, room;
    e->clock = engine_clock_fit(p, measure_text, e, &need, &room);
    if (e->clock != p->clock)
        diag_warn(&e->diag, "clock = %s needs %d px and the %dx%d panel has %d px for it: "
                  "it shows clock = %s instead", engine_clock_name(p->clock), need, p->width,
                  p->height, room > 0 ? room : 0, engine_clock_name(e->clock));
    lp.clock_width = e->clock ? text_width(e, clock_sample(e->clock)) : 0;
    if (layout_compute(&lp, &e->lay) != 0) {
        diag_error(&e->diag, "the label and clock zones leave no room to scroll on a %dx%d panel",
                   p->width, p->height);
        free(e);
        return ENGINE_ERR_INVALID;
    }
    light_init(&e->light, 1, p->gamma, p->host_light);
    struct timeline_params tp = { .width = e->lay.scroll.w, .gap = p->gap > 0 ? p->gap : 1,
                                  .speed = p->speed };
    struct timeline_source ts = { e, tl_prev_change, tl_playlist_at };
    int rc = timeline_new(&e->tl, &tp, &ts);
    if (rc) {
        free(e);
        return rc == TIMELINE_ERR_NO_MEM ? ENGINE_ERR_NO_MEM : ENGINE_ERR_INVALID;
    }
    *out = e;
    return ENGINE_OK;
}

void engine_free(struct engine *e)
{
    while (e) {
        struct engine *prev = e->prev;
        timeline_free(e->tl);
        free(e->items);
        if (e->src.release)
            e->src.release(e->src.user);
        free(e);
        e = prev;
    }
}

/* The clock's text at t in format `kind` ("14:05", "3月2日 星期一",
 * "十月廿三", "12月1日 十月廿三"). The lunar part comes from the source;
 * without it the Gregorian date stands in. */
static void clock_text(const struct engine *e, enum engine_clock kind, int64_t t, char *buf,
                       size_t size)
{
    static const char *const weekday[] = { "日", "一", "二", "三", "四", "五", "六" };
    time_t s = (time_t)(t / PACING_NS_PER_SEC);
    struct tm tm;
    localtime_r(&s, &tm);
    char lunar[32];
    bool has_lunar = (kind == ENGINE_CLOCK_LUNAR || kind == ENGINE_CLOCK_DATE_LUNAR) &&
                     e->src.lunar_text && e->src.lunar_text(e->src.user, t, lunar, sizeof lunar) == 0;
    if (kind == ENGINE_CLOCK_LUNAR && has_lunar)
        snprintf(buf, size, "%s", lunar);
    else if (kind == ENGINE_CLOCK_LUNAR)
        snprintf(buf, size, "%d月%d日", tm.tm_mon + 1, tm.tm_mday);
    else if (kind == ENGINE_CLOCK_DATE_LUNAR && has_lunar)
        snprintf(buf, size, "%d月%d日 %s", tm.tm_mon + 1, tm.tm_mday, lunar);
    else if (kind == ENGINE_CLOCK_DATE || kind == ENGINE_CLOCK_DATE_LUNAR)
        snprintf(buf, size, "%d月%d日 星期%s", tm.tm_mon + 1, tm.tm_mday, weekday[tm.tm_wday]);
    else
        snprintf(buf, size, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

static void draw_text_centred(struct engine *e, struct frame *f, const struct blend_rect *zone,
                              const char *text, struct blend_rgb color)
{
    const struct bitmap *b = e->src.text ? e->src.text(e->src.user, text) : NULL;
    if (!b)
        return;
    blend_strip(f, zone, b, (zone->w - b->width) / 2, layout_center_y(zone->h, b->height),
                color, false);
}

static void draw_idle(struct engine *e, struct frame *f, int64_t t)
{
    if (e->p.idle == ENGINE_IDLE_BLANK)
        return;
    struct blend_rect zone = e->lay.scroll;
    if (e->lay.two_rows) {      /* the whole middle, both rows */
        zone.y = 0;
        zone.h = e->p.height;
    }
    if (e->p.idle == ENGINE_IDLE_TEXT && e->p.idle_text) {
        draw_text_centred(e, f, &zone, e->p.idle_text, e->p.idle_color);
        return;
    }
    char buf[64], when[32];
    clock_text(e, ENGINE_CLOCK_DATE, t, buf, sizeof buf);
    clock_text(e, ENGINE_CLOCK_TIME, t, when, sizeof when);
    size_t n = strlen(buf);
    snprintf(buf + n, sizeof buf - n, " %s", when);
    const struct bitmap *b = e->src.text ? e->src.text(e->src.user, buf) : NULL;
    if (b && b->width > zone.w)
        draw_text_centred(e, f, &zone, when, e->p.idle_color);
    else
        draw_text_centred(e, f, &zone, buf, e->p.idle_color);
}

static void draw_messages(struct engine *e, struct frame *f, const struct timeline_state *st)
{
    const struct blend_rect *zone = &e->lay.scroll;
    for (int i = 0; i < st->count; i++) {
        const struct timeline_view *v = &st->view[i];
        const struct engine_message *m = lookup(e, v->key);
        const struct bitmap *b = m ? scroll_strip(e, m) : NULL;
        if (!b)
            continue;
        blend_strip(f, zone, b, v->x, layout_center_y(zone->h, b->height), m->color,
                    e->p.smooth);
    }
    if (!e->lay.two_rows || st->count == 0)
        return;
    /* The top row names the oldest message still scrolling below. */
    const struct timeline_view *v = &st->view[0];
    const struct engine_message *m = lookup(e, v->key);
    if (!m || !m->headline)
        return;
    const struct blend_rect *top = &e->lay.headline;
    double copy_x;
    double x = layout_headline_x(top->w, m->headline->width, e->p.gap, e->p.speed,
                                 st->t - v->pass_start, &copy_x);
    int y = layout_center_y(top->h, m->headline->height);
    blend_strip(f, top, m->headline, x, y, m->color, e->p.smooth);
    if (copy_x < top->w)
        blend_strip(f, top, m->headline, copy_x, y, m->color, e->p.smooth);
}

/* Compares the passes visible now with those of the last frame: one that
 * is gone and whose end has come completed; one that is gone early was
 * pre-empted and is not counted. */
static void track_passes(struct engine *e, const struct timeline_state *st, bool visible,
                         struct engine_info *info)
{
    struct tracked now[TIMELINE_MAX_VISIBLE];
    int n = 0;
    for (int i = 0; visible && i < st->count; i++) {
        const struct timeline_view *v = &st->view[i];
        struct tracked *tr = &now[n++];
        tr->key = v->key;
        tr->start = v->pass_start;
        tr->end = v->pass_end;
        /* A pass already scrolling on the first frame shown (at start, or
         * after the off hours) was not seen whole: it is not proof of play. */
        tr->partial = !e->shown;
        for (int j = 0; j < e->ntrack; j++)
            if (e->track[j].key == v->key && e->track[j].start == v->pass_start)
                tr->partial = e->track[j].partial;
        tr->id[0] = '\0';
        const struct engine_message *m = lookup(e, v->key);
        if (m && m->id)
            snprintf(tr->id, sizeof tr->id, "%s", m->id);
    }
    e->shown = visible;
    for (int j = 0; j < e->ntrack; j++) {
        const struct tracked *old = &e->track[j];
        bool still = false;
        for (int i = 0; i < n && !still; i++)
            still = now[i].key == old->key && now[i].start == old->start;
        if (still || old->partial || st->t < old->end || info->passes >= ENGINE_MAX_PASSES)
            continue;
        struct engine_pass *ps = &info->pass[info->passes++];
        ps->key = old->key;
        ps->start = old->start;
        ps->end = old->end;
        memcpy(ps->id, old->id, sizeof ps->id);
    }
    memcpy(e->track, now, (size_t)n * sizeof *now);
    e->ntrack = n;
}

void engine_wall_jumped(struct engine *e)
{
    /* As after the off hours: nothing tracked, the next frame's passes partial. */
    e->ntrack = 0;
    e->shown = false;
}

int engine_frame(struct engine *e, int64_t t, struct frame *f, struct engine_info *info)
{
    memset(info, 0, sizeof *info);
    frame_clear(f, 0, 0, 0);
    double brightness = 1;
    bool off = false;
    if (e->src.light_at)
        e->src.light_at(e->src.user, t, &brightness, &off);
    if (!e->light_ready || brightness != e->light_brightness) {
        light_init(&e->light, brightness, e->p.gamma, e->p.host_light);
        e->light_brightness = brightness;
        e->light_ready = true;
    }
    info->off = off;
    info->brightness = light_level(&e->light);

    struct timeline_state *st = &e->st;
    int rc = timeline_at(e->tl, t, st);
    if (rc)
        return rc == TIMELINE_ERR_NO_MEM ? ENGINE_ERR_NO_MEM : ENGINE_ERR_SOURCE;
    info->emergency = st->emergency;
    info->anchor = st->anchor;
    info->idle = !st->active && st->count == 0;
    track_passes(e, st, !off, info);

    /* Free the previous config once none of its passes is on screen. */
    if (e->prev) {
        bool needed = false;
        for (int i = 0; i < st->count && !needed; i++)
            needed = !e->src.message(e->src.user, st->view[i].key);
        if (!needed) {
            engine_free(e->prev);
            e->prev = NULL;
        }
    }
    if (off)
        return ENGINE_OK;

    if (e->lay.label.w)
        draw_text_centred(e, f, &e->lay.label, e->p.label, e->p.label_color);
    if (e->lay.clock.w) {
        char buf[64];
        clock_text(e, e->clock, t, buf, sizeof buf);
        draw_text_centred(e, f, &e->lay.clock, buf, e->p.clock_color);
    }
    if (info->idle)
        draw_idle(e, f, t);
    else
        draw_messages(e, f, st);
    light_apply(&e->light, f);
    return ENGINE_OK;
}

int engine_still(struct engine *e, const char *text, struct frame *f)
{
    frame_clear(f, 0, 0, 0);
    struct blend_rect all = { 0, 0, e->p.width, e->p.height };
    if (text && *text)
        draw_text_centred(e, f, &all, text, e->p.idle_color);
    light_apply(&e->light, f);
    return ENGINE_OK;
}

int engine_continue_from(struct engine *next, struct engine *prev, int64_t t)
{
    if (!next || !prev || next == prev)
        return ENGINE_ERR_INVALID;
    struct timeline_state *st = &prev->st;
    int rc = timeline_at(prev->tl, t, st);
    if (rc)
        return ENGINE_ERR_SOURCE;
    /* The reloaded engine may have a different zone width: positions are
     * kept relative to the zone's left edge. */
    rc = timeline_continue_from(next->tl, st);
    if (rc)
        return rc == TIMELINE_ERR_NO_MEM ? ENGINE_ERR_NO_MEM : ENGINE_ERR_INVALID;
    memcpy(next->track, prev->track, sizeof next->track);
    next->ntrack = prev->ntrack;
    next->shown = prev->shown;
    next->prev = prev;
    return ENGINE_OK;
}

const char *engine_strerror(int err)
{
    switch (err) {
    case ENGINE_OK: return "success";
    case ENGINE_ERR_INVALID: return "invalid engine parameters";
    case ENGINE_ERR_NO_MEM: return "out of memory";
    case ENGINE_ERR_SOURCE: return "the schedule could not say what plays";
    }
    return "unknown engine error";
}
