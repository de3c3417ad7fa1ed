/* sched_repeat — where the copies of `repeat = N` messages go in a cycle
 * (docs/config.md, "Repeats"): how many fit, and an even spread of them.
 * Pure arithmetic on counts, split from sched.c, which asks it once per
 * playlist. */
#include "schedule/sched_repeat.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "schedule/sched.h"

/* How many copies of each of n messages (in play order) one cycle keeps
 * (docs/config.md, "Repeats"). A copy needs a copy of another message
 * after it, the wrap included, so no message can have more than half the
 * cycle, and with that every choice of counts can be laid out. So all
 * copies fit unless one message wants more than all the others together
 * (only one can); that one keeps as many as they have, which is the most
 * copies in all: dropping any other copy would cost one of its own too.
 * Returns that message, or n when everything fits. */
size_t sched_repeat_fit(size_t n, const int *want, int *keep)
{
    size_t total = 0, big = 0;
    for (size_t i = 0; i < n; i++) {
        keep[i] = want[i];
        total += (size_t)want[i];
        if (want[i] > want[big])
            big = i;
    }
    size_t others = total - (size_t)want[big];
    if (n < 2 || (size_t)want[big] <= others)
        return n;
    keep[big] = (int)others;
    return big;
}

/* Where copy k of message i would ideally stand: i/n + k/keep_i of the
 * cycle (first copies spread evenly, each message's copies evenly from its
 * first), as the exact fraction num/den. */
struct copy {
    int64_t num, den;
    size_t msg;
    int k;
};

static bool sooner(const struct copy *a, const struct copy *b)
{
    int64_t l = a->num * b->den, r = b->num * a->den;   /* < 2^60 for any real config */
    if (l != r)
        return l < r;
    if (a->k != b->k)
        return a->k < b->k;                             /* first copies before extras */
    return a->msg < b->msg;
}

/* The layout under way. Greedy, one slot at a time, never into a dead end:
 * with `after` slots still to fill behind this one, a message with t copies
 * left has room only while 2t - 1 <= after (2t <= after when it is also
 * the message in slot 0, which the wrap joins to the last slot); those
 * bounds are all that limits a layout whose first copies keep their order,
 * so the slot goes to the message that would break its bound, or else to
 * the copy nearest its ideal place. */
struct layout {
    size_t n;
    const int *keep;
    int *left;                  /* copies still to place */
    int *queued;                /* the copy k of each message in the heap, or -1 */
    size_t *by_left;            /* how many messages have t copies left */
    int maxleft;
    size_t next;                /* the next first copy due, in play order */
    size_t prev;                /* the message in the slot before */
    struct copy *heap;
    size_t nheap;
};

static void heap_push(struct layout *ly, size_t i)
{
    int k = ly->keep[i] - ly->left[i];
    if (!ly->left[i] || ly->queued[i] == k)
        return;
    ly->queued[i] = k;
    struct copy c = { (int64_t)i * ly->keep[i] + (int64_t)k * (int64_t)ly->n,
                      (int64_t)ly->n * ly->keep[i], i, k };
    size_t j = ly->nheap++;
    for (; j && sooner(&c, &ly->heap[(j - 1) / 2]); j = (j - 1) / 2)
        ly->heap[j] = ly->heap[(j - 1) / 2];
    ly->heap[j] = c;
}

static struct copy heap_pop(struct layout *ly)
{
    struct copy top = ly->heap[0], last = ly->heap[--ly->nheap];
    size_t j = 0;
    for (;;) {
        size_t c = 2 * j + 1;
        if (c >= ly->nheap)
            break;
        if (c + 1 < ly->nheap && sooner(&ly->heap[c + 1], &ly->heap[c]))
            c++;
        if (!sooner(&ly->heap[c], &last))
            break;
        ly->heap[j] = ly->heap[c];
        j = c;
    }
    if (ly->nheap)
        ly->heap[j] = last;
    return top;
}

/* A message may take a slot only if that keeps the first copies in play
 * order: it has started, or its first copy is next, or it keeps a copy
 * for its own turn. */
static bool may_go(const struct layout *ly, size_t i)
{
    return ly->left[i] && (i <= ly->next || ly->left[i] >= 2);
}

/* The message that must take this slot, or SIZE_MAX. */
static size_t forced(struct layout *ly, size_t after)
{
    while (ly->maxleft > 0 && !ly->by_left[ly->maxleft])
        ly->maxleft--;
    if ((size_t)(2 * ly->maxleft) <= after)
        return SIZE_MAX;                    /* the largest bound holds: no hurry */
    for (size_t i = 0; i < ly->n; i++)
        if (ly->left[i] && (size_t)(2 * ly->left[i] - 1 + (i == 0)) > after)
            return i;
    return SIZE_MAX;
}

/* The waiting copy nearest its ideal place that may take this slot. */
static size_t nearest(struct layout *ly, bool last)
{
    size_t skipped[2], nskipped = 0, pick = SIZE_MAX;
    while (ly->nheap && pick == SIZE_MAX) {
        struct copy c = heap_pop(ly);
        size_t i = c.msg;
        if (ly->queued[i] != c.k || c.k != ly->keep[i] - ly->left[i])
            continue;                       /* stale: that copy went already */
        ly->queued[i] = -1;
        if (!may_go(ly, i))
            continue;                       /* queued again when its turn comes */
        if (i == ly->prev || (last && i == 0))
            skipped[nskipped++] = i;        /* at most these two */
        else
            pick = i;
    }
    for (size_t j = 0; j < nskipped; j++)
        heap_push(ly, skipped[j]);
    return pick;
}

static void place(struct layout *ly, size_t i)
{
    ly->by_left[ly->left[i]]--;
    ly->left[i]--;
    ly->by_left[ly->left[i]]++;
    if (i == ly->next && ++ly->next < ly->n)
        heap_push(ly, ly->next);
    if (may_go(ly, i))
        heap_push(ly, i);
    ly->prev = i;
}

/* Lays out n >= 2 messages, keep[i] copies each (counts from sched_repeat_fit),
 * into out[0 .. sum keep - 1]. SCHED_OK, or SCHED_ERR_NO_MEM. */
int sched_repeat_spread(size_t n, const int *keep, size_t L, size_t *out)
{
    int maxkeep = 0;
    for (size_t i = 0; i < n; i++)
        maxkeep = keep[i] > maxkeep ? keep[i] : maxkeep;
    struct layout ly = { .n = n, .keep = keep, .maxleft = maxkeep };
    ly.left = malloc(n * sizeof *ly.left);
    ly.queued = malloc(n * sizeof *ly.queued);
    ly.by_left = calloc((size_t)maxkeep + 1, sizeof *ly.by_left);
    /* At most: one entry per message at the start, one per first copy that
     * comes due, one per placed copy. */
    ly.heap = malloc((L + 2 * n + 2) * sizeof *ly.heap);
    int rc = SCHED_ERR_NO_MEM;
    if (ly.left && ly.queued && ly.by_left && ly.heap) {
        for (size_t i = 0; i < n; i++) {
            ly.left[i] = keep[i];
            ly.queued[i] = -1;
            ly.by_left[keep[i]]++;
        }
        for (size_t i = 0; i < n; i++)
            if (may_go(&ly, i))
                heap_push(&ly, i);
        rc = SCHED_OK;
        for (size_t slot = 0; slot < L; slot++) {
            size_t pick = slot == 0 ? 0 : forced(&ly, L - slot - 1);
            if (pick == SIZE_MAX)
                pick = nearest(&ly, slot == L - 1);
            if (pick == SIZE_MAX || (slot && pick == ly.prev) || !may_go(&ly, pick)) {
                /* Cannot happen (the bounds above are exact; the property
                 * test tries every small case): play each message once. */
                for (size_t i = 0; i < L; i++)
                    out[i] = i < n ? i : SIZE_MAX;
                break;
            }
            place(&ly, pick);
            out[slot] = pick;
        }
    }
    free(ly.left);
    free(ly.queued);
    free(ly.by_left);
    free(ly.heap);
    return rc;
}

