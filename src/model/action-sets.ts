import { createHash } from 'node:crypto';

/**
 * The stored form of `CAN_ACCESS.actions`. An estate's access edges repeat a few dozen action lists
 * (those of its roles and policies) over tens of thousands of edges, and the lists were the largest
 * part of what a load writes: the graph stores each distinct list once, as an `ActionSet` node
 * (`id`: the list's content address, `actions`: the list as given, its order kept), and the edge
 * stores the node's id as `actionSet` instead of the list. Readers see `actions` exactly as before:
 * Cypher through `cypher/graph/edge-actions.cypher` (or `edge-properties`), the in-memory graph
 * from the model itself (`storedProperties`).
 */
export const ACTION_SET_LABEL = 'ActionSet';

/** The relationship property that names an edge's ActionSet. */
export const ACTION_SET_PROPERTY = 'actionSet';

/**
 * The content address of an action list: SHA-256 of its JSON (order and every name as given),
 * the first 128 bits in base64url (22 characters). Equal lists share one id on every load, from
 * every provider, so a set is written once and shared.
 */
export function actionSetId(actions: readonly string[]): string {
  return addressOf(JSON.stringify(actions));
}

const addressOf = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 22);

/**
 * The distinct action lists of one load, each with its id. An analyzer hands many edges the same
 * list object (a role's permissions, a rule's verbs), so ids are remembered by the list itself
 * first, then by its text: each distinct list is hashed once.
 */
export class ActionSets {
  private readonly byList = new WeakMap<readonly string[], string>();
  private readonly byText = new Map<string, string>();
  private readonly sets = new Map<string, readonly string[]>();

  idOf(actions: readonly string[]): string {
    const known = this.byList.get(actions);
    if (known !== undefined) return known;
    const text = JSON.stringify(actions);
    let id = this.byText.get(text);
    if (id === undefined) {
      id = addressOf(text);
      this.byText.set(text, id);
      this.sets.set(id, actions);
    }
    this.byList.set(actions, id);
    return id;
  }

  /** Every distinct list met so far, with its id. */
  entries(): { id: string; actions: readonly string[] }[] {
    return [...this.sets].map(([id, actions]) => ({ id, actions }));
  }

  get size(): number {
    return this.sets.size;
  }
}
