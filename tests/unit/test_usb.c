/* The usb transport through the real libusb against an emulated controller
 * whose device side is the real firmware core (tests/support/mockusb.h).
 * What a user relies on: frames sent arrive intact and are presented; a
 * pulled cable is noticed, waited out without spinning, and recovered; a
 * stall, a hung transfer and a run of CRC errors each end in a resync after
 * which frames are right again; the controller's geometry beats the
 * config's, with one warning. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "ledproto.h"
#include "mockusb.h"
#include "transport/transport.h"
#include "transport/usb.h"

#define W 256
#define H 32
#define BLIT_W 32

struct capture {
    int warnings, errors;
    char last[512], last_info[512];
};

static void capture_fn(void *user, enum diag_level level, const char *file, int line,
                       const char *msg)
{
    struct capture *c = user;
    (void)file, (void)line;
    if (level == DIAG_WARN)
        c->warnings++;
    if (level == DIAG_ERROR)
        c->errors++;
    if (level >= DIAG_WARN)
        snprintf(c->last, sizeof c->last, "%s", msg);
    else
        snprintf(c->last_info, sizeof c->last_info, "%s", msg);
}

struct fixture {
    struct mockusb *m;
    struct transport *t;
    struct capture cap;
    struct diag diag;
    uint16_t seq;               /* command seq */
    uint32_t frame;             /* PRESENT frame seq */
    int events[4];              /* counts per enum transport_event */
};

static uint64_t ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static double cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0;
}

/* The picture of frame n: a background colour and a 32x32 gradient block
 * at a position that moves with n. */
static void frame_colour(uint32_t n, uint8_t rgb[3])
{
    rgb[0] = (uint8_t)(n * 37);
    rgb[1] = (uint8_t)(255 - n * 11);
    rgb[2] = (uint8_t)(n * 5 + 40);
}

static int block_x(uint32_t n)
{
    return (int)(n * 8 % (W - BLIT_W));
}

static void block_pixel(uint32_t n, int x, int y, uint8_t rgb[3])
{
    rgb[0] = (uint8_t)(x * 8);
    rgb[1] = (uint8_t)(y * 8);
    rgb[2] = (uint8_t)(n + (unsigned)x + (unsigned)y);
}

static void expected_image(uint32_t n, uint8_t *img)
{
    uint8_t bg[3];
    frame_colour(n, bg);
    for (int i = 0; i < W * H; i++)
        memcpy(img + 3 * i, bg, 3);
    for (int y = 0; y < BLIT_W; y++)
        for (int x = 0; x < BLIT_W; x++)
            block_pixel(n, x, y, img + 3 * ((size_t)y * W + (size_t)(block_x(n) + x)));
}

static size_t put(struct fixture *f, uint8_t *out, uint8_t op, const uint8_t *payload, size_t len)
{
    return ledproto_frame_pack(out, op, f->seq++, payload, len);
}

/* One full frame: FILL the panel, BLIT the block (3 KiB, many packets), PRESENT. */
static size_t build_frame(struct fixture *f, uint8_t *out)
{
    uint32_t n = ++f->frame;
    uint8_t p[LEDPROTO_BLIT_HEAD_SIZE + BLIT_W * BLIT_W * 3], c[3];
    size_t len = 0;
    frame_colour(n, c);
    ledproto_fill_pack(p, 0, 0, W, H, c[0], c[1], c[2]);
    len += put(f, out + len, LEDPROTO_OP_FILL, p, LEDPROTO_FILL_SIZE);
    struct ledproto_blit b = { .x = (uint16_t)block_x(n), .y = 0, .w = BLIT_W, .h = BLIT_W,
                               .format = LEDPROTO_FMT_RGB888 };
    ledproto_blit_head_pack(p, &b);
    for (int y = 0; y < BLIT_W; y++)
        for (int x = 0; x < BLIT_W; x++)
            block_pixel(n, x, y, p + LEDPROTO_BLIT_HEAD_SIZE + 3 * (y * BLIT_W + x));
    len += put(f, out + len, LEDPROTO_OP_BLIT, p, sizeof p);
    ledproto_present_pack(p, n, n * 40);
    len += put(f, out + len, LEDPROTO_OP_PRESENT, p, LEDPROTO_PRESENT_SIZE);
    return len;
}

static void note(struct fixture *f, enum transport_event ev)
{
    if (ev > 0 && ev < 4)
        f->events[ev]++;
}

static void pump(struct fixture *f, int ms)
{
    enum transport_event ev;
    assert_int_equal(transport_poll(f->t, ms, &ev), 0);
    note(f, ev);
}

/* Sends one frame, waiting through BUSY. Returns the send result. */
static int send_frame(struct fixture *f)
{
    static uint8_t buf[8192];
    size_t len = build_frame(f, buf);
    for (int tries = 0; tries < 500; tries++) {
        int rc = transport_send(f->t, buf, len);
        if (rc != TRANSPORT_ERR_BUSY)
            return rc;
        pump(f, 10);
    }
    return TRANSPORT_ERR_BUSY;
}

static bool presented(struct fixture *f, uint32_t n)
{
    struct mockusb_stats st;
    mockusb_get_stats(f->m, &st);
    return st.presented_seq == n;
}

/* Polls until frame n is on the controller's front buffer. */
static bool wait_presented(struct fixture *f, uint32_t n, int ms)
{
    uint64_t until = ms_now() + (uint64_t)ms;
    while (!presented(f, n) && ms_now() < until)
        pump(f, 20);
    return presented(f, n);
}

static void assert_front_is(struct fixture *f, uint32_t n)
{
    static uint8_t want[W * H * 3], got[W * H * 3];
    int w, h;
    expected_image(n, want);
    mockusb_front(f->m, got, sizeof got, &w, &h);
    assert_int_equal(w, W);
    assert_int_equal(h, H);
    assert_memory_equal(got, want, sizeof want);
}

static int wait_event(struct fixture *f, enum transport_event want, int ms)
{
    uint64_t until = ms_now() + (uint64_t)ms;
    int before = f->events[want];
    while (f->events[want] == before && ms_now() < until)
        pump(f, 20);
    return f->events[want] - before;
}

static int open_usb(struct fixture *f, const char *serial, int width, int height)
{
    struct transport_config cfg = { .serial = serial, .width = width, .height = height };
    f->diag = (struct diag){ capture_fn, &f->cap };
    return transport_open(&f->t, "usb", &cfg, &f->diag);
}

static int setup_board(void **state, const char *board)
{
    struct fixture *f = calloc(1, sizeof *f);
    struct mockusb_config mc = { .board = board, .serial = "LT0042" };
    f->m = mockusb_new(&mc);
    if (!f->m)
        return -1;
    *state = f;
    return 0;
}

static int setup(void **state)
{
    return setup_board(state, "hub75-256x32");
}

static int setup_small(void **state)
{
    return setup_board(state, "hub75-128x32");
}

static int setup_other_ids(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    struct mockusb_config mc = { .board = "hub75-128x32", .serial = "LT0043",
                                 .vid = 0x16c0, .pid = 0x05dc };
    f->m = mockusb_new(&mc);
    *state = f;
    return f->m ? 0 : -1;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    if (f->t)
        transport_close(f->t);
    mockusb_free(f->m);
    free(f);
    return 0;
}

/* Waits (at most 15 s) until nothing has the device node open. */
static void wait_all_closed(struct fixture *f, struct mockusb_stats *st)
{
    uint64_t until = ms_now() + 15000;
    do
        mockusb_get_stats(f->m, st);
    while (st->open_clients > 0 && ms_now() < until);
}

/* Opens, has one frame presented, then injects `fault`. */
static void stream_then_inject(struct fixture *f, enum mockusb_fault fault, unsigned count)
{
    assert_int_equal(open_usb(f, NULL, W, H), 0);
    assert_int_equal(send_frame(f), 0);
    assert_true(wait_presented(f, f->frame, 10000));
    mockusb_inject(f->m, fault, count);
}

/* Streams until the injected fault is spent (at most 15 s). */
static void stream_until_fault_spent(struct fixture *f, struct mockusb_stats *st)
{
    uint64_t until = ms_now() + 15000;
    do {
        assert_int_equal(send_frame(f), 0);
        pump(f, 5);
        mockusb_get_stats(f->m, st);
    } while (st->fault_left > 0 && ms_now() < until);
    assert_int_equal(st->fault_left, 0);
}

/* ---- tests -------------------------------------------------------------- */

static void test_frames_arrive_and_are_presented(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(open_usb(f, NULL, W, H), 0);
    struct transport_info info;
    assert_int_equal(transport_info(f->t, &info), 0);
    assert_int_equal(info.width, W);
    assert_int_equal(info.height, H);
    assert_string_equal(info.serial, "LT0042");
    assert_string_equal(info.board, "hub75-256x32");
    assert_true(info.max_in_flight >= LEDPROTO_FRAME_MAX);

    for (int i = 0; i < 30; i++)
        assert_int_equal(send_frame(f), 0);
    assert_true(wait_presented(f, f->frame, 10000));
    assert_front_is(f, f->frame);

    struct mockusb_stats st;
    mockusb_get_stats(f->m, &st);
    assert_int_equal(st.crc_errors, 0);
    assert_int_equal(st.overflows, 0);     /* the credit window was respected */
    assert_int_equal(st.seq_gaps, 0);
    assert_true(st.max_out_in_flight >= 2);
    assert_int_equal(f->cap.warnings + f->cap.errors, 0);
}

/* Closing while frames and STATUS messages are flowing must first get back
 * every transfer in flight: none may outlive the device handle. */
static void test_close_mid_stream_leaves_nothing_in_flight(void **state)
{
    struct fixture *f = *state;
    for (int round = 0; round < 5; round++) {
        assert_int_equal(open_usb(f, NULL, W, H), 0);
        for (int i = 0; i < 10; i++)
            assert_int_equal(send_frame(f), 0);
        pump(f, 1);
        transport_close(f->t);
        f->t = NULL;
    }
    struct mockusb_stats st;
    wait_all_closed(f, &st);
    assert_int_equal(st.open_clients, 0);
    assert_int_equal(st.abandoned, 0);
}

/* Streams, then has `fault` take the next bulk OUT transfer, and closes
 * with it in flight: the close must get it back before the handle goes
 * (nothing abandoned in flight) and free it (nothing for LeakSanitizer
 * under SANITIZE=1). */
static void close_with_a_transfer_held(struct fixture *f, enum mockusb_fault fault,
                                       unsigned count)
{
    stream_then_inject(f, fault, count);
    for (int i = 0; i < 3; i++)
        assert_int_equal(send_frame(f), 0);
    pump(f, 20);
    struct mockusb_stats st;
    mockusb_get_stats(f->m, &st);
    assert_int_equal(st.fault_left, 0);        /* a transfer is held */
    transport_close(f->t);
    f->t = NULL;
    wait_all_closed(f, &st);
    assert_int_equal(st.open_clients, 0);
    assert_int_equal(st.abandoned, 0);
}

/* A controller that never completes a transfer until it is cancelled
 * (mockusb's hang). */
static void test_close_with_a_hung_transfer(void **state)
{
    close_with_a_transfer_held(*state, MOCKUSB_FAULT_HANG, 1);
}

/* An endpoint slow to abort: the cancelled transfer comes back only 3 s
 * later, after the 2 s the transport waits at first. The handle must stay
 * open until it has (closing it would make libusb forget the transfer
 * while the device still holds it), and the transfer is freed then. */
static void test_close_waits_for_a_slow_cancel(void **state)
{
    close_with_a_transfer_held(*state, MOCKUSB_FAULT_SLOW_CANCEL, 3000);
}

static void test_unplug_waits_without_spinning_and_replug_resumes(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(open_usb(f, NULL, W, H), 0);
    for (int i = 0; i < 5; i++)
        assert_int_equal(send_frame(f), 0);
    assert_true(wait_presented(f, f->frame, 10000));

    /* Mid-stream: frames queued, then the cable goes. */
    for (int i = 0; i < 3; i++)
        send_frame(f);
    mockusb_unplug(f->m);
    assert_int_equal(wait_event(f, TRANSPORT_EVENT_DISCONNECTED, 10000), 1);
    assert_int_equal(f->cap.warnings, 1);
    assert_non_null(strstr(f->cap.last, "disconnected"));
    assert_int_equal(send_frame(f), TRANSPORT_ERR_NO_DEVICE);

    /* Away: each poll sleeps its full time and touches no device; the
     * whole process (the emulated device's thread too) uses next to no
     * CPU in that second. */
    struct mockusb_stats before, after;
    mockusb_get_stats(f->m, &before);
    uint64_t t0 = ms_now();
    double cpu0 = cpu_ms();
    int polls = 0;
    while (ms_now() - t0 < 1000) {
        pump(f, 100);
        polls++;
    }
    double cpu = cpu_ms() - cpu0;
    mockusb_get_stats(f->m, &after);
    assert_true(polls <= 12);
    assert_true(cpu < 200);
    assert_int_equal(after.reaps, before.reaps);
    assert_int_equal(after.submits, before.submits);
    assert_int_equal(f->events[TRANSPORT_EVENT_CONNECTED], 0);
    assert_int_equal(f->cap.warnings, 1);  /* one line for the unplug, no more */

    assert_int_equal(mockusb_replug(f->m, NULL), 0);
    assert_int_equal(wait_event(f, TRANSPORT_EVENT_CONNECTED, 10000), 1);
    struct transport_info info;
    assert_int_equal(transport_info(f->t, &info), 0);
    assert_int_equal(info.width, W);
    for (int i = 0; i < 5; i++)
        assert_int_equal(send_frame(f), 0);
    assert_true(wait_presented(f, f->frame, 10000));
    assert_front_is(f, f->frame);
}

/* Full frames, as the engine sends after RESYNC or CONNECTED, until one is
 * presented (a resync still under way drops what was queued before it);
 * then the controller must show exactly that frame. */
static void assert_frames_flow(struct fixture *f)
{
    uint64_t until = ms_now() + 15000;
    bool ok = false;
    while (!ok && ms_now() < until) {
        int rc = send_frame(f);
        assert_true(rc == 0 || rc == TRANSPORT_ERR_NO_DEVICE);
        ok = rc == 0 && wait_presented(f, f->frame, 1000);
        if (rc != 0)
            pump(f, 50);
    }
    assert_true(ok);
    assert_front_is(f, f->frame);
}

/* After a fault: the transport must have reported RESYNC (not a lost
 * device), and frames must flow again. */
static void assert_recovers(struct fixture *f)
{
    assert_true(f->events[TRANSPORT_EVENT_RESYNC] >= 1);
    assert_int_equal(f->events[TRANSPORT_EVENT_DISCONNECTED], 0);
    assert_frames_flow(f);
}

static void stream_until_resync(struct fixture *f, int ms)
{
    uint64_t until = ms_now() + (uint64_t)ms;
    while (f->events[TRANSPORT_EVENT_RESYNC] == 0 && ms_now() < until) {
        assert_int_equal(send_frame(f), 0);
        pump(f, 5);
    }
}

static void test_stall_resyncs(void **state)
{
    struct fixture *f = *state;
    stream_then_inject(f, MOCKUSB_FAULT_STALL, 1);
    stream_until_resync(f, 10000);
    struct mockusb_stats st;
    mockusb_get_stats(f->m, &st);
    assert_true(st.clear_halts >= 1);      /* the halt was cleared, else nothing flows */
    assert_recovers(f);
}

/* A controller that stalls again and again is closed and opened afresh
 * rather than resynchronised forever; once it behaves, frames are right. */
static void test_persistent_stall_reopens(void **state)
{
    struct fixture *f = *state;
    stream_then_inject(f, MOCKUSB_FAULT_STALL, 8);
    uint64_t until = ms_now() + 30000;
    struct mockusb_stats st;
    do {
        if (send_frame(f) == TRANSPORT_ERR_NO_DEVICE)
            pump(f, 50);
        pump(f, 5);
        mockusb_get_stats(f->m, &st);
    } while ((st.fault_left > 0 || f->events[TRANSPORT_EVENT_CONNECTED] == 0) && ms_now() < until);
    assert_int_equal(st.fault_left, 0);
    assert_true(f->events[TRANSPORT_EVENT_RESYNC] >= 2);
    assert_true(f->events[TRANSPORT_EVENT_DISCONNECTED] >= 1);
    assert_int_equal(f->events[TRANSPORT_EVENT_CONNECTED], f->events[TRANSPORT_EVENT_DISCONNECTED]);
    assert_frames_flow(f);
}

/* A controller that stops taking data: the transport takes no more than
 * the credit window and then says BUSY (the engine drops frames rather
 * than building a backlog); the hung transfer times out into a resync. */
static void test_send_is_busy_when_the_window_is_full(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(open_usb(f, NULL, W, H), 0);
    struct transport_info info;
    assert_int_equal(transport_info(f->t, &info), 0);
    assert_int_equal(send_frame(f), 0);
    assert_true(wait_presented(f, f->frame, 10000));
    mockusb_inject(f->m, MOCKUSB_FAULT_HANG, 1);
    static uint8_t buf[8192];
    size_t taken = 0;
    int rc = 0;
    for (int i = 0; i < 20 && rc == 0; i++) {
        size_t len = build_frame(f, buf);
        rc = transport_send(f->t, buf, len);
        if (rc == 0)
            taken += len;
        pump(f, 5);
    }
    assert_int_equal(rc, TRANSPORT_ERR_BUSY);
    assert_true(taken > 0 && taken <= info.max_in_flight);
    assert_int_equal(wait_event(f, TRANSPORT_EVENT_RESYNC, 10000), 1);
    assert_frames_flow(f);
}

static void test_timeout_resyncs(void **state)
{
    struct fixture *f = *state;
    stream_then_inject(f, MOCKUSB_FAULT_HANG, 1);
    stream_until_resync(f, 15000);
    assert_non_null(strstr(f->cap.last, "resynchronising"));
    assert_recovers(f);
}

static void test_crc_errors_resync(void **state)
{
    struct fixture *f = *state;
    stream_then_inject(f, MOCKUSB_FAULT_CORRUPT, 300);
    stream_until_resync(f, 15000);
    struct mockusb_stats st;
    mockusb_get_stats(f->m, &st);
    assert_true(st.crc_errors >= 3);
    assert_non_null(strstr(f->cap.last, "CRC"));
    /* The corruption may outlast the first resync (then more follow, and
     * frames lose the commands it hit); once the line is clean, full frames
     * are right again. */
    stream_until_fault_spent(f, &st);
    assert_recovers(f);
}

/* A controller whose GET_INFO claims a panel outside 1..LEDPROTO_DIM_MAX
 * in either direction (broken firmware, a bad board table) is refused
 * with one error naming the size, in `devices` too, instead of the host
 * sizing frames from it; the limit itself is fine. */
static void test_impossible_geometry_is_refused(void **state)
{
    struct fixture *f = *state;
    static const struct {
        uint16_t w, h;
        bool ok;
        const char *says;
    } cases[] = {
        { 32641, 32, false, "32641x32" },   /* MONO1 rows past a payload: max_h 0 */
        { 256, 4097, false, "256x4097" },
        { 65535, 65535, false, "65535x65535" },
        { 4096, 4096, true, NULL },
        { 1, 1, true, NULL },
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mockusb_free(f->m);
        struct mockusb_config mc = { .serial = "LT0042", .info_width = cases[i].w,
                                     .info_height = cases[i].h };
        f->m = mockusb_new(&mc);
        assert_non_null(f->m);
        memset(&f->cap, 0, sizeof f->cap);
        int rc = open_usb(f, NULL, 0, 0);
        if (cases[i].ok) {
            assert_int_equal(rc, 0);
            struct transport_info info;
            assert_int_equal(transport_info(f->t, &info), 0);
            assert_int_equal(info.width, cases[i].w);
            assert_int_equal(info.height, cases[i].h);
            assert_int_equal(f->cap.errors, 0);
            transport_close(f->t);
            f->t = NULL;
            continue;
        }
        assert_int_equal(rc, TRANSPORT_ERR_PROTOCOL);
        assert_null(f->t);
        assert_int_equal(f->cap.errors, 1);
        assert_non_null(strstr(f->cap.last, cases[i].says));
        assert_non_null(strstr(f->cap.last, "4096"));
        struct usb_controller c[2];
        size_t n;
        const uint16_t ids[2] = { LEDPROTO_USB_VID_TEST, LEDPROTO_USB_PID_TEST };
        assert_int_equal(usb_list(c, 2, &n, ids, 1, &f->diag), 0);
        assert_int_equal(n, 1);
        assert_int_equal(c[0].error, TRANSPORT_ERR_PROTOCOL);
    }
}

/* GET_STATUS at open claims 64 KiB more credit than the controller's
 * window. Taken as given, sent - consumed wraps: the host either writes
 * past the window or waits for credits that never come until it resyncs,
 * again and again. Clamped, frames flow at once, within the window. */
static void test_credits_beyond_the_window_at_open_are_clamped(void **state)
{
    struct fixture *f = *state;
    mockusb_inject(f->m, MOCKUSB_FAULT_CREDITS, 1);
    assert_int_equal(open_usb(f, NULL, W, H), 0);
    for (int i = 0; i < 20; i++)
        assert_int_equal(send_frame(f), 0);
    assert_true(wait_presented(f, f->frame, 10000));
    assert_front_is(f, f->frame);
    struct mockusb_stats st;
    mockusb_get_stats(f->m, &st);
    assert_int_equal(st.overflows, 0);
    assert_int_equal(st.fault_left, 0);
    assert_int_equal(f->events[TRANSPORT_EVENT_RESYNC], 0);
    assert_int_equal(f->events[TRANSPORT_EVENT_DISCONNECTED], 0);
    assert_int_equal(f->cap.warnings, 1);      /* said once */
    assert_non_null(strstr(f->cap.last, "credit"));
}

/* STATUS messages on bulk IN that claim too much credit are link errors:
 * three in a row resync (as a run of CRC errors does), and once the
 * controller talks sense again frames are right, never past the window. */
static void test_bad_status_run_resyncs(void **state)
{
    struct fixture *f = *state;
    stream_then_inject(f, MOCKUSB_FAULT_CREDITS, 4);
    stream_until_resync(f, 15000);
    assert_non_null(strstr(f->cap.last, "credit"));
    struct mockusb_stats st;
    stream_until_fault_spent(f, &st);
    assert_recovers(f);
    mockusb_get_stats(f->m, &st);
    assert_int_equal(st.overflows, 0);
}

static void test_device_geometry_wins_with_one_warning(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(open_usb(f, NULL, 256, 32), 0);
    struct transport_info info;
    assert_int_equal(transport_info(f->t, &info), 0);
    assert_int_equal(info.width, 128);
    assert_int_equal(info.height, 32);
    assert_int_equal(f->cap.warnings, 1);
    assert_non_null(strstr(f->cap.last, "128x32"));
    /* Reconnecting to the same controller does not repeat the warning. */
    mockusb_unplug(f->m);
    assert_int_equal(wait_event(f, TRANSPORT_EVENT_DISCONNECTED, 10000), 1);
    assert_int_equal(mockusb_replug(f->m, NULL), 0);
    assert_int_equal(wait_event(f, TRANSPORT_EVENT_CONNECTED, 10000), 1);
    assert_int_equal(f->cap.warnings, 3);  /* + unplug + back, no second geometry warning */
}

static void test_replug_with_other_geometry_is_reported(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(open_usb(f, NULL, W, H), 0);
    mockusb_unplug(f->m);
    assert_int_equal(wait_event(f, TRANSPORT_EVENT_DISCONNECTED, 10000), 1);
    assert_int_equal(mockusb_replug(f->m, "hub75-64x32"), 0);
    assert_int_equal(wait_event(f, TRANSPORT_EVENT_CONNECTED, 10000), 1);
    struct transport_info info;
    assert_int_equal(transport_info(f->t, &info), 0);
    assert_int_equal(info.width, 64);
    assert_string_equal(info.board, "hub75-64x32");
}

/* The config names a board: its file gives the VID:PID to look for and the
 * geometry the config expects; the controller still has the last word. */
static void test_board_file_names_ids_and_geometry(void **state)
{
    struct fixture *f = *state;
    char dir[] = "/tmp/test_usb_boardsXXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/wall.ini", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("[board]\nname = wall\ninterface = hub75\nwidth = 256\nheight = 32\n"
          "[usb]\nvid = 0x16c0\npid = 0x05dc\n", fp);
    fclose(fp);
    struct transport_config cfg = { .board = "wall", .boards_dir = dir };
    f->diag = (struct diag){ capture_fn, &f->cap };
    assert_int_equal(transport_open(&f->t, "usb", &cfg, &f->diag), 0);
    struct transport_info info;
    assert_int_equal(transport_info(f->t, &info), 0);
    assert_int_equal(info.width, 128);
    assert_int_equal(f->cap.warnings, 1);
    assert_non_null(strstr(f->cap.last, "256x32"));
    transport_close(f->t);
    f->t = NULL;

    cfg.board = "missing";
    assert_int_equal(transport_open(&f->t, "usb", &cfg, &f->diag), TRANSPORT_ERR_INVALID);
    assert_non_null(strstr(f->cap.last, "missing"));
    unlink(path);
    rmdir(dir);
}

static void test_serial_selects_the_controller(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(open_usb(f, "SOMEONE-ELSE", 0, 0), TRANSPORT_ERR_NO_DEVICE);
    assert_null(f->t);
    /* Said below warning level: the caller decides whether that is an
     * error (`run` waits for the controller, `auto` falls back to sim). */
    assert_int_equal(f->cap.errors + f->cap.warnings, 0);
    assert_non_null(strstr(f->cap.last_info, "SOMEONE-ELSE"));
    assert_int_equal(open_usb(f, "LT0042", 0, 0), 0);
    struct transport_info info;
    assert_int_equal(transport_info(f->t, &info), 0);
    assert_string_equal(info.serial, "LT0042");
}

static void test_list_names_serial_and_info(void **state)
{
    struct fixture *f = *state;
    struct usb_controller c[4];
    size_t n;
    const uint16_t ids[2] = { LEDPROTO_USB_VID_TEST, LEDPROTO_USB_PID_TEST };
    f->diag = (struct diag){ capture_fn, &f->cap };
    assert_int_equal(usb_list(c, 4, &n, ids, 1, &f->diag), 0);
    assert_int_equal(n, 1);
    assert_int_equal(c[0].error, 0);
    assert_string_equal(c[0].info.serial, "LT0042");
    assert_string_equal(c[0].info.board, "hub75-256x32");
    assert_int_equal(c[0].info.width, 256);
    const uint16_t other[2] = { 0x1234, 0x5678 };
    assert_int_equal(usb_list(c, 4, &n, other, 1, &f->diag), 0);
    assert_int_equal(n, 0);
}

int main(int argc, char **argv)
{
    (void)argc;
    mockusb_reexec_preloaded(argv);
    /* Each ioctl is a round trip to umockdev's thread; default timer slack
     * adds ~50 us of sleep to each. */
    prctl(PR_SET_TIMERSLACK, 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_frames_arrive_and_are_presented, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_mid_stream_leaves_nothing_in_flight, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_close_with_a_hung_transfer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_waits_for_a_slow_cancel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unplug_waits_without_spinning_and_replug_resumes,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_stall_resyncs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_persistent_stall_reopens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_send_is_busy_when_the_window_is_full, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_timeout_resyncs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crc_errors_resync, setup, teardown),
        cmocka_unit_test_setup_teardown(test_impossible_geometry_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_credits_beyond_the_window_at_open_are_clamped,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_status_run_resyncs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_device_geometry_wins_with_one_warning, setup_small,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_replug_with_other_geometry_is_reported, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_board_file_names_ids_and_geometry, setup_other_ids,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_serial_selects_the_controller, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_names_serial_and_info, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
