import { type FilterInput, filterOf } from '../answers/filters.js';
import { ENVIRONMENTS, NODE_KINDS, SENSITIVITIES } from '../model/index.js';
import { builder } from './builder.js';
import { EnvironmentEnum, known, ProviderEnum, SensitivityEnum } from './enums.js';
import type { NodeRow } from './graph.js';
import { NodeRef } from './node.js';
import { connectionComplexity, decodeCursor, pageSize, toPage } from './paging.js';
import { type NodeRecord, toNodeRecord } from './records.js';

export const ResourceRef = builder.interfaceRef<NodeRecord>('Resource').implement({
  description: 'Something identities can reach: a bucket, a table, a key, a secret, an account, a cluster.',
  interfaces: [NodeRef],
  resolveType: (record) => record.kind,
  fields: (t) => ({
    environment: t.field({
      type: EnvironmentEnum,
      resolve: (n) => known(ENVIRONMENTS, n.props.environment, 'unknown'),
    }),
    sensitivity: t.field({
      type: SensitivityEnum,
      resolve: (n) => known(SENSITIVITIES, n.props.sensitivity, 'unknown'),
    }),
  }),
});

// One object type per resource kind that is not also a principal (those are declared with the
// identities, implementing both interfaces).
for (const kind of NODE_KINDS.filter((k) => {
  const categories = k.categories as readonly string[];
  return categories.includes('resource') && !categories.includes('principal');
})) {
  builder.objectRef<NodeRecord>(kind.label).implement({
    description: kind.meaning,
    interfaces: [NodeRef, ResourceRef],
    isTypeOf: (value) => (value as NodeRecord).kind === kind.label,
  });
}

export const ResourceFilter = builder.inputType('ResourceFilter', {
  description: 'Resources matching every given field (a list field matches any of its values).',
  fields: (t) => ({
    id: t.idList({ description: 'Node ids, e.g. one identity and one resource for the row of a path.' }),
    provider: t.field({ type: [ProviderEnum] }),
    environment: t.field({ type: [EnvironmentEnum] }),
    sensitivity: t.field({ type: [SensitivityEnum] }),
    nameContains: t.string({ description: 'Case-insensitive substring of the name.' }),
    kind: t.stringList({ description: 'Node kinds, e.g. ["AwsS3Bucket"].' }),
    scope: t.stringList({ description: 'Collection scopes, e.g. ["aws:222222222222"].' }),
  }),
});

builder.queryField('resources', (t) =>
  t.connection(
    {
      type: ResourceRef,
      description: 'Resources matching the filter, in id order.',
      args: { filter: t.arg({ type: ResourceFilter }) },
      complexity: (args) => connectionComplexity(args),
      resolve: async (_root, args, { graph, limits }) => {
        const first = pageSize(args, limits.maxPageSize);
        const [after] = args.after ? decodeCursor(args.after, 1) : [null];
        const rows = await graph.read<NodeRow>('resources', {
          after,
          limit: first + 1,
          what: filterOf(args.filter as FilterInput | null),
        });
        return toPage(rows.map(toNodeRecord), first, (n) => [n.id], Boolean(args.after));
      },
    },
    { name: 'ResourceConnection' },
    { name: 'ResourceEdge' },
  ),
);
