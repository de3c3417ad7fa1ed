// Frames on the pins: a recorded `ledticker run --output record:` stream
// goes to the image over emulated USB with the credit rule; after each
// PRESENT (once the STATUS that follows it is back), the panel is rebuilt
// from the pins (lib/panelpins.js) and must equal, level for level, what the
// same core computes on the PC for the same stream (tests/tools/panellevels):
// HUB75 BCM levels after gamma and brightness on every data pin, HUB12 lit
// pixels and OE share. The run's closing STANDBY leaves OE off; host
// silence brings the notice onto the pins; no refresh mixes two frames.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Streamer } from './lib/stream.js';
import { recordStream, MS, BOOTROM, uf2For } from './lib/testbed.js';
import { Bench } from './lib/bench.js';
import { stepPio } from './lib/piofix.js';
import { boardPanel, expectedFrames, bootWatched, compareFrame, lastPresentEnd, timeoutsFrame }
    from './lib/panelcheck.js';

const DIR = mkdtempSync(`${tmpdir()}/ledctl-panel-`);

// One refresh takes well under 2 ms on every board here; three of them
// give the sampler a whole refresh of the new frame after the swap.
const SETTLE = 3 * 2 * MS;

async function framesOnPins(board, { seconds = 0.25, every = 1, silence = false } = {}) {
    const cfg = boardPanel(board);
    // For the silence test, the recording stops at its last PRESENT (a run
    // ends in STANDBY, which would keep the panel dark) and a TIMEOUTS
    // follows (the recording starts with RESET: back to the default 60 s).
    const tail = silence ? timeoutsFrame(1000, 1000) : new Uint8Array(0);
    let rec = recordStream(board, seconds);
    if (silence) rec = rec.subarray(0, lastPresentEnd(rec));
    const stream = new Uint8Array(rec.length + tail.length);
    stream.set(rec);
    stream.set(tail, rec.length);
    const path = `${DIR}/${board}.bin`;
    writeFileSync(path, stream);
    // The end state: after the silence (the notice), else right after the
    // stream (a recorded run ends in STANDBY: dark).
    const frames = expectedFrames(cfg, path, silence ? 1100 : 0);
    const presents = frames.filter((f) => f.what === 'frame');
    assert.ok(presents.length >= 5, `${board}: the recording has ${presents.length} frames`);

    const { bench, host, w } = await bootWatched(cfg);
    const s = new Streamer(bench, host);
    await s.open();
    let fed = 0;
    let checked = 0;
    for (let i = 0; i < presents.length; i++) {
        const f = presents[i];
        s.write(stream.subarray(fed, f.end));
        fed = f.end;
        if (i % every !== 0 && i !== presents.length - 1) continue;
        await bench.until(() => s.statuses.some((st) => st.presented_seq === f.seq),
            500 * MS, `STATUS after PRESENT ${f.seq}`);
        w.pins.reset();
        bench.run(SETTLE);
        assert.deepEqual(w.pins.errors, [], `${board} frame ${f.seq}: pin timing`);
        checkFrame(cfg, w.pins, f, `${board} frame ${f.seq}`);
        checked++;
    }
    const end = frames.find((f) => f.what === 'notice');
    s.write(stream.subarray(fed));
    await s.drain(500 * MS);
    if (silence) {
        // Host silence: an idle second (PIO left still, to go fast).
        const hook = bench.stepHook;
        bench.stepHook = null;
        bench.run(1100 * MS);
        bench.stepHook = hook;
        assert.ok(end.levels.some((v) => v > 0), 'the core lights the notice');
    } else {
        assert.equal(end.duty, 0, 'a recorded run ends in STANDBY');
    }
    bench.run(SETTLE);                      // the DMA picks up the last state
    w.pins.reset();
    bench.run(SETTLE);
    assert.deepEqual(w.pins.errors, [], `${board} end: pin timing`);
    checkFrame(cfg, w.pins, end, `${board} ${silence ? 'notice' : 'standby'}`);
    return checked + 1;
}

function checkFrame(cfg, pins, f, what) {
    if (f.duty === 0) {
        // Standby (or a P10 at brightness 0): OE never active.
        assert.equal(pins.intervals.length, 0, `${what}: dark, yet OE was active`);
        return;
    }
    const got = pins.levels();
    const diffs = compareFrame(cfg, got, f);
    assert.deepEqual(diffs, [], `${what}: the panel on the pins differs from the core's`);
    if (cfg.kind === 'hub12') {
        for (const on of got.onCycles) {
            const share = (on / got.periodCycles) * 255;
            assert.ok(Math.abs(share - f.duty) <= 3, `${what}: OE share ${share.toFixed(1)}/255, brightness ${f.duty}`);
        }
    }
}

test('64x32 HUB75: every frame on the pins is the core\'s, level for level', async () => {
    assert.ok(await framesOnPins('interstate75-64x32') >= 5);
});

test('two chained 64x32 HUB75 panels (128x32): frames on the pins', async () => {
    assert.ok(await framesOnPins('interstate75-128x32', { every: 2 }) >= 4);
});

test('P10 (HUB12, 1/4 scan, 4 modules): lit pixels and OE share on the pins', async () => {
    assert.ok(await framesOnPins('pico-p10-128x16', { every: 2 }) >= 4);
});

// Every refresh the pins show, while a 60 fps stream arrives at full
// speed, is one whole frame of the stream: a frame swaps in between
// refreshes, never during one.
test('no tearing: every refresh on the pins is one whole frame', async () => {
    const board = 'interstate75-64x32';
    const cfg = boardPanel(board);
    const rec = recordStream(board, 0.2);
    const stream = rec.subarray(0, lastPresentEnd(rec));
    const path = `${DIR}/tearing.bin`;
    writeFileSync(path, stream);
    const key = (lv) => Buffer.from(lv.buffer, lv.byteOffset, lv.byteLength).toString('base64');
    const expected = expectedFrames(cfg, path);
    const frames = new Map(expected.map((f) => [key(f.levels), f.seq]));
    frames.set(key(new Uint16Array(cfg.width * cfg.height * 3)), 'dark');
    const { bench, host, w } = await bootWatched(cfg);
    const shown = [];
    const strangers = [];
    w.pins.onRefresh = (levels) => {
        const seq = frames.get(key(levels));
        if (seq === undefined) strangers.push(shown.length);
        else if (shown.at(-1) !== seq) shown.push(seq);
    };
    const s = new Streamer(bench, host);
    await s.open();
    // Paced at 8 ms a frame (twice the recording's 60 fps), so that
    // the core renders each one rather than only the last of a burst.
    let fed = 0;
    for (const f of expected) {
        s.write(stream.subarray(fed, f.end));
        fed = f.end;
        bench.run(8 * MS);
    }
    await s.drain(2000 * MS);
    bench.run(5 * MS);
    assert.deepEqual(w.pins.errors, [], 'pin timing');
    assert.deepEqual(strangers, [], 'refreshes that are no frame of the stream (torn or garbled)');
    // Frames with the same picture (a scroll step under a pixel) count once.
    const seqs = expected.map((f) => frames.get(key(f.levels))).filter((v, i, a) => i === 0 || v !== a[i - 1]);
    // The core draws once per pass over its queue, so a frame that arrives
    // with the next one (the first, behind the stream's opening burst) may
    // be skipped; the rest are shown, in order.
    const lit = shown.filter((v) => v !== 'dark');
    let at = 0;
    for (const v of lit) at = seqs.indexOf(v, at) + 1 || Infinity;
    assert.ok(at !== Infinity, `pictures out of order: ${lit.join(' ')} (stream: ${seqs.join(' ')})`);
    assert.ok(lit.length >= seqs.length - 2, `pictures seen: ${lit.join(' ')} (stream: ${seqs.join(' ')})`);
    assert.equal(shown.at(-1), seqs.at(-1), 'the last frame stays');
});

test('host silence: the notice appears on the pins', async () => {
    assert.ok(await framesOnPins('interstate75-64x32', { seconds: 0.1, every: 100, silence: true }) >= 2);
});

// FM6126A panels stay dark until two registers are written: a row of
// clocks with bit i % 16 of the value on every data pin and LAT high for
// the last 11 (REG1) or 12 (REG2) clocks. The image for a board file with
// `driver = fm6126a` sends REG1 = 0xfffe and REG2 = 0x0200 with the CPU
// before PIO takes the pins, OE held dark meanwhile; then frames play as
// on any panel.
test('FM6126A: the register set-up on the pins, then frames', async () => {
    const cfg = boardPanel('interstate75-64x32-fm6126a');
    const bench = new Bench({ bootrom: BOOTROM, uf2: uf2For(cfg.name) });
    const mcu = bench.mcu;
    const { data, clk, lat, oe } = cfg.pins;
    const level = (p) => (mcu.gpio[p].outputValue ? 1 : 0);
    const clocks = [];
    let lastClk = 0;
    bench.stepHook = (n) => {
        for (let i = 0; i < n; i++) {
            stepPio(mcu);
            if (mcu.gpio[clk].functionSelect !== 5) continue;     // SIO only
            const c = level(clk);
            if (c && !lastClk) {
                let bits = 0;
                for (let k = 0; k < 6; k++) bits |= level(data + k) << k;
                clocks.push({ bits, lat: level(lat), oe: level(oe) });
            }
            lastClk = c;
        }
    };
    await bench.until(() => mcu.gpio[clk].functionSelect === 6, 200 * MS, 'PIO to take the pins');
    assert.equal(clocks.length, 2 * cfg.width, 'two rows of clocks');
    const expect = (value, latClocks, at) => {
        for (let i = 0; i < cfg.width; i++) {
            const c = clocks[at + i];
            assert.equal(c.bits, (value >> (i % 16)) & 1 ? 0x3f : 0, `clock ${at + i}: data`);
            assert.equal(c.lat, i >= cfg.width - latClocks ? 1 : 0, `clock ${at + i}: LAT`);
            assert.equal(c.oe, 1, `clock ${at + i}: OE dark`);
        }
    };
    expect(0xfffe, 11, 0);
    expect(0x0200, 12, cfg.width);
    bench.stepHook = null;
    assert.ok(await framesOnPins(cfg.name, { seconds: 0.1, every: 3 }) >= 2);
});
