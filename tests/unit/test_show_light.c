/* Light from the config to the frame: `brightness`, `brightness_night` in
 * the `night` window, and gamma, applied exactly once. A controller that
 * applies gamma and brightness (GET_INFO) gets the colours as composed and
 * the level in engine_info (for BRIGHTNESS); for one that does not, the
 * host maps the colours through gamma and brightness itself. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/show.h"
#include "compose/pacing.h"
#include "schedule/civil.h"
#include "diagcap.h"
#include "textsupport.h"

static const char config[] =
    "[display]\nsize = 16\nrows = 1\nspeed = 48\n"
    "brightness = 80\nbrightness_night = 20\nnight = 22:00-06:00\ngamma = 2.2\n"
    "[message news]\nheadline = 区委办帮扶助秋收区委办帮扶助秋收\ncolor = #808080\n";

struct seen {
    int max_channel;            /* the brightest channel value in any frame */
    uint8_t level;              /* engine_info.brightness of the last frame */
};

/* Frames over `seconds` from local time `at`, as a ticker on a controller
 * that does (host_light false) or does not apply gamma would compose. */
static struct seen look(const char *dir, bool host_light, const char *at, double seconds)
{
    char path[512];
    snprintf(path, sizeof path, "%s/t.ini", dir);
    struct diagcap cap;
    diagcap_init(&cap);
    struct show *s;
    assert_int_equal(show_load(&s, path, TEST_FONTS_DIR, NULL, 1, &cap.diag), 0);
    struct show_panel panel = { 64, 16, host_light };
    struct engine *e;
    assert_int_equal(show_engine(s, &panel, &e), 0);
    struct frame f;
    assert_int_equal(frame_init(&f, 64, 16), 0);
    time_t at_s;
    assert_int_equal(civil_parse_instant(at, &at_s), 0);
    int64_t t0 = (int64_t)at_s * PACING_NS_PER_SEC;
    struct seen out = { 0, 0 };
    for (int64_t t = t0; t < t0 + (int64_t)(seconds * 1e9); t += PACING_NS_PER_SEC / 10) {
        struct engine_info info;
        assert_int_equal(engine_frame(e, t, &f, &info), ENGINE_OK);
        for (int y = 0; y < f.height; y++)
            for (int x = 0; x < 3 * f.width; x++)
                if (frame_pixel(&f, 0, y)[x] > out.max_channel)
                    out.max_channel = frame_pixel(&f, 0, y)[x];
        out.level = info.brightness;
    }
    frame_release(&f);
    engine_free(e);
    return out;
}

static int with_config(void **state)
{
    static char dir[256];
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    tmpdir_make(dir, sizeof dir);
    tmpdir_write(dir, "t.ini", config);
    *state = dir;
    return 0;
}

static int remove_config(void **state)
{
    tmpdir_remove(*state);
    return 0;
}

/* What the host should send for a level 0..100 %: gamma, then brightness. */
static int host_mapped(int value, double brightness)
{
    return (int)lround(pow(value / 255.0, 2.2) * brightness * 255);
}

/* The controller applies gamma: the frame keeps the config's #808080 day
 * and night (fully covered glyph pixels reach it), and the level for its
 * BRIGHTNESS is 80 % by day, 20 % in the night window. */
static void controller_applies(void **state)
{
    struct seen day = look(*state, false, "2026-03-02 21:59:50", 10);
    assert_int_equal(day.max_channel, 0x80);
    assert_int_equal(day.level, (int)lround(0.8 * 255));
    struct seen night = look(*state, false, "2026-03-02 22:00:00", 10);
    assert_int_equal(night.max_channel, 0x80);
    assert_int_equal(night.level, (int)lround(0.2 * 255));
    struct seen morning = look(*state, false, "2026-03-03 06:00:00", 10);
    assert_int_equal(morning.level, (int)lround(0.8 * 255));
}

/* The host applies gamma: the colours carry gamma and brightness once,
 * and the night window dims them. */
static void host_applies(void **state)
{
    struct seen day = look(*state, true, "2026-03-02 21:59:50", 10);
    assert_int_equal(day.max_channel, host_mapped(0x80, 0.8));
    struct seen night = look(*state, true, "2026-03-02 22:00:00", 10);
    assert_int_equal(night.max_channel, host_mapped(0x80, 0.2));
    assert_true(night.max_channel < day.max_channel);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(controller_applies),
        cmocka_unit_test(host_applies),
    };
    return cmocka_run_group_tests(tests, with_config, remove_config);
}
