import { createAuthorizer } from '../../../../src/analyzers/aws-iam/authorizer/environment-authorizer.js';
import { findEscalations } from '../../../../src/analyzers/aws-iam/escalation/analyze.js';
import { TECHNIQUES } from '../../../../src/analyzers/aws-iam/escalation/registry.js';
import type { EscalationTechnique } from '../../../../src/analyzers/aws-iam/escalation/types.js';
import type { DerivedEdge } from '../../../../src/analyzers/aws-iam/types.js';
import type { AwsEnvironment } from '../../../../src/model/aws/environment.js';

export const ACCT = '111111111111';

/** CAN_ESCALATE edges of an environment, with every technique or only the given ones. */
export function escalations(env: AwsEnvironment, techniques: readonly EscalationTechnique[] = TECHNIQUES) {
  return findEscalations(createAuthorizer(env), techniques).edges;
}

/** `from → to [technique]` lines, sorted: what a reader checks first. */
export function summary(edges: DerivedEdge[]): string[] {
  return edges.map((e) => `${short(e.from)} -> ${short(e.to)} [${e.properties.technique}]`).sort();
}

export function short(id: string): string {
  return id.startsWith('aws:account:') ? id : id.slice(id.indexOf(':', 20) + 1);
}

export function edgeBetween(edges: DerivedEdge[], from: string, to: string): DerivedEdge | undefined {
  return edges.find((e) => e.from === from && e.to === to);
}
