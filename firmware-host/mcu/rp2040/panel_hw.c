/* panel_hw — clocks the core's panel output out of PIO0 with DMA, so the
 * CPU never touches a pixel while the panel refreshes.
 *
 *   DMA 0  plane data  -> PIO0 SM0 (data SM)   chains to 1
 *   DMA 1  data_next   -> DMA 0 READ_ADDR_TRIG (restarts 0 on the new buffer)
 *   DMA 2  control     -> PIO0 SM1 (row SM)    chains to 3
 *   DMA 3  control_next-> DMA 2 READ_ADDR_TRIG
 *
 * The pairs run forever without the CPU: one pass of DMA 0 is one full
 * refresh (every plane of every row address), and DMA 1 reads data_next
 * only between passes, so a new frame always starts with a refresh and no
 * refresh mixes two frames. The programs and the timing are panel_prog's.
 *
 * Pins, limits and driver come from the board file (boards/NAME.ini
 * [pins], [limits], driver), generated into board_pins.h for the image's
 * board (-DFW_IMAGE_<ID>); the defaults are the Pimoroni Interstate 75's
 * HUB75 connector, which the Pico HUB12 wiring in docs/hardware.md mirrors
 * (data on GPIO 0, A B on 6 7, CLK 11, LAT 12, OE 13). */
#include "panel_hw.h"

#include "../../boards/board_pins.h"

#include "clocks.h"
#include "panel_hw_state.h"
#include "pio_dma.h"
#include "pio_asm.h"
#include "rp2040.h"

#ifndef BOARD_PIN_DATA
#define BOARD_PIN_DATA 0
#endif
#ifndef BOARD_PIN_ADDR
#define BOARD_PIN_ADDR 6
#endif
#ifndef BOARD_PIN_CLK
#define BOARD_PIN_CLK 11
#endif
#ifndef BOARD_PIN_LAT
#define BOARD_PIN_LAT 12
#endif
#ifndef BOARD_PIN_OE
#define BOARD_PIN_OE 13
#endif
#ifndef BOARD_MAX_SHIFT_HZ
#define BOARD_MAX_SHIFT_HZ 25000000u
#endif
#ifndef BOARD_MIN_OE_NS
#define BOARD_MIN_OE_NS 80u
#endif
#ifndef BOARD_DRIVER_FM6126A
#define BOARD_DRIVER_FM6126A 0
#endif
/* P10 (HUB12) modules light their LEDs while OE is high, HUB75 on low. */
#ifdef BOARD_OE_ACTIVE_HIGH
#define OE_ACTIVE_HIGH(kind) ((void)(kind), BOARD_OE_ACTIVE_HIGH)
#else
#define OE_ACTIVE_HIGH(kind) ((kind) == FW_PANEL_HUB12)
#endif

#if BOARD_PIN_OE != BOARD_PIN_LAT + 1
#error "OE must be the pin after LAT: the row program side-sets them as a pair"
#endif

enum { SM_DATA = 0, SM_ROW = 1 };
enum { DMA_DATA = 0, DMA_DATA_RELOAD = 1, DMA_CONTROL = 2, DMA_CONTROL_RELOAD = 3 };
enum { DATA_BASE = 0, ROW_BASE = PANEL_PROG_DATA_LEN };

/* ---- pins ---------------------------------------------------------------- */

static void pin_to_pio(unsigned pin, bool invert)
{
    REG(PADS_GPIO(pin)) = PADS_IE | PADS_DRIVE_12MA | PADS_SLEWFAST;
    REG(IO_GPIO_CTRL(pin)) = GPIO_FUNC_PIO0 | (invert ? GPIO_OUTOVER_INVERT : 0u);
}

static void pin_to_sio(unsigned pin, bool level)
{
    REG(PADS_GPIO(pin)) = PADS_IE | PADS_DRIVE_12MA | PADS_SLEWFAST;
    REG(level ? SIO_GPIO_OUT_SET : SIO_GPIO_OUT_CLR) = 1u << pin;
    REG(SIO_GPIO_OE_SET) = 1u << pin;
    REG(IO_GPIO_CTRL(pin)) = GPIO_FUNC_SIO;
}

/* Runs one instruction on a stopped state machine. */
static void sm_exec(unsigned sm, uint16_t instr)
{
    REG(PIO_SM_INSTR(sm)) = instr;
}

/* Makes `count` pins from `base` outputs at `level` (bit i for pin base+i),
 * through SET, five pins at a time. */
static void sm_drive(unsigned sm, unsigned base, unsigned count, uint32_t level)
{
    uint32_t pinctrl = REG(PIO_SM_PINCTRL(sm));
    for (unsigned i = 0; i < count; i += 5) {
        unsigned n = count - i < 5 ? count - i : 5;
        REG(PIO_SM_PINCTRL(sm)) = PIO_PIN_SET_BASE(base + i) | PIO_PIN_SET_COUNT(n);
        sm_exec(sm, PIO_SET(PIO_SET_PINS, (level >> i) & 0x1fu));
        sm_exec(sm, PIO_SET(PIO_SET_PINDIRS, 0x1fu));
    }
    REG(PIO_SM_PINCTRL(sm)) = pinctrl;
}

/* ---- FM6126A ----------------------------------------------------------- */

static void short_pause(void)
{
    uint32_t t = REG(TIMER_TIMERAWL);
    while (REG(TIMER_TIMERAWL) - t < 2u)
        ;
}

/* The FM6126A takes a register write as a full row of clocks, bit i % 16
 * of `value` on every data pin, with LAT high from clock width - position
 * + 1 on: 11 clocks select REG1, 12 REG2 (as the drivers that bring these
 * panels up do). Sent with the CPU, once, before PIO takes the pins. */
static void fm6126a_write(const struct panel_pins *pins, unsigned width, uint16_t value,
                          unsigned position)
{
    for (unsigned i = 0; i < width; i++) {
        uint32_t bits = (value >> (i % 16u)) & 1u ? 0x3fu << pins->data : 0u;
        REG(SIO_GPIO_OUT_CLR) = (0x3fu << pins->data) | (1u << pins->clk);
        REG(SIO_GPIO_OUT_SET) = bits;
        REG(i > width - position ? SIO_GPIO_OUT_SET : SIO_GPIO_OUT_CLR) = 1u << pins->lat;
        short_pause();
        REG(SIO_GPIO_OUT_SET) = 1u << pins->clk;
        short_pause();
    }
    REG(SIO_GPIO_OUT_CLR) = (1u << pins->clk) | (1u << pins->lat);
}

static void fm6126a_init(const struct panel_pins *pins, unsigned width)
{
    for (unsigned i = 0; i < 6; i++)
        pin_to_sio(pins->data + i, false);
    pin_to_sio(pins->clk, false);
    pin_to_sio(pins->lat, false);
    pin_to_sio(pins->lat + 1u, true);       /* OE high: dark */
    fm6126a_write(pins, width, 0x7fffu << 1, 12);   /* REG1: all on but bit 0 */
    fm6126a_write(pins, width, 1u << 9, 13);        /* REG2: bit 9 */
}

/* ---- state machines and DMA -------------------------------------------- */

static void load_programs(const struct panel_timing *t)
{
    uint16_t data[PANEL_PROG_DATA_LEN], row[PANEL_PROG_ROW_LEN];
    panel_prog_data(data, t, DATA_BASE);
    panel_prog_row(row, t, ROW_BASE);
    for (unsigned i = 0; i < PANEL_PROG_DATA_LEN; i++)
        REG(PIO_INSTR_MEM(DATA_BASE + i)) = data[i];
    for (unsigned i = 0; i < PANEL_PROG_ROW_LEN; i++)
        REG(PIO_INSTR_MEM(ROW_BASE + i)) = row[i];
}

static void setup_data_sm(const struct panel_hw *p, bool hub75)
{
    const struct panel_timing *t = &p->timing;
    unsigned data_pins = hub75 ? 6u : 1u;
    REG(PIO_SM_CLKDIV(SM_DATA)) = PIO_CLKDIV_INT(t->clkdiv);
    REG(PIO_SM_EXECCTRL(SM_DATA)) = PIO_EXEC_WRAP_TOP(DATA_BASE + PANEL_PROG_DATA_LEN - 1) |
                                    PIO_EXEC_WRAP_BOTTOM(DATA_BASE);
    /* HUB75: a byte a pixel, first pixel in the low byte (shift right).
     * HUB12: MSB first (shift left; DMA swaps the bytes of each word). */
    REG(PIO_SM_SHIFTCTRL(SM_DATA)) = PIO_SHIFT_FJOIN_TX | PIO_SHIFT_PULL_THRESH(0) |
                                     PIO_SHIFT_AUTOPULL | (hub75 ? PIO_SHIFT_OUT_RIGHT : 0u);
    REG(PIO_SM_PINCTRL(SM_DATA)) = PIO_PIN_SIDESET_COUNT(PANEL_PROG_DATA_SIDE) |
                                   PIO_PIN_SIDESET_BASE(p->pins.clk) |
                                   PIO_PIN_OUT_COUNT(data_pins) | PIO_PIN_OUT_BASE(p->pins.data);
    sm_drive(SM_DATA, p->pins.data, data_pins, hub75 ? 0u : 0x1u);
    sm_drive(SM_DATA, p->pins.clk, 1, 0);
    /* Y = clocks per row - 1, kept for good: pull it, then empty the OSR
     * so that the first OUT autopulls plane data. */
    REG(PIO_TXF(SM_DATA)) = t->row_clocks - 1u;
    sm_exec(SM_DATA, PIO_PULL(0, 1));
    sm_exec(SM_DATA, PIO_MOV(PIO_MOV_Y, 0, PIO_MOV_OSR));
    sm_exec(SM_DATA, PIO_OUT(PIO_DST_NULL, 32));
    sm_exec(SM_DATA, PIO_JMP(PIO_COND_ALWAYS, DATA_BASE));
}

static void setup_row_sm(const struct panel_hw *p)
{
    const struct panel_timing *t = &p->timing;
    REG(PIO_SM_CLKDIV(SM_ROW)) = PIO_CLKDIV_INT(1);
    REG(PIO_SM_EXECCTRL(SM_ROW)) = PIO_EXEC_WRAP_TOP(ROW_BASE + PANEL_PROG_ROW_LEN - 1) |
                                   PIO_EXEC_WRAP_BOTTOM(ROW_BASE);
    REG(PIO_SM_SHIFTCTRL(SM_ROW)) = PIO_SHIFT_OUT_RIGHT;
    REG(PIO_SM_PINCTRL(SM_ROW)) = PIO_PIN_SIDESET_COUNT(PANEL_PROG_ROW_SIDE) |
                                  PIO_PIN_SIDESET_BASE(p->pins.lat) |
                                  PIO_PIN_OUT_COUNT(t->addr_bits) | PIO_PIN_OUT_BASE(p->pins.addr);
    sm_drive(SM_ROW, p->pins.addr, t->addr_bits, 0);
    sm_drive(SM_ROW, p->pins.lat, 2, 0x2u);     /* LAT low, OE off */
    sm_exec(SM_ROW, PIO_JMP(PIO_COND_ALWAYS, ROW_BASE));
}

/* One endless stream: channel `ch` copies `words` words into the TX FIFO
 * of state machine `sm`, then chains to `reload`, which reads the address
 * at `next` into ch's READ_ADDR_TRIG and so starts the next pass. */
static void setup_stream(unsigned ch, unsigned reload, unsigned sm, uint32_t words,
                         const volatile uint32_t *next, uint32_t extra)
{
    REG(DMA_WRITE_ADDR(ch)) = PIO_TXF(sm);
    REG(DMA_TRANS_COUNT(ch)) = words;
    REG(DMA_AL1_CTRL(ch)) = DMA_CTRL_EN | DMA_CTRL_SIZE_WORD | DMA_CTRL_INCR_READ |
                            DMA_CTRL_TREQ(DMA_TREQ_PIO0_TX(sm)) | DMA_CTRL_CHAIN_TO(reload) |
                            extra;
    REG(DMA_READ_ADDR(reload)) = (uint32_t)(uintptr_t)next;
    REG(DMA_WRITE_ADDR(reload)) = DMA_AL3_READ_ADDR_TRIG(ch);
    REG(DMA_TRANS_COUNT(reload)) = 1;
    REG(DMA_AL1_CTRL(reload)) = DMA_CTRL_EN | DMA_CTRL_SIZE_WORD |
                                DMA_CTRL_TREQ(DMA_TREQ_PERMANENT) | DMA_CTRL_CHAIN_TO(reload);
}

static void setup_dma(const struct panel_hw *p, bool hub75)
{
    REG(DMA_CHAN_ABORT) = 0xfu;
    /* HUB12 shifts MSB first out of a left-shifting OSR: swap the bytes
     * of each word so the first byte in memory goes out first. */
    setup_stream(DMA_DATA, DMA_DATA_RELOAD, SM_DATA, p->data_words, &p->data_next,
                 hub75 ? 0u : DMA_CTRL_BSWAP);
    setup_stream(DMA_CONTROL, DMA_CONTROL_RELOAD, SM_ROW, p->control_words, &p->control_next, 0u);
}

void panel_hw_init(struct panel_hw *p, const struct fw_board *b)
{
    bool hub75 = b->kind == FW_PANEL_HUB75;
    const struct panel_limits lim = { CLK_SYS_HZ, BOARD_MAX_SHIFT_HZ, BOARD_MIN_OE_NS };
    p->board = b;
    p->pins = (struct panel_pins){
        .data = BOARD_PIN_DATA, .addr = BOARD_PIN_ADDR, .clk = BOARD_PIN_CLK,
        .lat = BOARD_PIN_LAT, .oe_active_high = OE_ACTIVE_HIGH(b->kind),
        .fm6126a = hub75 && BOARD_DRIVER_FM6126A,
    };
    p->running = false;
    p->control_at = 0;
    if (!panel_prog_timing(&p->timing, b, &lim))
        return;                             /* no output: stays dark */
    resets_cycle(RESET_PIO0 | RESET_DMA);
    if (p->pins.fm6126a)
        fm6126a_init(&p->pins, b->width);

    REG(PIO_CTRL) = PIO_CTRL_SM_RESTART(3u) | PIO_CTRL_CLKDIV_RESTART(3u);
    load_programs(&p->timing);
    setup_data_sm(p, hub75);
    setup_row_sm(p);
    unsigned data_pins = hub75 ? 6u : 1u;
    for (unsigned i = 0; i < data_pins; i++)
        pin_to_pio(p->pins.data + i, false);
    for (unsigned i = 0; i < p->timing.addr_bits; i++)
        pin_to_pio(p->pins.addr + i, false);
    pin_to_pio(p->pins.clk, false);
    pin_to_pio(p->pins.lat, false);
    pin_to_pio(p->pins.lat + 1u, p->pins.oe_active_high);

    struct panel_out probe = { .rows = b->scan, .planes = hub75 ? b->bit_depth : 1,
                               .oe_duty = 255 };
    struct panel_prog_cost cost;
    panel_prog_cost(&cost, &p->timing, &probe);
    p->refresh_us = (uint32_t)(cost.refresh * 1000000u / CLK_SYS_HZ) + 1u;
}

static bool dma_reading(unsigned ch, uint32_t start, uint32_t bytes)
{
    uint32_t at = REG(DMA_READ_ADDR(ch));
    return at >= start && at <= start + bytes;
}

/* The next refresh shows `out`. Returns once the DMA reads the new data,
 * so the buffer shown before is free for the core's next frame (or after
 * two refreshes' time, if the DMA is not running). */
void panel_hw_show(struct panel_hw *p, const struct panel_out *out)
{
    if (!p->timing.row_clocks)
        return;
    uint32_t *control = p->control[p->control_at ^ 1u];
    uint32_t words = panel_prog_control(control, &p->timing, out);
    uint32_t data = (uint32_t)(uintptr_t)out->data;
    p->control_at ^= 1u;
    p->data_next = data;
    p->control_next = (uint32_t)(uintptr_t)control;
    if (!p->running) {
        p->data_words = out->bytes / 4u;
        p->control_words = words;
        setup_dma(p, p->board->kind == FW_PANEL_HUB75);
        REG(PIO_CTRL) = PIO_CTRL_SM_ENABLE(3u);
        REG(DMA_MULTI_CHAN_TRIGGER) = (1u << DMA_DATA_RELOAD) | (1u << DMA_CONTROL_RELOAD);
        p->running = true;
    }
    uint32_t start = REG(TIMER_TIMERAWL), limit = 2u * p->refresh_us + 50u;
    while (!(dma_reading(DMA_DATA, data, out->bytes) &&
             dma_reading(DMA_CONTROL, p->control_next, words * 4u)) &&
           REG(TIMER_TIMERAWL) - start < limit)
        ;
}

bool panel_hw_task(struct panel_hw *p)
{
    (void)p;
    return false;
}
