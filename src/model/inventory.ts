import { z } from 'zod';
import { EvidenceSchema } from './evidence.js';
import { NODE_KINDS } from './node-kinds.js';
import { PROVIDERS } from './properties.js';
import { isLoadable, RELATIONSHIP_KINDS } from './relationship-kinds.js';

/**
 * The Inventory: the public, versioned exchange format between collectors (or anyone's own
 * tooling) and the loader. `docs/inventory.md` documents it and `schema/inventory.v1.schema.json`
 * is generated from these types. Shape is checked here; meaning (kinds, id formats, property
 * types, endpoints, evidence) is checked by `validateInventory`.
 */
export const INVENTORY_FORMAT = 'reachgraph-inventory';
export const INVENTORY_VERSION = 1;

const primitive = z.union([z.string(), z.number(), z.boolean()]);
const PropertyValueSchema = z.union([
  primitive,
  z.null(),
  z.array(z.string()),
  z.array(z.number()),
  z.array(z.boolean()),
]);
export type PropertyValue = z.infer<typeof PropertyValueSchema>;
const PropertiesSchema = z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/), PropertyValueSchema);

const nodeKinds = NODE_KINDS.map((k) => k.label) as [string, ...string[]];
const relationshipTypes = RELATIONSHIP_KINDS.filter(isLoadable).map((r) => r.type) as [string, ...string[]];
// The full list of kinds is long; name the bad value and where the list is instead.
const nodeKind = () =>
  z.enum(nodeKinds, {
    error: (issue) => `unknown node kind ${JSON.stringify(issue.input)} (kinds: docs/graph-model.md)`,
  });
const relationshipType = () =>
  z.enum(relationshipTypes, {
    error: (issue) => `unknown relationship type ${JSON.stringify(issue.input)} (types: docs/graph-model.md)`,
  });

const ScopeSchema = z
  .object({
    id: z
      .string()
      .regex(/^(aws|gcp|k8s|custom):[^\s]+$/)
      .describe('aws:<account id>, gcp:<project id>, k8s:<cluster>, custom:<name>.'),
    provider: z.enum(PROVIDERS),
    name: z.string().optional(),
    complete: z
      .boolean()
      .default(true)
      .describe(
        'True when collection of this scope fully succeeded; only complete scopes get stale data deleted.',
      ),
    errors: z.array(z.string()).optional().describe('What went wrong collecting this scope, if anything.'),
  })
  .strict();

export const InventoryNodeSchema = z
  .object({
    id: z.string().min(1),
    kind: nodeKind(),
    scope: z
      .string()
      .optional()
      .describe('The owning scope; omit for shared nodes (Public, service principals).'),
    properties: PropertiesSchema.default({}),
  })
  .strict();

export const InventoryRelationshipSchema = z
  .object({
    type: relationshipType(),
    from: z.string().min(1),
    to: z.string().min(1),
    fromKind: nodeKind().optional().describe('Needed only when `from` is not a node of this inventory.'),
    toKind: nodeKind().optional().describe('Needed only when `to` is not a node of this inventory.'),
    scope: z.string().optional().describe('Defaults to the scope of `from`, else of `to`.'),
    properties: PropertiesSchema.default({}),
    evidence: z.array(EvidenceSchema).default([]),
  })
  .strict();

export const InventorySchema = z
  .object({
    format: z.literal(INVENTORY_FORMAT),
    version: z.literal(INVENTORY_VERSION),
    generatedAt: z.string().datetime({ offset: true }).optional(),
    asOf: z
      .string()
      .datetime({ offset: true })
      .optional()
      .describe(
        'The time the analysis decided time conditions at (aws:CurrentTime, aws:EpochTime, aws:TokenIssueTime): `--as-of`, default the time of the run.',
      ),
    source: z
      .object({ name: z.string().min(1), description: z.string().optional() })
      .strict()
      .describe('What produced this inventory (a collector, a snapshot directory, your own tool).'),
    scopes: z.array(ScopeSchema).default([]),
    nodes: z.array(InventoryNodeSchema).default([]),
    relationships: z.array(InventoryRelationshipSchema).default([]),
  })
  .strict();

/**
 * The inventory with its records' shapes left out (only that `nodes` and `relationships` are
 * lists): validateInventory checks records one at a time against the two schemas above, so a
 * million-edge inventory is never copied whole.
 */
export const InventoryShellSchema = InventorySchema.extend({
  nodes: z.array(z.unknown()).default([]),
  relationships: z.array(z.unknown()).default([]),
});

export type Inventory = z.infer<typeof InventorySchema>;
export type InventoryInput = z.input<typeof InventorySchema>;
export type InventoryScope = z.infer<typeof ScopeSchema>;
export type InventoryNode = z.infer<typeof InventoryNodeSchema>;
export type InventoryRelationship = z.infer<typeof InventoryRelationshipSchema>;
