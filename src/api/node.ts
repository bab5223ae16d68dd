import { PROVIDERS } from '../model/index.js';
import { builder } from './builder.js';
import { known, ProviderEnum } from './enums.js';
import type { NodeRecord } from './records.js';

/** A stored property as a string, or null when absent (dates arrive as ISO strings already). */
export function str(record: NodeRecord, key: string): string | null {
  const value = record.props[key];
  return value === null || value === undefined ? null : String(value);
}

/**
 * Every identity and resource: the graph's own stable id (ARN, `gcp:sa:…`, `k8s:…`) and the
 * properties common to all kinds. Only declared fields are exposed; credentials are metadata only.
 */
export const NodeRef = builder.interfaceRef<NodeRecord>('Node').implement({
  description: 'An identity or a resource in the graph.',
  resolveType: (record) => record.kind,
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable unique id: an ARN, `gcp:sa:<email>`, `k8s:<cluster>:…`.' }),
    kind: t.exposeString('kind', { description: 'The node kind, e.g. AwsRole (see docs/graph-model.md).' }),
    name: t.string({ resolve: (n) => str(n, 'name') ?? n.id }),
    provider: t.field({
      type: ProviderEnum,
      nullable: true,
      resolve: (n) => known(PROVIDERS, n.props.provider),
    }),
    scope: t.string({
      nullable: true,
      description: 'The collection scope that owns it (`aws:<account>`…); null for shared nodes.',
      resolve: (n) => str(n, 'scope'),
    }),
    account: t.string({
      nullable: true,
      description: 'The AWS account id, for AWS nodes.',
      resolve: (n) => str(n, 'accountId'),
    }),
    tags: t.stringList({
      description: 'Tags and labels as `key=value` strings (cloud tags, GCP and Kubernetes labels).',
      resolve: (n) => [n.props.tags, n.props.labels].flatMap((v) => (Array.isArray(v) ? v.map(String) : [])),
    }),
    firstSeen: t.string({ nullable: true, description: 'ISO-8601.', resolve: (n) => str(n, 'firstSeen') }),
    lastSeen: t.string({ nullable: true, description: 'ISO-8601.', resolve: (n) => str(n, 'lastSeen') }),
  }),
});

builder.queryField('node', (t) =>
  t.field({
    type: NodeRef,
    nullable: true,
    description: 'An identity or resource by id; null when the graph has none.',
    args: { id: t.arg.id({ required: true }) },
    // A lookup per kind the id admits: a round trip to Neo4j each, not a plain field.
    complexity: 10,
    resolve: (_root, { id }, { graph }) => graph.node(String(id), ['principal', 'resource']),
  }),
);
