// stream — the host's side of the credit rule (docs/protocol.md): read
// GET_INFO.max_in_flight and STATUS.consumed, write bulk OUT bytes only
// while (sent - consumed) + n <= max_in_flight, take STATUS messages from
// bulk IN to learn what the controller has consumed.
import { getInfo, getStatus, parseStatus } from './testbed.js';

const STATUS_OPCODE = 0x80;

export class Streamer {
  constructor(bench, host) {
    this.bench = bench;
    this.host = host;
    this.queue = [];
    this.queued = 0;
    this.statuses = [];
    host.onIn = (pkt) => this.onStatus(pkt);
  }

  // GET_INFO and GET_STATUS: the window and the starting point of the count.
  async open() {
    const info = await getInfo(this.bench, this.host);
    this.window = new DataView(info.buffer, info.byteOffset).getUint32(12, true);
    const st = parseStatus(await getStatus(this.bench, this.host));
    this.consumed = st.consumed;
    this.sent = st.consumed;
    return st;
  }

  onStatus(pkt) {
    if (pkt.length < 64 || pkt[0] !== 0x4c || pkt[1] !== 0xed || pkt[2] !== STATUS_OPCODE) return;
    const st = parseStatus(pkt.subarray(12, 64));
    this.statuses.push(st);
    this.consumed = st.consumed;
    this.pump();
  }

  // Queues bytes; they go out as the credits allow.
  write(bytes) {
    this.queue.push(bytes);
    this.queued += bytes.length;
    this.pump();
  }

  get unsent() { return this.queued; }

  pump() {
    while (this.queue.length) {
      const head = this.queue[0];
      const owed = (this.sent - this.consumed) >>> 0;
      const room = this.window - owed;
      if (room < 64 && room < head.length) return;
      const n = Math.min(head.length, room - (room % 64) || room, 4096);
      this.host.send(head.subarray(0, n));
      this.sent = (this.sent + n) >>> 0;
      this.queued -= n;
      if (n === head.length) this.queue.shift(); else this.queue[0] = head.subarray(n);
    }
  }

  // Runs until every byte is sent and consumed.
  async drain(timeoutNanos) {
    await this.bench.until(() => this.queued === 0 && this.host.outPending === 0 &&
      this.consumed === this.sent, timeoutNanos, 'the stream to be consumed');
  }
}
