import type { PropertyValue } from '../model/inventory.js';

/**
 * The one filter language for "which identities" and "which resources", shared by the CLI
 * (`--from nonHuman=true,account=111111111111`), the GraphQL inputs (`IdentityFilter`,
 * `ResourceFilter`), the summary's Cypher (`$who`/`$what`) and the in-memory answers. Every field
 * is null (or empty) when not asked for; different fields must all hold; the values of one list
 * field are alternatives. `environments`/`sensitivities` treat a missing property as `unknown`.
 */
export interface NodeFilter {
  ids: string[] | null;
  providers: string[] | null;
  nonHuman: boolean | null;
  nhiTypes: string[] | null;
  environments: string[] | null;
  sensitivities: string[] | null;
  /** Lower-case substring of the name. */
  nameContains: string | null;
  /** Node kinds or categories (labels), e.g. `AwsS3Bucket`, `Resource`. */
  kinds: string[] | null;
  scopes: string[] | null;
  /** Owners of identities (docs/owners.md): the `owner` property is one of them. */
  owners: string[] | null;
  /** True: identities with an owner; false: those without one. */
  owned: boolean | null;
  /** Any other property, by equality (the CLI's `key=value` terms that name no field above). */
  properties: { key: string; value: string | boolean }[];
  /**
   * Only nodes inside one of these scope units (a scoped API token's reach, src/api/token-scope.ts);
   * null: anywhere. Never set from a user's filter: the API adds it.
   */
  within: ScopeUnit[] | null;
}

/**
 * A part of the estate a node can lie in: a provider (`labels`, its node kinds), an AWS account
 * (`scope` aws:ACCOUNT, or `accountId` for the nodes of that account collected elsewhere, such as
 * its root), a GCP project or a Kubernetes cluster (`scope` gcp:PROJECT, k8s:CLUSTER), or one
 * namespace of a cluster (`scope` k8s:CLUSTER and `namespace`, or the namespace node `namespaceId`).
 * Every given field must hold. Cypher files test it with the same predicate (see `WITHIN_PREDICATE`
 * in docs/api.md#scoped-tokens).
 */
export interface ScopeUnit {
  labels: string[] | null;
  scope: string | null;
  accountId: string | null;
  namespace: string | null;
  namespaceId: string | null;
}

export const ANY_NODE: NodeFilter = {
  ids: null,
  providers: null,
  nonHuman: null,
  nhiTypes: null,
  environments: null,
  sensitivities: null,
  nameContains: null,
  kinds: null,
  scopes: null,
  owners: null,
  owned: null,
  properties: [],
  within: null,
};

/** The GraphQL inputs, with the GraphQL names. */
export interface FilterInput {
  id?: readonly string[] | null;
  provider?: readonly string[] | null;
  nonHuman?: boolean | null;
  nhiType?: readonly string[] | null;
  environment?: readonly string[] | null;
  sensitivity?: readonly string[] | null;
  nameContains?: string | null;
  kind?: readonly string[] | null;
  scope?: readonly string[] | null;
  owner?: readonly string[] | null;
  owned?: boolean | null;
}

const list = (value: readonly string[] | null | undefined) => (value && value.length > 0 ? [...value] : null);

export function filterOf(input: FilterInput | null | undefined): NodeFilter {
  return {
    ids: list(input?.id),
    providers: list(input?.provider),
    nonHuman: input?.nonHuman ?? null,
    nhiTypes: list(input?.nhiType),
    environments: list(input?.environment),
    sensitivities: list(input?.sensitivity),
    nameContains: input?.nameContains ? input.nameContains.toLowerCase() : null,
    kinds: list(input?.kind),
    scopes: list(input?.scope),
    owners: list(input?.owner),
    owned: input?.owned ?? null,
    properties: [],
    within: null,
  };
}

const KEY = /^[A-Za-z][A-Za-z0-9_]*$/;
/** CLI keys that name a filter field (as in the GraphQL inputs), and their lists. */
const LIST_KEYS: Record<string, keyof NodeFilter> = {
  id: 'ids',
  type: 'kinds',
  kind: 'kinds',
  provider: 'providers',
  nhiType: 'nhiTypes',
  environment: 'environments',
  sensitivity: 'sensitivities',
  scope: 'scopes',
  owner: 'owners',
};
/** CLI shorthands for properties. */
const ALIASES: Record<string, string> = { account: 'accountId' };

/**
 * A CLI node selector: one node id, or comma-separated `key=value` terms. Keys are the GraphQL
 * filter fields (`id`, `type`/`kind`, `provider`, `nonHuman`, `nhiType`, `environment`,
 * `sensitivity`, `name` for a substring, `scope`, `owner`, `owned`), `account` for the `accountId` property, and any
 * other property by equality; `true`/`false` are booleans, everything else a string.
 */
export function parseNodeSelector(text: string, option: string): NodeFilter {
  const trimmed = text.trim();
  if (trimmed === '') throw new Error(`${option}: expected a node id or key=value filters, got ""`);
  const eq = trimmed.indexOf('=');
  // An id may contain "=" (IAM names allow it) but never starts with a plain key and "=".
  if (eq < 1 || !KEY.test(trimmed.slice(0, eq))) return { ...ANY_NODE, ids: [trimmed] };
  const filter: NodeFilter = { ...ANY_NODE, properties: [] };
  const lists = filter as unknown as Record<string, string[] | null>;
  for (const term of trimmed.split(',')) {
    const at = term.indexOf('=');
    const key = term.slice(0, at).trim();
    const raw = term.slice(at + 1).trim();
    if (at < 1 || !KEY.test(key) || raw === '')
      throw new Error(`${option}: expected key=value terms separated by commas, got "${term}" in "${text}"`);
    const field = LIST_KEYS[key];
    if (field) lists[field] = [...(lists[field] ?? []), raw];
    else if (key === 'nonHuman' && (raw === 'true' || raw === 'false')) filter.nonHuman = raw === 'true';
    else if (key === 'owned' && (raw === 'true' || raw === 'false')) filter.owned = raw === 'true';
    else if (key === 'name') filter.nameContains = raw.toLowerCase();
    else
      filter.properties.push({
        key: ALIASES[key] ?? key,
        value: raw === 'true' ? true : raw === 'false' ? false : raw,
      });
  }
  return filter;
}

/** A node as the in-memory answers hold it. */
export interface FilterableNode {
  id: string;
  labels: readonly string[];
  properties: Readonly<Record<string, PropertyValue | undefined>>;
}

/** Does the node pass? The same predicates as cypher/answers/*.cypher apply to `$who`/`$what`. */
export function matchesFilter(node: FilterableNode, f: NodeFilter): boolean {
  const p = node.properties;
  const text = (key: string) => (typeof p[key] === 'string' ? (p[key] as string) : null);
  const among = (values: string[] | null, value: string | null) =>
    values === null || (value !== null && values.includes(value));
  return (
    among(f.ids, node.id) &&
    among(f.providers, text('provider')) &&
    (f.nonHuman === null || p.nonHuman === f.nonHuman) &&
    among(f.nhiTypes, text('nhiType')) &&
    among(f.environments, text('environment') ?? 'unknown') &&
    among(f.sensitivities, text('sensitivity') ?? 'unknown') &&
    (f.nameContains === null || (text('name') ?? '').toLowerCase().includes(f.nameContains)) &&
    (f.kinds === null || node.labels.some((l) => f.kinds?.includes(l))) &&
    among(f.scopes, text('scope')) &&
    among(f.owners, text('owner')) &&
    (f.owned === null || (text('owner') !== null) === f.owned) &&
    f.properties.every(({ key, value }) => p[key] === value) &&
    (f.within === null || f.within.some((unit) => withinUnit(node, unit)))
  );
}

/** Does the node lie in the unit? The predicate cypher/answers/*.cypher apply to `$who.within`/`$what.within`. */
export function withinUnit(node: FilterableNode, unit: ScopeUnit): boolean {
  const p = node.properties;
  return (
    (unit.labels === null || node.labels.some((l) => unit.labels?.includes(l))) &&
    (unit.scope === null ||
      p.scope === unit.scope ||
      (unit.accountId !== null && p.accountId === unit.accountId)) &&
    (unit.namespace === null || p.namespace === unit.namespace || node.id === unit.namespaceId)
  );
}
