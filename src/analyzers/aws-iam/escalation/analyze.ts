import type { AnalysisFinding } from '../../../model/analysis-flags.js';
import type { Evidence } from '../../../model/evidence.js';
import { scopeOf } from '../edges/nodes.js';
import type { Decision } from '../engine/types.js';
import type { Authorizer, DerivedEdge } from '../types.js';
import { EscalationRun, permits } from './context.js';
import { findingConditions, findingEvidence } from './evidence.js';
import type { AdminHypothesis, EscalationFinding, EscalationTechnique } from './types.js';
import { decideHypotheses, hypothesisKey, type WhatIfAuthorizer } from './what-if.js';

/**
 * Runs escalation techniques over every principal and turns what they find into CAN_ESCALATE
 * edges, one per (source, target):
 * - a principal that is already administrator is skipped (it has nothing to gain);
 * - a technique is tried only when the principal may have all its required actions (`mayAllow`);
 * - findings that hold only if a change makes someone administrator are kept only when the
 *   authorizer says the changed principal would be (see what-if.ts);
 * - several techniques reaching the same target make one edge: its `technique` is the one that
 *   needs least (no `requires`, unconditional, catalogue order) and its evidence lists them all.
 */

export interface EscalationResult {
  edges: DerivedEdge[];
  findings: AnalysisFinding[];
}

interface Found {
  technique: EscalationTechnique;
  order: number;
  sourceId: string;
  sourceAccount: string;
  sourceKind: 'AwsUser' | 'AwsRole';
  finding: EscalationFinding;
}

export function findEscalations(
  authorizer: Authorizer & WhatIfAuthorizer,
  techniques: readonly EscalationTechnique[],
): EscalationResult {
  const run = new EscalationRun(authorizer, techniques);
  const problems: AnalysisFinding[] = [];
  const found: Found[] = [];

  for (const principal of authorizer.principals()) {
    if (authorizer.isAdmin(principal.id).outcome === 'allow') continue;
    const ctx = run.contextFor(principal);
    // Techniques share required actions (iam:PassRole above all): ask once per action.
    const may = new Map<string, boolean>();
    const mayAllow = (action: string) => {
      let allowed = may.get(action);
      if (allowed === undefined) {
        allowed = authorizer.mayAllow(principal.id, action);
        may.set(action, allowed);
      }
      return allowed;
    };
    techniques.forEach((technique, order) => {
      if (!technique.requiredActions.every(mayAllow)) return;
      try {
        for (const finding of technique.find(ctx)) {
          if (finding.target.kind === 'principal' && finding.target.id === principal.id) continue;
          found.push({
            technique,
            order,
            sourceId: principal.id,
            sourceAccount: principal.accountId,
            sourceKind: principal.kind,
            finding,
          });
        }
      } catch (error) {
        problems.push({
          rule: 'aws-escalation-technique-failed',
          severity: 'info',
          subject: principal.id,
          message: `escalation technique ${technique.id} failed for ${principal.id}: ${(error as Error).message}`,
          evidence: [],
        });
      }
    });
  }

  const hypotheses = found.flatMap((f) => (f.finding.ifAdmin ? [f.finding.ifAdmin] : []));
  const decided = decideHypotheses(run, authorizer, hypotheses);
  const holding = found.flatMap((f) => {
    const h = f.finding.ifAdmin;
    if (!h) return [f];
    const admin = decided.get(hypothesisKey(h));
    return permits(admin) ? [withAdminDecision(f, h, admin)] : [];
  });
  return { edges: toEdges(holding), findings: problems };
}

/** The administrator decision's undecided conditions (an SCP condition, say) become the finding's. */
function withAdminDecision(f: Found, h: AdminHypothesis, admin: Decision): Found {
  if (admin.conditions.length === 0) return f;
  const decision: Decision = { ...admin, allowedBy: [] };
  return {
    ...f,
    finding: {
      ...f.finding,
      decisions: [...f.finding.decisions, { label: `administrator after ${h.summary}`, decision }],
    },
  };
}

const targetId = (f: EscalationFinding) =>
  f.target.kind === 'account' ? `aws:account:${f.target.accountId}` : f.target.id;

function rank(f: Found): [number, number, number] {
  return [f.finding.requires?.length ? 1 : 0, findingConditions(f.finding).length ? 1 : 0, f.order];
}

function compareRank(a: Found, b: Found): number {
  const [x, y] = [rank(a), rank(b)];
  for (let i = 0; i < x.length; i++)
    if ((x[i] as number) !== (y[i] as number)) return (x[i] as number) - (y[i] as number);
  return 0;
}

function toEdges(found: Found[]): DerivedEdge[] {
  const groups = new Map<string, Found[]>();
  for (const f of found) {
    const key = `${f.sourceId}\u0000${targetId(f.finding)}`;
    const list = groups.get(key) ?? [];
    list.push(f);
    groups.set(key, list);
  }
  const edges: DerivedEdge[] = [];
  for (const list of groups.values()) {
    list.sort(compareRank);
    const primary = list[0] as Found;
    const { finding, technique } = primary;
    const evidence: Evidence[] = [];
    const seen = new Set<string>();
    for (const f of list) {
      for (const e of findingEvidence(f.technique, f.finding)) {
        const key = evidenceKey(e);
        if (!seen.has(key)) evidence.push(e);
        seen.add(key);
      }
    }
    const conditional = list.every((f) => findingConditions(f.finding).length > 0);
    const conditions = conditional
      ? [...new Set(list.flatMap((f) => findingConditions(f.finding)))].sort()
      : [];
    edges.push({
      type: 'CAN_ESCALATE',
      from: primary.sourceId,
      to: targetId(finding),
      fromKind: primary.sourceKind,
      toKind: finding.target.kind === 'account' ? 'AwsAccount' : finding.target.nodeKind,
      // The source's account owns the fact: its permissions make the edge.
      scope: scopeOf(primary.sourceAccount),
      properties: {
        technique: technique.id,
        attack: technique.attack,
        self: finding.self,
        ...(finding.requires?.length ? { requires: finding.requires } : {}),
        conditional,
        ...(conditions.length ? { conditions } : {}),
      },
      evidence,
    });
  }
  return edges.sort((a, b) => (a.from + a.to < b.from + b.to ? -1 : a.from + a.to > b.from + b.to ? 1 : 0));
}

/**
 * Identity of an evidence record for de-duplication: its fields in their order, as JSON would
 * write them (records are flat: strings and the list of condition keys), without serializing.
 */
function evidenceKey(e: Evidence): string {
  let key = '';
  for (const [name, value] of Object.entries(e))
    if (value !== undefined)
      key += `${name}\u0001${Array.isArray(value) ? value.join('\u0002') : String(value)}\u0000`;
  return key;
}
