/* config_placeholder — the placeholders of a message's text (placeholder.h)
 * as the config reader sees them: a {countdown:...} whose date cannot be
 * read is an error; text in braces that looks like a misspelt placeholder
 * is a warning with "did you mean" (it shows as written, as it did before
 * placeholders existed); and a countdown ends its message: the message
 * expires at the end of the countdown day, by its `until`, so that the
 * schedule (and `schedule --at`) knows. */
#include <stdio.h>
#include <string.h>

#include "config_internal.h"
#include "schedule/placeholder.h"
#include "util/suggest.h"

/* The placeholder a group in braces was probably meant to be, or NULL. */
static const char *meant(const char *group, size_t len)
{
    char name[64];
    size_t n = strcspn(group + 1, ":}");
    if (n == 0 || n >= sizeof name || len < 2)
        return NULL;
    memcpy(name, group + 1, n);
    name[n] = '\0';
    struct suggest s = { name, NULL, 0 };
    for (size_t i = 0; i < PLACEHOLDER_NAMES; i++)
        suggest_try(&s, placeholder_names[i]);
    return s.best;
}

static void check_text(struct pctx *c, const struct config_message *m, const char *key,
                       const char *text, const struct ini_entry *where)
{
    size_t pos = 0;
    struct placeholder_token tok;
    while (placeholder_next(text, &pos, &tok)) {
        const char *g = text + tok.at;
        int n = (int)tok.len;
        if (tok.kind == PLACEHOLDER_BAD_COUNTDOWN) {
            c->file = where->file;
            c->line = where->line;
            config_perr(c, "message '%s' %s: '%.*s' has no date: write {countdown:YYYY-MM-DD}",
                        m->id, key, n, g);
        } else if (tok.kind == PLACEHOLDER_OTHER) {
            const char *best = meant(g, tok.len);
            /* The suggestion keeps what follows a ':' ({countdwn:2026-12-05}). */
            const char *colon = memchr(g, ':', tok.len);
            int tail = colon ? (int)(g + tok.len - 1 - colon) : 0;
            if (best && !colon && !strcmp(best, "countdown"))
                colon = ":YYYY-MM-DD", tail = (int)strlen(colon);
            if (best)
                config_pwarn(c, where->file, where->line, "message '%s' %s: '%.*s' is no "
                             "placeholder and shows as written; did you mean {%s%.*s}? "
                             "(write {{ for a literal brace)", m->id, key, n, g, best, tail,
                             colon ? colon : "");
        }
    }
}

void config_check_placeholders(struct pctx *c, struct config_message *m, const struct ini_entry **seen)
{
    const struct ini_entry *h = seen[config_keys_index("message", "headline")];
    const struct ini_entry *sf = seen[config_keys_index("message", "summary_file")];
    const struct ini_entry *s = sf ? sf : seen[config_keys_index("message", "summary")];
    if (h && m->headline)
        check_text(c, m, "headline", m->headline, h);
    if (s && m->summary)
        check_text(c, m, sf ? "summary_file" : "summary", m->summary, s);

    /* The earliest countdown day of the two texts, and where it is written. */
    civil_day end = 0, day;
    const struct ini_entry *where = NULL;
    if (h && m->headline && placeholder_countdown_end(m->headline, &day)) {
        end = day;
        where = h;
    }
    if (s && m->summary && placeholder_countdown_end(m->summary, &day) && (!where || day < end)) {
        end = day;
        where = s;
    }
    if (!where)
        return;
    struct civil_date d = civil_date_from_day(end);
    /* The end of the countdown day: minute 1440, as a bare date's until. */
    if (!m->until.set || (int64_t)m->until.day * 1440 + m->until.minute > (int64_t)end * 1440 + 1440)
        m->until = (struct config_when){ true, end, 1440 };
    if (m->from.set && (int64_t)m->from.day * 1440 + m->from.minute >= (int64_t)end * 1440 + 1440)
        config_pwarn(c, where->file, where->line, "message '%s' never plays: its countdown ends "
                     "with %04d-%02d-%02d, before its from", m->id, d.year, d.month, d.day);
    else if (c->opt->now && civil_instant(end, 1440) <= c->opt->now)
        config_pwarn(c, where->file, where->line, "message '%s' has expired (its countdown "
                     "ended with %04d-%02d-%02d)", m->id, d.year, d.month, d.day);
}
