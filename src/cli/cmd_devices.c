/* ledticker devices [--boards-dir DIR] [--id VVVV:PPPP]...: the controllers
 * attached over USB, one line each, with the serial number (for --device)
 * and what GET_INFO says about the panel. */
#include "cli/cli.h"

#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/datadir.h"
#include "ledproto.h"
#include "transport/board.h"
#include "transport/usb.h"

enum { MAX_IDS = 16, MAX_SHOWN = 32 };

static void usage(FILE *f)
{
    fprintf(f, "usage: ledticker devices [--boards-dir DIR] [--id VVVV:PPPP]...\n"
               "Lists the attached LED controllers, one line each: serial, USB bus and\n"
               "device, VID:PID, board, size, firmware and protocol as the controller\n"
               "reports them. It looks for %04x:%04x and the [usb] ids of the board\n"
               "files (boards/*.ini, as for check), or only for the --id ones.\n"
               "Exit status: 0 when at least one controller answered, 1 otherwise.\n",
            LEDPROTO_USB_VID_TEST, LEDPROTO_USB_PID_TEST);
}

static int parse_id(const char *s, uint16_t *vid, uint16_t *pid)
{
    char *end;
    unsigned long v = strtoul(s, &end, 16);
    if (end == s || *end != ':' || v > 0xFFFF)
        return -1;
    const char *p = end + 1;
    unsigned long q = strtoul(p, &end, 16);
    if (end == p || *end || q > 0xFFFF)
        return -1;
    *vid = (uint16_t)v;
    *pid = (uint16_t)q;
    return 0;
}

static void add_id(uint16_t *ids, size_t *n, uint16_t vid, uint16_t pid)
{
    for (size_t i = 0; i < *n; i++)
        if (ids[2 * i] == vid && ids[2 * i + 1] == pid)
            return;
    if (*n < MAX_IDS) {
        ids[2 * *n] = vid;
        ids[2 * *n + 1] = pid;
        (*n)++;
    }
}

/* The [usb] ids of every board file in dir. A broken board file is
 * `check`'s business; here it only contributes no ids. */
static void ids_from_boards(const char *dir, uint16_t *ids, size_t *n)
{
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len < 5 || strcmp(e->d_name + len - 4, ".ini"))
            continue;
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(len - 4), e->d_name);
        struct board_desc b;
        if (board_load(&b, dir, name, &diag_silent) == BOARD_OK && (b.usb_vid || b.usb_pid))
            add_id(ids, n, b.usb_vid, b.usb_pid);
    }
    closedir(d);
}

static void format_list(char *out, size_t cap, uint8_t formats)
{
    static const struct { uint8_t bit; const char *name; } names[] = {
        { LEDPROTO_FMT_MONO1, "mono1" }, { LEDPROTO_FMT_RGB565, "rgb565" },
        { LEDPROTO_FMT_RGB888, "rgb888" }, { LEDPROTO_FMT_RLE, "rle" },
    };
    out[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (formats & names[i].bit)
            snprintf(out + strlen(out), cap - strlen(out), "%s%s", out[0] ? "," : "", names[i].name);
}

static void print_controller(const struct usb_controller *c)
{
    printf("%-16s bus %03u device %03u  %04x:%04x", c->info.serial[0] ? c->info.serial : "-",
           c->bus, c->address, c->vid, c->pid);
    if (c->error) {
        printf("  (%s)\n", transport_strerror(c->error));
        return;
    }
    char formats[40];
    format_list(formats, sizeof formats, c->info.pixel_formats);
    printf("  %s %ux%u  firmware %s  protocol %u.%u  %s  depth %u  window %u\n",
           c->info.board[0] ? c->info.board : "?", c->info.width, c->info.height,
           c->info.firmware[0] ? c->info.firmware : "?", c->info.proto_version >> 8,
           c->info.proto_version & 0xFFu, formats, c->info.bit_depth,
           (unsigned)c->info.max_in_flight);
}

int cmd_devices_main(const struct cli_env *env, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "id", required_argument, NULL, 'i' },
        { "boards-dir", required_argument, NULL, 'b' },
        { "boards", required_argument, NULL, 'b' },     /* the older spelling */
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    uint16_t ids[2 * MAX_IDS];
    size_t n_ids = 0;
    const char *boards = NULL;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (opt == 'h') {
            usage(stdout);
            return 0;
        }
        if (opt == 'b') {
            boards = optarg;
            continue;
        }
        if (opt != 'i' || n_ids == MAX_IDS || parse_id(optarg, &ids[2 * n_ids], &ids[2 * n_ids + 1])) {
            if (opt == 'i')
                fprintf(stderr, "ledticker: error: --id '%s': expected VVVV:PPPP in hex (at most %d)\n",
                        optarg, MAX_IDS);
            usage(stderr);
            return 2;
        }
        n_ids++;
    }
    if (optind < argc) {
        usage(stderr);
        return 2;
    }
    if (n_ids == 0) {
        char buf[4096];
        const char *dir;
        if (datadir_resolve(DATADIR_BOARDS, boards, NULL, buf, sizeof buf, &dir))
            return 2;
        add_id(ids, &n_ids, LEDPROTO_USB_VID_TEST, LEDPROTO_USB_PID_TEST);
        ids_from_boards(dir, ids, &n_ids);
    }
    struct usb_controller found[MAX_SHOWN];
    size_t count;
    int rc = usb_list(found, MAX_SHOWN, &count, ids, n_ids, &env->diag);
    if (rc != 0) {
        fprintf(stderr, "ledticker: error: cannot list USB devices: %s\n", transport_strerror(rc));
        return 1;
    }
    size_t answered = 0;
    for (size_t i = 0; i < count && i < MAX_SHOWN; i++) {
        print_controller(&found[i]);
        answered += found[i].error == 0;
    }
    if (count > MAX_SHOWN)
        printf("... and %zu more\n", count - MAX_SHOWN);
    if (count == 0) {
        fprintf(stderr, "ledticker: no controller attached (looked for");
        for (size_t i = 0; i < n_ids; i++)
            fprintf(stderr, " %04x:%04x", ids[2 * i], ids[2 * i + 1]);
        fprintf(stderr, ")\n");
    }
    return answered > 0 ? 0 : 1;
}
