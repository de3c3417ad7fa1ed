// The ledctl image on an emulated RP2040: it boots the way the real chip
// does (stub bootrom -> CRC-checked boot2 -> vector table at 0x10000100),
// runs its clocks at 125/48 MHz, and enumerates as the device that
// docs/protocol.md describes, answering GET_INFO exactly as ledsim does
// for the same board.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Bench, BKPT_BAD_BOOT2 } from './lib/bench.js';
import { UsbHost, REQ } from './lib/usbhost.js';
import { BOOTROM, uf2For, bootAndEnumerate, getInfo, ledsimControl, hex, MS } from './lib/testbed.js';

const BOARDS = (process.env.FW_TEST_BOARDS || 'hub75-64x32 hub75-128x32 p10-128x16').split(' ');

for (const board of BOARDS) {
  test(`${board}: boots, enumerates, GET_INFO equals ledsim's`, async () => {
    const uniqueId = [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef];
    const { bench, host, enumeration } = await bootAndEnumerate(board, { uniqueId });
    const { mcu } = bench;
    assert.equal(mcu.clkSys, 125e6, 'clk_sys from PLL_SYS');
    assert.equal(mcu.pllUsb.frequency, 48e6, 'PLL_USB for clk_usb');
    assert.equal(mcu.core.VTOR, 0x10000100, 'boot2 entered the vector table after itself');
    assert.deepEqual(bench.breaks, [], 'no BKPT: boot2 passed the bootrom\'s CRC check');

    const dev = enumeration.dev;
    assert.equal(dev.length, 18);
    assert.equal(dev[1], 1, 'device descriptor');
    assert.equal(dev[7], 64, 'EP0 max packet');
    assert.equal(dev[8] | (dev[9] << 8), 0x1209, 'VID from the board (pid.codes test VID)');
    assert.equal(dev[10] | (dev[11] << 8), 0x0001, 'PID from the board');
    const cfg = enumeration.cfg;
    assert.equal(cfg.length, 32);
    assert.deepEqual([...cfg.subarray(9, 18)], [9, 4, 0, 0, 2, 0xff, 0x4c, 0, 0], 'vendor interface 0');
    assert.deepEqual([...cfg.subarray(18, 25)], [7, 5, 0x01, 2, 64, 0, 0], 'bulk OUT 0x01');
    assert.deepEqual([...cfg.subarray(25, 32)], [7, 5, 0x81, 2, 64, 0, 0], 'bulk IN 0x81');
    assert.equal(enumeration.strings.manufacturer, 'ledticker');
    assert.equal(enumeration.strings.product, 'LED matrix controller');
    assert.equal(enumeration.strings.serial, '0123456789ABCDEF', 'serial = flash unique ID in hex');

    const info = await getInfo(bench, host);
    assert.equal(hex(info), ledsimControl(board, 'get-info'), 'GET_INFO as ledsim answers it');
  });
}

test('unknown requests are STALLed on EP0, and the next request works', async () => {
  const { bench, host } = await bootAndEnumerate(BOARDS[0]);
  await assert.rejects(bench.wait(host.control(0xc1, 0x7e, 0, 0, 8), 50 * MS, 'vendor 0x7e'), /STALL/);
  await assert.rejects(bench.wait(host.getDescriptor(0x22, 0, 64), 50 * MS, 'HID report descriptor'), /STALL/);
  await assert.rejects(bench.wait(host.getDescriptor(3, 9, 64), 50 * MS, 'string 9'), /STALL/);
  const info = await getInfo(bench, host);
  assert.equal(info.length, 64);
});

test('a boot2 whose CRC does not match is not run', async () => {
  const uf2 = Buffer.from(readFileSync(uf2For(BOARDS[0])));
  uf2[32 + 10] ^= 0x01;                     // a bit of boot2 in the first UF2 block
  const path = `${mkdtempSync(`${tmpdir()}/ledctl-`)}/bad.uf2`;
  writeFileSync(path, uf2);
  const bench = new Bench({ bootrom: BOOTROM, uf2: path });
  const host = new UsbHost(bench);
  bench.run(20 * MS);
  assert.deepEqual(bench.breaks, [BKPT_BAD_BOOT2], 'the bootrom refused boot2');
  assert.equal(host.resetSeen, 0, 'the image never ran');
});

test('the reboot-to-bootloader request reaches the ROM\'s reset_usb_boot', async () => {
  const { bench, host } = await bootAndEnumerate(BOARDS[0]);
  await bench.wait(host.control(0x41, REQ.REBOOT_BOOTLOADER, 0, 0, 0), 50 * MS, 'REBOOT_BOOTLOADER');
  assert.deepEqual(bench.breaks, [], 'the request completes before the controller leaves');
  bench.run(30 * MS);
  assert.deepEqual(bench.breaks, [0xb0], 'the image called the ROM function looked up as \'UB\'');
});
