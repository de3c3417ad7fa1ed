/* When the memory for laying out a cycle cannot be had, sched_playlist_at
 * says so (SCHED_ERR_NO_MEM) instead of answering with an empty playlist,
 * which would look like idle. A real allocation failure: 20,000 messages
 * with repeat = 100 make a cycle of 2,000,000 copies, and the layout's
 * 64 MB of scratch is refused, by an address-space limit (RLIMIT_AS) in a
 * plain build, and under AddressSanitizer (which reserves terabytes of
 * address space) by its largest-allocation limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "schedule/config.h"
#include "schedule/sched.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

#ifdef UNDER_ASAN
/* Allocations above 40 MB fail (return NULL) instead of being reported. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1:max_allocation_size_mb=40";
}
#endif

#define MESSAGES 20000

#ifndef UNDER_ASAN
static size_t vm_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    if (f) {
        if (fscanf(f, "%lu", &pages) != 1)
            pages = 0;
        fclose(f);
    }
    return (size_t)pages * 4096;
}
#endif

static void no_memory_is_an_error_not_idle(void **state)
{
    (void)state;
    size_t cap = (size_t)MESSAGES * 64, o = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    for (int i = 0; i < MESSAGES; i++)
        o += (size_t)snprintf(text + o, cap - o, "[message m%d]\nheadline = x\nrepeat = 100\n", i);
    struct config *cfg;
    assert_int_equal(config_parse(&cfg, "big.ini", text, o, NULL, NULL), CONFIG_OK);
    free(text);
    struct sched *s;
    assert_int_equal(sched_new(&s, cfg), SCHED_OK);
    struct sched_playlist pl = { 0 };
#ifndef UNDER_ASAN
    /* Room for the playlist (16 MB) and its slots (16 MB), not for the
     * layout's heap of copies (64 MB). */
    struct rlimit old, tight;
    assert_int_equal(getrlimit(RLIMIT_AS, &old), 0);
    tight = old;
    tight.rlim_cur = vm_bytes() + ((size_t)48 << 20);
    assert_int_equal(setrlimit(RLIMIT_AS, &tight), 0);
#endif
    int rc = sched_playlist_at(s, 1795737600, &pl);
#ifndef UNDER_ASAN
    assert_int_equal(setrlimit(RLIMIT_AS, &old), 0);
#endif
    assert_int_equal(rc, SCHED_ERR_NO_MEM);
    assert_int_equal(pl.count, 0);
#ifndef UNDER_ASAN
    /* With the memory back, the same moment lays out every copy. */
    assert_int_equal(sched_playlist_at(s, 1795737600, &pl), SCHED_OK);
    assert_int_equal(pl.count, (size_t)MESSAGES * 100);
#endif
    sched_playlist_release(&pl);
    sched_free(s);
    config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_memory_is_an_error_not_idle),
    };
    return cmocka_run_group_tests_name("sched_nomem", tests, NULL, NULL);
}
