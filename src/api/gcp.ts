import type { DenyCheck } from '../analyzers/gcp-iam/authorizer.js';
import { type GcpAccessAnswer, type GcpGrantEvidence, GcpIamQueries } from '../answers/gcp-iam.js';
import type { GraphReader } from '../answers/graph-reader.js';
import { asOfDate } from '../cli/flags.js';
import { builder } from './builder.js';
import { badRequestFrom } from './errors.js';

// ── GCP authorization: the same answers as `reachgraph query who-can PERMISSION RESOURCE` and
// `reachgraph query can-i --as MEMBER [PERMISSION] RESOURCE`, from the policies the graph stores ──

const DenyCheckRef = builder.objectRef<DenyCheck>('GcpDenyCheck').implement({
  description: 'A deny rule that denies the permission, and what it did to a grant (and why).',
  fields: (t) => ({
    policy: t.exposeString('policy'),
    rule: t.exposeInt('rule', { description: "The rule's index in the deny policy." }),
    outcome: t.exposeString('outcome', { description: 'denies, undecided or not-applicable.' }),
    reason: t.exposeString('reason'),
  }),
});

const GrantRef = builder.objectRef<GcpGrantEvidence>('GcpIamGrant').implement({
  description:
    'A binding that grants the permission: its role, the level it is attached at, deny rules and conditions.',
  fields: (t) => ({
    role: t.exposeString('role'),
    at: t.exposeString('at', {
      description: 'Where the binding is attached: organizations/N, folders/N, projects/ID or the resource.',
    }),
    source: t.exposeString('source', { description: "The policy's file or API call." }),
    binding: t.exposeInt('binding', { description: "The binding's index in the policy." }),
    member: t.exposeString('member', { description: 'The member as the binding names it.' }),
    through: t.string({
      nullable: true,
      description: 'The group of the binding the principal is a member of; null when the binding names it.',
      resolve: (g) => g.through,
    }),
    conditions: t.exposeStringList('conditions', {
      description: 'Undecided conditions: the grant holds only if they do.',
    }),
    denied: t.exposeBoolean('denied', { description: 'A deny rule takes this grant away.' }),
    deny: t.field({ type: [DenyCheckRef], resolve: (g) => g.deny }),
  }),
});

const AccessRef = builder.objectRef<GcpAccessAnswer>('GcpAccess').implement({
  description: 'A principal and one permission on a resource, as the GCP authorizer decides it.',
  fields: (t) => ({
    resource: t.exposeString('resource', { description: 'The full resource name.' }),
    permission: t.exposeString('permission'),
    principal: t.exposeString('principal', {
      description: 'As bindings name it (user:…, serviceAccount:…).',
    }),
    id: t.string({ nullable: true, description: 'Its node id.', resolve: (a) => a.id }),
    kind: t.string({ nullable: true, resolve: (a) => a.kind }),
    membership: t.string({
      nullable: true,
      description:
        'For a group: what is known of its members (complete, partial, unreadable or unknown); only complete means it has no members beyond those answered. Null for other principals.',
      resolve: (a) => a.membership,
    }),
    decision: t.exposeString('decision', { description: 'allowed, conditional or denied.' }),
    grants: t.field({ type: [GrantRef], resolve: (a) => a.grants }),
  }),
});

/** The questions over what the graph stores, and the time they are decided as of (checked first). */
async function asked(graph: GraphReader, text: string | null | undefined) {
  const asOf = badRequestFrom(() => asOfDate(text ?? undefined));
  return { queries: await GcpIamQueries.fromGraph(graph), asOf: asOf ? { asOf } : {} };
}

const RESOURCE_DESCRIPTION =
  'A full resource name (//storage.googleapis.com/projects/_/buckets/B, //cloudresourcemanager.googleapis.com/projects/ID) or a short form (gs://B, projects/ID, folders/N, organizations/N, a service account email).';
const AS_OF_DESCRIPTION = 'Decide conditions (request.time) as of this ISO 8601 time; default now.';

builder.queryField('gcpWhoCan', (t) =>
  t.field({
    type: [AccessRef],
    description:
      'Who holds a GCP permission on a resource (`reachgraph query who-can PERMISSION RESOURCE`), with the binding, role, level, deny rules and conditions.',
    args: {
      permission: t.arg.string({
        required: true,
        description: 'storage.objects.get, iam.serviceAccounts.actAs, …',
      }),
      resource: t.arg.string({ required: true, description: RESOURCE_DESCRIPTION }),
      asOf: t.arg.string({ description: AS_OF_DESCRIPTION }),
    },
    complexity: 20,
    resolve: async (_root, args, { graph }) => {
      const { queries, asOf } = await asked(graph, args.asOf);
      return badRequestFrom(() =>
        queries.whoCan({ permission: args.permission, resource: args.resource, ...asOf }),
      );
    },
  }),
);

builder.queryField('gcpCanI', (t) =>
  t.field({
    type: [AccessRef],
    description:
      'The GCP permissions one principal holds on a resource, or whether it holds one (`reachgraph query can-i --as MEMBER [PERMISSION] RESOURCE`).',
    args: {
      as: t.arg.string({
        required: true,
        description: 'user:EMAIL, serviceAccount:EMAIL, group:EMAIL, or an email.',
      }),
      resource: t.arg.string({ required: true, description: RESOURCE_DESCRIPTION }),
      permission: t.arg.string({ description: 'One permission; without it, every permission held there.' }),
      asOf: t.arg.string({ description: AS_OF_DESCRIPTION }),
    },
    complexity: 20,
    resolve: async (_root, args, { graph }) => {
      const { queries, asOf } = await asked(graph, args.asOf);
      return badRequestFrom(() =>
        queries.canI({
          as: args.as,
          resource: args.resource,
          ...(args.permission ? { permission: args.permission } : {}),
          ...asOf,
        }),
      );
    },
  }),
);
