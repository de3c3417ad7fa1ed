/* The broker URL of [fleet] broker and publish --broker: what is taken,
 * what is refused, and which hosts count as loopback (plain MQTT elsewhere
 * gets a warning). The client against a real broker: tests/e2e/fleet_mqttc.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "fleet/mqttc.h"

static void urls_taken(void **state)
{
    (void)state;
    struct mqttc_url u;
    assert_int_equal(mqttc_url_parse("mqtts://broker.example.org", &u), MQTTC_OK);
    assert_true(u.tls);
    assert_string_equal(u.host, "broker.example.org");
    assert_int_equal(u.port, 8883);
    assert_int_equal(mqttc_url_parse("mqtt://10.0.0.5", &u), MQTTC_OK);
    assert_false(u.tls);
    assert_int_equal(u.port, 1883);
    assert_int_equal(mqttc_url_parse("mqtts://127.0.0.1:18883/", &u), MQTTC_OK);
    assert_string_equal(u.host, "127.0.0.1");
    assert_int_equal(u.port, 18883);
    assert_int_equal(mqttc_url_parse("mqtts://[2001:db8::1]:8884", &u), MQTTC_OK);
    assert_string_equal(u.host, "2001:db8::1");
    assert_int_equal(u.port, 8884);
    assert_int_equal(mqttc_url_parse("mqtt://[::1]", &u), MQTTC_OK);
    assert_string_equal(u.host, "::1");
    assert_int_equal(u.port, 1883);
    assert_int_equal(mqttc_url_parse("mqtt://host:65535", &u), MQTTC_OK);
    assert_int_equal(u.port, 65535);
}

static void urls_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "broker.example.org", "http://broker", "mqtts://", "mqtt://:1883",
        "mqtts://host:0", "mqtts://host:65536", "mqtts://host:99999999999999999999",
        "mqtts://host:", "mqtts://host:80x", "mqtts://user:pw@host", "mqtts://host/path",
        "mqtts://2001:db8::1", "mqtts://[2001:db8::1", "mqtts://[]", "mqtts://[fe80::1%eth0]",
        "mqtts://ho st", "MQTTS://host", "mqtts://host:8883 ",
    };
    struct mqttc_url u;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (mqttc_url_parse(bad[i], &u) != MQTTC_ERR_URL)
            fail_msg("taken: '%s'", bad[i]);
    }
    /* A host name longer than any DNS name. */
    char long_url[400] = "mqtts://";
    memset(long_url + 8, 'a', 300);
    assert_int_equal(mqttc_url_parse(long_url, &u), MQTTC_ERR_URL);
}

static void loopback(void **state)
{
    (void)state;
    struct mqttc_url u;
    static const char *const local[] = { "mqtt://localhost", "mqtt://127.0.0.1:1", "mqtt://127.8.9.1",
                                         "mqtt://[::1]:1883" };
    for (size_t i = 0; i < sizeof local / sizeof *local; i++) {
        assert_int_equal(mqttc_url_parse(local[i], &u), MQTTC_OK);
        if (!mqttc_url_is_loopback(&u))
            fail_msg("not loopback: %s", local[i]);
    }
    static const char *const remote[] = { "mqtt://10.0.0.1", "mqtt://localhost.example.org",
                                          "mqtt://[2001:db8::1]", "mqtt://1270.0.0.1",
                                          "mqtt://127.example.org" };
    for (size_t i = 0; i < sizeof remote / sizeof *remote; i++) {
        assert_int_equal(mqttc_url_parse(remote[i], &u), MQTTC_OK);
        if (mqttc_url_is_loopback(&u))
            fail_msg("loopback: %s", remote[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(urls_taken),
        cmocka_unit_test(urls_refused),
        cmocka_unit_test(loopback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
