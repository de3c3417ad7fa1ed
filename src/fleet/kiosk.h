/* kiosk — the kiosk's side of the fleet: it follows the newsroom's bundles
 * over MQTT and keeps the offline cache.
 *
 * It subscribes to the four topics of its site (docs/fleet.md): the `all`
 * and the site config, the `all` and the site emergency. A bundle that
 * comes in is decoded and verified (bundle.h: size, signature, topic, seq,
 * hash, names), unpacked beside the cache (fleetcache_stage), checked as a
 * whole config by the caller's callback, and only then made the one in use
 * (fleetcache_commit) and announced (the applied callback: the CLI asks
 * for a reload). Any refusal leaves the cache as it was, sets last_error
 * and counts in `refused`. A retained bundle that comes again on every
 * reconnect is BUNDLE_SAME and does nothing.
 *
 * The status JSON goes out retained on ledticker/v1/site/SITE/status when
 * something changes and every status_interval_s; the last will says
 * {"site":"S","online":false}, and kiosk_free stops with the will too.
 *
 * Offline first: kiosk_new reads what is in use from the cache and needs
 * no broker; the client connects and reconnects (backoff) by itself.
 * It knows no config: the CLI passes the check as a callback.
 */
#ifndef LEDTICKER_KIOSK_H
#define LEDTICKER_KIOSK_H

#include <stddef.h>
#include <stdint.h>

#include "fleet/fleetcache.h"
#include "util/diag.h"

/* Full check of the layered result with `staged_root` replacing layer l
 * (a missing file: the layer withdrawn): 0 when it loads without errors,
 * else -1 with the first error in why. */
typedef int (*kiosk_check_fn)(void *user, enum fleetcache_layer l,
                              const char *staged_root, char *why, size_t len);
/* Called on the client's thread after a bundle became the one in use. */
typedef void (*kiosk_applied_fn)(void *user, enum fleetcache_layer l);

struct kiosk_options {
    const char *broker, *site, *ca_file, *username, *password_file, *cache_dir;
    const uint8_t (*keys)[BUNDLE_KEY_BYTES];
    size_t nkeys;
    kiosk_check_fn check;
    kiosk_applied_fn applied;
    void *user;
    int status_interval_s;            /* 0 = 60 */
    const struct diag *d;
};

/* What the frame loop knows; copied in by kiosk_set_state. */
struct kiosk_state {
    char playing[256];
    char controller[64];
    uint64_t frames, dropped;
    char last_error[256];
};

struct kiosk;

/* Copies the options; reads what is in use from the cache. 0 or -1 (with
 * a message through o->d naming the option at fault). The CLI warns about
 * plain MQTT to another host (mqttc_url_is_loopback). */
int  kiosk_new(struct kiosk **out, const struct kiosk_options *o);
/* Runs the client on a thread of its own (ledticker run). 0 or -1. */
int  kiosk_start(struct kiosk *k);
/* Or drive it yourself (tests/tools/fleetswarm.c): poll kiosk_socket()
 * (-1 while disconnected) for POLLIN, | POLLOUT when kiosk_wants_write(),
 * and call kiosk_poll(k, 0) when it is ready and at least every second. */
int  kiosk_socket(struct kiosk *k);
int  kiosk_wants_write(struct kiosk *k);
/* Waits up to timeout_ms for the broker, handles what came, publishes the
 * status when due. 0, or -1 when kiosk_start's thread owns the client. */
int  kiosk_poll(struct kiosk *k, int timeout_ms);
/* Thread-safe. A change of playing, controller or last_error sends the
 * status at once; the counters go out with the periodic one. */
void kiosk_set_state(struct kiosk *k, const struct kiosk_state *s);
/* Stops the thread, disconnects with the will (the status says offline),
 * frees. Publishes nothing more. */
void kiosk_free(struct kiosk *k);

/* Counters, for tests and the swarm. */
struct kiosk_counters { uint64_t applied, refused; };
void kiosk_counters(struct kiosk *k, struct kiosk_counters *out);

#endif
