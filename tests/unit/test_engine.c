/* The engine: frames at panel resolution from a schedule and strips, zones,
 * colour and light, proof-of-play passes, and frames that depend on T only. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "compose/engine.h"
#include "fake_show.h"

#define S(x) ((int64_t)((x) * 1e9))
#define PW 64
#define PH 16

static struct fake_show fake;

static int setup(void **state)
{
    (void)state;
    fake_show_init(&fake);
    return 0;
}

static struct engine *make(struct engine_params *p)
{
    struct engine_source src = fake_show_source(&fake);
    struct engine *e;
    assert_int_equal(engine_new(&e, p, &src, NULL), ENGINE_OK);
    return e;
}

static struct engine_params params(void)
{
    return (struct engine_params){ .width = PW, .height = PH, .row_height = 16, .speed = 32,
                                   .gap = 10, .gamma = 1, .idle_color = { 255, 255, 255 } };
}

/* The lit column of row y, scanning from x0; -1 when none. */
static int lit_column(const struct frame *f, int y, int x0)
{
    for (int x = x0; x < f->width; x++) {
        const uint8_t *p = frame_pixel(f, x, y);
        if (p[0] | p[1] | p[2])
            return x;
    }
    return -1;
}

static void edge_moves_with_time(void **state)
{
    (void)state;
    struct engine_params p = params();
    struct engine *e = make(&p);
    struct frame f;
    struct engine_info info;
    assert_int_equal(frame_init(&f, PW, PH), 0);
    for (double t = 0.25; t < 1.9; t += 0.25) {
        assert_int_equal(engine_frame(e, S(t), &f, &info), 0);
        assert_int_equal(lit_column(&f, 5, 0), (int)lround(PW - 32 * t));
        const uint8_t *px = frame_pixel(&f, lit_column(&f, 5, 0), 5);
        assert_int_equal(px[0], 255);   /* the message's colour */
        assert_int_equal(px[2], 0);
    }
    frame_release(&f);
    engine_free(e);
}

static void label_and_clock_zones(void **state)
{
    (void)state;
    struct engine_params p = params();
    p.label = "新闻";
    p.label_color = (struct blend_rgb){ 0, 255, 0 };
    p.clock = ENGINE_CLOCK_TIME;
    p.clock_color = (struct blend_rgb){ 255, 255, 0 };
    struct engine *e = make(&p);
    struct frame f;
    struct engine_info info;
    assert_int_equal(frame_init(&f, PW, PH), 0);
    /* Label zone is x 0..7 (the 8 px block), then 2 px pad; clock zone the
     * last 8 px. The scrolling zone between is 64 - 8 - 2 - 2 - 8 = 44 px. */
    assert_int_equal(engine_frame(e, S(0.5), &f, &info), 0);
    assert_int_equal(frame_pixel(&f, 0, 3)[1], 255);
    assert_int_equal(frame_pixel(&f, 0, 3)[0], 0);
    assert_int_equal(frame_pixel(&f, PW - 1, 3)[0], 255);
    assert_int_equal(frame_pixel(&f, PW - 1, 3)[1], 255);
    assert_int_equal(lit_column(&f, 5, 8), 10 + 44 - 16);
    /* Much later the edge has left the scrolling zone: it never paints over
     * the label. */
    assert_int_equal(engine_frame(e, S(1.9), &f, &info), 0);
    for (int x = 0; x < 8; x++)
        assert_int_equal(frame_pixel(&f, x, 5)[0], 0);
    frame_release(&f);
    engine_free(e);
}

static void passes_and_emergency(void **state)
{
    (void)state;
    fake.emergency_from = S(2);
    fake.emergency_to = S(3);
    struct engine_params p = params();
    struct engine *e = make(&p);
    struct frame f;
    struct engine_info info;
    assert_int_equal(frame_init(&f, PW, PH), 0);
    int news = 0, alarm = 0;
    int64_t first_end = 0;
    for (int64_t t = 0; t < S(20); t += S(1.0 / 60)) {
        assert_int_equal(engine_frame(e, t, &f, &info), 0);
        if (t > S(2) && t < S(2) + S(1.0 / 30)) {
            /* Within a frame of the emergency, no red is left on the panel. */
            for (int x = 0; x < PW; x++)
                assert_int_equal(frame_pixel(&f, x, 5)[0], 0);
            assert_true(info.emergency);
        }
        for (int i = 0; i < info.passes; i++) {
            assert_true(info.pass[i].end <= t);
            assert_true(info.pass[i].end > t - S(1.0 / 60));
            if (!strcmp(info.pass[i].id, "news-1")) {
                if (!news++)
                    first_end = info.pass[i].end;
            } else {
                assert_string_equal(info.pass[i].id, "alarm");
                alarm++;
            }
        }
    }
    /* The first news pass was interrupted at 2 s and resumed after the
     * emergency's passes (up to 3 s plus one pass of (64 + 100) / 32 s). */
    assert_true(first_end > S(3));
    assert_true(alarm >= 1);
    assert_true(news >= 3);
    frame_release(&f);
    engine_free(e);
}

/* A pass already under way at the first frame was not seen whole: no proof
 * of play for it, but for every pass after. */
static void partial_pass_not_logged(void **state)
{
    (void)state;
    struct engine_params p = params();
    struct engine *e = make(&p);
    struct frame f;
    struct engine_info info;
    assert_int_equal(frame_init(&f, PW, PH), 0);
    int n = 0;
    for (int64_t t = S(1); t < S(12); t += S(1.0 / 60)) {
        assert_int_equal(engine_frame(e, t, &f, &info), 0);
        for (int i = 0; i < info.passes; i++) {
            assert_true(info.pass[i].start >= S(1));
            n++;
        }
    }
    /* Passes start every (100 + 10) / 32 s: at 3.44 s and 6.88 s, and end
     * (64 + 100) / 32 s later: 8.56 and 12.0; the first one (at 0 s) is
     * partial. */
    assert_int_equal(n, 1);
    frame_release(&f);
    engine_free(e);
}

static void off_hours_and_light(void **state)
{
    (void)state;
    struct engine_params p = params();
    p.host_light = true;
    p.gamma = 2.2;
    fake.brightness = 0.5;
    struct engine *e = make(&p);
    struct frame f;
    struct engine_info info;
    assert_int_equal(frame_init(&f, PW, PH), 0);
    assert_int_equal(engine_frame(e, S(1), &f, &info), 0);
    int x = lit_column(&f, 5, 0);
    assert_int_equal(frame_pixel(&f, x, 5)[0], 128);   /* 255 at half brightness */
    assert_int_equal(info.brightness, 128);
    fake.off = true;
    assert_int_equal(engine_frame(e, S(1.1), &f, &info), 0);
    assert_true(info.off);
    assert_int_equal(lit_column(&f, 5, 0), -1);
    frame_release(&f);
    engine_free(e);
}

static void gray_smooth(void **state)
{
    (void)state;
    struct engine_params p = params();
    p.smooth = true;
    struct engine *e = make(&p);
    struct frame f;
    struct engine_info info;
    assert_int_equal(frame_init(&f, PW, PH), 0);
    /* At t = 1/64 s the edge is at x = 63.5: half in column 63. */
    assert_int_equal(engine_frame(e, S(1.0 / 64), &f, &info), 0);
    assert_int_equal(frame_pixel(&f, 63, 5)[0], 128);
    /* At t = 1.5/32 s it is at 62.5: halves in 62 and 63. */
    assert_int_equal(engine_frame(e, S(1.5 / 32), &f, &info), 0);
    assert_int_equal(frame_pixel(&f, 62, 5)[0], 128);
    assert_int_equal(frame_pixel(&f, 63, 5)[0], 128);
    frame_release(&f);
    engine_free(e);
}

static void two_rows_headline_centred(void **state)
{
    (void)state;
    struct engine_params p = params();
    p.height = 32;
    p.two_rows = true;
    struct engine_source src = fake_show_source(&fake);
    struct engine *e;
    assert_int_equal(engine_new(&e, &p, &src, NULL), 0);
    struct frame f;
    struct engine_info info;
    assert_int_equal(frame_init(&f, PW, 32), 0);
    assert_int_equal(engine_frame(e, S(0.5), &f, &info), 0);
    /* The 16 px headline sits still in the middle of the top row. */
    assert_int_equal(lit_column(&f, 6, 0), (PW - 16) / 2);
    assert_int_equal(engine_frame(e, S(1.5), &f, &info), 0);
    assert_int_equal(lit_column(&f, 6, 0), (PW - 16) / 2);
    /* The summary scrolls in the bottom row. */
    assert_int_equal(lit_column(&f, 24, 0), (int)lround(PW - 32 * 1.5));
    frame_release(&f);
    engine_free(e);
}

/* The frame at T is the same whether the engine ran all along or started
 * at T: two screens on one config show the same thing. */
static void same_frame_whenever_started(void **state)
{
    (void)state;
    fake.emergency_from = S(4);
    fake.emergency_to = S(5);
    struct engine_params p = params();
    struct engine *walker = make(&p);
    struct frame a, b;
    struct engine_info info;
    assert_int_equal(frame_init(&a, PW, PH), 0);
    assert_int_equal(frame_init(&b, PW, PH), 0);
    for (int64_t t = 0; t < S(12); t += S(1.0 / 60)) {
        assert_int_equal(engine_frame(walker, t, &a, &info), 0);
        if ((t / S(1.0 / 60)) % 53)
            continue;
        struct engine *late = make(&p);
        assert_int_equal(engine_frame(late, t, &b, &info), 0);
        assert_memory_equal(a.rgb, b.rgb, (size_t)PH * a.stride);
        engine_free(late);
    }
    frame_release(&a);
    frame_release(&b);
    engine_free(walker);
}

/* The stop notice: the text centred on the whole panel. */
static void still_notice(void **state)
{
    (void)state;
    struct engine_params p = params();
    p.idle_color = (struct blend_rgb){ 255, 176, 0 };
    struct engine *e = make(&p);
    struct frame f;
    assert_int_equal(frame_init(&f, PW, PH), 0);
    assert_int_equal(engine_still(e, "暂停服务", &f), 0);
    /* The fake renders any text as an 8 px block: columns 28..35. */
    assert_int_equal(lit_column(&f, 5, 0), 28);
    assert_int_equal(frame_pixel(&f, 35, 5)[1], 176);
    assert_int_equal(frame_pixel(&f, 36, 5)[1], 0);
    frame_release(&f);
    engine_free(e);
}

static void capture_msg(void *user, enum diag_level level, const char *file, int line,
                        const char *msg)
{
    (void)level, (void)file, (void)line;
    strncpy(user, msg, 255);
}

static void no_room(void **state)
{
    (void)state;
    struct engine_params p = params();
    p.width = 20;
    p.label = "x";
    p.clock = ENGINE_CLOCK_DATE;
    struct engine_source src = fake_show_source(&fake);
    struct engine *e;
    char said[256] = "";
    struct diag capture = { capture_msg, said };
    assert_int_equal(engine_new(&e, &p, &src, &capture), ENGINE_ERR_INVALID);
    assert_non_null(strstr(said, "no room to scroll on a 20x16 panel"));
}

/* A source whose texts are 8 px per code point (so widths differ), which
 * records the last text drawn in the clock zone and answers the lunar
 * text of the day. */
static uint8_t wide_data[16][512];
static char drawn[8][64];
static int ndrawn;
static const char *lunar_answer;

static int code_points(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += (*s & 0xC0) != 0x80;
    return n;
}

static const struct bitmap *wide_text(void *user, const char *s)
{
    (void)user;
    static struct bitmap b;
    int cps = code_points(s);
    snprintf(drawn[ndrawn++ % 8], sizeof drawn[0], "%s", s);
    memset(wide_data, 255, sizeof wide_data);
    b = (struct bitmap){ 8 * cps, 16, 512, 8, &wide_data[0][0] };
    return &b;
}

static int fixed_lunar(void *user, int64_t t, char *buf, size_t size)
{
    (void)user, (void)t;
    if (!lunar_answer)
        return -1;
    snprintf(buf, size, "%s", lunar_answer);
    return 0;
}

/* Whether the texts asked for during the last frame include `s`. */
static bool was_drawn(const char *s)
{
    for (int i = 0; i < 8 && i < ndrawn; i++)
        if (!strcmp(drawn[i], s))
            return true;
    return false;
}

/* 1 December 2026, 09:30 in Beijing: lunar 十月廿三, a Tuesday. */
#define DEC1 ((int64_t)1796088600 * 1000000000)

static struct engine *make_lunar(struct engine_params *p, const struct diag *d)
{
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    struct engine_source src = fake_show_source(&fake);
    src.text = wide_text;
    src.lunar_text = fixed_lunar;
    struct engine *e;
    assert_int_equal(engine_new(&e, p, &src, d), ENGINE_OK);
    return e;
}

static void lunar_clock_texts(void **state)
{
    (void)state;
    static const struct {
        enum engine_clock clock;
        const char *lunar, *shows;
    } cases[] = {
        { ENGINE_CLOCK_LUNAR, "十月廿三", "十月廿三" },
        { ENGINE_CLOCK_LUNAR, "冬至", "冬至" },
        { ENGINE_CLOCK_DATE_LUNAR, "十月廿三", "12月1日 十月廿三" },
        { ENGINE_CLOCK_DATE_LUNAR, "冬至", "12月1日 冬至" },
        /* No lunar text (outside the library's years): the date stands in. */
        { ENGINE_CLOCK_LUNAR, NULL, "12月1日" },
        { ENGINE_CLOCK_DATE_LUNAR, NULL, "12月1日 星期二" },
        { ENGINE_CLOCK_DATE, "十月廿三", "12月1日 星期二" },
        { ENGINE_CLOCK_TIME, "十月廿三", "09:30" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct engine_params p = params();
        p.width = 256;
        p.clock = cases[i].clock;
        lunar_answer = cases[i].lunar;
        struct engine *e = make_lunar(&p, NULL);
        struct frame f;
        struct engine_info info;
        assert_int_equal(frame_init(&f, p.width, PH), 0);
        ndrawn = 0;
        assert_int_equal(engine_frame(e, DEC1, &f, &info), 0);
        if (!was_drawn(cases[i].shows))
            fail_msg("case %zu: the clock did not show '%s' (last drawn '%s')", i, cases[i].shows,
                     drawn[(ndrawn + 7) % 8]);
        frame_release(&f);
        engine_free(e);
    }
    lunar_answer = NULL;
}

/* The zone is as wide as the format's widest text, 8 px a code point
 * here: date_lunar "12月28日 闰十月廿三" 96 px, date "12月28日 星期三" 80,
 * lunar "闰十月廿三" 40, time "88:88" 40. The scrolling zone keeps 8 px
 * and a 2 px pad. */
static int sample_width(enum engine_clock c)
{
    return c == ENGINE_CLOCK_DATE_LUNAR ? 96 : c == ENGINE_CLOCK_DATE ? 80 : 40;
}

static void clock_falls_back_when_too_wide(void **state)
{
    (void)state;
    static const struct {
        int width;
        enum engine_clock want, shows;
        const char *text;
    } cases[] = {
        { 256, ENGINE_CLOCK_DATE_LUNAR, ENGINE_CLOCK_DATE_LUNAR, "12月1日 十月廿三" },
        { 106, ENGINE_CLOCK_DATE_LUNAR, ENGINE_CLOCK_DATE_LUNAR, "12月1日 十月廿三" },  /* just */
        { 105, ENGINE_CLOCK_DATE_LUNAR, ENGINE_CLOCK_LUNAR, "十月廿三" },
        { 60, ENGINE_CLOCK_DATE_LUNAR, ENGINE_CLOCK_LUNAR, "十月廿三" },
        { 60, ENGINE_CLOCK_DATE, ENGINE_CLOCK_TIME, "09:30" },
        { 50, ENGINE_CLOCK_LUNAR, ENGINE_CLOCK_LUNAR, "十月廿三" },
    };
    lunar_answer = "十月廿三";
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct engine_params p = params();
        p.width = cases[i].width;
        p.clock = cases[i].want;
        p.clock_color = (struct blend_rgb){ 255, 255, 0 };
        char said[256] = "";
        struct diag capture = { capture_msg, said };
        struct engine *e = make_lunar(&p, &capture);
        struct frame f;
        struct engine_info info;
        assert_int_equal(frame_init(&f, p.width, PH), 0);
        ndrawn = 0;
        assert_int_equal(engine_frame(e, DEC1, &f, &info), 0);
        if (!was_drawn(cases[i].text))
            fail_msg("case %zu: the clock did not show '%s'", i, cases[i].text);
        /* The text is centred in a zone at the right as wide as the shown
         * format's widest text; the scrolling zone ends 2 px before it. */
        int zone = sample_width(cases[i].shows), tw = 8 * code_points(cases[i].text);
        assert_int_equal(lit_column(&f, 5, p.width - zone), p.width - zone + (zone - tw) / 2);
        for (int x = p.width - zone - 2; x < p.width - zone; x++)
            assert_int_equal(frame_pixel(&f, x, 5)[0] | frame_pixel(&f, x, 5)[1], 0);
        if (cases[i].shows == cases[i].want) {
            assert_string_equal(said, "");
        } else {
            char want[256];
            snprintf(want, sizeof want, "clock = %s needs %d px and the %dx16 panel has %d px "
                     "for it: it shows clock = %s instead", engine_clock_name(cases[i].want),
                     sample_width(cases[i].want), cases[i].width, cases[i].width - 10,
                     engine_clock_name(cases[i].shows));
            assert_string_equal(said, want);
        }
        frame_release(&f);
        engine_free(e);
    }
    lunar_answer = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(edge_moves_with_time, setup),
        cmocka_unit_test_setup(label_and_clock_zones, setup),
        cmocka_unit_test_setup(passes_and_emergency, setup),
        cmocka_unit_test_setup(off_hours_and_light, setup),
        cmocka_unit_test_setup(partial_pass_not_logged, setup),
        cmocka_unit_test_setup(gray_smooth, setup),
        cmocka_unit_test_setup(two_rows_headline_centred, setup),
        cmocka_unit_test_setup(same_frame_whenever_started, setup),
        cmocka_unit_test_setup(no_room, setup),
        cmocka_unit_test_setup(still_notice, setup),
        cmocka_unit_test_setup(lunar_clock_texts, setup),
        cmocka_unit_test_setup(clock_falls_back_when_too_wide, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
