/* fleetmqtt — the fleet's MQTT wrapper (src/fleet/mqttc.c) from the shell,
 * for tests/e2e/fleet_mqttc.sh against a real mosquitto (tests/fleet/broker.sh).
 *
 *   fleetmqtt pub  URL CA USER PWFILE TOPIC FILE     retained QoS 1, waits for the PUBACK
 *   fleetmqtt sub  URL CA USER PWFILE SECONDS TOPIC...
 *       prints "TOPIC LEN retained|live PAYLOAD-PREFIX" per message; "up"
 *       and "down" when the connection comes and goes (reconnects itself)
 *   fleetmqtt will URL CA USER PWFILE TOPIC PAYLOAD  connects with that last
 *       will, prints "up", then waits to be killed
 * CA "-" means none. Exit: 0 ok, 2 refused by the broker (prints the
 * reason), 3 cannot connect, 1 usage or other errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fleet/mqttc.h"
#include "util/monotime.h"

static void on_message(void *user, const char *topic, const uint8_t *p, size_t len, bool retained)
{
    (void)user;
    printf("%s %zu %s %.*s\n", topic, len, retained ? "retained" : "live",
           (int)(len > 40 ? 40 : len), (const char *)p);
    fflush(stdout);
}

static void on_connect(void *user, bool up)
{
    (void)user;
    printf("%s\n", up ? "up" : "down");
    fflush(stdout);
}

static int exit_code(int rc)
{
    switch (rc) {
    case MQTTC_OK: return 0;
    case MQTTC_ERR_REFUSED: return 2;
    case MQTTC_ERR_CONNECT: case MQTTC_ERR_TIMEOUT: case MQTTC_ERR_NO_CONN: return 3;
    default: return 1;
    }
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *b = realloc(buf, cap *= 2);
            if (!b) {
                free(buf);
                buf = NULL;
            }
            buf = b;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 7) {
        fprintf(stderr, "usage: fleetmqtt pub|sub|will URL CA USER PWFILE ...\n");
        return 1;
    }
    const char *mode = argv[1];
    struct mqttc_options o = {
        .broker = argv[2],
        .ca_file = strcmp(argv[3], "-") ? argv[3] : NULL,
        .username = argv[4],
        .password_file = argv[5],
        .on_message = on_message,
        .on_connect = strcmp(mode, "pub") ? on_connect : NULL,
    };
    if (strcmp(mode, "will") == 0) {
        if (argc != 8)
            return 1;
        o.will_topic = argv[6];
        o.will_payload = argv[7];
    }
    struct mqttc *c;
    int rc = mqttc_new(&c, &o);
    if (rc != MQTTC_OK)
        return exit_code(rc);
    if (strcmp(mode, "pub") == 0 && argc == 8) {
        size_t len = 0;
        char *data = slurp(argv[7], &len);
        if (!data) {
            perror(argv[7]);
            mqttc_free(c);
            return 1;
        }
        int reason = 0;
        /* Connected first, so that the instant on stderr is the publish
         * itself: what the scale bench measures from (tests/fleet/swarm.sh). */
        rc = mqttc_connect_wait(c, 5000);
        struct timespec sent;
        clock_gettime(CLOCK_REALTIME, &sent);
        fprintf(stderr, "sent at %lld.%09ld\n", (long long)sent.tv_sec, sent.tv_nsec);
        if (rc == MQTTC_OK)
            rc = mqttc_publish_wait(c, argv[6], data, len, true, 5000, &reason);
        free(data);
        if (rc == MQTTC_ERR_REFUSED)
            printf("refused %d %s\n", reason, mqttc_reason_string(reason));
        else if (rc == MQTTC_OK)
            printf("accepted\n");
        else
            printf("failed: %s\n", mqttc_strerror(rc));
        mqttc_close(c, false);
    } else if (strcmp(mode, "sub") == 0) {
        for (int i = 7; i < argc; i++)
            mqttc_subscribe(c, argv[i], 1);
        mqttc_run(c, atoi(argv[6]) * 1000, NULL, NULL);
        rc = MQTTC_OK;
        mqttc_close(c, false);
    } else if (strcmp(mode, "will") == 0) {
        rc = mqttc_connect_wait(c, 5000);
        if (rc == MQTTC_OK)
            mqttc_run(c, 600 * 1000, NULL, NULL);
    } else {
        rc = MQTTC_ERR_LIB;
    }
    mqttc_free(c);
    return exit_code(rc);
}
