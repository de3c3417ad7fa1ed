// testbed — shared set-up for the emulator tests: paths of the built
// image and tools, a chip booted and enumerated by the host.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Bench } from './bench.js';
import { UsbHost, REQ } from './usbhost.js';

export const ROOT = new URL('../../../', import.meta.url).pathname;
export const FW = process.env.FW_DIR || `${ROOT}build/firmware`;
export const BUILD = process.env.BUILD || `${ROOT}build`;
export const BOOTROM = `${FW}/stub-bootrom.bin`;
export const uf2For = (board) => `${FW}/ledctl-${board}.uf2`;
export const MS = 1e6;             // nanoseconds

export function ledsimControl(board, request) {
  return execFileSync(`${BUILD}/ledsim`, ['--board', board, '--control', request], { encoding: 'utf8' }).trim();
}

export const hex = (bytes) => Buffer.from(bytes).toString('hex');

// A chip running the board's image, enumerated (SET_CONFIGURATION done).
export async function bootAndEnumerate(board, opts = {}) {
  const bench = new Bench({ bootrom: BOOTROM, uf2: opts.uf2 || uf2For(board), ...opts });
  const host = new UsbHost(bench);
  await bench.until(() => host.resetSeen > 0, 100 * MS, 'the first bus reset');
  const enumeration = await bench.wait(host.enumerate(), 100 * MS, 'enumeration');
  return { bench, host, enumeration };
}

export async function getInfo(bench, host) {
  return bench.wait(host.control(0xc1, REQ.GET_INFO, 0, 0, 64), 50 * MS, 'GET_INFO');
}

export async function getStatus(bench, host) {
  return bench.wait(host.control(0xc1, REQ.GET_STATUS, 0, 0, 52), 50 * MS, 'GET_STATUS');
}

// struct ledproto_status (docs/protocol.md), from a GET_STATUS reply.
export function parseStatus(b) {
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  const u32 = (o) => v.getUint32(o, true);
  return {
    presented_seq: u32(0), presented_host_ms: u32(4), last_cmd_seq: v.getUint16(8, true),
    state: v.getUint16(10, true), consumed: u32(12), credits: u32(16), uptime_ms: u32(20),
    crc_errors: u32(24), bad_opcode: u32(28), bad_length: u32(32), bad_field: u32(36),
    overflows: u32(40), seq_gaps: u32(44), bytes_skipped: u32(48),
  };
}

export const STATE = { STANDBY: 1, SILENT: 2, NOTICE: 4, PRESENTED: 8 };

// A recorded stream: the real ledticker playing the example config for
// `seconds` of testing clock on the record: output, for `board`.
export function recordStream(board, seconds, clock = '2026-11-30 10:00:00') {
  const dir = mkdtempSync(`${tmpdir()}/ledctl-rec-`);
  const path = `${dir}/stream.bin`;
  execFileSync(`${BUILD}/ledticker`, ['run', '-c', `${ROOT}examples/lishi.ini`, '--board', board,
    '--output', `record:${path}`, '--clock-start', clock, '--clock-rate', 'max',
    '--seconds', String(seconds)], { stdio: ['ignore', 'ignore', 'pipe'], cwd: ROOT });
  const bytes = readFileSync(path);
  rmSync(dir, { recursive: true });
  return new Uint8Array(bytes);
}

// The counters ledsim prints for the same stream ("name value" lines).
export function ledsimCounters(board, path) {
  const out = execFileSync(`${BUILD}/ledsim`, ['--board', board, path], { encoding: 'utf8' });
  return Object.fromEntries(out.trim().split('\n').map((l) => l.split(' ')));
}

// The PRESENT commands of a stream, in order: their frame seq.
export function presentSeqs(bytes) {
  const seqs = [];
  for (let i = 0; i + 12 <= bytes.length;) {
    if (bytes[i] !== 0x4c || bytes[i + 1] !== 0xed) { i++; continue; }
    const len = bytes[i + 6] | (bytes[i + 7] << 8);
    if (bytes[i + 2] === 0x04 && len === 8)
      seqs.push((bytes[i + 12] | (bytes[i + 13] << 8) | (bytes[i + 14] << 16) | (bytes[i + 15] << 24)) >>> 0);
    i += 12 + len;
  }
  return seqs;
}
