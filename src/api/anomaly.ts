import { existsSync } from 'node:fs';
import { AnomalyFilterError, queryAnomalies } from '../activity/anomalies/query.js';
import { ActivityStore } from '../activity/store.js';
import type { ActivityEvent, Finding, Severity } from '../reports/types.js';
import { builder } from './builder.js';
import { RuleCategoryEnum, SeverityEnum } from './enums.js';
import { ApiError } from './errors.js';
import { FactRef, FindingNodeRef, SuppressionRef } from './finding.js';

/**
 * Anomalies: non-human identities behaving unlike themselves, from the activity store's aggregates
 * against each identity's own baseline (docs/activity.md#anomaly-detectors). The same answer as
 * `reachgraph anomalies` (queryAnomalies).
 */

const ActivityEventRef = builder.objectRef<ActivityEvent>('ActivityEvent').implement({
  description: 'One logged event behind an anomaly.',
  fields: (t) => ({
    time: t.exposeString('time', { description: 'ISO-8601.' }),
    action: t.exposeString('action'),
    resource: t.string({ nullable: true, resolve: (e) => e.resource }),
    source: t.string({
      nullable: true,
      description: 'The source network (/24, /48) or the service that called on the identity’s behalf.',
      resolve: (e) => e.source,
    }),
    region: t.string({ nullable: true, resolve: (e) => e.region }),
    userAgent: t.string({ nullable: true, resolve: (e) => e.userAgent }),
    outcome: t.exposeString('outcome', { description: 'success, denied or error.' }),
    requestId: t.string({
      nullable: true,
      description: 'CloudTrail eventID, Cloud Audit Logs insertId or Kubernetes auditID.',
      resolve: (e) => e.requestId,
    }),
  }),
});

const AnomalyRef = builder.objectRef<Finding>('Anomaly').implement({
  description:
    'A non-human identity behaving unlike its own baseline on one day: a finding of an anomaly rule, with the events behind it.',
  fields: (t) => ({
    fingerprint: t.exposeID('fingerprint', {
      description: 'The rule, the identity, the day and what is new, hashed: what a suppression names.',
    }),
    ruleId: t.exposeString('ruleId'),
    title: t.exposeString('title'),
    category: t.field({ type: RuleCategoryEnum, resolve: (f) => f.category }),
    severity: t.field({ type: SeverityEnum, resolve: (f) => f.severity }),
    day: t.string({ description: 'The day under review, YYYY-MM-DD.', resolve: (f) => String(f.facts.day) }),
    message: t.exposeString('message'),
    subject: t.field({ type: FindingNodeRef, resolve: (f) => f.subject }),
    target: t.field({ type: FindingNodeRef, nullable: true, resolve: (f) => f.target }),
    facts: t.field({
      type: [FactRef],
      resolve: (f) => Object.entries(f.facts).map(([key, value]) => ({ key, value })),
    }),
    events: t.field({ type: [ActivityEventRef], resolve: (f) => f.events ?? [] }),
    suppressed: t.boolean({ resolve: (f) => f.suppression !== undefined }),
    suppression: t.field({ type: SuppressionRef, nullable: true, resolve: (f) => f.suppression ?? null }),
  }),
});

const AnomalyFilterInput = builder.inputType('AnomalyFilter', {
  description: 'Which anomalies: every field optional.',
  fields: (t) => ({
    identity: t.id({ description: 'Only this identity (node id).' }),
    day: t.string({
      description:
        'The (last) day under review, YYYY-MM-DD (default: the last day the store holds events for).',
    }),
    days: t.int({
      description:
        'Days under review ending at `day`, each against its own baseline (default 1, at most 90).',
    }),
    baselineDays: t.int({ description: 'Days of baseline before each day under review (default 30).' }),
    ruleId: t.stringList({ description: 'Only these anomaly rules.' }),
    minSeverity: t.field({ type: SeverityEnum, description: 'Only anomalies at least this severe.' }),
  }),
});

const AnomaliesRef = builder
  .objectRef<{
    days: { day: string; identities: number }[];
    baselineDays: number;
    anomalies: Finding[];
  }>('Anomalies')
  .implement({
    description: 'The anomalies of the days under review, most severe first.',
    fields: (t) => ({
      days: t.stringList({ description: 'The days reviewed.', resolve: (a) => a.days.map((d) => d.day) }),
      identitiesReviewed: t.int({
        description: 'Non-human identity-days reviewed (identities active on each day, summed).',
        resolve: (a) => a.days.reduce((n, d) => n + d.identities, 0),
      }),
      baselineDays: t.exposeInt('baselineDays'),
      anomalies: t.field({ type: [AnomalyRef], resolve: (a) => a.anomalies }),
    }),
  });

builder.queryField('anomalies', (t) =>
  t.field({
    type: AnomaliesRef,
    description:
      'Anomalies of non-human identities (docs/activity.md#anomaly-detectors): the anomaly rules over the activity store the server was started with, each day against the identity’s own baseline, with the graph’s view of identities and resources.',
    args: { filter: t.arg({ type: AnomalyFilterInput }) },
    complexity: 50,
    resolve: async (_root, args, { graph, activityDatabase }) => {
      if (!activityDatabase || !existsSync(activityDatabase))
        throw new ApiError('no activity logs ingested: run `reachgraph ingest` first', 'NOT_FOUND');
      const f = args.filter;
      const days = f?.days ?? undefined;
      if (days != null && (days < 1 || days > 90)) throw new ApiError('filter.days: expected 1 to 90');
      const baselineDays = f?.baselineDays ?? undefined;
      if (baselineDays != null && (baselineDays < 1 || baselineDays > 365))
        throw new ApiError('filter.baselineDays: expected 1 to 365');
      // The store is opened for the request only: an ingest or a sync can take the file in between.
      const store = await ActivityStore.open(activityDatabase);
      try {
        const answer = await graph.timed('activity/anomalies', () =>
          queryAnomalies(
            store,
            {
              ...(f?.identity != null ? { identity: String(f.identity) } : {}),
              ...(f?.day != null ? { day: f.day } : {}),
              ...(days != null ? { days } : {}),
              ...(baselineDays != null ? { baselineDays } : {}),
              ...(f?.ruleId != null ? { ruleIds: f.ruleId } : {}),
              ...(f?.minSeverity != null ? { minSeverity: f.minSeverity as Severity } : {}),
            },
            { executor: graph.executor },
          ),
        );
        return answer;
      } catch (error) {
        if (error instanceof AnomalyFilterError) throw new ApiError(`filter: ${error.message}`);
        throw error;
      } finally {
        store.close();
      }
    },
  }),
);
