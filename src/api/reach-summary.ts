import { ANY_NODE, type FilterInput, filterOf } from '../answers/filters.js';
import { type ReachCounts, reachCounts } from '../answers/reach-counts.js';
import { builder } from './builder.js';
import { enumName } from './enums.js';
import { IdentityFilter } from './identity.js';
import { checkMaxHops } from './path.js';
import { reachEnd } from './reach.js';
import { ResourceFilter } from './resource.js';

/**
 * The size of a blast radius or of who can reach a resource, as counts: what the explorer shows
 * instead of drawing thousands of nodes. Each count is the number of rows `reachableFrom` or
 * `whoCanReach` pages through when asked with the matching filter (src/answers/reach-counts.ts).
 */

interface Count {
  key: string;
  count: number;
}

const CountRef = builder.objectRef<Count>('ReachCount').implement({
  description:
    'How many rows of an answer have one value: `key` is the value as the drill-down filter takes it.',
  fields: (t) => ({
    key: t.exposeString('key', {
      description:
        'An enum value (PRODUCTION, WRITE, AWS, CI_PIPELINE), a node kind (AwsS3Bucket) or a number of hops.',
    }),
    count: t.exposeInt('count'),
  }),
});

/** Most frequent first, then by key. */
function counts(values: Record<string, number>, key: (value: string) => string = enumName): Count[] {
  return Object.entries(values)
    .map(([value, count]) => ({ key: key(value), count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

export const ReachableFromSummaryRef = builder.objectRef<ReachCounts>('ReachableFromSummary').implement({
  description:
    'The blast radius of an identity in counts: the resources it reaches by environment, sensitivity, provider, kind, access level and hops. Each count is the number of rows `reachableFrom` returns with the matching filter.',
  fields: (t) => ({
    bySensitivity: t.field({
      type: [CountRef],
      description: 'By sensitivity; drill down with `sensitivity`.',
      resolve: (c) => counts(c.bySensitivity),
    }),
  }),
});

export const WhoCanReachSummaryRef = builder.objectRef<ReachCounts>('WhoCanReachSummary').implement({
  description:
    'Who can reach a resource, in counts: the identities by level, hops, provider, kind and type, non-human and human apart. Each count is the number of rows `whoCanReach` returns with the matching filter.',
  fields: (t) => ({
    nonHuman: t.int({
      description: 'Non-human identities; drill down with `from: {nonHuman: true}`.',
      resolve: (c) => c.nonHuman,
    }),
    human: t.int({
      description: 'Human identities; drill down with `from: {nonHuman: false}`.',
      resolve: (c) => c.human,
    }),
    byNhiType: t.field({
      type: [CountRef],
      description: 'By identity type (nhiType, `HUMAN` for people); drill down with `nhiType`.',
      resolve: (c) => counts(c.byNhiType),
    }),
  }),
});

// The counts both summaries give, defined once for the two.
for (const ref of [ReachableFromSummaryRef, WhoCanReachSummaryRef])
  builder.objectFields(ref, (t) => ({
    total: t.int({ description: 'Rows of the answer.', resolve: (c) => c.total }),
    byEnvironment: t.field({
      type: [CountRef],
      description: 'By environment; drill down with `environment`.',
      resolve: (c) => counts(c.byEnvironment),
    }),
    byProvider: t.field({
      type: [CountRef],
      description: 'By provider; drill down with `provider`.',
      resolve: (c) => counts(c.byProvider),
    }),
    byKind: t.field({
      type: [CountRef],
      description: 'By node kind; drill down with `kind`.',
      resolve: (c) => counts(c.byKind, String),
    }),
    byLevel: t.field({
      type: [CountRef],
      description:
        'Rows with a route whose final access grants the level, within the hop bound (a row counts for each of its levels); drill down with `levels`.',
      resolve: (c) => counts(c.byLevel),
    }),
    byHops: t.field({
      type: [CountRef],
      description: 'By the hop edges of the route each row names (`length - 1`), in order of hops.',
      resolve: (c) => hopCounts(c.byHops),
    }),
  }));

const hopCounts = (values: Record<string, number>) =>
  Object.entries(values)
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => Number(a.key) - Number(b.key));

builder.queryField('reachableFromSummary', (t) =>
  t.field({
    type: ReachableFromSummaryRef,
    description:
      'The blast radius of an identity in counts (by environment, sensitivity, provider, kind, level, hops), for answers too large to list; drill down with `reachableFrom` and the matching filter.',
    args: {
      identity: t.arg.id({ required: true }),
      to: t.arg({ type: ResourceFilter, description: 'Count only resources matching this filter.' }),
      maxHops: t.arg.int({ description: 'Hop edges before the final access; default the configured cap.' }),
    },
    // One aggregation over the identity's summary rows: a path search's cost.
    complexity: 10,
    resolve: async (_root, args, context) => {
      const from = await reachEnd(context.graph, 'identity', args.identity);
      return reachCounts(context.graph, {
        who: ANY_NODE,
        what: filterOf(args.to as FilterInput | null),
        from,
        maxHops: checkMaxHops(args.maxHops, context.limits.maxHops, context.limits),
      });
    },
  }),
);

builder.queryField('whoCanReachSummary', (t) =>
  t.field({
    type: WhoCanReachSummaryRef,
    description:
      'Who can reach a resource in counts (non-human and human, by type, level, hops, provider, kind), for answers too large to list; drill down with `whoCanReach` and the matching filter.',
    args: {
      resource: t.arg.id({ required: true }),
      from: t.arg({ type: IdentityFilter, description: 'Count only identities matching this filter.' }),
      maxHops: t.arg.int({ description: 'Hop edges before the final access; default the configured cap.' }),
    },
    complexity: 10,
    resolve: async (_root, args, context) => {
      const to = await reachEnd(context.graph, 'resource', args.resource);
      return reachCounts(context.graph, {
        who: filterOf(args.from as FilterInput | null),
        what: ANY_NODE,
        to,
        maxHops: checkMaxHops(args.maxHops, context.limits.maxHops, context.limits),
      });
    },
  }),
);
