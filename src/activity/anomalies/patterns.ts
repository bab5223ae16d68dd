/**
 * Action and user-agent patterns of the detectors' rules: `*` stands for any run of characters, the
 * rest is literal and compared case-insensitively (AWS matches actions case-insensitively,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html; GCP
 * method names and Kubernetes verbs and resources are written in one case, so nothing is lost).
 */
export function patternMatcher(patterns: readonly string[]): (value: string | null) => boolean {
  if (patterns.length === 0) return () => false;
  const escaped = patterns.map((p) =>
    p
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*'),
  );
  const regex = new RegExp(`^(?:${escaped.join('|')})$`, 'i');
  return (value) => value !== null && regex.test(value);
}

/**
 * The family of a user agent, as the baselines compare them: its first product token's name, lower
 * case, without the version (`aws-cli/2.15.3 Python/3.11` → `aws-cli`, `[Boto3/1.34 …]` → `boto3`,
 * `kubectl/v1.29.0 (linux/amd64)` → `kubectl`). Every release of a tool changes the full string; a
 * tool the identity never used is the change that matters. The same expression is `ua_family` in SQL
 * (review.ts).
 */
export function userAgentFamily(userAgent: string | null): string | null {
  if (userAgent === null) return null;
  const match = /^[\s[]*([^/\s[\]]+)/.exec(userAgent);
  return match?.[1] ? match[1].toLowerCase() : userAgent.toLowerCase();
}

/** Whether a source network is an address prefix (CIDR) rather than a service name (`AWS Internal`). */
export function isAddressNetwork(network: string | null): network is string {
  return network !== null && /^[0-9a-f:.]+\/\d+$/i.test(network);
}

/** Whether a /24 or /48 source network lies inside one of the configured CIDRs (IPv4 and IPv6). */
export function withinKnownNetworks(network: string, known: readonly string[]): boolean {
  const parsed = parseCidr(network);
  if (!parsed) return false;
  return known.some((cidr) => {
    const outer = parseCidr(cidr);
    if (!outer || outer.version !== parsed.version || outer.bits > parsed.bits) return false;
    const width = parsed.version === 4 ? 32n : 128n;
    const mask = ((1n << BigInt(outer.bits)) - 1n) << (width - BigInt(outer.bits));
    return (parsed.address & mask) === (outer.address & mask);
  });
}

function parseCidr(cidr: string): { version: 4 | 6; address: bigint; bits: number } | undefined {
  const [ip, prefix] = cidr.split('/');
  if (!ip) return undefined;
  if (ip.includes(':')) {
    const [head = '', tail] = ip.split('::');
    const left = head ? head.split(':') : [];
    const right = tail ? tail.split(':') : [];
    const groups =
      tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
    if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
    const address = groups.reduce((a, g) => (a << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
    return { version: 6, address, bits: prefix === undefined ? 128 : Number(prefix) };
  }
  const octets = ip.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) return undefined;
  const address = octets.reduce((a, o) => (a << 8n) | BigInt(o), 0n);
  return { version: 4, address, bits: prefix === undefined ? 32 : Number(prefix) };
}
