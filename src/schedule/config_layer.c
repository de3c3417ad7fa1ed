/* config_layer — fleet bundles laid over the local config, and the list of
 * every file a config read (what `publish` packs).
 *
 * A layer is a bundle's root file (bundle.ini), read after the local
 * config. It may say [message ID] and [calendar YEAR], never [display] or
 * [fleet] (config.c refuses those sections), and it may read no file
 * outside its own directory: includes are confined by the INI reader
 * (INI_CONFINE), summary files here. A missing root is an absent layer. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "schedule/calendar.h"
#include "schedule/config_internal.h"

/* Loads every layer's document. Problems are reported through d; returns
 * INI_OK, INI_ERR_SYNTAX when some layer has errors, INI_ERR_NO_MEM. */
int config_layers_load(struct config *cfg, const struct config_options *opt,
                       const struct diag *d)
{
    if (!opt || !opt->layer_count)
        return INI_OK;
    cfg->layers = calloc(opt->layer_count, sizeof *cfg->layers);
    if (!cfg->layers)
        return INI_ERR_NO_MEM;
    int worst = INI_OK;
    for (size_t i = 0; i < opt->layer_count; i++) {
        const struct config_layer *l = &opt->layers[i];
        struct stat st;
        if (stat(l->path, &st) != 0 && errno == ENOENT)
            continue;                   /* no bundle yet, or withdrawn */
        char *real = realpath(l->path, NULL);
        char *slash = real ? strrchr(real, '/') : NULL;
        if (!slash) {
            diag_emit(d, DIAG_ERROR, l->path, 0, "cannot read %s: %s", l->name, strerror(errno));
            free(real);
            worst = INI_ERR_SYNTAX;
            continue;
        }
        *slash = '\0';
        struct ini_doc *doc;
        int rc = ini_load(&doc, l->path, INI_CONFINE | (opt->sandbox ? INI_NO_INCLUDE : 0), d);
        if (rc == INI_ERR_NO_MEM || rc == INI_ERR_IO) {
            free(real);
            if (rc == INI_ERR_NO_MEM)
                return rc;
            worst = INI_ERR_SYNTAX;
            continue;
        }
        struct config_layer_doc *ld = &cfg->layers[cfg->nlayers++];
        ld->doc = doc;
        ld->name = ini_intern(doc, l->name, strlen(l->name));
        ld->dir = ini_intern(doc, real, strlen(real));
        free(real);
        if (rc != INI_OK)
            worst = INI_ERR_SYNTAX;
    }
    return worst;
}

struct calendar *config_layer_calendar_push(struct config *cfg)
{
    void *p = realloc(cfg->layer_calendars, (cfg->nlayer_calendars + 1) * sizeof *cfg->layer_calendars);
    if (!p)
        return NULL;
    cfg->layer_calendars = p;
    struct calendar *cal = calendar_new(config_calendar_top(cfg));
    if (cal)
        cfg->layer_calendars[cfg->nlayer_calendars++] = cal;
    return cal;
}

struct calendar *config_calendar_top(const struct config *cfg)
{
    return cfg->nlayer_calendars ? cfg->layer_calendars[cfg->nlayer_calendars - 1] : cfg->calendar;
}

void config_layers_free(struct config *cfg)
{
    for (size_t i = 0; i < cfg->nlayers; i++)
        ini_free(cfg->layers[i].doc);
    free(cfg->layers);
    for (size_t i = 0; i < cfg->nlayer_calendars; i++)
        calendar_free(cfg->layer_calendars[i]);
    free(cfg->layer_calendars);
    free(cfg->files);
}

/* Does `path` resolve inside the layer's directory? A path that does not
 * resolve (a missing file) is let through: reading it fails by itself. */
bool config_layer_inside(const struct config_layer_doc *l, const char *path)
{
    char *real = realpath(path, NULL);
    if (!real)
        return true;
    size_t n = strlen(l->dir);
    bool inside = !strncmp(real, l->dir, n) && real[n] == '/';
    free(real);
    return inside;
}

static int add_files(struct config *cfg, size_t *cap, const struct ini_doc *doc)
{
    for (size_t i = 0; i < ini_file_count(doc); i++) {
        const char *path = ini_file_at(doc, i);
        char *real = path ? realpath(path, NULL) : NULL;
        if (!real)
            continue;                   /* gone since: the list names what exists */
        bool seen = false;
        for (size_t j = 0; j < cfg->nfiles && !seen; j++)
            seen = !strcmp(cfg->files[j], real);
        if (!seen) {
            if (cfg->nfiles == *cap) {
                size_t c = *cap ? *cap * 2 : 8;
                void *p = realloc(cfg->files, c * sizeof *cfg->files);
                if (!p) {
                    free(real);
                    return -1;
                }
                cfg->files = p;
                *cap = c;
            }
            cfg->files[cfg->nfiles++] = ini_intern(cfg->doc, real, strlen(real));
        }
        free(real);
    }
    return 0;
}

int config_files_collect(struct config *cfg)
{
    size_t cap = 0;
    if (add_files(cfg, &cap, cfg->doc) < 0)
        return -1;
    for (size_t i = 0; i < cfg->nlayers; i++)
        if (add_files(cfg, &cap, cfg->layers[i].doc) < 0)
            return -1;
    return 0;
}

size_t config_file_count(const struct config *cfg)
{
    return cfg->nfiles;
}

const char *config_file_at(const struct config *cfg, size_t i)
{
    return i < cfg->nfiles ? cfg->files[i] : NULL;
}

bool config_layers_changed_on_disk(const struct config *cfg)
{
    for (size_t i = 0; i < cfg->nlayers; i++)
        if (ini_changed_on_disk(cfg->layers[i].doc))
            return true;
    return false;
}
