#include "link_led.h"

#include "rp2040.h"

/* The board file's LED (firmware-host/boards/board_pins.h): an RGB LED
 * (the Interstate 75's, active low), or one plain LED (`led =`, the Pico's
 * on GPIO 25), which blinks the states instead: on = streaming, 1 Hz =
 * connected or silent, 5 Hz = error, off = no host. Without a board file,
 * the Interstate 75's. */
#include "../../boards/board_pins.h"
#if defined(BOARD_PIN_LED_MONO)
#define LED_MONO 1
#define BOARD_PIN_LED_R BOARD_PIN_LED_MONO
#define BOARD_PIN_LED_G BOARD_PIN_LED_MONO
#define BOARD_PIN_LED_B BOARD_PIN_LED_MONO
#else
#define LED_MONO 0
#ifndef BOARD_PIN_LED_R
#define BOARD_PIN_LED_R 16
#define BOARD_PIN_LED_G 17
#define BOARD_PIN_LED_B 18
#endif
#endif
#ifndef BOARD_LED_ACTIVE_LOW
#define BOARD_LED_ACTIVE_LOW 1
#endif

/* R, G, B on or off for each state. */
static const uint8_t colour[] = {
    [LINK_OFF] = 0,
    [LINK_CONNECTED] = 4,           /* blue */
    [LINK_STREAMING] = 2,           /* green */
    [LINK_SILENT] = 3,              /* amber: red + green */
    [LINK_ERROR] = 1,               /* red */
};

static void set_pin(const struct link_led *l, uint8_t pin, bool on)
{
    REG(on != l->active_low ? SIO_GPIO_OUT_SET : SIO_GPIO_OUT_CLR) = 1u << pin;
}

static void drive(const struct link_led *l, enum link_state s, uint32_t now_ms)
{
    if (l->mono) {
        uint32_t half = s == LINK_ERROR ? 100u : 500u;
        bool blink = (now_ms / half) & 1u;
        set_pin(l, l->pin_g, s == LINK_STREAMING || (s != LINK_OFF && blink));
        return;
    }
    set_pin(l, l->pin_r, colour[s] & 1u);
    set_pin(l, l->pin_g, colour[s] & 2u);
    set_pin(l, l->pin_b, colour[s] & 4u);
}

static void pin_out(uint8_t pin)
{
    REG(PADS_GPIO(pin)) = PADS_IE;
    REG(SIO_GPIO_OE_SET) = 1u << pin;
    REG(IO_GPIO_CTRL(pin)) = GPIO_FUNC_SIO;
}

void link_led_init(struct link_led *l)
{
    *l = (struct link_led){
        .mono = LED_MONO,
        .active_low = BOARD_LED_ACTIVE_LOW,
        .pin_r = (uint8_t)BOARD_PIN_LED_R,
        .pin_g = (uint8_t)BOARD_PIN_LED_G,
        .pin_b = (uint8_t)BOARD_PIN_LED_B,
        .shown = LINK_OFF,
    };
    drive(l, LINK_OFF, 0);
    pin_out(l->pin_r);
    pin_out(l->pin_g);
    pin_out(l->pin_b);
}

static uint32_t error_count(const struct fw *fw)
{
    const struct proto_counters *c = &fw->dec.count;
    return c->crc_errors + c->bad_opcode + c->bad_length + c->bad_field + c->bytes_skipped +
           fw->overflows;
}

enum link_state link_led_state(struct link_led *l, const struct fw *fw, bool configured,
                               uint32_t now_ms)
{
    uint32_t errors = error_count(fw);
    if (errors != l->errors_seen) {
        l->errors_seen = errors;
        l->error_at_ms = now_ms;
        l->error = true;
    } else if (l->error && now_ms - l->error_at_ms >= LINK_LED_ERROR_MS) {
        l->error = false;
    }
    if (!configured)
        return LINK_OFF;
    if (l->error)
        return LINK_ERROR;
    if (fw->silent || fw->notice)
        return LINK_SILENT;
    return fw->presented ? LINK_STREAMING : LINK_CONNECTED;
}

void link_led_update(struct link_led *l, const struct fw *fw, bool configured, uint32_t now_ms)
{
    enum link_state s = link_led_state(l, fw, configured, now_ms);
    if (s != l->shown || l->mono)
        drive(l, s, now_ms);
    l->shown = s;
}
