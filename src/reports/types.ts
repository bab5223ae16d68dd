import type { Evidence } from '../model/evidence.js';

/**
 * The vocabulary of findings and reports. Rules (rules/*.yaml, one per rule) name a Cypher file in
 * cypher/findings/; its rows become Findings with stable fingerprints; a Report is one run of the
 * rules against the current graph, diffed against the previous report. See docs/reports.md.
 */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Rank for sorting and thresholds: critical = 4 … info = 0. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(severity);
}

export const RULE_CATEGORIES = [
  'reach',
  'escalation',
  'admin',
  'trust',
  'credentials',
  'hygiene',
  'anomaly',
] as const;
export type RuleCategory = (typeof RULE_CATEGORIES)[number];

/** Compliance controls a rule maps to, by framework. */
export interface ComplianceMappings {
  /** SOC 2 trust services criteria, e.g. CC6.1. */
  soc2?: string[];
  /** ISO/IEC 27001:2022 Annex A controls, e.g. A.5.15. */
  iso27001?: string[];
  /** CIS Amazon Web Services Foundations Benchmark recommendations, e.g. 1.12. */
  cisAws?: string[];
  /** CIS Kubernetes Benchmark recommendations, e.g. 5.1.3. */
  cisKubernetes?: string[];
  /** CIS Google Cloud Platform Foundation Benchmark recommendations, e.g. 1.4. */
  cisGcp?: string[];
}

export type RuleParameterValue = number | string | boolean | string[];

/** One rule, as declared in rules/<id>.yaml (validated; ids unique across the registry). */
export interface RuleDeclaration {
  /** kebab-case, stable: part of every fingerprint. */
  id: string;
  title: string;
  category: RuleCategory;
  /** Default severity; a query row may set its own (e.g. by access level), config may override. */
  severity: Severity;
  description: string;
  /** What to change, concretely. */
  recommendation: string;
  compliance: ComplianceMappings;
  /** Named Cypher file under cypher/findings/, without the extension (a graph rule). */
  query?: string;
  /**
   * The anomaly detector it runs over the activity store instead (src/activity/anomalies/detectors.ts);
   * a rule has a query or a detector, never both.
   */
  detector?: string;
  /** Thresholds and knobs passed to the query as $parameters, or to the detector (defaults; config overrides). */
  parameters: Record<string, RuleParameterValue>;
  /** Further reading: provider documentation, catalogue entries. */
  references: string[];
  /**
   * Set by configuration that overrides the severity: every finding of the rule then takes
   * `severity`, whatever severity a query row computes (e.g. by access level).
   */
  severityFixed?: boolean;
}

/** A node as reports show it. */
export interface NodeRef {
  id: string;
  kind: string;
  name: string;
  /** The collection scope (AWS account id, …), when the node has one. */
  scope: string | null;
}

/** One edge of a finding's path, with the evidence that creates it. */
export interface FindingHop {
  from: NodeRef;
  to: NodeRef;
  type: string;
  /** CAN_ESCALATE technique, else null. */
  technique: string | null;
  /** CAN_ACCESS access levels, else empty. */
  levels: string[];
  reason: string;
  evidence: Evidence[];
  conditional: boolean;
  /** Whether the hop's source used it over the window the activity logs cover; absent: unknown. */
  used?: boolean;
  useCount?: number;
  lastUsed?: string | null;
}

export type FactValue = string | number | boolean | null;

export interface Finding {
  /** Stable across runs: hash of the rule id and the ids that identify the problem (fingerprint.ts). */
  fingerprint: string;
  ruleId: string;
  title: string;
  category: RuleCategory;
  severity: Severity;
  /** The identity (or role, user, policy) the finding is about. */
  subject: NodeRef;
  /** What it reaches or concerns (resource, account, role), when there is one. */
  target: NodeRef | null;
  /** One line a person reads first, e.g. "ci-deploy can write prod-payments (production, high)". */
  message: string;
  /** The path from subject to target, each hop with its evidence; empty for non-path findings. */
  path: FindingHop[];
  /** Holds only under conditions that could not be decided offline (listed separately, never hidden). */
  conditional: boolean;
  /** Rule-specific facts shown in reports, e.g. { ageDays: 412, accessKeyId: 'AKIA…' }. */
  facts: Record<string, FactValue>;
  /**
   * Evidence that belongs to the finding rather than to a hop of its path, e.g. the trust-policy
   * statement behind an analysis flag. Path findings keep their evidence on each hop.
   */
  evidence?: Evidence[];
  /** For an anomaly: the logged events behind it (the earliest of each of the day's aggregates). */
  events?: ActivityEvent[];
  /**
   * The owner of the subject (docs/owners.md): a non-human identity's, or a credential holder's;
   * absent when it has none. `ownerRoute` is the owner's alert route (the owners file's `alert`).
   */
  owner?: string;
  ownerRoute?: string;
  /** Set when a suppression entry covers the finding. */
  suppression?: { reason: string; expires: string };
  /** From the finding store: first and last report run that saw it (ISO timestamps). */
  firstSeen?: string;
  lastSeen?: string;
  /** From the finding store, for resolved findings: when it was first missing. */
  resolvedAt?: string;
}

/** One logged event behind an anomaly, as the activity store keeps it (docs/activity.md). */
export interface ActivityEvent {
  /** ISO-8601. */
  time: string;
  action: string;
  resource: string | null;
  /** The source network (/24, /48) or the service that called on the identity's behalf. */
  source: string | null;
  region: string | null;
  userAgent: string | null;
  /** success, denied or error. */
  outcome: string;
  /** The log's id of the event: CloudTrail eventID, the audit log's insertId, the Kubernetes auditID. */
  requestId: string | null;
}

/** A path from a non-human identity to production data whose route changed between two reports. */
export interface ChangedPath {
  before: Finding;
  after: Finding;
}

/** What changed since the previous report. */
export interface ReportDiff {
  /** Id of the report compared against; null for the first report (everything is new). */
  previousReportId: string | null;
  previousGeneratedAt: string | null;
  newFindings: Finding[];
  resolvedFindings: Finding[];
  unchangedCount: number;
  /** Findings of category `reach` (non-human identity → production data) that are new… */
  newPaths: Finding[];
  /** …gone… */
  removedPaths: Finding[];
  /** …or whose route, levels or conditionality changed (same fingerprint, different path). */
  changedPaths: ChangedPath[];
}

export interface ReportSummary {
  total: number;
  bySeverity: Record<Severity, number>;
  byRule: Record<string, number>;
  suppressed: number;
  conditional: number;
}

export const REPORT_SCHEMA_VERSION = 1;

/** One run of the rules against the graph. JSON output is this object (schema/report.v1.schema.json). */
export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  id: string;
  generatedAt: string;
  /** Scheduler job that produced it, when one did. */
  job: string | null;
  /** The latest successful CollectionRun the graph holds, if any. */
  graphRun: { id: string; finishedAt: string | null; asOf: string | null } | null;
  /** Set when the report holds one owner's findings only (`report --owner`, docs/owners.md). */
  owner?: string;
  /** The rules that ran, with their effective severities and parameters. */
  rules: RuleDeclaration[];
  summary: ReportSummary;
  diff: ReportDiff;
  /** Active findings (unsuppressed), most severe first; conditional ones included, flagged. */
  findings: Finding[];
  /** Findings covered by an unexpired suppression. */
  suppressed: Finding[];
  /** Suppression entries whose expiry passed (their findings are active again). */
  expiredSuppressions: { fingerprint: string; reason: string; expires: string }[];
}

export const REPORT_FORMATS = ['md', 'html', 'json', 'sarif', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
