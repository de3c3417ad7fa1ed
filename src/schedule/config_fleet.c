/* config_fleet — the kiosk's [fleet] section: which broker, which site,
 * which keys a bundle must be signed with, where the cache lives. The
 * schedule only checks these values; src/fleet/ acts on them (the CLI
 * passes them on, the schedule knows no network). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "schedule/config_internal.h"

/* mqtt://HOST[:PORT] or mqtts://HOST[:PORT]; HOST a name, an IPv4 address
 * or [IPv6]. *host (malloc'd) and *tls on success. */
static int broker_split(const char *v, char **host, int *tls, const char **why)
{
    const char *rest;
    if (!strncasecmp(v, "mqtts://", 8))
        *tls = 1, rest = v + 8;
    else if (!strncasecmp(v, "mqtt://", 7))
        *tls = 0, rest = v + 7;
    else
        return *why = "it must start with mqtts:// (TLS) or mqtt://", -1;
    size_t hlen;
    const char *after;
    if (rest[0] == '[') {
        const char *close = strchr(rest, ']');
        if (!close || close == rest + 1 || strspn(rest + 1, "0123456789abcdefABCDEF:.") != (size_t)(close - rest - 1))
            return *why = "an IPv6 address goes in brackets: mqtts://[::1]:8883", -1;
        hlen = (size_t)(close - rest) + 1;
        after = close + 1;
    } else {
        hlen = strspn(rest, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_");
        after = rest + hlen;
        if (!hlen)
            return *why = "it names no host: mqtts://HOST[:PORT]", -1;
    }
    if (*after == ':') {
        const char *p = after + 1;
        size_t n = strspn(p, "0123456789");
        long port = n && n <= 5 ? strtol(p, NULL, 10) : 0;
        if (port < 1 || port > 65535 || p[n])
            return *why = "the port must be a number from 1 to 65535", -1;
    } else if (*after) {
        return *why = "only mqtts://HOST[:PORT] (no path, user or query)", -1;
    }
    *host = strndup(rest, hlen);
    return *host ? 0 : (*why = "out of memory", -1);
}

static int host_is_loopback(const char *host)
{
    return !strcasecmp(host, "localhost") || !strncmp(host, "127.", 4) || !strcmp(host, "[::1]");
}

int config_value_broker(struct pctx *c, const char *v, void *field)
{
    char *host = NULL;
    int tls;
    const char *why;
    if (broker_split(v, &host, &tls, &why) < 0) {
        config_perr(c, "broker '%s': %s", v, why);
        return -1;
    }
    if (!tls && !host_is_loopback(host))
        config_pwarn(c, c->file, c->line,
                     "broker '%s' is plain MQTT to another host: anyone on the way can read "
                     "and block what the kiosk receives (bundles stay signed) and read its "
                     "password and status; use mqtts://", v);
    free(host);
    FIELD(const char *) = config_intern(c, v);
    return 0;
}

/* [a-z0-9][a-z0-9_-]{0,62}: a topic level and an MQTT user name, with
 * none of MQTT's wildcards or separators. */
int config_value_site(struct pctx *c, const char *v, void *field)
{
    size_t n = strlen(v);
    if (n == 0 || n > 63 || !(islower((unsigned char)v[0]) || isdigit((unsigned char)v[0]))
        || strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_-") != n) {
        config_perr(c, "site '%s': 1 to 63 characters of a-z, 0-9, '-' and '_', "
                    "starting with a letter or digit (e.g. lishi-1)", v);
        return -1;
    }
    FIELD(const char *) = config_intern(c, v);
    return 0;
}

/* A file the kiosk must be able to read at run time (checked now, so that
 * `check` finds a typo before the kiosk starts without its broker). */
int config_value_file(struct pctx *c, const char *v, void *field)
{
    if (!*v) {
        FIELD(const char *) = config_intern(c, "");
        return 0;
    }
    const char *path = config_value_path_near(c, v);
    if (c->file && access(path, R_OK) != 0) {
        config_perr(c, "cannot read %s '%s': %s", c->k->name, v, strerror(errno));
        return -1;
    }
    FIELD(const char *) = path;
    return 0;
}

int config_value_dir(struct pctx *c, const char *v, void *field)
{
    if (!*v) {
        config_perr(c, "%s is empty", c->k->name);
        return -1;
    }
    FIELD(const char *) = config_value_path_near(c, v);
    return 0;
}

/* Repeatable: each line adds a key (several during a key rotation). */
int config_value_public_key(struct pctx *c, const char *v, void *field)
{
    (void)field;
    struct config *cfg = c->cfg;
    const char *path = NULL;
    cfg->fleet_key_written = true;
    if (config_value_file(c, v, &path) < 0)
        return -1;
    if (!*path) {
        config_perr(c, "public_key needs a file name (the newsroom's .pub file)");
        return -1;
    }
    if (cfg->nfleet_keys == cfg->capfleet_keys) {
        size_t cap = cfg->capfleet_keys ? cfg->capfleet_keys * 2 : 4;
        void *p = realloc(cfg->fleet_keys, cap * sizeof *cfg->fleet_keys);
        if (!p) {
            config_perr(c, "out of memory");
            return -1;
        }
        cfg->fleet_keys = p;
        cfg->capfleet_keys = cap;
    }
    cfg->fleet_keys[cfg->nfleet_keys++] = path;
    return 0;
}

/* After the section is read: what a kiosk cannot do without. */
void config_fleet_check(struct pctx *c, const char *file, int line)
{
    struct config *cfg = c->cfg;
    struct config_fleet *f = &cfg->fleet;
    c->file = file;
    c->line = line;
    if (!f->broker)
        config_perr(c, "[fleet] needs broker = mqtts://HOST[:PORT]");
    if (!f->site)
        config_perr(c, "[fleet] needs site = NAME (this kiosk's site, e.g. lishi-1)");
    if (!cfg->fleet_key_written)
        config_perr(c, "[fleet] needs public_key = FILE.pub (the newsroom's key; bundles "
                    "signed by no listed key are refused)");
    if (f->site && (!f->username || !*f->username))
        f->username = f->site;
    f->public_keys = cfg->fleet_keys;
    f->public_key_count = cfg->nfleet_keys;
}

const struct config_fleet *config_fleet(const struct config *cfg)
{
    return cfg->has_fleet ? &cfg->fleet : NULL;
}
