import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphExecutor } from '../../src/graph/executor.js';
import { syncAws } from '../helpers/aws-sync.js';
import { testExecutor, wipe } from '../helpers/graph.js';
import { MULTI_ACCOUNT, readExpected } from '../unit/aws-fixture/expected.js';

// The hand-checked multi-account snapshot loaded into a real Neo4j: the graph holds the expected
// (source, target, type, technique) edges with their evidence, none of the near misses, and its
// shortest escalation paths have the hand-counted lengths.

const expected = readExpected();
const executor: GraphExecutor = testExecutor();

interface Row {
  type: string;
  from: string;
  to: string;
  technique: string | null;
  conditional: boolean | null;
  evidence: string | null;
}

let rows: Row[];

beforeAll(async () => {
  await wipe(executor);
  const result = await syncAws(executor, { snapshotDir: MULTI_ACCOUNT });
  expect(result.load.status).toBe('succeeded');
  rows = await executor.read<Row>(
    `MATCH (a:Entity)-[r:CAN_ASSUME|FEDERATES_TO|RUNS_AS|CAN_ESCALATE|CAN_ACCESS|ADMINISTERS]->(b:Entity)
     RETURN type(r) AS type, a.id AS from, b.id AS to, r.technique AS technique, r.conditional AS conditional,
            r.evidence AS evidence`,
  );
});
afterAll(() => executor.close());

const key = (type: string, from: string, to: string, technique?: string | null) =>
  `${from} -${type}${technique ? `(${technique})` : ''}-> ${to}`;

describe('the multi-account fixture in Neo4j', () => {
  it('holds every expected hop and terminal edge, with its technique', () => {
    const present = new Set(rows.map((r) => key(r.type, r.from, r.to, r.technique)));
    const plain = new Set(rows.map((r) => key(r.type, r.from, r.to)));
    const wanted = [
      ...expected.edges.map((e) => key(e.type, e.from, e.to, e.technique)),
      ...expected.canAccess.map((e) => key('CAN_ACCESS', e.from, e.to)),
      ...expected.admins.map((a) => key('ADMINISTERS', a.principal, a.account)),
    ];
    expect(wanted.filter((w) => !present.has(w) && !plain.has(w))).toEqual([]);
  });

  it('holds none of the near misses', () => {
    const found = expected.mustNotExist.flatMap((n) =>
      rows
        .filter((r) => r.type === n.type && r.from === n.from && (n.to === '*' || r.to === n.to))
        .map((r) => `${n.label}: ${key(r.type, r.from, r.to, r.technique)}`),
    );
    expect(found).toEqual([]);
  });

  it('stores the evidence records, each with its reason, on every derived relationship', () => {
    const bad = rows.filter((r) => {
      if (!r.evidence) return true;
      const records = JSON.parse(r.evidence) as { ref?: string; reason?: string }[];
      return records.length === 0 || records.some((e) => !e.ref || !e.reason);
    });
    expect(bad.map((r) => key(r.type, r.from, r.to, r.technique))).toEqual([]);
  });

  it('stores the conditional flag the hand check expects', () => {
    const mismatches = expected.edges
      .filter((e) => e.conditional !== undefined)
      .filter((e) => {
        const matching = rows.filter(
          (r) =>
            r.type === e.type &&
            r.from === e.from &&
            r.to === e.to &&
            (!e.technique || r.technique === e.technique),
        );
        return !matching.some((r) => (r.conditional ?? false) === e.conditional);
      })
      .map(
        (e) => `${e.label}: ${key(e.type, e.from, e.to, e.technique)} should be conditional=${e.conditional}`,
      );
    expect(mismatches).toEqual([]);
  });

  it('finds the shortest escalation paths with the hand-counted number of hops', async () => {
    const answers: Record<string, number | null> = {};
    for (const { principal } of [...expected.escalations, ...expected.notEscalations]) {
      const [row] = await executor.read<{ hops: number }>(
        `MATCH p = SHORTEST 1 ((s:Principal {id: $id}) (()-[:CAN_ASSUME|FEDERATES_TO|RUNS_AS|CAN_ESCALATE]->()){1,8} (x)
                 WHERE x:AwsAccount OR EXISTS { (x)-[:ADMINISTERS]->(:AwsAccount) })
         RETURN length(p) AS hops`,
        { id: principal },
      );
      answers[principal] = row?.hops ?? null;
    }
    expect(answers).toEqual(
      Object.fromEntries([
        ...expected.escalations.map((e) => [e.principal, e.hops]),
        ...expected.notEscalations.map((e) => [e.principal, null]),
      ]),
    );
  });
});
