/* ini — the INI reader shared by the schedule config and the board files.
 *
 * Syntax, in the style of systemd unit files:
 *
 *   # comment            ; comment      (whole lines only: '#' in a value is text)
 *   [section name]
 *   key = value          (the full-width ＝ that Chinese input methods type
 *                         works too; the value is everything after it, trimmed)
 *   include = other.ini  a drop-in: a file or a glob (conf.d/NAME*.ini), relative
 *                        to the including file. Matches are read in name
 *                        order, where the include line stands.
 *
 * Files are UTF-8; a BOM and CRLF line ends are accepted, and lines have no
 * length limit. A file that is not UTF-8 (GBK, say) is refused at its first
 * bad line with a message to save it as UTF-8. Every section and key keeps
 * the file and line it came from.
 *
 * The reader knows no section or key names; that is the caller's job. It
 * reports problems through a struct diag and goes on, so that one run finds
 * every problem. */
#ifndef LEDTICKER_INI_H
#define LEDTICKER_INI_H

#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"

enum ini_error {
    INI_OK = 0,
    INI_ERR_SYNTAX = -1,    /* at least one error was reported; the document holds the rest */
    INI_ERR_IO = -2,        /* the top file cannot be read; no document */
    INI_ERR_NO_MEM = -3,
};

struct ini_entry {
    const char *key;
    const char *value;
    const char *file;       /* as named in messages: the path the user gave, or the include's */
    int line;
};

struct ini_section {
    const char *name;       /* the text between [ and ], trimmed */
    const char *file;
    int line;
    const struct ini_entry *entries;
    size_t count;
};

/* Flags for ini_load / ini_parse. */
#define INI_NO_INCLUDE 1u   /* treat include = like any key (for fuzzing) */
#define INI_CONFINE 2u      /* ini_load: an include must resolve (realpath) inside the
                               top file's directory (a fleet bundle reads only itself) */

struct ini_doc;

/* Reads `path` and its includes. On INI_OK or INI_ERR_SYNTAX *out holds the
 * document (free it with ini_free); otherwise *out is NULL. */
int  ini_load(struct ini_doc **out, const char *path, unsigned flags, const struct diag *d);
/* Parses text in memory; `name` names it in messages and anchors includes. */
int  ini_parse(struct ini_doc **out, const char *name, const char *text, size_t len,
               unsigned flags, const struct diag *d);
void ini_free(struct ini_doc *doc);

size_t ini_section_count(const struct ini_doc *doc);
const struct ini_section *ini_section_at(const struct ini_doc *doc, size_t i);

/* What a watcher must look at to notice a change: every file read and every
 * include pattern, as (directory, name pattern) pairs. The pattern is a
 * plain name for a file, or a glob for an include pattern. */
size_t ini_watch_count(const struct ini_doc *doc);
void   ini_watch_at(const struct ini_doc *doc, size_t i, const char **dir, const char **pattern);

/* Adds a file the caller read on the document's behalf (a summary_file). */
void   ini_watch_add(struct ini_doc *doc, const char *path);

/* What was read, as it was on disk: the reader notes every file it reads
 * (fstat of the open file, before reading) and the files each include
 * pattern matched. ini_note_read is for files a caller read on the
 * document's behalf; `st` NULL means it was not there. ini_changed_on_disk
 * says whether any of them differs now (inode, size, mtime, ctime, being
 * there at all, or what a pattern matches): a save that landed after the
 * read, which a watcher that started later would never hear of. */
struct stat;
/* Every file read (the top file, includes, files noted by the caller), as
 * named when read: ini_file_at is NULL for an entry that is not a file
 * read (an include pattern, a file that was not there); skip those. */
size_t ini_file_count(const struct ini_doc *doc);
const char *ini_file_at(const struct ini_doc *doc, size_t i);
void   ini_note_read(struct ini_doc *doc, const char *path, const struct stat *st);
bool   ini_changed_on_disk(const struct ini_doc *doc);

/* Copies a string into the document's storage, so that it lives as long
 * as the document (for callers that derive strings from values). */
const char *ini_intern(struct ini_doc *doc, const char *s, size_t len);

const char *ini_strerror(int err);

#endif
