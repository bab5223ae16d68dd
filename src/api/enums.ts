import {
  ACCESS_LEVELS,
  ENVIRONMENTS,
  NHI_TYPES,
  PROVIDERS,
  RELATIONSHIP_KINDS,
  RUN_STATUSES,
  SENSITIVITIES,
} from '../model/index.js';
import { FINDING_STATUS_MEANINGS, FINDING_STATUSES } from '../records/stored-findings.js';
import { RULE_CATEGORIES, SEVERITIES } from '../reports/types.js';
import { builder } from './builder.js';

/** GraphQL enum names for the vocabulary's values: `service-account` → `SERVICE_ACCOUNT`. */
export function enumName(value: string): string {
  return value.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

function values<T extends string>(list: readonly T[], describe?: (value: T) => string) {
  return Object.fromEntries(
    list.map((value) => [enumName(value), { value, ...(describe ? { description: describe(value) } : {}) }]),
  ) as Record<string, { value: T; description?: string }>;
}

/** A stored value the enum does not know becomes `fallback` (or null) instead of failing the answer. */
export function known<T extends string>(list: readonly T[], value: unknown, fallback: T): T;
export function known<T extends string>(list: readonly T[], value: unknown): T | null;
export function known<T extends string>(list: readonly T[], value: unknown, fallback?: T): T | null {
  return (list as readonly unknown[]).includes(value) ? (value as T) : (fallback ?? null);
}

/** The stored values the enum knows, in the enum's order, each once; others are left out. */
export function knownList<T extends string>(list: readonly T[], values: unknown): T[] {
  return Array.isArray(values) ? list.filter((value) => values.includes(value)) : [];
}

export const ProviderEnum = builder.enumType('Provider', {
  description: 'Which system a node comes from.',
  values: values(PROVIDERS),
});

export const EnvironmentEnum = builder.enumType('Environment', {
  description: 'From tags, the account/project map in the configuration, then name patterns.',
  values: values(ENVIRONMENTS),
});

export const SensitivityEnum = builder.enumType('Sensitivity', {
  description: 'Data sensitivity, from the classification rules.',
  values: values(SENSITIVITIES),
});

export const AccessLevelEnum = builder.enumType('AccessLevel', {
  description: 'Access levels of a CAN_ACCESS edge, after the cloud action catalogue.',
  values: values(ACCESS_LEVELS),
});

export const NhiTypeEnum = builder.enumType('NhiType', {
  description: 'What kind of identity a principal is.',
  values: values(NHI_TYPES),
});

/** Derived edges: the hops paths traverse and the terminal edges they end with. */
export const EDGE_TYPES = RELATIONSHIP_KINDS.filter(
  (r) => r.category === 'hop' || r.category === 'terminal',
).map((r) => r.type);

export const EdgeTypeEnum = builder.enumType('EdgeType', {
  description: 'Derived relationships: hops between identities and the access edges paths end with.',
  values: Object.fromEntries(
    RELATIONSHIP_KINDS.filter((r) => EDGE_TYPES.includes(r.type)).map((r) => [
      r.type,
      { value: r.type, description: r.meaning },
    ]),
  ) as Record<string, { value: string; description: string }>,
});

export const EdgeDirectionEnum = builder.enumType('EdgeDirection', {
  values: {
    OUT: { value: 'out', description: 'Edges leaving the node.' },
    IN: { value: 'in', description: 'Edges arriving at the node.' },
  },
});

export const RunStatusEnum = builder.enumType('RunStatus', { values: values(RUN_STATUSES) });

export const SeverityEnum = builder.enumType('Severity', {
  description: 'How urgent a finding is, critical first.',
  values: values(SEVERITIES),
});

export const RuleCategoryEnum = builder.enumType('RuleCategory', {
  description: 'What a findings rule looks at.',
  values: values(RULE_CATEGORIES),
});

export const FindingStatusEnum = builder.enumType('FindingStatus', {
  description: 'Where a stored finding stands after the latest report that ran its rule.',
  values: values(FINDING_STATUSES, (status) => FINDING_STATUS_MEANINGS[status]),
});
