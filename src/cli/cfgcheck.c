#include "cli/cfgcheck.h"

#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli/datadir.h"
#include "schedule/calendar.h"
#include "util/ini.h"
#include "transport/board.h"
#include "transport/transport.h"

static int check_board(void *user, const char *name, char *why, size_t len)
{
    const struct cfgcheck *c = user;
    if (!c->boards_dir) {
        snprintf(why, len, "board '%s': no boards directory found (searched %s)", name,
                 c->searched ? c->searched : "nowhere");
        return -1;
    }
    return board_check(c->boards_dir, name, why, len);
}

/* "auto" is the CLI's own choice (a controller if one answers, else sim). */
static int check_output(void *user, const char *spec, char *why, size_t len)
{
    (void)user;
    return strcasecmp(spec, "auto") ? transport_check_spec(spec, why, len) : 0;
}

int cfgcheck_find_boards(struct cfgcheck *c, const char *flag, const char *config_path,
                         char *buf, size_t len)
{
    if (datadir_resolve(DATADIR_BOARDS, flag, config_path, buf, len, &c->boards_dir))
        return -1;
    c->searched = c->boards_dir ? NULL : buf;
    return 0;
}

void cfgcheck_install(struct config_options *opt, struct cfgcheck *c)
{
    opt->check_board = check_board;
    opt->check_output = check_output;
    opt->check_user = c;
    opt->calendar = c->calendar;
}

int cfgcheck_load_calendar(struct cfgcheck *c, const char *flag, const struct diag *d)
{
    const char *dir;
    c->calendar = NULL;
    c->calendar_errors = 0;
    if (datadir_resolve(DATADIR_CALENDAR, flag, NULL, c->calendar_where, sizeof c->calendar_where, &dir))
        return -1;
    if (!(c->calendar = calendar_new(NULL))) {
        diag_error(d, "out of memory");
        return -1;
    }
    c->calendar_found = dir != NULL;
    if (!dir)
        return 0;
    char pattern[1100];
    snprintf(pattern, sizeof pattern, "%s/cn-*.ini", dir);
    glob_t g;
    if (glob(pattern, 0, NULL, &g) != 0)
        return 0;
    int rc = 0;
    for (size_t i = 0; i < g.gl_pathc && rc == 0; i++) {
        struct ini_doc *doc;
        int ir = ini_load(&doc, g.gl_pathv[i], INI_NO_INCLUDE, d);
        if (ir == INI_ERR_NO_MEM)
            rc = -1;
        if (ir != INI_OK) {
            c->calendar_errors++;
            ini_free(ir == INI_ERR_SYNTAX ? doc : NULL);
            continue;
        }
        for (size_t k = 0; k < ini_section_count(doc) && rc == 0; k++) {
            const struct ini_section *sec = ini_section_at(doc, k);
            if (!calendar_section_is(sec->name)) {
                diag_emit(d, DIAG_ERROR, sec->file, sec->line,
                          "[%s]: a calendar file holds only [calendar YEAR] sections", sec->name);
                c->calendar_errors++;
                continue;
            }
            int n = calendar_read_section(c->calendar, sec, d);
            if (n < 0)
                rc = -1;
            else
                c->calendar_errors += n;
        }
        ini_free(doc);
    }
    globfree(&g);
    if (rc)
        diag_error(d, "out of memory");
    return rc;
}

void cfgcheck_release(struct cfgcheck *c)
{
    calendar_free(c->calendar);
    c->calendar = NULL;
}

void cfgcheck_warn_year(const struct cfgcheck *c, const struct config *cfg, int year,
                        const struct diag *d)
{
    if (!config_uses_calendar(cfg) || calendar_has_year(config_calendar(cfg), year))
        return;
    diag_warn(d, "no holiday calendar for %d: workday means Monday to Friday that year; add "
              "[calendar %d] to the config, or calendar/cn-%d.ini to the data directory (%s%s); "
              "see docs/calendar.md", year, year, year, c->calendar_found ? "" : "searched ", c->calendar_where);
}

void cfgcheck_warn_now(const struct cfgcheck *c, const struct config *cfg, time_t now,
                       const struct diag *d)
{
    civil_day today;
    int minute;
    civil_local(now, &today, &minute);
    int year = civil_date_from_day(today).year;
    cfgcheck_warn_year(c, cfg, year, d);
    if (civil_day_from_date(year + 1, 1, 1) - today < 30)
        cfgcheck_warn_year(c, cfg, year + 1, d);
}
