# boardgen — generates the firmware's board headers from boards/*.ini, so
# that the board files are the one source of truth:
#
#   awk -v list=firmware-host/boards/board_list.h \
#       -v pins=firmware-host/boards/board_pins.h \
#       -f firmware-host/tools/boardgen.awk boards/*.ini
#
#   board_list.h  every board as an X-macro line (the core's table and
#                 buffer sizes, fwconfig.h)
#   board_pins.h  for every board with a [pins] section (a flashable
#                 controller), its wiring, limits and driver as BOARD_*
#                 macros, selected by -DFW_IMAGE_<ID> (firmware.mk)
#
# A missing or malformed key stops it with FILE:LINE and exit 1. Keys it
# does not know are the host's to warn about (src/transport/board.c).

function fail(msg) {
    printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
    failed = 1
    exit 1
}

function trim(s) {
    sub(/^[ \t]+/, "", s)
    sub(/[ \t\r]+$/, "", s)
    return s
}

function need(key,    v) {
    if (!((n, key) in val)) {
        printf "%s: [%s] needs %s\n", file[n], substr(key, 1, index(key, ".") - 1),
            substr(key, index(key, ".") + 1) > "/dev/stderr"
        failed = 1
        exit 1
    }
    return val[n, key]
}

function get(key, dflt) {
    return ((n, key) in val) ? val[n, key] : dflt
}

function number(key, dflt,    v) {
    v = get(key, dflt)
    if (v !~ /^(0x[0-9a-fA-F]+|-?[0-9]+)$/) {
        printf "%s:%d: %s = '%s': expected a number\n", file[n], line[n, key], key, v > "/dev/stderr"
        failed = 1
        exit 1
    }
    return v
}

function id_of(name,    s) {
    s = toupper(name)
    gsub(/[^A-Z0-9]/, "_", s)
    return s
}

FNR == 1 {
    n++
    file[n] = FILENAME
    section = ""
}

{
    s = $0
    sub(/[#;].*/, "", s)
    s = trim(s)
    if (s == "")
        next
    if (s ~ /^\[[^]]+\]$/) {
        section = substr(s, 2, length(s) - 2)
        has[n, section] = 1
        next
    }
    eq = index(s, "=")
    if (!eq || section == "")
        fail("expected [section] or key = value")
    key = section "." trim(substr(s, 1, eq - 1))
    val[n, key] = trim(substr(s, eq + 1))
    line[n, key] = FNR
}

END {
    if (failed)
        exit 1
    print "/* board_list — generated from boards/NAME.ini by firmware-host/tools/boardgen.awk" > list
    print " * (make regenerates it; do not edit). Every controller + panel combination" > list
    print " * the firmware knows, as X-macros, so one list gives both the run-time table" > list
    print " * (board.c) and the compile-time buffer sizes (fwconfig.h)." > list
    print " *" > list
    print " * X(ID, name, kind, width, height, chain, scan, order, bit_depth," > list
    print " *   brightness, usb_vid, usb_pid, ram_kib)" > list
    print " *" > list
    print " * 1209:0001 is the pid.codes *test* PID: development only. A microcontroller" > list
    print " * image is built for one board: -DFW_BOARD_ONLY=FW_BOARD_<ID>. */" > list
    print "#ifndef FW_BOARD_LIST_H" > list
    print "#define FW_BOARD_LIST_H" > list
    print "" > list
    all = ""
    for (n = 1; n in file; n++) {
        name = need("board.name")
        id = id_of(name)
        iface = need("board.interface")
        if (iface != "hub75" && iface != "hub12") {
            printf "%s:%d: interface = '%s': expected hub75 or hub12\n", file[n],
                line[n, "board.interface"], iface > "/dev/stderr"
            exit 1
        }
        kind = iface == "hub75" ? "FW_PANEL_HUB75" : "FW_PANEL_HUB12"
        printf "#define FW_BOARD_%s(X) X(%s, \"%s\", %s, %s, %s, %s, %s, \"%s\", %s, %s, %s, %s, %s)\n",
            id, id, name, kind, number("board.width"), number("board.height"),
            number("board.chain", 1), number("board.scan"), need("board.colour_order"),
            number("board.bit_depth"), number("board.brightness"), number("usb.vid"),
            number("usb.pid"), number("controller.ram_kib") > list
        all = all " FW_BOARD_" id "(X)"
        if (has[n, "pins"])
            flashable[n] = id
    }
    print "" > list
    print "#define FW_BOARDS_ALL(X)" all > list
    print "" > list
    print "#endif" > list

    print "/* board_pins — generated from boards/NAME.ini by firmware-host/tools/boardgen.awk" > pins
    print " * (make regenerates it; do not edit). For each board with a [pins] section, the" > pins
    print " * wiring, the panel's limits and its driver, as the RP2040 image built with" > pins
    print " * -DFW_IMAGE_<ID> uses them (panel_hw.c, link_led.c). */" > pins
    print "#ifndef FW_BOARD_PINS_H" > pins
    print "#define FW_BOARD_PINS_H" > pins
    print "" > pins
    first = 1
    for (n = 1; n in file; n++) {
        if (!(n in flashable))
            continue
        iface = need("board.interface")
        printf "#%s defined(FW_IMAGE_%s)\n", first ? "if" : "elif", flashable[n] > pins
        first = 0
        printf "#define BOARD_PIN_DATA %s\n", number("pins.data") > pins
        printf "#define BOARD_PIN_ADDR %s\n", number("pins.address") > pins
        printf "#define BOARD_PIN_CLK %s\n", number("pins.clk") > pins
        printf "#define BOARD_PIN_LAT %s\n", number("pins.lat") > pins
        printf "#define BOARD_PIN_OE %s\n", number("pins.oe") > pins
        printf "#define BOARD_PIN_BUTTON %s\n", number("pins.button", "-1") > pins
        if ((n, "pins.led") in val) {
            printf "#define BOARD_PIN_LED_MONO %s\n", number("pins.led") > pins
        } else {
            printf "#define BOARD_PIN_LED_R %s\n", number("pins.led_red") > pins
            printf "#define BOARD_PIN_LED_G %s\n", number("pins.led_green") > pins
            printf "#define BOARD_PIN_LED_B %s\n", number("pins.led_blue") > pins
        }
        active = get("pins.led_active", "low")
        printf "#define BOARD_LED_ACTIVE_LOW %d\n", active == "low" > pins
        oe = get("board.oe_active", iface == "hub12" ? "high" : "low")
        if (oe != "low" && oe != "high") {
            printf "%s:%d: oe_active = '%s': expected low or high\n", file[n],
                line[n, "board.oe_active"], oe > "/dev/stderr"
            exit 1
        }
        printf "#define BOARD_OE_ACTIVE_HIGH %d\n", oe == "high" > pins
        driver = get("board.driver", "generic")
        if (driver != "generic" && driver != "fm6126a") {
            printf "%s:%d: driver = '%s': expected generic or fm6126a\n", file[n],
                line[n, "board.driver"], driver > "/dev/stderr"
            exit 1
        }
        printf "#define BOARD_DRIVER_FM6126A %d\n", driver == "fm6126a" > pins
        printf "#define BOARD_MAX_SHIFT_HZ %su\n", number("limits.max_shift_hz", 25000000) > pins
        printf "#define BOARD_MIN_OE_NS %su\n", number("limits.min_oe_ns", 80) > pins
    }
    if (!first)
        print "#endif" > pins
    print "" > pins
    print "#endif" > pins
}
