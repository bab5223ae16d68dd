import type { GcpAnalysis } from '../../analyzers/gcp-iam/analyze.js';
import { DATA_KINDS, dataResourceId } from '../../analyzers/gcp-iam/data-resources.js';
import { memberNode } from '../../analyzers/gcp-iam/principals.js';
import { classificationOptions, classifyEnvironment } from '../../collectors/aws/classification.js';
import { gcpIssueScope } from '../../collectors/gcp/transform.js';
import { analysisFlagRecords } from '../../model/analysis-flags.js';
import type { CollectionIssue } from '../../model/collection-issue.js';
import {
  type GcpAllowPolicy,
  type GcpContainer,
  type GcpEnvironment,
  groupMembershipState,
} from '../../model/gcp/environment.js';
import { gcpIds, gcpScope } from '../../model/gcp/ids.js';
import {
  INVENTORY_FORMAT,
  INVENTORY_VERSION,
  type Inventory,
  type InventoryNode,
  type InventoryRelationship,
  type PropertyValue,
} from '../../model/inventory.js';
import { type NodeKind, nodeKind } from '../../model/node-kinds.js';
import { type Environment, SENSITIVITIES } from '../../model/properties.js';
import type { InventoryContext } from '../contract.js';
import { scopeRecord } from '../scope-record.js';

export interface GcpInventoryOptions {
  /** Project id → environment, when a project's labels do not say. */
  projectEnvironments: Readonly<Record<string, Environment>>;
  generatedAt?: string;
}

const CONTAINER_KINDS: Record<GcpContainer['kind'], NodeKind> = {
  organization: 'GcpOrganization',
  folder: 'GcpFolder',
  project: 'GcpProject',
};

/**
 * The GCP part of a run's inventory: one scope per organization, folder and project (complete only
 * when its collection and analysis had no error), the hierarchy (CHILD_OF), service accounts with
 * their keys' metadata (HAS_CREDENTIAL), workload identity pools and providers, the data resources
 * (CONTAINS from their project), the principals the analysis names, its edges and its findings.
 * A project's environment comes from its `environment`/`env` label, then `gcp.projectEnvironments`,
 * then words in its id; its service accounts and resources have its environment unless their own
 * labels say otherwise.
 */
export function buildGcpInventory(
  environment: GcpEnvironment,
  analysis: GcpAnalysis,
  context: InventoryContext,
  options: GcpInventoryOptions,
): Inventory {
  const nodes = new Map<string, InventoryNode>();
  const relationships: InventoryRelationship[] = [];
  const classification = classificationOptions({ accountEnvironments: { ...options.projectEnvironments } });
  const add = (node: InventoryNode) => nodes.set(node.id, node);
  const labelled = (labels: Readonly<Record<string, string>>, name: string, key: string) =>
    classifyEnvironment({ name, tags: { ...labels }, accountId: key }, undefined, classification);
  const projectEnvironment = new Map<string, Environment>();

  for (const container of environment.containers.values()) {
    const id = gcpIds.container(container.name);
    const projectId =
      container.kind === 'project' ? container.name.slice('projects/'.length) : container.name;
    const env = labelled(container.labels, container.displayName ?? projectId, projectId);
    projectEnvironment.set(container.name, env);
    add({
      id,
      kind: CONTAINER_KINDS[container.kind],
      scope: gcpScope(container.name),
      properties: {
        name: container.displayName ?? container.name,
        provider: 'gcp',
        environment: env,
        ...(container.projectNumber ? { projectNumber: container.projectNumber } : {}),
        ...(Object.keys(container.labels).length > 0
          ? {
              labels: Object.entries(container.labels)
                .map(([k, v]) => `${k}=${v}`)
                .sort(),
            }
          : {}),
        ...policyProperties(container.policy),
        ...(container.denyPolicies.length ? { denyPolicies: JSON.stringify(container.denyPolicies) } : {}),
      },
    });
    if (container.parent && environment.containers.has(container.parent))
      relationships.push({
        type: 'CHILD_OF',
        from: id,
        to: gcpIds.container(container.parent),
        properties: {},
        evidence: [],
      });
  }

  for (const account of environment.serviceAccounts) {
    const id = gcpIds.serviceAccount(account.email);
    const scope = gcpScope(account.project);
    add({
      id,
      kind: 'GcpServiceAccount',
      scope,
      properties: {
        name: account.email,
        provider: 'gcp',
        nonHuman: true,
        nhiType: 'service-account',
        environment: projectEnvironment.get(account.project) ?? 'unknown',
        email: account.email,
        projectId: account.project.slice('projects/'.length),
        disabled: account.disabled,
        ...policyProperties(account.policy),
      },
    });
    relationships.push({
      type: 'CONTAINS',
      from: gcpIds.container(account.project),
      to: id,
      properties: {},
      evidence: [],
    });
    for (const key of account.keys) {
      if (key.keyType !== 'USER_MANAGED') continue;
      const keyId = gcpIds.serviceAccountKey(account.email, key.id);
      const created = key.validAfterTime ? new Date(key.validAfterTime) : undefined;
      add({
        id: keyId,
        kind: 'GcpServiceAccountKey',
        scope,
        properties: {
          name: `${account.email} key ${key.id.slice(0, 8)}`,
          provider: 'gcp',
          keyType: key.keyType,
          status: key.disabled ? 'inactive' : 'active',
          ...(created && !Number.isNaN(created.getTime()) ? { createdAt: created.toISOString() } : {}),
          ...(key.lastAuthenticatedTime
            ? { lastUsedAt: new Date(key.lastAuthenticatedTime).toISOString() }
            : {}),
        },
      });
      relationships.push({ type: 'HAS_CREDENTIAL', from: id, to: keyId, properties: {}, evidence: [] });
    }
  }

  for (const pool of environment.pools) {
    const scope = gcpScope(pool.project);
    const id = gcpIds.pool(pool.name);
    add({
      id,
      kind: 'GcpWorkloadIdentityPool',
      scope,
      properties: { name: pool.displayName ?? pool.name, provider: 'gcp', disabled: pool.disabled },
    });
    relationships.push({
      type: 'CONTAINS',
      from: gcpIds.container(pool.project),
      to: id,
      properties: {},
      evidence: [],
    });
    for (const provider of pool.providers)
      add({
        id: gcpIds.poolProvider(provider.name),
        kind: 'GcpWorkloadIdentityProvider',
        scope,
        properties: {
          name: provider.displayName ?? provider.name,
          provider: 'gcp',
          disabled: provider.disabled,
          ...(provider.issuer ? { issuer: provider.issuer } : {}),
          ...(provider.attributeCondition ? { attributeCondition: provider.attributeCondition } : {}),
        },
      });
  }

  for (const resource of environment.resources) {
    const id = dataResourceId(resource);
    const own = resource.labels.environment ?? resource.labels.env;
    const sensitivity = resource.labels.sensitivity ?? resource.labels['data-classification'];
    add({
      id,
      kind: DATA_KINDS[resource.kind].label,
      scope: gcpScope(resource.project),
      properties: {
        name: resource.shortName,
        provider: 'gcp',
        environment: own
          ? labelled(resource.labels, resource.shortName, resource.project.slice('projects/'.length))
          : (projectEnvironment.get(resource.project) ?? 'unknown'),
        ...(sensitivity && (SENSITIVITIES as readonly string[]).includes(sensitivity) ? { sensitivity } : {}),
        fullName: resource.fullName,
        projectId: resource.project.slice('projects/'.length),
        labels: Object.entries(resource.labels).map(([k, v]) => `${k}=${v}`),
        ...policyProperties(resource.policy),
      },
    });
    relationships.push({
      type: 'CONTAINS',
      from: gcpIds.container(resource.project),
      to: id,
      properties: {},
      evidence: [],
    });
  }

  // Collected group memberships (direct, or transitive where the listing flattens nested groups):
  // MEMBER_OF from each member to the group, as the listing names it, and on the group what is known
  // of its members (complete, partial, unreadable), so that a reader of the graph never takes a group
  // whose listing was incomplete for one without other members.
  // They are read under the organization: its scope holds them.
  const organization = [...environment.containers.values()].find((c) => c.kind === 'organization');
  for (const group of organization ? (environment.groups?.values() ?? []) : []) {
    const groupId = gcpIds.group(group.email);
    const node = nodes.get(groupId) ?? namedById(groupId, 'GcpGroup');
    add({
      ...node,
      properties: {
        ...node.properties,
        membership: groupMembershipState(group),
        membershipTransitive: group.transitive,
      },
    });
    for (const member of group.members) {
      const node = memberNode(member);
      if (!node || node === 'deleted') continue;
      const id = node.id;
      if (!nodes.has(id)) add(namedById(id, undefined));
      relationships.push({
        type: 'MEMBER_OF',
        from: id,
        to: groupId,
        scope: gcpScope(organization?.name ?? ''),
        properties: {},
        evidence: [],
      });
    }
  }
  rolesInUse(environment, nodes, relationships);

  // The Grant hubs of inherited bindings (analyzers/gcp-iam/grant-hubs.ts).
  for (const hub of analysis.nodes) add(hub);
  // Principals the bindings name that no collection lists (users, groups, federated identities,
  // accounts of projects not collected) are shared nodes, named by their id.
  for (const edge of analysis.edges)
    for (const id of [edge.from, edge.to])
      if (!nodes.has(id)) add(namedById(id, edge.from === id ? undefined : edge.toKind));

  const flags = analysisFlagRecords(analysis.findings, (id) => {
    const node = nodes.get(id);
    return node ? { scope: node.scope, provider: 'gcp', name: String(node.properties.name) } : undefined;
  });
  for (const { finding, reason } of flags.unattached)
    context.onIssue({
      severity: 'warning',
      source: `analysis-flag:${finding.rule}`,
      object: finding.subject,
      message: `finding "${finding.message}" is not stored as a flag: ${reason}`,
    });

  const issues = [...environment.issues, ...analysis.issues];
  return {
    format: INVENTORY_FORMAT,
    version: INVENTORY_VERSION,
    generatedAt: options.generatedAt ?? new Date().toISOString(),
    source: { name: context.sourceName, description: 'reachgraph GCP collector and IAM analyzer' },
    scopes: [...environment.containers.values()].map((c) => scopeOf(c, issues)),
    nodes: [...nodes.values(), ...flags.nodes],
    relationships: [...relationships, ...analysis.edges, ...flags.relationships],
  };
}

function scopeOf(container: GcpContainer, issues: readonly CollectionIssue[]): Inventory['scopes'][number] {
  return scopeRecord(
    { id: gcpScope(container.name), provider: 'gcp', name: container.displayName ?? container.name },
    issues,
    gcpIssueScope,
  );
}

const SHARED: readonly [string, NodeKind, Record<string, PropertyValue>][] = [
  ['public:gcp:', 'Public', { nonHuman: false }],
  ['gcp:user:', 'GcpUser', { nonHuman: false }],
  ['gcp:group:', 'GcpGroup', { nonHuman: false }],
  ['gcp:domain:', 'GcpDomain', { nonHuman: false }],
  ['gcp:principalset:', 'GcpPrincipalSet', { nonHuman: true, nhiType: 'workload' }],
  ['gcp:sa:', 'GcpServiceAccount', { nonHuman: true, nhiType: 'service-account', environment: 'unknown' }],
];

function namedById(id: string, kind: string | undefined): InventoryNode {
  const shared = SHARED.find(([prefix]) => id.startsWith(prefix));
  if (!shared)
    throw new Error(
      `the GCP analysis named ${id}${kind ? ` (${kind})` : ''}, which is no node of the collection`,
    );
  const [prefix, label, properties] = shared;
  const name = id.slice(prefix.length);
  const extra: Record<string, PropertyValue> =
    label === 'GcpPrincipalSet'
      ? { uri: name }
      : label === 'GcpDomain'
        ? { domain: name }
        : label === 'Public'
          ? {}
          : { email: name };
  return {
    id,
    kind: nodeKind(label)?.label ?? label,
    properties: { name, provider: label === 'Public' ? 'external' : 'gcp', ...properties, ...extra },
  };
}

/** A node's allow policy as stored for the who-can answers (answers/gcp-iam-objects.ts reads it back). */
function policyProperties(policy: GcpAllowPolicy | undefined): Record<string, PropertyValue> {
  return policy ? { iamPolicy: JSON.stringify({ source: policy.source, bindings: policy.bindings }) } : {};
}

/**
 * The roles the bindings use, with their permissions, so the graph holds what the who-can decision
 * needs (not the whole predefined dataset): a GcpRole node each, BOUND_TO from every node whose policy
 * binds it. A custom role is in its organization's or project's scope, a predefined one is shared. A
 * role found nowhere is left out (the analysis reports it; it grants nothing).
 */
function rolesInUse(
  environment: GcpEnvironment,
  nodes: Map<string, InventoryNode>,
  relationships: InventoryRelationship[],
): void {
  const attached: [string, GcpAllowPolicy | undefined][] = [
    ...[...environment.containers.values()].map((c): [string, GcpAllowPolicy | undefined] => [
      gcpIds.container(c.name),
      c.policy,
    ]),
    ...environment.serviceAccounts.map((a): [string, GcpAllowPolicy | undefined] => [
      gcpIds.serviceAccount(a.email),
      a.policy,
    ]),
    ...environment.resources.map((r): [string, GcpAllowPolicy | undefined] => [dataResourceId(r), r.policy]),
  ];
  const roles = environment.roles;
  for (const [from, policy] of attached) {
    const bound = new Set<string>();
    for (const { role: name } of policy?.bindings ?? []) {
      const role = roles.custom.get(name) ?? roles.collected.get(name) ?? roles.dataset.role(name);
      if (!role || bound.has(name)) continue;
      bound.add(name);
      const id = gcpIds.role(name);
      if (!nodes.has(id)) {
        const owner = role.custom ? name.slice(0, name.indexOf('/roles/')) : undefined;
        nodes.set(id, {
          id,
          kind: 'GcpRole',
          ...(owner && environment.containers.has(owner) ? { scope: gcpScope(owner) } : {}),
          properties: {
            name,
            provider: 'gcp',
            permissions: [...role.permissions],
            custom: role.custom,
            ...(role.deleted ? { deleted: true } : {}),
          },
        });
      }
      relationships.push({ type: 'BOUND_TO', from, to: id, properties: {}, evidence: [] });
    }
  }
}
