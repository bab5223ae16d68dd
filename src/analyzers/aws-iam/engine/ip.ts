/**
 * IPv4/IPv6 addresses and CIDR blocks for `IpAddress`/`NotIpAddress`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress).
 * A bare address in a policy means a /32 (or /128).
 */

interface Cidr {
  bits: bigint;
  prefix: number;
  width: 32 | 128;
}

const cache = new Map<string, Cidr | null>();

function parseIpv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | null {
  let address = text;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4 = address.slice(address.lastIndexOf(':') + 1);
  if (v4.includes('.')) {
    const tail = parseIpv4(v4);
    if (tail === null) return null;
    address = `${address.slice(0, -v4.length)}${(tail >> 16n).toString(16)}:${(tail & 0xffffn).toString(16)}`;
  }
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return null;
    value = (value << 16n) | BigInt(Number.parseInt(group, 16));
  }
  return value;
}

function parseCidr(text: string): Cidr | null {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const [address = '', prefixText] = text.trim().split('/');
  const isV6 = address.includes(':');
  const width = isV6 ? 128 : 32;
  const bits = isV6 ? parseIpv6(address) : parseIpv4(address);
  const prefix =
    prefixText === undefined ? width : /^\d+$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  const result = bits === null || !(prefix >= 0 && prefix <= width) ? null : { bits, prefix, width };
  cache.set(text, result as Cidr | null);
  return result as Cidr | null;
}

/** Is the address inside the block? False for malformed input or mixed address families. */
export function ipInCidr(address: string, block: string): boolean {
  const ip = parseCidr(address);
  const cidr = parseCidr(block);
  if (!ip || !cidr || ip.width !== cidr.width) return false;
  const shift = BigInt(cidr.width - cidr.prefix);
  return ip.bits >> shift === cidr.bits >> shift;
}
