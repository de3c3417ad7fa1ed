#include "util/suggest.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

/* Levenshtein distance, ignoring case; names longer than 64 are never close. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return SIZE_MAX;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            size_t best = diag + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

void suggest_try(struct suggest *s, const char *candidate)
{
    size_t d = edit_distance(s->word, candidate);
    size_t reach = strlen(candidate) / 3 > 2 ? strlen(candidate) / 3 : 2;
    if (d <= reach && (!s->best || d < s->dist)) {
        s->best = candidate;
        s->dist = d;
    }
}
