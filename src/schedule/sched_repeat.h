/* sched_repeat — the repeat layout of a playlist (internal to
 * src/schedule/: sched.c asks it). */
#ifndef LEDTICKER_SCHED_REPEAT_H
#define LEDTICKER_SCHED_REPEAT_H

#include <stddef.h>

/* How many copies of each of n messages (in play order) one cycle keeps,
 * from the copies each wants: keep[i] <= want[i]. Returns the one message
 * that wants more than all the others together and was cut, or n when
 * everything fits. */
size_t sched_repeat_fit(size_t n, const int *want, int *keep);

/* Lays out n >= 2 messages, keep[i] copies each (counts from
 * sched_repeat_fit, L of them in all), into out[0 .. L - 1]: each slot the
 * message playing there, no message twice in a row (the wrap included),
 * each message's copies evenly apart. SCHED_OK, or SCHED_ERR_NO_MEM. */
int sched_repeat_spread(size_t n, const int *keep, size_t L, size_t *out);

#endif
