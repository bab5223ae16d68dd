import type { PropertyValue } from '../../model/inventory.js';

/**
 * Node selectors of `query reach --from/--to`: either one node id, or a filter of comma-separated
 * `key=value` terms that must all hold. `type` (or `kind`) names a label (a kind such as
 * `AwsS3Bucket`, or a category such as `Principal`), `account` the `accountId` property, `id` the
 * id; any other key is a node property. `true`/`false` are booleans; everything else is a string
 * (account ids stay strings).
 */
export interface NodeFilter {
  id: string | null;
  labels: string[];
  properties: { key: string; value: string | boolean }[];
}

const KEY = /^[A-Za-z][A-Za-z0-9_]*$/;
const ALIASES: Record<string, string> = { account: 'accountId' };

export function parseNodeFilter(text: string, option: string): NodeFilter {
  const trimmed = text.trim();
  if (trimmed === '') throw new Error(`${option}: expected a node id or key=value filters, got ""`);
  const eq = trimmed.indexOf('=');
  // An id may contain "=" (IAM names allow it) but never starts with a plain key and "=".
  if (eq < 1 || !KEY.test(trimmed.slice(0, eq))) return { id: trimmed, labels: [], properties: [] };
  const filter: NodeFilter = { id: null, labels: [], properties: [] };
  for (const term of trimmed.split(',')) {
    const at = term.indexOf('=');
    const key = term.slice(0, at).trim();
    const raw = term.slice(at + 1).trim();
    if (at < 1 || !KEY.test(key) || raw === '')
      throw new Error(`${option}: expected key=value terms separated by commas, got "${term}" in "${text}"`);
    if (key === 'type' || key === 'kind') filter.labels.push(raw);
    else if (key === 'id') filter.id = raw;
    else
      filter.properties.push({
        key: ALIASES[key] ?? key,
        value: raw === 'true' ? true : raw === 'false' ? false : raw,
      });
  }
  return filter;
}

/** Does a node (labels and properties) pass the filter? The Cypher files apply the same rules. */
export function matchesFilter(
  node: { id: string; labels: readonly string[]; properties: Readonly<Record<string, PropertyValue>> },
  filter: NodeFilter,
): boolean {
  if (filter.id !== null && node.id !== filter.id) return false;
  if (!filter.labels.every((l) => node.labels.includes(l))) return false;
  return filter.properties.every(({ key, value }) => node.properties[key] === value);
}
