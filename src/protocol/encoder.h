/* encoder — composed frames into the smallest command stream for the
 * controller (the wire format of firmware-host/include/ledproto.h).
 *
 * The encoder keeps a shadow of the controller's back buffer: exactly the
 * pixels the decoder will hold once it has applied everything encoded so
 * far (RGB565 quantization included). Each new frame is compared against
 * that shadow, never against the previous input frame, so lossy formats
 * never drift. Per frame it tries, and keeps whichever is smallest:
 *
 *   - a horizontal SCROLL of each band of rows that moved (a ticker row),
 *     then only the newly exposed columns and whatever else differs;
 *   - dirty rectangles: FILL for one colour, MONO1 with fg/bg for two,
 *     else RGB565 when that is exact (or all the device takes) or RGB888;
 *     each run-length coded where that is smaller;
 *   - a FILL of the whole panel first, when most of it changed;
 *
 * and ends the frame with PRESENT. A device that takes only MONO1 is a
 * single-colour panel: each pixel goes as lit white or black, lit as
 * ledproto_mono_lit says (the strongest channel >= 128). Big rectangles are split so that every
 * payload fits LEDPROTO_MAX_PAYLOAD.
 *
 * Output is queued inside the encoder; the caller sends it in pieces that
 * fit the transport's credit window:
 *
 *     encoder_frame(enc, &frame, seq, now_ms);
 *     while (encoder_peek(enc, max_in_flight, &p, &n) == 0) {
 *         if (transport_send(t, p, n) == TRANSPORT_ERR_BUSY) { poll; continue; }
 *         encoder_consume(enc, n);
 *     }
 *
 * After a reconnect or a resync (transport events CONNECTED, RESYNC) call
 * encoder_force_full: the shadow is forgotten and the next frame is sent
 * whole. Errors are negative ENCODER_ERR_* codes. */
#ifndef LEDTICKER_ENCODER_H
#define LEDTICKER_ENCODER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct frame;
struct encoder;

enum encoder_error {
    ENCODER_OK = 0,
    ENCODER_ERR_INVALID = -1,       /* bad size, format set or argument */
    ENCODER_ERR_NO_MEM = -2,
    ENCODER_ERR_EMPTY = -3,         /* encoder_peek: nothing queued */
};

/* `pixel_formats` is what the device accepts (transport_info.pixel_formats,
 * LEDPROTO_FMT_* bits); it must include RGB565 or RGB888 or MONO1. Width
 * and height are 1..LEDPROTO_DIM_MAX, else ENCODER_ERR_INVALID. */
int  encoder_new(struct encoder **out, int width, int height, uint8_t pixel_formats);
void encoder_free(struct encoder *e);

/* Queues the commands that turn the device's picture into `f` (which must
 * have the encoder's size), then PRESENT with frame_seq and host_ms. */
int  encoder_frame(struct encoder *e, const struct frame *f, uint32_t frame_seq,
                   uint32_t host_ms);

/* Forget what the device shows: the next encoder_frame sends everything. */
void encoder_force_full(struct encoder *e);

/* Control commands, queued in order with the frames. encoder_reset also
 * forgets the shadow (the device clears to black). */
int  encoder_brightness(struct encoder *e, uint8_t level);
int  encoder_standby(struct encoder *e, bool dark);
int  encoder_reset(struct encoder *e);
int  encoder_timeouts(struct encoder *e, uint32_t silence_ms, uint32_t notice_ms);

/* The queued bytes: the longest run of whole commands from the front that
 * fits `max` bytes (at least one command even when it alone is larger,
 * which cannot happen for max >= LEDPROTO_FRAME_MAX). ENCODER_ERR_EMPTY
 * when nothing is queued. The pointer stays valid until the next call
 * that queues or consumes. */
int  encoder_peek(struct encoder *e, size_t max, const uint8_t **bytes, size_t *len);
/* Drops `len` bytes (as returned by encoder_peek) from the front. */
void encoder_consume(struct encoder *e, size_t len);
size_t encoder_pending(const struct encoder *e);

/* What the panel holds after everything queued so far: RGB888, width x
 * height, 3 * width bytes per row. NULL until the first frame. */
const uint8_t *encoder_shadow(const struct encoder *e);

const char *encoder_strerror(int err);

#endif
