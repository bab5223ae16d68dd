import type { Evidence } from '../../../model/evidence.js';
import type { PrincipalInfo } from '../types.js';
import type { EscalationRun } from './context.js';
import { settlePrerequisites } from './prerequisites.js';
import type { EscalationFinding, EscalationTechnique, RequiredDecision } from './types.js';

/**
 * Escalations that need two principals' permissions at once: an attacker who controls a role (it
 * can assume it, or has a service act as it: a CloudFormation stack's service role) holds that
 * role's rights and its own together. A CloudFormation service role may create a Lambda function
 * with a privileged role without being allowed to invoke it, and the attacker invokes it with its
 * own lambda:InvokeFunction. Techniques declare which of their actions any controlled principal
 * may perform (`anyControlled`); they are decided for each role the source controls with the
 * source (and its other controlled roles) as helpers. A finding counts only when a helper's
 * permission was needed (otherwise the role reaches the target alone, an edge of its own), and
 * its decisions name every principal's contribution. Bounded: MAX_CONTROLLED roles per source.
 */

export const MAX_CONTROLLED = 16;

/** One principal the source controls, and how. */
export interface Controlled {
  role: PrincipalInfo;
  /** How the source controls it (the escalation's or sts:AssumeRole's decisions). */
  decisions: RequiredDecision[];
  evidence: Evidence[];
  how: string;
  requires?: string[];
}

export interface TeamFinding {
  technique: EscalationTechnique;
  finding: EscalationFinding;
}

export function teamFindings(
  run: EscalationRun,
  source: PrincipalInfo,
  controlled: Controlled[],
  techniques: readonly EscalationTechnique[],
): TeamFinding[] {
  const team = techniques.filter((t) => t.anyControlled?.length);
  if (team.length === 0) return [];
  const members = controlled.slice(0, MAX_CONTROLLED);
  const authorizer = run.authorizer;
  const out: TeamFinding[] = [];
  for (const actor of members) {
    const helpers = [source, ...members.filter((m) => m !== actor).map((m) => m.role)];
    for (const technique of team) {
      const shared = new Set((technique.anyControlled ?? []).map((a) => a.toLowerCase()));
      const own = technique.requiredActions.filter((a) => !shared.has(a.toLowerCase()));
      if (!own.every((a) => authorizer.mayAllow(actor.role.id, a))) continue;
      const anyone = technique.anyControlled ?? [];
      if (!anyone.every((a) => [actor.role, ...helpers].some((p) => authorizer.mayAllow(p.id, a)))) continue;
      const ctx = run.contextFor(actor.role, helpers);
      for (const candidate of technique.find(ctx)) {
        const found = settlePrerequisites(ctx, candidate);
        if (!found?.decisions.some((d) => ctx.helped.has(d))) continue;
        if (found.target.kind === 'principal' && [source.id, actor.role.id].includes(found.target.id))
          continue;
        const name = actor.role.id.slice(actor.role.id.lastIndexOf('/') + 1);
        const requires = [...(actor.requires ?? []), ...(found.requires ?? [])];
        // Controlling the actor is a decision of this source and this actor: no product's pair.
        const { product: _, ...rest } = found;
        out.push({
          technique,
          finding: {
            ...rest,
            self: false,
            reason: `through role ${name} (${actor.how}), ${found.reason.replace(/^can /, 'it can ')}, with the source's own permissions where the role lacks them`,
            decisions: [
              ...actor.decisions.map((d) => ({ ...d, label: `${d.label} (to control role ${name})` })),
              ...found.decisions.map((d) =>
                ctx.helped.has(d) ? d : { ...d, label: `${d.label} as role ${name}` },
              ),
            ],
            evidence: [...actor.evidence, ...(found.evidence ?? [])],
            ...(requires.length ? { requires } : {}),
          },
        });
      }
    }
  }
  return out;
}
