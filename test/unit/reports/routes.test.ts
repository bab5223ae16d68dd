import { describe, expect, it } from 'vitest';
import { planRoutes, type RouteGraph } from '../../../src/reports/routes.js';

// A small hop graph: the identity S assumes Z and A (node ids sort A before Z), twice A with two
// different techniques; both can write R, S itself can read R; C, reached only by a conditional
// hop, can change R's permissions.
const hop = (
  to: string,
  rel: string,
  extra: { conditional?: boolean; tie?: string; type?: string } = {},
) => ({
  to,
  toId: `id-${to}`,
  type: extra.type ?? 'CAN_ASSUME',
  conditional: extra.conditional ?? false,
  rel,
  tie: extra.tie ?? ' ',
});
const access = (from: string, mask: number, rel: string, conditional = false) => ({
  from,
  mask,
  conditional,
  rel,
  tie: '',
});
const LIST = 1;
const READ = 2;
const WRITE = 4;
const PERMISSIONS = 8;

function graph(maxHops = 6): RouteGraph {
  return {
    pairs: [{ subject: 'S', target: 'R', mask: LIST | READ | WRITE | PERMISSIONS, maxHops }],
    hops: new Map([
      [
        'S',
        [
          hop('Z', 's-z'),
          hop('A', 's-a-2', { tie: 'T2 ' }),
          hop('A', 's-a-1', { tie: 'T1 ' }),
          hop('C', 's-c', { conditional: true }),
        ],
      ],
    ]),
    access: new Map([
      [
        'R',
        {
          targetId: 'id-R',
          edges: [
            access('Z', LIST | WRITE, 'z-r'),
            access('A', LIST | WRITE, 'a-r'),
            access('S', LIST | READ, 's-r'),
            access('C', PERMISSIONS, 'c-r'),
          ],
        },
      ],
    ]),
  };
}

describe('planRoutes', () => {
  it('takes the strongest unconditional level, by the shortest route, ties broken by node ids then technique', () => {
    expect(planRoutes(graph(), 'unconditional')).toEqual([
      { subject: 'S', target: 'R', level: 'write', rels: ['s-a-1', 'a-r'] },
    ]);
  });

  it('lists a stronger level reachable only under a condition, with the unconditional one beside it', () => {
    expect(planRoutes(graph(), 'conditional')).toEqual([
      { subject: 'S', target: 'R', level: 'permissions', rels: ['s-c', 'c-r'], unconditionalLevel: 'write' },
    ]);
  });

  it('keeps routes within the hop bound the summary was computed with', () => {
    expect(planRoutes(graph(0), 'unconditional')).toEqual([
      { subject: 'S', target: 'R', level: 'read', rels: ['s-r'] },
    ]);
    expect(planRoutes(graph(0), 'conditional')).toEqual([]);
  });

  it('gives the same routes whatever order the edges were read in', () => {
    const shuffled = graph();
    shuffled.hops.set('S', [...(shuffled.hops.get('S') ?? [])].reverse());
    const r = shuffled.access.get('R');
    if (r) r.edges.reverse();
    expect(planRoutes(shuffled, 'unconditional')).toEqual(planRoutes(graph(), 'unconditional'));
    expect(planRoutes(shuffled, 'conditional')).toEqual(planRoutes(graph(), 'conditional'));
  });
});
