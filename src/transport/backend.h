/* backend — what a transport back end implements. Private to src/transport/:
 * the engine sees only transport.h.
 *
 * Each back end embeds `struct transport` as its first member and fills in
 * `ops`; transport.c dispatches through it. Adding a back end is one file
 * plus one line in transport_open's table. */
#ifndef LEDTICKER_TRANSPORT_BACKEND_H
#define LEDTICKER_TRANSPORT_BACKEND_H

#include "termdraw.h"
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

/* The panel drawn in the terminal on stdout (sim, term), fitted to its
 * size (termdraw.h), which is read again at every frame so that a resize
 * (SIGWINCH) is followed: a new size clears the screen. When even braille
 * does not fit, the left part is shown and one warning, once, says how
 * many columns the whole panel needs. */
struct term_view {
    unsigned cols, rows;        /* the terminal's size at the last frame */
    bool drew, warned;
    char *buf;
    size_t cap;
};

int  term_view_init(struct term_view *v, unsigned width, unsigned height);
/* Draws one frame of `src` (pixels through `get`) on stdout. */
int  term_view_draw(struct term_view *v, termdraw_get_fn get, const void *src,
                    unsigned width, unsigned height, const struct diag *d);
void term_view_free(struct term_view *v);

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
