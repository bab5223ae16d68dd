import { type FilterInput, filterOf } from '../answers/filters.js';
import { ENVIRONMENTS, NHI_TYPES, NODE_KINDS } from '../model/index.js';
import { builder } from './builder.js';
import { EnvironmentEnum, known, NhiTypeEnum, ProviderEnum } from './enums.js';
import type { NodeRow } from './graph.js';
import { NodeRef, str } from './node.js';
import { OwnershipRef } from './owner.js';
import { connectionComplexity, decodeCursor, pageSize, toPage } from './paging.js';
import { type NodeRecord, toNodeRecord } from './records.js';
import { ResourceRef } from './resource.js';

/** A credential's metadata: key id, status, age and last use. Never secret material. */
export const CredentialRef = builder.objectRef<NodeRecord>('Credential').implement({
  description: 'A long-lived credential of an identity (metadata only, never the secret).',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.exposeString('kind'),
    name: t.string({ resolve: (c) => str(c, 'name') ?? c.id }),
    status: t.string({ nullable: true, resolve: (c) => str(c, 'status') }),
    createdAt: t.string({ nullable: true, resolve: (c) => str(c, 'createdAt') }),
    lastUsedAt: t.string({ nullable: true, resolve: (c) => str(c, 'lastUsedAt') }),
    ageDays: t.int({
      nullable: true,
      resolve: (c) => (typeof c.props.ageDays === 'number' ? c.props.ageDays : null),
    }),
  }),
});

export const IdentityRef = builder.interfaceRef<NodeRecord>('Identity').implement({
  description:
    'A principal: anything that can act (a role, a user, a service account, a workload, a pipeline).',
  interfaces: [NodeRef],
  resolveType: (record) => record.kind,
  fields: (t) => ({
    nonHuman: t.boolean({ resolve: (n) => n.props.nonHuman === true }),
    nhiType: t.field({
      type: NhiTypeEnum,
      nullable: true,
      resolve: (n) => known(NHI_TYPES, n.props.nhiType),
    }),
    environment: t.field({
      type: EnvironmentEnum,
      resolve: (n) => known(ENVIRONMENTS, n.props.environment, 'unknown'),
    }),
    owner: t.string({
      nullable: true,
      description: 'The team or person owning the identity (docs/owners.md); null when no source names one.',
      resolve: (n) => str(n, 'owner'),
    }),
    ownership: t.field({
      type: OwnershipRef,
      nullable: true,
      description: 'The owner with its evidence, confidence and every candidate; null when unowned.',
      resolve: (n) => (str(n, 'owner') === null ? null : n),
    }),
    credentials: t.field({
      type: [CredentialRef],
      description: 'Credentials the identity owns (access keys, key files, token secrets).',
      complexity: 5,
      resolve: async (n, _args, { graph }) =>
        (await graph.read<NodeRow>('credentials-of', { id: n.id }, { label: n.kind })).map(toNodeRecord),
    }),
  }),
});

// One object type per principal kind of the vocabulary; a kind that is also a resource (a pod)
// implements both interfaces.
for (const kind of NODE_KINDS.filter((k) => (k.categories as readonly string[]).includes('principal'))) {
  const isResource = (kind.categories as readonly string[]).includes('resource');
  builder.objectRef<NodeRecord>(kind.label).implement({
    description: kind.meaning,
    interfaces: isResource ? [NodeRef, IdentityRef, ResourceRef] : [NodeRef, IdentityRef],
    isTypeOf: (value) => (value as NodeRecord).kind === kind.label,
  });
}

export const IdentityFilter = builder.inputType('IdentityFilter', {
  description: 'Identities matching every given field (a list field matches any of its values).',
  fields: (t) => ({
    id: t.idList({ description: 'Node ids, e.g. one identity and one resource for the row of a path.' }),
    provider: t.field({ type: [ProviderEnum] }),
    nonHuman: t.boolean(),
    nhiType: t.field({ type: [NhiTypeEnum] }),
    environment: t.field({ type: [EnvironmentEnum] }),
    nameContains: t.string({ description: 'Case-insensitive substring of the name.' }),
    kind: t.stringList({ description: 'Node kinds, e.g. ["AwsRole", "AwsUser"].' }),
    scope: t.stringList({ description: 'Collection scopes, e.g. ["aws:111111111111"].' }),
    owner: t.stringList({ description: 'Owners (docs/owners.md), e.g. ["payments"].' }),
    owned: t.boolean({ description: 'True: identities with an owner; false: those without one.' }),
  }),
});

builder.queryField('identities', (t) =>
  t.connection(
    {
      type: IdentityRef,
      description: 'Identities matching the filter, in id order.',
      args: { filter: t.arg({ type: IdentityFilter }) },
      complexity: (args) => connectionComplexity(args),
      resolve: async (_root, args, { graph, limits }) => {
        const first = pageSize(args, limits.maxPageSize);
        const [after] = args.after ? decodeCursor(args.after, 1) : [null];
        const rows = await graph.read<NodeRow>('identities', {
          after,
          limit: first + 1,
          who: filterOf(args.filter as FilterInput | null),
        });
        return toPage(rows.map(toNodeRecord), first, (n) => [n.id], Boolean(args.after));
      },
    },
    { name: 'IdentityConnection' },
    { name: 'IdentityEdge' },
  ),
);
