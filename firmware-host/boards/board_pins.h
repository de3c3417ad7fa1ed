/* board_pins — generated from boards/NAME.ini by firmware-host/tools/boardgen.awk
 * (make regenerates it; do not edit). For each board with a [pins] section, the
 * wiring, the panel's limits and its driver, as the RP2040 image built with
 * -DFW_IMAGE_<ID> uses them (panel_hw.c, link_led.c). */
#ifndef FW_BOARD_PINS_H
#define FW_BOARD_PINS_H

#if defined(FW_IMAGE_INTERSTATE75_128X32)
#define BOARD_PIN_DATA 0
#define BOARD_PIN_ADDR 6
#define BOARD_PIN_CLK 11
#define BOARD_PIN_LAT 12
#define BOARD_PIN_OE 13
#define BOARD_PIN_BUTTON 14
#define BOARD_PIN_LED_R 16
#define BOARD_PIN_LED_G 17
#define BOARD_PIN_LED_B 18
#define BOARD_LED_ACTIVE_LOW 1
#define BOARD_OE_ACTIVE_HIGH 0
#define BOARD_DRIVER_FM6126A 0
#define BOARD_MAX_SHIFT_HZ 25000000u
#define BOARD_MIN_OE_NS 80u
#elif defined(FW_IMAGE_INTERSTATE75_64X32_FM6126A)
#define BOARD_PIN_DATA 0
#define BOARD_PIN_ADDR 6
#define BOARD_PIN_CLK 11
#define BOARD_PIN_LAT 12
#define BOARD_PIN_OE 13
#define BOARD_PIN_BUTTON 14
#define BOARD_PIN_LED_R 16
#define BOARD_PIN_LED_G 17
#define BOARD_PIN_LED_B 18
#define BOARD_LED_ACTIVE_LOW 1
#define BOARD_OE_ACTIVE_HIGH 0
#define BOARD_DRIVER_FM6126A 1
#define BOARD_MAX_SHIFT_HZ 25000000u
#define BOARD_MIN_OE_NS 80u
#elif defined(FW_IMAGE_INTERSTATE75_64X32)
#define BOARD_PIN_DATA 0
#define BOARD_PIN_ADDR 6
#define BOARD_PIN_CLK 11
#define BOARD_PIN_LAT 12
#define BOARD_PIN_OE 13
#define BOARD_PIN_BUTTON 14
#define BOARD_PIN_LED_R 16
#define BOARD_PIN_LED_G 17
#define BOARD_PIN_LED_B 18
#define BOARD_LED_ACTIVE_LOW 1
#define BOARD_OE_ACTIVE_HIGH 0
#define BOARD_DRIVER_FM6126A 0
#define BOARD_MAX_SHIFT_HZ 25000000u
#define BOARD_MIN_OE_NS 80u
#elif defined(FW_IMAGE_PICO_P10_128X16)
#define BOARD_PIN_DATA 0
#define BOARD_PIN_ADDR 6
#define BOARD_PIN_CLK 11
#define BOARD_PIN_LAT 12
#define BOARD_PIN_OE 13
#define BOARD_PIN_BUTTON -1
#define BOARD_PIN_LED_MONO 25
#define BOARD_LED_ACTIVE_LOW 0
#define BOARD_OE_ACTIVE_HIGH 1
#define BOARD_DRIVER_FM6126A 0
#define BOARD_MAX_SHIFT_HZ 25000000u
#define BOARD_MIN_OE_NS 80u
#endif

#endif
