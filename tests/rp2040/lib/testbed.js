// testbed — shared set-up for the emulator tests: paths of the built
// image and tools, a chip booted and enumerated by the host.
import { execFileSync } from 'node:child_process';
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
