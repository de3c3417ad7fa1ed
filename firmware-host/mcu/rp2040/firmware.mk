# make firmware: the ledctl RP2040 images, one per board, with Debian's
# arm-none-eabi-gcc. Included by the top-level Makefile.
#
#   build/firmware/ledctl-BOARD.uf2   copy onto the RPI-RP2 drive
#   build/firmware/ledctl-BOARD.elf   with symbols; .map beside it
#   build/firmware/stub-bootrom.bin   the emulator's bootrom (tests only)
#
# Code that must run from SRAM: everything in .ramfunc (RAMFUNC in the port),
# plus these functions of the unchanged core, moved there by renaming their
# sections after compiling (-ffunction-sections gives each its own):
#   FW_RAM_FUNCS      functions of firmware-host/core/*.c (the receive
#                     queue, the bit-plane builder and its helpers)
# ramcheck.sh then fails the build if SRAM code calls into flash (memcpy
# and memset come from the port's ramfuncs.c, in SRAM too).

ARM_CC      := arm-none-eabi-gcc
ARM_OBJCOPY := arm-none-eabi-objcopy
ARM_OBJDUMP := arm-none-eabi-objdump
FWB         := build/firmware
FW_RP_DIR   := firmware-host/mcu/rp2040
FW_RP_SRC   := $(sort $(wildcard $(FW_RP_DIR)/*.c))
FW_RAM_FUNCS := fw_usb_rx panel_render render_hub75 render_hub12 hub12_byte
# Core files compiled for speed instead of size: the bit-plane builder runs
# for every PRESENT (-Os leaves its 6-bit inner loop rolled: 4x slower).
FW_FAST_OBJS := panel
FW_FAST_FLAGS := -O3

# Board names (boards/NAME.ini); the image for NAME is built with
# -DFW_BOARD_ONLY=FW_BOARD_<NAME upper-cased, - as _>.
FW_IMAGE_BOARDS ?= hub75-64x32 hub75-128x32 hub75-256x32 p10-128x16
fw_board_id = FW_BOARD_$(shell echo '$(1)' | tr 'a-z-' 'A-Z_')

ARM_FLAGS := -mcpu=cortex-m0plus -mthumb -Os -g -std=c99 $(WARN) -ffunction-sections \
             -fdata-sections -ffreestanding -fno-tree-loop-distribute-patterns \
             -Ifirmware-host/include -Ifirmware-host/core -I$(FW_RP_DIR)
HOST_TOOL_FLAGS := -std=c99 $(WARN) -O2

FW_IMAGES := $(FW_IMAGE_BOARDS:%=$(FWB)/ledctl-%.uf2)
.SECONDARY: $(FW_IMAGE_BOARDS:%=$(FWB)/ledctl-%.bin) $(FWB)/tools/uf2pack $(FWB)/tools/boot2crc

.PHONY: firmware firmware-deps
firmware: firmware-deps $(FW_IMAGES) $(FWB)/stub-bootrom.bin

firmware-deps:
	@$(if $(NODEPS),true,packaging/deps.sh firmware)

$(FWB)/tools/%: firmware-host/tools/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_TOOL_FLAGS) -o $@ $<
HOSTCC ?= cc

# boot2: linked where the bootrom runs it, then padded and checksummed.
$(FWB)/boot2.elf: $(FW_RP_DIR)/boot2.S | firmware-deps
	@mkdir -p $(dir $@)
	$(ARM_CC) -mcpu=cortex-m0plus -mthumb -nostdlib -Wl,-Ttext=0x20041f00 -Wl,-e,boot2_entry -o $@ $<
$(FWB)/boot2.bin: $(FWB)/boot2.elf $(FWB)/tools/boot2crc
	$(ARM_OBJCOPY) -O binary $< $@.raw
	$(FWB)/tools/boot2crc $@.raw $@

$(FWB)/stub-bootrom.elf: tests/rp2040/bootrom/stub_bootrom.S tests/rp2040/bootrom/stub_bootrom.c \
                         tests/rp2040/bootrom/stub_bootrom.ld | firmware-deps
	@mkdir -p $(dir $@)
	$(ARM_CC) -mcpu=cortex-m0plus -mthumb -Os -std=c99 $(WARN) -ffreestanding -nostdlib \
	    -fno-tree-loop-distribute-patterns -Wl,-T,tests/rp2040/bootrom/stub_bootrom.ld \
	    -o $@ tests/rp2040/bootrom/stub_bootrom.S tests/rp2040/bootrom/stub_bootrom.c
$(FWB)/stub-bootrom.bin: $(FWB)/stub-bootrom.elf
	$(ARM_OBJCOPY) -O binary $< $@

# One image per board: the core and the port compiled for that board only.
define FW_IMAGE_RULES
$(FWB)/obj/$(1)/core/%.o: firmware-host/core/%.c $(FW_RP_DIR)/firmware.mk | firmware-deps
	@mkdir -p $$(dir $$@)
	$(ARM_CC) $(ARM_FLAGS) $$(if $$(filter $$*,$(FW_FAST_OBJS)),$(FW_FAST_FLAGS)) \
	    -DFW_BOARD_ONLY=$(call fw_board_id,$(1)) -MMD -MP -c $$< -o $$@.tmp
	@secs=$$$$(for f in $(FW_RAM_FUNCS); do \
	    $(ARM_OBJDUMP) -h $$@.tmp | awk -v s=".text.$$$$f" '$$$$2 == s { printf " --rename-section %s=.ramfunc.%s", $$$$2, substr($$$$2, 7) }'; \
	  done); \
	  $(ARM_OBJCOPY) $$$$secs $$@.tmp $$@ && rm -f $$@.tmp
$(FWB)/obj/$(1)/rp2040/%.o: $(FW_RP_DIR)/%.c | firmware-deps
	@mkdir -p $$(dir $$@)
	$(ARM_CC) $(ARM_FLAGS) -DFW_BOARD_ONLY=$(call fw_board_id,$(1)) -MMD -MP -c $$< -o $$@
$(FWB)/obj/$(1)/rp2040/boot2_blob.o: $(FW_RP_DIR)/boot2_blob.S $(FWB)/boot2.bin
	@mkdir -p $$(dir $$@)
	$(ARM_CC) -mcpu=cortex-m0plus -mthumb -Wa,-I$(FWB) -c $$< -o $$@
$(FWB)/ledctl-$(1).elf: $(FW_CORE:firmware-host/core/%.c=$(FWB)/obj/$(1)/core/%.o) \
                        $(FW_RP_SRC:$(FW_RP_DIR)/%.c=$(FWB)/obj/$(1)/rp2040/%.o) \
                        $(FWB)/obj/$(1)/rp2040/boot2_blob.o $(FW_RP_DIR)/rp2040.ld $(FW_RP_DIR)/ramcheck.sh
	$(ARM_CC) -mcpu=cortex-m0plus -mthumb -nostartfiles --specs=nano.specs -Wl,--gc-sections \
	    -Wl,-T,$(FW_RP_DIR)/rp2040.ld -Wl,-Map,$(FWB)/ledctl-$(1).map -o $$@ \
	    $$(filter %.o,$$^) -lc -lgcc
	$(FW_RP_DIR)/ramcheck.sh $$@
endef
$(foreach b,$(FW_IMAGE_BOARDS),$(eval $(call FW_IMAGE_RULES,$(b))))

$(FWB)/ledctl-%.bin: $(FWB)/ledctl-%.elf
	$(ARM_OBJCOPY) -O binary --remove-section=.bss $< $@
$(FWB)/ledctl-%.uf2: $(FWB)/ledctl-%.bin $(FWB)/tools/uf2pack
	$(FWB)/tools/uf2pack $< $@

-include $(shell find $(FWB)/obj -name '*.d' -type f 2>/dev/null)
