// make bench: panel refresh measured on the emulated pins. For each board,
// the image plays the first frames of a recorded stream; the pin sampler
// (lib/panelpins.js) times whole refreshes, the BCM weights lit, the
// fastest shift clock and the shortest OE pulse. Printed beside them: what
// each of the board file's limits allows on its own (the shift clock if
// lighting took no time; the shortest OE pulse if shifting took none), and
// the goals. Exit 1 when a goal is missed or a limit is broken.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Streamer } from './lib/stream.js';
import { recordStream, MS } from './lib/testbed.js';
import { boardPanel, bootWatched, lastPresentEnd } from './lib/panelcheck.js';

const BOARDS = [
    { name: 'interstate75-64x32', goalHz: 2000, goalBits: 8 },
    { name: 'interstate75-128x32', goalHz: 1000, goalBits: 8 },
    { name: 'pico-p10-128x16' },
];

const dir = mkdtempSync(`${tmpdir()}/ledctl-bench-`);
let failed = false;
const fmt = (v, d = 0) => v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function measure(b) {
    const cfg = boardPanel(b.name);
    // Up to the last PRESENT: a run ends in STANDBY, which is dark.
    const rec = recordStream(b.name, 0.1);
    const stream = rec.subarray(0, lastPresentEnd(rec));
    writeFileSync(`${dir}/${b.name}.bin`, stream);
    const { bench, host, w } = await bootWatched(cfg);
    const s = new Streamer(bench, host);
    await s.open();
    s.write(stream);
    await s.drain(2000 * MS);
    w.pins.reset();
    bench.run(12 * MS);
    const t = w.pins.refreshTiming();
    const sys = bench.mcu.clkSys || 125e6;
    const rows = cfg.scan;
    const clocks = cfg.kind === 'hub75' ? cfg.width : cfg.width * 4;
    const planes = cfg.planes;
    const hz = sys / t.periodCycles;
    const shiftHz = sys / w.pins.minClkPeriod;
    const oeNs = (t.minOeCycles * 1e9) / sys;
    // What each limit allows alone: one refresh shifts clocks x rows x
    // planes bits; it lights each row for (2^planes - 1) x the shortest
    // pulse (HUB75 BCM) or needs one shortest pulse per row (HUB12).
    const shiftAllows = cfg.maxShiftHz / (clocks * rows * planes);
    const oeAllows = 1e9 / (cfg.minOeNs * rows * (2 ** planes - 1));
    console.log(`${b.name} (${cfg.width}x${cfg.height}, 1/${rows} scan, ${planes} bit${planes > 1 ? 's' : ''} ` +
        `per channel, ${t.refreshes} refreshes timed)`);
    console.log(`  refresh          ${fmt(hz, 1)} Hz   bit depth ${t.bitDepth}` +
        (b.goalHz ? `   goal >= ${fmt(b.goalHz)} Hz at ${b.goalBits} bits` : ''));
    console.log(`  shift clock      ${fmt(shiftHz / 1e6, 2)} MHz (limit ${fmt(cfg.maxShiftHz / 1e6, 2)} MHz; alone it allows ${fmt(shiftAllows)} Hz)`);
    console.log(`  shortest OE      ${fmt(oeNs, 1)} ns (limit ${fmt(cfg.minOeNs)} ns; alone it allows ${fmt(oeAllows)} Hz)`);
    const miss = [];
    if (shiftHz > cfg.maxShiftHz * 1.0001) miss.push('shift clock above the panel\'s limit');
    if (oeNs < cfg.minOeNs - 1e-6) miss.push('OE pulse below the panel\'s limit');
    if (b.goalHz && hz < b.goalHz) miss.push(`refresh below ${b.goalHz} Hz`);
    if (b.goalBits && t.bitDepth < b.goalBits) miss.push(`bit depth below ${b.goalBits}`);
    if (w.pins.errors.length) miss.push(`pin timing: ${w.pins.errors[0]}`);
    console.log(`  ${miss.length ? 'MISS: ' + miss.join('; ') : 'ok'}`);
    if (miss.length) failed = true;
}

for (const b of BOARDS) {
    try {
        await measure(b);
    } catch (e) {
        console.log(`${b.name}: MISS: ${e.message}`);
        failed = true;
    }
}
process.exit(failed ? 1 : 0);
