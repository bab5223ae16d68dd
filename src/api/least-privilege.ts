import {
  LEAST_PRIVILEGE_FORMATS,
  type LeastPrivilegeProposal,
  leastPrivilege,
  type Removal,
} from '../activity/least-privilege/index.js';
import { ActivityCoverageRef, withActivityStore } from './activity.js';
import { builder } from './builder.js';
import { enumName } from './enums.js';
import { ActivityWindowRef } from './unused-permissions.js';

const LeastPrivilegeFormatEnum = builder.enumType('LeastPrivilegeFormat', {
  description: 'The form of a least-privilege proposal.',
  values: Object.fromEntries(
    LEAST_PRIVILEGE_FORMATS.map((value) => [
      enumName(value),
      {
        value,
        description: {
          'aws-iam-policy': 'An AWS IAM policy document (JSON) of the actions and resource ARNs used.',
          'k8s-role':
            'Kubernetes Roles / ClusterRoles and their bindings (YAML) of the verbs and resources used.',
          'gcp-roles':
            'GCP predefined roles covering the permissions used with the fewest extra permissions, and a custom role of exactly them (YAML).',
        }[value],
      },
    ]),
  ),
});

type RemovedResource = Removal['resources'][number];
const RemovedResourceRef = builder.objectRef<RemovedResource>('RemovedResource').implement({
  description: 'Actions on one resource a proposal takes away: granted and never used over the window.',
  fields: (t) => ({
    resource: t.exposeID('resource'),
    environment: t.string({ nullable: true, resolve: (r) => r.environment }),
    actions: t.exposeStringList('actions'),
  }),
});

const RemovedHopRef = builder.objectRef<Removal['hops'][number]>('RemovedHop').implement({
  description: 'A role or identity a proposal stops the identity assuming, federating to or impersonating.',
  fields: (t) => ({ type: t.exposeString('type'), target: t.exposeID('target') }),
});

const RemovalRef = builder.objectRef<Removal>('Removal').implement({
  description: 'What a least-privilege proposal takes away.',
  fields: (t) => ({
    resources: t.field({ type: [RemovedResourceRef], resolve: (r) => r.resources }),
    hops: t.field({ type: [RemovedHopRef], resolve: (r) => r.hops }),
    pathsToProduction: t.exposeStringList('pathsToProduction', {
      description: 'Production resources whose unused routes the proposal removes.',
    }),
  }),
});

const LeastPrivilegeRef = builder.objectRef<LeastPrivilegeProposal>('LeastPrivilegeProposal').implement({
  description:
    'A least-privilege proposal for one identity from its logged use (the answer of `reachgraph least-privilege`, docs/activity.md).',
  fields: (t) => ({
    identity: t.exposeID('identity'),
    format: t.field({ type: LeastPrivilegeFormatEnum, resolve: (p) => p.format }),
    window: t.field({
      type: ActivityWindowRef,
      nullable: true,
      description: 'The window the proposal is based on; null when no log covers the identity (no proposal).',
      resolve: (p) => p.window,
    }),
    coverage: t.field({ type: [ActivityCoverageRef], resolve: (p) => p.coverage }),
    calls: t.exposeInt('calls', { description: 'Successful calls the proposal keeps allowed.' }),
    actions: t.exposeInt('actions', { description: 'Distinct actions of those calls.' }),
    document: t.string({
      nullable: true,
      description: 'The proposal to apply: IAM policy JSON, or YAML. Null without coverage.',
      resolve: (p) => p.document,
    }),
    removes: t.field({ type: RemovalRef, resolve: (p) => p.removes }),
    notes: t.exposeStringList('notes'),
  }),
});

builder.queryField('leastPrivilege', (t) =>
  t.field({
    type: LeastPrivilegeRef,
    description:
      'A least-privilege proposal for one identity over the window its logs cover (docs/activity.md), from the graph and the activity store the server was started with.',
    args: {
      identity: t.arg.id({ required: true, description: 'The identity node id.' }),
      format: t.arg({
        type: LeastPrivilegeFormatEnum,
        required: false,
        description: 'Default: from the identity’s provider.',
      }),
    },
    complexity: 50,
    resolve: (_root, args, { graph, activityDatabase }) =>
      withActivityStore(activityDatabase, (store) =>
        graph.timed('activity/least-privilege', () =>
          leastPrivilege(graph.executor, store, String(args.identity), args.format ?? undefined),
        ),
      ),
  }),
);
