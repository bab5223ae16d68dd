import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { GraphExecutor } from '../../src/graph/executor.js';
import { loadInventory } from '../../src/graph/loader.js';
import type { InventoryInput } from '../../src/model/inventory.js';
import { validateInventory } from '../../src/model/validate.js';
import { resolveKnownPrincipals } from '../../src/pipeline/known-principals.js';
import { A, arn, B, estate } from '../fixtures/inventories.js';
import { snapshot, testExecutor, wipe } from '../helpers/graph.js';

const executor: GraphExecutor = testExecutor();
beforeEach(() => wipe(executor));
afterAll(() => executor.close());

/** Account A's part of estate(2), and B declared but its roles not collected: A's trust names one. */
function partial(completeB: boolean): InventoryInput {
  const input = estate(2, { completeB });
  const external = `external:${arn(B, 'role/old-app')}`;
  input.nodes = [
    ...(input.nodes ?? []).filter((n) => n.scope !== `aws:${B}`),
    {
      id: external,
      kind: 'ExternalPrincipal',
      properties: { name: arn(B, 'role/old-app'), accountId: B, nonHuman: true, nhiType: 'role' },
    },
  ];
  input.relationships = [
    ...(input.relationships ?? []).filter((r) => !r.from.includes(`::${B}:`)),
    {
      type: 'CAN_ASSUME',
      from: external,
      to: arn(A, 'role/ci'),
      evidence: [
        { source: 'trust-policy', ref: arn(A, 'role/ci'), statement: '0', reason: 'ci trusts old-app' },
      ],
    },
  ];
  return input;
}

describe('external ids of principals the graph already holds', () => {
  it('are the known principal after a partial collection, so no role appears twice', async () => {
    await loadInventory(executor, validateInventory(estate(1), 'v1'));
    const valid = validateInventory(partial(false), 'partial');
    expect(await resolveKnownPrincipals(executor, valid)).toEqual([`external:${arn(B, 'role/old-app')}`]);
    await loadInventory(executor, valid);
    const graph = await snapshot(executor);
    expect(graph.nodes.filter((n) => n.includes('old-app'))).toEqual([`AwsRole ${arn(B, 'role/old-app')}`]);
    expect(graph.relationships).toContain(`${arn(B, 'role/old-app')} -CAN_ASSUME-> ${arn(A, 'role/ci')}`);
  });

  it('stay external when the principal’s account was collected completely this run', async () => {
    await loadInventory(executor, validateInventory(estate(1), 'v1'));
    const valid = validateInventory(partial(true), 'complete');
    expect(await resolveKnownPrincipals(executor, valid)).toEqual([]);
    await loadInventory(executor, valid);
    const graph = await snapshot(executor);
    // B said old-app is gone: the role is cleaned, the trust names an outside principal.
    expect(graph.nodes.filter((n) => n.includes('old-app'))).toEqual([
      `ExternalPrincipal external:${arn(B, 'role/old-app')}`,
    ]);
  });
});
