/* backend — what a transport back end implements. Private to src/transport/:
 * the engine sees only transport.h.
 *
 * Each back end embeds `struct transport` as its first member and fills in
 * `ops`; transport.c dispatches through it. Adding a back end is one file
 * plus one line in transport_open's table. */
#ifndef LEDTICKER_TRANSPORT_BACKEND_H
#define LEDTICKER_TRANSPORT_BACKEND_H

#include "transport/transport.h"

struct transport_ops {
    const char *name;
    int  (*info)(struct transport *t, struct transport_info *info);
    int  (*send)(struct transport *t, const void *bytes, size_t len);
    int  (*show_frame)(struct transport *t, const struct frame *f);   /* may be NULL */
    int  (*poll)(struct transport *t, int timeout_ms, enum transport_event *event);
    int  (*finish)(struct transport *t);                              /* may be NULL */
    void (*close)(struct transport *t);
};

struct transport {
    const struct transport_ops *ops;
    struct diag diag;
};

/* Columns of the terminal on stdout, or 0 when unknown: the drawing back
 * ends clip to it, since a wrapped line turns the panel into noise. */
unsigned transport_term_columns(void);

/* Back-end constructors. `arg` is what follows "NAME:" in the spec (for
 * record, the path), or NULL. */
int sim_open(struct transport **out, const char *arg,
             const struct transport_config *cfg, const struct diag *d);
int record_open(struct transport **out, const char *arg,
                const struct transport_config *cfg, const struct diag *d);
int term_open(struct transport **out, const char *arg,
              const struct transport_config *cfg, const struct diag *d);
int usb_open(struct transport **out, const char *arg,
             const struct transport_config *cfg, const struct diag *d);

#endif
