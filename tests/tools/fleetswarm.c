/* fleetswarm — many kiosk clients in one process, for the scale test
 * (tests/e2e/fleet_swarm.sh, 100) and bench (tests/bench/fleet_swarm.sh,
 * 1,000). Each client is the project's own src/fleet/kiosk.c, with its own
 * cache directory, its own MQTT user (the site name) and a check callback
 * that parses the bundle's config and renders nothing. One poll() drives
 * every socket; the open-file limit is raised as needed.
 *
 *   fleetswarm run URL CA PWDIR PUBKEY CACHEDIR PREFIX N SECONDS
 *       sites PREFIX0000 .. PREFIX(N-1), password file PWDIR/SITE; runs
 *       until SECONDS pass or SIGTERM; prints "applied A refused R" at the end
 *   fleetswarm one URL CA PWFILE PUBKEY CACHEDIR SITE SECONDS
 *       one kiosk on its own thread (kiosk_start), as `run` has it; the
 *       main thread plays a frame loop's part: kiosk_set_state every 50 ms
 *       (frames rise; "playing" changes every 2 s, the controller once)
 *   fleetswarm keygen PREFIX
 *   fleetswarm sign SECRETKEY TOPIC SEQ OUT NAME=FILE...
 *       a signed bundle (the newsroom's side, without publish's checks)
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fleet/bundle.h"
#include "fleet/kiosk.h"
#include "schedule/config.h"
#include "util/monotime.h"

static volatile sig_atomic_t stop;
static void on_term(int sig) { (void)sig; stop = 1; }

/* The first error of a config load, for the status. */
struct first_error { char *why; size_t len; };
static void keep_first(void *user, enum diag_level level, const char *file, int line, const char *msg)
{
    struct first_error *e = user;
    if (level == DIAG_ERROR && !e->why[0])
        snprintf(e->why, e->len, "%s:%d: %s", file ? file : "", line, msg);
}

/* Parse the staged bundle's config; no fonts, no rendering. A missing root
 * is a withdrawn layer: nothing to parse. */
static int check_parse(void *user, enum fleetcache_layer l, const char *root, char *why, size_t len)
{
    (void)user;
    (void)l;
    if (access(root, F_OK) != 0)
        return 0;
    struct first_error e = { why, len };
    why[0] = '\0';
    struct diag d = { keep_first, &e };
    struct config_options opt = { 0 };
    struct config *cfg = NULL;
    int rc = config_load(&cfg, root, &opt, &d);
    config_free(cfg);
    return rc == 0 ? 0 : -1;
}

static void raise_nofile(size_t need)
{
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) != 0 || r.rlim_cur >= need)
        return;
    if (r.rlim_max < need)
        r.rlim_max = need;   /* works as root; else the next line says so */
    r.rlim_cur = need;
    if (setrlimit(RLIMIT_NOFILE, &r) != 0) {
        getrlimit(RLIMIT_NOFILE, &r);
        r.rlim_cur = r.rlim_max;
        setrlimit(RLIMIT_NOFILE, &r);
        fprintf(stderr, "fleetswarm: open files limited to %llu, %zu wanted\n",
                (unsigned long long)r.rlim_cur, need);
    }
}

static int run(int argc, char **argv)
{
    if (argc != 10) {
        fprintf(stderr, "usage: fleetswarm run URL CA PWDIR PUBKEY CACHEDIR PREFIX N SECONDS\n");
        return 1;
    }
    const char *url = argv[2], *ca = argv[3], *pwdir = argv[4], *cachedir = argv[6];
    const char *prefix = argv[7];
    int n = atoi(argv[8]), seconds = atoi(argv[9]);
    uint8_t key[1][BUNDLE_KEY_BYTES];
    if (n <= 0 || bundle_key_read_public(argv[5], key[0], NULL) != 0)
        return 1;
    raise_nofile((size_t)n * 4 + 64);
    signal(SIGTERM, on_term);
    signal(SIGINT, on_term);
    signal(SIGPIPE, SIG_IGN);
    struct kiosk **k = calloc((size_t)n, sizeof *k);
    struct pollfd *p = calloc((size_t)n, sizeof *p);
    if (!k || !p)
        return 1;
    struct diag quiet = diag_silent;
    for (int i = 0; i < n; i++) {
        char site[64], pw[4096], cache[4096];
        snprintf(site, sizeof site, "%s%04d", prefix, i);
        snprintf(pw, sizeof pw, "%s/%s", pwdir, site);
        snprintf(cache, sizeof cache, "%s/%s", cachedir, site);
        mkdir(cache, 0755);
        struct kiosk_options o = {
            .broker = url, .site = site, .ca_file = strcmp(ca, "-") ? ca : NULL,
            .password_file = pw, .cache_dir = cache,
            .keys = (const uint8_t (*)[BUNDLE_KEY_BYTES])key, .nkeys = 1,
            .check = check_parse, .d = getenv("FLEETSWARM_VERBOSE") ? NULL : &quiet,
        };
        if (kiosk_new(&k[i], &o) != 0) {
            fprintf(stderr, "fleetswarm: kiosk %s cannot start\n", site);
            return 1;
        }
    }
    fprintf(stderr, "fleetswarm: %d kiosks\n", n);
    uint64_t end = monotime_ms() + (uint64_t)seconds * 1000, next_all = 0;
    while (!stop && monotime_ms() < end) {
        for (int i = 0; i < n; i++) {
            p[i].fd = kiosk_socket(k[i]);
            p[i].events = (short)(POLLIN | (kiosk_wants_write(k[i]) ? POLLOUT : 0));
            p[i].revents = 0;
        }
        int r = poll(p, (nfds_t)n, 100);
        if (r < 0 && errno != EINTR)
            break;
        /* The ready ones now; every one twice a second (connects, keepalive,
         * the periodic status). */
        bool all = monotime_ms() >= next_all;
        if (all)
            next_all = monotime_ms() + 500;
        for (int i = 0; i < n; i++)
            if (all || p[i].revents)
                kiosk_poll(k[i], 0);
    }
    uint64_t applied = 0, refused = 0;
    for (int i = 0; i < n; i++) {
        struct kiosk_counters c;
        kiosk_counters(k[i], &c);
        applied += c.applied;
        refused += c.refused;
        kiosk_free(k[i]);
    }
    printf("applied %" PRIu64 " refused %" PRIu64 "\n", applied, refused);
    free(k);
    free(p);
    return 0;
}

static int one(int argc, char **argv)
{
    if (argc != 9) {
        fprintf(stderr, "usage: fleetswarm one URL CA PWFILE PUBKEY CACHEDIR SITE SECONDS\n");
        return 1;
    }
    uint8_t key[1][BUNDLE_KEY_BYTES];
    if (bundle_key_read_public(argv[5], key[0], NULL) != 0)
        return 1;
    signal(SIGTERM, on_term);
    struct kiosk_options o = {
        .broker = argv[2], .site = argv[7], .ca_file = strcmp(argv[3], "-") ? argv[3] : NULL,
        .password_file = argv[4], .cache_dir = argv[6],
        .keys = (const uint8_t (*)[BUNDLE_KEY_BYTES])key, .nkeys = 1, .check = check_parse,
    };
    struct kiosk *k;
    if (kiosk_new(&k, &o) != 0 || kiosk_start(k) != 0)
        return 1;
    struct kiosk_state st = { .controller = "" };
    uint64_t start = monotime_ms(), end = start + (uint64_t)atoi(argv[8]) * 1000;
    while (!stop && monotime_ms() < end) {
        uint64_t t = monotime_ms() - start;
        st.frames = t / 50;
        snprintf(st.playing, sizeof st.playing, "notice-%llu", (unsigned long long)(t / 2000));
        if (t > 1000)
            snprintf(st.controller, sizeof st.controller, "ledctl-test (usb 1-2)");
        kiosk_set_state(k, &st);
        usleep(50 * 1000);
    }
    struct kiosk_counters c;
    kiosk_counters(k, &c);
    kiosk_free(k);
    printf("applied %" PRIu64 " refused %" PRIu64 "\n", c.applied, c.refused);
    return 0;
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *buf = malloc(BUNDLE_MAX_BYTES);
    *len = buf ? fread(buf, 1, BUNDLE_MAX_BYTES, f) : 0;
    fclose(f);
    return buf;
}

static int sign(int argc, char **argv)
{
    if (argc < 6)
        return 1;
    uint8_t secret[BUNDLE_SECRET_BYTES];
    if (bundle_key_read_secret(argv[2], secret, NULL) != 0)
        return 1;
    size_t n = (size_t)(argc - 6);
    struct bundle_file *files = calloc(n + 1, sizeof *files);
    uint8_t **bufs = calloc(n + 1, sizeof *bufs);
    int rc = 1;
    for (size_t i = 0; i < n; i++) {
        char *eq = strchr(argv[6 + i], '=');
        if (!eq)
            goto out;
        *eq = '\0';
        files[i].name = argv[6 + i];
        if (!(bufs[i] = slurp(eq + 1, &files[i].size))) {
            perror(eq + 1);
            goto out;
        }
        files[i].data = bufs[i];
    }
    uint8_t *msg;
    size_t len;
    int e = bundle_encode(&msg, &len, argv[3], strtoull(argv[4], NULL, 10), files, n, secret);
    if (e != BUNDLE_OK) {
        fprintf(stderr, "fleetswarm sign: %s\n", bundle_strerror(e));
        goto out;
    }
    FILE *f = fopen(argv[5], "wb");
    if (f && fwrite(msg, 1, len, f) == len && fclose(f) == 0)
        rc = 0;
    free(msg);
out:
    for (size_t i = 0; i < n; i++)
        free(bufs[i]);
    free(bufs);
    free(files);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "run") == 0)
        return run(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "one") == 0)
        return one(argc, argv);
    if (argc == 3 && strcmp(argv[1], "keygen") == 0)
        return bundle_keygen(argv[2], NULL) == 0 ? 0 : 1;
    if (argc >= 6 && strcmp(argv[1], "sign") == 0)
        return sign(argc, argv);
    fprintf(stderr, "usage: fleetswarm run|one|keygen|sign ...\n");
    return 1;
}
