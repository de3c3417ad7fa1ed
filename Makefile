# ledticker — GNU Make build.
#
#   make            build build/ledticker and build/ledsim
#   make run        play examples/lishi.ini on the simulated panel
#   make test       unit tests (cmocka), fuzz regression corpora, end-to-end tests
#   make SANITIZE=1 test   the same under ASan + UBSan (objects go to build/san)
#   make bench      benchmarks (prints figures next to their goals)
#   make fuzz       libFuzzer targets (clang), FUZZ_SECONDS each
#   make golden     regenerate golden images under tests/golden
#   make firmware-size   firmware core for Cortex-M0+, flash and RAM use
#   make firmware   the RP2040 images build/firmware/ledctl-BOARD.uf2 (.elf, .map)
#
# Every target that needs Debian packages installs the missing ones itself
# through packaging/deps.sh, which checks dpkg first and costs nothing when
# everything is there. Set NODEPS=1 to skip that step.

PKG_CONFIG ?= pkg-config
# The one version number: the package's changelog (ledticker --version says
# the same; tests/e2e/deb.sh checks it).
VERSION := $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' packaging/debian/changelog)
PREFIX  ?= /usr/local
DESTDIR ?=

# gobject-2.0: src/schedule/lunar.c releases liblunar-date's GLib objects and strings itself.
LIBS_PC := freetype2 harfbuzz fontconfig libpng libusb-1.0 libsystemd lunar-date-3.0 gobject-2.0 libsodium libmosquitto json-c
TEST_PC := cmocka

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-missing-field-initializers
CSTD    := -std=c11 -D_GNU_SOURCE
OPT     ?= -O2 -g

ifeq ($(SANITIZE),1)
BUILD   := build/san
SANFLAGS:= -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT     := -O1 -g
else
BUILD   := build
SANFLAGS:=
endif

# One short line per step (CC src/text/strip.c); make V=1 prints the commands.
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2)
endif

pc_cflags = $(shell $(PKG_CONFIG) --cflags $(1) 2>/dev/null)
pc_libs   = $(shell $(PKG_CONFIG) --libs $(1) 2>/dev/null)

# giflib ships no pkg-config file in Debian 12; it lives in the default paths.
GIF_LIBS := $(or $(shell $(PKG_CONFIG) --libs giflib 2>/dev/null),-lgif)

CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) $(SANFLAGS) $(CPPFLAGS) -pthread -Isrc -Ifirmware-host/include -Ifirmware-host/core \
             $(call pc_cflags,$(LIBS_PC)) $(CFLAGS)
LDLIBS_ALL = $(call pc_libs,$(LIBS_PC)) $(GIF_LIBS) -lm -pthread $(LDLIBS)
LDFLAGS_ALL= $(SANFLAGS) $(LDFLAGS)

# Firmware core: portable C99, no libc beyond memcpy/memset, no malloc.
FW_CFLAGS = -std=c99 $(WARN) $(OPT) $(SANFLAGS) $(CPPFLAGS) -Ifirmware-host/include -Ifirmware-host/core $(CFLAGS)

SRC_ALL   := $(shell find src -name '*.c' | LC_ALL=C sort)
SRC_MAIN  := src/main.c
SRC_LIB   := $(filter-out $(SRC_MAIN),$(SRC_ALL))
FW_CORE   := $(sort $(wildcard firmware-host/core/*.c))
# The host-computable half of the RP2040 panel driver (PIO programs, BCM
# timing), in libfwcore too: unit tests and tests/tools check it on the PC.
FW_PORT_HOST := firmware-host/mcu/rp2040/panel_prog.c
FW_HOST   := $(sort $(wildcard firmware-host/host/*.c))
TEST_SUP  := $(sort $(wildcard tests/support/*.c))
TEST_SRC  := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
BENCH_SRC := $(sort $(wildcard tests/bench/bench_*.c))
TOOL_SRC  := $(sort $(wildcard tests/tools/*.c))

LIB_OBJ   := $(SRC_LIB:%.c=$(BUILD)/obj/%.o)
FW_OBJ    := $(FW_CORE:%.c=$(BUILD)/obj/%.o) $(FW_PORT_HOST:%.c=$(BUILD)/obj/%.o)
TEST_BINS := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_BINS:= $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)
TOOL_BINS := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tests/tools/%)
REPLAY_BINS := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=$(BUILD)/tests/replay_%)
FUZZ_BINS := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=build/fuzz/fuzz_%)

LIBLED    := $(BUILD)/libledticker.a
LIBFW     := $(BUILD)/libfwcore.a

# Keep every file built, objects of tests/support included: as make's
# "intermediate" files they were deleted after each run, and a second
# `make test` recompiled them and relinked every test binary.
.SECONDARY:
.DELETE_ON_ERROR:

.PHONY: deb all deps run test unit e2e fuzz-regress bench fuzz golden firmware-size install clean fw-test
.DEFAULT_GOAL := all

all: deps $(BOARD_GEN) $(BUILD)/ledticker $(if $(FW_HOST),$(BUILD)/ledsim)

# The firmware's board headers, generated from the board files (boards/*.ini,
# the one source of truth) by firmware-host/tools/boardgen.awk. Checked in,
# so that a fresh clone builds; make regenerates them when a board changes.
BOARD_INI := $(sort $(wildcard boards/*.ini))
BOARD_GEN := firmware-host/boards/board_list.h firmware-host/boards/board_pins.h
$(BOARD_GEN) &: $(BOARD_INI) firmware-host/tools/boardgen.awk
	awk -v list=firmware-host/boards/board_list.h.tmp -v pins=firmware-host/boards/board_pins.h.tmp \
	    -f firmware-host/tools/boardgen.awk $(BOARD_INI)
	mv firmware-host/boards/board_list.h.tmp firmware-host/boards/board_list.h
	mv firmware-host/boards/board_pins.h.tmp firmware-host/boards/board_pins.h

deps:
	@$(if $(NODEPS),true,packaging/deps.sh $(if $(filter test unit e2e fuzz-regress,$(MAKECMDGOALS)),test,build run))

# Objects wait for deps (order-only), so that pkg-config answers on a fresh machine.
$(BUILD)/obj/firmware-host/%.o: firmware-host/%.c | deps $(BOARD_GEN)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(FW_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/%.o: %.c | deps $(BOARD_GEN)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

# Test support code may use cmocka and umockdev (GLib): tests/support/mockusb.c
# runs the real firmware core behind an emulated USB device.
$(BUILD)/obj/tests/support/%.o: tests/support/%.c | deps $(BOARD_GEN)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(CFLAGS_ALL) $(call pc_cflags,$(TEST_PC) umockdev-1.0) -MMD -MP -c $< -o $@

$(BUILD)/obj/src/main.o: packaging/debian/changelog
$(BUILD)/obj/src/main.o: CFLAGS_ALL += -DLEDTICKER_VERSION='"$(VERSION)"'

$(LIBLED): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIBFW): $(FW_OBJ)
	@mkdir -p $(dir $@)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/ledticker: $(BUILD)/obj/src/main.o $(LIBLED) $(LIBFW)
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/ledsim: $(FW_HOST:%.c=$(BUILD)/obj/%.o) $(LIBFW)
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(call pc_libs,libpng) -lm

# Unit tests: one binary per tests/unit/test_*.c, linked against both libraries.
$(BUILD)/tests/%: tests/unit/%.c $(TEST_SUP:%.c=$(BUILD)/obj/%.o) $(LIBLED) $(LIBFW)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) $(CFLAGS_ALL) $(call pc_cflags,$(TEST_PC)) -Itests/support $(LDFLAGS_ALL) -o $@ $^ \
	    $(call pc_libs,$(TEST_PC) umockdev-1.0) $(LDLIBS_ALL)

# Helper programs for e2e tests and benchmarks (e.g. mockusbd, an emulated
# USB controller), linked like the unit tests.
$(BUILD)/tests/tools/%: tests/tools/%.c $(TEST_SUP:%.c=$(BUILD)/obj/%.o) $(LIBLED) $(LIBFW)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) $(CFLAGS_ALL) -Itests/support $(LDFLAGS_ALL) -o $@ $^ \
	    $(call pc_libs,$(TEST_PC) umockdev-1.0) $(LDLIBS_ALL)

# Fuzz corpus replay: the fuzz target's entry point, driven over every file
# of tests/fuzz/corpus/NAME by tests/support/replay_main.c. Runs in make test.
$(BUILD)/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay_main.c $(LIBLED) $(LIBFW)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) $(CFLAGS_ALL) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

# Benchmarks may use the test support code (e.g. the emulated USB controller).
$(BUILD)/bench/%: tests/bench/%.c $(TEST_SUP:%.c=$(BUILD)/obj/%.o) $(LIBLED) $(LIBFW)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(CC) $(CFLAGS_ALL) -Itests/support $(LDFLAGS_ALL) -o $@ $^ \
	    $(call pc_libs,$(TEST_PC) umockdev-1.0) $(LDLIBS_ALL)

test: all
	@$(MAKE) --no-print-directory unit fuzz-regress e2e $(if $(SANITIZE),,fw-test)

# The firmware image on an emulated RP2040 (tests/rp2040, rp2040js). Run in
# the plain pass only, by design: the image is the same under SANITIZE=1,
# and the sanitizers do not reach into the emulator.
fw-test: firmware $(TOOL_BINS)
	@tests/rp2040/run.sh

unit: $(TEST_BINS)
	@tests/run-unit.sh $(TEST_BINS)

fuzz-regress: $(REPLAY_BINS)
	@tests/run-replay.sh $(REPLAY_BINS)

e2e: all $(TOOL_BINS) firmware
	@BUILD=$(BUILD) SANITIZE=$(SANITIZE) tests/run-e2e.sh

run: all
	$(BUILD)/ledticker run -c examples/lishi.ini

bench:
	@packaging/deps.sh bench
	@$(MAKE) --no-print-directory OPT="-O2 -g -DNDEBUG" SANITIZE= all $(BENCH_BINS:build/san/%=build/%) $(TOOL_BINS:build/san/%=build/%)
	@BUILD=build tests/bench/run.sh

FUZZ_SECONDS ?= 60
fuzz:
	@packaging/deps.sh fuzz build
	@$(MAKE) --no-print-directory CC=clang FUZZ=1 $(FUZZ_BINS)
	@set -e; for b in $(FUZZ_BINS); do n=$${b##*/fuzz_}; mkdir -p build/fuzz/corpus-$$n; \
	    echo "== $$n ($(FUZZ_SECONDS) s)"; \
	    $$b -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 build/fuzz/corpus-$$n tests/fuzz/corpus/$$n; done

ifeq ($(FUZZ),1)
FUZZ_FLAGS := -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer -g -O1
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(SRC_LIB) $(FW_CORE)
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) -Wall -Wextra -Wno-missing-field-initializers $(FUZZ_FLAGS) -Isrc -Ifirmware-host/include -Ifirmware-host/core \
	    $(call pc_cflags,$(LIBS_PC)) -o $@ $^ $(call pc_libs,$(LIBS_PC)) $(GIF_LIBS) -lm -pthread
endif

golden: all
	@tests/golden/regen.sh $(BUILD)

firmware-size:
	@packaging/deps.sh firmware
	@firmware-host/size.sh

# make install [PREFIX=/usr/local] [DESTDIR=] [SYSCONFDIR=/etc]: binaries,
# fonts, example config (and /etc/ledticker/ledticker.ini if there is none),
# the udev rule, the sysusers entry, the service unit and the man pages.
SYSCONFDIR ?= /etc
UDEVDIR    ?= $(if $(filter /usr,$(PREFIX)),/usr/lib/udev,/etc/udev)/rules.d
UNITDIR    ?= $(if $(filter /usr,$(PREFIX)),/usr/lib/systemd/system,/etc/systemd/system)
SYSUSERSDIR?= $(if $(filter /usr,$(PREFIX)),/usr/lib/sysusers.d,/etc/sysusers.d)
MANDIR     ?= $(PREFIX)/share/man

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/ledticker/fonts \
	    $(DESTDIR)$(PREFIX)/share/ledticker/examples $(DESTDIR)$(PREFIX)/share/ledticker/boards \
	    $(DESTDIR)$(PREFIX)/share/ledticker/calendar \
	    $(DESTDIR)$(SYSCONFDIR)/ledticker $(DESTDIR)$(UDEVDIR) $(DESTDIR)$(UNITDIR) \
	    $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(PREFIX)/share/doc/ledticker
	install -m 0755 $(BUILD)/ledticker $(wildcard $(BUILD)/ledsim) $(DESTDIR)$(PREFIX)/bin/
	$(if $(wildcard fonts/*),install -m 0644 $(wildcard fonts/*) $(DESTDIR)$(PREFIX)/share/ledticker/fonts/)
	$(if $(wildcard boards/*.ini),install -m 0644 $(wildcard boards/*.ini) $(DESTDIR)$(PREFIX)/share/ledticker/boards/)
	$(if $(wildcard build/firmware/ledctl-*.uf2),install -d $(DESTDIR)$(PREFIX)/share/ledticker/firmware && \
	    install -m 0644 $(wildcard build/firmware/ledctl-*.uf2) $(DESTDIR)$(PREFIX)/share/ledticker/firmware/)
	install -m 0644 $(wildcard calendar/cn-*.ini) $(DESTDIR)$(PREFIX)/share/ledticker/calendar/
	$(if $(wildcard examples/*),cp -R examples/. $(DESTDIR)$(PREFIX)/share/ledticker/examples/)
	$(if $(wildcard examples/lishi.ini),test -e $(DESTDIR)$(SYSCONFDIR)/ledticker/ledticker.ini || \
	    install -m 0644 examples/lishi.ini $(DESTDIR)$(SYSCONFDIR)/ledticker/ledticker.ini)
	install -m 0644 packaging/60-ledticker.rules $(DESTDIR)$(UDEVDIR)/60-ledticker.rules
	install -m 0644 packaging/debian/ledticker.sysusers $(DESTDIR)$(SYSUSERSDIR)/ledticker.conf
	sed -e 's|/usr/local/bin/|$(PREFIX)/bin/|g' -e 's| /etc/ledticker/| $(SYSCONFDIR)/ledticker/|g' \
	    packaging/ledticker.service > $(DESTDIR)$(UNITDIR)/ledticker.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/ledticker.service
	install -m 0644 docs/ledticker.1 $(DESTDIR)$(MANDIR)/man1/ledticker.1
	install -m 0644 docs/ledticker.ini.5 $(DESTDIR)$(MANDIR)/man5/ledticker.ini.5
	install -m 0644 docs/faults.md $(DESTDIR)$(PREFIX)/share/doc/ledticker/faults.md
	install -m 0644 docs/calendar.md $(DESTDIR)$(PREFIX)/share/doc/ledticker/calendar.md
	$(if $(FW_HOST),install -m 0644 docs/ledsim.1 $(DESTDIR)$(MANDIR)/man1/ledsim.1)

# make deb: build/deb/ledticker_VERSION_ARCH.deb with debhelper. The tracked
# files are copied to build/deb/ledticker-VERSION/ with packaging/debian/ as
# debian/ at its root, and built there (the top level keeps no debian/).
# The package is rebuilt only when a file of the tree changed, so a second
# make test compiles nothing for it either.
DEB_TREE := build/deb/ledticker-$(VERSION)
DEB_FILE := build/deb/ledticker_$(VERSION)_$(shell dpkg --print-architecture 2>/dev/null).deb
DEB_SRC   = $(wildcard $(shell git ls-files -co --exclude-standard 2>/dev/null | grep -v '^build/'))
deb: $(DEB_FILE)
$(DEB_FILE): $(if $(filter deb,$(MAKECMDGOALS)),$(DEB_SRC))
	@packaging/deps.sh deb
	$(call say,COPY,$(DEB_TREE))
	$(Q)rm -rf $(DEB_TREE) && mkdir -p $(DEB_TREE)
	$(Q)printf '%s\n' $(DEB_SRC) | tar -cf - -T - | tar -xf - -C $(DEB_TREE)
	$(Q)mv $(DEB_TREE)/packaging/debian $(DEB_TREE)/debian
	$(Q)ln -s ../debian $(DEB_TREE)/packaging/debian
	$(call say,DEB,$@)
	$(Q)cd $(DEB_TREE) && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u SANITIZE -u BUILD \
	    dpkg-buildpackage -b -us -uc $(if $(V),,>../build.log 2>&1) || { tail -n 40 ../build.log; exit 1; }
	$(Q)touch $@

clean:
	rm -rf build

include firmware-host/mcu/rp2040/firmware.mk

-include $(shell find $(BUILD)/obj -name '*.d' -type f 2>/dev/null)
