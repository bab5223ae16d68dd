import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AccessPathAnswer, PathQueries } from '../../src/answers/answer-types.js';
import { MemoryGraph } from '../../src/answers/memory-graph.js';
import { runNamedQuery } from '../../src/answers/named-queries.js';
import { GraphPathQueries, MemoryPathQueries } from '../../src/answers/questions.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { expandGrants } from '../../src/model/grants.js';
import {
  analyzeProviders,
  type ProviderJob,
  providerJob,
  providerJobs,
  syncProviders,
} from '../../src/pipeline/sync.js';
import { awsProvider } from '../../src/providers/aws/index.js';
import { PROVIDER_REGISTRY } from '../../src/providers/registry.js';
import { buildReport } from '../../src/reports/build.js';
import { formatReport } from '../../src/reports/format/index.js';
import { type Explanations, type Recorded, recordOf } from '../helpers/explanations.js';
import { testExecutor, wipe } from '../helpers/graph.js';
import { graphqlData, tokenApi } from '../helpers/graphql.js';
import { MULTI_ACCOUNT } from '../unit/aws-fixture/expected.js';

/**
 * What the graph explains, unchanged by how a relationship's explanation is stored: the multi-account
 * AWS fixture and the sample estate (every provider) analyzed and synced, then every answer that
 * shows an edge's reason or evidence — `analyze --json`'s edges, the path questions over the graph
 * and over the inventory (`--snapshot`), the `administrators` named query, the API's `explain` of
 * every derived edge and of every pair through a Grant hub, the findings of every shipped rule and
 * the report in JSON, Markdown and HTML — compared with the answers recorded in
 * test/fixtures/explanations/ (each a label and a digest, test/helpers/explanations.ts) by the form
 * that stored each relationship's `reason` and `evidenceRefs` (write them again with
 * RECORD_EXPLANATIONS=1).
 *
 * One difference is expected and checked: through a Grant hub, the findings used to show the member
 * leg's stored reason, whose "(+N more)" counted the member leg's records only, where the pair's
 * evidence (shown beside it) holds both legs' and the pair edge the hub stands for — and the
 * answers' and the API's pair — counts them all. The reason is now derived from the evidence shown,
 * so the two agree everywhere: the recorded text is compared with its count taken out, and the
 * count is checked against the evidence.
 */

const executor = testExecutor();
const TOKEN = 'explanations-token';
const api = tokenApi(executor, TOKEN);
afterAll(() => executor.close());
const AS_OF = new Date('2026-12-01T00:00:00Z');
const NOW = new Date('2026-12-02T00:00:00Z');
const RECORD = process.env.RECORD_EXPLANATIONS === '1';
const DIR = join(import.meta.dirname, '..', 'fixtures', 'explanations');

const ESTATES: { name: string; jobs: () => ProviderJob[] }[] = [
  { name: 'aws-fixture', jobs: () => [providerJob(awsProvider, { source: { snapshotDir: MULTI_ACCOUNT } })] },
  {
    name: 'sample-estate',
    jobs: () =>
      providerJobs(
        PROVIDER_REGISTRY,
        [],
        { snapshotRoot: 'examples/sample-env', options: {} },
        ConfigSchema.parse({}),
      ),
  },
];

type Json = Record<string, unknown>;
type Estate = (typeof ESTATES)[number];

const EXPLAIN = `query ($id: ID!) {
  explain(edge: $id) {
    id type reason conditional conditions levels actions technique attack requires
    evidence { source ref statement reason conditions }
  }
}`;

async function pathAnswers(q: PathQueries) {
  const reach: AccessPathAnswer[] = await q.reach({ from: 'nonHuman=true', to: 'environment=production' });
  return {
    reach,
    escalations: await q.escalations(),
    admins: await q.admins(),
  };
}

async function explanationsOf(estate: Estate) {
  const run = await analyzeProviders(estate.jobs(), { asOf: AS_OF });
  // As `analyze --json` prints them: Grant hubs as the pair edges they stand for.
  const analyzed = expandGrants({
    nodes: run.valid.inventory.nodes,
    relationships: [...run.outcomes.flatMap((o) => o.analysis.edges), ...run.crossProvider.edges],
  }).relationships.map((r) => JSON.parse(JSON.stringify(r)) as Json);
  const memory = await pathAnswers(new MemoryPathQueries(MemoryGraph.fromInventory(run.valid)));

  await wipe(executor);
  const sync = await syncProviders(executor, estate.jobs(), { summary: true, asOf: AS_OF });
  expect(sync.load.status).toBe('succeeded');
  const graph = await pathAnswers(new GraphPathQueries(executor));
  const administrators = await runNamedQuery(executor, 'administrators', { account: null });

  // Every derived edge and every pair through a hub, explained by the API.
  const ids = await executor.read<{ id: string }>(
    `MATCH (a)-[r]->(b) WHERE r.evidence IS NOT NULL AND NOT a:Grant AND NOT b:Grant
     RETURN a.id + '|' + type(r) + '|' + b.id AS id
     UNION
     MATCH (a)-[m]->(:Grant)-[r]->(b) WHERE type(m) = type(r)
     RETURN a.id + '|' + type(r) + '|' + b.id AS id`,
  );
  const explained: Json[] = [];
  for (const id of ids.map((r) => r.id).sort())
    explained.push((await graphqlData(api, EXPLAIN, { token: TOKEN, variables: { id } })).explain);

  const report = await buildReport(executor, { now: NOW });
  const fixed = { ...report, id: 'report', graphRun: null };
  return {
    analyzed,
    memory,
    graph,
    administrators,
    explained,
    findings: report.findings,
    json: formatReport(fixed, 'json'),
    markdown: formatReport(fixed, 'md'),
    html: formatReport(fixed, 'html'),
  };
}

/** Every object with a `reason` and `evidence` (a hop, an explained edge): the reason the evidence gives. */
function reasonsAgree(value: unknown): number {
  let checked = 0;
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) visit(x);
    else if (v && typeof v === 'object') {
      const o = v as Json;
      if (typeof o.reason === 'string' && Array.isArray(o.evidence) && o.evidence.length > 0) {
        const records = o.evidence as { reason: string }[];
        const more = records.length > 1 ? ` (+${records.length - 1} more)` : '';
        expect(o.reason).toBe(`${records[0]?.reason}${more}`);
        checked++;
      }
      for (const x of Object.values(o)) visit(x);
    }
  };
  visit(value);
  return checked;
}

describe('explanations, as the graph stores a relationship', () => {
  for (const estate of ESTATES)
    it(`are unchanged on ${estate.name}`, { timeout: 900_000 }, async () => {
      const now = await explanationsOf(estate);
      const file = join(DIR, `${estate.name}.json`);
      const record = recordOf(now as unknown as Explanations);
      if (RECORD) writeFileSync(file, `${JSON.stringify(record, null, 1)}\n`);
      const recorded = JSON.parse(readFileSync(file, 'utf8')) as Recorded;
      expect(now.explained.length).toBeGreaterThan(0);
      expect(now.findings.some((f) => f.path.length > 0)).toBe(true);
      // Word for word, but for the findings' and reports' "(+N more)" (see recordOf).
      expect(Object.keys(record)).toEqual(Object.keys(recorded));
      for (const key of Object.keys(recorded)) expect(record[key], key).toEqual(recorded[key]);
      expect(reasonsAgree(now.findings)).toBeGreaterThan(0);
      reasonsAgree(JSON.parse(now.json));
      reasonsAgree(now.explained);
      reasonsAgree(now.graph);
    });
});
