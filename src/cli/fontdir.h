/* fontdir — where the project's fonts/ directory (default.chain, fonts.conf)
 * is, both in a source tree and after `make install`. First found wins:
 *
 *   1. the --fonts-dir option, when given
 *   2. $LEDTICKER_FONTS_DIR
 *   3. next to the executable: BIN/../share/ledticker/fonts (installed),
 *      BIN/../fonts and BIN/../../fonts (build/ and build/san/ in a tree)
 *   4. the directory compiled in: $(PREFIX)/share/ledticker/fonts
 *
 * A directory counts when it holds default.chain. */
#ifndef LEDTICKER_FONTDIR_H
#define LEDTICKER_FONTDIR_H

#include <stddef.h>

/* Writes the directory into buf. Returns 0, or -1 when none is found (buf
 * then holds a list of the places tried, for the error message). An explicit
 * `option` that lacks default.chain is an error, not skipped. */
int fontdir_find(const char *option, char *buf, size_t len);

#endif
