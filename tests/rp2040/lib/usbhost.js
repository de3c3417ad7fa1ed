// usbhost — the USB host's side of the emulated bus, through rp2040js's
// device-mode hooks (resetDevice, sendSetupPacket, onEndpointRead/Write,
// endpointReadDone), with what the emulator does not model added here:
//
//  - full-speed framing: 1 ms frames of at most 19 bulk packets of 64 bytes
//    (what a full-speed bus carries once SOF, tokens, handshakes and
//    inter-packet gaps are paid), so throughput and idle figures mean
//    something; a bulk OUT packet occupies the bus for 1/19 ms;
//  - STALL on EP0: the emulator never tells the host, so the host reads the
//    STALL bit of EP0's buffer control together with EP_STALL_ARM, and
//    clears EP_STALL_ARM when it sends a SETUP (the hardware does);
//  - every host action is deferred to a clock alarm, because the emulator
//    calls back from inside the firmware's register writes.
//
// Endpoints are single-buffered (the firmware's choice; the emulator's
// double-buffered OUT is unreliable).

const FRAME_NANOS = 1_000_000;
const PACKETS_PER_FRAME = 19;
const PACKET_NANOS = FRAME_NANOS / PACKETS_PER_FRAME;
const DPRAM_EP0_IN_CTRL = 0x80;
const BUF_STALL = 1 << 11;

export const REQ = {
  GET_INFO: 0x01, GET_STATUS: 0x02, REBOOT_BOOTLOADER: 0x03,
};

export function setupPacket(bmRequestType, bRequest, wValue, wIndex, wLength) {
  return Uint8Array.from([bmRequestType, bRequest, wValue & 0xff, wValue >> 8,
    wIndex & 0xff, wIndex >> 8, wLength & 0xff, wLength >> 8]);
}

export class UsbHost {
  constructor(bench) {
    this.bench = bench;
    this.events = [];              // 'enabled', 'reset', 'detach', 'attach' with times
    this.control_ = null;          // the control transfer in progress
    this.outQueue = [];            // bulk OUT bytes waiting, as packets
    this.outReady = false;         // the device armed bulk OUT
    this.frame = -1;
    this.framePackets = 0;
    this.busFreeAt = 0;
    this.outBytes = 0;
    this.inPackets = [];           // bulk IN packets (STATUS frames)
    this.onIn = null;
    this.resetSeen = 0;
    this.attach(bench.mcu);
    bench.onReset((what, mcu) => {
      if (what === 'detach') {
        this.detach(mcu);
      } else {
        this.attach(mcu);
      }
    });
  }

  attach(mcu) {
    const usb = mcu.usbCtrl;
    this.usb = usb;
    this.mcu = mcu;
    this.outReady = false;
    usb.onUSBEnabled = () => {
      this.events.push(['enabled', this.bench.nanos]);
      this.bench.after(1000, () => usb.resetDevice());   // the emulator holds reset 10 ms
    };
    usb.onResetReceived = () => {
      this.resetSeen++;
      this.events.push(['reset', this.bench.nanos]);
    };
    usb.onEndpointRead = (ep, len) => this.deviceWantsOut(ep, len);
    usb.onEndpointWrite = (ep, data) => this.deviceSentIn(ep, Uint8Array.from(data));
    this.events.push(['attach', this.bench.nanos]);
  }

  detach(mcu) {
    const usb = mcu.usbCtrl;
    usb.onUSBEnabled = usb.onResetReceived = usb.onEndpointRead = usb.onEndpointWrite = undefined;
    if (this.control_) {
      const c = this.control_;
      this.control_ = null;
      c.reject(new Error('device left the bus'));
    }
    this.outReady = false;
    this.events.push(['detach', this.bench.nanos]);
  }

  // A bus reset from the host, at any time (mid-stream too).
  busReset() {
    this.outReady = false;
    this.bench.after(1000, () => this.usb.resetDevice());
  }

  // ---- control transfers ---------------------------------------------------

  // Sends one control transfer; resolves with the IN data (Uint8Array) or,
  // for OUT, an empty array; rejects with Error('STALL') when the device
  // stalls EP0.
  control(bmRequestType, bRequest, wValue, wIndex, wLength, dataOut = null) {
    if (this.control_) return Promise.reject(new Error('a control transfer is already in progress'));
    return new Promise((resolve, reject) => {
      const c = {
        in: (bmRequestType & 0x80) !== 0, wLength, data: [], dataOut,
        dataDone: false, statusDone: false, resolve, reject, setupAt: 0,
      };
      this.control_ = c;
      this.bench.after(1000, () => {
        this.usb.epStallArm &= ~3;                  // SETUP clears EP0's stall (hardware)
        c.setupAt = this.bench.nanos;
        this.usb.sendSetupPacket(setupPacket(bmRequestType, bRequest, wValue, wIndex, wLength));
        this.pollStall(c);
      });
    });
  }

  pollStall(c) {
    if (this.control_ !== c) return;
    const ctrl = this.mcu.usbDPRAMView.getUint32(DPRAM_EP0_IN_CTRL, true);
    if ((ctrl & BUF_STALL) && (this.usb.epStallArm & 1)) {
      this.control_ = null;
      c.reject(new Error('STALL'));
      return;
    }
    this.bench.after(20_000, () => this.pollStall(c));
  }

  finishControl(c) {
    if (this.control_ !== c || !c.dataDone || !c.statusDone) return;
    this.control_ = null;
    c.resolve(Uint8Array.from(c.data));
  }

  async getDescriptor(type, index, length) {
    return this.control(0x80, 6, (type << 8) | index, 0, length);
  }

  // ---- endpoints -----------------------------------------------------------

  deviceSentIn(ep, data) {
    if (ep === 0) {
      const c = this.control_;
      if (!c) return;
      if (c.in) {
        c.data.push(...data);
        if (data.length < 64 || c.data.length >= c.wLength) c.dataDone = true;
      } else {
        c.dataDone = c.statusDone = true;           // the status ZLP of a control OUT
      }
      this.finishControl(c);
      return;
    }
    if (ep === 1) {
      this.inPackets.push(data);
      if (this.onIn) this.onIn(data);
    }
  }

  deviceWantsOut(ep, len) {
    if (ep === 0) {
      const c = this.control_;
      if (!c) return;
      this.usb.endpointReadDone(0, new Uint8Array(0), 1);   // status stage of a control IN
      this.bench.after(2000, () => { c.statusDone = true; this.finishControl(c); });
      return;
    }
    if (ep === 1) {
      this.outReady = true;
      this.outLen = len;
      this.pumpOut();
    }
  }

  // ---- bulk OUT with full-speed framing --------------------------------------

  // Queues bytes for bulk OUT (cut into 64-byte packets, the last one short).
  send(bytes) {
    for (let off = 0; off < bytes.length; off += 64) this.outQueue.push(bytes.subarray(off, off + 64));
    this.pumpOut();
  }

  get outPending() { return this.outQueue.reduce((n, p) => n + p.length, 0); }

  pumpOut() {
    if (!this.outReady || this.outQueue.length === 0 || this.pumpScheduled) return;
    const now = this.bench.nanos;
    let start = Math.max(now, this.busFreeAt);
    let frame = Math.floor(start / FRAME_NANOS);
    if (frame === this.frame && this.framePackets >= PACKETS_PER_FRAME) {
      frame++;
      start = frame * FRAME_NANOS;
    }
    if (frame !== this.frame) {
      this.frame = frame;
      this.framePackets = 0;
    }
    this.framePackets++;
    const done = start + PACKET_NANOS;
    this.busFreeAt = done;
    this.outReady = false;
    const packet = this.outQueue.shift();
    this.pumpScheduled = true;
    this.bench.after(done - now, () => {
      this.pumpScheduled = false;
      this.outBytes += packet.length;
      this.usb.endpointReadDone(1, packet, 0);
    });
  }

  // ---- enumeration -----------------------------------------------------------

  // What a host does after a bus reset: device descriptor, address,
  // configuration descriptor, strings, SET_CONFIGURATION 1.
  async enumerate() {
    const dev = await this.getDescriptor(1, 0, 64);
    await this.control(0x00, 5, 7, 0, 0);
    const cfgHead = await this.getDescriptor(2, 0, 9);
    const total = cfgHead[2] | (cfgHead[3] << 8);
    const cfg = await this.getDescriptor(2, 0, total);
    const langs = await this.getDescriptor(3, 0, 255);
    const str = async (i) => {
      if (!i) return null;
      const d = await this.getDescriptor(3, i, 255);
      let s = '';
      for (let k = 2; k + 1 < d.length; k += 2) s += String.fromCharCode(d[k] | (d[k + 1] << 8));
      return s;
    };
    const strings = { manufacturer: await str(dev[14]), product: await str(dev[15]), serial: await str(dev[16]) };
    await this.control(0x00, 9, 1, 0, 0);
    return { dev, cfg, langs, strings };
  }
}
