import { ConfigSchema } from '../../config/schema.js';
import type { InventoryNode } from '../../model/inventory.js';
import { analyzeProviders, providerJobs } from '../../pipeline/sync.js';
import { PROVIDER_REGISTRY } from '../../providers/registry.js';

/**
 * The names the generated logs use, read from a snapshot through the providers (collect, analyze,
 * inventory: the same ids the graph holds), so every ARN, key id, role id, service account and
 * object in the logs is one the snapshot has. A name the behaviour asks for that the snapshot lacks
 * is an error naming it.
 */
export class Estate {
  private readonly byId = new Map<string, InventoryNode>();
  /** The AWS organization id, for the organization trail's layout. */
  readonly organizationId: string | undefined;

  constructor(readonly nodes: readonly InventoryNode[]) {
    for (const node of nodes) this.byId.set(node.id, node);
    const org = nodes.find((n) => n.kind === 'AwsOrganization');
    this.organizationId = org ? String(org.properties.name) : undefined;
  }

  /** The node of `kind` whose id is `id`, or whose id ends with `suffix` (a role's or user's path and name). */
  node(kind: string, idOrSuffix: string): InventoryNode {
    const exact = this.byId.get(idOrSuffix);
    if (exact?.kind === kind) return exact;
    const found = this.nodes.filter((n) => n.kind === kind && n.id.endsWith(idOrSuffix));
    if (found.length !== 1)
      throw new Error(
        `the snapshot has ${found.length === 0 ? 'no' : 'more than one'} ${kind} named ${idOrSuffix}`,
      );
    return found[0] as InventoryNode;
  }

  prop(node: InventoryNode, name: string): string {
    const value = node.properties[name];
    if (typeof value !== 'string' || value === '') throw new Error(`${node.id} has no ${name}`);
    return value;
  }

  awsUser(suffix: string): AwsUserRef {
    const user = this.node('AwsUser', suffix);
    const arn = this.prop(user, 'arn');
    const key = this.nodes.find(
      (n) => n.kind === 'AwsAccessKey' && n.properties.userArn === arn && n.properties.status === 'active',
    );
    return {
      arn,
      accountId: this.prop(user, 'accountId'),
      name: this.prop(user, 'name'),
      userId: this.prop(user, 'userId'),
      accessKeyId: key ? this.prop(key, 'accessKeyId') : '',
    };
  }

  awsRole(suffix: string): AwsRoleRef {
    const role = this.node('AwsRole', suffix);
    return {
      arn: this.prop(role, 'arn'),
      accountId: this.prop(role, 'accountId'),
      name: this.prop(role, 'name'),
      roleId: this.prop(role, 'roleId'),
    };
  }

  /** An ARN of a resource node (bucket, table, secret, key, function, instance) by its id's ending. */
  arn(kind: string, suffix: string): string {
    return this.prop(this.node(kind, suffix), 'arn');
  }

  /** A GCP service account's email, checked against the snapshot. */
  gcpServiceAccount(email: string): GcpServiceAccountRef {
    const sa = this.node('GcpServiceAccount', `gcp:sa:${email}`);
    return { email, projectId: this.prop(sa, 'projectId') };
  }

  gcpProjectNumber(projectId: string): string {
    return this.prop(this.node('GcpProject', `gcp:projects/${projectId}`), 'projectNumber');
  }

  /** The nodes of a Kubernetes cluster of `kind` (K8sNode, K8sPod…). */
  k8s(kind: string, cluster: string): InventoryNode[] {
    return this.nodes.filter((n) => n.kind === kind && n.properties.cluster === cluster);
  }

  /** Non-human principals (`nonHuman: true`): the denominator of per-identity rates. */
  nonHumanIdentities(): string[] {
    return this.nodes.filter((n) => n.properties.nonHuman === true).map((n) => n.id);
  }
}

export interface AwsUserRef {
  arn: string;
  accountId: string;
  name: string;
  userId: string;
  accessKeyId: string;
}

export interface AwsRoleRef {
  arn: string;
  accountId: string;
  name: string;
  roleId: string;
}

export interface GcpServiceAccountRef {
  email: string;
  projectId: string;
}

/** Collect and analyze the snapshot in memory (no Neo4j), as of `asOf`, and keep its inventory's nodes. */
export async function readEstate(snapshotRoot: string, asOf: Date): Promise<Estate> {
  const jobs = providerJobs(PROVIDER_REGISTRY, [], { snapshotRoot, options: {} }, ConfigSchema.parse({}));
  const run = await analyzeProviders(jobs, { asOf });
  return new Estate(run.valid.inventory.nodes);
}
