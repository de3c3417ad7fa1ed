/* Fuzz target: hostile bytes as a headline. The first byte picks the pixel
 * size, the mode and an x offset; the rest is the text. Renders into a
 * strip of its own width and into a fixed window at the offset, and asks
 * for uncovered code points. Nothing may crash, leak or read out of bounds.
 * Renderers are made once per size and mode (fonts take milliseconds to
 * open) and kept for the whole run: test-harness state, not library state. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/strip.h"

static struct strip_renderer *renderers[8];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int sizes[] = { 12, 16, 24, 32 };
    if (size < 1)
        return 0;
    int pick = data[0] & 7;
    int x = (int)(data[0] >> 3) * 9 - 120;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    if (!renderers[pick]) {
        struct diag d = diag_silent;
        struct strip_options opt = { .fonts_dir = "fonts", .size = sizes[pick >> 1],
                                     .mode = (pick & 1) ? STRIP_GRAY : STRIP_MONO,
                                     .threads = 1 };
        renderers[pick] = strip_renderer_new(&opt, &d, NULL);
        if (!renderers[pick])
            abort();
    }
    struct strip_renderer *r = renderers[pick];
    struct bitmap b;
    if (strip_render_text(r, text, len, (pick & 1) ? 8 : 1, &b) == 0)
        free(b.data);
    struct strip_layout *lay;
    if (strip_measure(r, text, len, &lay) == 0) {
        struct strip_metrics m;
        strip_get_metrics(r, &m);
        uint8_t window[64 * 40];
        struct bitmap w = { .width = 300, .height = m.height < 40 ? m.height : 40,
                            .stride = 64, .bpp = 1, .data = window };
        memset(window, 0, sizeof window);
        strip_render(r, lay, &w, x);
        strip_layout_free(lay);
    }
    uint32_t cps[4];
    strip_find_uncovered(r, text, len, cps, 4);
    return 0;
}
