import type { ActivityWindow } from '../answers/answer-types.js';
import { GraphPathQueries } from '../answers/questions.js';
import type { GraphExecutor } from '../graph/executor.js';
import {
  compareGrantedUsed,
  type GrantedEdge,
  type GrantedUse,
  type GrantedVsUsed,
  grantedVsUsed,
  type UsedCall,
} from './granted-vs-used.js';
import { grantedActionUsed, serviceOf, usedActionName } from './permission-names.js';
import type { ActivityStore, Coverage } from './store.js';

/** The window "unused" holds over: from the first to the last event the identity's coverage holds. */
export type { ActivityWindow };

/** Granted, used and unused names (services or actions). */
export interface GrantedUsedNames {
  granted: string[];
  used: string[];
  unused: string[];
}

/** One resource the identity can access, with the actions granted on it and those its calls used. */
export interface ResourcePermissions {
  resource: string;
  environment: string | null;
  levels: string[];
  granted: string[];
  used: string[];
  unused: string[];
  useCount: number;
  lastUsed: string | null;
}

/** One hop of a route, marked used or not by its source's logged calls. */
export interface RouteHopUse {
  from: string;
  to: string;
  type: string;
  used: boolean;
  lastUsed: string | null;
}

/** A route the analysis finds from the identity to a production resource. */
export interface RouteUse {
  resource: string;
  levels: string[];
  /** Every hop was used over the window: the route was exercised. */
  exercised: boolean;
  hops: RouteHopUse[];
}

export interface UnusedPermissions {
  identity: string;
  coverage: Coverage[];
  /** Null when no log covering the identity was ingested: then nothing is claimed unused. */
  window: ActivityWindow | null;
  services: GrantedUsedNames;
  actions: GrantedUsedNames;
  /** Per CAN_ACCESS edge. */
  resources: ResourcePermissions[];
  /** The roles and identities the identity can assume, federate to or impersonate, each marked used. */
  hops: GrantedUse[];
  /** Routes to production data that the logs never show exercised (a hop or the access unused). */
  unusedPathsToProduction: RouteUse[];
  /** Routes to production data the logs show exercised, hop by hop. */
  exercisedPathsToProduction: RouteUse[];
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/**
 * Unused permissions of one identity (pure), from its granted-vs-used answer and its logged calls:
 * the actions granted on each resource (the access edges' `actions`) against the successful calls on
 * it, and the services they belong to. Without coverage nothing is unused: "unused" is only claimed
 * over a window the logs cover (docs/activity.md, window semantics).
 */
export function unusedPermissionsOf(
  answer: GrantedVsUsed,
  calls: UsedCall[],
): Omit<UnusedPermissions, 'unusedPathsToProduction' | 'exercisedPathsToProduction'> {
  const covered = answer.coverage.length > 0;
  const successes = calls.filter((c) => c.outcome === 'success');
  const resources = answer.granted
    .filter((g) => g.type === 'CAN_ACCESS')
    .map((g): ResourcePermissions => {
      const granted = sorted(g.actions ?? []);
      const used = new Set(g.actionsUsed.map(usedActionName));
      return {
        resource: g.target,
        environment: g.environment,
        levels: g.levels ?? [],
        granted,
        used: g.actionsUsed,
        unused: covered ? granted.filter((a) => !grantedActionUsed(a, used)) : [],
        useCount: g.useCount,
        lastUsed: g.lastUsed,
      };
    });
  const grantedActions = sorted(resources.flatMap((r) => r.granted));
  const usedNames = new Set(successes.map((c) => usedActionName(c.action)));
  const usedActions = sorted(successes.map((c) => c.action));
  const unusedActions = covered ? grantedActions.filter((a) => !grantedActionUsed(a, usedNames)) : [];
  const grantedServices = sorted(grantedActions.map(serviceOf));
  const usedServices = sorted(usedActions.map(serviceOf));
  const start = answer.coverage.map((c) => c.firstEvent).sort()[0];
  const end = answer.coverage
    .map((c) => c.lastEvent)
    .sort()
    .at(-1);
  return {
    identity: answer.identity,
    coverage: answer.coverage,
    window: start && end ? { start, end } : null,
    services: {
      granted: grantedServices,
      used: usedServices,
      unused: covered ? grantedServices.filter((s) => !usedServices.includes(s)) : [],
    },
    actions: { granted: grantedActions, used: usedActions, unused: unusedActions },
    resources,
    hops: answer.granted.filter((g) => g.type !== 'CAN_ACCESS'),
  };
}

/** What the logs say about each principal on a route: its calls and the delegation chains it took part in. */
export interface PrincipalActivity {
  calls: UsedCall[];
  delegated: Awaited<ReturnType<ActivityStore['delegatedThrough']>>;
}

const HOP_TYPES = new Set(['CAN_ACCESS', 'CAN_ASSUME', 'FEDERATES_TO', 'CAN_IMPERSONATE']);

/**
 * Whether each hop of a route was used (pure): a CAN_ACCESS, CAN_ASSUME, FEDERATES_TO or
 * CAN_IMPERSONATE hop as granted vs used decides it for the hop's source; a RUNS_AS hop (a workload
 * running as an identity) when the identity it runs as made a successful call (its calls come from
 * its workloads); a CAN_ESCALATE hop is a change to the estate, never a logged use of a grant, and
 * counts as not exercised.
 */
export function routeUse(
  resource: string,
  levels: string[],
  path: { from: string; to: string; type: string }[],
  activity: (principal: string) => PrincipalActivity,
): RouteUse {
  const hops = path.map((hop): RouteHopUse => {
    if (HOP_TYPES.has(hop.type)) {
      const source = activity(hop.from);
      const edge: GrantedEdge = {
        type: hop.type as GrantedEdge['type'],
        target: hop.to,
        levels: null,
        actions: null,
        environment: null,
      };
      const [use] = compareGrantedUsed([edge], source.calls, source.delegated, hop.from).granted;
      return { ...hop, used: use?.used ?? false, lastUsed: use?.lastUsed ?? null };
    }
    if (hop.type === 'RUNS_AS') {
      const last =
        activity(hop.to)
          .calls.filter((c) => c.outcome === 'success')
          .map((c) => c.lastTime)
          .sort()
          .at(-1) ?? null;
      return { ...hop, used: last !== null, lastUsed: last };
    }
    return { ...hop, used: false, lastUsed: null };
  });
  return { resource, levels, exercised: hops.every((h) => h.used), hops };
}

/**
 * Unused permissions of one identity over the window its logs cover, from the graph and the activity
 * store: one implementation for `reachgraph unused-permissions`, the API's `unusedPermissions` and the
 * reports. Routes to production data are the answers layer's (`reach` to `environment=production`).
 */
export async function unusedPermissions(
  executor: GraphExecutor,
  store: ActivityStore,
  identity: string,
): Promise<UnusedPermissions> {
  const answer = await grantedVsUsed(executor, store, identity);
  const calls = await store.callsOf(identity);
  const base = unusedPermissionsOf(answer, calls);
  const routes = await new GraphPathQueries(executor).reach({ from: identity, to: 'environment=production' });
  const activity = new Map<string, PrincipalActivity>();
  const principals = routes.flatMap((r) => r.path.map((h) => (h.type === 'RUNS_AS' ? h.to : h.from)));
  for (const id of new Set(principals))
    activity.set(id, { calls: await store.callsOf(id), delegated: await store.delegatedThrough(id) });
  const uses = routes.map((r) =>
    routeUse(r.resource, r.levels, r.path, (p) => activity.get(p) ?? { calls: [], delegated: [] }),
  );
  return {
    ...base,
    // Without coverage no route is known unused.
    unusedPathsToProduction: base.window ? uses.filter((u) => !u.exercised) : [],
    exercisedPathsToProduction: uses.filter((u) => u.exercised),
  };
}
