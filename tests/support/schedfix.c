#include "schedfix.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "diagcap.h"
#include "schedule/civil.h"

void schedfix_build(struct config **cfg, struct sched **s, const char *text)
{
    struct diagcap cap;
    diagcap_init(&cap);
    int rc = config_parse(cfg, "t.ini", text, strlen(text), NULL, &cap.diag);
    for (size_t i = 0; rc && i < cap.count; i++)
        fprintf(stderr, "t.ini:%d: %s\n", cap.msgs[i].line, cap.msgs[i].text);
    assert_int_equal(rc, CONFIG_OK);
    assert_int_equal(sched_new(s, *cfg), SCHED_OK);
}

time_t schedfix_time(const char *text)
{
    time_t t;
    assert_int_equal(civil_parse_instant(text, &t), 0);
    return t;
}
