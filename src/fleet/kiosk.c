/* kiosk — see kiosk.h. One thread owns the MQTT client and the cache (the
 * kiosk's own, or the swarm's); only kiosk_set_state comes from elsewhere,
 * under `lock`, and wakes that thread through a pipe. */
#include "fleet/kiosk.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fleet/mqttc.h"
#include "util/monotime.h"

#define KIOSK_TOPIC_MAX 128
#define KIOSK_STATUS_MAX 8192

struct kiosk {
    char *broker, *site, *ca_file, *username, *password_file, *cache_dir;
    uint8_t (*keys)[BUNDLE_KEY_BYTES];
    size_t nkeys;
    kiosk_check_fn check;
    kiosk_applied_fn applied;
    void *user;
    int status_interval_ms;
    const struct diag *d;

    char topic[FLEETCACHE_LAYERS][KIOSK_TOPIC_MAX];
    char status_topic[KIOSK_TOPIC_MAX];
    struct bundle_in_use in_use[FLEETCACHE_LAYERS];
    time_t since[FLEETCACHE_LAYERS];
    uint64_t applied_count, refused_count;
    char last_error[256];            /* the most recent, the fleet's or the loop's */
    struct mqttc *mq;
    bool status_due;                 /* something changed: send it */
    uint64_t next_status_ms;
    char status[KIOSK_STATUS_MAX];

    pthread_mutex_t lock;            /* guards `state`, `state_changed`, the counters */
    struct kiosk_state state;
    bool state_changed;
    int wake[2];                     /* kiosk_set_state and kiosk_free -> the thread */
    pthread_t thread;
    bool threaded;
    atomic_bool stop;
};

/* ---- status JSON ---- */

struct out { char *p; size_t len, cap; bool full; };

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= o->cap - o->len)
        o->full = true;
    else
        o->len += (size_t)n;
}

/* A JSON string: quotes, backslashes and control bytes escaped; UTF-8 as is. */
static void put_str(struct out *o, const char *s)
{
    put(o, "\"");
    for (; *s && !o->full; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            put(o, "\\%c", ch);
        else if (ch < 0x20)
            put(o, "\\u%04x", ch);
        else
            put(o, "%c", ch);
    }
    put(o, "\"");
}

/* 2026-12-01T15:00:00+08:00, local time. */
static void iso_time(time_t t, char *buf, size_t len)
{
    struct tm tm;
    localtime_r(&t, &tm);
    char z[8];
    strftime(z, sizeof z, "%z", &tm);
    size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
    if (n && strlen(z) == 5)
        snprintf(buf + n, len - n, "%.3s:%s", z, z + 3);
}

static void build_status(struct kiosk *k, const struct kiosk_state *s, const char *last_error,
                         uint64_t applied, uint64_t refused)
{
    struct out o = { k->status, 0, sizeof k->status, false };
    char when[40];
    iso_time(time(NULL), when, sizeof when);
    put(&o, "{\"site\":");
    put_str(&o, k->site);
    put(&o, ",\"online\":true,\"time\":\"%s\",\"layers\":{", when);
    bool first = true;
    for (int l = 0; l < FLEETCACHE_LAYERS; l++) {
        if (!k->in_use[l].seq)
            continue;
        iso_time(k->since[l], when, sizeof when);
        put(&o, "%s\"%s\":{\"seq\":%" PRIu64 ",\"sha256\":\"%s\",\"since\":\"%s\"}",
            first ? "" : ",", fleetcache_layer_name((enum fleetcache_layer)l),
            k->in_use[l].seq, k->in_use[l].sha256, when);
        first = false;
    }
    put(&o, "},\"playing\":");
    put_str(&o, s->playing);
    put(&o, ",\"controller\":");
    put_str(&o, s->controller);
    put(&o, ",\"counters\":{\"frames\":%" PRIu64 ",\"dropped\":%" PRIu64 ",\"applied\":%" PRIu64
            ",\"refused\":%" PRIu64 "},\"last_error\":",
        s->frames, s->dropped, applied, refused);
    put_str(&o, last_error);
    put(&o, "}");
    if (o.full)   /* cannot happen with the sizes above; never send half a document */
        snprintf(k->status, sizeof k->status, "{\"site\":\"%s\",\"online\":true}", k->site);
}

static void send_status(struct kiosk *k)
{
    if (!mqttc_connected(k->mq))
        return;   /* sent on connect */
    struct kiosk_state s;
    char last_error[sizeof k->last_error];
    pthread_mutex_lock(&k->lock);
    s = k->state;
    memcpy(last_error, k->last_error, sizeof last_error);
    uint64_t applied = k->applied_count, refused = k->refused_count;
    pthread_mutex_unlock(&k->lock);
    build_status(k, &s, last_error, applied, refused);
    if (mqttc_publish(k->mq, k->status_topic, k->status, strlen(k->status), true, NULL) == MQTTC_OK) {
        k->status_due = false;
        k->next_status_ms = monotime_ms() + (uint64_t)k->status_interval_ms;
    }
}

/* ---- bundles ---- */

static void refuse(struct kiosk *k, enum fleetcache_layer l, uint64_t seq, const char *why)
{
    pthread_mutex_lock(&k->lock);
    if (seq)
        snprintf(k->last_error, sizeof k->last_error, "refused %s seq %" PRIu64 ": %s",
                 fleetcache_layer_name(l), seq, why);
    else   /* not decoded: the seq inside is not to be trusted */
        snprintf(k->last_error, sizeof k->last_error, "refused %s: %s",
                 fleetcache_layer_name(l), why);
    k->refused_count++;
    pthread_mutex_unlock(&k->lock);
    diag_warn(k->d, "fleet: %s; the last good config keeps playing", k->last_error);
    k->status_due = true;
}

static void take_bundle(struct kiosk *k, enum fleetcache_layer l, const uint8_t *msg, size_t len)
{
    struct bundle *b = NULL;
    int rc = bundle_decode(&b, msg, len, (const uint8_t (*)[BUNDLE_KEY_BYTES])k->keys, k->nkeys,
                           k->topic[l], &k->in_use[l]);
    if (rc == BUNDLE_SAME)
        return;   /* the retained one again, after a reconnect */
    if (rc != BUNDLE_OK) {
        refuse(k, l, 0, bundle_strerror(rc));
        return;
    }
    char dir[4096], root[4200], why[512] = "";
    rc = fleetcache_stage(k->cache_dir, l, b, msg, len, dir, sizeof dir);
    if (rc != BUNDLE_OK) {
        refuse(k, l, bundle_seq(b), bundle_strerror(rc));
        bundle_free(b);
        return;
    }
    snprintf(root, sizeof root, "%s/bundle.ini", dir);
    if (k->check && k->check(k->user, l, root, why, sizeof why) != 0) {
        fleetcache_discard(dir);
        refuse(k, l, bundle_seq(b), why[0] ? why : "the config check failed");
        bundle_free(b);
        return;
    }
    rc = fleetcache_commit(k->cache_dir, l, b);
    if (rc != BUNDLE_OK) {
        fleetcache_discard(dir);
        refuse(k, l, bundle_seq(b), bundle_strerror(rc));
        bundle_free(b);
        return;
    }
    k->in_use[l].seq = bundle_seq(b);
    snprintf(k->in_use[l].sha256, sizeof k->in_use[l].sha256, "%s", bundle_sha256(b));
    k->since[l] = time(NULL);
    pthread_mutex_lock(&k->lock);
    k->applied_count++;
    pthread_mutex_unlock(&k->lock);
    diag_info(k->d, "fleet: %s bundle seq %" PRIu64 " (%zu files) in use", fleetcache_layer_name(l),
              bundle_seq(b), bundle_file_count(b));
    bundle_free(b);
    k->status_due = true;
    if (k->applied)
        k->applied(k->user, l);
}

static void on_message(void *user, const char *topic, const uint8_t *payload, size_t len,
                       bool retained)
{
    (void)retained;
    struct kiosk *k = user;
    for (int l = 0; l < FLEETCACHE_LAYERS; l++)
        if (strcmp(topic, k->topic[l]) == 0) {
            take_bundle(k, (enum fleetcache_layer)l, payload, len);
            return;
        }
}

static void on_connect(void *user, bool up)
{
    struct kiosk *k = user;
    if (up)
        k->status_due = true;   /* online again: say so at once */
}

/* ---- set-up ---- */

static bool site_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 63 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
              s[i] == '-'))
            return false;
    return true;
}

static const char *const layer_topic_fmt[FLEETCACHE_LAYERS] = {
    [FLEETCACHE_ALL] = "ledticker/v1/all/config",
    [FLEETCACHE_SITE] = "ledticker/v1/site/%s/config",
    [FLEETCACHE_ALL_EMERGENCY] = "ledticker/v1/all/emergency",
    [FLEETCACHE_SITE_EMERGENCY] = "ledticker/v1/site/%s/emergency",
};

/* What the cache has in use, and since when (the `current` link's time). */
static void read_cache(struct kiosk *k)
{
    for (int l = 0; l < FLEETCACHE_LAYERS; l++) {
        int rc = fleetcache_in_use(k->cache_dir, (enum fleetcache_layer)l,
                                   (const uint8_t (*)[BUNDLE_KEY_BYTES])k->keys, k->nkeys,
                                   k->topic[l], &k->in_use[l]);
        if (rc != BUNDLE_OK) {
            memset(&k->in_use[l], 0, sizeof k->in_use[l]);
            snprintf(k->last_error, sizeof k->last_error, "cache %s: %s", fleetcache_layer_name(l),
                     bundle_strerror(rc));
            diag_warn(k->d, "fleet: %s/%s: the cached bundle does not verify (%s); ignored",
                      k->cache_dir, fleetcache_layer_name(l), bundle_strerror(rc));
            continue;
        }
        char link[4200];
        struct stat st;
        snprintf(link, sizeof link, "%s/%s/current", k->cache_dir, fleetcache_layer_name(l));
        k->since[l] = lstat(link, &st) == 0 ? st.st_mtime : time(NULL);
    }
}

static char *dup_opt(const char *s, bool *nomem)
{
    if (!s)
        return NULL;
    char *r = strdup(s);
    if (!r)
        *nomem = true;
    return r;
}

static int make_client(struct kiosk *k)
{
    char will[256], id[96];
    snprintf(will, sizeof will, "{\"site\":\"%s\",\"online\":false}", k->site);
    snprintf(id, sizeof id, "ledticker-%s", k->site);
    struct mqttc_options mo = {
        .broker = k->broker,
        .client_id = id,
        .ca_file = k->ca_file,
        .username = k->username ? k->username : k->site,
        .password_file = k->password_file,
        .will_topic = k->status_topic,
        .will_payload = will,
        .on_message = on_message,
        .on_connect = on_connect,
        .user = k,
        .d = k->d,
    };
    if (mqttc_new(&k->mq, &mo) != MQTTC_OK)
        return -1;
    for (int l = 0; l < FLEETCACHE_LAYERS; l++)
        if (mqttc_subscribe(k->mq, k->topic[l], 1) != MQTTC_OK)
            return -1;
    return 0;
}

int kiosk_new(struct kiosk **out, const struct kiosk_options *o)
{
    *out = NULL;
    if (!o->site || !site_ok(o->site)) {
        diag_error(o->d, "[fleet] site '%s': not a site name ([a-z0-9][a-z0-9_-]{0,62})",
                   o->site ? o->site : "");
        return -1;
    }
    if (!o->broker) {
        diag_error(o->d, "[fleet] broker: missing");
        return -1;
    }
    struct mqttc_url url;
    if (mqttc_url_parse(o->broker, &url) != MQTTC_OK) {
        diag_error(o->d, "[fleet] broker '%s': %s", o->broker, mqttc_strerror(MQTTC_ERR_URL));
        return -1;
    }
    if (o->nkeys == 0) {
        diag_error(o->d, "[fleet] public_key: none given; no bundle could be trusted");
        return -1;
    }
    struct kiosk *k = calloc(1, sizeof *k);
    if (!k)
        return -1;
    k->wake[0] = k->wake[1] = -1;
    pthread_mutex_init(&k->lock, NULL);
    bool nomem = false;
    k->broker = dup_opt(o->broker, &nomem);
    k->site = dup_opt(o->site, &nomem);
    k->ca_file = dup_opt(o->ca_file, &nomem);
    k->username = dup_opt(o->username, &nomem);
    k->password_file = dup_opt(o->password_file, &nomem);
    k->cache_dir = dup_opt(o->cache_dir ? o->cache_dir : FLEETCACHE_DEFAULT_DIR, &nomem);
    k->keys = malloc(o->nkeys * sizeof *k->keys);
    if (nomem || !k->keys)
        goto fail;
    memcpy(k->keys, o->keys, o->nkeys * sizeof *k->keys);
    k->nkeys = o->nkeys;
    k->check = o->check;
    k->applied = o->applied;
    k->user = o->user;
    k->status_interval_ms = (o->status_interval_s > 0 ? o->status_interval_s : 60) * 1000;
    k->d = o->d;
    for (int l = 0; l < FLEETCACHE_LAYERS; l++)
        snprintf(k->topic[l], sizeof k->topic[l], layer_topic_fmt[l], k->site);
    snprintf(k->status_topic, sizeof k->status_topic, "ledticker/v1/site/%s/status", k->site);
    if (pipe2(k->wake, O_CLOEXEC | O_NONBLOCK) != 0)
        goto fail;
    read_cache(k);
    if (make_client(k) != 0)
        goto fail;
    k->status_due = true;
    *out = k;
    return 0;
fail:
    kiosk_free(k);
    return -1;
}

/* ---- driving ---- */

int kiosk_socket(struct kiosk *k)
{
    return mqttc_socket(k->mq);
}

int kiosk_wants_write(struct kiosk *k)
{
    return (mqttc_events(k->mq) & POLLOUT) != 0;
}

static void drain_wake(struct kiosk *k)
{
    char buf[64];
    while (read(k->wake[0], buf, sizeof buf) > 0)
        ;
    pthread_mutex_lock(&k->lock);
    if (k->state_changed) {
        k->state_changed = false;
        k->status_due = true;
    }
    pthread_mutex_unlock(&k->lock);
}

static int poll_once(struct kiosk *k, int timeout_ms)
{
    int wait = mqttc_step(k->mq, 0);
    if (k->status_due || monotime_ms() >= k->next_status_ms)
        send_status(k);
    if (wait > timeout_ms)
        wait = timeout_ms;
    struct pollfd p[2] = {
        { .fd = mqttc_socket(k->mq), .events = mqttc_events(k->mq) },
        { .fd = k->wake[0], .events = POLLIN },
    };
    int n = poll(p, 2, wait < 0 ? 0 : wait);
    if (n > 0 && p[1].revents)
        drain_wake(k);
    if (n > 0 && p[0].fd >= 0 && p[0].revents)
        mqttc_step(k->mq, p[0].revents);
    if (k->status_due || monotime_ms() >= k->next_status_ms)
        send_status(k);
    return 0;
}

int kiosk_poll(struct kiosk *k, int timeout_ms)
{
    if (k->threaded)
        return -1;
    return poll_once(k, timeout_ms);
}

static void *kiosk_thread(void *arg)
{
    struct kiosk *k = arg;
    while (!atomic_load(&k->stop))
        poll_once(k, 1000);
    return NULL;
}

int kiosk_start(struct kiosk *k)
{
    if (k->threaded)
        return -1;
    if (pthread_create(&k->thread, NULL, kiosk_thread, k) != 0) {
        diag_error(k->d, "fleet: cannot start the client's thread: %s", strerror(errno));
        return -1;
    }
    k->threaded = true;
    return 0;
}

void kiosk_set_state(struct kiosk *k, const struct kiosk_state *s)
{
    pthread_mutex_lock(&k->lock);
    bool changed = strcmp(s->playing, k->state.playing) != 0 ||
                   strcmp(s->controller, k->state.controller) != 0 ||
                   strcmp(s->last_error, k->state.last_error) != 0;
    if (s->last_error[0] && strcmp(s->last_error, k->state.last_error) != 0)
        snprintf(k->last_error, sizeof k->last_error, "%s", s->last_error);
    k->state = *s;
    if (changed)
        k->state_changed = true;
    pthread_mutex_unlock(&k->lock);
    if (changed && write(k->wake[1], "", 1) < 0) {
        /* The pipe is full: a wake-up is pending anyway. */
    }
}

void kiosk_counters(struct kiosk *k, struct kiosk_counters *out)
{
    pthread_mutex_lock(&k->lock);
    out->applied = k->applied_count;
    out->refused = k->refused_count;
    pthread_mutex_unlock(&k->lock);
}

void kiosk_free(struct kiosk *k)
{
    if (!k)
        return;
    if (k->threaded) {
        atomic_store(&k->stop, true);
        if (write(k->wake[1], "", 1) < 0) {
            /* full: the thread is awake already */
        }
        pthread_join(k->thread, NULL);
    }
    if (k->mq) {
        mqttc_close(k->mq, true);
        mqttc_free(k->mq);
    }
    for (int i = 0; i < 2; i++)
        if (k->wake[i] >= 0)
            close(k->wake[i]);
    pthread_mutex_destroy(&k->lock);
    free(k->broker);
    free(k->site);
    free(k->ca_file);
    free(k->username);
    free(k->password_file);
    free(k->cache_dir);
    free(k->keys);
    free(k);
}
