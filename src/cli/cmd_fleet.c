/* ledticker fleet status --broker URL ...: every kiosk of the fleet, from
 * the retained statuses on ledticker/v1/site/+/status (docs/fleet.md):
 * online or offline, the bundles in use (seq and hash per layer), when
 * they last changed, the controller, the last error. --json prints the
 * documents themselves, re-serialised (a kiosk's status is parsed with
 * json-c, never passed through as bytes).
 *
 * Exit status: 0 (also when no kiosk has reported yet); 1 no connection or
 * refused by the broker; 2 bad usage. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "fleet/mqttc.h"

#define FLEET_STATUS_TOPIC "ledticker/v1/site/+/status"
#define FLEET_SITE_MAX 64

static void usage(FILE *f)
{
    fprintf(f,
        "usage: ledticker fleet status --broker URL [--ca-file FILE] [--username NAME]\n"
        "                              [--password-file FILE] [--wait MS] [--json]\n"
        "Lists every kiosk from its retained status (ledticker/v1/site/SITE/status):\n"
        "online or offline, the hash and sequence number of each bundle it plays, when\n"
        "they last changed, its controller and its last error.\n"
        "  --broker URL          mqtts://HOST[:PORT] (or mqtt:// on the loopback)\n"
        "  --ca-file FILE        the CA that signed the broker's certificate\n"
        "  --username NAME       the broker user (default: newsroom)\n"
        "  --password-file FILE  its password (the file's first line)\n"
        "  --wait MS             how long to collect statuses (default 1500)\n"
        "  --json                the status documents as a JSON array, sorted by site\n");
}

struct site_status {
    char site[FLEET_SITE_MAX];
    json_object *doc;          /* NULL: the document was not a JSON object */
};

struct collect {
    struct site_status *s;
    size_t n, cap;
    const struct diag *d;
};

/* ledticker/v1/site/SITE/status -> SITE, or NULL. */
static bool topic_site(const char *topic, char *site)
{
    static const char pre[] = "ledticker/v1/site/", post[] = "/status";
    size_t tl = strlen(topic), pl = sizeof pre - 1, ql = sizeof post - 1;
    if (tl <= pl + ql || strncmp(topic, pre, pl) || strcmp(topic + tl - ql, post))
        return false;
    size_t n = tl - pl - ql;
    if (n >= FLEET_SITE_MAX)
        return false;
    memcpy(site, topic + pl, n);
    site[n] = '\0';
    return true;
}

static void on_status(void *user, const char *topic, const uint8_t *payload, size_t len,
                      bool retained)
{
    (void)retained;
    struct collect *c = user;
    char site[FLEET_SITE_MAX];
    if (!topic_site(topic, site))
        return;
    if (len == 0)
        return;   /* a cleared status: the site is gone */
    json_object *doc = NULL;
    if (len < 65536) {
        json_tokener *tok = json_tokener_new();
        if (tok) {
            doc = json_tokener_parse_ex(tok, (const char *)payload, (int)len);
            if (json_tokener_get_error(tok) != json_tokener_success ||
                !json_object_is_type(doc, json_type_object)) {
                json_object_put(doc);
                doc = NULL;
            }
            json_tokener_free(tok);
        }
    }
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->s[i].site, site) == 0) {   /* a newer one replaces it */
            json_object_put(c->s[i].doc);
            c->s[i].doc = doc;
            return;
        }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        struct site_status *s = realloc(c->s, cap * sizeof *s);
        if (!s) {
            json_object_put(doc);
            return;
        }
        c->s = s;
        c->cap = cap;
    }
    snprintf(c->s[c->n].site, sizeof c->s[c->n].site, "%s", site);
    c->s[c->n++].doc = doc;
}

static int by_site(const void *a, const void *b)
{
    return strcmp(((const struct site_status *)a)->site, ((const struct site_status *)b)->site);
}

static const char *str_field(json_object *o, const char *key, const char *none)
{
    json_object *v;
    if (o && json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    return none;
}

/* A table cell: at most `width` bytes, no control bytes (a kiosk wrote it). */
static void cell(const char *s, int width, bool last)
{
    char buf[512];
    size_t n = 0;
    for (; *s && n < sizeof buf - 1 && (last || (int)n < width); s++)
        buf[n++] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
    buf[n] = '\0';
    if (last)
        printf("%s\n", buf);
    else
        printf("%-*s ", width, buf);
}

static const char *const layers[] = { "all", "site", "all-emergency", "site-emergency" };

static void print_table(const struct collect *c)
{
    printf("%-20s %-7s %-12s %-12s %-12s %-12s %-25s %-20s %s\n", "SITE", "STATE", "ALL", "SITE-BUNDLE",
           "ALL-EMERG", "SITE-EMERG", "SINCE", "CONTROLLER", "LAST ERROR");
    for (size_t i = 0; i < c->n; i++) {
        json_object *doc = c->s[i].doc, *v, *ls = NULL;
        cell(c->s[i].site, 20, false);
        if (!doc) {
            cell("?", 7, false);
            printf("(the status is not a JSON object)\n");
            continue;
        }
        bool online = json_object_object_get_ex(doc, "online", &v) && json_object_get_boolean(v);
        cell(online ? "online" : "offline", 7, false);
        json_object_object_get_ex(doc, "layers", &ls);
        const char *since = "-";
        for (size_t l = 0; l < sizeof layers / sizeof *layers; l++) {
            json_object *lo = NULL;
            char h[32] = "-";
            if (ls && json_object_object_get_ex(ls, layers[l], &lo)) {
                snprintf(h, sizeof h, "%.12s", str_field(lo, "sha256", "?"));
                const char *s = str_field(lo, "since", "-");
                if (strcmp(s, since) > 0 || strcmp(since, "-") == 0)
                    since = s;   /* ISO times in one zone sort as text */
            }
            cell(h, 12, false);
        }
        cell(since, 25, false);
        const char *ctl = str_field(doc, "controller", "-");
        cell(*ctl ? ctl : "-", 20, false);
        const char *err = str_field(doc, "last_error", "");
        cell(*err ? err : "-", 0, true);
    }
}

static void print_json(const struct collect *c)
{
    json_object *arr = json_object_new_array();
    for (size_t i = 0; i < c->n; i++) {
        json_object *doc = c->s[i].doc;
        if (!doc) {
            doc = json_object_new_object();
            json_object_object_add(doc, "site", json_object_new_string(c->s[i].site));
            json_object_object_add(doc, "invalid", json_object_new_boolean(1));
        } else {
            json_object_get(doc);
            /* The topic names the site (the broker's ACL binds it to the user). */
            json_object_object_add(doc, "site", json_object_new_string(c->s[i].site));
        }
        json_object_array_add(arr, doc);
    }
    printf("%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY |
                                                       JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(arr);
}

static int fleet_status(const struct cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {
        { "broker", required_argument, NULL, 'b' },
        { "ca-file", required_argument, NULL, 'C' },
        { "username", required_argument, NULL, 'u' },
        { "password-file", required_argument, NULL, 'p' },
        { "wait", required_argument, NULL, 'w' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { 0 },
    };
    struct mqttc_options o = { .username = "newsroom", .d = &env->diag };
    int wait_ms = 1500;
    bool json = false;
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (ch) {
        case 'b': o.broker = optarg; break;
        case 'C': o.ca_file = optarg; break;
        case 'u': o.username = optarg; break;
        case 'p': o.password_file = optarg; break;
        case 'w': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 600000) {
                fprintf(stderr, "ledticker fleet status: --wait '%s': milliseconds, 1 to 600000\n",
                        optarg);
                return 2;
            }
            wait_ms = (int)v;
            break;
        }
        case 'j': json = true; break;
        case 'h': usage(stdout); return 0;
        case ':':
            fprintf(stderr, "ledticker fleet status: %s needs a value\n", argv[optind - 1]);
            usage(stderr);
            return 2;
        default:
            fprintf(stderr, "ledticker fleet status: unknown option '%s'\n", argv[optind - 1]);
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc || !o.broker) {
        fprintf(stderr, optind < argc ? "ledticker fleet status: unexpected argument '%s'\n"
                                      : "ledticker fleet status: --broker is required%s\n",
                optind < argc ? argv[optind] : "");
        usage(stderr);
        return 2;
    }
    struct collect c = { .d = &env->diag };
    o.on_message = on_status;
    o.user = &c;
    struct mqttc *m;
    if (mqttc_new(&m, &o) != MQTTC_OK)
        return 1;
    int rc = mqttc_subscribe(m, FLEET_STATUS_TOPIC, 0);
    if (rc == MQTTC_OK)
        rc = mqttc_connect_wait(m, 10000);
    if (rc == MQTTC_OK) {
        mqttc_run(m, wait_ms, NULL, NULL);   /* the retained statuses come after SUBACK */
        mqttc_close(m, false);
    }
    mqttc_free(m);
    if (rc != MQTTC_OK) {
        fprintf(stderr, "ledticker fleet status: %s: %s\n", o.broker, mqttc_strerror(rc));
        return 1;
    }
    if (c.n)
        qsort(c.s, c.n, sizeof *c.s, by_site);
    if (json)
        print_json(&c);
    else if (c.n == 0)
        printf("no kiosk has reported a status on %s\n", o.broker);
    else
        print_table(&c);
    for (size_t i = 0; i < c.n; i++)
        json_object_put(c.s[i].doc);
    free(c.s);
    return 0;
}

int cmd_fleet_main(const struct cli_env *env, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "status") == 0)
        return fleet_status(env, argc - 1, argv + 1);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "ledticker fleet: %s\n", argc >= 2 ? "unknown subcommand (status)"
                                                       : "which? (status)");
    usage(stderr);
    return 2;
}
