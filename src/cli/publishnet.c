/* publishnet — see publishnet.h. */
#include "cli/publishnet.h"

#include <stdlib.h>
#include <string.h>

#include "fleet/fleetcache.h"
#include "fleet/mqttc.h"

#define PUBLISHNET_ALL_TOPIC "ledticker/v1/all/config"

static int open_client(struct mqttc **m, const struct publishnet *p, void *user,
                       mqttc_message_fn on_message)
{
    struct mqttc_options o = {
        .broker = p->broker,
        .ca_file = p->ca_file,
        .username = p->username ? p->username : "newsroom",
        .password_file = p->password_file,
        .on_message = on_message,
        .user = user,
        .d = p->d,
    };
    return mqttc_new(m, &o) == MQTTC_OK ? 0 : -1;
}

static int timeout_of(const struct publishnet *p)
{
    return p->timeout_ms > 0 ? p->timeout_ms : 10000;
}

int publishnet_send(const struct publishnet *p, const struct publishnet_message *m, size_t n)
{
    struct mqttc *c;
    if (open_client(&c, p, NULL, NULL) != 0)
        return -1;
    int rc = mqttc_connect_wait(c, timeout_of(p));
    if (rc != MQTTC_OK)
        diag_error(p->d, "%s: %s; nothing was published", p->broker, mqttc_strerror(rc));
    for (size_t i = 0; rc == MQTTC_OK && i < n; i++) {
        int reason = 0;
        rc = mqttc_publish_wait(c, m[i].topic, m[i].data, m[i].len, true, timeout_of(p), &reason);
        if (rc == MQTTC_ERR_REFUSED)
            diag_error(p->d, "%s: the broker refused the bundle on %s: %s (reason %d)%s",
                       p->broker, m[i].topic, mqttc_reason_string(reason), reason,
                       reason == 135 ? "; this broker user may not publish there (the ACL)" : "");
        else if (rc != MQTTC_OK)
            diag_error(p->d, "%s: the bundle on %s: %s", p->broker, m[i].topic, mqttc_strerror(rc));
        else
            diag_info(p->d, "%s: published on %s (%zu bytes)", p->broker, m[i].topic, m[i].len);
        if (rc != MQTTC_OK && i + 1 < n)
            diag_error(p->d, "%zu later bundle(s) not sent", n - i - 1);
    }
    mqttc_close(c, false);
    mqttc_free(c);
    return rc == MQTTC_OK ? 0 : -1;
}

struct retained { uint8_t *msg; size_t len; bool got; };

static void on_all(void *user, const char *topic, const uint8_t *payload, size_t len, bool retained)
{
    (void)retained;
    struct retained *r = user;
    if (r->got || strcmp(topic, PUBLISHNET_ALL_TOPIC) != 0)
        return;
    r->got = true;
    if (len && (r->msg = malloc(len))) {
        memcpy(r->msg, payload, len);
        r->len = len;
    }
}

static bool got_it(void *arg)
{
    return ((const struct retained *)arg)->got;
}

int publishnet_fetch_all(const struct publishnet *p, const uint8_t (*keys)[BUNDLE_KEY_BYTES],
                         size_t nkeys, const char *tmpdir, int wait_ms, char *dir, size_t dirlen)
{
    struct retained r = { 0 };
    struct mqttc *c;
    if (open_client(&c, p, &r, on_all) != 0)
        return -1;
    int rc = mqttc_subscribe(c, PUBLISHNET_ALL_TOPIC, 1);
    if (rc == MQTTC_OK)
        rc = mqttc_connect_wait(c, timeout_of(p));
    if (rc == MQTTC_OK)
        mqttc_run(c, wait_ms, got_it, &r);   /* a retained message follows the SUBACK */
    mqttc_close(c, false);
    mqttc_free(c);
    if (rc != MQTTC_OK) {
        diag_error(p->d, "%s: %s; cannot read the `all` bundle for the message-ID check",
                   p->broker, mqttc_strerror(rc));
        free(r.msg);
        return -1;
    }
    if (!r.msg)
        return 0;   /* none retained (or an empty payload) */
    struct bundle *b = NULL;
    int e = bundle_decode(&b, r.msg, r.len, keys, nkeys, PUBLISHNET_ALL_TOPIC, NULL);
    int ret = 0;
    if (e != BUNDLE_OK) {
        diag_warn(p->d, "%s: the retained `all` bundle does not verify (%s): no kiosk plays it, "
                        "so no message ID can clash with it", p->broker, bundle_strerror(e));
    } else if (bundle_file_count(b) > 0) {
        e = fleetcache_stage(tmpdir, FLEETCACHE_ALL, b, r.msg, r.len, dir, dirlen);
        if (e != BUNDLE_OK) {
            diag_error(p->d, "%s: cannot unpack the `all` bundle: %s", tmpdir, bundle_strerror(e));
            ret = -1;
        } else {
            ret = 1;
        }
    }
    bundle_free(b);
    free(r.msg);
    return ret;
}
