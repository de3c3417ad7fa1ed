#include "fake_show.h"

#include <string.h>

#define S(x) ((int64_t)((x) * 1e9))

static uint8_t edge_data[16][128];
static struct bitmap edge_strip = { 100, 16, 128, 8, &edge_data[0][0] };
static uint8_t block_data[16][8];
static struct bitmap block = { 8, 16, 8, 8, &block_data[0][0] };
static uint8_t head_data[8][16];
static struct bitmap head_strip = { 16, 8, 16, 8, &head_data[0][0] };

static const uint32_t normal_keys[] = { 1 }, emergency_keys[] = { 2 };

static int64_t fake_prev_change(void *user, int64_t t)
{
    struct fake_show *f = user;
    if (f->emergency_from && t >= f->emergency_to)
        return f->emergency_to;
    if (f->emergency_from && t >= f->emergency_from)
        return f->emergency_from;
    return S(0);
}

static int fake_playlist_at(void *user, int64_t t, struct engine_playlist *out)
{
    struct fake_show *f = user;
    bool em = f->emergency_from && t >= f->emergency_from && t < f->emergency_to;
    out->emergency = em;
    out->count = 1;
    out->keys = em ? emergency_keys : normal_keys;
    return 0;
}

static const struct engine_message *fake_message(void *user, uint32_t key)
{
    struct fake_show *f = user;
    return key == 1 ? &f->msg[0] : key == 2 ? &f->msg[1] : NULL;
}

static const struct bitmap *fake_text(void *user, const char *s)
{
    (void)user, (void)s;
    return &block;
}

static void fake_light(void *user, int64_t t, double *b, bool *off)
{
    struct fake_show *f = user;
    (void)t;
    *b = f->brightness;
    *off = f->off;
}

void fake_show_init(struct fake_show *fs)
{
    memset(edge_data, 0, sizeof edge_data);
    for (int y = 0; y < 16; y++)
        edge_data[y][0] = 255;
    memset(block_data, 255, sizeof block_data);
    memset(head_data, 255, sizeof head_data);
    memset(fs, 0, sizeof *fs);
    fs->brightness = 1;
    fs->msg[0] = (struct engine_message){ .key = 1, .id = "news-1", .line = &edge_strip,
                                          .headline = &head_strip, .summary = &edge_strip,
                                          .color = { 255, 0, 0 } };
    fs->msg[1] = (struct engine_message){ .key = 2, .id = "alarm", .line = &edge_strip,
                                          .headline = &head_strip, .summary = &edge_strip,
                                          .color = { 0, 0, 255 } };
}

struct engine_source fake_show_source(struct fake_show *fs)
{
    return (struct engine_source){ fs, fake_prev_change, fake_playlist_at, fake_message,
                                   fake_text, fake_light, NULL };
}
