// chip — an emulated RP2040 (rp2040js) with the project's stub bootrom and
// a ledctl image loaded from its .uf2 file, the way the ROM would flash it.
//
// Also models what the emulator leaves out and the image relies on:
//  - the flash chip behind the SSI answers Read Unique ID (4Bh) with the
//    chip's 64-bit ID, so the image's serial number can be checked;
//  - the logger shows warnings and errors only.
import { readFileSync } from 'node:fs';
import { RP2040, ConsoleLogger, LogLevel } from 'rp2040js';

const UF2_MAGIC0 = 0x0a324655;
const UF2_MAGIC1 = 0x9e5d5157;
const UF2_MAGIC_END = 0x0ab16f30;
const UF2_FLAG_FAMILY = 0x2000;
const RP2040_FAMILY = 0xe48bff56;
const FLASH_BASE = 0x10000000;

// Blocks of a UF2 file as the RP2040 ROM accepts them; throws on anything else.
export function parseUf2(buf) {
  if (buf.length === 0 || buf.length % 512) throw new Error(`UF2: ${buf.length} bytes is not whole 512-byte blocks`);
  const blocks = [];
  for (let off = 0; off < buf.length; off += 512) {
    const v = new DataView(buf.buffer, buf.byteOffset + off, 512);
    const u32 = (o) => v.getUint32(o, true);
    if (u32(0) !== UF2_MAGIC0 || u32(4) !== UF2_MAGIC1 || u32(508) !== UF2_MAGIC_END)
      throw new Error(`UF2 block ${off / 512}: bad magic`);
    if (!(u32(8) & UF2_FLAG_FAMILY) || u32(28) !== RP2040_FAMILY)
      throw new Error(`UF2 block ${off / 512}: not for the RP2040 family`);
    const size = u32(16);
    if (size !== 256) throw new Error(`UF2 block ${off / 512}: payload ${size}, the ROM writes 256`);
    if (u32(20) !== off / 512 || u32(24) !== buf.length / 512)
      throw new Error(`UF2 block ${off / 512}: numbering ${u32(20)}/${u32(24)}`);
    blocks.push({ addr: u32(12), data: buf.subarray(off + 32, off + 32 + size) });
  }
  return blocks;
}

// The flash chip seen through the SSI in plain SPI mode: bytes written to
// DR0 go out on MOSI, each brings one byte back. Only Read Unique ID has
// an answer; anything else reads as 0xFF (an idle MISO line).
function modelFlashChip(ssi, uniqueId) {
  const origWrite = ssi.writeUint32.bind(ssi);
  const origRead = ssi.readUint32.bind(ssi);
  let sent = [], rx = [];
  ssi.writeUint32 = (offset, value) => {
    if (offset === 0x08) { sent = []; rx = []; }             // SSIENR: a new transfer
    if (offset === 0x60) {                                   // DR0
      const i = sent.length;
      sent.push(value & 0xff);
      let out = 0xff;
      if (sent[0] === 0x4b && i >= 5 && i < 13) out = uniqueId[i - 5];
      rx.push(out);
      return;
    }
    origWrite(offset, value);
  };
  ssi.readUint32 = (offset) => {
    if (offset === 0x24) return rx.length;                  // RXFLR
    if (offset === 0x20) return 0;                          // TXFLR: sent at once
    if (offset === 0x60) return rx.length ? rx.shift() : 0;
    return origRead(offset);
  };
}

export function createChip({ bootrom, uf2, uniqueId, clock }) {
  const mcu = new RP2040(clock);
  mcu.logger = new ConsoleLogger(LogLevel.Warn, true);
  const rom = readFileSync(bootrom);
  const words = new Uint32Array(rom.buffer.slice(rom.byteOffset, rom.byteOffset + (rom.length + 3 & ~3)));
  mcu.loadBootrom(words);                       // resets the chip and erases flash: before the image
  for (const { addr, data } of parseUf2(readFileSync(uf2))) {
    if (addr < FLASH_BASE || addr + data.length > FLASH_BASE + mcu.flash.length)
      throw new Error(`UF2: block at 0x${addr.toString(16)} is outside flash`);
    mcu.flash.set(data, addr - FLASH_BASE);
  }
  modelFlashChip(mcu.peripherals[0x18000], uniqueId);
  mcu.core.PC = mcu.readUint32(4) & ~1;         // the bootrom's reset vector
  mcu.core.SP = mcu.readUint32(0);
  return mcu;
}
