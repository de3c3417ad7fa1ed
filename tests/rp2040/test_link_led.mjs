// The link light on the Interstate 75's RGB LED (GPIO 16 R, 17 G, 18 B,
// active low), read on the emulated pins through a life a screen meets:
// no host yet (off), enumerated (blue), frames arriving (green), the host
// gone quiet (amber), garbage on the wire (red, then back).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bench } from './lib/bench.js';
import { UsbHost } from './lib/usbhost.js';
import { Streamer } from './lib/stream.js';
import { BOOTROM, uf2For, recordStream, MS } from './lib/testbed.js';
import { install } from './lib/piofix.js';
import { lastPresentEnd, timeoutsFrame } from './lib/panelcheck.js';

const BOARD = 'interstate75-64x32';

// The colour lit: 'off', 'blue', 'green', 'amber', 'red' (or the raw bits).
function led(mcu) {
    const on = (pin) => (mcu.gpio[pin].outputEnable && !mcu.gpio[pin].outputValue ? 1 : 0);
    const rgb = (on(16) << 2) | (on(17) << 1) | on(18);
    return { 0: 'off', 1: 'blue', 2: 'green', 6: 'amber', 4: 'red' }[rgb] ?? `rgb ${rgb.toString(2)}`;
}

test('the link light: off, connected, streaming, silent, error', async () => {
    const bench = new Bench({ bootrom: BOOTROM, uf2: uf2For(BOARD) });
    install(bench.mcu);                     // PIO still: this test does not watch the panel
    const host = new UsbHost(bench);
    await bench.until(() => host.resetSeen > 0, 100 * MS, 'the first bus reset');
    bench.run(2 * MS);
    assert.equal(led(bench.mcu), 'off', 'before the host configures us');

    await bench.wait(host.enumerate(), 200 * MS, 'enumeration');
    bench.run(2 * MS);
    assert.equal(led(bench.mcu), 'blue', 'configured, no frame yet');

    const rec = recordStream(BOARD, 0.1);
    const s = new Streamer(bench, host);
    await s.open();
    s.write(rec.subarray(0, lastPresentEnd(rec)));
    s.write(timeoutsFrame(1000, 1000));
    await s.drain(2000 * MS);
    bench.run(2 * MS);
    assert.equal(led(bench.mcu), 'green', 'frames arriving');

    bench.run(1100 * MS);
    assert.equal(led(bench.mcu), 'amber', 'the host has been silent for the silence time');

    const junk = new Uint8Array(200).fill(0x5a);
    s.write(junk);
    await s.drain(500 * MS);
    bench.run(2 * MS);
    assert.equal(led(bench.mcu), 'red', 'bytes dropped by the decoder');
    bench.run(2100 * MS);
    assert.equal(led(bench.mcu), 'amber', 'the error shows for 2 s, then the link state again');
});
