/* fleetcache — the kiosk's offline copy of the bundles it plays.
 *
 * Layout under cache_dir (default /var/lib/ledticker/fleet):
 *
 *   cache_dir/LAYER/SEQ/...        the unpacked files of one bundle
 *                                  (bundle.ini at its root)
 *   cache_dir/LAYER/SEQ.bundle     the raw signed message, as received
 *   cache_dir/LAYER/current        symlink -> SEQ (swapped atomically)
 *
 * LAYER is `all`, `site`, `all-emergency` or `site-emergency`, in this
 * order of laying. A layer whose current/bundle.ini is missing is absent
 * (no bundle yet, or withdrawn). A store writes and fsyncs every file and
 * the raw message, fsyncs the directories, then swaps `current` (symlink to
 * a temporary name + rename), so a power cut leaves the old bundle or the
 * new one, never half of one. The previous SEQ stays (a reload may be
 * reading it); older ones are deleted. A leftover SEQ.new (a crash while
 * staging) is never played and is removed by the next stage or commit.
 *
 * What is in use comes from re-decoding current's raw message with the
 * configured keys, so a cache someone edited by hand is refused, not played.
 *
 * Returns 0 or a negative BUNDLE_ERR_* (bundle.h); never prints.
 */
#ifndef LEDTICKER_FLEETCACHE_H
#define LEDTICKER_FLEETCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "fleet/bundle.h"

enum fleetcache_layer {
    FLEETCACHE_ALL,
    FLEETCACHE_SITE,
    FLEETCACHE_ALL_EMERGENCY,
    FLEETCACHE_SITE_EMERGENCY,
    FLEETCACHE_LAYERS
};

#define FLEETCACHE_DEFAULT_DIR "/var/lib/ledticker/fleet"

/* "all", "site", "all-emergency", "site-emergency". */
const char *fleetcache_layer_name(enum fleetcache_layer l);

/* cache_dir/LAYER/current/bundle.ini into buf (whether or not it exists).
 * 0, or BUNDLE_ERR_NO_MEM when buf is too small. */
int fleetcache_root(const char *cache_dir, enum fleetcache_layer l, char *buf, size_t len);

/* Unpacks b into cache_dir/LAYER/SEQ.new/ (not yet in use) for the config
 * check, with the raw message beside it; the directory's path goes to dir.
 * Creates cache_dir/LAYER as needed. */
int fleetcache_stage(const char *cache_dir, enum fleetcache_layer l, const struct bundle *b,
                     const uint8_t *raw, size_t rawlen, char *dir, size_t dirlen);

/* Makes the staged bundle the one in use: renames SEQ.new to SEQ (and its
 * raw message to SEQ.bundle), swaps `current`, deletes all but the
 * previous one. An empty bundle (withdraw, clear) is stored the same way:
 * `current` points at its empty SEQ directory, so the layer is absent (no
 * bundle.ini) while its seq stays in use: an older bundle replayed after
 * a withdrawal is still refused. */
int fleetcache_commit(const char *cache_dir, enum fleetcache_layer l, const struct bundle *b);

/* Removes a staged directory (a bundle the config check refused). */
void fleetcache_discard(const char *staged_dir);

/* What is in use in layer l: re-decodes current's raw message with keys
 * and topic. seq 0 when there is none; BUNDLE_ERR_* when the cache holds
 * something that does not verify (the caller treats the layer as absent). */
int fleetcache_in_use(const char *cache_dir, enum fleetcache_layer l,
                      const uint8_t (*keys)[BUNDLE_KEY_BYTES], size_t nkeys, const char *topic,
                      struct bundle_in_use *out);

#endif
