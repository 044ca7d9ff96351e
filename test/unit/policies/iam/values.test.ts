// The typed values behind the condition operators: numbers (Numeric*), dates (Date*) and IP ranges
// (IpAddress / NotIpAddress).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
import { afterEach, describe, expect, it } from 'vitest';
import { ipInRange, parseDate, parseIpRange, parseNumber } from '../../../../src/policies/iam/values.js';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

describe('parseNumber', () => {
  it.each([
    ['5', 5],
    [' 5 ', 5],
    ['12', 12],
    ['+5', 5],
    ['-5', -5],
    ['1.5', 1.5],
    ['1.25', 1.25],
    ['1.', 1],
    ['.25', 0.25],
    ['.5', 0.5],
    ['1e3', 1000],
    ['1E3', 1000],
    ['1e+3', 1000],
    ['1e-3', 0.001],
    ['1e10', 10000000000],
  ])('reads %j as %d', (text, expected) => {
    expect(parseNumber(text)).toBe(expected);
  });

  it.each(['', 'x5', '5x', 'abc', '.', '1e', '1.2.3', '--5', '0x10', 'Infinity'])('rejects %j', (text) => {
    expect(parseNumber(text)).toBeUndefined();
  });
});

describe('parseDate', () => {
  const tz = process.env.TZ;
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  // Epoch seconds: "you can also use epoch (UNIX) time" (operators page, Date condition operators).
  it.each([
    ['2024', 2024000],
    ['0', 0],
    ['-5', -5000],
    ['1704067200', 1704067200000],
  ])('reads the all-digit %j as epoch seconds (%d ms)', (text, expected) => {
    expect(parseDate(text)).toBe(expected);
  });

  // ISO 8601 in the W3C profile (https://www.w3.org/TR/NOTE-datetime); zoneless date-times are UTC.
  it.each([
    ['2024-01-01', 1704067200000],
    [' 2024-01-01 ', 1704067200000],
    ['2024-01', 1704067200000],
    ['2024-02', 1706745600000],
    ['2024-01-01T00:00Z', 1704067200000],
    ['2024-01-01T10:30Z', 1704105000000],
    ['2024-01-01T10:30', 1704105000000],
    ['2024-01-01T10:30:15Z', 1704105015000],
    ['2024-01-01T10:30:15', 1704105015000],
    ['2024-01-01T10:30:15.123Z', 1704105015123],
    ['2024-01-01T10:30:15.5Z', 1704105015500],
    ['2024-01-01T10:30:15+02:00', 1704097815000],
    ['2024-01-01T10:30:15-02:00', 1704112215000],
    ['2024-01-01T00:00:00', 1704067200000],
  ])('reads %j as %d ms', (text, expected) => {
    expect(parseDate(text)).toBe(expected);
  });

  it.each([
    '',
    'x',
    'Mon 2024-01-01',
    '12024-01-01',
    '+002024-01-01',
    '2024-01-01 00:00',
    '2024-01-01junk',
    '2024-1-01',
    '2024-01-1',
    '2024-01-01T1:30Z',
    '2024-01-01T10:3Z',
    '2024-01-01T10:30:1Z',
    '2024-01-01T10:30:15.Z',
    '2024-01-01T10:30:15 02:00',
    '2024-01-01T10:30:15+2:00',
    '2024-01-01T10:30:15+02:0',
    '2024-01-01T10:30:15+aa:00',
    '2024-01-01T10:30:15+02:aa',
    '2024-13-01',
  ])('rejects %j', (text) => {
    expect(parseDate(text)).toBeUndefined();
  });

  it('reads a zoneless date-time as UTC whatever the machine time zone', () => {
    // A time zone belongs to the process: a test worker thread cannot change its own (setting TZ there
    // does nothing). So parseDate runs in a child Node started in New York's zone, bundled from source.
    const source = fileURLToPath(new URL('../../../../src/policies/iam/values.ts', import.meta.url));
    const bundled = buildSync({ entryPoints: [source], bundle: true, format: 'esm', platform: 'node', write: false }).outputFiles[0]!.text;
    const probe = `${bundled}\nconsole.log(JSON.stringify([new Date(1704067200000).getTimezoneOffset(), parseDate('2024-01-01T00:00:00'), parseDate('2024-01-01T10:30')]));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe], { env: { ...process.env, TZ: 'America/New_York' }, encoding: 'utf8' });
    // The first value guards the test itself: the zone took effect (New York is UTC-5 in January).
    expect(JSON.parse(out)).toEqual([300, 1704067200000, 1704105000000]);
  });
});

describe('parseIpRange', () => {
  it.each([
    ['10.0.0.0/8', { v6: false, value: 0x0a000000n, prefix: 8 }],
    [' 10.0.0.0/8 ', { v6: false, value: 0x0a000000n, prefix: 8 }],
    ['1.2.3.4', { v6: false, value: 0x01020304n, prefix: 32 }],
    ['255.255.255.255', { v6: false, value: 0xffffffffn, prefix: 32 }],
    ['0.0.0.0/0', { v6: false, value: 0n, prefix: 0 }],
    ['10.0.0.0/032', { v6: false, value: 0x0a000000n, prefix: 32 }],
    ['::', { v6: true, value: 0n, prefix: 128 }],
    ['::/0', { v6: true, value: 0n, prefix: 0 }],
    ['::1', { v6: true, value: 1n, prefix: 128 }],
    ['1::', { v6: true, value: 0x00010000000000000000000000000000n, prefix: 128 }],
    ['1:2:3:4:5:6:7:8', { v6: true, value: 0x00010002000300040005000600070008n, prefix: 128 }],
    ['1:2:3:4::5:6:7', { v6: true, value: 0x00010002000300040000000500060007n, prefix: 128 }],
    ['2001:DB8::/32', { v6: true, value: 0x20010db8000000000000000000000000n, prefix: 32 }],
    ['::ffff:10.0.0.1', { v6: true, value: 0xffff0a000001n, prefix: 128 }],
    ['::ffff:1.2.3.40', { v6: true, value: 0xffff01020328n, prefix: 128 }],
    ['::ffff:0a00:0001/96', { v6: true, value: 0xffff0a000001n, prefix: 96 }],
  ])('reads %j', (text, expected) => {
    expect(parseIpRange(text)).toEqual(expected);
  });

  it.each([
    '',
    'x',
    '1.2.3',
    '1.2.3.4.5',
    '1.2.3.256',
    '1.2.3.x4',
    '1.2.3.4x',
    'a.b.c.d',
    '1.2.3.1234',
    '10.0.0.0/33',
    '10.0.0.0/',
    '10.0.0.0/x',
    '10.0.0.0/x8',
    '10.0.0.0/8x',
    '10.0.0.0/8/9',
    '10.0.0.0/1000',
    '::/129',
    '1:2:3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4::5:6:7:8',
    '1::2::3',
    '::g',
    '::1x',
    '::x1',
    '::12345',
    '::ffff:1.2.3.256',
    '::1.2.3.4:1',
  ])('rejects %j', (text) => {
    expect(parseIpRange(text)).toBeUndefined();
  });
});

describe('ipInRange', () => {
  const ip = (text: string) => {
    const r = parseIpRange(text);
    if (!r) throw new Error(`bad test address ${text}`);
    return r;
  };
  it.each([
    ['10.1.2.3', '10.0.0.0/8', true],
    ['11.1.2.3', '10.0.0.0/8', false],
    ['10.1.2.3', '0.0.0.0/0', true],
    ['10.1.2.3', '10.1.2.3', true],
    ['10.1.2.4', '10.1.2.3', false],
    ['2001:db8::1', '2001:db8::/32', true],
    ['2001:db9::1', '2001:db8::/32', false],
    // "An IPv4 address is never inside an IPv6 block, nor the reverse", even the all-covering ones.
    ['10.1.2.3', '::/0', false],
    ['::1', '0.0.0.0/0', false],
  ])('%s in %s is %s', (address, range, expected) => {
    expect(ipInRange(ip(address), ip(range))).toBe(expected);
  });
});
