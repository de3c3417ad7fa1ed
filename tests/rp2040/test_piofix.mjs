// The PIO fixes (lib/piofix.js) against the RP2040 datasheet's cycle model:
// each case loads a small program into an emulated PIO through its
// registers, steps it one clk_sys cycle at a time and checks, cycle by
// cycle, when a pin changes. Programs are hand-encoded (datasheet 3.4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RP2040 } from 'rp2040js';
import { install, stepPio } from './lib/piofix.js';

const PIO0 = 0x50200000;
const CTRL = 0x000;
const TXF0 = 0x010;
const INSTR_MEM0 = 0x048;
const SM0_CLKDIV = 0x0c8;
const SM0_EXECCTRL = 0x0cc;
const SM0_INSTR = 0x0d8;
const SM0_PINCTRL = 0x0dc;
const IO_BANK0 = 0x40014000;

const SET_PINS = (v, delay = 0) => 0xe000 | (delay << 8) | v;
const SET_PINDIRS_1 = 0xe081;
const JMP = (addr) => 0x0000 | addr;
const PULL_BLOCK = 0x80a0;

function chip(program, { clkdiv = 1, pin = 0 } = {}) {
    const mcu = new RP2040();
    mcu.logger = { debug() {}, info() {}, warn() {}, error() {} };
    install(mcu);
    mcu.writeUint32(IO_BANK0 + 8 * pin + 4, 6); // FUNCSEL = PIO0
    program.forEach((w, i) => mcu.writeUint32(PIO0 + INSTR_MEM0 + 4 * i, w));
    mcu.writeUint32(PIO0 + SM0_CLKDIV, clkdiv << 16);
    // wrap: top = last instruction, bottom = 0
    mcu.writeUint32(PIO0 + SM0_EXECCTRL, (program.length - 1) << 12);
    mcu.writeUint32(PIO0 + SM0_PINCTRL, (1 << 26) | (pin << 5)); // SET_COUNT 1, SET_BASE pin
    mcu.writeUint32(PIO0 + SM0_INSTR, SET_PINDIRS_1);
    mcu.writeUint32(PIO0 + SM0_INSTR, SET_PINS(0));
    return mcu;
}

function enable(mcu) {
    mcu.writeUint32(PIO0 + CTRL, 0x11); // restart + enable SM0
}

// Steps n cycles; returns the pin level after each.
function trace(mcu, n, pin = 0) {
    const out = [];
    for (let i = 0; i < n; i++) {
        stepPio(mcu);
        out.push(mcu.gpio[pin].outputValue ? 1 : 0);
    }
    return out.join('');
}

test('[delay] cycles are waited out', () => {
    // set pins,1 [3] ; set pins,0 [1] -> 4 cycles high, 2 low
    const mcu = chip([SET_PINS(1, 3), SET_PINS(0, 1)]);
    enable(mcu);
    assert.equal(trace(mcu, 12), '111100111100');
});

test('the clock divider slows every cycle, delays included', () => {
    const mcu = chip([SET_PINS(1, 1), SET_PINS(0, 0)], { clkdiv: 3 });
    enable(mcu);
    // divided: 2 cycles high, 1 low -> 6 and 3 at clk_sys
    assert.equal(trace(mcu, 18), '001111110001111110'.slice(0, 18));
});

test('a disabled state machine does not run or drive its pins', () => {
    // SM0 (disabled) would set the pin; SM1 (enabled) spins on `jmp 2`.
    const mcu = chip([SET_PINS(1), JMP(1), JMP(2)]);
    const SM1 = 0x18;
    mcu.writeUint32(PIO0 + SM0_EXECCTRL + SM1, 2 << 12 | 2 << 7);
    mcu.writeUint32(PIO0 + SM0_INSTR + SM1, JMP(2));
    mcu.writeUint32(PIO0 + CTRL, 0x22); // restart + enable SM1 only
    assert.equal(trace(mcu, 6), '000000');
});

test('a stalled instruction completes, and the next one runs a cycle later', () => {
    // 0: pull block ; 1: set pins,1 ; 2: set pins,0 ; 3: jmp 3
    const mcu = chip([PULL_BLOCK, SET_PINS(1), SET_PINS(0), JMP(3)]);
    enable(mcu);
    assert.equal(trace(mcu, 5), '00000'); // stalled on the empty FIFO
    mcu.writeUint32(PIO0 + TXF0, 42); // the pull can complete on the next cycle
    // cycle 1: pull completes; 2: pin high; 3: pin low
    assert.equal(trace(mcu, 4), '0100');
});

test('a stall ends before its delay starts', () => {
    // 0: pull block [2] ; 1: set pins,1 ; 2: jmp 2
    const mcu = chip([PULL_BLOCK | (2 << 8), SET_PINS(1), JMP(2)]);
    enable(mcu);
    trace(mcu, 3);
    mcu.writeUint32(PIO0 + TXF0, 1);
    // pull completes (1), delay 2, then the set
    assert.equal(trace(mcu, 5), '00011');
});
