#include "font.h"

/* 15 bits per glyph, row-major from the top-left, bit 14 first. */
static const struct glyph {
    char ch;
    uint16_t bits;
} glyphs[] = {
    { '0', 0x7B6F }, { '1', 0x2C97 }, { '2', 0x73E7 }, { '3', 0x72CF }, { '4', 0x5BC9 },
    { '5', 0x79CF }, { '6', 0x79EF }, { '7', 0x7292 }, { '8', 0x7BEF }, { '9', 0x7BCF },
    { 'A', 0x7BED }, { 'B', 0x6BAE }, { 'C', 0x7927 }, { 'D', 0x6B6E }, { 'E', 0x79A7 },
    { 'F', 0x79A4 }, { 'G', 0x796F }, { 'H', 0x5BED }, { 'I', 0x7497 }, { 'J', 0x126F },
    { 'K', 0x5BAD }, { 'L', 0x4927 }, { 'M', 0x5FED }, { 'N', 0x6B6D }, { 'O', 0x7B6F },
    { 'P', 0x7BE4 }, { 'Q', 0x7B79 }, { 'R', 0x6BAD }, { 'S', 0x79CF }, { 'T', 0x7492 },
    { 'U', 0x5B6F }, { 'V', 0x5B6A }, { 'W', 0x5BFD }, { 'X', 0x5AAD }, { 'Y', 0x5A92 },
    { 'Z', 0x72A7 }, { '-', 0x01C0 }, { '.', 0x0002 }, { ':', 0x0410 },
};

static uint16_t glyph_bits(char ch)
{
    for (unsigned i = 0; i < sizeof glyphs / sizeof glyphs[0]; i++)
        if (glyphs[i].ch == ch)
            return glyphs[i].bits;
    return 0;
}

unsigned font_text_width(const char *text)
{
    unsigned n = 0;
    while (text[n])
        n++;
    return n ? n * FONT_ADVANCE - 1 : 0;
}

void font_draw_text(uint8_t *rgb, unsigned width, unsigned height, int x, int y,
                    const char *text, const uint8_t colour[3])
{
    for (; *text; text++, x += FONT_ADVANCE) {
        uint16_t bits = glyph_bits(*text);
        for (int r = 0; r < FONT_GLYPH_H; r++) {
            for (int c = 0; c < FONT_GLYPH_W; c++) {
                int px = x + c, py = y + r;
                if (!((bits >> (14 - (r * FONT_GLYPH_W + c))) & 1))
                    continue;
                if (px < 0 || py < 0 || (unsigned)px >= width || (unsigned)py >= height)
                    continue;
                uint8_t *p = rgb + ((unsigned)py * width + (unsigned)px) * 3;
                p[0] = colour[0];
                p[1] = colour[1];
                p[2] = colour[2];
            }
        }
    }
}
