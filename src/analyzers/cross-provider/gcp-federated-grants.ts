import type { Evidence } from '../../model/evidence.js';
import type { InventoryNode, InventoryRelationship, PropertyValue } from '../../model/inventory.js';
import { unitedList } from '../../model/properties.js';
import type { CrossProviderUnion } from '../../pipeline/cross-provider.js';
import type { DerivedRelationship } from '../../providers/contract.js';

/**
 * A workload identity federation principal (a `GcpPrincipalSet` node: one `principal://` subject, a
 * `principalSet://` of them, or a GKE `PROJECT.svc.id.goog[NS/KSA]`) holds, in the GCP analysis, the
 * grants its bindings give: FEDERATES_TO a service account (roles/iam.workloadIdentityUser),
 * CAN_ACCESS a resource (direct resource access), CAN_ESCALATE, ADMINISTERS. An identity of another
 * provider that the pool admits as that principal (a Kubernetes service account, an AWS role, a
 * GitHub Actions subject) holds the same grants itself
 * (https://cloud.google.com/iam/docs/workload-identity-federation#access-management): this gives it
 * each of them, with the GCP binding's evidence and the admission's, conditional when either is.
 */

/** An external identity admitted as a GCP federation principal. */
export interface Admission {
  /** The GcpPrincipalSet node id. */
  principal: string;
  /** The admitted identity's node. */
  holder: Pick<InventoryNode, 'id' | 'kind'>;
  /** What could not be decided about the admission (empty when decided). */
  conditions: string[];
  /** Why the pool admits it. */
  evidence: Evidence;
}

const HELD = new Set(['FEDERATES_TO', 'CAN_ACCESS', 'CAN_ESCALATE', 'ADMINISTERS', 'CAN_IMPERSONATE']);
/** The types a holder of GCP grants is given (CAN_IMPERSONATE never leaves a principal set: it is FEDERATES_TO). */
export const FEDERATED_GRANT_TYPES = ['FEDERATES_TO', 'CAN_ACCESS', 'CAN_ESCALATE', 'ADMINISTERS'] as const;

/** The GCP edges of principal-set nodes, by their source id (read once per rule). */
export function principalGrants(union: CrossProviderUnion): Map<string, InventoryRelationship[]> {
  const byFrom = new Map<string, InventoryRelationship[]>();
  for (const r of union.relationships)
    if (HELD.has(r.type) && r.from.startsWith('gcp:principalset:')) {
      const list = byFrom.get(r.from) ?? [];
      list.push(r);
      byFrom.set(r.from, list);
    }
  return byFrom;
}

/** Each admitted holder's copy of its principals' grants, one edge per type and target. */
export function federatedGrants(
  admissions: readonly Admission[],
  grants: ReadonlyMap<string, readonly InventoryRelationship[]>,
): DerivedRelationship[] {
  const out = new Map<string, DerivedRelationship>();
  for (const admission of admissions)
    for (const grant of grants.get(admission.principal) ?? []) {
      if (grant.to === admission.holder.id) continue;
      const granted = grant.properties.conditional === true;
      const grantConditions = granted ? stringsOf(grant.properties.conditions) : [];
      const conditional = granted || admission.conditions.length > 0;
      const conditions = [...new Set([...grantConditions, ...admission.conditions])];
      const edge: DerivedRelationship = {
        type: grant.type === 'CAN_IMPERSONATE' ? 'FEDERATES_TO' : grant.type,
        from: admission.holder.id,
        fromKind: admission.holder.kind,
        to: grant.to,
        ...(grant.toKind ? { toKind: grant.toKind } : {}),
        properties: {
          ...withoutConditions(grant.properties),
          ...(conditional ? { conditional: true, conditions } : {}),
        },
        evidence: [
          admission.evidence,
          ...(grant.evidence ?? []).map((e) =>
            admission.conditions.length
              ? { ...e, conditions: [...(e.conditions ?? []), ...admission.conditions] }
              : e,
          ),
        ],
      };
      const key = `${edge.type}\u0000${edge.from}\u0000${edge.to}`;
      const seen = out.get(key);
      out.set(key, seen ? merged(seen, edge) : edge);
    }
  return [...out.values()];
}

/** Two routes to one grant: one edge, conditional only when both are, lists united, all the evidence. */
function merged(a: DerivedRelationship, b: DerivedRelationship): DerivedRelationship {
  const properties: Record<string, PropertyValue> = { ...withoutConditions(a.properties) };
  for (const [key, value] of Object.entries(withoutConditions(b.properties))) {
    const mine = properties[key];
    if (Array.isArray(mine) && Array.isArray(value))
      properties[key] = unitedList(key, stringsOf(mine), stringsOf(value));
    else if (mine === undefined) properties[key] = value;
  }
  if (a.properties.conditional === true && b.properties.conditional === true)
    Object.assign(properties, {
      conditional: true,
      conditions: [
        ...new Set([...stringsOf(a.properties.conditions), ...stringsOf(b.properties.conditions)]),
      ],
    });
  const evidence = [...a.evidence];
  for (const e of b.evidence)
    if (!evidence.some((x) => JSON.stringify(x) === JSON.stringify(e))) evidence.push(e);
  return { ...a, properties, evidence };
}

function withoutConditions(properties: Record<string, PropertyValue>): Record<string, PropertyValue> {
  const { conditional: _c, conditions: _k, ...rest } = properties;
  return rest;
}

function stringsOf(value: PropertyValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
