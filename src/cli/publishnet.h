/* publishnet — the network half of `ledticker publish`: send the signed
 * bundles to the broker and read the `all` bundle the broker holds.
 *
 * The newsroom's side of the fleet (docs/fleet.md). cmd_publish.c packs,
 * checks and signs; this sends each bundle retained with QoS 1 and waits
 * for the broker's PUBACK, so that a refusal (MQTT 5 reason 135 Not
 * authorized: the user may not publish there) is an error with the
 * broker's own words and a non-zero exit, never a silent loss. */
#ifndef LEDTICKER_PUBLISHNET_H
#define LEDTICKER_PUBLISHNET_H

#include <stddef.h>
#include <stdint.h>

#include "fleet/bundle.h"
#include "util/diag.h"

struct publishnet {
    const char *broker;         /* mqtts://HOST[:PORT] or mqtt:// */
    const char *ca_file;        /* NULL: the system's CAs */
    const char *username;       /* NULL: "newsroom" */
    const char *password_file;
    int timeout_ms;             /* 0 = 10000: connect, and each PUBACK */
    const struct diag *d;
};

struct publishnet_message {
    const char *topic;
    const uint8_t *data;
    size_t len;
};

/* Sends every message (retained, QoS 1) on one connection, in order, each
 * waited for. 0 when the broker took them all; -1 at the first one it did
 * not take or could not be reached (a message names the topic and the
 * reason; the later ones are not sent). */
int publishnet_send(const struct publishnet *p, const struct publishnet_message *m, size_t n);

/* Reads the bundle retained on ledticker/v1/all/config (waits at most
 * wait_ms for it), verifies it with `keys` (signature, topic) and unpacks
 * it under tmpdir (fleetcache_stage). 1: *dir is the unpacked directory,
 * its bundle.ini the root (remove it with fleetcache_discard); 0: none is
 * retained, it is withdrawn (empty), or it does not verify (a warning: no
 * kiosk plays it, so nothing can clash with it); -1: no connection. */
int publishnet_fetch_all(const struct publishnet *p, const uint8_t (*keys)[BUNDLE_KEY_BYTES],
                         size_t nkeys, const char *tmpdir, int wait_ms, char *dir, size_t dirlen);

#endif
