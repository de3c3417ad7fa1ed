// bench — runs an emulated RP2040 synchronously: execute an instruction,
// advance the clock by its cycles, and while the core sleeps in WFI skip
// straight to the next clock alarm (timer, USB, the host's own alarms).
// rp2040js's Simulator runs peripherals on a separate timer instead, which
// starves PIO and makes time depend on the machine.
//
// Also:
//  - stepHook(cycles): called after every instruction with its cycles, and
//    one cycle at a time while the core sleeps, when set (PIO stepping);
//  - watchdog: the emulator's watchdog only logs, so when it fires the bench
//    builds a fresh chip from the same flash image (all of it reset, as
//    PSM WDSEL asks) and tells listeners (the USB host detaches/reattaches);
//  - BKPT in the stub bootrom (0xB0 reset_usb_boot, 0xBC bad boot2 CRC,
//    0xFA fault) stops the run and is recorded in `breaks`;
//  - idle accounting: nanoseconds spent in WFI.
import { createChip } from './chip.js';

export const BKPT_USB_BOOT = 0xb0;
export const BKPT_BAD_BOOT2 = 0xbc;
export const BKPT_FAULT = 0xfa;

export class Bench {
  constructor({ bootrom, uf2, uniqueId = [0xe6, 0x60, 0x58, 0x38, 0x83, 0x4a, 0x2c, 0x27] }) {
    this.opts = { bootrom, uf2, uniqueId };
    this.mcu = createChip({ bootrom, uf2, uniqueId });
    this.clock = this.mcu.clock;
    this.breaks = [];
    this.watchdogResets = 0;
    this.resetListeners = [];
    this.stepHook = null;
    this.idleNanos = 0;
    this.instructions = 0;
    this.stopped = false;
    this.wire();
  }

  get nanos() { return this.clock.nanos; }

  wire() {
    const { mcu } = this;
    mcu.onBreak = (code) => { this.breaks.push(code); this.stopped = true; };
    const wd = mcu.peripherals[0x40058];
    wd.onWatchdogTrigger = () => {
      // Stop it at once: at 0 the emulator's periodic alarm would fire again
      // and again at the same instant, inside clock.tick.
      wd.alarm.enable = false;
      wd.timer.enable = false;
      this.watchdogPending = true;
    };
  }

  // Runs a clock alarm `nanos` from now (host actions are deferred this way:
  // the emulator calls back from inside the firmware's register writes).
  after(nanos, fn) {
    const alarm = this.clock.createAlarm(fn);
    alarm.schedule(nanos);
    return alarm;
  }

  onReset(fn) { this.resetListeners.push(fn); }

  watchdogReset() {
    const old = this.mcu;
    this.watchdogPending = false;
    this.watchdogResets++;
    old.onBreak = () => {};
    const oldWd = old.peripherals[0x40058];
    oldWd.onWatchdogTrigger = () => {};
    oldWd.alarm.enable = false;
    for (const fn of this.resetListeners) fn('detach', old);
    this.mcu = createChip({ ...this.opts, clock: this.clock });
    this.mcu.peripherals[0x40058].reason = 1;     // REASON.TIMER, as the hardware records it
    this.wire();
    for (const fn of this.resetListeners) fn('attach', this.mcu);
  }

  // Runs for `nanos` of emulated time (or until a BKPT stops it).
  run(nanos) {
    const end = this.clock.nanos + nanos;
    const { clock } = this;
    this.stopped = false;
    while (clock.nanos < end && !this.stopped) {
      const mcu = this.mcu, core = mcu.core;
      const cycleNanos = 1e9 / mcu.clkSys;
      if (core.waiting) {
        if (this.stepHook) {
          this.stepHook(1);
          clock.tick(cycleNanos);
          this.idleNanos += cycleNanos;
        } else {
          const toAlarm = clock.nanosToNextAlarm;
          const step = toAlarm > 0 ? Math.min(toAlarm, end - clock.nanos) : end - clock.nanos;
          clock.tick(step);
          this.idleNanos += step;
        }
      } else {
        const cycles = core.executeInstruction();
        this.instructions++;
        if (this.stepHook) this.stepHook(cycles);
        clock.tick(cycles * cycleNanos);
      }
      if (this.watchdogPending) this.watchdogReset();
    }
  }

  // Runs until pred() is true, checking every `sliceNanos`; async so that
  // promise callbacks (the host's) run in between. Throws after `timeoutNanos`.
  async until(pred, timeoutNanos, what = 'condition', sliceNanos = 100_000) {
    const end = this.clock.nanos + timeoutNanos;
    for (;;) {
      await null;
      if (pred()) return;
      if (this.clock.nanos >= end) throw new Error(`timed out after ${timeoutNanos / 1e6} ms (emulated) waiting for ${what}`);
      if (this.stopped && this.breaks.length) throw new Error(`stopped at BKPT 0x${this.breaks.at(-1).toString(16)} waiting for ${what}`);
      this.run(Math.min(sliceNanos, end - this.clock.nanos));
    }
  }

  // Waits for a promise, running the chip meanwhile.
  async wait(promise, timeoutNanos, what) {
    let done = false, value, error;
    promise.then((v) => { done = true; value = v; }, (e) => { done = true; error = e; });
    await this.until(() => done, timeoutNanos, what);
    if (error) throw error;
    return value;
  }
}
