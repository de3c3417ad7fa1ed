/* diagcap — a struct diag that records messages, for tests that check what
 * a module reported (level, file, line and text). */
#ifndef LEDTICKER_TEST_DIAGCAP_H
#define LEDTICKER_TEST_DIAGCAP_H

#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"

struct diagcap_msg {
    enum diag_level level;
    char file[256];
    int line;
    char text[1024];
};

struct diagcap {
    struct diag diag;           /* pass &cap.diag to the module */
    struct diagcap_msg msgs[256];
    size_t count;
    bool echo;                  /* also print to stderr (set DIAGCAP_ECHO=1) */
};

void diagcap_init(struct diagcap *c);
size_t diagcap_count(const struct diagcap *c, enum diag_level level);
/* The first message of `level` whose text contains `needle`, or NULL. */
const struct diagcap_msg *diagcap_find(const struct diagcap *c, enum diag_level level, const char *needle);

/* A fresh temporary directory and files in it. */
void tmpdir_make(char *out, size_t len);
void tmpdir_write(const char *dir, const char *name, const char *text);
void tmpdir_write_bytes(const char *dir, const char *name, const void *bytes, size_t len);
void tmpdir_remove(const char *dir);

#endif
