import type {
  GrantedUsedNames,
  ResourcePermissions,
  RouteHopUse,
  RouteUse,
  UnusedPermissions,
} from '../activity/unused-permissions.js';
import { unusedPermissions } from '../activity/unused-permissions.js';
import { ActivityCoverageRef, GrantedUseRef, withActivityStore } from './activity.js';
import { builder } from './builder.js';

const GrantedUsedNamesRef = builder.objectRef<GrantedUsedNames>('GrantedUsedNames').implement({
  description: 'Names (services or actions) granted, used, and granted but unused over the window.',
  fields: (t) => ({
    granted: t.exposeStringList('granted'),
    used: t.exposeStringList('used'),
    unused: t.exposeStringList('unused', {
      description: 'Granted and never used over the window; empty when no log covers the identity.',
    }),
  }),
});

const ResourcePermissionsRef = builder.objectRef<ResourcePermissions>('ResourcePermissions').implement({
  description: 'One resource the identity can access: the actions granted on it and those its calls used.',
  fields: (t) => ({
    resource: t.exposeID('resource'),
    environment: t.string({ nullable: true, resolve: (r) => r.environment }),
    levels: t.exposeStringList('levels'),
    granted: t.exposeStringList('granted', { description: 'The actions the access edge grants.' }),
    used: t.exposeStringList('used', { description: 'The actions of the successful calls on it.' }),
    unused: t.exposeStringList('unused', { description: 'Granted actions no successful call used.' }),
    useCount: t.exposeInt('useCount'),
    lastUsed: t.string({ nullable: true, description: 'ISO-8601.', resolve: (r) => r.lastUsed }),
  }),
});

const RouteHopUseRef = builder.objectRef<RouteHopUse>('RouteHopUse').implement({
  description: 'One hop of a route, marked used or not by its source’s logged calls.',
  fields: (t) => ({
    from: t.exposeID('from'),
    to: t.exposeID('to'),
    type: t.exposeString('type'),
    used: t.exposeBoolean('used'),
    lastUsed: t.string({ nullable: true, description: 'ISO-8601.', resolve: (h) => h.lastUsed }),
  }),
});

const RouteUseRef = builder.objectRef<RouteUse>('RouteUse').implement({
  description:
    'A route the analysis finds from the identity to a production resource, hop by hop used or not.',
  fields: (t) => ({
    resource: t.exposeID('resource'),
    levels: t.exposeStringList('levels', { description: 'The levels of the final access.' }),
    exercised: t.exposeBoolean('exercised', { description: 'Every hop was used over the window.' }),
    hops: t.field({ type: [RouteHopUseRef], resolve: (r) => r.hops }),
  }),
});

export const ActivityWindowRef = builder
  .objectRef<NonNullable<UnusedPermissions['window']>>('ActivityWindow')
  .implement({
    description:
      'The window "unused" holds over: the first and last event of the logs covering the identity.',
    fields: (t) => ({
      start: t.exposeString('start', { description: 'ISO-8601.' }),
      end: t.exposeString('end', { description: 'ISO-8601.' }),
    }),
  });

const UnusedPermissionsRef = builder.objectRef<UnusedPermissions>('UnusedPermissions').implement({
  description:
    'Unused permissions of one identity over the window its logs cover (the answer of `reachgraph unused-permissions`, docs/activity.md).',
  fields: (t) => ({
    identity: t.exposeID('identity'),
    coverage: t.field({ type: [ActivityCoverageRef], resolve: (u) => u.coverage }),
    window: t.field({
      type: ActivityWindowRef,
      nullable: true,
      description: 'Null when no log covering the identity was ingested: then nothing is claimed unused.',
      resolve: (u) => u.window,
    }),
    services: t.field({ type: GrantedUsedNamesRef, resolve: (u) => u.services }),
    actions: t.field({ type: GrantedUsedNamesRef, resolve: (u) => u.actions }),
    resources: t.field({ type: [ResourcePermissionsRef], resolve: (u) => u.resources }),
    hops: t.field({
      type: [GrantedUseRef],
      description: 'The roles and identities it can assume, federate to or impersonate, each marked used.',
      resolve: (u) => u.hops,
    }),
    unusedPathsToProduction: t.field({
      type: [RouteUseRef],
      description: 'Routes to production data never exercised over the window (a hop or the access unused).',
      resolve: (u) => u.unusedPathsToProduction,
    }),
    exercisedPathsToProduction: t.field({
      type: [RouteUseRef],
      resolve: (u) => u.exercisedPathsToProduction,
    }),
  }),
});

builder.queryField('unusedPermissions', (t) =>
  t.field({
    type: UnusedPermissionsRef,
    description:
      'Unused permissions of one identity over the window its logs cover (docs/activity.md), from the graph and the activity store the server was started with.',
    args: {
      identity: t.arg.id({
        required: true,
        description: 'The identity node id (an ARN, gcp:sa:…, a Kubernetes service account id).',
      }),
    },
    complexity: 40,
    resolve: (_root, args, { graph, activityDatabase }) =>
      withActivityStore(activityDatabase, (store) =>
        graph.timed('activity/unused-permissions', () =>
          unusedPermissions(graph.executor, store, String(args.identity)),
        ),
      ),
  }),
);
