/* transport — where the engine's output goes. One interface, several back
 * ends, chosen by a spec string:
 *
 *   "sim"          the firmware core in process, its front buffer drawn in
 *                  the terminal
 *   "term"         the host's frames drawn in the terminal, no protocol
 *   "record:PATH"  the wire bytes written to PATH as sent; unlimited credits
 *   "usb"          a controller over libusb
 *
 * The engine sees only this header. It sends wire bytes (the encoder's
 * output, see firmware-host/include/ledproto.h) with transport_send, and
 * also offers every composed frame with transport_show_frame, which only
 * back ends that draw host frames (term) use.
 *
 * Errors are negative TRANSPORT_ERR_* codes; transport_strerror names them.
 */
#ifndef LEDTICKER_TRANSPORT_H
#define LEDTICKER_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"

struct frame;
struct transport;

enum transport_error {
    TRANSPORT_OK = 0,
    TRANSPORT_ERR_IO = -1,          /* a read or write failed */
    TRANSPORT_ERR_NO_DEVICE = -2,   /* unplugged, or not there yet */
    TRANSPORT_ERR_BUSY = -3,        /* no credits: poll, then send again */
    TRANSPORT_ERR_TIMEOUT = -4,
    TRANSPORT_ERR_ACCESS = -5,      /* permission denied */
    TRANSPORT_ERR_INVALID = -6,     /* bad spec or argument */
    TRANSPORT_ERR_NO_MEM = -7,
    TRANSPORT_ERR_PROTOCOL = -8,    /* the device answered nonsense */
};

/* What the host needs to know about the panel: from GET_INFO for devices,
 * from the board description for `record` and `term`. */
struct transport_info {
    uint16_t proto_version;
    uint16_t width, height;
    uint8_t  pixel_formats;     /* LEDPROTO_FMT_* bits */
    uint8_t  bit_depth;
    bool     applies_gamma;     /* the controller does gamma and brightness */
    uint32_t max_in_flight;     /* bytes the host may have unacknowledged */
    bool     lossless;          /* a file (record): bytes that fail to go out leave a hole
                                 * that nothing mends, so a failed send ends the run */
    char     firmware[16];
    char     board[32];
    char     serial[32];
};

/* The board to assume when the device cannot say (record, term), and
 * the device to pick when several are attached (usb). */
struct transport_config {
    const char *board;          /* name under boards/, or NULL */
    const char *boards_dir;     /* where board files live */
    const char *serial;         /* usb: --device SERIAL, or NULL */
    uint16_t vid, pid;          /* usb: 0 = from the board */
    int width, height;          /* geometry when no board file is used */
};

/* Events that transport_poll reports, so the engine can resend a full frame
 * after a reconnect or resync. */
enum transport_event {
    TRANSPORT_EVENT_NONE = 0,
    TRANSPORT_EVENT_CONNECTED,     /* (re)opened: read info, send a full frame */
    TRANSPORT_EVENT_DISCONNECTED,  /* gone: keep the clock running, wait */
    TRANSPORT_EVENT_RESYNC,        /* errors seen: RESET was sent, send a full frame */
};

int  transport_open(struct transport **out, const char *spec,
                    const struct transport_config *cfg, const struct diag *d);
/* Whether `spec` names a back end, with its argument where it needs one
 * ("record:PATH"). Returns 0, or -1 with the reason in `why`. */
int  transport_check_spec(const char *spec, char *why, size_t len);
int  transport_info(struct transport *t, struct transport_info *info);
/* Sends wire bytes. Returns 0, TRANSPORT_ERR_BUSY when flow control says
 * wait, or another error. Never blocks longer than the transport's timeout. */
int  transport_send(struct transport *t, const void *bytes, size_t len);
/* Offers the composed frame; a no-op for protocol back ends. */
int  transport_show_frame(struct transport *t, const struct frame *f);
/* Services the link for at most timeout_ms: acknowledgements, credits,
 * hotplug. Sets *event when something happened. */
int  transport_poll(struct transport *t, int timeout_ms, enum transport_event *event);
/* Makes sure everything sent has arrived (record: fsync and close the
 * file, checked). 0, or TRANSPORT_ERR_IO after an error through the diag
 * sink. Call before transport_close when the output must be complete. */
int  transport_finish(struct transport *t);
void transport_close(struct transport *t);
const char *transport_strerror(int err);

#endif
