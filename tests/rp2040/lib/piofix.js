// piofix — run-time fixes for rp2040js 1.4.1's PIO, so that pin timings on
// the emulated chip are exact (refresh-rate figures depend on them).
//
// rp2040js 1.4.1, as shipped:
//   1. ignores the clock divider (SMx_CLKDIV): every SM runs at clk_sys;
//   2. counts [delay] cycles but never waits them out;
//   3. steps a disabled state machine (it drives pins before CTRL enables it);
//   4. when a stalled instruction's condition comes true, completes it AND
//      runs the next instruction in the same cycle;
//   5. runs PIO on its own setTimeout loop (starved by a synchronous run loop).
//
// install(mcu) patches the two PIO blocks of one RP2040 instance (not the
// package's prototypes, and never node_modules, which `npm ci` rewrites):
// each state machine gets a delay counter and a fractional divider
// accumulator, and PIO advances only when the run loop calls stepPio(mcu) —
// one call per clk_sys cycle. Not patched: a state machine that was never
// restarted starts with a full OSR (real chips start empty); the firmware
// restarts every SM it enables, as it must on hardware too.
//
// Cycle model (RP2040 datasheet 3.4.1): an instruction takes one cycle plus
// its delay; a stalled instruction takes the cycles until its condition
// holds, then its delay; the next instruction starts on the following cycle.

function patchMachine(sm) {
    sm.fixDelay = 0; // cycles of [delay] still to wait
    sm.fixAcc = 0; // divider accumulator, in 1/256 cycles
    const restart = sm.restart.bind(sm);
    sm.restart = () => {
        restart();
        sm.fixDelay = 0;
        // A restart also drops a stall (restart() clears `waiting`): nothing
        // may complete on the next cycle.
        sm.cycles = 0;
    };
    sm.clkDivRestart = () => {
        sm.fixAcc = 0;
    };
}

// One cycle of one state machine at its own (divided) clock.
function machineCycle(sm) {
    if (sm.fixDelay > 0) {
        sm.fixDelay--;
        return;
    }
    if (sm.waiting) {
        sm.checkWait();
        if (sm.waiting) return;
    }
    if (sm.cycles > 0) {
        // The stalled instruction completed: in this cycle (checkWait just
        // now) or since the last cycle (a FIFO write or another SM's IRQ ran
        // checkWait). Either way this cycle is its last; then its delay.
        sm.fixDelay = sm.cycles - 1;
        sm.cycles = 0;
        return;
    }
    sm.updatePC = true;
    sm.executeInstruction(sm.pio.instructions[sm.pc]);
    if (sm.updatePC) sm.nextPC();
    if (!sm.waiting) {
        // cycles = 1 + delay (+ the delay of an instruction that stalled and
        // completed at once); the next instruction waits out the delay.
        sm.fixDelay = sm.cycles - 1;
        sm.cycles = 0;
    }
    // Still stalled: cycles stays 1, and checkWait adds the delay when the
    // condition comes true.
}

function machineTick(sm) {
    if (!sm.enabled) return;
    const div = sm.clockDivInt === 0 ? 65536 * 256 : sm.clockDivInt * 256 + sm.clockDivFrac;
    if (div <= 256) {
        machineCycle(sm);
        return;
    }
    sm.fixAcc += 256;
    if (sm.fixAcc >= div) {
        sm.fixAcc -= div;
        machineCycle(sm);
    }
}

export function install(mcu) {
    for (const pio of mcu.pio) {
        if (pio.fixInstalled) continue;
        pio.fixInstalled = true;
        if (pio.runTimer) {
            clearTimeout(pio.runTimer);
            pio.runTimer = null;
        }
        pio.run = () => {}; // stepped by the run loop instead
        for (const sm of pio.machines) patchMachine(sm);
        pio.step = () => {
            const m = pio.machines;
            machineTick(m[0]);
            machineTick(m[1]);
            machineTick(m[2]);
            machineTick(m[3]);
            pio.checkChangedPins();
        };
    }
}

// Advances both PIO blocks by one clk_sys cycle. Blocks with no enabled
// state machine cost one check.
export function stepPio(mcu) {
    const p0 = mcu.pio[0];
    const p1 = mcu.pio[1];
    if (!p0.stopped) p0.step();
    if (!p1.stopped) p1.step();
}
