/* fb — the double-buffered framebuffer: commands draw into `back`, PRESENT
 * copies it to `front`, and the panel shows `front`. Both are RGB888,
 * row-major, 3 * width bytes per row, sized at compile time (fwconfig.h).
 *
 * Every drawing function checks its arguments itself and returns a
 * proto_result: a rejected command writes nothing, and nothing is ever
 * written outside the width x height pixels in use. */
#ifndef FW_FB_H
#define FW_FB_H

#include <stdbool.h>
#include <stdint.h>

#include "fwconfig.h"
#include "proto.h"

struct fb {
    uint16_t width, height;
    uint8_t back[FW_FB_BYTES];
    uint8_t front[FW_FB_BYTES];
};

/* Sets the size (which must fit FW_FB_BYTES) and clears both buffers. */
void fb_init(struct fb *fb, uint16_t width, uint16_t height);
void fb_clear(struct fb *fb);

/* True when the rect is inside the panel and not empty. */
bool fb_rect_ok(const struct fb *fb, uint32_t x, uint32_t y, uint32_t w, uint32_t h);

enum proto_result fb_fill(struct fb *fb, uint16_t x, uint16_t y, uint16_t w, uint16_t h,
                          const uint8_t rgb[3]);
/* `data`/`len`: what follows the 16-byte BLIT head in the payload. */
enum proto_result fb_blit(struct fb *fb, const struct ledproto_blit *b,
                          const uint8_t *data, size_t len);
enum proto_result fb_scroll(struct fb *fb, uint16_t x, uint16_t y, uint16_t w, uint16_t h,
                            int dx, int dy, const uint8_t rgb[3]);
void fb_present(struct fb *fb);

static inline uint8_t *fb_back_pixel(struct fb *fb, unsigned x, unsigned y)
{
    return fb->back + ((size_t)y * fb->width + x) * 3;
}

#endif
