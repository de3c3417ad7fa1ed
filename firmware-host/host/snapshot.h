/* snapshot — a controller's front buffer as a PNG: 1:1 pixels, or round
 * LED dots as an onlooker would see the panel. */
#ifndef LEDSIM_SNAPSHOT_H
#define LEDSIM_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>

struct fw;

/* Writes path; on failure returns -1 with a message in err (cap bytes). */
int snapshot_write_png(const struct fw *fw, const char *path, bool raw, char *err, size_t cap);

#endif
