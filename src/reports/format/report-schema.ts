import { z } from 'zod';
import { EvidenceSchema } from '../../model/evidence.js';
import { ACCESS_LEVELS } from '../../model/properties.js';
import { isDerived, RELATIONSHIP_KINDS } from '../../model/relationship-kinds.js';
import {
  type Finding,
  type FindingHop,
  type NodeRef,
  REPORT_SCHEMA_VERSION,
  type Report,
  RULE_CATEGORIES,
  type RuleDeclaration,
  SEVERITIES,
} from '../types.js';

/**
 * The JSON report's schema, written once in zod: schema/report.v1.schema.json is generated from it
 * (npm run docs:generate; a unit test fails when the committed file drifts), and the type checks
 * below fail to compile when it and the Report type in ../types.ts disagree.
 */

export const REPORT_SCHEMA_FILE = 'schema/report.v1.schema.json';

const isoTimestamp = z.string().describe('ISO-8601 timestamp (UTC).');
const severity = z.enum(SEVERITIES);

const NodeRefSchema = z
  .object({
    id: z.string().describe('Node id in the graph (ARN, aws:account:<id>, oidc:…).'),
    kind: z.string().describe('Node kind (graph label), e.g. AwsRole, AwsS3Bucket.'),
    name: z.string().describe('Display name, as collected: untrusted text.'),
    scope: z.string().nullable().describe('Collection scope (AWS account id…), null when the node has none.'),
  })
  .strict();

const FindingHopSchema = z
  .object({
    from: NodeRefSchema,
    to: NodeRefSchema,
    type: z.string().describe(
      `Relationship type of a derived edge: ${RELATIONSHIP_KINDS.filter(isDerived)
        .map((k) => k.type)
        .join(', ')}.`,
    ),
    technique: z.string().nullable().describe('Escalation technique id of a CAN_ESCALATE hop, else null.'),
    levels: z.array(z.string()).describe(`Access levels of a CAN_ACCESS hop (${ACCESS_LEVELS.join(', ')}).`),
    reason: z.string().describe('One line on why the edge exists.'),
    evidence: z.array(EvidenceSchema).describe('The policy statements or bindings that create the edge.'),
    conditional: z
      .boolean()
      .describe('The hop holds only under conditions that could not be decided offline.'),
    used: z
      .boolean()
      .optional()
      .describe(
        'Whether the hop’s source used it over the window the activity logs cover; absent when no log covers the source.',
      ),
    useCount: z.number().int().optional().describe('With `used`: the successful calls that used the hop.'),
    lastUsed: z.string().nullable().optional().describe('With `used`: the last of those calls (ISO 8601).'),
  })
  .strict();

const factValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const FindingSchema = z
  .object({
    fingerprint: z
      .string()
      .describe('Stable id of the problem: the same across runs while the problem persists.'),
    ruleId: z.string(),
    title: z.string(),
    category: z.enum(RULE_CATEGORIES),
    severity: severity.describe('Effective severity of this finding.'),
    subject: NodeRefSchema.describe('The identity (or role, user, policy) the finding is about.'),
    target: NodeRefSchema.nullable().describe('What it reaches or concerns, when there is one.'),
    message: z.string().describe('One line a person reads first.'),
    path: z
      .array(FindingHopSchema)
      .describe('From subject to target, each hop with its evidence; empty for non-path findings.'),
    conditional: z.boolean().describe('Holds only under conditions that could not be decided offline.'),
    facts: z.record(z.string(), factValue).describe('Rule-specific facts, e.g. ageDays.'),
    evidence: z
      .array(EvidenceSchema)
      .optional()
      .describe(
        'Evidence of the finding itself rather than of a hop (e.g. the trust statement behind a flag).',
      ),
    events: z
      .array(
        z
          .object({
            time: isoTimestamp,
            action: z.string(),
            resource: z.string().nullable(),
            source: z.string().nullable().describe('Source network (/24, /48) or calling service.'),
            region: z.string().nullable(),
            userAgent: z.string().nullable(),
            outcome: z.string().describe('success, denied or error.'),
            requestId: z
              .string()
              .nullable()
              .describe('CloudTrail eventID, Cloud Audit Logs insertId or Kubernetes auditID.'),
          })
          .strict(),
      )
      .optional()
      .describe('For an anomaly: the logged events behind it.'),
    owner: z
      .string()
      .optional()
      .describe('The owner of the subject (docs/owners.md); absent when it has none.'),
    ownerRoute: z.string().optional().describe('The owner’s alert route (the owners file’s `alert`).'),
    suppression: z
      .object({ reason: z.string(), expires: z.string().describe('YYYY-MM-DD') })
      .strict()
      .optional()
      .describe('Present when a suppression entry covers the finding.'),
    firstSeen: isoTimestamp.optional().describe('First report run that saw the finding.'),
    lastSeen: isoTimestamp.optional().describe('Last report run that saw the finding.'),
    resolvedAt: isoTimestamp.optional().describe('For resolved findings: when it was first missing.'),
  })
  .strict();

const RuleDeclarationSchema = z
  .object({
    id: z.string().describe('kebab-case, stable: part of every fingerprint.'),
    title: z.string(),
    category: z.enum(RULE_CATEGORIES),
    severity: severity.describe('Effective default severity (after configuration).'),
    description: z.string(),
    recommendation: z.string().describe('What to change, in Markdown.'),
    compliance: z
      .object({
        soc2: z.array(z.string()).optional(),
        iso27001: z.array(z.string()).optional(),
        cisAws: z.array(z.string()).optional(),
        cisKubernetes: z.array(z.string()).optional(),
        cisGcp: z.array(z.string()).optional(),
      })
      .strict(),
    query: z
      .string()
      .optional()
      .describe('Named Cypher file under cypher/findings/, without the extension (a graph rule).'),
    detector: z
      .string()
      .optional()
      .describe('The anomaly detector the rule runs over the activity store (an anomaly rule).'),
    parameters: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.array(z.string())])),
    references: z.array(z.string()),
    severityFixed: z
      .boolean()
      .optional()
      .describe('Configuration fixed the severity: every finding of the rule takes it.'),
  })
  .strict();

const countsBySeverity = z.object(
  Object.fromEntries(SEVERITIES.map((s) => [s, z.number().int().min(0)])) as Record<
    (typeof SEVERITIES)[number],
    z.ZodNumber
  >,
);

export const ReportSchema = z
  .object({
    schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
    id: z.string().describe('Report run id.'),
    generatedAt: isoTimestamp,
    job: z.string().nullable().describe('Scheduler job that produced the report, null when run by hand.'),
    graphRun: z
      .object({
        id: z.string(),
        finishedAt: isoTimestamp.nullable(),
        asOf: isoTimestamp
          .nullable()
          .describe('The time its analysis decided time conditions at (`--as-of`), null when not recorded.'),
      })
      .strict()
      .nullable()
      .describe('The latest successful collection run in the graph, if any.'),
    owner: z
      .string()
      .optional()
      .describe('Present when the report holds only the findings of this owner (`report --owner`).'),
    rules: z
      .array(RuleDeclarationSchema)
      .describe('The rules that ran, with effective severities and parameters.'),
    summary: z
      .object({
        total: z.number().int().min(0).describe('Active findings.'),
        bySeverity: countsBySeverity.strict(),
        byRule: z.record(z.string(), z.number().int().min(0)),
        suppressed: z.number().int().min(0),
        conditional: z.number().int().min(0).describe('Active findings that are conditional.'),
      })
      .strict(),
    diff: z
      .object({
        previousReportId: z.string().nullable().describe('Null for the first report: every finding is new.'),
        previousGeneratedAt: isoTimestamp.nullable(),
        newFindings: z.array(FindingSchema),
        resolvedFindings: z.array(FindingSchema),
        unchangedCount: z.number().int().min(0),
        newPaths: z
          .array(FindingSchema)
          .describe('Reach findings (non-human identity → production data) that are new.'),
        removedPaths: z.array(FindingSchema).describe('Reach findings that are gone.'),
        changedPaths: z
          .array(z.object({ before: FindingSchema, after: FindingSchema }).strict())
          .describe('Reach findings whose route, levels or conditionality changed.'),
      })
      .strict(),
    findings: z.array(FindingSchema).describe('Active (unsuppressed) findings, most severe first.'),
    suppressed: z.array(FindingSchema).describe('Findings covered by an unexpired suppression.'),
    expiredSuppressions: z
      .array(z.object({ fingerprint: z.string(), reason: z.string(), expires: z.string() }).strict())
      .describe('Suppression entries past their expiry: their findings are active again.'),
  })
  .strict();

// Compile-time agreement between the schema and the contract: each type assignable to the other, and
// the same property names (optional ones included, which assignability alone would not catch).
type Agree<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? [keyof A] extends [keyof B]
      ? [keyof B] extends [keyof A]
        ? true
        : false
      : false
    : false
  : false;
type Out<S extends z.ZodType> = z.output<S>;
const agreement: [
  Agree<Out<typeof ReportSchema>, Report>,
  Agree<Out<typeof FindingSchema>, Finding>,
  Agree<Out<typeof FindingHopSchema>, FindingHop>,
  Agree<Out<typeof NodeRefSchema>, NodeRef>,
  Agree<Out<typeof RuleDeclarationSchema>, RuleDeclaration>,
  Agree<Out<typeof RuleDeclarationSchema>['compliance'], RuleDeclaration['compliance']>,
  Agree<Out<typeof ReportSchema>['diff'], Report['diff']>,
  Agree<Out<typeof ReportSchema>['summary'], Report['summary']>,
] = [true, true, true, true, true, true, true, true];
void agreement;

/** The JSON Schema (draft 2020-12) of the JSON report, as committed in schema/report.v1.schema.json. */
export function reportJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(ReportSchema, { target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  return {
    $schema,
    title: 'reachgraph report, version 1',
    description:
      'The JSON report of `reachgraph report --format json`: one run of the findings rules against the graph, diffed against the previous report. See docs/report-formats.md.',
    ...rest,
  };
}
