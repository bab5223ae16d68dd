import { ACCESS_LEVELS, DATA_ACCESS_LEVELS } from '../model/properties.js';

/**
 * The route rule: which route answers "how does P reach R", the same in the CLI, the API (`via`
 * and `hops`), the reports and the summary. Among the routes the question allows (hop types,
 * levels, the hop bound, unconditional only), the answer is the route with
 *
 * 0. access to the data, if any route has it: a route whose ending edge grants a data level
 *    (read, write, permissions; of the levels asked for, when the question names some) wins over
 *    every route that only lists or tags, however much shorter: a direct `DescribeSecret` must not
 *    hide a role one hop away that reads the secret's value;
 * 1. then the fewest edges (for access: the fewest hops; an escalation that ends with the principal
 *    escalating into the account is one edge shorter than one ending in ADMINISTERS after as many
 *    hops);
 * 2. then no conditional edge, if such a route is among them: the route shown must hold for
 *    certain whenever the answer says the pair is reachable for certain;
 * 3. then the strongest level granted by its ending edge (permissions, write, read, tagging, list);
 * 4. then the least in stable id order: hops compared in order by the id of the node they enter,
 *    then by relationship type name (ADMINISTERS and CAN_ACCESS before CAN_ESCALATE into the same
 *    node). Between two nodes there is at most one relationship per type (the loader merges them by
 *    type and endpoints), so this is a total order and the answer is the same from run to run and
 *    whichever store answers.
 *
 * route-search.ts implements it; nothing else chooses routes.
 */

/** Strongest first: what an attacker would rather have. */
export const LEVELS_BY_STRENGTH = ['permissions', 'write', 'read', 'tagging', 'list'] as const;

const STRENGTH = Array.from({ length: 1 << ACCESS_LEVELS.length }, (_, mask) => {
  for (const [i, level] of LEVELS_BY_STRENGTH.entries())
    if ((mask & (1 << ACCESS_LEVELS.indexOf(level))) !== 0) return LEVELS_BY_STRENGTH.length - i;
  return 0;
});

const DATA_MASK = DATA_ACCESS_LEVELS.reduce((mask, level) => mask | (1 << ACCESS_LEVELS.indexOf(level)), 0);

/**
 * Rule 0: 1 when an ending edge granting `mask` reaches the data, counting only the levels asked
 * for (`asked`, a level mask; 0 for any); else 0.
 */
export function dataClass(mask: number, asked: number): number {
  return (mask & (asked === 0 ? DATA_MASK : asked) & DATA_MASK) !== 0 ? 1 : 0;
}

/** Does a question asking for `asked` (a level mask, 0 for any) count every data level? */
export function asksEveryDataLevel(asked: number): boolean {
  return asked === 0 || (asked & DATA_MASK) === DATA_MASK;
}

/** A level mask's strength: higher for a stronger strongest level, 0 for no level. */
export function levelStrength(mask: number): number {
  return STRENGTH[mask] ?? 0;
}

/**
 * Rule 4 on its own: two routes of the same length compared hop by hop by (id of the node entered,
 * relationship type name). The search never compares whole routes; tests state the rule with it.
 */
export function compareRouteIds(
  a: readonly { to: string; type: string }[],
  b: readonly { to: string; type: string }[],
): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as { to: string; type: string };
    const y = b[i] as { to: string; type: string };
    if (x.to !== y.to) return x.to < y.to ? -1 : 1;
    if (x.type !== y.type) return x.type < y.type ? -1 : 1;
  }
  return a.length - b.length;
}
