/* The INI reader: what staff really type, includes, and refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diagcap.h"
#include "util/ini.h"

static struct ini_doc *parse(struct diagcap *cap, const char *text, int expect)
{
    struct ini_doc *doc;
    diagcap_init(cap);
    assert_int_equal(ini_parse(&doc, "t.ini", text, strlen(text), 0, &cap->diag), expect);
    assert_non_null(doc);
    return doc;
}

static const struct ini_entry *entry(const struct ini_doc *doc, size_t s, size_t e)
{
    assert_true(s < ini_section_count(doc));
    const struct ini_section *sec = ini_section_at(doc, s);
    assert_true(e < sec->count);
    return &sec->entries[e];
}

static void sections_keys_and_lines(void **state)
{
    (void)state;
    struct diagcap cap;
    struct ini_doc *doc = parse(&cap,
        "# comment\n"
        "; another\n"
        "\n"
        "[display]\n"
        "  board =  hub75-64x32  \n"
        "[message a]\n"
        "headline = 标题 # not a comment\n"
        "summary=\n", INI_OK);
    assert_int_equal(ini_section_count(doc), 2);
    assert_string_equal(ini_section_at(doc, 0)->name, "display");
    assert_int_equal(ini_section_at(doc, 0)->line, 4);
    assert_string_equal(ini_section_at(doc, 1)->name, "message a");
    assert_string_equal(entry(doc, 0, 0)->key, "board");
    assert_string_equal(entry(doc, 0, 0)->value, "hub75-64x32");
    assert_int_equal(entry(doc, 0, 0)->line, 5);
    assert_string_equal(entry(doc, 1, 0)->value, "标题 # not a comment");
    assert_int_equal(entry(doc, 1, 0)->line, 7);
    assert_string_equal(entry(doc, 1, 1)->value, "");
    assert_string_equal(entry(doc, 1, 1)->file, "t.ini");
    assert_int_equal(cap.count, 0);
    ini_free(doc);
}

static void bom_crlf_fullwidth(void **state)
{
    (void)state;
    struct diagcap cap;
    struct ini_doc *doc = parse(&cap,
        "\xEF\xBB\xBF[message a]\r\n"
        "headline ＝ 离石区\r\n"
        "\xE3\x80\x80hours＝08：00－12：00\r\n", INI_OK);
    assert_string_equal(ini_section_at(doc, 0)->name, "message a");
    assert_string_equal(entry(doc, 0, 0)->key, "headline");
    assert_string_equal(entry(doc, 0, 0)->value, "离石区");
    assert_string_equal(entry(doc, 0, 1)->key, "hours");
    /* The reader keeps values as typed; times are the config's business. */
    assert_string_equal(entry(doc, 0, 1)->value, "08：00－12：00");
    assert_int_equal(entry(doc, 0, 1)->line, 3);
    ini_free(doc);
}

/* Debian's inih cuts lines at 200 bytes; a long summary must survive whole. */
static void no_line_length_limit(void **state)
{
    (void)state;
    size_t n = 50000;
    char *text = malloc(n * 3 + 64);
    strcpy(text, "[message a]\nsummary = ");
    char *p = text + strlen(text);
    for (size_t i = 0; i < n; i++, p += 3)
        memcpy(p, "离", 3);
    strcpy(p, "\nheadline = x\n");
    struct diagcap cap;
    struct ini_doc *doc = parse(&cap, text, INI_OK);
    assert_int_equal(strlen(entry(doc, 0, 0)->value), n * 3);
    assert_int_equal(entry(doc, 0, 1)->line, 3);
    ini_free(doc);
    free(text);
}

static void gbk_is_refused_with_line(void **state)
{
    (void)state;
    /* "离石" in GBK is C0 EB CA AF. */
    const char text[] = "[message a]\nheadline = ok\nsummary = \xC0\xEB\xCA\xAF\nrepeat = 2\n";
    struct diagcap cap;
    struct ini_doc *doc = parse(&cap, text, INI_ERR_SYNTAX);
    assert_int_equal(diagcap_count(&cap, DIAG_ERROR), 1);
    const struct diagcap_msg *m = diagcap_find(&cap, DIAG_ERROR, "not valid UTF-8");
    assert_non_null(m);
    assert_int_equal(m->line, 3);
    assert_string_equal(m->file, "t.ini");
    assert_non_null(strstr(m->text, "save it as UTF-8"));
    assert_non_null(strstr(m->text, "GBK"));
    assert_int_equal(ini_section_at(doc, 0)->count, 1);    /* nothing after the bad line */
    ini_free(doc);
}

static void syntax_errors_are_all_reported(void **state)
{
    (void)state;
    struct diagcap cap;
    struct ini_doc *doc = parse(&cap,
        "orphan = 1\n"              /* 1: before any section */
        "[message a\n"              /* 2: no ] */
        "[]\n"                      /* 3: empty */
        "[display] extra\n"         /* 4: text after ] */
        "just words\n"              /* 5: no = */
        "= value\n"                 /* 6: no key */
        "[message b]\n"
        "headline = fine\n", INI_ERR_SYNTAX);
    assert_int_equal(diagcap_count(&cap, DIAG_ERROR), 6);
    int want[] = { 1, 2, 3, 4, 5, 6 };
    const char *text[] = { "before any [section]", "missing its closing ']'", "empty section name",
                           "after the section header", "expected '[section]' or 'key = value'",
                           "missing key" };
    for (int i = 0; i < 6; i++) {
        assert_int_equal(cap.msgs[i].line, want[i]);
        assert_non_null(strstr(cap.msgs[i].text, text[i]));
    }
    assert_int_equal(ini_section_count(doc), 1);
    assert_string_equal(entry(doc, 0, 0)->value, "fine");
    ini_free(doc);
}

static void includes_count_where_they_stand(void **state)
{
    (void)state;
    char dir[256];
    tmpdir_make(dir, sizeof dir);
    char sub[300];
    snprintf(sub, sizeof sub, "%s/conf.d", dir);
    assert_int_equal(mkdir(sub, 0755), 0);
    tmpdir_write(dir, "main.ini", "[message first]\nheadline = 1\ninclude = conf.d/*.ini\n"
                                  "[message last]\nheadline = 4\ninclude = other.ini\n");
    tmpdir_write(dir, "conf.d/b.ini", "[message b]\nheadline = 3\n");
    tmpdir_write(dir, "conf.d/a.ini", "\xEF\xBB\xBF[message a]\r\nheadline = 2\r\n");
    tmpdir_write(dir, "conf.d/readme.txt", "[message nope]\n");
    tmpdir_write(dir, "other.ini", "[message other]\nheadline = 5\n");
    char path[300];
    snprintf(path, sizeof path, "%s/main.ini", dir);
    struct diagcap cap;
    diagcap_init(&cap);
    struct ini_doc *doc;
    assert_int_equal(ini_load(&doc, path, 0, &cap.diag), INI_OK);
    const char *order[] = { "message first", "message a", "message b", "message last", "message other" };
    assert_int_equal(ini_section_count(doc), 5);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(ini_section_at(doc, i)->name, order[i]);
    /* Each key names the file it came from. */
    char want[320];
    snprintf(want, sizeof want, "%s/conf.d/a.ini", dir);
    assert_string_equal(entry(doc, 1, 0)->file, want);
    assert_int_equal(entry(doc, 1, 0)->line, 2);
    /* The watch list covers the main file, the include dir pattern and the files. */
    bool saw_glob = false;
    for (size_t i = 0; i < ini_watch_count(doc); i++) {
        const char *d, *pat;
        ini_watch_at(doc, i, &d, &pat);
        if (!strcmp(pat, "*.ini") && !strcmp(d, sub))
            saw_glob = true;
    }
    assert_true(saw_glob);
    ini_free(doc);
    tmpdir_remove(dir);
}

static void include_problems(void **state)
{
    (void)state;
    char dir[256];
    tmpdir_make(dir, sizeof dir);
    tmpdir_write(dir, "main.ini", "[message a]\nheadline = 1\n"
                                  "include = missing.ini\n"         /* 3: error */
                                  "include = nothing/*.ini\n"       /* 4: warning */
                                  "include = loop.ini\n");          /* 5 */
    tmpdir_write(dir, "loop.ini", "[message loop]\nheadline = x\ninclude = main.ini\n");
    char path[300];
    snprintf(path, sizeof path, "%s/main.ini", dir);
    struct diagcap cap;
    diagcap_init(&cap);
    struct ini_doc *doc;
    assert_int_equal(ini_load(&doc, path, 0, &cap.diag), INI_ERR_SYNTAX);
    const struct diagcap_msg *m = diagcap_find(&cap, DIAG_ERROR, "cannot read include 'missing.ini'");
    if (!m)
        m = diagcap_find(&cap, DIAG_ERROR, "missing.ini");
    assert_non_null(m);
    assert_int_equal(m->line, 3);
    assert_string_equal(m->file, path);
    m = diagcap_find(&cap, DIAG_WARN, "matches nothing");
    assert_non_null(m);
    assert_int_equal(m->line, 4);
    m = diagcap_find(&cap, DIAG_ERROR, "include cycle");
    assert_non_null(m);
    assert_int_equal(m->line, 3);                   /* the include line inside loop.ini */
    assert_non_null(strstr(m->file, "loop.ini"));
    ini_free(doc);
    tmpdir_remove(dir);
}

static void unreadable_top_file(void **state)
{
    (void)state;
    struct diagcap cap;
    diagcap_init(&cap);
    struct ini_doc *doc;
    assert_int_equal(ini_load(&doc, "/nonexistent/x.ini", 0, &cap.diag), INI_ERR_IO);
    assert_null(doc);
    assert_non_null(diagcap_find(&cap, DIAG_ERROR, "cannot read the file"));
}

/* What was read, compared with the disk: a file replaced, a file grown, a
 * new match for an include pattern, a file gone; nothing when untouched. */
static void changed_on_disk(void **state)
{
    (void)state;
    char dir[256], path[300], sub[300];
    tmpdir_make(dir, sizeof dir);
    snprintf(sub, sizeof sub, "%s/d", dir);
    mkdir(sub, 0755);
    tmpdir_write(dir, "d/one.ini", "[s]\nk = 1\n");
    tmpdir_write(dir, "main.ini", "[s]\na = 1\ninclude = d/*.ini\ninclude = other.ini\n");
    tmpdir_write(dir, "other.ini", "[t]\nb = 2\n");
    snprintf(path, sizeof path, "%s/main.ini", dir);
    struct ini_doc *doc;
    assert_int_equal(ini_load(&doc, path, 0, NULL), INI_OK);
    assert_false(ini_changed_on_disk(doc));
    tmpdir_write(dir, "d/two.ini", "[s]\nk = 2\n");           /* a new match */
    assert_true(ini_changed_on_disk(doc));
    ini_free(doc);
    assert_int_equal(ini_load(&doc, path, 0, NULL), INI_OK);
    assert_false(ini_changed_on_disk(doc));
    tmpdir_write(dir, "other.ini", "[t]\nb = 22\n");         /* grown */
    assert_true(ini_changed_on_disk(doc));
    ini_free(doc);
    assert_int_equal(ini_load(&doc, path, 0, NULL), INI_OK);
    char from[600], to[600];                                    /* replaced, same size */
    tmpdir_write(dir, "new.ini", "[t]\nb = 33\n");
    snprintf(from, sizeof from, "%s/new.ini", dir);
    snprintf(to, sizeof to, "%s/other.ini", dir);
    assert_int_equal(rename(from, to), 0);
    assert_true(ini_changed_on_disk(doc));
    ini_free(doc);
    assert_int_equal(ini_load(&doc, path, 0, NULL), INI_OK);
    assert_int_equal(remove(to), 0);                            /* gone */
    assert_true(ini_changed_on_disk(doc));
    ini_free(doc);
    tmpdir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sections_keys_and_lines),
        cmocka_unit_test(bom_crlf_fullwidth),
        cmocka_unit_test(no_line_length_limit),
        cmocka_unit_test(gbk_is_refused_with_line),
        cmocka_unit_test(syntax_errors_are_all_reported),
        cmocka_unit_test(includes_count_where_they_stand),
        cmocka_unit_test(include_problems),
        cmocka_unit_test(unreadable_top_file),
        cmocka_unit_test(changed_on_disk),
    };
    return cmocka_run_group_tests_name("ini", tests, NULL, NULL);
}
