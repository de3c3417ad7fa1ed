/* wirehash — plays a recorded wire stream (the `record:PATH` output) into
 * the firmware core, as the `sim` output does in process, and prints one
 * line per presented frame in mockusbd's log format:
 *
 *   present SEQ HOST_MS FNV1A64-OF-FRONT 0
 *
 * so that an end-to-end test can compare what a controller behind USB
 * presented with what the simulator shows for the same config and clock.
 *
 *   wirehash --board NAME FILE */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw.h"
#include "mockusb.h"

int main(int argc, char **argv)
{
    if (argc != 4 || strcmp(argv[1], "--board")) {
        fprintf(stderr, "usage: wirehash --board NAME FILE\n");
        return 2;
    }
    const struct fw_board *b = board_find(argv[2]);
    if (!b) {
        fprintf(stderr, "wirehash: no firmware board '%s'\n", argv[2]);
        return 2;
    }
    FILE *f = fopen(argv[3], "rb");
    if (!f) {
        perror(argv[3]);
        return 1;
    }
    static struct fw fw;
    if (fw_init(&fw, b, NULL) != 0) {
        fprintf(stderr, "wirehash: board '%s' does not fit the core\n", argv[2]);
        fclose(f);
        return 1;
    }
    size_t frame_bytes = (size_t)b->width * b->height * 3;
    uint32_t last_seq = 0, last_ms = 0;
    bool any = false;
    uint8_t pkt[64];
    size_t n;
    /* Packet by packet, as the controller takes them, so that every
     * PRESENT is seen before the next one can overwrite the front buffer. */
    while ((n = fread(pkt, 1, sizeof pkt, f)) > 0) {
        for (size_t i = 0; i < n; i++) {
            fw_feed(&fw, pkt + i, 1);
            if (fw.presented && (!any || fw.presented_seq != last_seq ||
                                 fw.presented_host_ms != last_ms)) {
                any = true;
                last_seq = fw.presented_seq;
                last_ms = fw.presented_host_ms;
                printf("present %u %u %016llx 0\n", (unsigned)last_seq, (unsigned)last_ms,
                       (unsigned long long)mockusb_hash(fw_front(&fw), frame_bytes));
            }
        }
    }
    fclose(f);
    return 0;
}
