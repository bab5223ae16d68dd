import { createHash } from 'node:crypto';

/**
 * A finding's identity from run to run: the rule and the ids that name the problem (identity and
 * resource, a key id, a flag id), in the order given. Hashing a JSON array keeps ids that contain
 * separators from colliding (["a|b", "c"] vs ["a", "b|c"]).
 */
export function fingerprint(ruleId: string, ids: string[]): string {
  return createHash('sha256')
    .update(JSON.stringify([ruleId, ...ids]))
    .digest('hex')
    .slice(0, 32);
}
