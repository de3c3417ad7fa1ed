/* Reload as a library: an editor's save (write a new file, rename it over)
 * brings in the new schedule; a broken config is refused whole and the old
 * schedule keeps playing; held snapshots never change under their holder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diagcap.h"
#include "schedule/reload.h"

struct env {
    char dir[256], path[300];
    struct diagcap cap;
    struct reload *r;
};

/* Saves like an editor: a temporary file renamed over the real one. */
static void save_by_rename(const char *dir, const char *name, const char *text)
{
    char tmp[300], from[600], to[600];
    snprintf(tmp, sizeof tmp, ".%s.swp", name);
    tmpdir_write(dir, tmp, text);
    snprintf(from, sizeof from, "%s/%s", dir, tmp);
    snprintf(to, sizeof to, "%s/%s", dir, name);
    assert_int_equal(rename(from, to), 0);
}

/* reload_poll until it reports something, for at most `ms`. */
static int poll_for(struct reload *r, int ms)
{
    for (int waited = 0; waited < ms; waited += 50) {
        int rc = reload_poll(r, 50);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static const char *first_headline(struct reload *r)
{
    static char buf[256];
    struct reload_snapshot *s = reload_acquire(r);
    const struct config *cfg = reload_snapshot_config(s);
    snprintf(buf, sizeof buf, "%s", config_message_count(cfg) ? config_message_at(cfg, 0)->headline : "");
    reload_snapshot_release(s);
    return buf;
}

static int setup(void **state)
{
    struct env *e = calloc(1, sizeof *e);
    tmpdir_make(e->dir, sizeof e->dir);
    snprintf(e->path, sizeof e->path, "%s/main.ini", e->dir);
    char sub[300];
    snprintf(sub, sizeof sub, "%s/conf.d", e->dir);
    mkdir(sub, 0755);
    tmpdir_write(e->dir, "main.ini", "[message a]\nheadline = 第一版\ninclude = conf.d/*.ini\n");
    diagcap_init(&e->cap);
    struct reload_options o = { .debounce_ms = 50 };
    if (reload_new(&e->r, e->path, &o, &e->cap.diag) != RELOAD_OK)
        return -1;
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    struct env *e = *state;
    reload_free(e->r);
    tmpdir_remove(e->dir);
    free(e);
    return 0;
}

static void rename_over_brings_the_new_schedule(void **state)
{
    struct env *e = *state;
    struct reload_snapshot *old = reload_acquire(e->r);
    assert_int_equal(reload_snapshot_generation(old), 1);
    save_by_rename(e->dir, "main.ini", "[message a]\nheadline = 第二版\n[message b]\nheadline = 新增\n");
    assert_int_equal(poll_for(e->r, 5000), 1);
    struct reload_snapshot *now = reload_acquire(e->r);
    assert_int_equal(reload_snapshot_generation(now), 2);
    assert_int_equal(config_message_count(reload_snapshot_config(now)), 2);
    assert_string_equal(config_message_at(reload_snapshot_config(now), 0)->headline, "第二版");
    /* The holder of the old snapshot still sees the old config, whole. */
    assert_string_equal(config_message_at(reload_snapshot_config(old), 0)->headline, "第一版");
    assert_int_equal(config_message_count(reload_snapshot_config(old)), 1);
    assert_non_null(reload_snapshot_sched(old));
    reload_snapshot_release(old);
    reload_snapshot_release(now);
}

static void broken_config_keeps_the_last_good_one(void **state)
{
    struct env *e = *state;
    save_by_rename(e->dir, "main.ini", "[message a]\nheadline = 坏的\npriority = 500\n[mesage b]\n");
    assert_int_equal(poll_for(e->r, 5000), RELOAD_ERR_INVALID);
    assert_string_equal(first_headline(e->r), "第一版");
    const struct diagcap_msg *m = diagcap_find(&e->cap, DIAG_ERROR, "priority 500 is out of range");
    assert_non_null(m);
    assert_string_equal(m->file, e->path);
    assert_int_equal(m->line, 3);
    m = diagcap_find(&e->cap, DIAG_ERROR, "unknown section");
    assert_non_null(m);
    assert_int_equal(m->line, 4);
    assert_non_null(diagcap_find(&e->cap, DIAG_ERROR, "still playing the last good one"));
    /* Fixing it is noticed too. */
    save_by_rename(e->dir, "main.ini", "[message a]\nheadline = 修好了\n");
    assert_int_equal(poll_for(e->r, 5000), 1);
    assert_string_equal(first_headline(e->r), "修好了");
}

/* The config deleted: the last good one stays, one warning and nothing
 * more however often it is asked (SIGHUP); when the file is restored it is
 * read again, with one notice. */
static void deleted_config_keeps_the_last_good_one(void **state)
{
    struct env *e = *state;
    size_t warnings = diagcap_count(&e->cap, DIAG_WARN);   /* the empty include's */
    assert_int_equal(unlink(e->path), 0);
    assert_int_equal(poll_for(e->r, 1000), 0);
    assert_true(reload_missing_since(e->r) != 0);
    reload_request(e->r);
    assert_int_equal(poll_for(e->r, 500), 0);
    assert_string_equal(first_headline(e->r), "第一版");
    assert_int_equal(diagcap_count(&e->cap, DIAG_WARN), warnings + 1);
    assert_non_null(diagcap_find(&e->cap, DIAG_WARN, "the config is gone (deleted or moved away); "
                                 "still playing the last good one (generation 1)"));
    assert_int_equal(diagcap_count(&e->cap, DIAG_ERROR), 0);
    tmpdir_write(e->dir, "main.ini", "[message a]\nheadline = 恢复了\n");
    assert_int_equal(poll_for(e->r, 5000), 1);
    assert_string_equal(first_headline(e->r), "恢复了");
    assert_int_equal(reload_missing_since(e->r), 0);
    assert_int_equal(diagcap_count(&e->cap, DIAG_NOTICE), 1);
    assert_non_null(diagcap_find(&e->cap, DIAG_NOTICE, "the config is back"));
}

static void a_new_file_in_an_include_directory(void **state)
{
    struct env *e = *state;
    tmpdir_write(e->dir, "conf.d/notice.ini", "[message z]\nheadline = 区里的通知\npriority = 90\n");
    assert_int_equal(poll_for(e->r, 5000), 1);
    assert_string_equal(first_headline(e->r), "第一版");        /* order of appearance */
    struct reload_snapshot *s = reload_acquire(e->r);
    assert_non_null(config_message_find(reload_snapshot_config(s), "z"));
    reload_snapshot_release(s);
    /* A broken shared notice is refused too. */
    tmpdir_write(e->dir, "conf.d/notice.ini", "[message z]\nheadline = x\ncolor = 红色\n");
    assert_int_equal(poll_for(e->r, 5000), RELOAD_ERR_INVALID);
    const struct diagcap_msg *m = diagcap_find(&e->cap, DIAG_ERROR, "is not a colour");
    assert_non_null(m);
    assert_non_null(strstr(m->file, "conf.d/notice.ini"));
    assert_int_equal(m->line, 3);
}

static void unrelated_files_and_bursts(void **state)
{
    struct env *e = *state;
    tmpdir_write(e->dir, "notes.txt", "not the config\n");
    tmpdir_write(e->dir, "conf.d/readme.md", "not an ini\n");
    assert_int_equal(poll_for(e->r, 400), 0);
    /* Three quick saves make one reload. */
    for (int i = 0; i < 3; i++)
        save_by_rename(e->dir, "main.ini", i < 2 ? "[message a]\nheadline = 中间\n" : "[message a]\nheadline = 最后\n");
    assert_int_equal(poll_for(e->r, 5000), 1);
    assert_int_equal(poll_for(e->r, 300), 0);
    struct reload_snapshot *s = reload_acquire(e->r);
    assert_int_equal(reload_snapshot_generation(s), 2);
    assert_string_equal(config_message_at(reload_snapshot_config(s), 0)->headline, "最后");
    reload_snapshot_release(s);
}

/* A save that lands while a reload is under way: the env's diag sink runs
 * inside config_load, and once it sees `needle` it writes `text` to `name`
 * (after the file it names has been read, before the load ends). */
struct mid_load {
    struct diag orig;
    const char *needle, *dir, *name, *text;
    bool by_rename, done;
};

static void save_mid_load(void *user, enum diag_level level, const char *file, int line, const char *msg)
{
    struct mid_load *h = user;
    h->orig.fn(h->orig.user, level, file, line, msg);
    if (h->done || !strstr(msg, h->needle))
        return;
    h->done = true;
    if (h->by_rename)
        save_by_rename(h->dir, h->name, h->text);
    else
        tmpdir_write(h->dir, h->name, h->text);
}

static void hook_mid_load(struct env *e, struct mid_load *h)
{
    h->orig = e->cap.diag;
    h->dir = e->dir;
    e->cap.diag = (struct diag){ save_mid_load, h };
}

/* The second save of the config lands after config_load has read the first:
 * the ticker must not keep the first without a word. */
static void a_save_during_a_reload(void **state)
{
    struct env *e = *state;
    struct mid_load h = { .needle = "'conf.d/*.ini' matches nothing", .name = "main.ini", .by_rename = true,
                          .text = "[message a]\nheadline = 第三版\n" };
    hook_mid_load(e, &h);
    save_by_rename(e->dir, "main.ini", "[message a]\nheadline = 第二版\ninclude = conf.d/*.ini\n");
    assert_int_equal(poll_for(e->r, 5000), 1);
    assert_true(h.done);
    assert_int_equal(poll_for(e->r, 5000), 1);
    assert_string_equal(first_headline(e->r), "第三版");
    e->cap.diag = h.orig;
}

/* The config starts to include a directory it did not use before, and a
 * file lands there after the pattern was looked up but before that
 * directory is watched: the comparison with the disk after the load sees
 * it. */
static void a_new_include_directory_during_a_reload(void **state)
{
    struct env *e = *state;
    char extra[300];
    snprintf(extra, sizeof extra, "%s/extra", e->dir);
    assert_int_equal(mkdir(extra, 0755), 0);
    struct mid_load h = { .needle = "'extra/*.ini' matches nothing", .name = "extra/b.ini",
                          .text = "[message b]\nheadline = 新目录里的\n" };
    hook_mid_load(e, &h);
    save_by_rename(e->dir, "main.ini", "[message a]\nheadline = 第二版\ninclude = conf.d/*.ini\n"
                                       "include = extra/*.ini\n");
    int rc = poll_for(e->r, 5000);
    assert_true(h.done);
    assert_int_equal(rc, 1);
    struct reload_snapshot *s = reload_acquire(e->r);
    bool seen = config_message_find(reload_snapshot_config(s), "b") != NULL;
    reload_snapshot_release(s);
    if (!seen)
        assert_int_equal(poll_for(e->r, 5000), 1);
    s = reload_acquire(e->r);
    assert_non_null(config_message_find(reload_snapshot_config(s), "b"));
    reload_snapshot_release(s);
    e->cap.diag = h.orig;
}

/* reload.h: reload_acquire and reload_snapshot_release may be called from
 * any thread. Two threads acquire, use and release snapshots while the
 * config is saved and reloaded twenty times: each sees generations and
 * contents only move forward, and every snapshot it holds stays whole
 * (under SANITIZE=1, ASan sees any use after free). */
struct reader {
    struct reload *r;
    atomic_bool *stop;
    long acquired;
    const char *fault;
};

static void *read_snapshots(void *arg)
{
    struct reader *rd = arg;
    unsigned last_gen = 0;
    int last_version = 0;
    struct sched_playlist pl = { 0 };
    while (!atomic_load(rd->stop) && !rd->fault) {
        struct reload_snapshot *s = reload_acquire(rd->r);
        const struct config *cfg = reload_snapshot_config(s);
        unsigned gen = reload_snapshot_generation(s);
        int version = 1;
        const char *h = config_message_count(cfg) == 1 ? config_message_at(cfg, 0)->headline : NULL;
        if (!h || (strcmp(h, "第一版") && sscanf(h, "version %d", &version) != 1))
            rd->fault = "a snapshot that is not a whole config";
        else if (gen < last_gen || version < last_version)
            rd->fault = "a snapshot older than one seen before";
        else if (sched_playlist_at(reload_snapshot_sched(s), time(NULL), &pl) != SCHED_OK || pl.count != 1)
            rd->fault = "a snapshot whose schedule does not play its message";
        last_gen = gen;
        last_version = version;
        reload_snapshot_release(s);
        rd->acquired++;
    }
    sched_playlist_release(&pl);
    return NULL;
}

static void acquire_from_two_threads(void **state)
{
    struct env *e = *state;
    atomic_bool stop = false;
    struct reader rd[2] = { { e->r, &stop, 0, NULL }, { e->r, &stop, 0, NULL } };
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, read_snapshots, &rd[i]), 0);
    for (int v = 2; v <= 21; v++) {
        char text[128];
        snprintf(text, sizeof text, "[message a]\nheadline = version %d\n", v);
        save_by_rename(e->dir, "main.ini", text);
        assert_int_equal(poll_for(e->r, 5000), 1);
    }
    atomic_store(&stop, true);
    for (int i = 0; i < 2; i++) {
        pthread_join(th[i], NULL);
        if (rd[i].fault)
            fail_msg("thread %d: %s", i, rd[i].fault);
        assert_true(rd[i].acquired > 0);
    }
    assert_string_equal(first_headline(e->r), "version 21");
}

static struct reload *hup_target;

static void on_sighup(int sig)
{
    (void)sig;
    reload_request(hup_target);                 /* async-signal-safe */
}

static void request_like_sighup(void **state)
{
    struct env *e = *state;
    hup_target = e->r;
    struct sigaction sa = { .sa_handler = on_sighup }, old;
    sigaction(SIGHUP, &sa, &old);
    raise(SIGHUP);
    sigaction(SIGHUP, &old, NULL);
    assert_int_equal(reload_poll(e->r, 0), 1);  /* no debounce for a request */
    struct reload_snapshot *s = reload_acquire(e->r);
    assert_int_equal(reload_snapshot_generation(s), 2);
    reload_snapshot_release(s);
    assert_true(reload_fd(e->r) >= 0);
}

static void first_config_must_be_good(void **state)
{
    (void)state;
    char dir[256], path[300];
    tmpdir_make(dir, sizeof dir);
    tmpdir_write(dir, "bad.ini", "[message a]\n");
    snprintf(path, sizeof path, "%s/bad.ini", dir);
    struct diagcap cap;
    diagcap_init(&cap);
    struct reload *r;
    assert_int_equal(reload_new(&r, path, NULL, &cap.diag), RELOAD_ERR_INVALID);
    assert_null(r);
    assert_non_null(diagcap_find(&cap, DIAG_ERROR, "has no headline"));
    tmpdir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(rename_over_brings_the_new_schedule, setup, teardown),
        cmocka_unit_test_setup_teardown(broken_config_keeps_the_last_good_one, setup, teardown),
        cmocka_unit_test_setup_teardown(deleted_config_keeps_the_last_good_one, setup, teardown),
        cmocka_unit_test_setup_teardown(a_new_file_in_an_include_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(unrelated_files_and_bursts, setup, teardown),
        cmocka_unit_test_setup_teardown(request_like_sighup, setup, teardown),
        cmocka_unit_test_setup_teardown(a_save_during_a_reload, setup, teardown),
        cmocka_unit_test_setup_teardown(a_new_include_directory_during_a_reload, setup, teardown),
        cmocka_unit_test_setup_teardown(acquire_from_two_threads, setup, teardown),
        cmocka_unit_test(first_config_must_be_good),
    };
    return cmocka_run_group_tests_name("reload", tests, NULL, NULL);
}
