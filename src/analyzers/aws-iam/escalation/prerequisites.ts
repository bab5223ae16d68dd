import type { EscalationContext } from './context.js';
import type { EscalationFinding } from './types.js';

/**
 * A technique's prerequisites, settled against what the collection shows:
 * - known to be absent (`missing`: every instance profile of the account was collected and none
 *   holds the role): the finding holds only when the principal can also create it, and then
 *   creating it is part of the finding (its decisions, its reason); otherwise there is no finding;
 * - unknown (`requires`: the list of such resources was not collected): the finding holds only if
 *   it exists, an undecided fact like an undecided condition, so the edge is conditional on
 *   PREREQUISITE_CONDITION_KEY and lists what it requires (evidence.ts).
 */

/** The pseudo condition key an edge depends on when a prerequisite may or may not exist. */
export const PREREQUISITE_CONDITION_KEY = 'reachgraph:PrerequisiteExists';

export function settlePrerequisites(
  ctx: EscalationContext,
  finding: EscalationFinding,
): EscalationFinding | undefined {
  if (!finding.missing?.length) return finding;
  // Creating what this role lacks is a decision about the role: the finding is no longer one pair
  // of a product whose source side is the same for every target.
  const { missing, product: _, ...rest } = finding;
  const decisions = [...rest.decisions];
  for (const prerequisite of missing) {
    const create = ctx.somewhereAll(prerequisite.createdWith);
    if (!create) return undefined;
    for (const d of create) decisions.push({ ...d, label: `${d.label} (to create ${prerequisite.what})` });
  }
  const created = missing.map((p) => p.what).join(' and ');
  return { ...rest, decisions, reason: `${rest.reason}, creating ${created} (none collected)` };
}
