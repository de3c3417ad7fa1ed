// A recorded ledticker stream sent to the image over emulated USB with the
// credit rule, and the faults a screen in a hall meets: garbage on the
// wire, a bus reset mid-stream, a stalled main loop (watchdog).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Streamer } from './lib/stream.js';
import { bootAndEnumerate, getStatus, parseStatus, recordStream, ledsimCounters,
  presentSeqs, STATE, MS } from './lib/testbed.js';

const BOARD = 'hub75-64x32';
const stream = recordStream(BOARD, 1);
const seqs = presentSeqs(stream);
const streamFile = `${mkdtempSync(`${tmpdir()}/ledctl-`)}/stream.bin`;
writeFileSync(streamFile, stream);

test('a recorded stream arrives whole: the image counts what ledsim counts', async () => {
  assert.ok(seqs.length >= 30, `the recording has ${seqs.length} frames`);
  const { bench, host } = await bootAndEnumerate(BOARD);
  const s = new Streamer(bench, host);
  await s.open();
  s.write(stream);
  await s.drain(5000 * MS);
  const st = parseStatus(await getStatus(bench, host));
  const sim = ledsimCounters(BOARD, streamFile);
  assert.equal(st.presented_seq, seqs.at(-1), 'the last PRESENT was applied');
  assert.equal(st.presented_seq, Number(sim.presented_seq));
  assert.equal(st.consumed, Number(sim.consumed), 'every byte consumed, as in ledsim');
  for (const k of ['crc_errors', 'bad_opcode', 'bad_length', 'bad_field', 'overflows', 'bytes_skipped'])
    assert.equal(st[k], 0, `${k} on a clean stream`);
  assert.ok(st.state & STATE.PRESENTED);
  assert.equal(s.statuses.at(-1).presented_seq, seqs.at(-1), 'the last STATUS on bulk IN reports it');
});

test('garbage bytes: no crash, the counters rise, the stream after them plays', async () => {
  const { bench, host } = await bootAndEnumerate(BOARD);
  const s = new Streamer(bench, host);
  await s.open();
  let x = 12345;
  const junk = new Uint8Array(3000).map(() => ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
  for (let i = 0; i < junk.length; i += 500) { junk[i] = 0x4c; junk[i + 1] = 0xed; }  // false magics
  s.write(junk);
  s.write(stream);
  await s.drain(5000 * MS);
  const st = parseStatus(await getStatus(bench, host));
  assert.ok(st.bytes_skipped > 0, 'skipped bytes counted');
  assert.ok(st.crc_errors > 0, 'false magics counted as CRC errors');
  assert.equal(st.presented_seq, seqs.at(-1), 'the real frames after the garbage were shown');
  assert.equal(st.overflows, 0, 'the host kept to its credits');
});

test('a bus reset mid-stream: the link starts over, the controller keeps going', async () => {
  const { bench, host } = await bootAndEnumerate(BOARD);
  const s = new Streamer(bench, host);
  await s.open();
  const half = stream.length >> 1;
  s.write(stream.subarray(0, half));
  await bench.until(() => host.outBytes > half / 2, 2000 * MS, 'half of the first part on the wire');
  const resetsBefore = host.resetSeen;
  host.outQueue.length = 0;             // what was queued is lost with the reset
  s.queue.length = 0; s.queued = 0;
  host.busReset();
  await bench.until(() => host.resetSeen > resetsBefore, 50 * MS, 'the bus reset');
  await bench.wait(host.enumerate(), 100 * MS, 'enumeration after the reset');
  const before = parseStatus(await getStatus(bench, host));
  assert.ok(before.state & STATE.PRESENTED, 'still showing the last frame');
  // The host's resync (docs/usb.md): zeros end any half-received command, then the stream.
  const s2 = new Streamer(bench, host);
  await s2.open();
  s2.write(new Uint8Array(4108));
  s2.write(stream);
  await s2.drain(5000 * MS);
  const st = parseStatus(await getStatus(bench, host));
  assert.equal(st.presented_seq, seqs.at(-1), 'the stream after the reset played to the end');
  assert.equal(st.overflows, 0);
});

test('a stalled main loop: the watchdog resets the chip, it comes back dark', async () => {
  const { bench, host } = await bootAndEnumerate(BOARD);
  const s = new Streamer(bench, host);
  await s.open();
  s.write(stream.subarray(0, stream.length >> 2));
  await s.drain(2000 * MS);
  const lit = parseStatus(await getStatus(bench, host));
  assert.ok(lit.state & STATE.PRESENTED, 'a frame is showing before the stall');
  // The main loop hangs (interrupts still run): a branch-to-self in spare SRAM.
  const mcu = bench.mcu;
  mcu.writeUint16(0x20041000, 0xe7fe);
  mcu.core.PC = 0x20041000;
  const t0 = bench.nanos;
  await bench.until(() => bench.watchdogResets === 1, 1000 * MS, 'the watchdog');
  const after = (bench.nanos - t0) / MS;
  assert.ok(after >= 200 && after <= 300, `reset ${after.toFixed(1)} ms after the stall (watchdog 250 ms)`);
  assert.ok(host.events.some(([e]) => e === 'detach'), 'the host saw the controller leave');
  await bench.until(() => host.resetSeen > 0 && host.events.at(-1)[0] === 'reset', 100 * MS, 'the controller to return');
  await bench.wait(host.enumerate(), 100 * MS, 'enumeration after the watchdog reset');
  const st = parseStatus(await getStatus(bench, host));
  assert.equal(st.state & STATE.PRESENTED, 0, 'dark: nothing presented since the reset');
  assert.equal(st.consumed, 0, 'a fresh controller');
});

test('host silence: SILENT, then the notice, then a PRESENT ends it', async () => {
  const { bench, host } = await bootAndEnumerate(BOARD);
  const s = new Streamer(bench, host);
  await s.open();
  // TIMEOUTS (docs/protocol.md): silence 1000 ms, notice 1500 ms.
  const crc16 = (p) => {
    let c = 0xffff;
    for (const b of p) { c ^= b << 8; for (let i = 0; i < 8; i++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff; }
    return c;
  };
  const payload = new Uint8Array(8);
  new DataView(payload.buffer).setUint32(0, 1000, true);
  new DataView(payload.buffer).setUint32(4, 1500, true);
  const h = new Uint8Array(12 + 8);
  h.set([0x4c, 0xed, 0x09, 0, 0xf0, 0xff, 8, 0]);
  h[8] = crc16(payload) & 0xff; h[9] = crc16(payload) >> 8;
  const hc = crc16(h.subarray(0, 10));
  h[10] = hc & 0xff; h[11] = hc >> 8;
  h.set(payload, 12);
  s.write(h);
  s.write(stream.subarray(0, stream.length >> 2));
  await s.drain(2000 * MS);
  const t0 = bench.nanos;
  const at = async (ms) => {
    await bench.until(() => bench.nanos >= t0 + ms * MS, (ms + 100) * MS, `${ms} ms of silence`, 5 * MS);
    return parseStatus(await getStatus(bench, host)).state;
  };
  assert.equal((await at(500)) & (STATE.SILENT | STATE.NOTICE), 0, 'still playing after 0.5 s');
  assert.equal((await at(1200)) & (STATE.SILENT | STATE.NOTICE), STATE.SILENT, 'SILENT after 1 s');
  assert.ok((await at(1700)) & STATE.NOTICE, 'the notice after 1.5 s');
  s.write(stream.subarray(0, stream.length >> 2));
  await s.drain(2000 * MS);
  const st = parseStatus(await getStatus(bench, host));
  assert.equal(st.state & (STATE.SILENT | STATE.NOTICE), 0, 'a PRESENT ends the silence');
});
