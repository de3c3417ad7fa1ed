#include "cli/fwdrive.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DRIVE_DEV "/dev/disk/by-label/RPI-RP2"

bool fwdrive_is_drive(const char *dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/INFO_UF2.TXT", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char buf[512];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strstr(buf, "RPI-RP2") != NULL;
}

/* Where the drive is mounted already (anyone's mount), from /proc/self/mounts. */
static bool find_mounted(char *dir, size_t cap)
{
    FILE *f = fopen("/proc/self/mounts", "r");
    if (!f)
        return false;
    char line[8192], dev[4096], mnt[4096];
    bool found = false;
    while (!found && fgets(line, sizeof line, f)) {
        if (sscanf(line, "%4095s %4095s", dev, mnt) == 2 && fwdrive_is_drive(mnt)) {
            snprintf(dir, cap, "%s", mnt);
            found = true;
        }
    }
    fclose(f);
    return found;
}

static bool on_path(const char *prog)
{
    const char *path = getenv("PATH");
    char buf[4200];
    for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
        size_t n = strcspn(p, ":");
        snprintf(buf, sizeof buf, "%.*s/%s", (int)n, p, prog);
        if (access(buf, X_OK) == 0)
            return true;
        p += n + (p[n] == ':');
    }
    return false;
}

/* udisksctl mount: "Mounted /dev/sdb1 at /media/user/RPI-RP2" */
static int mount_udisks(struct fwdrive *drv, const struct diag *d)
{
    FILE *p = popen("udisksctl mount --no-user-interaction -b " DRIVE_DEV " 2>&1", "r");
    if (!p)
        return -1;
    char line[4400] = "";
    if (!fgets(line, sizeof line, p))
        line[0] = '\0';
    int st = pclose(p);
    const char *at = strstr(line, " at ");
    if (st != 0 || !at) {
        diag_error(d, "firmware: udisksctl could not mount %s: %s", DRIVE_DEV, line);
        return -1;
    }
    snprintf(drv->dir, sizeof drv->dir, "%s", at + 4);
    drv->dir[strcspn(drv->dir, "\n")] = '\0';
    size_t n = strlen(drv->dir);
    if (n && drv->dir[n - 1] == '.')
        drv->dir[n - 1] = '\0';
    return 0;
}

static int mount_root(struct fwdrive *drv, const struct diag *d)
{
    if (geteuid() != 0) {
        diag_error(d, "firmware: the RPI-RP2 drive is not mounted, udisks2 is not installed, and "
                      "mounting it needs root: mount %s yourself and give --drive DIR", DRIVE_DEV);
        return -1;
    }
    char tmpl[] = "/tmp/ledticker-rpi-rp2-XXXXXX";
    if (!mkdtemp(tmpl)) {
        diag_error(d, "firmware: cannot make a mount point: %s", strerror(errno));
        return -1;
    }
    if (mount(DRIVE_DEV, tmpl, "vfat", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) {
        diag_error(d, "firmware: cannot mount %s on %s: %s", DRIVE_DEV, tmpl, strerror(errno));
        rmdir(tmpl);
        return -1;
    }
    snprintf(drv->dir, sizeof drv->dir, "%s", tmpl);
    drv->mounted_here = true;
    return 0;
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

int fwdrive_wait(struct fwdrive *drv, int timeout_ms, const struct diag *d)
{
    memset(drv, 0, sizeof *drv);
    for (int waited = 0;; waited += 250) {
        if (find_mounted(drv->dir, sizeof drv->dir))
            return 0;
        struct stat st;
        if (stat(DRIVE_DEV, &st) == 0) {
            sleep_ms(500);              /* a desktop's automounter may be quicker */
            if (find_mounted(drv->dir, sizeof drv->dir))
                return 0;
            int rc = on_path("udisksctl") ? mount_udisks(drv, d) : mount_root(drv, d);
            if (rc == 0 && !fwdrive_is_drive(drv->dir)) {
                diag_error(d, "firmware: %s has no INFO_UF2.TXT naming RPI-RP2", drv->dir);
                fwdrive_release(drv);
                return -1;
            }
            return rc;
        }
        if (waited >= timeout_ms) {
            diag_error(d, "firmware: no RPI-RP2 drive appeared within %d s", timeout_ms / 1000);
            return -1;
        }
        sleep_ms(250);
    }
}

int fwdrive_copy(const struct fwdrive *drv, const char *path, const struct diag *d)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char dst[4400];
    snprintf(dst, sizeof dst, "%s/%s", drv->dir, base);
    int in = open(path, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        diag_error(d, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) {
        diag_error(d, "firmware: cannot write %s: %s", dst, strerror(errno));
        close(in);
        return -1;
    }
    char buf[65536];
    ssize_t n;
    int rc = 0;
    while (rc == 0 && (n = read(in, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        for (ssize_t off = 0; rc == 0 && n > 0 && off < n;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                rc = -1;
            else
                off += w;
        }
        if (n < 0)
            rc = -1;
    }
    if (rc != 0)
        diag_error(d, "firmware: copying %s to %s: %s", path, dst, strerror(errno));
    /* The ROM reboots as soon as it has the last block, so the drive may be
     * gone before the sync: only the controller's return proves the copy. */
    else if (fsync(out) != 0 && errno != EINVAL)
        diag_info(d, "firmware: sync of %s: %s (the controller may have taken it already)", dst,
                  strerror(errno));
    close(out);
    close(in);
    return rc;
}

void fwdrive_release(struct fwdrive *drv)
{
    if (!drv->mounted_here)
        return;
    umount2(drv->dir, MNT_DETACH);
    rmdir(drv->dir);
    drv->mounted_here = false;
}
