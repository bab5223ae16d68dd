import { describe, expect, it } from 'vitest';
import { edgeUses, hubUses } from '../../../src/activity/graph-summary.js';
import { routeExercised, toHop } from '../../../src/answers/answer-shape.js';
import { combineLegs, pairUse } from '../../../src/model/grants.js';

// The use of pair edges through Grant hubs, and of routes, from what the activity summary writes.

const call = (resource: string, count: number, lastTime: string, action = 's3:GetObject') => ({
  action,
  resource,
  outcome: 'success',
  count,
  lastTime,
});

describe('use of edges and routes', () => {
  it('decides each pair through a hub from the member leg, and knows nothing without a record', () => {
    const member = {
      used: true,
      usedTargets: ['b1'],
      usedTargetCounts: [3],
      usedTargetLastUsed: ['2026-11-02T00:00:00.000Z'],
    };
    expect(pairUse(member, 'b1')).toEqual({ used: true, useCount: 3, lastUsed: '2026-11-02T00:00:00.000Z' });
    expect(pairUse(member, 'b2')).toEqual({ used: false, useCount: 0 });
    expect(pairUse({}, 'b1')).toEqual({});
    const pair = combineLegs(
      { type: 'CAN_ACCESS', from: 'r', to: 'g', properties: member, evidence: [] },
      { type: 'CAN_ACCESS', from: 'g', to: 'b2', properties: { levels: ['read'] }, evidence: [] },
    );
    expect(pair.properties).toEqual({ levels: ['read'], used: false, useCount: 0 });
  });

  it('says a route was exercised only when every hop was used, and not when one was not', () => {
    expect(routeExercised([{ used: true }, { used: true }])).toBe(true);
    expect(routeExercised([{ used: true }, { used: false }])).toBe(false);
    expect(routeExercised([{ used: true }, {}])).toBeUndefined();
    expect(routeExercised([{}, { used: false }])).toBe(false);
    expect(routeExercised([])).toBeUndefined();
    const hop = toHop({
      from: 'a',
      to: 'b',
      type: 'CAN_ACCESS',
      properties: { used: true, useCount: 2, lastUsed: 'T' },
    });
    expect([hop.used, hop.useCount, hop.lastUsed]).toEqual([true, 2, 'T']);
    expect('used' in toHop({ from: 'a', to: 'b', type: 'CAN_ACCESS', properties: {} })).toBe(false);
  });

  it('marks stored, hub and runs-as edges, and records the targets each member used per hub', () => {
    const edges = [
      { from: 'r', type: 'CAN_ACCESS' as const, to: 'b1', hub: 'g' },
      { from: 'r', type: 'CAN_ACCESS' as const, to: 'b2', hub: 'g' },
      { from: 'r', type: 'CAN_ACCESS' as const, to: 'b3', hub: null },
      { from: 'pod', type: 'RUNS_AS' as const, to: 'sa', hub: null },
      { from: 'idle', type: 'RUNS_AS' as const, to: 'nobody', hub: null },
    ];
    const calls = new Map([
      ['r', [call('b2/key', 4, '2026-11-03T10:00:00Z'), call('b2/other', 1, '2026-11-04T10:00:00Z')]],
      ['sa', [call('k8s:c:ns:secret:s', 7, '2026-11-05T00:00:00Z', 'get secrets')]],
    ]);
    const rows = edgeUses(edges, calls, new Map());
    expect(rows.map((r) => [r.from, r.to, r.hub, r.used, r.useCount, r.lastUsed])).toEqual([
      ['r', 'b1', 'g', false, 0, null],
      ['r', 'b2', 'g', true, 5, '2026-11-04T10:00:00Z'],
      ['r', 'b3', null, false, 0, null],
      ['pod', 'sa', null, true, 7, '2026-11-05T00:00:00Z'],
      ['idle', 'nobody', null, false, 0, null],
    ]);
    expect(hubUses(rows)).toEqual([
      {
        from: 'r',
        type: 'CAN_ACCESS',
        hub: 'g',
        targets: ['b2'],
        counts: [5],
        lastUsed: ['2026-11-04T10:00:00.000Z'],
      },
    ]);
  });
});
