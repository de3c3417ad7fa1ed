// panelcheck — the frame tests' shared parts: a board's panel geometry and
// wiring (boards/NAME.ini), the levels the core computes on the PC for a
// stream (tests/tools/panellevels), PIO stepped every cycle with the pin
// sampler watching, and the comparison of the two.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { install, stepPio } from './piofix.js';
import { PanelPins } from './panelpins.js';
import { Bench } from './bench.js';
import { UsbHost } from './usbhost.js';
import { ROOT, BUILD, BOOTROM, MS, uf2For } from './testbed.js';

// [section] key = value, comments dropped.
function readIni(path) {
    const ini = {};
    let sec = '';
    for (const raw of readFileSync(path, 'utf8').split('\n')) {
        const line = raw.replace(/#.*/, '').trim();
        const m = line.match(/^\[(.+)\]$/);
        if (m) { sec = m[1]; ini[sec] = ini[sec] || {}; continue; }
        const kv = line.match(/^([\w.]+)\s*=\s*(.*)$/);
        if (kv) (ini[sec] = ini[sec] || {})[kv[1]] = kv[2];
    }
    return ini;
}

// The panel side of boards/NAME.ini: geometry, and the wiring of its
// [pins] section (the Interstate 75's HUB75 pins when it has none).
export function boardPanel(name) {
    const ini = readIni(`${ROOT}boards/${name}.ini`);
    const b = ini.board;
    const pins = ini.pins || {};
    const num = (v, d) => (v === undefined ? d : Number(v));
    const kind = b.interface === 'hub12' ? 'hub12' : 'hub75';
    const scan = Number(b.scan);
    const lat = num(pins.lat, 12);
    return {
        name,
        kind,
        width: Number(b.width),
        height: Number(b.height),
        scan,
        planes: kind === 'hub75' ? Number(b.bit_depth) : 1,
        addrBits: Math.log2(scan),
        pins: {
            data: num(pins.data, 0),
            addr: num(pins.address, 6),
            clk: num(pins.clk, 11),
            lat,
            oe: num(pins.oe, lat + 1),
        },
        oeActiveHigh: (b.oe_active ?? (kind === 'hub12' ? 'high' : 'low')) === 'high',
        fm6126a: b.driver === 'fm6126a',
        maxShiftHz: num(ini.limits?.max_shift_hz, 25e6),
        minOeNs: num(ini.limits?.min_oe_ns, 80),
    };
}

// What the core computes on the PC for the stream in `path`: one entry per
// PRESENT (and one 'notice' entry `silenceMs` after the end, if asked).
export function expectedFrames(cfg, path, silenceMs) {
    const args = ['--board', cfg.name];
    if (silenceMs !== undefined) args.push('--silence', String(silenceMs));
    const out = execFileSync(`${BUILD}/tests/tools/panellevels`, [...args, path], {
        encoding: 'utf8', maxBuffer: 1 << 28,
    });
    const lines = out.split('\n');
    const frames = [];
    for (let i = 0; i < lines.length; i++) {
        const head = lines[i].split(' ');
        if (head[0] !== 'frame' && head[0] !== 'notice') continue;
        const f = {
            what: head[0], seq: Number(head[1]), end: Number(head[2]),
            duty: Number(head[3]), standby: head[4] === '1', rows: lines.slice(i + 1, i + 1 + cfg.height),
        };
        f.levels = cfg.kind === 'hub75' ? hub75Levels(f.rows, cfg) : hub12Levels(f.rows, cfg);
        frames.push(f);
        i += cfg.height;
    }
    return frames;
}

function hub75Levels(rows, cfg) {
    const lv = new Uint16Array(cfg.width * cfg.height * 3);
    rows.forEach((row, y) => {
        for (let i = 0; i < cfg.width * 3; i++) lv[y * cfg.width * 3 + i] = parseInt(row.substr(i * 3, 3), 16);
    });
    return lv;
}

function hub12Levels(rows, cfg) {
    const lv = new Uint8Array(cfg.width * cfg.height);
    rows.forEach((row, y) => {
        for (let x = 0; x < cfg.width; x++) lv[y * cfg.width + x] = row[x] === '1' ? 1 : 0;
    });
    return lv;
}

// Steps PIO every clk_sys cycle from now on, with the sampler watching
// the pins (again after a watchdog reset, on the new chip).
export function watchPanel(bench, cfg) {
    const w = {};
    const attach = (mcu) => {
        install(mcu);
        w.pins = new PanelPins(mcu, cfg);
        w.mcu = mcu;
    };
    attach(bench.mcu);
    bench.onReset((what, mcu) => { if (what === 'attach') attach(mcu); });
    bench.stepHook = (cycles) => {
        const { mcu, pins } = w;
        for (let i = 0; i < cycles; i++) {
            stepPio(mcu);
            pins.observe();
        }
    };
    return w;
}

// A chip running the board's image with PIO stepped and the pins watched
// from the first instruction on (PIO must never run unpatched), enumerated.
export async function bootWatched(cfg) {
    const bench = new Bench({ bootrom: BOOTROM, uf2: uf2For(cfg.name) });
    const w = watchPanel(bench, cfg);
    const host = new UsbHost(bench);
    await bench.until(() => host.resetSeen > 0, 100 * MS, 'the first bus reset');
    await bench.wait(host.enumerate(), 200 * MS, 'enumeration');
    return { bench, host, w };
}

export // The stream offset just past its last PRESENT.
function lastPresentEnd(bytes) {
    let end = 0;
    for (let i = 0; i + 12 <= bytes.length;) {
        const len = bytes[i + 6] | (bytes[i + 7] << 8);
        if (bytes[i + 2] === 0x04) end = i + 12 + len;
        i += 12 + len;
    }
    return end;
}

// A TIMEOUTS command (docs/protocol.md): silence and notice times in ms.
export function timeoutsFrame(silenceMs, noticeMs) {
    const payload = new Uint8Array(8);
    new DataView(payload.buffer).setUint32(0, silenceMs, true);
    new DataView(payload.buffer).setUint32(4, noticeMs, true);
    return protoFrame(0x09, 0, payload);
}

// CRC-16/CCITT-FALSE, as firmware-host/include/ledproto.h.
function crc16(bytes) {
    let crc = 0xffff;
    for (const b of bytes) {
        crc ^= b << 8;
        for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
    return crc;
}

// One protocol frame: the 12-byte header, then the payload.
export function protoFrame(opcode, seq, payload) {
    const out = new Uint8Array(12 + payload.length);
    const v = new DataView(out.buffer);
    out[0] = 0x4c;
    out[1] = 0xed;
    out[2] = opcode;
    v.setUint16(4, seq, true);
    v.setUint16(6, payload.length, true);
    v.setUint16(8, crc16(payload), true);
    v.setUint16(10, crc16(out.subarray(0, 10)), true);
    out.set(payload, 12);
    return out;
}

// Differences between the panel rebuilt from the pins and the expected
// frame, as readable lines (at most `max`); empty when they agree.
export function compareFrame(cfg, got, want, max = 5) {
    const diffs = [];
    const n = cfg.kind === 'hub75' ? 3 : 1;
    for (let i = 0; i < want.levels.length && diffs.length < max; i++) {
        if (got.levels[i] === want.levels[i]) continue;
        const px = Math.floor(i / n);
        const x = px % cfg.width;
        const y = Math.floor(px / cfg.width);
        diffs.push(`(${x},${y})${n > 1 ? ' pin ' + 'RGB'[i % 3] : ''}: pins ${got.levels[i]}, core ${want.levels[i]}`);
    }
    return diffs;
}
