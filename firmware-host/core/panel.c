#include "panel.h"

#include <string.h>

#include "ledproto.h"

/* CIE 1931: L* = 100 v / 255; Y = L* / 903.3 for L* <= 8, else
 * ((L* + 16) / 116)^3; scaled to 0..65535 and rounded. A table, because
 * the controller has no FPU. */
const uint16_t panel_cie1931[256] = {
        0,    28,    57,    85,   114,   142,   171,   199,   228,   256,   285,   313,
      341,   370,   398,   427,   455,   484,   512,   541,   569,   598,   627,   658,
      689,   721,   755,   789,   825,   861,   899,   937,   977,  1018,  1060,  1103,
     1147,  1192,  1239,  1287,  1336,  1386,  1437,  1490,  1544,  1599,  1656,  1714,
     1773,  1834,  1896,  1959,  2024,  2090,  2157,  2226,  2297,  2369,  2442,  2517,
     2593,  2671,  2751,  2832,  2914,  2999,  3085,  3172,  3261,  3352,  3444,  3538,
     3634,  3732,  3831,  3932,  4035,  4139,  4245,  4354,  4464,  4575,  4689,  4804,
     4922,  5041,  5162,  5285,  5410,  5537,  5666,  5797,  5930,  6065,  6202,  6341,
     6482,  6626,  6771,  6918,  7068,  7220,  7373,  7529,  7687,  7848,  8010,  8175,
     8342,  8512,  8683,  8857,  9033,  9212,  9393,  9576,  9762,  9949, 10140, 10333,
    10528, 10725, 10926, 11128, 11333, 11541, 11751, 11963, 12179, 12396, 12617, 12840,
    13065, 13293, 13524, 13757, 13993, 14232, 14474, 14718, 14965, 15215, 15467, 15722,
    15980, 16241, 16505, 16771, 17041, 17313, 17588, 17866, 18147, 18431, 18717, 19007,
    19300, 19596, 19894, 20196, 20501, 20809, 21119, 21433, 21750, 22071, 22394, 22720,
    23050, 23383, 23719, 24058, 24400, 24746, 25095, 25447, 25802, 26161, 26523, 26888,
    27257, 27629, 28004, 28383, 28765, 29151, 29540, 29932, 30328, 30728, 31131, 31537,
    31947, 32360, 32777, 33198, 33622, 34050, 34481, 34916, 35355, 35797, 36243, 36693,
    37146, 37603, 38064, 38529, 38997, 39469, 39945, 40425, 40908, 41396, 41887, 42382,
    42881, 43384, 43891, 44401, 44916, 45435, 45957, 46484, 47015, 47549, 48088, 48631,
    49178, 49728, 50283, 50843, 51406, 51973, 52545, 53120, 53700, 54284, 54873, 55465,
    56062, 56663, 57269, 57878, 58492, 59111, 59733, 60360, 60992, 61627, 62268, 62912,
    63561, 64215, 64873, 65535,
};

static uint8_t channel_of(char c)
{
    return c == 'G' ? 1 : c == 'B' ? 2 : 0;
}

void panel_init(struct panel *p, const struct fw_board *b, uint8_t brightness)
{
    memset(p, 0, sizeof *p);
    p->board = b;
    /* A single-colour board names one channel; its other pins are unused. */
    unsigned n = 0;
    while (n < 3 && b->order[n])
        n++;
    for (unsigned i = 0; i < 3; i++)
        p->pin_channel[i] = channel_of(b->order[i < n ? i : 0]);
    panel_set_brightness(p, brightness);
}

/* level = round(Y(v) * brightness / 255 * (2^depth - 1)), Y in 0..65535.
 * Brightness scales luminance linearly; 32-bit arithmetic throughout. */
void panel_set_brightness(struct panel *p, uint8_t brightness)
{
    uint32_t max = (1u << p->board->bit_depth) - 1;
    p->brightness = brightness;
    for (unsigned v = 0; v < 256; v++) {
        uint32_t y = (uint32_t)panel_cie1931[v] * brightness / 255;
        p->level[v] = (uint16_t)((y * max + 32767) / 65535);
    }
}

static void render_hub75(struct panel *p, uint8_t *out, const uint8_t *rgb)
{
    const struct fw_board *b = p->board;
    unsigned w = b->width, scan = b->scan, depth = b->bit_depth;
    for (unsigned r = 0; r < scan; r++) {
        const uint8_t *top = rgb + (size_t)r * w * 3;
        const uint8_t *bottom = rgb + (size_t)(r + scan) * w * 3;
        for (unsigned x = 0; x < w; x++, top += 3, bottom += 3) {
            uint16_t lv[6];
            for (unsigned pin = 0; pin < 3; pin++) {
                lv[pin] = p->level[top[p->pin_channel[pin]]];
                lv[pin + 3] = p->level[bottom[p->pin_channel[pin]]];
            }
            for (unsigned pl = 0; pl < depth; pl++) {
                uint8_t bits = 0;
                for (unsigned k = 0; k < 6; k++)
                    bits |= (uint8_t)(((lv[k] >> pl) & 1u) << k);
                out[((size_t)pl * scan + r) * w + x] = bits;
            }
        }
    }
}

/* One byte of a HUB12 stream: 8 pixels of row y from column 8 g, MSB
 * leftmost, 0 = lit. */
static uint8_t hub12_byte(const uint8_t *rgb, unsigned w, unsigned y, unsigned g)
{
    uint8_t byte = 0xFF;
    const uint8_t *px = rgb + ((size_t)y * w + g * 8) * 3;
    for (unsigned i = 0; i < 8; i++, px += 3)
        if (ledproto_mono_lit(px))
            byte &= (uint8_t)~(0x80u >> i);
    return byte;
}

static void render_hub12(struct panel *p, uint8_t *out, const uint8_t *rgb)
{
    unsigned w = p->board->width, groups = w / 8;
    for (unsigned r = 0; r < 4; r++)
        for (unsigned g = 0; g < groups; g++)
            for (unsigned k = 0; k < 4; k++)
                *out++ = hub12_byte(rgb, w, r + 12 - 4 * k, g);
}

const struct panel_out *panel_render(struct panel *p, const uint8_t *rgb, bool dark)
{
    const struct fw_board *b = p->board;
    uint8_t next = p->shown ^ 1;
    uint8_t *out = p->data[next];
    bool hub75 = b->kind == FW_PANEL_HUB75;
    uint32_t bytes = hub75 ? (uint32_t)b->bit_depth * b->scan * b->width
                           : (uint32_t)b->width * b->height / 8;
    if (dark)
        memset(out, hub75 ? 0x00 : 0xFF, bytes);
    else if (hub75)
        render_hub75(p, out, rgb);
    else
        render_hub12(p, out, rgb);
    p->shown = next;
    p->out = (struct panel_out){
        .data = out,
        .bytes = bytes,
        .row_bytes = (uint16_t)(hub75 ? b->width : b->width / 2),
        .rows = b->scan,
        .planes = hub75 ? b->bit_depth : 1,
        .oe_duty = dark ? 0 : hub75 ? 255 : p->brightness,
        .dark = dark,
    };
    return &p->out;
}
