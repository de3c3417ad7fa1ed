#include "panel_prog.h"

#include "pio_asm.h"

#define SIDE_CLK_LOW  0u
#define SIDE_CLK_HIGH 1u
/* Row SM side-set: bit 0 LAT, bit 1 OE (1 = dark). */
#define SIDE_OFF      2u
#define SIDE_OFF_LAT  3u
#define SIDE_ON       0u

static uint32_t div_up(uint64_t a, uint64_t b)
{
    return (uint32_t)((a + b - 1) / b);
}

static unsigned log2_exact(unsigned v)
{
    unsigned n = 0;
    while ((1u << n) < v)
        n++;
    return (1u << n) == v ? n : 99u;
}

bool panel_prog_timing(struct panel_timing *t, const struct fw_board *b,
                       const struct panel_limits *lim)
{
    if (!lim->sys_hz || !lim->max_shift_hz || !lim->min_oe_ns)
        return false;
    unsigned addr_bits = log2_exact(b->scan);
    if (addr_bits > 5)
        return false;
    /* One shift clock takes `period` PIO cycles; each phase fits the 4-bit
     * delay field (16 cycles) or the clock is divided down. */
    uint32_t period = div_up(lim->sys_hz, lim->max_shift_hz);
    if (period < 2)
        period = 2;
    uint32_t div = div_up(period, 32);
    period = div_up(period, div);
    uint32_t lat = (period / 2) * div;
    *t = (struct panel_timing){
        .clkdiv = (uint16_t)div,
        .clk_low = (uint8_t)((period + 1) / 2),
        .clk_high = (uint8_t)(period / 2),
        .lat = (uint8_t)(lat > 8 ? 8 : lat),
        .t0 = div_up((uint64_t)lim->min_oe_ns * lim->sys_hz, 1000000000u),
        .row_clocks = b->kind == FW_PANEL_HUB75 ? b->width : (uint32_t)b->width * 4u,
        .out_bits = b->kind == FW_PANEL_HUB75 ? 8 : 1,
        .addr_bits = (uint8_t)addr_bits,
    };
    return true;
}

void panel_prog_data(uint16_t out[PANEL_PROG_DATA_LEN], const struct panel_timing *t,
                     unsigned base)
{
    enum { S = PANEL_PROG_DATA_SIDE };
    out[0] = PIO_MOV(PIO_MOV_X, 0u, PIO_MOV_Y) | PIO_SD(S, SIDE_CLK_LOW, 0);
    out[1] = PIO_OUT(PIO_DST_PINS, t->out_bits) | PIO_SD(S, SIDE_CLK_LOW, t->clk_low - 1u);
    out[2] = PIO_JMP(PIO_COND_X_DEC, base + 1) | PIO_SD(S, SIDE_CLK_HIGH, t->clk_high - 1u);
    out[3] = PIO_IRQ(0, 1, 0) | PIO_SD(S, SIDE_CLK_LOW, 0);
}

void panel_prog_row(uint16_t out[PANEL_PROG_ROW_LEN], const struct panel_timing *t,
                    unsigned base)
{
    enum { S = PANEL_PROG_ROW_SIDE };
    out[0] = PIO_PULL(0, 1) | PIO_SD(S, SIDE_OFF, 0);
    out[1] = PIO_WAIT(1, PIO_WAIT_IRQ, 0) | PIO_SD(S, SIDE_OFF, 0);
    out[2] = PIO_OUT(PIO_DST_PINS, 5) | PIO_SD(S, SIDE_OFF_LAT, t->lat - 1u);
    out[3] = PIO_OUT(PIO_DST_X, 27) | PIO_SD(S, SIDE_OFF, 0);
    out[4] = PIO_JMP(PIO_COND_X_DEC, base + 6) | PIO_SD(S, SIDE_OFF, 0);
    out[5] = PIO_JMP(PIO_COND_ALWAYS, base + 0) | PIO_SD(S, SIDE_OFF, 0);
    out[6] = PIO_JMP(PIO_COND_X_DEC, base + 6) | PIO_SD(S, SIDE_ON, 0);
}

/* PIO cycles the data SM needs to shift one row (at divider 1). */
static uint32_t shift_cycles(const struct panel_timing *t)
{
    return t->row_clocks * (uint32_t)(t->clk_low + t->clk_high) * t->clkdiv;
}

/* Cycles a row is lit: HUB75 plane p for t0 << p; a HUB12 row for its
 * brightness's share of the time one row takes to shift, never shorter
 * than the shortest pulse the panel shows. */
static uint32_t lit_cycles(const struct panel_timing *t, const struct panel_out *o,
                           unsigned plane)
{
    if (o->dark || o->oe_duty == 0)
        return 0;
    if (o->planes > 1 || t->out_bits == 8)
        return t->t0 << plane;
    uint32_t on = (uint32_t)(((uint64_t)shift_cycles(t) * o->oe_duty + 127) / 255);
    return on < t->t0 ? t->t0 : on;
}

unsigned panel_prog_control(uint32_t *words, const struct panel_timing *t,
                            const struct panel_out *o)
{
    unsigned n = 0;
    for (unsigned p = 0; p < o->planes; p++) {
        uint32_t lit = lit_cycles(t, o, p);
        for (unsigned r = 0; r < o->rows && n < PANEL_PROG_MAX_CONTROL; r++)
            words[n++] = r | lit << 5;
    }
    return n;
}

void panel_prog_cost(struct panel_prog_cost *c, const struct panel_timing *t,
                     const struct panel_out *o)
{
    /* Data SM per row: mov, the clocks, the IRQ handshake. Row SM per row:
     * pull, wait, latch, out, jmp, then the lit time. */
    uint64_t shift = 2u + shift_cycles(t);
    *c = (struct panel_prog_cost){ 0 };
    for (unsigned p = 0; p < o->planes; p++) {
        uint64_t lit = 4u + t->lat + lit_cycles(t, o, p);
        c->refresh += o->rows * (shift > lit ? shift : lit);
        c->shift_only += o->rows * shift;
        c->oe_only += o->rows * lit;
    }
}
