import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { ReachgraphError } from '../errors.js';
import { redactTag } from '../secrets.js';
import { ACTION_SET_PROPERTY, type ActionSets } from './action-sets.js';
import { type Evidence, EvidenceSchema } from './evidence.js';
import { GRANT_KIND, MEMBER_LEG_PROPERTIES } from './grants.js';
import {
  type Inventory,
  type InventoryNode,
  InventoryNodeSchema,
  type InventoryRelationship,
  InventoryRelationshipSchema,
  InventorySchema,
  InventoryShellSchema,
  type PropertyValue,
} from './inventory.js';
import { labelsOf, type NodeKindSpec, nodeKind, propertiesOf } from './node-kinds.js';
import type { PropertySpec, PropertySpecs } from './properties.js';
import { isDerived, type RelationshipKindSpec, relationshipKind } from './relationship-kinds.js';

/** A node ready for the loader: kind resolved to labels, defaults applied. */
export interface LoadNode {
  id: string;
  kind: string;
  labels: string[];
  scope: string | null;
  properties: Record<string, PropertyValue>;
}

/**
 * A relationship ready for the loader: endpoint kinds and scope resolved, evidence folded into
 * properties (`conditional`, `conditions`). The records themselves stay
 * as the inventory gave them and become the stored `evidence` JSON only when written
 * (`storedProperties`): that text is the largest part of a derived edge, and an inventory of a
 * hundred thousand edges would otherwise hold all of it twice.
 */
export interface LoadRelationship {
  type: string;
  from: string;
  to: string;
  fromKind: string;
  toKind: string;
  scope: string;
  properties: Record<string, PropertyValue>;
  evidence?: readonly Evidence[];
}

/**
 * A relationship's properties as every reader sees them: its own, and its evidence records as JSON.
 * (The in-memory graph reads these; the loader writes `writtenProperties`, which Cypher readers
 * resolve back to these.)
 */
export function storedProperties(r: LoadRelationship): Record<string, PropertyValue> {
  return r.evidence ? { ...r.properties, evidence: JSON.stringify(r.evidence) } : r.properties;
}

/**
 * A relationship's properties as the loader writes them: `storedProperties`, with an action list
 * replaced by the id of the ActionSet node that holds it (src/model/action-sets.ts), each distinct
 * list stored once. Readers get `actions` back through cypher/graph/edge-actions.cypher.
 */
export function writtenProperties(
  r: LoadRelationship,
  actionSets: ActionSets,
): Record<string, PropertyValue> {
  const { actions, ...rest } = storedProperties(r);
  if (!Array.isArray(actions)) return actions === undefined ? rest : { ...rest, actions };
  return { ...rest, [ACTION_SET_PROPERTY]: actionSets.idOf(actions as string[]) };
}

export interface ValidInventory {
  inventory: Inventory;
  nodes: LoadNode[];
  relationships: LoadRelationship[];
}

/** Bad input: names the file and every record that is wrong, so one fix round is enough. */
export class InventoryError extends ReachgraphError {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    const shown = problems.slice(0, MAX_SHOWN);
    const more = problems.length > MAX_SHOWN ? `\n  … and ${problems.length - MAX_SHOWN} more` : '';
    super(
      `${source}: invalid inventory (${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was loaded)\n  ${shown.join('\n  ')}${more}`,
    );
    this.name = 'InventoryError';
  }
}

const MAX_SHOWN = 25;

/**
 * Parse an inventory file: its bytes (decoded as UTF-8, strictly) or its text. A byte sequence that
 * is not UTF-8 or a JSON syntax error names the file and where; nothing is replaced silently.
 */
export function parseInventoryText(input: string | Uint8Array, source: string): ValidInventory {
  const text = typeof input === 'string' ? input : decodeUtf8(input, source);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InventoryError(source, [`not valid JSON: ${(error as Error).message}`]);
  }
  return validateInventory(json, source);
}

function decodeUtf8(bytes: Uint8Array, source: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const line = lenient.slice(0, lenient.indexOf('\uFFFD')).split('\n').length;
    throw new InventoryError(source, [
      `not valid UTF-8 (first bad byte sequence on line ${line}): an inventory is UTF-8 JSON text`,
    ]);
  }
}

export function validateInventory(input: unknown, source: string): ValidInventory {
  const unstorable = unstorableValues(input);
  if (unstorable.length > 0)
    throw new InventoryError(
      source,
      unstorable.map((issue) => describeIssue(issue as z.core.$ZodIssue, input)),
    );
  const inventory = checkShape(input, source);
  const problems: string[] = [];

  const scopes = new Set<string>();
  inventory.scopes.forEach((scope, i) => {
    if (scopes.has(scope.id)) problems.push(`scopes[${i}] ("${clipped(scope.id)}"): scope declared twice`);
    scopes.add(scope.id);
  });

  const nodes = new Map<string, { node: LoadNode; index: number }>();
  const firstById = new Map<string, number>();
  // Ids of nodes already reported as wrong: edges to them are not reported again.
  const rejected = new Set<string>();
  inventory.nodes.forEach((raw, index) => {
    const where = () => `nodes[${index}] (id "${clipped(raw.id)}")`;
    const firstIndex = firstById.get(raw.id);
    const first = firstIndex === undefined ? undefined : (inventory.nodes[firstIndex] as InventoryNode);
    if (first && first.kind !== raw.kind) {
      problems.push(
        `${where()}: duplicate id with a different kind: ${raw.kind} here, ${first.kind} at nodes[${firstIndex}]`,
      );
      return;
    }
    if (first && (first.scope !== raw.scope || !isDeepStrictEqual(first.properties, raw.properties))) {
      problems.push(`${where()}: duplicate of nodes[${firstIndex}] with different scope or properties`);
      return;
    }
    if (first) return; // an exact repeat adds nothing
    firstById.set(raw.id, index);
    const node = checkNode(raw, where, scopes, problems);
    if (node) nodes.set(node.id, { node, index });
    else rejected.add(raw.id);
  });

  const relationships = new Map<
    string,
    { rel: LoadRelationship; evidence: readonly Evidence[]; index: number }
  >();
  inventory.relationships.forEach((raw, index) => {
    // Built only for a problem: a dense account's inventory holds half a million relationships.
    const where = () =>
      `relationships[${index}] (${clipped(raw.type)} "${clipped(raw.from)}" -> "${clipped(raw.to)}")`;
    const rel = checkRelationship(raw, where, nodes, rejected, scopes, problems);
    if (!rel) return;
    const key = `${rel.type}\u0000${rel.from}\u0000${rel.to}`;
    const seen = relationships.get(key);
    if (!seen) {
      relationships.set(key, { rel, evidence: raw.evidence, index });
    } else if (seen.rel.scope !== rel.scope || !isDeepStrictEqual(seen.rel.properties, rel.properties)) {
      problems.push(
        `${where()}: duplicate of relationships[${seen.index}] with different scope or properties`,
      );
    } else {
      // The same edge granted twice (two policies, two bindings): one edge, all the evidence (in a
      // list of its own: the input's is not changed).
      const merged = [...seen.evidence];
      for (const e of raw.evidence) if (!merged.some((s) => isDeepStrictEqual(s, e))) merged.push(e);
      seen.evidence = merged;
    }
  });

  if (problems.length > 0) throw new InventoryError(source, problems);
  return {
    inventory,
    nodes: [...nodes.values()].map((n) => n.node),
    relationships: [...relationships.values()].map(({ rel, evidence }) => withEvidence(rel, evidence)),
  };
}

/**
 * The inventory's shape, checked record by record so no second copy of it is kept: zod's output of
 * a node or relationship is a deep copy (its evidence included), so the input record is kept
 * instead wherever it already equals that output (every schema is strict and has no transforms;
 * only absent `properties`/`evidence` differ, which take zod's defaults). Problems come in the
 * order one parse of the whole inventory gives them.
 *
 * A relationship's properties and evidence records are checked apart from the rest of it, each
 * object once: an analyzer's inventory shares them between edges (one evidence record cited by
 * every pair a statement grants, one properties object per distinct content), and checking the
 * same unchanged object again (nothing else runs during this synchronous check) finds nothing new.
 */
function checkShape(input: unknown, source: string): Inventory {
  const top = InventoryShellSchema.safeParse(input);
  const issues: z.core.$ZodIssue[] = top.success ? [] : [...top.error.issues];
  const records = (key: 'nodes' | 'relationships') => {
    const list = (input as Record<string, unknown> | null)?.[key];
    return Array.isArray(list) ? list : [];
  };
  const nodes = records('nodes').map((raw, index) => {
    const record = InventoryNodeSchema.safeParse(raw);
    if (record.success)
      return (raw as InventoryNode).properties !== undefined ? (raw as InventoryNode) : record.data;
    for (const issue of record.error.issues) issues.push({ ...issue, path: ['nodes', index, ...issue.path] });
    return undefined as unknown as InventoryNode;
  });
  // Per schema: an object valid as one thing may not be as the other.
  const passed = { properties: new Set<object>(), evidence: new Set<object>() };
  const relationships = records('relationships').map((raw, index) => {
    const found = relationshipIssues(raw, passed);
    if (found.length === 0) {
      const r = raw as InventoryRelationship;
      return r.properties !== undefined && r.evidence !== undefined
        ? r
        : { ...r, properties: r.properties ?? {}, evidence: r.evidence ?? [] };
    }
    for (const issue of found) issues.push({ ...issue, path: ['relationships', index, ...issue.path] });
    return undefined as unknown as InventoryRelationship;
  });
  if (!top.success || issues.length > 0) {
    // One parse lists issues by field in the schema's order, the whole object's own (unknown keys) last.
    const fields = Object.keys(InventorySchema.shape);
    const rank = (i: z.core.$ZodIssue) =>
      i.path.length === 0 ? fields.length : fields.indexOf(String(i.path[0]));
    issues.sort((a, b) => rank(a) - rank(b));
    throw new InventoryError(
      source,
      issues.map((i) => describeIssue(i, input)),
    );
  }
  return { ...top.data, nodes, relationships };
}

/** A relationship with its properties and evidence records left for `relationshipIssues`. */
const RelationshipShellSchema = InventoryRelationshipSchema.extend({
  properties: z.unknown().optional(),
  evidence: z.unknown().optional(),
});
const EvidenceListSchema = InventoryRelationshipSchema.shape.evidence;
const PropertiesSchema = InventoryRelationshipSchema.shape.properties;

/**
 * One relationship's issues in the order a parse of the whole record gives them: its fields in the
 * schema's order (properties, then evidence, last), then its own (unknown keys). Properties and
 * evidence records in `passed` were found valid before; valid ones are added.
 */
function relationshipIssues(
  raw: unknown,
  passed: { properties: Set<object>; evidence: Set<object> },
): z.core.$ZodIssue[] {
  const shell = RelationshipShellSchema.safeParse(raw);
  const own = shell.success ? [] : shell.error.issues;
  const issues = own.filter((i) => i.path.length > 0);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return [...own];
  const { properties, evidence } = raw as Record<string, unknown>;
  const check = (schema: z.ZodType, valid: Set<object>, value: unknown, path: (string | number)[]) => {
    if (value === undefined || (typeof value === 'object' && value !== null && valid.has(value))) return;
    const result = schema.safeParse(value);
    if (result.success) {
      if (typeof value === 'object' && value !== null) valid.add(value);
    } else for (const issue of result.error.issues) issues.push({ ...issue, path: [...path, ...issue.path] });
  };
  check(PropertiesSchema, passed.properties, properties, ['properties']);
  if (Array.isArray(evidence))
    for (let i = 0; i < evidence.length; i++)
      check(EvidenceSchema, passed.evidence, evidence[i], ['evidence', i]);
  else check(EvidenceListSchema, passed.evidence, evidence, ['evidence']);
  for (const i of own) if (i.path.length === 0) issues.push(i);
  return issues;
}

function checkNode(
  raw: InventoryNode,
  where: () => string,
  scopes: Set<string>,
  problems: string[],
): LoadNode | undefined {
  const spec = nodeKind(raw.kind) as NodeKindSpec;
  const before = problems.length;
  if (!spec.idPattern.test(raw.id))
    problems.push(`${where()}: id does not match the ${spec.label} format ${spec.idFormat}`);
  if (raw.scope !== undefined && !scopes.has(raw.scope)) {
    problems.push(`${where()}: scope "${clipped(raw.scope)}" is not declared in "scopes"`);
  }
  const properties = withNodeDefaults(spec, raw.properties);
  checkProperties(propertiesOf(spec), properties, where, problems);
  if (
    spec.categories.includes('principal') &&
    properties.nonHuman === true &&
    properties.nhiType === undefined
  ) {
    problems.push(`${where()}: a non-human principal needs "nhiType"`);
  }
  if (problems.length > before) return undefined;
  return { id: raw.id, kind: spec.label, labels: labelsOf(spec), scope: raw.scope ?? null, properties };
}

function withNodeDefaults(spec: NodeKindSpec, properties: Record<string, PropertyValue>) {
  const out: Record<string, PropertyValue> = { provider: spec.provider, ...properties };
  // A tag is anyone's free text: a value that looks like a secret is not copied into the graph.
  // (A tags list that is not strings is reported by the property check.)
  const { tags } = out;
  if (Array.isArray(tags) && tags.every((tag) => typeof tag === 'string')) out.tags = tags.map(redactTag);
  if (spec.categories.includes('resource')) {
    out.environment ??= 'unknown';
    out.sensitivity ??= 'unknown';
  }
  return out;
}

function checkRelationship(
  raw: InventoryRelationship,
  where: () => string,
  nodes: Map<string, { node: LoadNode }>,
  rejected: Set<string>,
  scopes: Set<string>,
  problems: string[],
): LoadRelationship | undefined {
  if (rejected.has(raw.from) || rejected.has(raw.to)) return undefined;
  const spec = relationshipKind(raw.type) as RelationshipKindSpec;
  const before = problems.length;
  const from = endpoint(raw.from, raw.fromKind, 'from', where, nodes, problems);
  const to = endpoint(raw.to, raw.toKind, 'to', where, nodes, problems);
  // A Grant hub stands between the two ends of derived edges of any kind (model/grants.ts).
  const hub = isDerived(spec) ? GRANT_KIND : undefined;
  if (from && from.kind !== hub && !admits(spec.from, from.labels)) {
    problems.push(
      `${where()}: ${spec.type} cannot start at a ${from.kind} (allowed: ${spec.from.join(', ')})`,
    );
  }
  if (to && to.kind !== hub && !admits(spec.to, to.labels)) {
    problems.push(`${where()}: ${spec.type} cannot end at a ${to.kind} (allowed: ${spec.to.join(', ')})`);
  }
  const scope = raw.scope ?? from?.scope ?? to?.scope;
  if (scope == null) problems.push(`${where()}: no scope: give "scope" (neither endpoint belongs to one)`);
  else if (!scopes.has(scope))
    problems.push(`${where()}: scope "${clipped(scope)}" is not declared in "scopes"`);
  if (isDerived(spec) && raw.evidence.length === 0) {
    problems.push(`${where()}: a ${spec.category} edge needs at least one evidence record`);
  }
  // A member leg carries only evidence and its conditions: the pair edge takes the rest from the
  // target leg (model/grants.ts), so the kind's required properties are the target leg's to carry.
  const memberLeg = to !== undefined && to.kind === GRANT_KIND;
  checkProperties(
    memberLeg ? memberLegSpecs(spec.properties) : spec.properties,
    raw.properties,
    where,
    problems,
  );
  if (problems.length > before || !from || !to || scope == null) return undefined;
  return {
    type: spec.type,
    from: raw.from,
    to: raw.to,
    fromKind: from.kind,
    toKind: to.kind,
    scope,
    // The input's own object until withEvidence copies it: no second copy per edge meanwhile.
    properties: raw.properties,
  };
}

function endpoint(
  id: string,
  declaredKind: string | undefined,
  side: 'from' | 'to',
  where: () => string,
  nodes: Map<string, { node: LoadNode }>,
  problems: string[],
): { kind: string; labels: string[]; scope: string | null } | undefined {
  const node = nodes.get(id)?.node;
  if (node) {
    if (declaredKind && declaredKind !== node.kind) {
      problems.push(`${where()}: ${side}Kind ${declaredKind} contradicts the node's kind ${node.kind}`);
      return undefined;
    }
    return node;
  }
  if (!declaredKind) {
    problems.push(
      `${where()}: "${clipped(id)}" is not a node of this inventory; give ${side}Kind to link to a loaded node`,
    );
    return undefined;
  }
  const spec = nodeKind(declaredKind) as NodeKindSpec;
  if (!spec.idPattern.test(id)) {
    problems.push(`${where()}: ${side} id does not match the ${spec.label} format ${spec.idFormat}`);
    return undefined;
  }
  return { kind: spec.label, labels: labelsOf(spec), scope: null };
}

function admits(allowed: readonly string[], labels: string[]): boolean {
  return allowed.includes('*') || labels.some((l) => allowed.includes(l));
}

function checkProperties(
  specs: PropertySpecs,
  properties: Record<string, PropertyValue>,
  where: () => string,
  problems: string[],
): void {
  for (const [name, spec] of Object.entries(specs)) {
    const value = properties[name];
    if (value === undefined || value === null) {
      if (spec.required) problems.push(`${where()}: property "${name}" is required (${spec.description})`);
      continue;
    }
    const wrong = propertyProblem(spec, value);
    if (wrong) problems.push(`${where()}: property "${name}" ${wrong}`);
  }
}

function propertyProblem(spec: PropertySpec, value: PropertyValue): string | undefined {
  const allowed = spec.values;
  const badValue = (v: string) =>
    allowed && !allowed.includes(v) ? `"${v}" is not one of ${allowed.join(', ')}` : '';
  switch (spec.type) {
    case 'string':
      return typeof value === 'string'
        ? badValue(value) || undefined
        : `must be a string, got ${show(value)}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be true or false, got ${show(value)}`;
    case 'integer':
      return Number.isSafeInteger(value) ? undefined : `must be an integer, got ${show(value)}`;
    case 'float':
      return typeof value === 'number' ? undefined : `must be a number, got ${show(value)}`;
    case 'datetime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value))
        ? undefined
        : `must be an ISO-8601 date-time, got ${show(value)}`;
    case 'string[]':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
        return `must be a list of strings, got ${show(value)}`;
      }
      return (value as string[]).map(badValue).find(Boolean);
    case 'integer[]':
      return Array.isArray(value) && value.every((v) => Number.isSafeInteger(v))
        ? undefined
        : `must be a list of integers, got ${show(value)}`;
  }
}

/** Ids and names repeated in a problem line: a 1 MB id must not make a 1 MB line. */
const MAX_ID_SHOWN = 200;

function clipped(text: string): string {
  return text.length <= MAX_ID_SHOWN ? text : `${text.slice(0, MAX_ID_SHOWN)}… (${text.length} characters)`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** Fold the evidence into the properties every derived edge carries (see DERIVED_EDGE_PROPERTIES). */
function withEvidence(rel: LoadRelationship, evidence: readonly Evidence[]): LoadRelationship {
  if (evidence.length === 0) return { ...rel, properties: { ...rel.properties } };
  // Conditional only if every grant is: one unconditional grant makes the edge hold outright.
  let conditional = true;
  const conditions = new Set<string>();
  for (const e of evidence) {
    if (!e.conditions?.length) conditional = false;
    else for (const c of e.conditions) conditions.add(c);
  }
  return { ...rel, evidence, properties: { ...rel.properties, conditional, conditions: [...conditions] } };
}

function memberLegSpecs(specs: PropertySpecs): PropertySpecs {
  return Object.fromEntries(
    Object.entries(specs).filter(([name]) => (MEMBER_LEG_PROPERTIES as readonly string[]).includes(name)),
  );
}

/** The stored form of an edge's evidence: the records as JSON. */
export function evidenceProperties(evidence: readonly Evidence[]): { evidence: string } {
  return { evidence: JSON.stringify(evidence) };
}

/**
 * An edge's one-line reason: its first evidence record's, with how many more records there are
 * (`… (+2 more)`). The graph does not store it: every reader that shows a reason (the API's `Edge`
 * and `PathHop`, the answers, the findings and reports, the named queries) derives it here from the
 * evidence it reads, so a reason always agrees with the evidence shown beside it, through a Grant hub
 * too (the pair's records: the member leg's, then the target leg's).
 */
export function evidenceReason(evidence: readonly Pick<Evidence, 'reason'>[]): string {
  const first = evidence[0];
  const more = evidence.length > 1 ? ` (+${evidence.length - 1} more)` : '';
  return first ? `${first.reason}${more}` : '';
}

/** The records of an edge's stored evidence (a JSON array); unreadable evidence reads as none. */
export function storedEvidence(stored: unknown): Evidence[] {
  if (typeof stored !== 'string') return [];
  try {
    const records = JSON.parse(stored) as unknown;
    return Array.isArray(records) ? (records as Evidence[]) : [];
  } catch {
    return [];
  }
}

/** The reason of an edge's stored evidence; unreadable evidence has none. */
export function storedEvidenceReason(stored: unknown): string {
  return evidenceReason(storedEvidence(stored));
}

/** A zod issue as one line naming the record (`nodes[3] (id "…")`) and the field. */
function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const [top, index, ...rest] = issue.path;
  let where = issue.path.length
    ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')
    : '(top level)';
  where = where.replace(/^\./, '');
  if ((top === 'nodes' || top === 'relationships') && typeof index === 'number') {
    const record = (input as Record<string, unknown[]>)[top]?.[index] as Record<string, unknown> | undefined;
    const label =
      top === 'nodes'
        ? `id "${clipped(String(record?.id))}"`
        : `${clipped(String(record?.type))} "${clipped(String(record?.from))}" -> "${clipped(String(record?.to))}"`;
    const field = rest.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    where = `${top}[${index}] (${label})${field ? ` ${field.replace(/^\./, '')}` : ''}`;
  }
  return `${where}: ${clipped(issue.message)}`;
}

/**
 * Values that would not be stored as given: strings that are not well-formed Unicode (a lone
 * surrogate, which Neo4j would store as U+FFFD) and whole numbers beyond ±(2^53 − 1), which JSON
 * parsing has already rounded (2^64 arrives as 18446744073709552000). Both are rejected, naming the
 * record, rather than changed.
 */
// `String.prototype.isWellFormed` (ES2024, Node 20): false exactly when the string holds a lone
// surrogate, without a regular expression's scan of every string of an inventory.
const wellFormed = (text: string) => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

function unstorableValues(input: unknown): { path: (string | number)[]; message: string }[] {
  const found: { path: (string | number)[]; message: string }[] = [];
  // One path, pushed and popped: copied only for a finding (inventories hold millions of values).
  const path: (string | number)[] = [];
  // An object held in several places (an analyzer shares evidence records and properties between
  // edges) is walked once: the first path to it names what is wrong in it. The inventory's own
  // records (depth 2) and lists are seldom shared: not remembered.
  const walked = new Set<object>();
  const walk = (value: unknown) => {
    if (path.length > 2 && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      if (walked.has(value)) return;
      walked.add(value);
    }
    if (typeof value === 'string') {
      if (!wellFormed(value))
        found.push({
          path: [...path],
          message: 'not well-formed Unicode (a lone surrogate); an inventory is UTF-8 text',
        });
    } else if (typeof value === 'number') {
      if (Number.isInteger(value) && !Number.isSafeInteger(value))
        found.push({
          path: [...path],
          message: `${value} is a whole number beyond ±(2^53 − 1), which cannot be kept exactly; give it as a string`,
        });
    } else if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        path.push(index);
        walk(value[index]);
        path.pop();
      }
    } else if (value !== null && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        if (!wellFormed(key))
          found.push({
            path: [...path],
            message: 'a field name is not well-formed Unicode (a lone surrogate)',
          });
        path.push(key);
        walk((value as Record<string, unknown>)[key]);
        path.pop();
      }
    }
  };
  walk(input);
  return found;
}
