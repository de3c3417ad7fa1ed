/* newsroom — the publishing side's bookkeeping for `ledticker publish`:
 * packing the files a newsroom config read into a bundle, the topics, the
 * sequence numbers, the history of every bundle sent (for --rollback and
 * --dry-run) and the audit log.
 *
 * It knows no config: the CLI checks the config and hands over the list
 * of files it read (config_file_at). Nothing is sent from here either:
 * the CLI sends (fleet-net's publishnet) or writes --out.
 *
 * State directory (newsroom_state_dir): $XDG_STATE_HOME/ledticker, else
 * ~/.local/state/ledticker, or --state-dir:
 *
 *   STATE/audit.log                        one line per bundle sent
 *   STATE/history/TOPIC/SEQ.bundle         every bundle sent, as sent
 *                                          (TOPIC with '/' written '+')
 */
#ifndef LEDTICKER_NEWSROOM_H
#define LEDTICKER_NEWSROOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fleet/bundle.h"
#include "util/diag.h"

/* Files packed for a bundle; owns its names and data. */
struct newsroom_pack {
    struct bundle_file *files;
    size_t count;
};

/* Reads `paths` (real paths, the root among them) into a pack. Names are
 * relative to the root's directory, and the root is named bundle.ini.
 * Refused, each with an error naming the file (nothing is packed):
 *   - a file outside the root's directory;
 *   - a secret key (*.key, or a file that starts like one), a password
 *     file (a name with "password" or "passwd" in it);
 *   - a file inside one of `never` (the data directories: boards, fonts,
 *     the shipped calendar);
 *   - another file named bundle.ini at the root, a name a bundle cannot
 *     hold (bundle_name_ok), a file that cannot be read.
 * 0, or -1 after the errors. */
int newsroom_pack(struct newsroom_pack *out, const char *root, const char *const *paths,
                  size_t n, const char *const *never, size_t nnever, const struct diag *d);
void newsroom_pack_free(struct newsroom_pack *p);

/* ledticker/v1/all/config, ledticker/v1/site/SITE/config, .../emergency.
 * site NULL = all. 0, or -1 when buf is too small. */
int newsroom_topic(char *buf, size_t len, const char *site, bool emergency);

/* The [message] a fleet emergency is: one file, bundle.ini (malloc'd).
 * `until` is "YYYY-MM-DD HH:MM" (the caller's default: now + 1 h); the ID
 * is fleet-emergency-all or fleet-emergency-site. TEXT must be one line
 * of UTF-8 with no control characters (so it cannot add keys or
 * sections). 0, or -1 after an error. */
int newsroom_emergency_ini(char **out, const char *text, const char *until, bool site,
                           const struct diag *d);

/* The state directory: `override` if set, else $XDG_STATE_HOME/ledticker,
 * else $HOME/.local/state/ledticker. Created (mode 0700) when missing.
 * 0, or -1 after an error. */
int newsroom_state_dir(char *buf, size_t len, const char *override, const struct diag *d);

/* The seq for the next bundle on `topic`: now_ms, or one above the
 * highest in the history for that topic when that is not below. */
uint64_t newsroom_next_seq(const char *state_dir, const char *topic, uint64_t now_ms);

/* Keeps a sent bundle in the history (written atomically). 0 or -1. */
int newsroom_history_save(const char *state_dir, const char *topic, uint64_t seq,
                          const uint8_t *msg, size_t len, const struct diag *d);

/* A bundle of the history by its seq, whatever its topic: *msg (malloc'd),
 * *len, and its topic into topic. 1 found, 0 not there, -1 error. */
int newsroom_history_find(const char *state_dir, uint64_t seq, char *topic, size_t topiclen,
                          uint8_t **msg, size_t *len);

/* The newest bundle of the history on `topic`. 1 found, 0 none, -1 error. */
int newsroom_history_latest(const char *state_dir, const char *topic, uint8_t **msg,
                            size_t *len);

/* Appends to STATE/audit.log: local time, user, host, action, topic, seq,
 * sha256 and the number of files. 0 or -1. */
int newsroom_audit(const char *state_dir, const char *action, const char *topic,
                   uint64_t seq, const char *sha256, size_t files, const struct diag *d);

#endif
