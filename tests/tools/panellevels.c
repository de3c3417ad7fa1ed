/* panellevels — what the panel must show for a recorded stream, as the
 * firmware core computes it on the PC: for every PRESENT, the BCM level of
 * every pixel on every data pin after gamma and brightness (HUB75), or
 * which pixels are lit and the OE share (HUB12). The RP2040 frame tests
 * compare the panel they rebuild from the emulated chip's pins with this.
 *
 *   panellevels --board NAME [--silence MS] FILE
 *
 * Output, one block per PRESENT, in stream order:
 *
 *   frame SEQ END DUTY STANDBY    END: stream offset just past the PRESENT
 *   <height lines>                HUB75: width x 3 levels (pins R G B),
 *                                 hex, 3 digits each; HUB12: width 0/1
 *
 * With --silence MS, one more block "notice 0 END DUTY STANDBY" for the
 * panel MS milliseconds after the stream ends with no further PRESENT (the
 * host-silence notice, once MS passes the notice time). Exit 0, 1 on a
 * bad stream or file, 2 on usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw.h"

static struct fw fw;    /* large: static storage */
static uint32_t clock_ms;

static uint32_t tool_now(void *user)
{
    (void)user;
    return clock_ms;
}

static void print_levels(const char *what, uint32_t seq, size_t end)
{
    const struct fw_board *b = fw.board;
    const struct panel *pn = &fw.panel;
    bool hub75 = b->kind == FW_PANEL_HUB75;
    unsigned duty = fw.standby ? 0 : hub75 ? 255 : pn->brightness;
    printf("%s %lu %zu %u %u\n", what, (unsigned long)seq, end, duty, fw.standby ? 1u : 0u);
    for (unsigned y = 0; y < b->height; y++) {
        const uint8_t *row = fw.fb.front + (size_t)y * b->width * 3;
        for (unsigned x = 0; x < b->width; x++) {
            const uint8_t *px = row + (size_t)x * 3;
            if (!hub75) {
                putchar(!fw.standby && ledproto_mono_lit(px) ? '1' : '0');
                continue;
            }
            for (unsigned pin = 0; pin < 3; pin++)
                printf("%03x", fw.standby ? 0u : pn->level[px[pn->pin_channel[pin]]]);
        }
        putchar('\n');
    }
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return NULL;
    }
    size_t cap = 1 << 16, n = 0, got;
    uint8_t *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            uint8_t *bigger = realloc(buf, cap *= 2);
            if (!bigger)
                free(buf);
            buf = bigger;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    const char *board = NULL, *path = NULL;
    long silence = -1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--board") && i + 1 < argc)
            board = argv[++i];
        else if (!strcmp(argv[i], "--silence") && i + 1 < argc)
            silence = strtol(argv[++i], NULL, 10);
        else if (!path && argv[i][0] != '-')
            path = argv[i];
        else
            path = NULL, i = argc;
    }
    const struct fw_board *b = board ? board_find(board) : NULL;
    if (!b || !path) {
        fprintf(stderr, "usage: panellevels --board NAME [--silence MS] FILE%s%s\n",
                board && !b ? "\nunknown board: " : "", board && !b ? board : "");
        return 2;
    }
    size_t len;
    uint8_t *data = read_file(path, &len);
    if (!data)
        return 1;
    struct fw_port port = { .now_ms = tool_now };
    if (fw_init(&fw, b, &port) != 0) {
        fprintf(stderr, "%s: board not supported\n", board);
        free(data);
        return 1;
    }
    size_t fed = 0, at = 0;
    while (at + LEDPROTO_HEADER_SIZE <= len) {
        struct ledproto_header h;
        if (!ledproto_header_unpack(data + at, &h) || at + LEDPROTO_HEADER_SIZE + h.length > len) {
            fprintf(stderr, "%s: offset %zu: not a protocol frame\n", path, at);
            free(data);
            return 1;
        }
        at += LEDPROTO_HEADER_SIZE + h.length;
        if (h.opcode != LEDPROTO_OP_PRESENT)
            continue;
        fw_feed(&fw, data + fed, at - fed);
        fed = at;
        print_levels("frame", fw.presented_seq, at);
    }
    fw_feed(&fw, data + fed, len - fed);
    if (silence >= 0) {
        clock_ms += (uint32_t)silence;
        fw_task(&fw);
        print_levels("notice", 0, len);
    }
    free(data);
    return 0;
}
