// usbbridge — the firmware image on an emulated RP2040 as the device behind
// tests/support/mockusb.c (mockusbd --emulate): every URB the real libusb
// sends arrives here over stdin and goes to the emulated controller through
// the harness's USB host role; answers go back over stdout. Framing: kind
// (1 byte), tag (u32 LE), length (u16 LE), data; see mockusb_emu.h.
//
// The emulator runs as fast as it can but never ahead of the wall clock, so
// the controller's clock (host silence, STATUS when idle) stays sane. PIO is
// not stepped: this checks the USB side, the panel has its own tests.
import { bootAndEnumerate, MS } from './lib/testbed.js';

const board = process.argv[process.argv.indexOf('--board') + 1];
const { bench, host, enumeration } = await bootAndEnumerate(board);

function send(kind, tag, data = new Uint8Array(0)) {
  const h = Buffer.alloc(7);
  h[0] = kind.charCodeAt(0);
  h.writeUInt32LE(tag >>> 0, 1);
  h.writeUInt16LE(data.length, 5);
  process.stdout.write(Buffer.concat([h, Buffer.from(data)]));
}

host.onIn = (pkt) => send('i', 0, pkt);

// Control transfers one at a time, in order.
const controls = [];
let controlBusy = false;
function nextControl() {
  if (controlBusy || !controls.length) return;
  controlBusy = true;
  const { tag, setup, data } = controls.shift();
  const v = new DataView(setup.buffer, setup.byteOffset, 8);
  host.control(setup[0], setup[1], v.getUint16(2, true), v.getUint16(4, true), v.getUint16(6, true), data)
    .then((inData) => send('c', tag, Uint8Array.from([0, ...inData])),
      (e) => send('c', tag, Uint8Array.of(/STALL/.test(e.message) ? 1 : 2)))
    .finally(() => { controlBusy = false; nextControl(); });
}

// Bulk OUT: a URB is done once the device has taken all of its bytes.
const outs = [];
let outQueued = 0;
function checkOuts() {
  while (outs.length && host.outBytes >= outs[0].end) send('o', outs.shift().tag);
}

let input = Buffer.alloc(0);
let ended = false;
process.stdin.on('data', (chunk) => {
  input = Buffer.concat([input, chunk]);
  while (input.length >= 7) {
    const len = input.readUInt16LE(5);
    if (input.length < 7 + len) break;
    const kind = String.fromCharCode(input[0]), tag = input.readUInt32LE(1);
    const data = Uint8Array.from(input.subarray(7, 7 + len));
    input = input.subarray(7 + len);
    if (kind === 'C') {
      controls.push({ tag, setup: data.subarray(0, 8), data: data.subarray(8) });
      nextControl();
    } else if (kind === 'O') {
      outQueued += data.length;
      outs.push({ tag, end: outQueued });
      host.send(data);
    }
  }
});
process.stdin.on('end', () => { ended = true; });

// Standard descriptors were read during enumeration; tell mockusb the serial.
send('R', 0, Buffer.from(enumeration.strings.serial, 'latin1'));

if (process.env.USBBRIDGE_DEBUG) {
  setInterval(() => process.stderr.write(`usbbridge: wall ${Number(process.hrtime.bigint() - wall0) / 1e6 | 0} ms, emulated ${(bench.nanos - emu0) / 1e6 | 0} ms, out ${host.outBytes} B, idle ${(100 * bench.idleNanos / bench.nanos).toFixed(0)} %, queued ${host.outPending}\n`), 500);
}
const wall0 = process.hrtime.bigint();
const emu0 = bench.nanos;
function loop() {
  if (ended) process.exit(0);
  const wall = Number(process.hrtime.bigint() - wall0);
  const ahead = bench.nanos - emu0 - wall;
  if (ahead > 0) {
    setTimeout(loop, Math.max(1, Math.floor(ahead / MS)));
    return;
  }
  bench.run(Math.min(2 * MS, -ahead + 0.5 * MS));
  checkOuts();
  setImmediate(loop);
}
loop();
