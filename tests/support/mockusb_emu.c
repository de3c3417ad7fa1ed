#include "mockusb_emu.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_MSG 65535u

struct mockusb_emu {
    pid_t pid;
    int to_fd, from_fd;
    pthread_t reader;
    bool reader_started;
    pthread_mutex_t write_mu;
    mockusb_emu_reply_fn *reply;
    void *user;
};

static bool read_all(int fd, uint8_t *p, size_t n)
{
    while (n) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        p += r;
        n -= (size_t)r;
    }
    return true;
}

static bool write_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* One message: its kind, tag and data (into buf, MAX_MSG bytes). */
static bool read_msg(int fd, char *kind, uint32_t *tag, uint8_t *buf, size_t *len)
{
    uint8_t h[7];
    if (!read_all(fd, h, sizeof h))
        return false;
    *kind = (char)h[0];
    *tag = (uint32_t)h[1] | (uint32_t)h[2] << 8 | (uint32_t)h[3] << 16 | (uint32_t)h[4] << 24;
    *len = (size_t)h[5] | (size_t)h[6] << 8;
    return read_all(fd, buf, *len);
}

static void *reader_main(void *arg)
{
    struct mockusb_emu *e = arg;
    uint8_t *buf = malloc(MAX_MSG);
    char kind;
    uint32_t tag;
    size_t len;
    while (buf && read_msg(e->from_fd, &kind, &tag, buf, &len))
        e->reply(e->user, kind, tag, buf, len);
    free(buf);
    return NULL;
}

bool mockusb_emu_send(struct mockusb_emu *e, char kind, uint32_t tag, const uint8_t *data,
                      size_t len)
{
    if (len > MAX_MSG)
        return false;
    uint8_t h[7] = { (uint8_t)kind, (uint8_t)tag, (uint8_t)(tag >> 8), (uint8_t)(tag >> 16),
                     (uint8_t)(tag >> 24), (uint8_t)len, (uint8_t)(len >> 8) };
    pthread_mutex_lock(&e->write_mu);
    bool ok = write_all(e->to_fd, h, sizeof h) && (len == 0 || write_all(e->to_fd, data, len));
    pthread_mutex_unlock(&e->write_mu);
    return ok;
}

struct mockusb_emu *mockusb_emu_start(const char *board, char *serial, size_t cap,
                                      mockusb_emu_reply_fn *reply, void *user)
{
    int to[2], from[2];
    if (pipe(to) != 0 || pipe(from) != 0) {
        perror("mockusb: pipe");
        return NULL;
    }
    const char *root = getenv("LEDTICKER_SRCDIR");
    char script[4096];
    snprintf(script, sizeof script, "%s/tests/rp2040/usbbridge.mjs", root ? root : ".");
    pid_t pid = fork();
    if (pid < 0) {
        perror("mockusb: fork");
        return NULL;
    }
    if (pid == 0) {
        dup2(to[0], 0);
        dup2(from[1], 1);
        close(to[0]), close(to[1]), close(from[0]), close(from[1]);
        /* node must not inherit the preload library: it has no USB to fake. */
        unsetenv("LD_PRELOAD");
        execlp("node", "node", script, "--board", board, (char *)NULL);
        perror("mockusb: node");
        _exit(127);
    }
    close(to[0]);
    close(from[1]);
    struct mockusb_emu *e = calloc(1, sizeof *e);
    if (!e)
        abort();
    e->pid = pid;
    e->to_fd = to[1];
    e->from_fd = from[0];
    e->reply = reply;
    e->user = user;
    pthread_mutex_init(&e->write_mu, NULL);

    uint8_t buf[256];
    char kind;
    uint32_t tag;
    size_t len;
    if (!read_msg(e->from_fd, &kind, &tag, buf, &len) || kind != 'R' || len >= cap) {
        fprintf(stderr, "mockusb: the emulated controller (%s) did not come up\n", script);
        mockusb_emu_stop(e);
        return NULL;
    }
    memcpy(serial, buf, len);
    serial[len] = '\0';
    e->reader_started = pthread_create(&e->reader, NULL, reader_main, e) == 0;
    return e;
}

void mockusb_emu_stop(struct mockusb_emu *e)
{
    if (!e)
        return;
    close(e->to_fd);                /* the bridge exits at end of input */
    int status;
    for (int i = 0; i < 50 && waitpid(e->pid, &status, WNOHANG) == 0; i++)
        usleep(100 * 1000);
    if (waitpid(e->pid, &status, WNOHANG) == 0) {
        kill(e->pid, SIGTERM);
        waitpid(e->pid, &status, 0);
    }
    if (e->reader_started)
        pthread_join(e->reader, NULL);
    close(e->from_fd);
    pthread_mutex_destroy(&e->write_mu);
    free(e);
}
