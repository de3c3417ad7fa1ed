/* suggest — "did you mean": the closest known name to a mistyped one, by
 * edit distance ignoring case, within a typo's reach (a third of the
 * candidate's length, at least 2). Plain data, no allocation:
 *
 *   struct suggest s = { "mesage", NULL, 0 };
 *   suggest_try(&s, "message");  ...  s.best is "message" or NULL */
#ifndef LEDTICKER_SUGGEST_H
#define LEDTICKER_SUGGEST_H

#include <stddef.h>

struct suggest {
    const char *word;       /* what was written */
    const char *best;       /* the closest candidate so far, or NULL */
    size_t dist;
};

/* Keeps `candidate` (not copied) when it is the closest so far. */
void suggest_try(struct suggest *s, const char *candidate);

#endif
