import type { AwsAccountData, AwsEnvironment, AwsResourceData, Tags } from '../../model/aws/environment.js';
import type { NamedPolicy, PolicyDocument } from '../../model/aws/policy.js';
import type { InventoryRelationship, InventoryScope } from '../../model/inventory.js';
import {
  INVENTORY_FORMAT,
  INVENTORY_VERSION,
  type Inventory,
  type InventoryNode,
} from '../../model/inventory.js';
import { nodeKind } from '../../model/node-kinds.js';
import {
  type AwsClassificationOptions,
  ageDays,
  classificationOptions,
  classifyEnvironment,
  classifySensitivity,
  classifyUser,
} from './classification.js';
import { RESOURCE_KINDS } from './services/registry.js';

/**
 * The structural part of the graph from an AwsEnvironment: accounts, principals, groups, policies,
 * access keys, identity providers and resources, with membership, attachment, credential and
 * containment edges. Derived edges (trust, access, escalation) come from the analyzers.
 */

type Properties = InventoryNode['properties'];

const accountNodeId = (accountId: string) => `aws:account:${accountId}`;
const accountScopeId = (accountId: string) => `aws:${accountId}`;
/** An access key's node id (docs/graph-model.md, AwsAccessKey). */
export const accessKeyNodeId = (accessKeyId: string) => `aws:key:${accessKeyId}`;

export function awsInventory(env: AwsEnvironment, options: AwsClassificationOptions = {}): Inventory {
  const opts = classificationOptions(options);
  const nodes = new Map<string, InventoryNode>();
  const relationships: InventoryRelationship[] = [];
  const scopes: InventoryScope[] = [];
  const add = (node: InventoryNode) => {
    if (!nodes.has(node.id)) nodes.set(node.id, node);
  };
  const rel = (type: string, from: string, to: string, properties: Properties = {}) =>
    relationships.push({ type, from, to, properties, evidence: [] });

  for (const account of env.accounts) {
    const scope = accountScopeId(account.accountId);
    const errors = account.issues.filter((i) => i.severity === 'error');
    scopes.push({
      id: scope,
      provider: 'aws',
      name: account.alias ?? account.accountId,
      // Only a fully read account may have stale data deleted: an error means something went unseen.
      complete: errors.length === 0,
      ...(errors.length ? { errors: errors.map((i) => `${i.source}: ${i.message}`) } : {}),
    });
    const accountId = accountNodeId(account.accountId);
    const environmentOf = (node: { name: string; tags: Tags; accountId: string }) =>
      classifyEnvironment(node, account.alias, opts);
    add({
      id: accountId,
      kind: 'AwsAccount',
      scope,
      properties: {
        name: account.alias ?? account.accountId,
        provider: 'aws',
        accountId: account.accountId,
        environment: environmentOf({ name: account.alias ?? '', tags: {}, accountId: account.accountId }),
        ...(env.organization ? { organizationId: env.organization.id } : {}),
      },
    });
    const contains = (id: string) => rel('CONTAINS', accountId, id);

    policyNodes(account, scope, add, contains);

    for (const group of account.groups) {
      add({
        id: group.arn,
        kind: 'AwsGroup',
        scope,
        properties: {
          name: group.name,
          provider: 'aws',
          arn: group.arn,
          accountId: account.accountId,
          path: group.path,
        },
      });
      contains(group.arn);
      attachPolicies(group.arn, group, rel);
    }

    for (const user of account.users) {
      const nhi = classifyUser(user, opts);
      add({
        id: user.arn,
        kind: 'AwsUser',
        scope,
        properties: compact({
          name: user.name,
          provider: 'aws',
          arn: user.arn,
          accountId: account.accountId,
          path: user.path,
          tags: tagList(user.tags),
          userId: user.uniqueId,
          createdAt: user.createDate,
          passwordEnabled: user.hasConsolePassword,
          passwordLastUsedAt: user.passwordLastUsed,
          mfaActive: user.mfaActive,
          nonHuman: nhi.nonHuman,
          nhiType: nhi.nhiType,
          nhiRule: nhi.rule,
          environment: environmentOf(user),
        }),
      });
      contains(user.arn);
      for (const groupArn of user.groupArns)
        if (account.groups.some((g) => g.arn === groupArn)) rel('MEMBER_OF', user.arn, groupArn);
      attachPolicies(user.arn, user, rel);
      for (const key of user.accessKeys) {
        const id = accessKeyNodeId(key.accessKeyId);
        if (!nodeKind('AwsAccessKey')?.idPattern.test(id)) continue;
        add({
          id,
          kind: 'AwsAccessKey',
          scope,
          properties: compact({
            name: key.accessKeyId,
            provider: 'aws',
            accessKeyId: key.accessKeyId,
            userArn: user.arn,
            status: key.status === 'Active' ? 'active' : 'inactive',
            createdAt: key.createDate,
            lastUsedAt: key.lastUsedDate,
            lastUsedService: key.lastUsedService,
            ageDays: ageDays(key.createDate, opts.now),
            daysSinceLastUse: ageDays(key.lastUsedDate, opts.now),
          }),
        });
        rel('HAS_CREDENTIAL', user.arn, id);
      }
    }

    for (const role of account.roles) {
      add({
        id: role.arn,
        kind: 'AwsRole',
        scope,
        properties: compact({
          name: role.name,
          provider: 'aws',
          arn: role.arn,
          accountId: account.accountId,
          path: role.path,
          tags: tagList(role.tags),
          roleId: role.uniqueId,
          createdAt: role.createDate,
          lastUsedAt: role.lastUsedDate,
          maxSessionDurationSeconds: role.maxSessionDuration,
          serviceLinked: role.serviceLinked,
          instanceProfileArns: role.instanceProfileArns.length ? role.instanceProfileArns : undefined,
          trustPolicy: documentText(role.trustPolicy.document),
          nonHuman: true,
          nhiType: 'role',
          environment: environmentOf(role),
        }),
      });
      contains(role.arn);
      attachPolicies(role.arn, role, rel);
    }

    for (const provider of account.oidcProviders) {
      add({
        id: provider.arn,
        kind: 'AwsOidcProvider',
        scope,
        properties: {
          name: provider.url,
          provider: 'aws',
          arn: provider.arn,
          accountId: account.accountId,
          url: provider.url,
          clientIds: provider.clientIds,
        },
      });
      contains(provider.arn);
    }
    for (const provider of account.samlProviders) {
      add({
        id: provider.arn,
        kind: 'AwsSamlProvider',
        scope,
        properties: { name: provider.name, provider: 'aws', arn: provider.arn, accountId: account.accountId },
      });
      contains(provider.arn);
    }

    for (const resource of account.resources) {
      const node = resourceNode(resource, scope, environmentOf(resource), opts);
      if (!node) continue;
      add(node);
      contains(node.id);
    }
  }

  const organization = env.organization;
  if (organization) {
    const scope = `aws:organization/${organization.id}`;
    const errors = env.issues.filter((i) => i.severity === 'error');
    scopes.push({
      id: scope,
      provider: 'aws',
      name: organization.id,
      complete: errors.length === 0,
      ...(errors.length ? { errors: errors.map((i) => `${i.source}: ${i.message}`) } : {}),
    });
    add({
      id: organization.arn,
      kind: 'AwsOrganization',
      scope,
      properties: {
        name: organization.id,
        provider: 'aws',
        managementAccountId: organization.managementAccountId,
        environment: 'unknown',
      },
    });
    for (const account of env.accounts) {
      if (organization.accounts.some((a) => a.id === account.accountId)) {
        rel('CHILD_OF', accountNodeId(account.accountId), organization.arn);
      }
    }
  }

  return {
    format: INVENTORY_FORMAT,
    version: INVENTORY_VERSION,
    generatedAt: opts.now.toISOString(),
    source: { name: 'aws', description: `AWS accounts ${env.accounts.map((a) => a.accountId).join(', ')}` },
    scopes,
    nodes: [...nodes.values()],
    relationships,
  };
}

/** Managed policies (shared nodes when AWS-managed) and every inline policy, documents as JSON. */
function policyNodes(
  account: AwsAccountData,
  scope: string,
  add: (node: InventoryNode) => void,
  contains: (id: string) => void,
): void {
  const known = new Set<string>();
  for (const managed of account.managedPolicies) {
    known.add(managed.arn);
    const awsManaged = managed.policy.kind === 'aws-managed';
    add({
      id: managed.arn,
      kind: 'AwsPolicy',
      // AWS-managed policies are the same in every account: one shared node.
      ...(awsManaged ? {} : { scope }),
      properties: compact({
        name: managed.policy.name,
        provider: 'aws',
        arn: managed.arn,
        path: managed.path,
        policyType: 'managed',
        awsManaged,
        document: documentText(managed.policy.document),
        defaultVersionId: managed.defaultVersionId,
        versions: managed.otherVersions.length
          ? managed.otherVersions.map((v) => `${v.versionId}=${documentText(v.document)}`)
          : undefined,
      }),
    });
    if (!awsManaged) contains(managed.arn);
  }
  // A policy attached but not listed (e.g. a partial file): a node without document, so the edge stands.
  const owners: {
    attachedPolicyArns: string[];
    permissionsBoundaryArn?: string;
    inlinePolicies: NamedPolicy[];
  }[] = [...account.users, ...account.roles, ...account.groups];
  for (const owner of owners) {
    const referenced = [
      ...owner.attachedPolicyArns,
      ...(owner.permissionsBoundaryArn ? [owner.permissionsBoundaryArn] : []),
    ];
    for (const arn of referenced) {
      if (known.has(arn)) continue;
      known.add(arn);
      const awsManaged = /^arn:[^:]+:iam::aws:policy\//.test(arn);
      add({
        id: arn,
        kind: 'AwsPolicy',
        ...(awsManaged ? {} : { scope }),
        properties: {
          name: arn.slice(arn.lastIndexOf('/') + 1),
          provider: 'aws',
          arn,
          policyType: 'managed',
          awsManaged,
          documentCollected: false,
        },
      });
      if (!awsManaged) contains(arn);
    }
    for (const policy of owner.inlinePolicies) {
      add({
        id: policy.id,
        kind: 'AwsPolicy',
        scope,
        properties: {
          name: policy.name,
          provider: 'aws',
          policyType: 'inline',
          document: documentText(policy.document),
        },
      });
    }
  }
}

function attachPolicies(
  ownerId: string,
  owner: { inlinePolicies: NamedPolicy[]; attachedPolicyArns: string[]; permissionsBoundaryArn?: string },
  rel: (type: string, from: string, to: string, properties?: Properties) => void,
): void {
  // One edge per (owner, policy): a managed policy can be both attached and the boundary.
  const attachments = new Map<string, string[]>();
  const add = (policyId: string, how: string) =>
    attachments.set(policyId, [...(attachments.get(policyId) ?? []), how]);
  for (const policy of owner.inlinePolicies) add(policy.id, 'inline');
  for (const arn of owner.attachedPolicyArns) add(arn, 'managed');
  if (owner.permissionsBoundaryArn) add(owner.permissionsBoundaryArn, 'permissions-boundary');
  for (const [policyId, how] of attachments) rel('HAS_POLICY', ownerId, policyId, { attachments: how });
}

function resourceNode(
  resource: AwsResourceData,
  scope: string,
  environment: string,
  opts: ReturnType<typeof classificationOptions>,
): InventoryNode | undefined {
  // Types no service registers (collected by nobody) are not put in the graph.
  const spec = RESOURCE_KINDS.get(resource.type);
  if (!spec || !nodeKind(spec.kind)?.idPattern.test(resource.arn)) return undefined;
  const { kind } = spec;
  const workload = spec.holds === 'workload';
  const attributes: Properties = {};
  for (const [key, value] of Object.entries(resource.attributes ?? {})) attributes[key] = value;
  return {
    id: resource.arn,
    kind,
    scope,
    properties: compact({
      ...attributes,
      name: resource.name,
      provider: 'aws',
      arn: resource.arn,
      accountId: resource.accountId,
      region: resource.region,
      resourceType: resource.type,
      tags: tagList(resource.tags),
      environment,
      sensitivity: workload ? undefined : classifySensitivity(resource, opts),
      roleArns: resource.roleArns?.length ? resource.roleArns : undefined,
      policy: resource.policy ? documentText(resource.policy.document) : undefined,
      ...(workload ? { nonHuman: true, nhiType: 'workload' } : {}),
    }),
  };
}

/** The normalized document as JSON, statement positions kept as in the original. */
function documentText(document: PolicyDocument): string {
  return JSON.stringify(document);
}

function tagList(tags: Tags): string[] | undefined {
  const list = Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .sort();
  return list.length ? list : undefined;
}

function compact(properties: Record<string, Properties[string] | undefined>): Properties {
  const out: Properties = {};
  for (const [key, value] of Object.entries(properties)) if (value !== undefined) out[key] = value;
  return out;
}
