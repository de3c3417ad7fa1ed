/* ledticker schedule -c FILE --at T | --from T1 --to T2 [--json]:
 * what plays at a moment, or when the playlist changes over a period. */
#include "cli/cli.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cfgcheck.h"
#include "cli/fleetlayers.h"
#include "schedule/civil.h"
#include "schedule/config.h"
#include "schedule/lunar.h"
#include "schedule/placeholder.h"
#include "schedule/sched.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: ledticker schedule -c FILE --at \"YYYY-MM-DD HH:MM\" [--json] [--calendar-dir DIR]\n"
               "       ledticker schedule -c FILE --from \"YYYY-MM-DD HH:MM\" --to \"YYYY-MM-DD HH:MM\" [--json]\n"
               "Times are local (TZ). --at prints the playlist at that moment, in play order;\n"
               "--from/--to prints each moment the playlist changes. days = workday, restday\n"
               "and holiday follow the statutory calendar (calendar/cn-YYYY.ini, docs/calendar.md);\n"
               "lunar = 中秋, 腊月廿三-正月十五, 冬至... the lunar calendar (docs/config.md).\n");
}

/* IDs are ASCII letters, digits, '-' and '_': nothing to escape. */
static void print_json(const struct sched *s, time_t t, const struct sched_playlist *pl)
{
    char when[32];
    struct sched_light l;
    sched_light_at(config_display(sched_config(s)), t, &l);
    civil_format(t, false, when);
    printf("{\"at\":\"%s\",\"emergency\":%s,\"off\":%s,\"brightness\":%d,\"playlist\":[", when,
           pl->emergency ? "true" : "false", l.off ? "true" : "false", l.brightness);
    for (size_t i = 0; i < pl->count; i++)
        printf("%s\"%s\"", i ? "," : "", pl->items[i]->id);
    printf("]}\n");
}

static const char *idle_name(const struct config *cfg)
{
    const struct config_idle *idle = &config_display(cfg)->idle;
    return idle->kind == CONFIG_IDLE_CLOCK ? "clock" : idle->kind == CONFIG_IDLE_BLANK ? "blank" : idle->text;
}

/* What the light says at t, for the text forms: when the panel is off,
 * "off (standby until HH:MM)", which replaces the playlist (returns true);
 * otherwise "" or, in the night window, "  (night: brightness N%)". */
static bool light_text(const struct sched *s, time_t t, char *buf, size_t len)
{
    struct sched_light l;
    sched_light_at(config_display(sched_config(s)), t, &l);
    if (l.off)
        snprintf(buf, len, "off (standby until %02d:%02d)", l.off_until / 60, l.off_until % 60);
    else if (l.night)
        snprintf(buf, len, "  (night: brightness %d%%)", l.brightness);
    else
        *buf = '\0';
    return l.off;
}

static civil_day local_day(time_t t)
{
    civil_day day;
    int minute;
    civil_local(t, &day, &minute);
    return day;
}

void schedule_print_at(const struct sched *s, time_t t, const struct sched_playlist *pl)
{
    char when[32], light[64];
    civil_format(t, false, when);
    bool off = light_text(s, t, light, sizeof light);
    if (off)
        printf("%s  %s\n", when, light);
    else if (!pl->count)
        printf("%s  nothing active (idle: %s)%s\n", when, idle_name(sched_config(s)), light);
    else
        printf("%s  %zu item%s%s%s\n", when, pl->count, pl->count == 1 ? "" : "s",
               pl->emergency ? ", EMERGENCY" : "", light);
    /* The headline as the panel shows it that day (placeholder.h). */
    civil_day day = local_day(t);
    struct lunar *l = NULL;
    for (size_t i = 0; i < pl->count && !off; i++) {
        const char *h = pl->items[i]->headline;
        char *shown = NULL;
        if (placeholder_present(h) && !l)
            l = lunar_new();
        placeholder_expand(h, day, l, &shown);
        printf("  %3zu  %-20s %s\n", i + 1, pl->items[i]->id, shown ? shown : h);
        free(shown);
    }
    lunar_free(l);
}

static void print_change(const struct sched *s, time_t t, const struct sched_playlist *pl)
{
    char when[32], light[64];
    civil_format(t, false, when);
    printf("%s  ", when);
    if (light_text(s, t, light, sizeof light)) {
        printf("%s\n", light);
        return;
    }
    if (!pl->count)
        printf("idle (%s)", idle_name(sched_config(s)));
    for (size_t i = 0; i < pl->count; i++)
        printf("%s%s", i ? " " : "", pl->items[i]->id);
    printf("%s%s\n", pl->emergency ? "  [EMERGENCY]" : "", light);
}

static int parse_time_arg(const char *name, const char *text, time_t *out)
{
    if (civil_parse_instant(text, out) == 0)
        return 0;
    fprintf(stderr, "ledticker: error: %s '%s' is not a time: use \"YYYY-MM-DD HH:MM\"\n", name, text);
    return -1;
}

static int timeline(const struct sched *s, time_t from, time_t to, bool json)
{
    struct sched_playlist pl = { 0 };
    time_t t = from, next;
    int rc = 0;
    bool was_off = false;
    for (;;) {
        if (sched_playlist_at(s, t, &pl) != SCHED_OK) {
            rc = 1;
            break;
        }
        struct sched_light l;
        sched_light_at(config_display(sched_config(s)), t, &l);
        if (json)
            print_json(s, t, &pl);
        else if (!(l.off && was_off))   /* changes behind a dark panel are not shown */
            print_change(s, t, &pl);
        was_off = l.off;
        /* The next change of the playlist or of the light (off, night). */
        int r = sched_next_change(s, t, &next);
        time_t light = sched_light_next_change(config_display(sched_config(s)), t);
        if (r != SCHED_OK && r != SCHED_ERR_NOT_FOUND) {
            rc = 1;
            break;
        }
        if (light && (r == SCHED_ERR_NOT_FOUND || light < next))
            next = light;
        else if (r == SCHED_ERR_NOT_FOUND)
            break;
        if (next > to)
            break;
        t = next;
    }
    sched_playlist_release(&pl);
    if (rc)
        fprintf(stderr, "ledticker: error: out of memory\n");
    return rc;
}

int cmd_schedule_main(const struct cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' }, { "at", required_argument, NULL, 'a' },
        { "from", required_argument, NULL, 'f' }, { "to", required_argument, NULL, 't' },
        { "json", no_argument, NULL, 'j' }, { "help", no_argument, NULL, 'h' },
        { "calendar-dir", required_argument, NULL, 'C' }, { 0 } };
    const char *path = NULL, *at = NULL, *from = NULL, *to = NULL, *calendar = NULL;
    bool json = false;
    int opt;
    optind = 0;
    while ((opt = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': path = optarg; break;
        case 'a': at = optarg; break;
        case 'f': from = optarg; break;
        case 't': to = optarg; break;
        case 'j': json = true; break;
        case 'C': calendar = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (!path || optind != argc || !at == !(from || to) || (!at && (!from || !to))) {
        usage(stderr);
        return 2;
    }
    time_t t1, t2 = 0;
    if (parse_time_arg(at ? "--at" : "--from", at ? at : from, &t1) ||
        (!at && parse_time_arg("--to", to, &t2)))
        return 2;
    if (!at && t2 < t1) {
        fprintf(stderr, "ledticker: error: --to is before --from\n");
        return 2;
    }
    struct config *cfg;
    struct config_options o = { 0 };
    struct cfgcheck checks = { 0 };
    if (cfgcheck_load_calendar(&checks, calendar, &env->diag)) {
        cfgcheck_release(&checks);
        return 2;
    }
    o.calendar = checks.calendar;
    /* On a fleet kiosk, what the panel plays: its cached bundles laid over. */
    struct fleetlayers fl;
    int loaded = fleetlayers_open(&fl, path, &o, &env->diag) == 0 ? CONFIG_OK : CONFIG_ERR_NO_MEM;
    fleetlayers_install(&fl, &o);
    if (loaded == CONFIG_OK)
        loaded = config_load(&cfg, path, &o, &env->diag);
    fleetlayers_close(&fl);
    if (loaded != CONFIG_OK) {
        fprintf(stderr, "ledticker: error: %s has errors; run 'ledticker check -c %s'\n", path, path);
        cfgcheck_release(&checks);
        return 1;
    }
    /* The years asked about that have no holiday data. */
    int y1 = civil_date_from_day(local_day(t1)).year, y2 = at ? y1 : civil_date_from_day(local_day(t2)).year;
    for (int y = y1; y <= y2 && y < y1 + 10; y++)
        cfgcheck_warn_year(&checks, cfg, y, &env->diag);
    struct sched *s;
    int rc = 1;
    if (sched_new(&s, cfg) == SCHED_OK) {
        if (sched_warn_dropped(s, t1, at ? t1 : t2, &env->diag) != SCHED_OK)
            fprintf(stderr, "ledticker: error: out of memory\n");
        else if (at) {
            struct sched_playlist pl = { 0 };
            if (sched_playlist_at(s, t1, &pl) == SCHED_OK) {
                if (json)
                    print_json(s, t1, &pl);
                else
                    schedule_print_at(s, t1, &pl);
                rc = 0;
            } else
                fprintf(stderr, "ledticker: error: out of memory\n");
            sched_playlist_release(&pl);
        } else
            rc = timeline(s, t1, t2, json);
        sched_free(s);
    }
    config_free(cfg);
    cfgcheck_release(&checks);
    return rc;
}
