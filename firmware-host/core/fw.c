#include "fw.h"

#include <string.h>

#include "font.h"

/* The colour of single-colour (P10) LEDs, as a viewer sees them lit. */
static const uint8_t mono_led[3] = { 255, 40, 0 };
static const uint8_t notice_colour[3] = { 255, 140, 0 };

static uint32_t port_now(const struct fw *fw)
{
    return fw->port.now_ms ? fw->port.now_ms(fw->port.user) : 0;
}

static void restore_defaults(struct fw *fw)
{
    fw->silence_ms = LEDPROTO_SILENCE_MS_DEFAULT;
    fw->notice_ms = LEDPROTO_NOTICE_MS_DEFAULT;
    fw->standby = false;
    fw->presented = fw->silent = fw->notice = false;
    fw->presented_seq = fw->presented_host_ms = 0;
    fw->last_present_ms = fw->now;
    panel_set_brightness(&fw->panel, fw->board->brightness);
    fb_clear(&fw->fb);
    fw->dirty = true;
}

int fw_init(struct fw *fw, const struct fw_board *b, const struct fw_port *port)
{
    if (!board_supported(b))
        return -1;
    memset(fw, 0, sizeof *fw);
    fw->board = b;
    if (port)
        fw->port = *port;
    proto_decoder_init(&fw->dec);
    fb_init(&fw->fb, b->width, b->height);
    panel_init(&fw->panel, b, b->brightness);
    fw->now = fw->boot_ms = port_now(fw);
    restore_defaults(fw);
    fw_task(fw);
    return 0;
}

/* C99 has no _Static_assert: an array of size -1 stops the build, and its
 * name is the message. */
typedef char fw_rx_bytes_must_be_a_power_of_two[FW_IS_POWER_OF_TWO(FW_RX_BYTES) ? 1 : -1];

/* The ring is single-producer (this, perhaps in an interrupt) and
 * single-consumer (drain_queue). The bytes are stored before rx_in
 * publishes them, and rx_out is read before their slots are reused. */
size_t fw_usb_rx(struct fw *fw, const uint8_t *data, size_t len)
{
    uint32_t in = fw->rx_in, used = in - fw->rx_out;
    size_t room = FW_RX_BYTES - used;
    size_t take = len < room ? len : room;
    FW_BARRIER();               /* the consumer is done with the slots we reuse */
    for (size_t i = 0; i < take; i++)
        fw->rx[(in + i) % FW_RX_BYTES] = data[i];
    FW_BARRIER();               /* the data is in place before the index says so */
    fw->rx_in = in + (uint32_t)take;
    fw->overflows += (uint32_t)(len - take);
    return take;
}

/* ---- commands ----------------------------------------------------------- */

static void on_present(struct fw *fw, const uint8_t *p)
{
    fb_present(&fw->fb);
    fw->presented_seq = ledproto_get_u32(p);
    fw->presented_host_ms = ledproto_get_u32(p + 4);
    fw->presented = true;
    fw->silent = fw->notice = false;
    fw->last_present_ms = fw->now;
    fw->dirty = true;
    fw->status_pending = true;
}

static enum proto_result on_timeouts(struct fw *fw, const uint8_t *p)
{
    uint32_t silence = ledproto_get_u32(p), notice = ledproto_get_u32(p + 4);
    if (silence < 1000 || notice < silence)
        return PROTO_BAD_FIELD;
    fw->silence_ms = silence;
    fw->notice_ms = notice;
    return PROTO_OK;
}

/* Payload size each fixed-size opcode needs; -1 for BLIT (at least its
 * head) and for unknown opcodes. */
static int fixed_size(uint8_t opcode)
{
    switch (opcode) {
    case LEDPROTO_OP_FILL: return LEDPROTO_FILL_SIZE;
    case LEDPROTO_OP_SCROLL: return LEDPROTO_SCROLL_SIZE;
    case LEDPROTO_OP_PRESENT: return LEDPROTO_PRESENT_SIZE;
    case LEDPROTO_OP_BRIGHTNESS: return LEDPROTO_BRIGHTNESS_SIZE;
    case LEDPROTO_OP_STANDBY: return LEDPROTO_STANDBY_SIZE;
    case LEDPROTO_OP_RESET: return 0;
    case LEDPROTO_OP_GET_STATUS: return 0;
    case LEDPROTO_OP_TIMEOUTS: return LEDPROTO_TIMEOUTS_SIZE;
    default: return -1;
    }
}

static enum proto_result on_frame(void *ctx, const struct ledproto_header *h, const uint8_t *p)
{
    struct fw *fw = ctx;
    int need = fixed_size(h->opcode);
    if (h->opcode == LEDPROTO_OP_BLIT) {
        if (h->length < LEDPROTO_BLIT_HEAD_SIZE)
            return PROTO_BAD_LENGTH;
    } else if (need < 0) {
        return PROTO_BAD_OPCODE;
    } else if (h->length != need) {
        return PROTO_BAD_LENGTH;
    }
    const uint8_t *rgb;
    switch (h->opcode) {
    case LEDPROTO_OP_FILL:
        return fb_fill(&fw->fb, ledproto_get_u16(p), ledproto_get_u16(p + 2),
                       ledproto_get_u16(p + 4), ledproto_get_u16(p + 6), p + 8);
    case LEDPROTO_OP_BLIT: {
        struct ledproto_blit b;
        ledproto_blit_head_unpack(p, &b);
        return fb_blit(&fw->fb, &b, p + LEDPROTO_BLIT_HEAD_SIZE,
                       h->length - LEDPROTO_BLIT_HEAD_SIZE);
    }
    case LEDPROTO_OP_SCROLL:
        rgb = p + 12;
        return fb_scroll(&fw->fb, ledproto_get_u16(p), ledproto_get_u16(p + 2),
                         ledproto_get_u16(p + 4), ledproto_get_u16(p + 6),
                         ledproto_get_i16(p + 8), ledproto_get_i16(p + 10), rgb);
    case LEDPROTO_OP_PRESENT:
        on_present(fw, p);
        return PROTO_OK;
    case LEDPROTO_OP_BRIGHTNESS:
        panel_set_brightness(&fw->panel, p[0]);
        fw->dirty = true;
        return PROTO_OK;
    case LEDPROTO_OP_STANDBY:
        if (p[0] > 1)
            return PROTO_BAD_FIELD;
        fw->standby = p[0] == 1;
        fw->dirty = true;
        return PROTO_OK;
    case LEDPROTO_OP_RESET:
        restore_defaults(fw);
        fw->status_pending = true;
        return PROTO_OK;
    case LEDPROTO_OP_GET_STATUS:
        fw->status_pending = true;
        return PROTO_OK;
    case LEDPROTO_OP_TIMEOUTS:
        return on_timeouts(fw, p);
    }
    return PROTO_BAD_OPCODE;
}

/* ---- the main loop's work ----------------------------------------------- */

static void drain_queue(struct fw *fw)
{
    uint32_t in = fw->rx_in;
    while (fw->rx_out != in) {
        uint32_t out = fw->rx_out, at = out % FW_RX_BYTES;
        uint32_t n = in - out;
        if (n > FW_RX_BYTES - at)
            n = FW_RX_BYTES - at;           /* up to the end of the ring */
        FW_BARRIER();                       /* read the bytes rx_in published, not older */
        proto_decode_feed(&fw->dec, fw->rx + at, n, on_frame, fw);
        FW_BARRIER();                       /* done with them before the producer may reuse them */
        fw->rx_out = out + n;
        if (fw->rx_out - fw->status_consumed >= FW_RX_BYTES / 2)
            fw->status_pending = true;      /* hand back credits */
    }
}

/* The half-window rule alone can leave a host waiting forever: it stops
 * for credits with less than half a window unreported, and nothing else
 * makes us talk. So once the link has been quiet for a moment and we have
 * consumed bytes we have not reported, report them. While the host streams,
 * bytes keep arriving and this stays silent. */
static void hand_back_idle_credits(struct fw *fw)
{
    uint32_t in = fw->rx_in;
    if (in != fw->seen_rx_in) {
        fw->seen_rx_in = in;
        fw->last_rx_ms = fw->now;
        return;
    }
    if (in == fw->rx_out && fw->rx_out != fw->status_consumed &&
        fw->now - fw->last_rx_ms >= LEDPROTO_STATUS_IDLE_MS)
        fw->status_pending = true;
}

static void show_notice(struct fw *fw)
{
    unsigned w = fw->board->width, h = fw->board->height;
    int x = ((int)w - (int)font_text_width(FW_NOTICE_TEXT)) / 2;
    int y = ((int)h - FONT_GLYPH_H) / 2;
    memset(fw->fb.front, 0, (size_t)w * h * 3);
    font_draw_text(fw->fb.front, w, h, x, y, FW_NOTICE_TEXT, notice_colour);
}

static void watch_silence(struct fw *fw)
{
    uint32_t since = fw->now - fw->last_present_ms;
    if (since >= fw->silence_ms)
        fw->silent = true;
    if (since >= fw->notice_ms && !fw->notice) {
        fw->notice = true;
        show_notice(fw);
        fw->dirty = true;
    }
}

static void send_status(struct fw *fw)
{
    uint8_t msg[LEDPROTO_HEADER_SIZE + LEDPROTO_STATUS_SIZE];
    uint8_t *payload = msg + LEDPROTO_HEADER_SIZE;
    fw_get_status(fw, payload);
    ledproto_header_pack(msg, LEDPROTO_OP_STATUS, fw->status_seq, payload,
                         LEDPROTO_STATUS_SIZE);
    if (fw->port.usb_send && !fw->port.usb_send(fw->port.user, msg, sizeof msg))
        return;                             /* busy: next time */
    fw->status_seq++;
    fw->status_pending = false;
    fw->status_consumed = fw->rx_out;
}

void fw_task(struct fw *fw)
{
    fw->now = port_now(fw);
    drain_queue(fw);
    hand_back_idle_credits(fw);
    watch_silence(fw);
    if (fw->dirty) {
        const struct panel_out *out = panel_render(&fw->panel, fw->fb.front, fw->standby);
        if (fw->port.panel_show)
            fw->port.panel_show(fw->port.user, out);
        fw->dirty = false;
    }
    if (fw->status_pending)
        send_status(fw);
}

void fw_feed(struct fw *fw, const uint8_t *data, size_t len)
{
    while (len > 0) {
        size_t n = fw_usb_rx(fw, data, len);
        data += n;
        len -= n;
        fw_task(fw);
    }
}

/* ---- answers ------------------------------------------------------------ */

static void copy_name(char *dst, size_t cap, const char *src)
{
    size_t i = 0;
    for (; i < cap && src[i]; i++)
        dst[i] = src[i];
    for (; i < cap; i++)
        dst[i] = '\0';
}

size_t fw_get_info(const struct fw *fw, uint8_t out[LEDPROTO_INFO_SIZE])
{
    const struct fw_board *b = fw->board;
    struct ledproto_info in = {
        .proto_version = LEDPROTO_VERSION,
        .width = b->width,
        .height = b->height,
        .pixel_formats = LEDPROTO_FMT_MONO1 | LEDPROTO_FMT_RGB565 | LEDPROTO_FMT_RGB888 |
                         LEDPROTO_FMT_RLE,
        .bit_depth = b->bit_depth,
        .flags = LEDPROTO_INFO_APPLIES_GAMMA |
                 (b->kind == FW_PANEL_HUB12 ? LEDPROTO_INFO_MONO_PANEL : 0),
        .max_payload = LEDPROTO_MAX_PAYLOAD,
        .max_in_flight = FW_RX_BYTES,
    };
    copy_name(in.firmware, sizeof in.firmware, FW_VERSION);
    copy_name(in.board, sizeof in.board, b->name);
    return ledproto_info_pack(out, &in);
}

void fw_status(const struct fw *fw, struct ledproto_status *s)
{
    const struct proto_counters *c = &fw->dec.count;
    uint32_t queued = fw->rx_in - fw->rx_out;
    *s = (struct ledproto_status){
        .presented_seq = fw->presented_seq,
        .presented_host_ms = fw->presented_host_ms,
        .last_cmd_seq = fw->dec.last_seq,
        .state = (uint16_t)((fw->standby ? LEDPROTO_STATE_STANDBY : 0) |
                            (fw->silent ? LEDPROTO_STATE_SILENT : 0) |
                            (fw->notice ? LEDPROTO_STATE_NOTICE : 0) |
                            (fw->presented ? LEDPROTO_STATE_PRESENTED : 0)),
        .consumed = fw->rx_out,
        .credits = FW_RX_BYTES - queued,
        .uptime_ms = fw->now - fw->boot_ms,
        .crc_errors = c->crc_errors,
        .bad_opcode = c->bad_opcode,
        .bad_length = c->bad_length,
        .bad_field = c->bad_field,
        .overflows = fw->overflows,
        .seq_gaps = c->seq_gaps,
        .bytes_skipped = c->bytes_skipped,
    };
}

size_t fw_get_status(const struct fw *fw, uint8_t out[LEDPROTO_STATUS_SIZE])
{
    struct ledproto_status s;
    fw_status(fw, &s);
    return ledproto_status_pack(out, &s);
}

const char *fw_serial(const struct fw *fw)
{
    const char *s = fw->port.serial ? fw->port.serial(fw->port.user) : 0;
    return s ? s : "";
}

bool fw_reboot_to_bootloader(struct fw *fw)
{
    if (!fw->port.reboot_to_bootloader)
        return false;
    fw->port.reboot_to_bootloader(fw->port.user);
    return true;
}

void fw_visible_rgb(const struct fw *fw, unsigned x, unsigned y, uint8_t rgb[3])
{
    const uint8_t *p = fw->fb.front + ((size_t)y * fw->board->width + x) * 3;
    bool mono = fw->board->kind == FW_PANEL_HUB12;
    for (int i = 0; i < 3; i++)
        rgb[i] = fw->standby ? 0 : mono ? (ledproto_mono_lit(p) ? mono_led[i] : 0) : p[i];
}
