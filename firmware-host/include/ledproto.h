/* ledproto — THE definition of the wire format between the ledticker host
 * and its LED matrix controller. The host (src/) includes this header and
 * never redefines any of it; the firmware core (firmware-host/core/) decodes
 * exactly this. docs/protocol.md describes the same thing byte by byte.
 *
 * C99, no includes beyond stdint/stddef/stdbool, everything static inline,
 * so it builds anywhere: the PC, a Cortex-M0+, a fuzzer.
 *
 * Byte order: every multi-byte integer on the wire is little-endian. The
 * ledproto_get_* / ledproto_put_* helpers are the only way either side reads
 * or writes them, so host endianness never matters.
 *
 * USB: a vendor-class interface with one bulk OUT endpoint carrying commands
 * (host -> controller) and one bulk IN endpoint carrying STATUS messages
 * (controller -> host). Vendor control requests GET_INFO and GET_STATUS
 * answer on endpoint 0.
 *
 * A command (and a STATUS message) is a frame:
 *
 *   offset size  field
 *   0      2     magic         0x4C 0xED  ("L", 0xED)
 *   2      1     opcode        LEDPROTO_OP_*
 *   3      1     flags         must be 0 (reserved)
 *   4      2     seq           u16, +1 per command, wraps; the controller
 *                              counts gaps but applies the command anyway
 *   6      2     length        payload bytes, 0..LEDPROTO_MAX_PAYLOAD
 *   8      2     payload_crc   CRC-16/CCITT-FALSE of the payload bytes
 *                              (0xFFFF when length is 0)
 *   10     2     header_crc    CRC-16/CCITT-FALSE of header bytes 0..9
 *   12     len   payload
 *
 * CRC-16/CCITT-FALSE: polynomial 0x1021, init 0xFFFF, not reflected, no
 * final xor; "123456789" gives 0x29B1. The header has its own CRC so that a
 * false magic inside pixel data is recognised after 12 bytes, not after
 * waiting for a bogus length's worth of payload.
 *
 * Flow control is by credits, counted in bytes. GET_INFO tells the host
 * max_in_flight. The controller counts every byte it has taken from its
 * receive queue (STATUS.consumed, u32, wraps). The host counts bytes it has
 * written (starting from STATUS.consumed read with GET_STATUS at open) and
 * may write n more bytes only while (sent - consumed) + n <= max_in_flight,
 * with u32 wrap-around arithmetic. The controller sends STATUS on the IN
 * endpoint after every PRESENT, RESET and GET_STATUS, whenever
 * consumed has advanced by max_in_flight / 2 since the last STATUS, and
 * when no bytes have arrived for LEDPROTO_STATUS_IDLE_MS while consumed
 * bytes are unreported, so a host waiting for credits always hears back. max_in_flight is at least
 * LEDPROTO_FRAME_MAX, so any single command always fits.
 */
#ifndef LEDPROTO_H
#define LEDPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- versions and USB numbers ------------------------------------------ */

#define LEDPROTO_VERSION        0x0100u /* major 1, minor 0 (high, low byte) */

/* pid.codes test VID:PID (https://pid.codes/1209/0001/): for development and
 * private testing only, never for a product that ships. Boards may say
 * otherwise in boards/NAME.ini. */
#define LEDPROTO_USB_VID_TEST   0x1209u
#define LEDPROTO_USB_PID_TEST   0x0001u

#define LEDPROTO_USB_CLASS      0xFFu   /* vendor specific interface */
#define LEDPROTO_USB_SUBCLASS   0x4Cu   /* 'L' */
#define LEDPROTO_USB_IFACE      0u      /* interface number */
#define LEDPROTO_USB_EP_OUT     0x01u   /* bulk OUT: commands */
#define LEDPROTO_USB_EP_IN      0x81u   /* bulk IN: STATUS messages */
#define LEDPROTO_USB_PACKET     64u     /* full-speed bulk max packet size */

/* A quiet link with unreported consumption gets a STATUS after this long. */
#define LEDPROTO_STATUS_IDLE_MS 2u

/* Vendor control requests, bmRequestType 0xC1 (device-to-host, vendor,
 * recipient interface), wValue 0, wIndex LEDPROTO_USB_IFACE. */
#define LEDPROTO_USB_REQTYPE_IN 0xC1u
#define LEDPROTO_REQ_GET_INFO   0x01u   /* wLength 64: struct ledproto_info */
#define LEDPROTO_REQ_GET_STATUS 0x02u   /* wLength 52: struct ledproto_status */

/* Reboot into the RP2040 ROM's USB mass-storage boot mode (a drive named
 * RPI-RP2 appears; copying a .uf2 file onto it flashes the controller):
 * bmRequestType 0x41 (host-to-device, vendor, recipient interface),
 * wValue 0, wIndex LEDPROTO_USB_IFACE, wLength 0. The controller completes
 * the status stage first, then leaves the bus. A controller that cannot do
 * it answers with STALL. */
#define LEDPROTO_USB_REQTYPE_OUT 0x41u
#define LEDPROTO_REQ_REBOOT_BOOTLOADER 0x03u

/* ---- USB descriptors ---------------------------------------------------- */

/* String descriptor indices. The serial number is the flash chip's 64-bit
 * unique ID as LEDPROTO_SERIAL_DIGITS upper-case hex digits, first byte
 * first (emulated controllers may use shorter test serials). */
#define LEDPROTO_USB_STR_MANUFACTURER 1u
#define LEDPROTO_USB_STR_PRODUCT      2u
#define LEDPROTO_USB_STR_SERIAL       3u
#define LEDPROTO_SERIAL_DIGITS        16u
#define LEDPROTO_USB_MANUFACTURER     "ledticker"
#define LEDPROTO_USB_PRODUCT          "LED matrix controller"
#define LEDPROTO_USB_DEVICE_DESC_SIZE 18u
#define LEDPROTO_USB_CONFIG_DESC_SIZE 32u

/* The device descriptor: USB 2.0, class in the interface, EP0 64 bytes,
 * bcdDevice 1.00, strings 1 2 3, one configuration. */
static inline size_t ledproto_usb_device_desc(uint8_t d[LEDPROTO_USB_DEVICE_DESC_SIZE],
                                              uint16_t vid, uint16_t pid)
{
    const uint8_t dev[LEDPROTO_USB_DEVICE_DESC_SIZE] = {
        18, 1, 0x00, 0x02, 0, 0, 0, 64,
        (uint8_t)vid, (uint8_t)(vid >> 8), (uint8_t)pid, (uint8_t)(pid >> 8),
        0x00, 0x01, LEDPROTO_USB_STR_MANUFACTURER, LEDPROTO_USB_STR_PRODUCT,
        LEDPROTO_USB_STR_SERIAL, 1,
    };
    for (size_t i = 0; i < sizeof dev; i++)
        d[i] = dev[i];
    return sizeof dev;
}

/* Configuration 1 (bus powered, 100 mA) with interface 0 (vendor class,
 * subclass 'L', no alternate settings) and its two bulk endpoints. */
static inline size_t ledproto_usb_config_desc(uint8_t d[LEDPROTO_USB_CONFIG_DESC_SIZE])
{
    const uint8_t cfg[LEDPROTO_USB_CONFIG_DESC_SIZE] = {
        9, 2, LEDPROTO_USB_CONFIG_DESC_SIZE, 0, 1, 1, 0, 0x80, 50,
        9, 4, LEDPROTO_USB_IFACE, 0, 2, LEDPROTO_USB_CLASS, LEDPROTO_USB_SUBCLASS, 0, 0,
        7, 5, LEDPROTO_USB_EP_OUT, 2, LEDPROTO_USB_PACKET, 0, 0,
        7, 5, LEDPROTO_USB_EP_IN, 2, LEDPROTO_USB_PACKET, 0, 0,
    };
    for (size_t i = 0; i < sizeof cfg; i++)
        d[i] = cfg[i];
    return sizeof cfg;
}

/* A string descriptor (UTF-16LE of ASCII text), cut to cap bytes; index 0
 * is the language list (US English). Returns its length. */
static inline size_t ledproto_usb_string_desc(uint8_t *d, size_t cap, unsigned index,
                                              const char *text)
{
    uint8_t tmp[2 + 2 * 62];
    size_t n = 2;
    if (index == 0) {
        tmp[2] = 0x09;
        tmp[3] = 0x04;
        n = 4;
    } else {
        for (size_t i = 0; text && text[i] && n + 2 <= sizeof tmp; i++) {
            tmp[n++] = (uint8_t)text[i];
            tmp[n++] = 0;
        }
    }
    tmp[0] = (uint8_t)n;
    tmp[1] = 3;
    n = n < cap ? n : cap;
    for (size_t i = 0; i < n; i++)
        d[i] = tmp[i];
    return n;
}

/* ---- framing ------------------------------------------------------------ */

#define LEDPROTO_MAGIC0         0x4Cu
#define LEDPROTO_MAGIC1         0xEDu
#define LEDPROTO_HEADER_SIZE    12u
#define LEDPROTO_MAX_PAYLOAD    4096u
#define LEDPROTO_FRAME_MAX      (LEDPROTO_HEADER_SIZE + LEDPROTO_MAX_PAYLOAD)

/* Opcodes: commands host -> controller. */
#define LEDPROTO_OP_FILL        0x01u   /* payload 11: rect, colour */
#define LEDPROTO_OP_BLIT        0x02u   /* payload 16 + data: rect, format, flags, fg, bg */
#define LEDPROTO_OP_SCROLL      0x03u   /* payload 15: rect, dx, dy, fill colour */
#define LEDPROTO_OP_PRESENT     0x04u   /* payload 8: frame seq, host ms */
#define LEDPROTO_OP_BRIGHTNESS  0x05u   /* payload 1: level 0..255 */
#define LEDPROTO_OP_STANDBY     0x06u   /* payload 1: 1 = dark, 0 = wake */
#define LEDPROTO_OP_RESET       0x07u   /* payload 0 */
#define LEDPROTO_OP_GET_STATUS  0x08u   /* payload 0: answer with STATUS */
#define LEDPROTO_OP_TIMEOUTS    0x09u   /* payload 8: silence ms, notice ms */
/* Controller -> host, on the bulk IN endpoint. */
#define LEDPROTO_OP_STATUS      0x80u   /* payload 52: struct ledproto_status */

/* Payload sizes (BLIT: the fixed part before the pixel data). */
#define LEDPROTO_FILL_SIZE       11u
#define LEDPROTO_BLIT_HEAD_SIZE  16u
#define LEDPROTO_BLIT_MAX_DATA   (LEDPROTO_MAX_PAYLOAD - LEDPROTO_BLIT_HEAD_SIZE)
#define LEDPROTO_SCROLL_SIZE     15u
#define LEDPROTO_PRESENT_SIZE    8u
#define LEDPROTO_BRIGHTNESS_SIZE 1u
#define LEDPROTO_STANDBY_SIZE    1u
#define LEDPROTO_TIMEOUTS_SIZE   8u
#define LEDPROTO_STATUS_SIZE     52u
#define LEDPROTO_INFO_SIZE       64u

/* Pixel formats. As GET_INFO.pixel_formats (and transport_info.pixel_formats)
 * they are bits of what the controller accepts; as BLIT's format byte exactly
 * one of MONO1/RGB565/RGB888 is set.
 *
 *   MONO1   1 bit per pixel, rows start on a byte boundary
 *           (stride = (w + 7) / 8), most significant bit leftmost;
 *           1 = the BLIT's fg colour, 0 = its bg colour
 *   RGB565  2 bytes per pixel, a little-endian u16 rrrrrggggggbbbbb
 *   RGB888  3 bytes per pixel: R, G, B
 *   RLE     (GET_INFO only) the controller accepts LEDPROTO_BLIT_RLE
 */
#define LEDPROTO_FMT_MONO1      0x01u
#define LEDPROTO_FMT_RGB565     0x02u
#define LEDPROTO_FMT_RGB888     0x04u
#define LEDPROTO_FMT_RLE        0x80u

/* BLIT flags byte. */
#define LEDPROTO_BLIT_RLE       0x01u   /* data is run-length coded, below */
#define LEDPROTO_BLIT_KEEP_BG   0x02u   /* MONO1 only: 0 bits leave the pixel as it is */

/* Run-length coding of BLIT data (PackBits-like). The uncompressed data is
 * the rect's pixel data exactly as without RLE (MONO1 rows padded to whole
 * bytes). It is cut into elements: 1 byte for MONO1, 2 for RGB565, 3 for
 * RGB888. The coded data is a sequence of runs, each starting with a
 * control byte c:
 *
 *   c = 0x00..0x7F   literal: c + 1 elements follow (1..128)
 *   c = 0x80..0xFF   repeat:  one element follows, used c - 0x80 + 2 times
 *                    (2..129)
 *
 * Runs may cross rows. The runs must produce exactly the rect's element
 * count: a run that goes past it is an oversized run (rejected), and coded
 * data that ends early or has bytes left over is a length error (rejected).
 */
#define LEDPROTO_RLE_LITERAL_MAX 128u
#define LEDPROTO_RLE_REPEAT_MIN  2u
#define LEDPROTO_RLE_REPEAT_MAX  129u

/* GET_INFO flags. */
#define LEDPROTO_INFO_APPLIES_GAMMA 0x01u /* gamma and brightness done by the controller:
                                             send linear sRGB-ish colours as composed */
#define LEDPROTO_INFO_MONO_PANEL    0x02u /* single-colour LEDs: a pixel is lit as
                                             ledproto_mono_lit() says */

/* Panel geometry: GET_INFO's width and height are each 1..LEDPROTO_DIM_MAX
 * pixels. A host refuses a controller that reports anything else, so the
 * sizes it derives (framebuffers, rows of BLIT data) stay small and never
 * zero. */
#define LEDPROTO_DIM_MAX        4096u

static inline bool ledproto_geometry_ok(uint32_t width, uint32_t height)
{
    return width >= 1 && width <= LEDPROTO_DIM_MAX && height >= 1 && height <= LEDPROTO_DIM_MAX;
}

/* STATUS state bits. */
#define LEDPROTO_STATE_STANDBY  0x0001u /* dark on purpose */
#define LEDPROTO_STATE_SILENT   0x0002u /* no PRESENT for silence_ms: holding last frame */
#define LEDPROTO_STATE_NOTICE   0x0004u /* no PRESENT for notice_ms: showing the notice */
#define LEDPROTO_STATE_PRESENTED 0x0008u /* at least one PRESENT since power-up/RESET */

/* Defaults of the TIMEOUTS command. */
#define LEDPROTO_SILENCE_MS_DEFAULT 10000u
#define LEDPROTO_NOTICE_MS_DEFAULT  60000u

/* ---- little-endian packing ---------------------------------------------- */

static inline void ledproto_put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void ledproto_put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline uint16_t ledproto_get_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t ledproto_get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static inline int16_t ledproto_get_i16(const uint8_t *p)
{
    uint16_t u = ledproto_get_u16(p);
    return u < 0x8000u ? (int16_t)u : (int16_t)((int32_t)u - 65536);
}

/* ---- CRC-16/CCITT-FALSE ------------------------------------------------- */

/* Continues a CRC over more bytes; start with crc = LEDPROTO_CRC_INIT.
 * Bitwise on purpose: no table in the controller's flash, and 4 KiB frames
 * at 64 KiB/s of USB leave the controller ample time. */
#define LEDPROTO_CRC_INIT 0xFFFFu

static inline uint16_t ledproto_crc16_update(uint16_t crc, const uint8_t *p, size_t n)
{
    while (n--) {
        crc = (uint16_t)(crc ^ ((unsigned)*p++ << 8));
        for (int b = 0; b < 8; b++)
            crc = (uint16_t)(crc & 0x8000u ? ((unsigned)crc << 1) ^ 0x1021u
                                           : (unsigned)crc << 1);
    }
    return crc;
}

static inline uint16_t ledproto_crc16(const uint8_t *p, size_t n)
{
    return ledproto_crc16_update(LEDPROTO_CRC_INIT, p, n);
}

/* ---- frame header ------------------------------------------------------- */

struct ledproto_header {
    uint8_t  opcode;
    uint8_t  flags;
    uint16_t seq;
    uint16_t length;
    uint16_t payload_crc;
};

/* Writes the 12 header bytes for `payload` (len bytes; NULL when len is 0)
 * into out. The payload itself follows at out + LEDPROTO_HEADER_SIZE and is
 * not copied. Returns LEDPROTO_HEADER_SIZE, or 0 when len is too long. */
static inline size_t ledproto_header_pack(uint8_t *out, uint8_t opcode, uint16_t seq,
                                          const uint8_t *payload, size_t len)
{
    if (len > LEDPROTO_MAX_PAYLOAD)
        return 0;
    out[0] = LEDPROTO_MAGIC0;
    out[1] = LEDPROTO_MAGIC1;
    out[2] = opcode;
    out[3] = 0;
    ledproto_put_u16(out + 4, seq);
    ledproto_put_u16(out + 6, (uint16_t)len);
    ledproto_put_u16(out + 8, ledproto_crc16(payload, len));
    ledproto_put_u16(out + 10, ledproto_crc16(out, 10));
    return LEDPROTO_HEADER_SIZE;
}

/* Writes a whole frame (header + copy of the payload) into out, which must
 * hold LEDPROTO_HEADER_SIZE + len bytes. Returns the frame size or 0. */
static inline size_t ledproto_frame_pack(uint8_t *out, uint8_t opcode, uint16_t seq,
                                         const uint8_t *payload, size_t len)
{
    if (!ledproto_header_pack(out, opcode, seq, payload, len))
        return 0;
    for (size_t i = 0; i < len; i++)
        out[LEDPROTO_HEADER_SIZE + i] = payload[i];
    return LEDPROTO_HEADER_SIZE + len;
}

/* Checks 12 header bytes: magic, header CRC, reserved flags, length bound.
 * Fills h and returns true when they are a well-formed header. The payload
 * CRC is the caller's to check once the payload is there. */
static inline bool ledproto_header_unpack(const uint8_t *in, struct ledproto_header *h)
{
    if (in[0] != LEDPROTO_MAGIC0 || in[1] != LEDPROTO_MAGIC1)
        return false;
    if (ledproto_get_u16(in + 10) != ledproto_crc16(in, 10))
        return false;
    h->opcode = in[2];
    h->flags = in[3];
    h->seq = ledproto_get_u16(in + 4);
    h->length = ledproto_get_u16(in + 6);
    h->payload_crc = ledproto_get_u16(in + 8);
    return h->flags == 0 && h->length <= LEDPROTO_MAX_PAYLOAD;
}

/* ---- command payloads --------------------------------------------------- */

/* FILL, 11 bytes: x u16, y u16, w u16, h u16, r, g, b.
 * The rect must lie inside the panel, w and h >= 1. */
static inline size_t ledproto_fill_pack(uint8_t *p, uint16_t x, uint16_t y, uint16_t w,
                                        uint16_t h, uint8_t r, uint8_t g, uint8_t b)
{
    ledproto_put_u16(p, x);
    ledproto_put_u16(p + 2, y);
    ledproto_put_u16(p + 4, w);
    ledproto_put_u16(p + 6, h);
    p[8] = r;
    p[9] = g;
    p[10] = b;
    return LEDPROTO_FILL_SIZE;
}

/* BLIT, 16 bytes then data: x u16, y u16, w u16, h u16, format u8
 * (one LEDPROTO_FMT_*), flags u8 (LEDPROTO_BLIT_*), fg r g b, bg r g b
 * (fg/bg used by MONO1 only, zero otherwise). Data: the rect's pixels,
 * row-major, coded as the format says, RLE-coded if flags say so. */
struct ledproto_blit {
    uint16_t x, y, w, h;
    uint8_t format, flags;
    uint8_t fg[3], bg[3];
};

static inline size_t ledproto_blit_head_pack(uint8_t *p, const struct ledproto_blit *b)
{
    ledproto_put_u16(p, b->x);
    ledproto_put_u16(p + 2, b->y);
    ledproto_put_u16(p + 4, b->w);
    ledproto_put_u16(p + 6, b->h);
    p[8] = b->format;
    p[9] = b->flags;
    for (int i = 0; i < 3; i++) {
        p[10 + i] = b->fg[i];
        p[13 + i] = b->bg[i];
    }
    return LEDPROTO_BLIT_HEAD_SIZE;
}

static inline void ledproto_blit_head_unpack(const uint8_t *p, struct ledproto_blit *b)
{
    b->x = ledproto_get_u16(p);
    b->y = ledproto_get_u16(p + 2);
    b->w = ledproto_get_u16(p + 4);
    b->h = ledproto_get_u16(p + 6);
    b->format = p[8];
    b->flags = p[9];
    for (int i = 0; i < 3; i++) {
        b->fg[i] = p[10 + i];
        b->bg[i] = p[13 + i];
    }
}

/* Bytes per RLE element (and per pixel, except MONO1): 0 for a bad format. */
static inline size_t ledproto_fmt_element_size(uint8_t format)
{
    switch (format) {
    case LEDPROTO_FMT_MONO1: return 1;
    case LEDPROTO_FMT_RGB565: return 2;
    case LEDPROTO_FMT_RGB888: return 3;
    default: return 0;
    }
}

/* Uncompressed data size of a w x h rect in `format`; 0 for a bad format. */
static inline size_t ledproto_blit_data_size(uint8_t format, uint16_t w, uint16_t h)
{
    if (format == LEDPROTO_FMT_MONO1)
        return ((size_t)w + 7) / 8 * h;
    return ledproto_fmt_element_size(format) * w * h;
}

static inline uint16_t ledproto_rgb565(uint8_t r, uint8_t g, uint8_t b)
{
    return (uint16_t)(((r >> 3) << 11) | ((g >> 2) << 5) | (b >> 3));
}

/* RGB565 back to 8 bits per channel, replicating the high bits so that
 * full scale stays full scale (0x1F -> 0xFF). */
static inline void ledproto_rgb565_expand(uint16_t v, uint8_t rgb[3])
{
    uint8_t r = (uint8_t)(v >> 11), g = (uint8_t)((v >> 5) & 0x3F), b = (uint8_t)(v & 0x1F);
    rgb[0] = (uint8_t)((r << 3) | (r >> 2));
    rgb[1] = (uint8_t)((g << 2) | (g >> 4));
    rgb[2] = (uint8_t)((b << 3) | (b >> 2));
}

/* A single-colour panel (LEDPROTO_INFO_MONO_PANEL) lights a pixel when its
 * strongest channel is at least half on: pure red text lights a red P10 as
 * well as white text does, and dim backgrounds stay dark. The host sends
 * such a panel only colours this rule maps the way it means them. */
#define LEDPROTO_MONO_THRESHOLD 128u

static inline bool ledproto_mono_lit(const uint8_t rgb[3])
{
    uint8_t m = rgb[0] > rgb[1] ? rgb[0] : rgb[1];
    return (m > rgb[2] ? m : rgb[2]) >= LEDPROTO_MONO_THRESHOLD;
}

/* SCROLL, 15 bytes: x u16, y u16, w u16, h u16, dx i16, dy i16, r, g, b.
 * Moves the rect's content of the back buffer by (dx, dy) (dx < 0 = left,
 * dy < 0 = up); what moves out of the rect is dropped, and the area it
 * uncovers is filled with (r, g, b). |dx| <= w and |dy| <= h. */
static inline size_t ledproto_scroll_pack(uint8_t *p, uint16_t x, uint16_t y, uint16_t w,
                                          uint16_t h, int16_t dx, int16_t dy,
                                          uint8_t r, uint8_t g, uint8_t b)
{
    ledproto_put_u16(p, x);
    ledproto_put_u16(p + 2, y);
    ledproto_put_u16(p + 4, w);
    ledproto_put_u16(p + 6, h);
    ledproto_put_u16(p + 8, (uint16_t)dx);
    ledproto_put_u16(p + 10, (uint16_t)dy);
    p[12] = r;
    p[13] = g;
    p[14] = b;
    return LEDPROTO_SCROLL_SIZE;
}

/* PRESENT, 8 bytes: frame_seq u32, host_ms u32. Copies the back buffer to
 * the front (what the panel shows); the back buffer stays as it was, so the
 * host keeps drawing deltas against the frame it just presented. */
static inline size_t ledproto_present_pack(uint8_t *p, uint32_t frame_seq, uint32_t host_ms)
{
    ledproto_put_u32(p, frame_seq);
    ledproto_put_u32(p + 4, host_ms);
    return LEDPROTO_PRESENT_SIZE;
}

/* TIMEOUTS, 8 bytes: silence_ms u32, notice_ms u32. After silence_ms with no
 * PRESENT the controller reports SILENT and keeps the last frame; after
 * notice_ms it shows its built-in notice. 1000 <= silence_ms <= notice_ms. */
static inline size_t ledproto_timeouts_pack(uint8_t *p, uint32_t silence_ms, uint32_t notice_ms)
{
    ledproto_put_u32(p, silence_ms);
    ledproto_put_u32(p + 4, notice_ms);
    return LEDPROTO_TIMEOUTS_SIZE;
}

/* ---- controller -> host ------------------------------------------------- */

/* STATUS payload, 52 bytes, in this order. Error counters are cumulative
 * since power-up (RESET keeps them) and wrap at 2^32. */
struct ledproto_status {
    uint32_t presented_seq;   /*  0 frame_seq of the last PRESENT */
    uint32_t presented_host_ms; /* 4 its host_ms, to measure latency */
    uint16_t last_cmd_seq;    /*  8 seq of the last good command */
    uint16_t state;           /* 10 LEDPROTO_STATE_* */
    uint32_t consumed;        /* 12 bytes taken from the receive queue, wraps */
    uint32_t credits;         /* 16 free bytes in the receive queue now, <= max_in_flight */
    uint32_t uptime_ms;       /* 20 */
    uint32_t crc_errors;      /* 24 bad header or payload CRC */
    uint32_t bad_opcode;      /* 28 unknown opcode (frame dropped) */
    uint32_t bad_length;      /* 32 length disagrees with the payload/opcode, or too long */
    uint32_t bad_field;       /* 36 a field out of range: rect, format, run, ... */
    uint32_t overflows;       /* 40 bytes refused: host wrote past its credits */
    uint32_t seq_gaps;        /* 44 a command seq that was not last + 1 */
    uint32_t bytes_skipped;   /* 48 bytes dropped while hunting for a magic */
};

static inline size_t ledproto_status_pack(uint8_t *p, const struct ledproto_status *s)
{
    ledproto_put_u32(p, s->presented_seq);
    ledproto_put_u32(p + 4, s->presented_host_ms);
    ledproto_put_u16(p + 8, s->last_cmd_seq);
    ledproto_put_u16(p + 10, s->state);
    ledproto_put_u32(p + 12, s->consumed);
    ledproto_put_u32(p + 16, s->credits);
    ledproto_put_u32(p + 20, s->uptime_ms);
    ledproto_put_u32(p + 24, s->crc_errors);
    ledproto_put_u32(p + 28, s->bad_opcode);
    ledproto_put_u32(p + 32, s->bad_length);
    ledproto_put_u32(p + 36, s->bad_field);
    ledproto_put_u32(p + 40, s->overflows);
    ledproto_put_u32(p + 44, s->seq_gaps);
    ledproto_put_u32(p + 48, s->bytes_skipped);
    return LEDPROTO_STATUS_SIZE;
}

static inline void ledproto_status_unpack(const uint8_t *p, struct ledproto_status *s)
{
    s->presented_seq = ledproto_get_u32(p);
    s->presented_host_ms = ledproto_get_u32(p + 4);
    s->last_cmd_seq = ledproto_get_u16(p + 8);
    s->state = ledproto_get_u16(p + 10);
    s->consumed = ledproto_get_u32(p + 12);
    s->credits = ledproto_get_u32(p + 16);
    s->uptime_ms = ledproto_get_u32(p + 20);
    s->crc_errors = ledproto_get_u32(p + 24);
    s->bad_opcode = ledproto_get_u32(p + 28);
    s->bad_length = ledproto_get_u32(p + 32);
    s->bad_field = ledproto_get_u32(p + 36);
    s->overflows = ledproto_get_u32(p + 40);
    s->seq_gaps = ledproto_get_u32(p + 44);
    s->bytes_skipped = ledproto_get_u32(p + 48);
}

/* GET_INFO answer, 64 bytes, in this order. Strings are NUL-padded and
 * need not be NUL-terminated when they fill their field. */
struct ledproto_info {
    uint16_t proto_version;   /*  0 LEDPROTO_VERSION */
    uint16_t width;           /*  2 pixels */
    uint16_t height;          /*  4 */
    uint8_t  pixel_formats;   /*  6 LEDPROTO_FMT_* bits accepted by BLIT */
    uint8_t  bit_depth;       /*  7 bits per channel the panel shows */
    uint8_t  flags;           /*  8 LEDPROTO_INFO_* */
    uint8_t  reserved;        /*  9 0 */
    uint16_t max_payload;     /* 10 largest payload accepted, <= LEDPROTO_MAX_PAYLOAD */
    uint32_t max_in_flight;   /* 12 credit window in bytes, >= LEDPROTO_FRAME_MAX */
    char     firmware[16];    /* 16 firmware version, e.g. "0.1.0" */
    char     board[32];       /* 32 board name, e.g. "hub75-128x32" */
};

static inline size_t ledproto_info_pack(uint8_t *p, const struct ledproto_info *in)
{
    ledproto_put_u16(p, in->proto_version);
    ledproto_put_u16(p + 2, in->width);
    ledproto_put_u16(p + 4, in->height);
    p[6] = in->pixel_formats;
    p[7] = in->bit_depth;
    p[8] = in->flags;
    p[9] = 0;
    ledproto_put_u16(p + 10, in->max_payload);
    ledproto_put_u32(p + 12, in->max_in_flight);
    for (int i = 0; i < 16; i++)
        p[16 + i] = (uint8_t)in->firmware[i];
    for (int i = 0; i < 32; i++)
        p[32 + i] = (uint8_t)in->board[i];
    return LEDPROTO_INFO_SIZE;
}

static inline void ledproto_info_unpack(const uint8_t *p, struct ledproto_info *in)
{
    in->proto_version = ledproto_get_u16(p);
    in->width = ledproto_get_u16(p + 2);
    in->height = ledproto_get_u16(p + 4);
    in->pixel_formats = p[6];
    in->bit_depth = p[7];
    in->flags = p[8];
    in->reserved = p[9];
    in->max_payload = ledproto_get_u16(p + 10);
    in->max_in_flight = ledproto_get_u32(p + 12);
    for (int i = 0; i < 16; i++)
        in->firmware[i] = (char)p[16 + i];
    for (int i = 0; i < 32; i++)
        in->board[i] = (char)p[32 + i];
}

#endif
