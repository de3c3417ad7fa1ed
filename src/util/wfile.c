#include "util/wfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

ssize_t wfile_write(int fd, const void *buf, size_t len)
{
    for (;;) {
        ssize_t n = write(fd, buf, len);
        if (n > 0)
            return n;
        if (n == 0)
            return len ? -ENOSPC : 0;
        if (errno != EINTR)
            return -errno;
    }
}

int wfile_write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = wfile_write(fd, p, len);
        if (n < 0)
            return (int)n;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int wfile_sync(int fd)
{
    while (fsync(fd) != 0) {
        if (errno == EINVAL)
            return 0;
        if (errno != EINTR)
            return -errno;
    }
    return 0;
}

int wfile_close(int fd)
{
    if (close(fd) != 0 && errno != EINTR)
        return -errno;
    return 0;
}

int wfile_replace(const char *path, const void *data, size_t len, mode_t mode,
                  const char **step)
{
    char tmp[PATH_MAX];
    const char *dummy;
    if (!step)
        step = &dummy;
    *step = "create";
    /* Per process: two writers of one path (a test beside the service)
     * never rename each other's half-written file away. */
    if (snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid()) >= (int)sizeof tmp)
        return -ENAMETOOLONG;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return -errno;
    int rc = wfile_write_all(fd, data, len);
    *step = "write";
    if (rc == 0) {
        rc = wfile_sync(fd);
        *step = "fsync";
    }
    int rc2 = wfile_close(fd);
    if (rc == 0 && rc2 != 0) {
        rc = rc2;
        *step = "close";
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        rc = -errno;
        *step = "rename";
    }
    if (rc != 0)
        unlink(tmp);
    return rc;
}

int wfile_same_file(int fd, const char *path)
{
    struct stat open_st, path_st;
    if (fstat(fd, &open_st) != 0)
        return -errno;
    if (stat(path, &path_st) != 0)
        return 0;
    return open_st.st_dev == path_st.st_dev && open_st.st_ino == path_st.st_ino;
}
