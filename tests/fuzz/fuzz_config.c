/* libFuzzer target: arbitrary bytes as a schedule config. The reader, every
 * key parser and the scheduler must survive them: no crash, no leak, no
 * undefined behaviour. Sandboxed: includes and summary_file are not read. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "schedule/config.h"
#include "schedule/sched.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int tz_set;
    if (!tz_set) {
        setenv("TZ", "America/New_York", 1);    /* DST edges get exercised */
        tz_set = 1;
    }
    const struct diag d = diag_silent;
    struct config_options o = { .sandbox = true, .now = 1795737600 };
    struct config *cfg;
    if (config_parse(&cfg, "fuzz.ini", (const char *)data, size, &o, &d) != CONFIG_OK)
        return 0;
    struct sched *s;
    if (sched_new(&s, cfg) == SCHED_OK) {
        struct sched_playlist pl = { 0 };
        /* Around the autumn clock change, and an ordinary noon. */
        static const time_t moments[] = { 1793512800, 1793516400, 1795737600 };
        for (size_t i = 0; i < sizeof moments / sizeof moments[0]; i++) {
            time_t t;
            sched_playlist_at(s, moments[i], &pl);
            sched_next_change(s, moments[i], &t);
            sched_prev_change(s, moments[i], &t);
        }
        sched_playlist_release(&pl);
        sched_free(s);
    }
    config_free(cfg);
    return 0;
}
