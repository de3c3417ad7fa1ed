/* mqttc — a thin MQTT 5 client over libmosquitto, for the fleet.
 *
 * It adds to libmosquitto only what every fleet user needs the same way:
 * the broker URL (mqtt:// or mqtts://HOST[:PORT], IPv6 as [addr]), TLS with
 * a CA file, the password read from a file, MQTT 5 (so that the broker's
 * PUBACK carries a reason code, and an ACL refusal is reported), a last
 * will, subscriptions renewed on every reconnect, and reconnection with
 * exponential backoff and jitter (1 s doubling to 30 s).
 *
 * The caller drives it: poll mqttc_socket() for mqttc_events(), then call
 * mqttc_step() (also when poll timed out). One thread per client; nothing
 * here starts a thread, so a process can drive a thousand clients from one
 * poll() (tests/tools/fleetswarm.c) and a kiosk drives one from its own
 * thread (kiosk.c). The blocking helpers at the end are for the CLI.
 */
#ifndef LEDTICKER_MQTTC_H
#define LEDTICKER_MQTTC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"

enum mqttc_error {
    MQTTC_OK = 0,
    MQTTC_ERR_URL = -1,        /* not mqtt:// or mqtts://HOST[:PORT] */
    MQTTC_ERR_PASSWORD = -2,   /* the password file cannot be read or is empty */
    MQTTC_ERR_TLS = -3,        /* the CA file cannot be used */
    MQTTC_ERR_CONNECT = -4,    /* no connection (refused, unreachable, TLS failed) */
    MQTTC_ERR_REFUSED = -5,    /* the broker answered with a failure reason code */
    MQTTC_ERR_TIMEOUT = -6,
    MQTTC_ERR_NO_CONN = -7,    /* not connected now */
    MQTTC_ERR_NO_MEM = -8,
    MQTTC_ERR_LIB = -9,        /* libmosquitto refused the call */
};
const char *mqttc_strerror(int err);

#define MQTTC_DEFAULT_PORT 1883
#define MQTTC_DEFAULT_TLS_PORT 8883

struct mqttc_url {
    bool tls;                  /* mqtts:// */
    char host[256];            /* without the brackets of an IPv6 address */
    int port;
};
/* 0 or MQTTC_ERR_URL. */
int  mqttc_url_parse(const char *url, struct mqttc_url *out);
/* localhost, 127.0.0.0/8 or ::1: where plain MQTT needs no warning. */
bool mqttc_url_is_loopback(const struct mqttc_url *u);

/* A message arrived (on the driving thread). */
typedef void (*mqttc_message_fn)(void *user, const char *topic,
                                 const uint8_t *payload, size_t len, bool retained);
/* The connection is up (after CONNACK and after the subscriptions were
 * sent) or down. */
typedef void (*mqttc_connect_fn)(void *user, bool up);

struct mqttc_options {
    const char *broker;                /* URL */
    const char *client_id;             /* NULL: the library picks a random one */
    const char *ca_file;               /* mqtts://: NULL uses the system's CAs */
    const char *username;              /* NULL: none */
    const char *password_file;         /* first line; NULL: no password */
    const char *will_topic;            /* NULL: no last will */
    const char *will_payload;          /* retained, QoS 1 */
    int keepalive_s;                   /* 0 = 30 */
    mqttc_message_fn on_message;
    mqttc_connect_fn on_connect;
    void *user;
    const struct diag *d;
};

struct mqttc;
/* Checks the URL, reads the password, sets up TLS and the will; does not
 * connect (the first mqttc_step does). Messages name the option at fault. */
int  mqttc_new(struct mqttc **out, const struct mqttc_options *o);
/* Disconnects without the will when `with_will` is false (a clean stop of
 * a publisher); with it (MQTT 5 reason 0x04), the broker publishes the will
 * (a kiosk that stops is offline). */
void mqttc_close(struct mqttc *c, bool with_will);
void mqttc_free(struct mqttc *c);

/* Remembered; subscribed at once when connected and on every reconnect.
 * qos 1 for what must arrive (bundles); 0 for a burst that only a live
 * reader wants (thousands of retained statuses: no PUBACK round trips). */
int  mqttc_subscribe(struct mqttc *c, const char *topic, int qos);
/* QoS 1. `*mid` (may be NULL) identifies the PUBACK (mqttc_acked). */
int  mqttc_publish(struct mqttc *c, const char *topic, const void *payload, size_t len,
                   bool retain, int *mid);

/* Driving. mqttc_socket is -1 while disconnected (then only the timeout
 * matters). mqttc_step connects when a (re)connect is due, reads, writes
 * and keeps the connection alive, and returns the longest wait in ms
 * before it wants to be called again. The connect does not block (only
 * the name lookup may): one refused, or not up within 15 s (a host that
 * drops packets), is a failed attempt, retried with backoff. */
int   mqttc_socket(const struct mqttc *c);
short mqttc_events(const struct mqttc *c);        /* POLLIN, | POLLOUT when it has output */
int   mqttc_step(struct mqttc *c, short revents);
bool  mqttc_connected(const struct mqttc *c);

/* The broker's answer to publish `mid`: 1 with *reason (0 = accepted, >= 128
 * a refusal, e.g. 135 Not authorized) once its PUBACK came, else 0. Only
 * the most recent PUBACKs are remembered (a small ring). */
int  mqttc_acked(const struct mqttc *c, int mid, int *reason);
/* The text of an MQTT 5 reason code ("Not authorized"). */
const char *mqttc_reason_string(int reason);

/* Blocking helpers for the command line (their own poll loop). */
/* Connect within timeout_ms; MQTTC_ERR_CONNECT or MQTTC_ERR_REFUSED (bad
 * user or password: the CONNACK's reason) with a message through diag. */
int  mqttc_connect_wait(struct mqttc *c, int timeout_ms);
/* Publish (QoS 1) and wait for the PUBACK: MQTTC_ERR_REFUSED with *reason
 * when the broker refused it (an ACL: 135). */
int  mqttc_publish_wait(struct mqttc *c, const char *topic, const void *payload, size_t len,
                        bool retain, int timeout_ms, int *reason);
/* Drive for timeout_ms, or until done(arg) says so. */
int  mqttc_run(struct mqttc *c, int timeout_ms, bool (*done)(void *arg), void *arg);

#endif
