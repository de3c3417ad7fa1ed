// panelpins — rebuilds what a HUB75 or HUB12 panel shows from the emulated
// chip's pins, the way the panel's driver chips see them:
//
//   * data pins are sampled at each rising CLK edge into a shift register
//     as long as the chain (the first bit clocked ends farthest down);
//   * at LAT the shift register is copied to the output latches and the
//     address lines say which row (HUB75: rows r and r + scan) they feed;
//   * while OE is active the latched row is lit; each lit interval's length
//     in clk_sys cycles is its weight.
//
// A refresh is one lit interval per row address and bit plane. levels()
// takes the last complete refresh: the shortest interval is plane 0, every
// other must be exactly 2^p times as long, and a pixel's level on a pin is
// the sum of the weights of the intervals whose latched bit was 1. It
// checks on the way that no address line moves while a row is lit and that
// no pulse is shorter than the board's minimum.
//
// Pins are read at the pad: the PIO block's outputs through each GPIO's
// function select and output override (an OE inverted in the GPIO block
// for active-high panels reads as the panel sees it).

const FUNCTION_PIO0 = 6;

export class PanelPins {
    // cfg: { kind: 'hub75' | 'hub12', width, height, scan, planes,
    //        pins: { data, addr, clk, lat, oe }, addrBits, oeActiveHigh }
    constructor(mcu, cfg) {
        this.mcu = mcu;
        this.cfg = cfg;
        this.hub75 = cfg.kind === 'hub75';
        this.dataPins = this.hub75 ? 6 : 1;
        this.chain = this.hub75 ? cfg.width : cfg.width * 4; // clocks per row
        this.shift = new Uint8Array(this.chain);
        this.shiftAt = 0; // next write position (ring)
        this.clocks = 0; // clocks since the last latch
        this.cycle = 0;
        this.lastPio = -1;
        this.clk = 0;
        this.lat = 0;
        this.oe = 0;
        this.addr = 0;
        this.latched = null; // { addr, bits: Uint8Array(chain), clocks }
        this.litSince = -1;
        this.litAddr = 0;
        this.intervals = []; // { addr, cycles, bits, start }
        this.maxIntervals = cfg.scan * (cfg.planes || 1) * 6;
        this.errors = [];
        this.latches = 0;
        this.invert = 0;
        this.lastRise = -1;
        this.minClkPeriod = Infinity; // cycles between rising CLK edges
        this.onRefresh = null; // (levels, startCycle) after each whole refresh
        this.t0 = Infinity;
        this.checkPins();
    }

    // The pad level is the PIO output through the GPIO block: every panel
    // pin must be PIO0's, and an output override of "invert" flips it.
    checkPins() {
        const { pins, addrBits } = this.cfg;
        const list = [pins.clk, pins.lat, pins.oe];
        for (let i = 0; i < this.dataPins; i++) list.push(pins.data + i);
        for (let i = 0; i < addrBits; i++) list.push(pins.addr + i);
        let invert = 0;
        for (const p of list) {
            const g = this.mcu.gpio[p];
            if (g.functionSelect !== FUNCTION_PIO0) return false;
            if (g.outputOverride === 1) invert |= 1 << p;
            else if (g.outputOverride !== 0) return false;
        }
        this.invert = invert;
        this.ready = true;
        return true;
    }

    // Call once per clk_sys cycle, after PIO has stepped.
    observe() {
        this.cycle++;
        const v = this.mcu.pio[0].pinValues;
        if (v === this.lastPio) return;
        this.lastPio = v;
        if (!this.ready && !this.checkPins()) return;
        this.onChange((v ^ this.invert) >>> 0);
    }

    onChange(v) {
        const { pins, addrBits } = this.cfg;
        const clk = (v >>> pins.clk) & 1;
        const lat = (v >>> pins.lat) & 1;
        const oeLevel = (v >>> pins.oe) & 1;
        const oe = this.cfg.oeActiveHigh ? oeLevel : oeLevel ^ 1;
        const addr = (v >>> pins.addr) & ((1 << addrBits) - 1);
        if (addr !== this.addr && this.oe) {
            this.errors.push(`address moved from ${this.addr} to ${addr} while lit at cycle ${this.cycle}`);
        }
        this.addr = addr;
        if (clk && !this.clk) {
            if (this.lastRise >= 0 && this.cycle - this.lastRise < this.minClkPeriod) {
                this.minClkPeriod = this.cycle - this.lastRise;
            }
            this.lastRise = this.cycle;
            this.shift[this.shiftAt] = (v >>> pins.data) & ((1 << this.dataPins) - 1);
            this.shiftAt = (this.shiftAt + 1) % this.chain;
            this.clocks++;
            if (lat) this.errors.push(`CLK edge while LAT high at cycle ${this.cycle}`);
        }
        if (!lat && this.lat) this.latch();
        if (oe && !this.oe) {
            this.litSince = this.cycle;
            this.litAddr = addr;
            if (!this.latched) this.errors.push('lit before any latch');
        } else if (!oe && this.oe) {
            this.intervals.push({
                addr: this.litAddr,
                cycles: this.cycle - this.litSince,
                bits: this.latched ? this.latched.bits : null,
                start: this.litSince,
            });
            if (this.intervals.length > this.maxIntervals) this.intervals.shift();
            if (this.onRefresh) this.refreshDone();
        }
        if (lat && this.oe) this.errors.push(`LAT while lit at cycle ${this.cycle}`);
        this.clk = clk;
        this.lat = lat;
        this.oe = oe;
    }

    // Output latches take the shift register, oldest bit first = column 0.
    latch() {
        const bits = new Uint8Array(this.chain);
        for (let i = 0; i < this.chain; i++) bits[i] = this.shift[(this.shiftAt + i) % this.chain];
        this.latched = { addr: this.addr, bits, clocks: this.clocks };
        this.clocks = 0;
        this.latches++;
        this.checkPins();
    }

    // Called after each lit interval when onRefresh is set: when this one
    // starts a refresh, the intervals before it are the refresh just shown.
    refreshDone() {
        const iv = this.intervals;
        const last = iv[iv.length - 1];
        if (last.cycles < this.t0) this.t0 = last.cycles;
        const count = this.cfg.scan * (this.cfg.planes || 1);
        if (iv.length < count + 1 || !this.isRefreshStart(iv, iv.length - 1)) return;
        const win = iv.slice(iv.length - 1 - count, iv.length - 1);
        if (!this.isRefreshStart(iv, iv.length - 1 - count)) return; // not aligned yet
        try {
            this.onRefresh(this.hub75 ? this.windowHub75(win, this.t0) : this.windowHub12(win), win[0].start);
        } catch (e) {
            this.errors.push(e.message);
        }
    }

    isRefreshStart(iv, i) {
        const it = iv[i];
        if (it.addr !== 0) return false;
        if (!this.hub75) return true;
        const top = this.t0 * 2 ** (this.cfg.planes - 1);
        return it.cycles === this.t0 && i > 0 && iv[i - 1].cycles === top;
    }

    // Forget what was seen so far (e.g. before a new frame is expected).
    reset() {
        this.intervals = [];
        this.errors = [];
        this.lastRise = -1;
        this.minClkPeriod = Infinity;
    }

    windowHub12(win) {
        const { width } = this.cfg;
        const levels = new Uint8Array(width * 16);
        const seen = new Set();
        for (const it of win) {
            if (seen.has(it.addr)) throw new Error(`address ${it.addr} twice in one refresh`);
            seen.add(it.addr);
            // clock i: byte i >> 3, MSB first; byte = 4 g + k, row r + 12 - 4 k
            for (let i = 0; i < this.chain; i++) {
                if (it.bits[i] & 1) continue; // active low: 1 = dark
                const byte = i >> 3;
                const g = byte >> 2;
                const k = byte & 3;
                const y = it.addr + 12 - 4 * k;
                levels[y * width + g * 8 + (i & 7)] = 1;
            }
        }
        return levels;
    }

    // Cycles from the start of one refresh to the start of the next, over
    // the refreshes seen (HUB75: plane 0 of address 0 after the top plane;
    // HUB12: address 0), and the shortest lit interval.
    refreshTiming() {
        const iv = this.intervals;
        const t0 = Math.min(...iv.map((i) => i.cycles));
        const planes = this.cfg.planes || 1;
        const top = t0 * 2 ** (planes - 1);
        const starts = [];
        iv.forEach((it, i) => {
            if (it.addr !== 0) return;
            if (!this.hub75 || (it.cycles === t0 && i > 0 && iv[i - 1].cycles === top)) starts.push(it.start);
        });
        if (starts.length < 2) throw new Error(`${starts.length} refresh starts seen`);
        const periods = starts.slice(1).map((s, k) => s - starts[k]);
        // Bit depth: the distinct BCM weights lit in one refresh.
        const weights = new Set(iv.filter((it) => it.start >= starts[0] && it.start < starts[1])
            .map((it) => it.cycles));
        return {
            periodCycles: Math.max(...periods), minOeCycles: t0, refreshes: periods.length,
            bitDepth: this.hub75 ? weights.size : 1,
        };
    }

    // The last complete refresh as levels: { levels, t0, refreshCycles,
    // onCycles, periodCycles }. HUB75 levels[(y * width + x) * 3 + pin] (pin
    // 0..2 = R, G, B data pin of that half); HUB12 levels[y * width + x] is
    // 1 when lit. Throws when the pins do not form a refresh.
    levels() {
        return this.hub75 ? this.levelsHub75() : this.levelsHub12();
    }

    lastRefresh(count, isStart) {
        const iv = this.intervals;
        for (let i = iv.length - count; i >= 0; i--) {
            if (isStart(iv[i], i)) return iv.slice(i, i + count);
        }
        throw new Error(`no complete refresh among ${iv.length} lit intervals`);
    }

    levelsHub75() {
        const { scan, planes } = this.cfg;
        const iv = this.intervals;
        if (iv.length < scan * planes) {
            throw new Error(`only ${iv.length} lit intervals, a refresh has ${scan * planes}`);
        }
        const t0 = Math.min(...iv.map((i) => i.cycles));
        const top = t0 * 2 ** (planes - 1);
        // A refresh starts with plane 0 of address 0 right after the last
        // plane of the refresh before.
        const win = this.lastRefresh(scan * planes, (it, i) =>
            it.addr === 0 && it.cycles === t0 && i > 0 && iv[i - 1].cycles === top);
        const levels = this.windowHub75(win, t0);
        const refreshCycles = win[win.length - 1].start + win[win.length - 1].cycles - win[0].start;
        return { levels, t0, refreshCycles, start: win[0].start };
    }

    windowHub75(win, t0) {
        const { width, scan, planes } = this.cfg;
        const seen = new Set();
        const levels = new Uint16Array(width * scan * 2 * 3);
        for (const it of win) {
            const w = it.cycles / t0;
            const p = Math.log2(w);
            if (!Number.isInteger(p) || p >= planes) {
                throw new Error(`lit for ${it.cycles} cycles: not 2^p x ${t0}`);
            }
            const key = it.addr * 64 + p;
            if (seen.has(key)) throw new Error(`address ${it.addr} plane ${p} twice in one refresh`);
            seen.add(key);
            for (let x = 0; x < width; x++) {
                const b = it.bits[x];
                for (let k = 0; k < 6; k++) {
                    if (!((b >> k) & 1)) continue;
                    const y = k < 3 ? it.addr : it.addr + scan;
                    levels[(y * width + x) * 3 + (k % 3)] += w;
                }
            }
        }
        return levels;
    }

    levelsHub12() {
        const win = this.lastRefresh(4, (it) => it.addr === 0);
        const levels = this.windowHub12(win);
        const on = win.map((i) => i.cycles);
        const periodCycles = win.length > 1 ? (win[3].start - win[0].start) / 3 : 0;
        return { levels, onCycles: on, periodCycles, start: win[0].start };
    }
}
