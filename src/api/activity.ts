import { existsSync } from 'node:fs';
import {
  type DelegatedCalls,
  type GrantedUse,
  type GrantedVsUsed,
  grantedVsUsed,
  type UsedCall,
} from '../activity/granted-vs-used.js';
import { ActivityStore, type Coverage } from '../activity/store.js';
import { builder } from './builder.js';
import { ApiError } from './errors.js';

export const ActivityCoverageRef = builder.objectRef<Coverage>('ActivityCoverage').implement({
  description:
    'What the ingested logs of one account cover: "unused" only ever holds between its first and last event (docs/activity.md).',
  fields: (t) => ({
    source: t.exposeString('source', {
      description: 'The log source: aws-cloudtrail, gcp-audit or kubernetes-audit.',
    }),
    account: t.exposeString('account', { description: 'The AWS account, GCP project or cluster.' }),
    firstEvent: t.exposeString('firstEvent', { description: 'ISO-8601.' }),
    lastEvent: t.exposeString('lastEvent', { description: 'ISO-8601.' }),
    days: t.exposeInt('days', { description: 'Days with at least one logged event.' }),
    events: t.exposeInt('events'),
  }),
});

const ActivityCallRef = builder.objectRef<UsedCall>('ActivityCall').implement({
  description: 'Logged calls of one action on one resource with one outcome, over the retained window.',
  fields: (t) => ({
    action: t.exposeString('action', { description: 'service:Action, as the log names it.' }),
    resource: t.string({ nullable: true, resolve: (c) => c.resource }),
    outcome: t.exposeString('outcome', { description: 'success, denied or error.' }),
    count: t.exposeInt('count'),
    lastTime: t.exposeString('lastTime', { description: 'ISO-8601.' }),
  }),
});

const DelegatedCallsRef = builder.objectRef<DelegatedCalls>('DelegatedCalls').implement({
  description:
    'Successful calls made through one delegation chain (GCP impersonation, Kubernetes impersonation), over the retained window.',
  fields: (t) => ({
    origin: t.exposeString('origin', {
      description:
        'The chain, real actor first (`A > B > C` for GCP; the real actor of an impersonated Kubernetes request).',
    }),
    identity: t.exposeID('identity', { description: 'The account whose permissions the calls used.' }),
    count: t.exposeInt('count'),
    lastTime: t.exposeString('lastTime', { description: 'ISO-8601.' }),
  }),
});

export const GrantedUseRef = builder.objectRef<GrantedUse>('GrantedUse').implement({
  description:
    'One access or assume edge the analysis derived from the identity, and whether its logged calls used it.',
  fields: (t) => ({
    type: t.exposeString('type', {
      description: 'CAN_ACCESS, CAN_ASSUME, FEDERATES_TO or CAN_IMPERSONATE.',
    }),
    target: t.exposeID('target', { description: 'The resource or role the edge reaches.' }),
    levels: t.stringList({ nullable: true, resolve: (g) => g.levels }),
    actions: t.stringList({ nullable: true, resolve: (g) => g.actions }),
    environment: t.string({ nullable: true, resolve: (g) => g.environment }),
    used: t.exposeBoolean('used', {
      description:
        'A successful call reached the target (on it or inside it; for an assume edge, an assumption of the role; for an impersonation edge, a call whose delegation chain took the hop).',
    }),
    useCount: t.exposeInt('useCount'),
    lastUsed: t.string({ nullable: true, description: 'ISO-8601.', resolve: (g) => g.lastUsed }),
    actionsUsed: t.exposeStringList('actionsUsed', {
      description: 'The actions of the successful calls on the target.',
    }),
  }),
});

const ActivityRef = builder.objectRef<GrantedVsUsed>('Activity').implement({
  description:
    'Granted vs used for one identity: its edges from the graph, each marked used or not from the activity store, over the window its accounts’ logs cover (the answer of `reachgraph activity`).',
  fields: (t) => ({
    identity: t.exposeID('identity'),
    coverage: t.field({
      type: [ActivityCoverageRef],
      description:
        'The coverage of the identity’s own account, project or cluster and of the accounts its calls were logged in: the window "unused" holds over; empty when no log of those was ingested.',
      resolve: (a) => a.coverage,
    }),
    granted: t.field({ type: [GrantedUseRef], resolve: (a) => a.granted }),
    unpredicted: t.field({
      type: [ActivityCallRef],
      description:
        'Successful role assumptions no CAN_ASSUME / FEDERATES_TO edge predicted: the snapshot or the analysis missed something.',
      resolve: (a) => a.unpredicted,
    }),
    unpredictedImpersonations: t.field({
      type: [DelegatedCallsRef],
      description:
        'Successful impersonations by the identity no CAN_IMPERSONATE edge predicted: the snapshot or the analysis missed something.',
      resolve: (a) => a.unpredictedImpersonations,
    }),
    denied: t.field({
      type: [ActivityCallRef],
      description: 'Refused calls: what the identity tried and was not allowed.',
      resolve: (a) => a.denied,
    }),
  }),
});

/**
 * Runs `fn` with the activity store the server was started with, opened for the request only: an
 * ingest or a sync can take the file in between.
 */
export async function withActivityStore<T>(
  activityDatabase: string | undefined,
  fn: (store: ActivityStore) => Promise<T>,
): Promise<T> {
  if (!activityDatabase || !existsSync(activityDatabase))
    throw new ApiError('no activity logs ingested: run `reachgraph ingest` first', 'NOT_FOUND');
  const store = await ActivityStore.open(activityDatabase);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

builder.queryField('activity', (t) =>
  t.field({
    type: ActivityRef,
    description:
      'Granted vs used for one identity (docs/activity.md), from the graph and the activity store the server was started with.',
    args: {
      identity: t.arg.id({
        required: true,
        description: 'The identity node id (an ARN, gcp:sa:…, a Kubernetes service account id).',
      }),
    },
    complexity: 20,
    resolve: (_root, args, { graph, activityDatabase }) =>
      withActivityStore(activityDatabase, (store) =>
        graph.timed('activity/granted', () => grantedVsUsed(graph.executor, store, String(args.identity))),
      ),
  }),
);
