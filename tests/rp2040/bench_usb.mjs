// make bench: the ledctl image on the emulated RP2040, measured in emulated
// time. Prints each figure beside its goal; exits 1 when one is missed.
//
//   bulk OUT throughput  full-frame RGB888 BLITs + PRESENT sent as fast as the
//                        credits allow over full-speed framing (19 x 64 B per
//                        1 ms frame): bytes the controller consumed per second.
//                        Goal: a full frame 60 times a second.
//   idle share           a recorded 60 fps scrolling stream (the real
//                        ledticker, record: output) sent at the pace of its
//                        PRESENT timestamps: share of time the CPU sleeps in WFI.
//                        Goal: >= 50 %.
//   flash, RAM           from the .elf. Goal: flash < 64 KiB; RAM fits 264 KiB.
import { execFileSync } from 'node:child_process';
import { Streamer } from './lib/stream.js';
import { bootAndEnumerate, getStatus, parseStatus, recordStream, FW, MS } from './lib/testbed.js';

const BOARD = process.env.BENCH_BOARD || 'hub75-64x32';
const results = [];
function report(name, value, unit, goal, ok) {
  results.push(ok);
  console.log(`  ${name.padEnd(28)} ${value.padStart(14)} ${unit.padEnd(6)} goal ${goal.padEnd(30)} ${ok ? 'ok' : 'MISSED'}`);
}

function frame(opcode, seq, payload) {
  const crc16 = (p) => {
    let c = 0xffff;
    for (const b of p) { c ^= b << 8; for (let i = 0; i < 8; i++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff; }
    return c;
  };
  const h = new Uint8Array(12 + payload.length);
  h.set([0x4c, 0xed, opcode, 0, seq & 0xff, seq >> 8, payload.length & 0xff, payload.length >> 8]);
  const pc = crc16(payload);
  h[8] = pc & 0xff; h[9] = pc >> 8;
  const hc = crc16(h.subarray(0, 10));
  h[10] = hc & 0xff; h[11] = hc >> 8;
  h.set(payload, 12);
  return h;
}

// A full frame as RGB888 BLITs of at most 4080 data bytes, then PRESENT.
function fullFrames(w, h, n) {
  const parts = [];
  let seq = 0;
  const rowsPerBlit = Math.max(1, Math.floor(4080 / (w * 3)));
  for (let f = 0; f < n; f++) {
    for (let y = 0; y < h; y += rowsPerBlit) {
      const rows = Math.min(rowsPerBlit, h - y);
      const p = new Uint8Array(16 + w * rows * 3);
      const v = new DataView(p.buffer);
      v.setUint16(0, 0, true); v.setUint16(2, y, true); v.setUint16(4, w, true); v.setUint16(6, rows, true);
      p[8] = 0x04;                                  // RGB888
      for (let i = 16; i < p.length; i++) p[i] = (i * 7 + f * 13) & 0xff;
      parts.push(frame(0x02, seq++, p));
    }
    const pr = new Uint8Array(8);
    new DataView(pr.buffer).setUint32(0, f + 1, true);
    parts.push(frame(0x04, seq++, pr));
  }
  const total = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  return out;
}

// Splits a stream after each PRESENT: [{ bytes, hostMs }].
function framesOf(bytes) {
  const out = [];
  let start = 0;
  for (let i = 0; i + 12 <= bytes.length;) {
    const len = bytes[i + 6] | (bytes[i + 7] << 8);
    if (bytes[i + 2] === 0x04) {
      const v = new DataView(bytes.buffer, bytes.byteOffset + i + 12, 8);
      out.push({ bytes: bytes.subarray(start, i + 12 + len), seq: v.getUint32(0, true), hostMs: v.getUint32(4, true) });
      start = i + 12 + len;
    }
    i += 12 + len;
  }
  return out;
}

async function throughput() {
  const { bench, host } = await bootAndEnumerate(BOARD);
  const info = parseStatus(await getStatus(bench, host));
  void info;
  const s = new Streamer(bench, host);
  await s.open();
  const w = 64, h = 32;
  const data = fullFrames(w, h, 20);
  const t0 = bench.nanos;
  s.write(data);
  await s.drain(10000 * MS);
  const secs = (bench.nanos - t0) / 1e9;
  const st = parseStatus(await getStatus(bench, host));
  if (st.presented_seq !== 20 || st.crc_errors || st.bad_field || st.overflows)
    throw new Error(`throughput stream not applied cleanly: ${JSON.stringify(st)}`);
  const bps = data.length / secs;
  const goal = w * h * 3 * 60;
  report('bulk OUT accepted', Math.round(bps).toLocaleString('en'), 'B/s', `>= ${goal.toLocaleString('en')} (64x32 RGB888 x 60)`, bps >= goal);
  console.log(`  ${''.padEnd(28)} (full-speed bus limit here: ${(19 * 64 * 1000).toLocaleString('en')} B/s)`);
}

async function idle() {
  const stream = recordStream(BOARD, 3);
  const frames = framesOf(stream);
  const { bench, host } = await bootAndEnumerate(BOARD);
  const s = new Streamer(bench, host);
  await s.open();
  const base = frames[0].hostMs;
  // Warm up with the first frame (a full redraw), then measure the scrolling.
  s.write(frames[0].bytes);
  await s.drain(1000 * MS);
  const t0 = bench.nanos + 10 * MS;
  for (const f of frames.slice(1)) bench.after(t0 - bench.nanos + (f.hostMs - base) * MS, () => s.write(f.bytes));
  await bench.until(() => bench.nanos >= t0, 100 * MS, 'the start');
  const idle0 = bench.idleNanos;
  const end = t0 + (frames.at(-1).hostMs - base) * MS;
  await bench.until(() => bench.nanos >= end, 10000 * MS, 'the end of the stream', 1 * MS);
  const share = (bench.idleNanos - idle0) / (bench.nanos - t0);
  await s.drain(1000 * MS);
  const st = parseStatus(await getStatus(bench, host));
  if (st.presented_seq !== frames.at(-1).seq || st.crc_errors || st.overflows)
    throw new Error(`scrolling stream not applied cleanly: presented ${st.presented_seq}, last ${frames.at(-1).seq}`);
  const fps = (frames.length - 1) / ((frames.at(-1).hostMs - frames[1].hostMs) / 1000);
  report(`CPU idle (WFI), ${fps.toFixed(0)} fps scroll`, (share * 100).toFixed(1), '%', '>= 50 %', share >= 0.5);
}

function sizes() {
  const elf = `${FW}/ledctl-${BOARD}.elf`;
  const out = execFileSync('arm-none-eabi-size', ['-A', elf], { encoding: 'utf8' });
  const sec = Object.fromEntries(out.split('\n').map((l) => l.trim().split(/\s+/)).filter((p) => p.length >= 2 && /^\./.test(p[0])).map((p) => [p[0], Number(p[1])]));
  const flash = (sec['.boot2'] || 0) + (sec['.text'] || 0) + (sec['.ARM.exidx'] || 0) + (sec['.data'] || 0) + (sec['.ramfunc'] || 0);
  const ram = (sec['.data'] || 0) + (sec['.ramfunc'] || 0) + (sec['.bss'] || 0);
  report('flash', flash.toLocaleString('en'), 'B', '< 65,536 (64 KiB)', flash < 65536);
  report('static RAM (+8 KiB stack)', ram.toLocaleString('en'), 'B', `<= ${(264 * 1024 - 8192).toLocaleString('en')}`, ram <= 264 * 1024 - 8192);
}

console.log(`rp2040 image ${BOARD} on emulated RP2040 (rp2040js), emulated time:`);
await throughput();
await idle();
sizes();
process.exit(results.every(Boolean) ? 0 : 1);
