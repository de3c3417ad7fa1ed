/* notify_listen SOCKET SECONDS — stands in for systemd: receives the
 * sd_notify datagrams sent to the unix socket SOCKET for SECONDS and prints
 * each one on a line (NUL-free), so a script can check READY=1, WATCHDOG=1
 * and STOPPING=1. Built by the scripts that need it. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: notify_listen SOCKET SECONDS\n");
        return 2;
    }
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", argv[1]);
    unlink(argv[1]);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        perror(argv[1]);
        return 1;
    }
    printf("listening\n");
    fflush(stdout);
    time_t end = time(NULL) + atoi(argv[2]);
    char buf[4096];
    while (time(NULL) < end) {
        struct pollfd p = { fd, POLLIN, 0 };
        if (poll(&p, 1, 100) <= 0)
            continue;
        ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
        if (n <= 0)
            continue;
        buf[n] = '\0';
        for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
            printf("%s\n", line);
        fflush(stdout);
    }
    unlink(argv[1]);
    return 0;
}
