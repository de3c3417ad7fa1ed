#include "transport/board.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledproto.h"
#include "transport/transport.h"
#include "util/ini.h"
#include "util/suggest.h"

/* A whole-number value in [lo, hi]; false (with a message) otherwise. */
static bool parse_int(const struct ini_entry *en, long lo, long hi, long *out,
                      const struct diag *d)
{
    char *end;
    errno = 0;
    long v = strtol(en->value, &end, 0);
    if (errno || end == en->value || *end || v < lo || v > hi) {
        diag_emit(d, DIAG_ERROR, en->file, en->line, "%s = '%s': expected a number %ld..%ld",
                  en->key, en->value, lo, hi);
        return false;
    }
    *out = v;
    return true;
}

static bool copy_text(const struct ini_entry *en, char *dst, size_t cap, const struct diag *d)
{
    size_t n = strlen(en->value);
    if (n == 0 || n >= cap) {
        diag_emit(d, DIAG_ERROR, en->file, en->line, "%s = '%s': expected 1..%zu characters",
                  en->key, en->value, cap - 1);
        return false;
    }
    memcpy(dst, en->value, n + 1);
    return true;
}

/* One key of the board file. Unknown keys are left to the firmware's own
 * check (tests/unit/test_board.c); the host needs only these. */
static bool apply_entry(struct board_desc *b, const char *section, const struct ini_entry *en,
                        const struct diag *d)
{
    long v;
    const char *k = en->key;
    if (!strcmp(section, "board")) {
        if (!strcmp(k, "name"))
            return copy_text(en, b->name, sizeof b->name, d);
        if (!strcmp(k, "interface")) {
            if (strcmp(en->value, "hub75") && strcmp(en->value, "hub12")) {
                diag_emit(d, DIAG_ERROR, en->file, en->line,
                          "interface = '%s': expected hub75 or hub12", en->value);
                return false;
            }
            b->single_colour = !strcmp(en->value, "hub12");
            return true;
        }
        if (!strcmp(k, "colour_order"))
            return copy_text(en, b->colour_order, sizeof b->colour_order, d);
        int *field = !strcmp(k, "width") ? &b->width : !strcmp(k, "height") ? &b->height
                   : !strcmp(k, "chain") ? &b->chain : !strcmp(k, "scan") ? &b->scan
                   : !strcmp(k, "bit_depth") ? &b->bit_depth
                   : !strcmp(k, "brightness") ? &b->brightness : NULL;
        /* Width and height within the wire format's limit; chain and scan
         * are never larger than those. */
        long hi = !strcmp(k, "brightness") ? 255 : !strcmp(k, "bit_depth") ? 16
                : (long)LEDPROTO_DIM_MAX;
        if (!field)
            return true;
        if (!parse_int(en, !strcmp(k, "brightness") ? 0 : 1, hi, &v, d))
            return false;
        *field = (int)v;
    } else if (!strcmp(section, "usb") && (!strcmp(k, "vid") || !strcmp(k, "pid"))) {
        if (!parse_int(en, 0, 0xFFFF, &v, d))
            return false;
        *(!strcmp(k, "vid") ? &b->usb_vid : &b->usb_pid) = (uint16_t)v;
    } else if (!strcmp(section, "controller") && !strcmp(k, "ram_kib")) {
        if (!parse_int(en, 1, 1 << 20, &v, d))
            return false;
        b->ram_kib = (int)v;
    }
    return true;
}

int board_load(struct board_desc *out, const char *boards_dir, const char *name,
               const struct diag *d)
{
    memset(out, 0, sizeof *out);
    if (!name || !*name || strchr(name, '/') || name[0] == '.') {
        diag_error(d, "board name '%s': expected a plain name like hub75-128x32",
                   name ? name : "");
        return BOARD_ERR_INVALID;
    }
    if (!boards_dir) {
        diag_error(d, "board '%s': no boards directory found (give --boards-dir DIR or "
                      "set LEDTICKER_BOARDS)", name);
        return BOARD_ERR_NOT_FOUND;
    }
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s.ini", boards_dir, name) >= sizeof path) {
        diag_error(d, "board '%s': path too long", name);
        return BOARD_ERR_INVALID;
    }
    struct ini_doc *doc;
    int rc = ini_load(&doc, path, INI_NO_INCLUDE, d);
    if (rc == INI_ERR_IO) {
        diag_error(d, "%s: no such board (the files in %s name the boards)", path, boards_dir);
        return BOARD_ERR_NOT_FOUND;
    }
    if (rc == INI_ERR_NO_MEM)
        return BOARD_ERR_NO_MEM;
    bool ok = rc == INI_OK;
    for (size_t i = 0; i < ini_section_count(doc); i++) {
        const struct ini_section *s = ini_section_at(doc, i);
        for (size_t j = 0; j < s->count; j++)
            ok &= apply_entry(out, s->name, &s->entries[j], d);
    }
    if (ok && (out->width < 1 || out->height < 1)) {
        diag_emit(d, DIAG_ERROR, path, 0, "[board] needs width and height");
        ok = false;
    }
    if (ok && !*out->name)
        snprintf(out->name, sizeof out->name, "%s", name);
    ini_free(doc);
    return ok ? BOARD_OK : BOARD_ERR_INVALID;
}

/* "; did you mean 'X'?" for the board file of `dir` closest to `name`, or "". */
static void suggest_board(const char *dir, const char *name, char *out, size_t len)
{
    struct suggest s = { name, NULL, 0 };
    char names[64][64];
    size_t count = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) && count < 64) {
        size_t n = strlen(e->d_name);
        if (n > 4 && n < 64 && !strcmp(e->d_name + n - 4, ".ini")) {
            snprintf(names[count], sizeof names[count], "%.*s", (int)(n - 4), e->d_name);
            suggest_try(&s, names[count++]);
        }
    }
    if (d)
        closedir(d);
    snprintf(out, len, "%s%s%s", s.best ? "; did you mean '" : "", s.best ? s.best : "",
             s.best ? "'?" : "");
}

int board_check(const char *boards_dir, const char *name, char *why, size_t len)
{
    char path[4096];
    if (!name || !*name || strchr(name, '/') || name[0] == '.') {
        snprintf(why, len, "board name '%s': expected a plain name like hub75-128x32",
                 name ? name : "");
        return -1;
    }
    if ((size_t)snprintf(path, sizeof path, "%s/%s.ini", boards_dir, name) >= sizeof path ||
        access(path, R_OK) != 0) {
        char hint[128];
        suggest_board(boards_dir, name, hint, sizeof hint);
        snprintf(why, len, "unknown board '%s' (no %s)%s", name, path, hint);
        return -1;
    }
    return 0;
}

void board_to_info(const struct board_desc *b, struct transport_info *info)
{
    memset(info, 0, sizeof *info);
    info->proto_version = LEDPROTO_VERSION;
    info->width = (uint16_t)b->width;
    info->height = (uint16_t)b->height;
    info->pixel_formats = LEDPROTO_FMT_MONO1 | LEDPROTO_FMT_RGB565 | LEDPROTO_FMT_RGB888 |
                          LEDPROTO_FMT_RLE;
    info->bit_depth = (uint8_t)b->bit_depth;
    info->applies_gamma = true;
    snprintf(info->board, sizeof info->board, "%s", b->name);
}

/* The geometry: the board file when the config names a board, else the
 * width and height given. */
int board_geometry(const struct transport_config *cfg, struct transport_info *info,
                       const struct diag *d)
{
    if (cfg->board) {
        struct board_desc b;
        int rc = board_load(&b, cfg->boards_dir, cfg->board, d);
        if (rc == BOARD_ERR_NO_MEM)
            return TRANSPORT_ERR_NO_MEM;
        if (rc)
            return TRANSPORT_ERR_INVALID;
        board_to_info(&b, info);
        return 0;
    }
    if (cfg->width < 1 || cfg->height < 1 || cfg->width > 0xFFFF || cfg->height > 0xFFFF) {
        diag_error(d, "no board given: the output needs [display] board to know the panel size");
        return TRANSPORT_ERR_INVALID;
    }
    struct board_desc b = { .width = cfg->width, .height = cfg->height, .bit_depth = 8 };
    board_to_info(&b, info);
    return 0;
}

const char *board_strerror(int err)
{
    switch (err) {
    case BOARD_OK: return "success";
    case BOARD_ERR_NOT_FOUND: return "no such board";
    case BOARD_ERR_INVALID: return "invalid board description";
    case BOARD_ERR_NO_MEM: return "out of memory";
    default: return "unknown board error";
    }
}
