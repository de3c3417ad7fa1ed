/* mqttc — see mqttc.h. libmosquitto does the protocol and TLS; this file
 * holds the fleet's choices: MQTT 5, QoS 1, URL and password file, and a
 * reconnect schedule of its own (mosquitto_reconnect_delay_set applies only
 * to the library's own loops, and we drive the socket ourselves). */
#include "fleet/mqttc.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <sys/socket.h>
#include <mosquitto.h>

#include "util/monotime.h"

#define MQTTC_BACKOFF_FIRST_MS 1000
#define MQTTC_BACKOFF_MAX_MS 30000
#define MQTTC_ACKS 16            /* PUBACKs remembered */
#define MQTTC_CONNECT_MS 15000   /* a connect not up by then is given up and retried */
#define MQTTC_MQTT_OK_BELOW 128  /* MQTT 5: reason codes >= 0x80 are failures */

struct mqttc_ack { int mid, reason; };

struct mqttc {
    struct mosquitto *mosq;
    struct mqttc_url url;
    char *username, *password, *will_topic, *will_payload;
    int keepalive_s;
    mqttc_message_fn on_message;
    mqttc_connect_fn on_connect;
    void *user;
    const struct diag *d;
    char **subs;
    int *sub_qos;
    size_t nsubs;
    bool tcp;                    /* a socket is open (CONNACK may be pending) */
    bool up;                     /* CONNACK success came */
    int connack;                 /* the last CONNACK's reason, -1 none yet */
    uint64_t next_attempt_ms;    /* when disconnected: the next connect */
    unsigned backoff_ms;
    unsigned failures;           /* connect failures in a row (logged once) */
    bool lost;                   /* was up, went down: say so when back */
    bool closing;                /* mqttc_close: a disconnect we asked for */
    uint64_t attempt_ms;         /* when the current connect began */
    unsigned seed;               /* for the jitter; per client, no global state */
    struct mqttc_ack acks[MQTTC_ACKS];
    unsigned ack_next;
};

const char *mqttc_strerror(int err)
{
    switch (err) {
    case MQTTC_OK: return "ok";
    case MQTTC_ERR_URL: return "not an MQTT URL (mqtt:// or mqtts://HOST[:PORT])";
    case MQTTC_ERR_PASSWORD: return "cannot read the password file";
    case MQTTC_ERR_TLS: return "cannot set up TLS";
    case MQTTC_ERR_CONNECT: return "cannot connect to the broker";
    case MQTTC_ERR_REFUSED: return "refused by the broker";
    case MQTTC_ERR_TIMEOUT: return "the broker did not answer in time";
    case MQTTC_ERR_NO_CONN: return "not connected to the broker";
    case MQTTC_ERR_NO_MEM: return "out of memory";
    case MQTTC_ERR_LIB: return "libmosquitto error";
    }
    return "unknown error";
}

const char *mqttc_reason_string(int reason)
{
    return mosquitto_reason_string(reason);
}

int mqttc_url_parse(const char *url, struct mqttc_url *out)
{
    memset(out, 0, sizeof *out);
    const char *p;
    if (strncmp(url, "mqtt://", 7) == 0) {
        p = url + 7;
        out->port = MQTTC_DEFAULT_PORT;
    } else if (strncmp(url, "mqtts://", 8) == 0) {
        p = url + 8;
        out->tls = true;
        out->port = MQTTC_DEFAULT_TLS_PORT;
    } else {
        return MQTTC_ERR_URL;
    }
    const char *host = p, *end;
    if (*p == '[') {                     /* [IPv6] */
        host = p + 1;
        end = strchr(host, ']');
        if (!end || end == host)
            return MQTTC_ERR_URL;
        for (const char *q = host; q < end; q++)
            if (!isxdigit((unsigned char)*q) && *q != ':' && *q != '.')
                return MQTTC_ERR_URL;
        p = end + 1;
    } else {
        end = p;
        while (*end && *end != ':' && *end != '/')
            end++;
        if (end == host)
            return MQTTC_ERR_URL;
        for (const char *q = host; q < end; q++)
            if (!isalnum((unsigned char)*q) && *q != '-' && *q != '.' && *q != '_')
                return MQTTC_ERR_URL;   /* no user@, no spaces, no IPv6 without [] */
        p = end;
    }
    if ((size_t)(end - host) >= sizeof out->host)
        return MQTTC_ERR_URL;
    memcpy(out->host, host, (size_t)(end - host));
    if (*p == ':') {
        p++;
        long port = 0;
        if (!isdigit((unsigned char)*p))
            return MQTTC_ERR_URL;
        while (isdigit((unsigned char)*p) && port <= 65535)
            port = port * 10 + (*p++ - '0');
        if (port < 1 || port > 65535)
            return MQTTC_ERR_URL;
        out->port = (int)port;
    }
    if (*p == '/')
        p++;
    return *p ? MQTTC_ERR_URL : MQTTC_OK;
}

bool mqttc_url_is_loopback(const struct mqttc_url *u)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, u->host, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, u->host, &a6) == 1)
        return IN6_IS_ADDR_LOOPBACK(&a6);
    return strcmp(u->host, "localhost") == 0;
}

/* The first line of the file, without its line end. */
static char *read_password(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char line[1024];
    char *r = fgets(line, sizeof line, f) ? line : NULL;
    fclose(f);
    if (!r)
        return NULL;
    line[strcspn(line, "\r\n")] = '\0';
    return line[0] ? strdup(line) : NULL;
}

static void remember_ack(struct mqttc *c, int mid, int reason)
{
    c->acks[c->ack_next % MQTTC_ACKS] = (struct mqttc_ack){ mid, reason };
    c->ack_next++;
}

int mqttc_acked(const struct mqttc *c, int mid, int *reason)
{
    for (unsigned i = 0; i < MQTTC_ACKS && i < c->ack_next; i++) {
        const struct mqttc_ack *a = &c->acks[(c->ack_next - 1 - i) % MQTTC_ACKS];
        if (a->mid == mid) {
            if (reason)
                *reason = a->reason;
            return 1;
        }
    }
    return 0;
}

static void schedule_reconnect(struct mqttc *c)
{
    /* Jitter of up to a half, so that a thousand kiosks that lost the same
     * broker do not all knock at the same millisecond when it is back. */
    unsigned jitter = (unsigned)rand_r(&c->seed) % (c->backoff_ms / 2 + 1);
    c->next_attempt_ms = monotime_ms() + c->backoff_ms + jitter;
    c->backoff_ms = c->backoff_ms * 2 > MQTTC_BACKOFF_MAX_MS ? MQTTC_BACKOFF_MAX_MS
                                                             : c->backoff_ms * 2;
}

static void went_down(struct mqttc *c)
{
    bool was_up = c->up;
    c->tcp = false;
    c->up = false;
    if (c->closing)
        return;
    schedule_reconnect(c);
    if (was_up) {
        c->lost = true;
        diag_warn(c->d, "lost the broker %s:%d; reconnecting with backoff", c->url.host, c->url.port);
        if (c->on_connect)
            c->on_connect(c->user, false);
    }
}

static void on_connect_cb(struct mosquitto *mosq, void *obj, int reason, int flags,
                          const mosquitto_property *props)
{
    (void)flags;
    (void)props;
    struct mqttc *c = obj;
    c->connack = reason;
    if (reason != 0) {
        diag_error(c->d, "the broker %s:%d refused the connection: %s", c->url.host, c->url.port,
                   mosquitto_reason_string(reason));
        return;   /* the broker closes it; on_disconnect schedules the retry */
    }
    c->up = true;
    c->backoff_ms = MQTTC_BACKOFF_FIRST_MS;
    if (c->failures || c->lost)
        diag_notice(c->d, "connected to the broker %s:%d again", c->url.host, c->url.port);
    else
        diag_info(c->d, "connected to the broker %s:%d", c->url.host, c->url.port);
    c->failures = 0;
    c->lost = false;
    for (size_t i = 0; i < c->nsubs; i++)
        mosquitto_subscribe_v5(mosq, NULL, c->subs[i], c->sub_qos[i], 0, NULL);
    if (c->on_connect)
        c->on_connect(c->user, true);
}

static void on_disconnect_cb(struct mosquitto *mosq, void *obj, int rc,
                             const mosquitto_property *props)
{
    (void)mosq;
    (void)rc;
    (void)props;
    went_down(obj);
}

static void on_publish_cb(struct mosquitto *mosq, void *obj, int mid, int reason,
                          const mosquitto_property *props)
{
    (void)mosq;
    (void)props;
    remember_ack(obj, mid, reason);
}

static void on_message_cb(struct mosquitto *mosq, void *obj, const struct mosquitto_message *m,
                          const mosquitto_property *props)
{
    (void)mosq;
    (void)props;
    struct mqttc *c = obj;
    if (c->on_message && m->payloadlen >= 0)
        c->on_message(c->user, m->topic, m->payload, (size_t)m->payloadlen, m->retain);
}

static int setup(struct mqttc *c, const struct mqttc_options *o)
{
    c->mosq = mosquitto_new(o->client_id, true, c);
    if (!c->mosq)
        return errno == ENOMEM ? MQTTC_ERR_NO_MEM : MQTTC_ERR_LIB;
    if (mosquitto_int_option(c->mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5) ||
        mosquitto_int_option(c->mosq, MOSQ_OPT_TCP_NODELAY, 1))
        return MQTTC_ERR_LIB;
    if (c->url.tls) {
        int rc = o->ca_file ? mosquitto_tls_set(c->mosq, o->ca_file, NULL, NULL, NULL, NULL)
                            : mosquitto_int_option(c->mosq, MOSQ_OPT_TLS_USE_OS_CERTS, 1);
        if (rc) {
            diag_error(c->d, "%s: cannot use it as the broker's CA file: %s",
                       o->ca_file ? o->ca_file : "(system CAs)", mosquitto_strerror(rc));
            return MQTTC_ERR_TLS;
        }
    }
    if ((c->username || c->password) &&
        mosquitto_username_pw_set(c->mosq, c->username, c->password))
        return MQTTC_ERR_LIB;
    if (c->will_topic) {
        const char *w = c->will_payload ? c->will_payload : "";
        if (mosquitto_will_set_v5(c->mosq, c->will_topic, (int)strlen(w), w, 1, true, NULL))
            return MQTTC_ERR_LIB;
    }
    mosquitto_connect_v5_callback_set(c->mosq, on_connect_cb);
    mosquitto_disconnect_v5_callback_set(c->mosq, on_disconnect_cb);
    mosquitto_publish_v5_callback_set(c->mosq, on_publish_cb);
    mosquitto_message_v5_callback_set(c->mosq, on_message_cb);
    return MQTTC_OK;
}

static char *dup_or_null(const char *s, bool *fail)
{
    if (!s)
        return NULL;
    char *r = strdup(s);
    if (!r)
        *fail = true;
    return r;
}

int mqttc_new(struct mqttc **out, const struct mqttc_options *o)
{
    *out = NULL;
    struct mqttc *c = calloc(1, sizeof *c);
    if (!c)
        return MQTTC_ERR_NO_MEM;
    /* Counted by the library; mqttc_free undoes it. */
    mosquitto_lib_init();
    c->d = o->d;
    c->keepalive_s = o->keepalive_s > 0 ? o->keepalive_s : 30;
    c->on_message = o->on_message;
    c->on_connect = o->on_connect;
    c->user = o->user;
    c->connack = -1;
    c->backoff_ms = MQTTC_BACKOFF_FIRST_MS;
    c->seed = (unsigned)monotime_ms() ^ (unsigned)(uintptr_t)c;
    int rc = MQTTC_OK;
    if (!o->broker || mqttc_url_parse(o->broker, &c->url) != MQTTC_OK) {
        diag_error(o->d, "broker '%s': %s", o->broker ? o->broker : "", mqttc_strerror(MQTTC_ERR_URL));
        rc = MQTTC_ERR_URL;
        goto fail;
    }
    if (o->password_file && !(c->password = read_password(o->password_file))) {
        diag_error(o->d, "%s: cannot read the broker password (the file's first line): %s",
                   o->password_file, errno ? strerror(errno) : "empty");
        rc = MQTTC_ERR_PASSWORD;
        goto fail;
    }
    bool nomem = false;
    c->username = dup_or_null(o->username, &nomem);
    c->will_topic = dup_or_null(o->will_topic, &nomem);
    c->will_payload = dup_or_null(o->will_payload, &nomem);
    if (nomem) {
        rc = MQTTC_ERR_NO_MEM;
        goto fail;
    }
    if ((rc = setup(c, o)) != MQTTC_OK)
        goto fail;
    *out = c;
    return MQTTC_OK;
fail:
    mqttc_free(c);
    return rc;
}

void mqttc_close(struct mqttc *c, bool with_will)
{
    if (!c || !c->tcp)
        return;
    /* MQTT 5 "Disconnect with Will Message" (0x04) or a normal one (0). */
    c->closing = true;
    mosquitto_disconnect_v5(c->mosq, with_will ? 4 : 0, NULL);
    for (int i = 0; i < 10 && mosquitto_want_write(c->mosq); i++)
        if (mosquitto_loop_write(c->mosq, 1) != MOSQ_ERR_SUCCESS)
            break;
    c->tcp = c->up = false;
}

void mqttc_free(struct mqttc *c)
{
    if (!c)
        return;
    if (c->mosq)
        mosquitto_destroy(c->mosq);
    for (size_t i = 0; i < c->nsubs; i++)
        free(c->subs[i]);
    free(c->subs);
    free(c->sub_qos);
    if (c->password) {
        memset(c->password, 0, strlen(c->password));
        free(c->password);
    }
    free(c->username);
    free(c->will_topic);
    free(c->will_payload);
    free(c);
    mosquitto_lib_cleanup();
}

int mqttc_subscribe(struct mqttc *c, const char *topic, int qos)
{
    qos = qos ? 1 : 0;
    char **s = realloc(c->subs, (c->nsubs + 1) * sizeof *s);
    if (!s)
        return MQTTC_ERR_NO_MEM;
    c->subs = s;
    int *q = realloc(c->sub_qos, (c->nsubs + 1) * sizeof *q);
    if (!q)
        return MQTTC_ERR_NO_MEM;
    c->sub_qos = q;
    if (!(s[c->nsubs] = strdup(topic)))
        return MQTTC_ERR_NO_MEM;
    q[c->nsubs] = qos;
    c->nsubs++;
    if (c->up && mosquitto_subscribe_v5(c->mosq, NULL, topic, qos, 0, NULL))
        return MQTTC_ERR_NO_CONN;
    return MQTTC_OK;
}

int mqttc_publish(struct mqttc *c, const char *topic, const void *payload, size_t len,
                  bool retain, int *mid)
{
    if (!c->up)
        return MQTTC_ERR_NO_CONN;
    if (len > (size_t)INT32_MAX)
        return MQTTC_ERR_LIB;
    int rc = mosquitto_publish_v5(c->mosq, mid, topic, (int)len, payload, 1, retain, NULL);
    if (rc == MOSQ_ERR_NOMEM)
        return MQTTC_ERR_NO_MEM;
    if (rc == MOSQ_ERR_NO_CONN || rc == MOSQ_ERR_CONN_LOST)
        return MQTTC_ERR_NO_CONN;
    return rc ? MQTTC_ERR_LIB : MQTTC_OK;
}

int mqttc_socket(const struct mqttc *c)
{
    return c->tcp ? mosquitto_socket(c->mosq) : -1;
}

short mqttc_events(const struct mqttc *c)
{
    return (short)(POLLIN | (c->tcp && mosquitto_want_write(c->mosq) ? POLLOUT : 0));
}

bool mqttc_connected(const struct mqttc *c)
{
    return c->up;
}

/* A connection that did not come up: refused, unreachable, or a TLS
 * handshake that failed (a CA that did not sign the broker's certificate).
 * The first failure in a row is a warning; the retries are quiet until it
 * works (then a notice says so). */
static void connect_failed(struct mqttc *c, const char *why)
{
    if (c->failures++ == 0)
        diag_warn(c->d, "cannot connect to the broker %s:%d: %s; retrying with backoff",
                  c->url.host, c->url.port, why);
}

static const char *lib_reason(int rc)
{
    return rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc);
}

static void try_connect(struct mqttc *c)
{
    c->connack = -1;
    c->attempt_ms = monotime_ms();
    /* Non-blocking: a host that drops packets must not hold the caller's
     * thread for the kernel's SYN retries. (The next attempt closes a
     * socket a failed one left; libmosquitto's reconnect does that.) */
    int rc = mosquitto_connect_bind_async(c->mosq, c->url.host, c->url.port, c->keepalive_s, NULL);
    if (rc == MOSQ_ERR_SUCCESS) {
        c->tcp = true;
        return;
    }
    connect_failed(c, lib_reason(rc));
    schedule_reconnect(c);
}

int mqttc_step(struct mqttc *c, short revents)
{
    if (!c->tcp) {
        if (monotime_ms() >= c->next_attempt_ms)
            try_connect(c);
        if (!c->tcp) {
            uint64_t now = monotime_ms();
            return c->next_attempt_ms > now ? (int)(c->next_attempt_ms - now) : 0;
        }
    }
    bool was_up = c->up;
    if (!c->up && c->connack <= 0) {
        /* Still connecting. libmosquitto 2.0 does not notice a refused
         * non-blocking connect under TLS (its read returns success on the
         * hung-up socket), nor one that never answers: we do. */
        const char *why = NULL;
        int err = 0;
        socklen_t l = sizeof err;
        if (revents & (POLLERR | POLLHUP))
            why = getsockopt(mosquitto_socket(c->mosq), SOL_SOCKET, SO_ERROR, &err, &l) == 0 && err
                  ? strerror(err) : "refused or closed by the other side";
        else if (monotime_ms() - c->attempt_ms > MQTTC_CONNECT_MS)
            why = "no answer within 15 s";
        if (why) {
            c->tcp = false;
            connect_failed(c, why);
            schedule_reconnect(c);
            uint64_t now = monotime_ms();
            return c->next_attempt_ms > now ? (int)(c->next_attempt_ms - now) : 0;
        }
    }
    int rc = MOSQ_ERR_SUCCESS;
    if (revents & (POLLIN | POLLERR | POLLHUP))
        rc = mosquitto_loop_read(c->mosq, 8);
    if (rc == MOSQ_ERR_SUCCESS && c->tcp && mosquitto_want_write(c->mosq))
        rc = mosquitto_loop_write(c->mosq, 8);
    if (rc == MOSQ_ERR_SUCCESS && c->tcp)
        rc = mosquitto_loop_misc(c->mosq);
    if (rc != MOSQ_ERR_SUCCESS && c->tcp) {
        /* libmosquitto closed the socket (and called on_disconnect, which
         * scheduled the retry), or it still holds a dead one. */
        if (mosquitto_socket(c->mosq) >= 0)
            mosquitto_disconnect(c->mosq);
        if (c->tcp)
            went_down(c);
    }
    /* Down before any CONNACK: the connection never came up (a refusing
     * CONNACK has said so itself, in on_connect_cb). */
    if (rc != MOSQ_ERR_SUCCESS && !was_up && !c->up && c->connack <= 0)
        connect_failed(c, lib_reason(rc));
    if (!c->tcp) {
        uint64_t now = monotime_ms();
        return c->next_attempt_ms > now ? (int)(c->next_attempt_ms - now) : 0;
    }
    /* Keepalive pings are due in seconds; a connect under way is checked
     * for its time limit at the same pace. */
    return 1000;
}

int mqttc_run(struct mqttc *c, int timeout_ms, bool (*done)(void *arg), void *arg)
{
    uint64_t end = monotime_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0);
    short revents = 0;
    for (;;) {
        int wait = mqttc_step(c, revents);
        if (done && done(arg))
            return MQTTC_OK;
        uint64_t now = monotime_ms();
        if (now >= end)
            return MQTTC_ERR_TIMEOUT;
        if ((uint64_t)wait > end - now)
            wait = (int)(end - now);
        struct pollfd p = { .fd = mqttc_socket(c), .events = mqttc_events(c) };
        revents = 0;
        if (p.fd >= 0) {
            if (poll(&p, 1, wait) > 0)
                revents = p.revents;
        } else {
            struct timespec ts = { wait / 1000, (long)(wait % 1000) * 1000000L };
            nanosleep(&ts, NULL);
        }
    }
}

static bool connect_settled(void *arg)
{
    const struct mqttc *c = arg;
    return c->up || c->connack > 0 || c->failures > 0;
}

int mqttc_connect_wait(struct mqttc *c, int timeout_ms)
{
    if (c->up)
        return MQTTC_OK;
    mqttc_run(c, timeout_ms, connect_settled, c);
    if (c->up)
        return MQTTC_OK;
    if (c->connack > 0)
        return MQTTC_ERR_REFUSED;
    if (!c->failures)
        diag_error(c->d, "the broker %s:%d did not answer within %d ms", c->url.host, c->url.port,
                   timeout_ms);
    return c->failures ? MQTTC_ERR_CONNECT : MQTTC_ERR_TIMEOUT;
}

struct ack_wait { const struct mqttc *c; int mid; };

static bool ack_came(void *arg)
{
    const struct ack_wait *w = arg;
    return mqttc_acked(w->c, w->mid, NULL) || !w->c->up;
}

int mqttc_publish_wait(struct mqttc *c, const char *topic, const void *payload, size_t len,
                       bool retain, int timeout_ms, int *reason)
{
    uint64_t start = monotime_ms();
    int rc = mqttc_connect_wait(c, timeout_ms);
    if (rc != MQTTC_OK)
        return rc;
    struct ack_wait w = { c, 0 };
    if ((rc = mqttc_publish(c, topic, payload, len, retain, &w.mid)) != MQTTC_OK)
        return rc;
    int left = timeout_ms - (int)(monotime_ms() - start);
    mqttc_run(c, left > 0 ? left : 0, ack_came, &w);
    int r = 0;
    if (!mqttc_acked(c, w.mid, &r))
        return c->up ? MQTTC_ERR_TIMEOUT : MQTTC_ERR_NO_CONN;
    if (reason)
        *reason = r;
    return r >= MQTTC_MQTT_OK_BELOW ? MQTTC_ERR_REFUSED : MQTTC_OK;
}
