/* The newsroom's bookkeeping: what publish packs and refuses to pack, the
 * sequence numbers, the history behind --rollback, the audit log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "diagcap.h"
#include "fleet/newsroom.h"

struct fx {
    char dir[256], real[512];
    struct diagcap cap;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    tmpdir_make(f->dir, sizeof f->dir);
    assert_non_null(realpath(f->dir, f->real));
    char p[600];
    snprintf(p, sizeof p, "%s/room", f->dir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/room/news", f->dir);
    mkdir(p, 0755);
    tmpdir_write(f->dir, "room/district.ini", "[message a]\nheadline = 区委办\nsummary_file = news/a.txt\n");
    tmpdir_write(f->dir, "room/news/a.txt", "田间地头\n");
    diagcap_init(&f->cap);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    tmpdir_remove(f->dir);
    free(f);
    return 0;
}

static int pack(struct fx *f, const char *extra, struct newsroom_pack *p, const char *never)
{
    char root[600], a[600], x[600];
    snprintf(root, sizeof root, "%s/room/district.ini", f->real);
    snprintf(a, sizeof a, "%s/room/news/a.txt", f->real);
    snprintf(x, sizeof x, "%s/%s", f->real, extra ? extra : "");
    const char *paths[3] = { root, a, x };
    diagcap_init(&f->cap);
    return newsroom_pack(p, root, paths, extra ? 3 : 2, &never, never ? 1 : 0, &f->cap.diag);
}

static void packs_names_relative_to_the_root(void **state)
{
    struct fx *f = *state;
    struct newsroom_pack p;
    assert_int_equal(pack(f, NULL, &p, NULL), 0);
    assert_int_equal(p.count, 2);
    assert_string_equal(p.files[0].name, "bundle.ini");
    assert_memory_equal(p.files[0].data, "[message a]\n", 12);
    assert_string_equal(p.files[1].name, "news/a.txt");
    assert_int_equal(p.files[1].size, strlen("田间地头\n"));
    newsroom_pack_free(&p);
}

static void refuses_what_must_not_leave(void **state)
{
    struct fx *f = *state;
    static const struct { const char *name, *text, *needle; } bad[] = {
        { "room/newsroom.key", "anything\n", "secret key (*.key)" },
        { "room/k.txt", "ledticker-ed25519-secret AAAA\n", "a secret key" },
        { "room/mqtt.password", "hunter2\n", "a password file" },
        { "room/tls.pem", "-----BEGIN PRIVATE KEY-----\n", "a private key" },
        { "outside.ini", "[message b]\n", "is outside" },
        { "room/news/bundle.ini", "x", "is outside" },
        { "room/bundle.ini", "x", "rename this file" },
        { "room/a b.txt", "x", "not a name a bundle may hold" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        tmpdir_write(f->dir, bad[i].name, bad[i].text);
        struct newsroom_pack p;
        int rc = pack(f, bad[i].name, &p, NULL);
        if (i == 5) {                   /* news/bundle.ini is a fine name */
            assert_int_equal(rc, 0);
            newsroom_pack_free(&p);
            continue;
        }
        assert_int_equal(rc, -1);
        assert_null(p.files);
        const struct diagcap_msg *m = diagcap_find(&f->cap, DIAG_ERROR, bad[i].needle);
        if (!m)
            fail_msg("%s: no error '%s'", bad[i].name, bad[i].needle);
        char want[600];
        snprintf(want, sizeof want, "%s/%s", f->real, bad[i].name);
        assert_string_equal(m->file, want);
        char p2[600];
        snprintf(p2, sizeof p2, "%s/%s", f->dir, bad[i].name);
        unlink(p2);
    }
    /* The data directory's files are every kiosk's own. */
    char never[600];
    snprintf(never, sizeof never, "%s/room/news", f->real);
    struct newsroom_pack p;
    assert_int_equal(pack(f, NULL, &p, never), -1);
    assert_non_null(diagcap_find(&f->cap, DIAG_ERROR, "data directory"));
}

static void emergency_text(void **state)
{
    struct fx *f = *state;
    char *ini;
    assert_int_equal(newsroom_emergency_ini(&ini, "暴雨红色预警：请勿外出", "2026-12-01 16:00", true,
                                            &f->cap.diag), 0);
    assert_string_equal(ini, "[message fleet-emergency-site]\nheadline = 暴雨红色预警：请勿外出\n"
                             "emergency = yes\ncolor = #ff0000\nuntil = 2026-12-01 16:00\n");
    free(ini);
    /* A newline would let the text add keys or sections. */
    assert_int_equal(newsroom_emergency_ini(&ini, "x\n[display]", "2026-12-01 16:00", false, &f->cap.diag), -1);
    assert_null(ini);
    assert_int_equal(newsroom_emergency_ini(&ini, "", "2026-12-01 16:00", false, &f->cap.diag), -1);
    assert_int_equal(newsroom_emergency_ini(&ini, "\xff", "2026-12-01 16:00", false, &f->cap.diag), -1);
}

static void topics(void **state)
{
    (void)state;
    char t[80];
    assert_int_equal(newsroom_topic(t, sizeof t, NULL, false), 0);
    assert_string_equal(t, "ledticker/v1/all/config");
    assert_int_equal(newsroom_topic(t, sizeof t, "lishi-1", true), 0);
    assert_string_equal(t, "ledticker/v1/site/lishi-1/emergency");
    assert_int_equal(newsroom_topic(t, 10, "lishi-1", true), -1);
}

static void seq_history_and_audit(void **state)
{
    struct fx *f = *state;
    char st[600], want[600];
    snprintf(want, sizeof want, "%s/state/deep", f->dir);
    assert_int_equal(newsroom_state_dir(st, sizeof st, want, &f->cap.diag), 0);
    assert_string_equal(st, want);
    struct stat sb;
    assert_int_equal(stat(st, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    const char *topic = "ledticker/v1/site/a/config";
    assert_true(newsroom_next_seq(st, topic, 1000) == 1000);
    assert_int_equal(newsroom_history_save(st, topic, 5000, (const uint8_t *)"five", 4, &f->cap.diag), 0);
    assert_int_equal(newsroom_history_save(st, "ledticker/v1/all/config", 9000, (const uint8_t *)"nine", 4,
                                           &f->cap.diag), 0);
    /* A clock behind the last publish still gets a higher seq; per topic. */
    assert_true(newsroom_next_seq(st, topic, 1000) == 5001);
    assert_true(newsroom_next_seq(st, topic, 7000) == 7000);
    assert_true(newsroom_next_seq(st, "ledticker/v1/site/b/config", 1000) == 1000);
    char found[160];
    uint8_t *msg;
    size_t len;
    assert_int_equal(newsroom_history_find(st, 9000, found, sizeof found, &msg, &len), 1);
    assert_string_equal(found, "ledticker/v1/all/config");
    assert_int_equal(len, 4);
    assert_memory_equal(msg, "nine", 4);
    free(msg);
    assert_int_equal(newsroom_history_find(st, 1234, found, sizeof found, &msg, &len), 0);
    assert_int_equal(newsroom_history_save(st, topic, 6000, (const uint8_t *)"six", 3, &f->cap.diag), 0);
    assert_int_equal(newsroom_history_latest(st, topic, &msg, &len), 1);
    assert_memory_equal(msg, "six", 3);
    free(msg);
    assert_int_equal(newsroom_history_latest(st, "ledticker/v1/site/zz/config", &msg, &len), 0);

    assert_int_equal(newsroom_audit(st, "publish", topic, 6000, "ab12", 3, &f->cap.diag), 0);
    assert_int_equal(newsroom_audit(st, "rollback", topic, 7000, "ab12", 3, &f->cap.diag), 0);
    char path[700], line[2][512];
    snprintf(path, sizeof path, "%s/audit.log", st);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    assert_non_null(fgets(line[0], sizeof line[0], fp));
    assert_non_null(fgets(line[1], sizeof line[1], fp));
    fclose(fp);
    assert_non_null(strstr(line[0], " user="));
    assert_non_null(strstr(line[0], " host="));
    assert_non_null(strstr(line[0], " action=publish topic=ledticker/v1/site/a/config seq=6000 sha256=ab12 files=3\n"));
    assert_non_null(strstr(line[1], " action=rollback "));
    assert_true(line[0][4] == '-' && line[0][10] == 'T');       /* 2026-12-01T15:00:00+0000 */
}

static void state_dir_default(void **state)
{
    struct fx *f = *state;
    char st[600], want[600];
    setenv("XDG_STATE_HOME", f->real, 1);
    assert_int_equal(newsroom_state_dir(st, sizeof st, NULL, &f->cap.diag), 0);
    snprintf(want, sizeof want, "%s/ledticker", f->real);
    assert_string_equal(st, want);
    unsetenv("XDG_STATE_HOME");
    setenv("HOME", f->real, 1);
    assert_int_equal(newsroom_state_dir(st, sizeof st, NULL, &f->cap.diag), 0);
    snprintf(want, sizeof want, "%s/.local/state/ledticker", f->real);
    assert_string_equal(st, want);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(packs_names_relative_to_the_root),
        T(refuses_what_must_not_leave),
        T(emergency_text),
        T(topics),
        T(seq_history_and_audit),
        T(state_dir_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
