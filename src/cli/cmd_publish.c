/* ledticker publish: the newsroom's side of the fleet (docs/fleet.md).
 *
 *   publish -c district.ini (--all | --site NAME ...) --key newsroom.key --broker URL
 *   publish --emergency TEXT [--until "YYYY-MM-DD HH:MM"] (--all | --site ...) ...
 *   publish --clear (--all | --site ...) ...
 *   publish --withdraw --site NAME ...
 *   publish --rollback SEQ ...
 *   publish ... --dry-run [--at TIME]      what each site would play; nothing sent
 *   publish ... --out FILE                 the signed bundle to a file, not a broker
 *
 * Checks first: the bundle laid over a neutral display gets the whole of
 * `check`; any error and nothing is signed or sent. Every bundle sent is
 * kept in the newsroom's history and logged in its audit log. */
#include "cli/cli.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cli/cfgcheck.h"
#include "cli/datadir.h"
#include "cli/publishnet.h"
#include "fleet/bundle.h"
#include "fleet/fleetcache.h"
#include "fleet/newsroom.h"
#include "schedule/civil.h"
#include "schedule/config.h"
#include "schedule/sched.h"
#include "util/wfile.h"

#define MAX_TARGETS 64

struct args {
    const char *config, *broker, *key, *state_dir, *out, *emergency, *until, *at, *rollback;
    const char *ca_file, *username, *password_file, *boards, *fonts, *calendar;
    const char *sites[MAX_TARGETS];
    size_t nsites;
    bool all, clear, withdraw, dry_run;
};

/* One bundle on its way: to a site (site set) or to all. */
struct target {
    const char *site;                   /* NULL: all */
    char topic[160];
    uint64_t seq;
    uint8_t *msg;
    size_t len;
    char sha256[65];                    /* of the payload, as in the header */
    size_t files;
};

/* ---- the network half (src/cli/publishnet.c) ------------------------- */

struct publish_net {
    const char *broker, *ca_file, *username, *password_file;
    const uint8_t *secret;              /* the newsroom's key: its public half verifies `all` */
};

static struct publishnet net_of(const struct publish_net *net, const struct diag *d)
{
    return (struct publishnet){ .broker = net->broker, .ca_file = net->ca_file,
                                .username = net->username, .password_file = net->password_file,
                                .d = d };
}

/* Sends every bundle retained with QoS 1 and waits for each PUBACK, so a
 * refusal by the broker's ACL is an error. 0, or -1 after an error. */
static int publish_send(const struct publish_net *net, const struct target *t, size_t n,
                        const struct diag *d)
{
    struct publishnet p = net_of(net, d);
    struct publishnet_message *m = calloc(n ? n : 1, sizeof *m);
    if (!m) {
        diag_error(d, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        m[i] = (struct publishnet_message){ t[i].topic, t[i].msg, t[i].len };
    int rc = publishnet_send(&p, m, n);
    free(m);
    return rc;
}

/* The `all` bundle the broker holds, unpacked under tmpdir, for the ID
 * clash check of a site bundle: 1 with its directory in dir, 0 none, -1
 * the broker cannot be read (publish stops: it cannot know). */
static int publish_fetch_all(const struct publish_net *net, const char *tmpdir, char *dir,
                             size_t len, const struct diag *d)
{
    if (!net->secret)
        return 0;
    uint8_t pk[1][BUNDLE_KEY_BYTES];
    crypto_sign_ed25519_sk_to_pk(pk[0], net->secret);
    struct publishnet p = net_of(net, d);
    return publishnet_fetch_all(&p, (const uint8_t (*)[BUNDLE_KEY_BYTES])pk, 1, tmpdir, 2000,
                                dir, len);
}

/* ---- helpers ---------------------------------------------------------- */

/* snprintf into a path buffer; false when it does not fit. */
static bool path_fmt(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool path_fmt(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, len, fmt, ap);
    va_end(ap);
    return n >= 0 && (size_t)n < len;
}

static uint64_t now_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (uint64_t)tv.tv_sec * 1000 + (uint64_t)tv.tv_usec / 1000;
}

static bool site_ok(const char *s)
{
    size_t n = strlen(s);
    return n && n <= 63 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n && s[0] != '-'
           && s[0] != '_';
}

/* The files the checked config read (config_file_at), kept for packing. */
struct files {
    char **paths;
    size_t n;
};

static int keep_files(void *user, const struct config *cfg)
{
    struct files *f = user;
    f->paths = calloc(config_file_count(cfg) + 1, sizeof *f->paths);
    if (!f->paths)
        return -1;
    for (size_t i = 0; i < config_file_count(cfg); i++)
        if (!(f->paths[f->n++] = strdup(config_file_at(cfg, i))))
            return -1;
    return 0;
}

static void files_free(struct files *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->paths[i]);
    free(f->paths);
}

/* The data directories whose files no bundle carries. */
static size_t data_dirs(const struct args *a, char bufs[3][PATH_MAX], const char *never[3])
{
    static const enum datadir_kind kinds[3] = { DATADIR_BOARDS, DATADIR_FONTS, DATADIR_CALENDAR };
    const char *flags[3] = { a->boards, a->fonts, a->calendar };
    size_t n = 0;
    for (size_t i = 0; i < 3; i++) {
        char found[PATH_MAX];
        if (datadir_find(kinds[i], flags[i], NULL, found, sizeof found) == 0 && realpath(found, bufs[n]))
            never[n] = bufs[n], n++;
    }
    return n;
}

/* The whole check of `root` laid over a neutral display (after `under`,
 * the `all` bundle, for a site's), then packs what it read. */
static int check_and_pack(const struct cli_env *env, const struct args *a, const char *root,
                          const char *under, struct newsroom_pack *pack)
{
    char real[PATH_MAX];
    if (!realpath(root, real)) {
        diag_emit(&env->diag, DIAG_ERROR, root, 0, "cannot read it: %m");
        return 1;
    }
    struct config_layer layers[2] = { { under, "the `all` bundle on the broker" }, { real, real } };
    struct files files = { 0 };
    struct check_request r = {
        .path = real, .neutral = true, .layers = under ? layers : layers + 1,
        .layer_count = under ? 2 : 1, .boards = a->boards, .fonts = a->fonts,
        .calendar = a->calendar, .now = time(NULL), .on_ok = pack ? keep_files : NULL, .user = &files,
    };
    int rc = check_config(env, &r);
    if (rc == 0 && pack) {
        char bufs[3][PATH_MAX];
        const char *never[3];
        size_t nnever = data_dirs(a, bufs, never);
        if (newsroom_pack(pack, real, (const char *const *)files.paths, files.n, never, nnever,
                          &env->diag) != 0)
            rc = 1;
    }
    files_free(&files);
    return rc;
}

/* An emergency's bundle.ini, written to a private directory (root: its
 * path) so that it gets the same check (fonts included) as any bundle. */
static int emergency_write(const struct cli_env *env, const struct args *a, const char *state_dir,
                           bool site, char root[PATH_MAX])
{
    char until[32];
    if (a->until) {
        time_t t;
        if (civil_parse_instant(a->until, &t) != 0) {
            diag_error(&env->diag, "--until '%s' is not a time: use \"YYYY-MM-DD HH:MM\"", a->until);
            return 2;
        }
        civil_format(t, false, until);
    } else
        civil_format(time(NULL) + 3600, false, until);
    char *ini;
    if (newsroom_emergency_ini(&ini, a->emergency, until, site, &env->diag) != 0)
        return 1;
    char dir[PATH_MAX - 16];
    int rc = 1;
    const char *step = "create";
    if (!path_fmt(dir, sizeof dir, "%s/emergency.XXXXXX", state_dir) || !mkdtemp(dir))
        diag_emit(&env->diag, DIAG_ERROR, dir, 0, "cannot create a directory: %m");
    else if (!path_fmt(root, PATH_MAX, "%s/bundle.ini", dir)
             || wfile_replace(root, ini, strlen(ini), 0600, &step) != 0) {
        diag_emit(&env->diag, DIAG_ERROR, root, 0, "cannot write it (%s)", step);
        rmdir(dir);
        root[0] = '\0';
    } else
        rc = 0;
    free(ini);
    return rc;
}

static void emergency_remove(char root[PATH_MAX])
{
    if (!root[0])
        return;
    unlink(root);
    *strrchr(root, '/') = '\0';
    rmdir(root);
    root[0] = '\0';
}

static int sign(struct target *t, const struct newsroom_pack *p, const char *state_dir,
                const uint8_t *secret, const struct diag *d)
{
    t->seq = newsroom_next_seq(state_dir, t->topic, now_ms());
    int rc = bundle_encode(&t->msg, &t->len, t->topic, t->seq, p->files, p->count, secret);
    if (rc != BUNDLE_OK) {
        diag_error(d, "cannot build the bundle for %s: %s", t->topic, bundle_strerror(rc));
        return 1;
    }
    /* Our own header: "sha256 " + 64 hex is in it. */
    const uint8_t *sha = memmem(t->msg, t->len, "\nsha256 ", 8);
    snprintf(t->sha256, sizeof t->sha256, "%.64s", sha ? (const char *)sha + 8 : "?");
    t->files = p->count;
    return 0;
}

/* ---- --dry-run --------------------------------------------------------- */

/* The newest bundle of the history on `topic`, unpacked under tmp for the
 * dry run: 1 with its staged directory in dir, 0 none (or withdrawn). */
static int history_layer(const char *state_dir, const char *topic, const char *tmp,
                         enum fleetcache_layer l, const uint8_t *pk, char *dir, size_t len)
{
    uint8_t *msg;
    size_t mlen;
    if (!pk || newsroom_history_latest(state_dir, topic, &msg, &mlen) != 1)
        return 0;
    struct bundle *b;
    int found = 0;
    if (bundle_decode(&b, msg, mlen, (const uint8_t (*)[32])pk, 1, topic, NULL) == BUNDLE_OK) {
        found = bundle_file_count(b) && fleetcache_stage(tmp, l, b, msg, mlen, dir, len) == 0;
        bundle_free(b);
    }
    free(msg);
    return found;
}

/* What `site` (NULL: a kiosk with only the `all` bundles) would play at
 * `at`: each layer is the new bundle of this run (news[l]), else the last
 * one the newsroom sent on that topic, over a neutral display. */
static int dry_run_site(const struct cli_env *env, const struct args *a, const char *state_dir,
                        const char *site, const char *const news[FLEETCACHE_LAYERS],
                        const uint8_t *pk, time_t at)
{
    char tmp[PATH_MAX], staged[FLEETCACHE_LAYERS][PATH_MAX], roots[FLEETCACHE_LAYERS][PATH_MAX + 16];
    if (!path_fmt(tmp, sizeof tmp, "%s/dry-run.XXXXXX", state_dir) || !mkdtemp(tmp)) {
        diag_emit(&env->diag, DIAG_ERROR, tmp, 0, "cannot create a directory: %m");
        return 1;
    }
    printf("== %s%s\n", site ? "site " : "", site ? site : "all (a kiosk with no site bundle)");
    struct config_layer layers[FLEETCACHE_LAYERS];
    char names[FLEETCACHE_LAYERS][80];
    size_t n = 0;
    for (int l = 0; l < FLEETCACHE_LAYERS; l++) {
        enum fleetcache_layer layer = (enum fleetcache_layer)l;
        bool site_layer = l == FLEETCACHE_SITE || l == FLEETCACHE_SITE_EMERGENCY;
        bool emergency = l == FLEETCACHE_ALL_EMERGENCY || l == FLEETCACHE_SITE_EMERGENCY;
        char topic[160];
        staged[l][0] = '\0';
        if (site_layer && !site)
            continue;
        newsroom_topic(topic, sizeof topic, site_layer ? site : NULL, emergency);
        const char *root = news[l];
        if (!root && history_layer(state_dir, topic, tmp, layer, pk, staged[l], sizeof staged[l])
            && path_fmt(roots[l], sizeof roots[l], "%s/bundle.ini", staged[l]))
            root = roots[l];
        if (root && *root) {
            path_fmt(names[n], sizeof names[n], "fleet bundle '%s'%s", fleetcache_layer_name(layer),
                     news[l] ? "" : " (the last one sent, from the history)");
            layers[n] = (struct config_layer){ root, names[n] };
            printf("%s%s", n ? ", " : "layers: ", names[n]);
            n++;
        }
    }
    printf("%s\n", n ? "" : "layers: none");
    struct cfgcheck checks = { 0 };
    struct config_options o = { .layers = layers, .layer_count = n };
    int rc = 1;
    if (cfgcheck_load_calendar(&checks, a->calendar, &env->diag) == 0) {
        o.calendar = checks.calendar;
        struct config *cfg;
        if (config_parse(&cfg, "(neutral display)", "", 0, &o, &env->diag) == CONFIG_OK) {
            struct sched *s = NULL;
            struct sched_playlist pl = { 0 };
            if (sched_new(&s, cfg) == SCHED_OK && sched_playlist_at(s, at, &pl) == SCHED_OK) {
                schedule_print_at(s, at, &pl);
                rc = 0;
            }
            sched_playlist_release(&pl);
            sched_free(s);
            config_free(cfg);
        }
    }
    cfgcheck_release(&checks);
    for (int l = 0; l < FLEETCACHE_LAYERS; l++) {
        char layer_dir[PATH_MAX + 32];
        if (staged[l][0])
            fleetcache_discard(staged[l]);
        if (path_fmt(layer_dir, sizeof layer_dir, "%s/%s", tmp, fleetcache_layer_name((enum fleetcache_layer)l)))
            rmdir(layer_dir);
    }
    rmdir(tmp);
    return rc;
}

/* ---- the command ------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f,
        "usage: ledticker publish -c FILE (--all | --site NAME ...) --key FILE.key (--broker URL | --out FILE)\n"
        "       ledticker publish --emergency TEXT [--until \"YYYY-MM-DD HH:MM\"] (--all | --site NAME ...) ...\n"
        "       ledticker publish --clear (--all | --site NAME ...) ...\n"
        "       ledticker publish --withdraw (--all | --site NAME ...) ...\n"
        "       ledticker publish --rollback SEQ --key FILE.key ...\n"
        "       ledticker publish ... --dry-run [--at \"YYYY-MM-DD HH:MM\"]\n"
        "Checks the config laid over a neutral display (the whole of 'check'); with any\n"
        "error nothing is signed or sent. Packs every file it reads (they must sit beside\n"
        "it), signs with the newsroom's key and sends it retained, QoS 1, to\n"
        "ledticker/v1/all/config or ledticker/v1/site/NAME/config. --emergency sends a red\n"
        "emergency message (default: for 1 h) on .../emergency; --clear ends it; --withdraw\n"
        "clears a site's (or all's) bundle; --rollback re-sends a bundle of the history\n"
        "with a new sequence number. --dry-run sends nothing and prints what each named\n"
        "site would play at --at (default: now). --out FILE writes the signed bundle to\n"
        "FILE instead (one target), for an air-gapped newsroom or mosquitto_pub -f.\n"
        "Every bundle sent is kept in the history and logged in the audit log under\n"
        "--state-dir (default $XDG_STATE_HOME/ledticker or ~/.local/state/ledticker).\n"
        "broker: --ca-file FILE --username NAME --password-file FILE\n");
}

static int parse_args(int argc, char **argv, struct args *a)
{
    enum { O_BROKER = 256, O_KEY, O_STATE, O_OUT, O_EMERGENCY, O_UNTIL, O_AT, O_ROLLBACK, O_CA,
           O_USER, O_PASS, O_BOARDS, O_FONTS, O_CAL, O_SITE, O_ALL, O_CLEAR, O_WITHDRAW, O_DRY };
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' }, { "broker", required_argument, NULL, O_BROKER },
        { "key", required_argument, NULL, O_KEY }, { "state-dir", required_argument, NULL, O_STATE },
        { "out", required_argument, NULL, O_OUT }, { "emergency", required_argument, NULL, O_EMERGENCY },
        { "until", required_argument, NULL, O_UNTIL }, { "at", required_argument, NULL, O_AT },
        { "rollback", required_argument, NULL, O_ROLLBACK }, { "ca-file", required_argument, NULL, O_CA },
        { "username", required_argument, NULL, O_USER }, { "password-file", required_argument, NULL, O_PASS },
        { "boards-dir", required_argument, NULL, O_BOARDS }, { "fonts-dir", required_argument, NULL, O_FONTS },
        { "calendar-dir", required_argument, NULL, O_CAL }, { "site", required_argument, NULL, O_SITE },
        { "all", no_argument, NULL, O_ALL }, { "clear", no_argument, NULL, O_CLEAR },
        { "withdraw", no_argument, NULL, O_WITHDRAW }, { "dry-run", no_argument, NULL, O_DRY },
        { "help", no_argument, NULL, 'h' }, { 0 } };
    int opt;
    optind = 0;
    while ((opt = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': a->config = optarg; break;
        case O_BROKER: a->broker = optarg; break;
        case O_KEY: a->key = optarg; break;
        case O_STATE: a->state_dir = optarg; break;
        case O_OUT: a->out = optarg; break;
        case O_EMERGENCY: a->emergency = optarg; break;
        case O_UNTIL: a->until = optarg; break;
        case O_AT: a->at = optarg; break;
        case O_ROLLBACK: a->rollback = optarg; break;
        case O_CA: a->ca_file = optarg; break;
        case O_USER: a->username = optarg; break;
        case O_PASS: a->password_file = optarg; break;
        case O_BOARDS: a->boards = optarg; break;
        case O_FONTS: a->fonts = optarg; break;
        case O_CAL: a->calendar = optarg; break;
        case O_ALL: a->all = true; break;
        case O_CLEAR: a->clear = true; break;
        case O_WITHDRAW: a->withdraw = true; break;
        case O_DRY: a->dry_run = true; break;
        case O_SITE:
            if (!site_ok(optarg)) {
                fprintf(stderr, "ledticker: error: --site '%s': 1 to 63 characters of a-z, 0-9, '-' and '_', "
                        "starting with a letter or digit\n", optarg);
                return 2;
            }
            if (a->nsites == MAX_TARGETS) {
                fprintf(stderr, "ledticker: error: more than %d --site\n", MAX_TARGETS);
                return 2;
            }
            a->sites[a->nsites++] = optarg;
            break;
        case 'h': usage(stdout); return -1;
        default: usage(stderr); return 2;
        }
    }
    int modes = !!a->config + !!a->emergency + a->clear + a->withdraw + !!a->rollback;
    const char *why = optind != argc ? "unexpected arguments"
        : modes != 1 ? "give one of -c FILE, --emergency, --clear, --withdraw, --rollback"
        : !a->rollback && !a->all && !a->nsites ? "say where: --all or --site NAME"
        : a->rollback && (a->all || a->nsites) ? "--rollback re-sends to the bundle's own topic: no --all or --site"
        : a->until && !a->emergency ? "--until goes with --emergency"
        : a->at && !a->dry_run ? "--at goes with --dry-run"
        : !a->dry_run && !a->key ? "--key FILE.key is needed to sign"
        : !a->dry_run && !a->broker && !a->out ? "--broker URL (or --out FILE) is needed"
        : NULL;
    if (why) {
        fprintf(stderr, "ledticker: error: %s\n", why);
        usage(stderr);
        return 2;
    }
    return 0;
}

/* The targets of this run, their topics filled in. */
static size_t make_targets(const struct args *a, struct target *t, bool emergency)
{
    size_t n = 0;
    if (a->all)
        t[n++] = (struct target){ .site = NULL };
    for (size_t i = 0; i < a->nsites; i++)
        t[n++] = (struct target){ .site = a->sites[i] };
    for (size_t i = 0; i < n; i++)
        newsroom_topic(t[i].topic, sizeof t[i].topic, t[i].site, emergency);
    return n;
}

/* --rollback SEQ: the bundle of the history, re-signed with a new seq. */
static int rollback(const struct cli_env *env, const struct args *a, const char *state_dir,
                    const uint8_t *secret, struct target *t)
{
    char *end;
    uint64_t seq = strtoull(a->rollback, &end, 10);
    uint8_t *msg;
    size_t len;
    if (*end || !seq) {
        diag_error(&env->diag, "--rollback '%s' is not a sequence number (see the audit log)", a->rollback);
        return 2;
    }
    int found = newsroom_history_find(state_dir, seq, t->topic, sizeof t->topic, &msg, &len);
    if (found != 1) {
        diag_error(&env->diag, "no bundle with seq %" PRIu64 " in the history under %s/history",
                   seq, state_dir);
        return 1;
    }
    uint8_t pk[BUNDLE_KEY_BYTES];
    crypto_sign_ed25519_sk_to_pk(pk, secret);
    struct bundle *b;
    int rc = bundle_decode(&b, msg, len, (const uint8_t (*)[32])pk, 1, t->topic, NULL);
    free(msg);
    if (rc != BUNDLE_OK) {
        diag_error(&env->diag, "the history's bundle %" PRIu64 " does not verify with this key: %s",
                   seq, bundle_strerror(rc));
        return 1;
    }
    struct newsroom_pack p = { calloc(bundle_file_count(b) + 1, sizeof *p.files), bundle_file_count(b) };
    for (size_t i = 0; p.files && i < p.count; i++)
        p.files[i] = *bundle_file_at(b, i);
    rc = p.files ? sign(t, &p, state_dir, secret, &env->diag) : 1;
    free(p.files);
    bundle_free(b);
    return rc;
}

/* Sends (or writes --out), then keeps each bundle in the history and
 * logs it. Nothing is recorded for a send that failed. */
static int deliver(const struct cli_env *env, const struct args *a, const char *state_dir,
                   struct target *t, size_t n, const char *action)
{
    if (a->out) {
        const char *step;
        int rc = n == 1 ? wfile_replace(a->out, t[0].msg, t[0].len, 0644, &step) : 0;
        if (n != 1) {
            diag_error(&env->diag, "--out writes one bundle: name one target");
            return 2;
        }
        if (rc < 0) {
            diag_emit(&env->diag, DIAG_ERROR, a->out, 0, "cannot write (%s): %s", step, strerror(-rc));
            return 1;
        }
    } else {
        struct publish_net net = { a->broker, a->ca_file, a->username, a->password_file, NULL };
        if (publish_send(&net, t, n, &env->diag) != 0)
            return 1;
    }
    for (size_t i = 0; i < n; i++) {
        if (newsroom_history_save(state_dir, t[i].topic, t[i].seq, t[i].msg, t[i].len, &env->diag) != 0
            || newsroom_audit(state_dir, action, t[i].topic, t[i].seq, t[i].sha256, t[i].files,
                              &env->diag) != 0)
            return 1;
        printf("%s %s seq %" PRIu64 " sha256 %s (%zu file%s, %zu bytes)%s%s\n", action, t[i].topic,
               t[i].seq, t[i].sha256, t[i].files, t[i].files == 1 ? "" : "s", t[i].len,
               a->out ? " -> " : "", a->out ? a->out : "");
    }
    return 0;
}

/* The content of every target: checked and packed (one pack for the
 * config and for --clear/--withdraw; an emergency per kind of target). */
static int build(const struct cli_env *env, const struct args *a, const char *state_dir,
                 const uint8_t *secret, struct target *t, size_t n, char eroot[2][PATH_MAX])
{
    struct newsroom_pack packs[2] = { { 0 } };     /* [0] all / config, [1] an emergency for a site */
    int rc = 0;
    if (a->config) {
        rc = check_and_pack(env, a, a->config, NULL, &packs[0]);
        /* A site bundle may not reuse the IDs of the `all` bundle kiosks hold. */
        struct publish_net net = { a->broker, a->ca_file, a->username, a->password_file, secret };
        char dir[PATH_MAX], root[PATH_MAX + 16];
        for (size_t i = 0; rc == 0 && a->broker && !a->out && !a->dry_run && i < n; i++) {
            if (!t[i].site)
                continue;
            int got = publish_fetch_all(&net, state_dir, dir, sizeof dir, &env->diag);
            if (got < 0)
                rc = 1;
            if (got == 1) {
                rc = path_fmt(root, sizeof root, "%s/bundle.ini", dir)
                     ? check_and_pack(env, a, a->config, root, NULL) : 1;
                fleetcache_discard(dir);
            }
            break;
        }
    } else if (a->emergency) {
        for (size_t k = 0; k < 2 && rc == 0; k++) {
            bool want = false;
            for (size_t i = 0; i < n; i++)
                want |= (t[i].site != NULL) == (k == 1);
            if (want && (rc = emergency_write(env, a, state_dir, k == 1, eroot[k])) == 0)
                rc = check_and_pack(env, a, eroot[k], NULL, &packs[k]);
        }
    }
    for (size_t i = 0; rc == 0 && secret && i < n; i++)
        rc = sign(&t[i], &packs[a->emergency && t[i].site ? 1 : 0], state_dir, secret, &env->diag);
    newsroom_pack_free(&packs[0]);
    newsroom_pack_free(&packs[1]);
    return rc;
}

/* --dry-run: the new content of each layer this run would send. */
static int dry_run(const struct cli_env *env, const struct args *a, const char *state_dir,
                   const struct target *t, size_t n, const uint8_t *secret, char eroot[2][PATH_MAX])
{
    time_t at = time(NULL);
    if (a->at && civil_parse_instant(a->at, &at) != 0) {
        diag_error(&env->diag, "--at '%s' is not a time: use \"YYYY-MM-DD HH:MM\"", a->at);
        return 2;
    }
    uint8_t pk[BUNDLE_KEY_BYTES];
    if (secret)
        crypto_sign_ed25519_sk_to_pk(pk, secret);
    else
        printf("(no --key: the bundles sent before are not laid under this one)\n");
    char real[PATH_MAX] = "";
    if (a->config && !realpath(a->config, real))
        return 1;
    printf("(over a neutral display: each kiosk's own messages come on top)\n");
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        /* "" = this run empties the layer (--clear, --withdraw). */
        const char *news[FLEETCACHE_LAYERS] = { 0 };
        bool emergency = a->emergency || a->clear;
        int l = t[i].site ? (emergency ? FLEETCACHE_SITE_EMERGENCY : FLEETCACHE_SITE)
                          : (emergency ? FLEETCACHE_ALL_EMERGENCY : FLEETCACHE_ALL);
        news[l] = a->config ? real : a->emergency ? eroot[t[i].site ? 1 : 0] : "";
        if (a->all && t[i].site)
            news[emergency ? FLEETCACHE_ALL_EMERGENCY : FLEETCACHE_ALL] =
                a->config ? real : a->emergency ? eroot[0] : "";
        rc |= dry_run_site(env, a, state_dir, t[i].site, news, secret ? pk : NULL, at);
    }
    return rc;
}

int cmd_publish_main(const struct cli_env *env, int argc, char **argv)
{
    struct args a = { 0 };
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc < 0 ? 0 : rc;
    char state_dir[PATH_MAX];
    if (newsroom_state_dir(state_dir, sizeof state_dir, a.state_dir, &env->diag) != 0)
        return 1;
    uint8_t secret[BUNDLE_SECRET_BYTES];
    bool have_key = a.key && bundle_key_read_secret(a.key, secret, &env->diag) == 0;
    if (a.key && !have_key)
        return 1;
    struct target t[MAX_TARGETS + 1];
    size_t n = 1;
    char eroot[2][PATH_MAX] = { "", "" };      /* the emergencies' bundle.ini */
    const char *action = a.config ? "publish" : a.emergency ? "emergency" : a.clear ? "clear"
                       : a.withdraw ? "withdraw" : "rollback";
    if (a.rollback) {
        memset(t, 0, sizeof t[0]);
        rc = rollback(env, &a, state_dir, secret, &t[0]);
    } else {
        n = make_targets(&a, t, a.emergency || a.clear);
        rc = build(env, &a, state_dir, have_key ? secret : NULL, t, n, eroot);
    }
    if (rc == 0 && a.dry_run)
        rc = a.rollback ? 0 : dry_run(env, &a, state_dir, t, n, have_key ? secret : NULL, eroot);
    else if (rc == 0)
        rc = deliver(env, &a, state_dir, t, n, action);
    for (size_t i = 0; i < n; i++)
        free(t[i].msg);
    emergency_remove(eroot[0]);
    emergency_remove(eroot[1]);
    sodium_memzero(secret, sizeof secret);
    return rc;
}
