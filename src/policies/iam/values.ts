// Typed comparisons behind the condition operators: numbers, dates, IP ranges.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
export function parseNumber(text: string): number | undefined {
  return NUMBER.test(text.trim()) ? Number(text) : undefined;
}

// Dates are ISO 8601 (the W3C profile IAM cites) or epoch seconds ("DateEquals ... aws:CurrentTime ...
// you can also use epoch (UNIX) time" on the operators page). A date-time without a zone is read as UTC
// so the answer does not depend on the machine's time zone.
// An all-digit value is epoch seconds (so a bare "2024" is a second of 1970, not a year).
const ISO = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;
export function parseDate(text: string): number | undefined {
  const t = text.trim();
  if (/^-?\d+$/.test(t)) return Number(t) * 1000;
  const m = ISO.exec(t);
  if (!m) return undefined;
  const ms = Date.parse(m[3] && !m[6] ? `${t}Z` : t);
  return Number.isNaN(ms) ? undefined : ms;
}

export interface IpRange {
  v6: boolean;
  /** The address as a 32- or 128-bit integer. */
  value: bigint;
  prefix: number;
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let out = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    out = (out << 8n) | BigInt(Number(p));
  }
  return out;
}

function parseV6(text: string): bigint | undefined {
  let t = text;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = /(\d{1,3}(\.\d{1,3}){3})$/.exec(t);
  if (v4) {
    const n = parseV4(v4[1] ?? '');
    if (n === undefined) return undefined;
    t = `${t.slice(0, v4.index)}${((n >> 16n) & 0xffffn).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let out = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    out = (out << 16n) | BigInt(parseInt(g, 16));
  }
  return out;
}

/** An address or CIDR block; a bare address is a /32 or /128 block. */
export function parseIpRange(text: string): IpRange | undefined {
  const [addr = '', prefixText, ...rest] = text.trim().split('/');
  if (rest.length) return undefined;
  const v6 = addr.includes(':');
  const value = v6 ? parseV6(addr) : parseV4(addr);
  if (value === undefined) return undefined;
  const max = v6 ? 128 : 32;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return undefined;
  return { v6, value, prefix };
}

/** Is `address` inside `range`? An IPv4 address is never inside an IPv6 block, nor the reverse. */
export function ipInRange(address: IpRange, range: IpRange): boolean {
  if (address.v6 !== range.v6) return false;
  const bits = BigInt(range.v6 ? 128 : 32);
  const shift = bits - BigInt(range.prefix);
  return address.value >> shift === range.value >> shift;
}
