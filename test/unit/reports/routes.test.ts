import { describe, expect, it } from 'vitest';
import { HopGraphBuilder } from '../../../src/answers/hop-graph.js';
import { hopTypeCode } from '../../../src/reachability/codes.js';
import { planRoutes, type RouteGraph } from '../../../src/reports/routes.js';

// A small hop graph: the identity S assumes Z and A (node ids sort A before Z), and can both assume
// and escalate to A; both can write R, S itself can read R; C, reached only by a conditional hop,
// can change R's permissions.
const LIST = 1;
const READ = 2;
const WRITE = 4;
const PERMISSIONS = 8;
const KEY: Record<string, number> = { S: 1, Z: 2, A: 3, C: 4, R: 5 };

function graph(maxHops = 6, reversed = false): RouteGraph {
  const builder = new HopGraphBuilder();
  const nodes = ['S', 'Z', 'A', 'C', 'R'];
  for (const n of reversed ? [...nodes].reverse() : nodes)
    builder.addNode({
      key: KEY[n] as number,
      id: `id-${n}`,
      principal: n !== 'R',
      resource: n === 'R',
      scope: null,
    });
  const hops: [string, string, string, boolean][] = [
    ['S', 'Z', 'CAN_ASSUME', false],
    ['S', 'A', 'CAN_ESCALATE', false],
    ['S', 'A', 'CAN_ASSUME', false],
    ['S', 'C', 'CAN_ASSUME', true],
  ];
  const access: [string, number][] = [
    ['Z', LIST | WRITE],
    ['A', LIST | WRITE],
    ['S', LIST | READ],
    ['C', PERMISSIONS],
  ];
  for (const [from, to, type, conditional] of reversed ? [...hops].reverse() : hops)
    builder.addHop(KEY[from] as number, KEY[to] as number, hopTypeCode(type), conditional);
  for (const [from, mask] of reversed ? [...access].reverse() : access)
    builder.addAccess(KEY[from] as number, KEY.R as number, mask, false);
  const built = builder.build();
  const index = new Map<number, number>();
  built.keys.forEach((key, i) => {
    index.set(key, i);
  });
  return {
    pairs: [{ subject: KEY.S as number, target: KEY.R as number, mask: LIST | READ | WRITE | PERMISSIONS }],
    graph: built,
    index,
    maxHops,
  };
}

const edge = (from: string, to: string, type: string) => ({ from: KEY[from], to: KEY[to], type });

describe('planRoutes', () => {
  it('takes the strongest unconditional level, by the rule route: fewest hops, then node ids, then type name', () => {
    expect(planRoutes(graph(), 'unconditional')).toEqual([
      {
        subject: KEY.S,
        target: KEY.R,
        level: 'write',
        edges: [edge('S', 'A', 'CAN_ASSUME'), edge('A', 'R', 'CAN_ACCESS')],
      },
    ]);
  });

  it('lists a stronger level reachable only under a condition, with the unconditional one beside it', () => {
    expect(planRoutes(graph(), 'conditional')).toEqual([
      {
        subject: KEY.S,
        target: KEY.R,
        level: 'permissions',
        edges: [edge('S', 'C', 'CAN_ASSUME'), edge('C', 'R', 'CAN_ACCESS')],
        unconditionalLevel: 'write',
      },
    ]);
  });

  it('keeps routes within the hop bound the summary was computed with', () => {
    expect(planRoutes(graph(0), 'unconditional')).toEqual([
      { subject: KEY.S, target: KEY.R, level: 'read', edges: [edge('S', 'R', 'CAN_ACCESS')] },
    ]);
    expect(planRoutes(graph(0), 'conditional')).toEqual([]);
  });

  it('gives the same routes whatever order the edges were read in', () => {
    expect(planRoutes(graph(6, true), 'unconditional')).toEqual(planRoutes(graph(), 'unconditional'));
    expect(planRoutes(graph(6, true), 'conditional')).toEqual(planRoutes(graph(), 'conditional'));
  });
});
