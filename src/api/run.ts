import type { CollectionRun } from '../model/run.js';
import { listRuns } from '../records/collection-runs.js';
import { builder } from './builder.js';
import { RunStatusEnum } from './enums.js';
import { ApiError } from './errors.js';

interface Count {
  key: string;
  value: number;
}

const CountRef = builder.objectRef<Count>('Count').implement({
  description: 'A number per kind, e.g. rows written per node kind or relationship type.',
  fields: (t) => ({ key: t.exposeString('key'), value: t.exposeInt('value') }),
});

const counts = (record: Record<string, number>): Count[] =>
  Object.entries(record)
    .map(([key, value]) => ({ key, value }))
    .sort((a, b) => a.key.localeCompare(b.key));

export const CollectionRunRef = builder.objectRef<CollectionRun>('CollectionRun').implement({
  description: 'One load of an inventory: what it wrote, what scoped cleanup deleted, and how it ended.',
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.field({ type: RunStatusEnum, resolve: (r) => r.status }),
    startedAt: t.exposeString('startedAt'),
    finishedAt: t.string({ nullable: true, resolve: (r) => r.finishedAt ?? null }),
    sources: t.stringList({ resolve: (r) => r.sources ?? [] }),
    scopes: t.stringList({ resolve: (r) => r.scopes ?? [] }),
    cleanedScopes: t.stringList({ resolve: (r) => r.cleanedScopes ?? [] }),
    counts: t.field({ type: [CountRef], resolve: (r) => counts(r.counts) }),
    deleted: t.field({ type: [CountRef], resolve: (r) => counts(r.deleted) }),
    errors: t.stringList({ resolve: (r) => r.errors ?? [] }),
    asOf: t.string({
      nullable: true,
      description:
        'ISO-8601: the time the analysis decided time conditions at (aws:CurrentTime, aws:TokenIssueTime), `--as-of` or the run’s own time; null when the inventory did not say.',
      resolve: (r) => r.asOf ?? null,
    }),
  }),
});

builder.queryField('runs', (t) =>
  t.field({
    type: [CollectionRunRef],
    description: 'The most recent collection runs, newest first.',
    args: { last: t.arg.int({ defaultValue: 20 }) },
    complexity: (args) => ({ field: 2, multiplier: Math.max(1, args.last ?? 20) }),
    resolve: (_root, args, { graph, limits }) => {
      const last = args.last ?? 20;
      if (last < 1 || last > limits.maxPageSize)
        throw new ApiError(`last must be between 1 and ${limits.maxPageSize}, got ${last}`);
      return graph.timed('records/collection-runs/list-runs', () => listRuns(graph.executor, last));
    },
  }),
);
