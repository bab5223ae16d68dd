import type { Evidence } from '../../../model/evidence.js';
import type { InventoryNode } from '../../../model/inventory.js';
import { accountRootArn, PUBLIC_AWS } from '../authorizer/principal-ids.js';
import type { DerivedEdge } from '../types.js';

/**
 * Nodes the edge families introduce (principals that are not collected IAM users or roles) and
 * the edge shape they all emit. A node's properties depend on its id only, so the same node
 * emitted by two families (or for two roles) is one node.
 */

const scopes = new Map<string, string>();

/** `aws:<account>`: one string per account, however many edges carry it. */
export function scopeOf(accountId: string): string {
  let scope = scopes.get(accountId);
  if (scope === undefined) {
    scope = `aws:${accountId}`;
    scopes.set(accountId, scope);
  }
  return scope;
}

export function publicNode(): InventoryNode {
  return { id: PUBLIC_AWS, kind: 'Public', properties: { name: 'anyone (Principal "*")', nonHuman: false } };
}

export function accountRootNode(accountId: string, partition: string): InventoryNode {
  return {
    id: accountRootArn(accountId, partition),
    kind: 'AwsAccountRoot',
    scope: scopeOf(accountId),
    properties: {
      name: `account ${accountId}`,
      arn: accountRootArn(accountId, partition),
      accountId,
      // Stands for whatever the account's own policies allow: people and machines alike.
      nonHuman: false,
    },
  };
}

/** A principal outside the collected data, as a policy names it (`external:<ARN>`). */
export function externalNode(id: string): InventoryNode {
  const value = id.slice('external:'.length);
  const accountId = /:(\d{12}):/.exec(value)?.[1];
  const isRole = /:iam::\d{12}:role\/|:sts::\d{12}:assumed-role\//.test(value);
  return {
    id,
    kind: 'ExternalPrincipal',
    properties: {
      name: value.endsWith(':root') ? `account ${accountId} (not collected)` : value,
      ...(accountId ? { accountId } : {}),
      nonHuman: isRole,
      ...(isRole ? { nhiType: 'role' } : {}),
    },
  };
}

export interface EdgeInput {
  type: string;
  from: string;
  fromKind: string;
  to: string;
  toKind: string;
  scope: string;
  properties?: DerivedEdge['properties'];
  evidence: Evidence[];
}

export function edge(input: EdgeInput): DerivedEdge {
  return { ...input, properties: input.properties ?? {} };
}

/** Collects nodes by id (first wins) for a family's output. */
export class NodeSet {
  private readonly nodes = new Map<string, InventoryNode>();
  add(node: InventoryNode): void {
    if (!this.nodes.has(node.id)) this.nodes.set(node.id, node);
  }
  list(): InventoryNode[] {
    return [...this.nodes.values()];
  }
}
