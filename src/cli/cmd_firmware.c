/* ledticker firmware update [--device SERIAL] [--id VVVV:PPPP] [--drive DIR]
 *                           [--force] [--timeout S] FILE.uf2
 *
 * Flashes an RP2040 controller: checks the file (UF2 for the RP2040, made
 * for the controller's board), asks the controller to reboot into its ROM's
 * USB boot mode, waits for the RPI-RP2 drive (mounting it when nobody
 * does), copies the file onto it and waits for the controller to come back
 * reporting the file's firmware version in GET_INFO.
 *
 * --drive DIR copies into DIR (which must hold INFO_UF2.TXT) instead of
 * looking for the drive: for a drive mounted by hand, and for the tests. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/fwdrive.h"
#include "cli/uf2image.h"
#include "ledproto.h"
#include "transport/usb.h"

enum { MAX_FOUND = 16 };

struct fw_opts {
    const char *device, *drive, *file;
    uint16_t ids[2];
    bool force;
    int timeout_s;
};

static void usage(FILE *f)
{
    fprintf(f, "usage: ledticker firmware update [--device SERIAL] [--id VVVV:PPPP] [--drive DIR]\n"
               "                                 [--force] [--timeout S] FILE.uf2\n"
               "Reboots the controller into its ROM's USB boot mode, copies FILE.uf2 onto the\n"
               "RPI-RP2 drive (mounting it through udisks2, or as root, when nobody has) and\n"
               "waits for the controller to come back with the file's firmware version.\n"
               "  --device SERIAL  the controller to update when several are attached\n"
               "  --id VVVV:PPPP   its USB ids (default %04x:%04x)\n"
               "  --drive DIR      copy into DIR (holding INFO_UF2.TXT) instead of finding the drive\n"
               "  --force          flash an image made for another board\n"
               "  --timeout S      how long to wait for the drive and for the return (default 30)\n",
            LEDPROTO_USB_VID_TEST, LEDPROTO_USB_PID_TEST);
}

static int parse_args(int argc, char **argv, struct fw_opts *o)
{
    static const struct option longopts[] = {
        { "device", required_argument, NULL, 'd' }, { "id", required_argument, NULL, 'i' },
        { "drive", required_argument, NULL, 'D' },  { "force", no_argument, NULL, 'f' },
        { "timeout", required_argument, NULL, 't' }, { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    *o = (struct fw_opts){ .ids = { LEDPROTO_USB_VID_TEST, LEDPROTO_USB_PID_TEST }, .timeout_s = 30 };
    int opt;
    unsigned vid, pid;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'd': o->device = optarg; break;
        case 'D': o->drive = optarg; break;
        case 'f': o->force = true; break;
        case 't': o->timeout_s = atoi(optarg); break;
        case 'i':
            if (sscanf(optarg, "%4x:%4x", &vid, &pid) != 2) {
                fprintf(stderr, "ledticker: error: --id '%s': expected VVVV:PPPP in hex\n", optarg);
                return 2;
            }
            o->ids[0] = (uint16_t)vid;
            o->ids[1] = (uint16_t)pid;
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind + 2 != argc || strcmp(argv[optind], "update") != 0 || o->timeout_s <= 0) {
        usage(stderr);
        return 2;
    }
    o->file = argv[optind + 1];
    return -1;
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* The controller we mean among those attached (by serial, or the only
 * one); NULL when it is not there. */
static const struct usb_controller *pick(const struct usb_controller *c, size_t n,
                                         const char *serial)
{
    const struct usb_controller *hit = NULL;
    for (size_t i = 0; i < n; i++) {
        if (serial && strcmp(c[i].info.serial, serial) != 0)
            continue;
        if (hit)
            return NULL;
        hit = &c[i];
    }
    return hit;
}

/* Before: the image must be for the board the controller drives. */
static int check_board(const struct fw_opts *o, const struct uf2image *img, const struct diag *d)
{
    struct usb_controller found[MAX_FOUND];
    size_t n = 0;
    usb_list(found, MAX_FOUND, &n, o->ids, 1, d);
    const struct usb_controller *c = pick(found, n < MAX_FOUND ? n : MAX_FOUND, o->device);
    if (!c || c->error || o->force || !img->board[0])
        return 0;                   /* usb_reboot_bootloader explains a missing one */
    if (strcmp(c->info.board, img->board) != 0) {
        diag_error(d, "%s: made for board %s, but controller %s drives %s (--force flashes it anyway)",
                   o->file, img->board, c->info.serial, c->info.board);
        return -1;
    }
    return 0;
}

/* After: the controller back on the bus with the image's version. */
static int wait_return(const struct fw_opts *o, const char *serial, const struct uf2image *img,
                       const struct diag *d)
{
    const struct diag quiet = { NULL, NULL };
    for (int waited = 0; waited <= o->timeout_s * 1000; waited += 250) {
        struct usb_controller found[MAX_FOUND];
        size_t n = 0;
        if (usb_list(found, MAX_FOUND, &n, o->ids, 1, &quiet) == 0) {
            const struct usb_controller *c =
                pick(found, n < MAX_FOUND ? n : MAX_FOUND, serial[0] ? serial : NULL);
            if (c && !c->error && (!img->version[0] || !strcmp(c->info.firmware, img->version))) {
                printf("controller %s is back: %s, firmware %s\n", c->info.serial, c->info.board,
                       c->info.firmware);
                return 0;
            }
        }
        sleep_ms(250);
    }
    diag_error(d, "firmware: controller %s did not come back with firmware %s within %d s",
               serial[0] ? serial : "", img->version[0] ? img->version : "(any)", o->timeout_s);
    return -1;
}

int cmd_firmware_main(const struct cli_env *env, int argc, char **argv)
{
    struct fw_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    const struct diag *d = &env->diag;
    struct uf2image img;
    if (uf2image_load(&img, o.file, d) != 0)
        return 1;
    if (o.drive && !fwdrive_is_drive(o.drive)) {
        diag_error(d, "--drive %s: no INFO_UF2.TXT naming RPI-RP2 there", o.drive);
        return 1;
    }
    if (check_board(&o, &img, d) != 0)
        return 1;
    char serial[64] = "";
    bool drive_waiting = o.drive == NULL;
    struct fwdrive drv = { .mounted_here = false };
    if (usb_reboot_bootloader(o.device, o.ids, 1, serial, sizeof serial, d) != 0)
        return 1;
    printf("controller %s is rebooting into its bootloader\n", serial);
    fflush(stdout);
    if (drive_waiting) {
        if (fwdrive_wait(&drv, o.timeout_s * 1000, d) != 0)
            return 1;
    } else {
        snprintf(drv.dir, sizeof drv.dir, "%s", o.drive);
    }
    rc = fwdrive_copy(&drv, o.file, d);
    fwdrive_release(&drv);
    if (rc != 0)
        return 1;
    printf("copied %s (%zu blocks, firmware %s for %s) to %s\n", o.file, img.blocks,
           img.version[0] ? img.version : "?", img.board[0] ? img.board : "?", drv.dir);
    return wait_return(&o, serial, &img, d) == 0 ? 0 : 1;
}
