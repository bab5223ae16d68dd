import { ACCESS_LEVELS } from '../model/index.js';
import { reportRun } from '../records/report-runs.js';
import { type FindingStatus, listFindings, type StoredFinding } from '../records/stored-findings.js';
import {
  type ComplianceMappings,
  type FactValue,
  type FindingHop,
  type NodeRef as FindingNodeData,
  type RuleDeclaration,
  SEVERITIES,
  type Severity,
} from '../reports/types.js';
import { builder } from './builder.js';
import { EvidenceRef } from './edge.js';
import { AccessLevelEnum, FindingStatusEnum, knownList, RuleCategoryEnum, SeverityEnum } from './enums.js';
import { ApiError } from './errors.js';
import { NodeRef } from './node.js';
import { connectionComplexity, decodeCursor, pageSize, toPage } from './paging.js';
import { edgeId } from './records.js';
import { kindOf, RelationshipKindRef } from './relationship-kind.js';

/**
 * Findings as the finding store holds them after the latest reports: what the rule found, its
 * path with the evidence for every hop, and where it stands (open, suppressed, resolved). The
 * subject and target are kept as the report saw them (id, kind, name), so a resolved finding
 * still names what it was about; `node` looks the live graph node up when it still exists.
 */

const ComplianceRef = builder.objectRef<ComplianceMappings>('Compliance').implement({
  description: 'Controls a rule maps to, by framework.',
  fields: (t) => ({
    soc2: t.stringList({ description: 'SOC 2 trust services criteria.', resolve: (c) => c.soc2 ?? [] }),
    iso27001: t.stringList({ description: 'ISO/IEC 27001:2022 Annex A.', resolve: (c) => c.iso27001 ?? [] }),
    cisAws: t.stringList({ description: 'CIS AWS Foundations Benchmark.', resolve: (c) => c.cisAws ?? [] }),
    cisKubernetes: t.stringList({
      description: 'CIS Kubernetes Benchmark.',
      resolve: (c) => c.cisKubernetes ?? [],
    }),
    cisGcp: t.stringList({
      description: 'CIS Google Cloud Platform Foundation Benchmark.',
      resolve: (c) => c.cisGcp ?? [],
    }),
  }),
});

/** The rule as it ran; a finding whose rule declaration was not stored gets what the finding knows. */
type RuleView = Pick<RuleDeclaration, 'id' | 'title' | 'category' | 'severity'> &
  Partial<Pick<RuleDeclaration, 'description' | 'recommendation' | 'compliance' | 'references'>>;

const RuleRef = builder.objectRef<RuleView>('FindingRule').implement({
  description: 'The rule that produced a finding, with its effective severity.',
  fields: (t) => ({
    id: t.exposeID('id'),
    title: t.exposeString('title'),
    category: t.field({ type: RuleCategoryEnum, resolve: (r) => r.category }),
    severity: t.field({ type: SeverityEnum, resolve: (r) => r.severity }),
    description: t.string({ nullable: true, resolve: (r) => r.description ?? null }),
    recommendation: t.string({
      nullable: true,
      description: 'What to change, concretely.',
      resolve: (r) => r.recommendation ?? null,
    }),
    compliance: t.field({ type: ComplianceRef, resolve: (r) => r.compliance ?? {} }),
    references: t.stringList({ resolve: (r) => r.references ?? [] }),
  }),
});

export const FindingNodeRef = builder.objectRef<FindingNodeData>('FindingNode').implement({
  description: 'A node a finding names, as the report saw it.',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.exposeString('kind', { description: 'The node kind, e.g. AwsRole.' }),
    name: t.exposeString('name'),
    scope: t.string({ nullable: true, resolve: (n) => n.scope ?? null }),
    node: t.field({
      type: NodeRef,
      nullable: true,
      description: 'The identity or resource in the current graph; null when the graph no longer has it.',
      complexity: 5,
      resolve: (n, _args, { graph }) => graph.node(n.id, ['principal', 'resource']),
    }),
  }),
});

const FindingHopRef = builder.objectRef<FindingHop>('FindingHop').implement({
  description: 'One edge of a finding path, with the evidence that creates it.',
  fields: (t) => ({
    from: t.field({ type: FindingNodeRef, resolve: (h) => h.from }),
    to: t.field({ type: FindingNodeRef, resolve: (h) => h.to }),
    type: t.exposeString('type', { description: 'Relationship type, e.g. CAN_ASSUME or CAN_ACCESS.' }),
    kind: t.field({
      type: RelationshipKindRef,
      nullable: true,
      description: 'What the type means (null for a type the vocabulary no longer declares).',
      resolve: (h) => kindOf(h.type),
    }),
    edgeId: t.id({
      description: 'Pass to `explain` to read the edge in the current graph.',
      resolve: (h) => edgeId({ type: h.type, from: h.from, to: h.to }),
    }),
    technique: t.string({ nullable: true, resolve: (h) => h.technique ?? null }),
    levels: t.field({
      type: [AccessLevelEnum],
      description: 'CAN_ACCESS: the access levels granted.',
      resolve: (h) => knownList(ACCESS_LEVELS, h.levels),
    }),
    reason: t.exposeString('reason'),
    evidence: t.field({
      type: [EvidenceRef],
      // An edge usually rests on one or two documents.
      complexity: { field: 1, multiplier: 2 },
      resolve: (h) => h.evidence ?? [],
    }),
    conditional: t.exposeBoolean('conditional'),
  }),
});

interface Fact {
  key: string;
  value: FactValue;
}

export const FactRef = builder.objectRef<Fact>('FindingFact').implement({
  description: 'A rule-specific fact, e.g. ageDays = 412. Values are given as text (null stays null).',
  fields: (t) => ({
    key: t.exposeString('key'),
    value: t.string({ nullable: true, resolve: (f) => (f.value === null ? null : String(f.value)) }),
  }),
});

export const SuppressionRef = builder
  .objectRef<{ reason: string; expires: string }>('FindingSuppression')
  .implement({
    description: 'The suppression entry that covers a finding (an accepted risk until it expires).',
    fields: (t) => ({
      reason: t.exposeString('reason'),
      expires: t.exposeString('expires', { description: 'YYYY-MM-DD.' }),
    }),
  });

const ruleOf = (f: StoredFinding): RuleView =>
  f.rule ?? { id: f.ruleId, title: f.title, category: f.category, severity: f.severity };

export const FindingRef = builder.objectRef<StoredFinding>('Finding').implement({
  description:
    'A problem a findings rule found, stable from report to report by its fingerprint, with its path and the evidence for every hop.',
  fields: (t) => ({
    fingerprint: t.exposeID('fingerprint', {
      description: 'Stable across reports: the rule id and the ids that identify the problem, hashed.',
    }),
    rule: t.field({ type: RuleRef, resolve: ruleOf }),
    title: t.exposeString('title'),
    category: t.field({ type: RuleCategoryEnum, resolve: (f) => f.category }),
    severity: t.field({
      type: SeverityEnum,
      resolve: (f) => ((SEVERITIES as readonly string[]).includes(f.severity) ? f.severity : 'info'),
    }),
    message: t.exposeString('message'),
    status: t.field({ type: FindingStatusEnum, resolve: (f) => f.status }),
    subject: t.field({ type: FindingNodeRef, resolve: (f) => f.subject }),
    target: t.field({ type: FindingNodeRef, nullable: true, resolve: (f) => f.target ?? null }),
    path: t.field({
      type: [FindingHopRef],
      description: 'From subject to target, edge by edge; empty for findings that are not about a path.',
      complexity: { field: 1, multiplier: 5 },
      resolve: (f) => f.path ?? [],
    }),
    conditional: t.boolean({
      description: 'Holds only under conditions that could not be decided offline.',
      resolve: (f) => f.conditional === true,
    }),
    facts: t.field({
      type: [FactRef],
      resolve: (f) =>
        Object.entries(f.facts ?? {})
          .map(([key, value]) => ({ key, value }))
          .sort((a, b) => a.key.localeCompare(b.key)),
    }),
    suppressed: t.boolean({ resolve: (f) => f.suppression !== undefined }),
    suppression: t.field({ type: SuppressionRef, nullable: true, resolve: (f) => f.suppression ?? null }),
    firstSeen: t.exposeString('firstSeen', { description: 'ISO-8601: the first report that found it.' }),
    lastSeen: t.exposeString('lastSeen', { description: 'ISO-8601: the last report that found it.' }),
    resolvedAt: t.string({
      nullable: true,
      description: 'ISO-8601: the first report that ran its rule and no longer found it.',
      resolve: (f) => f.resolvedAt ?? null,
    }),
    lastReportId: t.exposeID('lastReportId', { description: 'The last report run that found it.' }),
    owner: t.string({
      nullable: true,
      description: 'The owner of the subject when the report ran (docs/owners.md); null when it had none.',
      resolve: (f) => f.owner ?? null,
    }),
  }),
});

export const FindingFilter = builder.inputType('FindingFilter', {
  description: 'Findings matching every given field (a list field matches any of its values).',
  fields: (t) => ({
    severity: t.field({ type: [SeverityEnum] }),
    ruleId: t.stringList({ description: 'Rule ids, e.g. ["nhi-reaches-production-data"].' }),
    status: t.field({ type: [FindingStatusEnum], description: 'Default: every status.' }),
    subject: t.id({ description: 'Id of the identity (or policy, user, role) the finding is about.' }),
    target: t.id({ description: 'Id of what it reaches or concerns.' }),
    nameContains: t.string({ description: "Case-insensitive substring of the subject's or target's name." }),
    owner: t.string({ description: 'The owner of the subject (docs/owners.md), e.g. "payments".' }),
    unowned: t.boolean({
      description: 'True: only findings whose subject has no owner; false: only owned ones.',
    }),
    newSince: t.id({
      description:
        'A report run id: only findings open now that were not active in that report (absent, or suppressed then), i.e. new since it.',
    }),
  }),
});

/** One connection type for findings, whichever query returns them. */
export const FindingConnection = builder.connectionObject(
  { type: FindingRef, name: 'FindingConnection' },
  { name: 'FindingEdge' },
);

builder.queryField('findings', (t) =>
  t.connection(
    {
      type: FindingRef,
      description:
        'Stored findings matching the filter, most severe first, then by rule and subject. Recorded by `reachgraph report` and scheduled reports.',
      args: { filter: t.arg({ type: FindingFilter }) },
      complexity: (args) => connectionComplexity(args, 2),
      resolve: async (_root, args, { graph, limits }) => {
        const first = pageSize(args, limits.maxPageSize);
        const [after] = args.after ? decodeCursor(args.after, 1) : [null];
        const filter = args.filter;
        if (filter?.newSince != null && !(await reportRun(graph.executor, String(filter.newSince))))
          throw new ApiError(`no report run with id "${filter.newSince}"`, 'NOT_FOUND');
        const rows = await graph.timed('records/stored-findings/list-findings', () =>
          listFindings(
            graph.executor,
            {
              severity: (filter?.severity ?? null) as Severity[] | null,
              ruleId: filter?.ruleId ?? null,
              status: (filter?.status ?? null) as FindingStatus[] | null,
              subject: filter?.subject == null ? null : String(filter.subject),
              target: filter?.target == null ? null : String(filter.target),
              nameContains: filter?.nameContains ?? null,
              owner: filter?.owner ?? null,
              unowned: filter?.unowned ?? null,
              newSince: filter?.newSince == null ? null : String(filter.newSince),
            },
            { limit: first + 1, after: after ?? null },
          ),
        );
        return toPage(rows, first, (f) => [f.sortKey], Boolean(args.after));
      },
    },
    FindingConnection,
  ),
);
