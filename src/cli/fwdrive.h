/* fwdrive — the RP2040 ROM's USB drive (label RPI-RP2, with INFO_UF2.TXT)
 * that takes a .uf2 file: found where it is mounted, or mounted here when
 * nobody did (a headless kiosk): through udisks2 (udisksctl) when it is
 * installed, else, as root, into a temporary folder. */
#ifndef LEDTICKER_FWDRIVE_H
#define LEDTICKER_FWDRIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"

struct fwdrive {
    char dir[4096];         /* where the drive's files are */
    bool mounted_here;      /* by us, as root: unmount when done */
};

/* True when dir holds the ROM drive's INFO_UF2.TXT. */
bool fwdrive_is_drive(const char *dir);

/* Waits up to timeout_ms for the drive and makes sure it is mounted.
 * 0, or -1 after a message. */
int fwdrive_wait(struct fwdrive *drv, int timeout_ms, const struct diag *d);

/* Copies the file at `path` onto the drive (written through, synced).
 * 0, or -1 after a message naming the file. */
int fwdrive_copy(const struct fwdrive *drv, const char *path, const struct diag *d);

/* Unmounts what fwdrive_wait mounted (the ROM drops the drive by itself
 * once it has flashed the file, so failure is not an error). */
void fwdrive_release(struct fwdrive *drv);

#endif
