import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNamedQuery } from '../../src/answers/named-queries.js';
import { GraphPathQueries } from '../../src/answers/questions.js';
import { formatAccessPaths } from '../../src/cli/format-paths.js';
import { parseInventoryText } from '../../src/model/validate.js';
import { publishInventory } from '../../src/pipeline/publish.js';
import { testExecutor, wipe } from '../helpers/graph.js';

const executor = testExecutor();
const names = new Map<string, string>();

beforeAll(async () => {
  await wipe(executor);
  const text = readFileSync(new URL('../../examples/sample-inventory.json', import.meta.url), 'utf8');
  const valid = parseInventoryText(text, 'sample');
  for (const n of valid.nodes) names.set(n.id, String(n.properties.name ?? n.id));
  await publishInventory(executor, valid, { summary: true });
});
afterAll(() => executor.close());

const EXPECTED = [
  'backup-operator -> prod-orders',
  'billing-export -> prod-payments-bucket',
  'billing-export-role -> prod-payments-bucket',
  'ci-deploy -> prod-payments-bucket',
  'ci-deploy -> prod/db-password',
  'github acme/payments@main -> prod-orders',
  'github-actions-deploy -> prod-orders',
  'jenkins nightly-backup -> prod-orders',
  'prod-deploy -> prod-payments-bucket',
  'prod-deploy -> prod/db-password',
  'tooling-admin -> prod-payments-bucket',
  'tooling-admin -> prod/db-password',
].sort();

describe('nhi-to-production on the sample estate', () => {
  it('finds exactly the non-human identities that reach production resources, from the summary', async () => {
    const rows = await runNamedQuery(executor, 'nhi-to-production');
    const pairs = rows.map((r) => `${r.identityName} -> ${r.resourceName}`).sort();
    expect(pairs).toEqual(EXPECTED);
    // alice is human; staging-assets is not production.
    expect(pairs.some((p) => p.startsWith('alice') || p.endsWith('staging-assets'))).toBe(false);
    const ci = rows.find((r) => r.identityName === 'ci-deploy' && r.resourceName === 'prod-payments-bucket');
    expect(ci).toMatchObject({ hops: 2, conditional: false });
    expect(ci?.levels).toEqual(expect.arrayContaining(['read']));
  });

  it('the same pairs as the reach question, which explains every hop and marks conditional paths', async () => {
    const answers = await new GraphPathQueries(executor).reach({
      from: 'nonHuman=true',
      to: 'environment=production',
    });
    expect(answers.map((a) => `${names.get(a.principal)} -> ${names.get(a.resource)}`).sort()).toEqual(
      EXPECTED,
    );
    const ci = answers.find(
      (a) => names.get(a.principal) === 'ci-deploy' && names.get(a.resource) === 'prod-payments-bucket',
    );
    expect([ci?.principal, ...(ci?.path.map((h) => h.to) ?? [])].map((id) => names.get(id ?? ''))).toEqual([
      'ci-deploy',
      'tooling-admin',
      'prod-deploy',
      'prod-payments-bucket',
    ]);
    expect(ci?.path.map((h) => h.type)).toEqual(['CAN_ASSUME', 'CAN_ASSUME', 'CAN_ACCESS']);
    expect(ci?.path.every((h) => h.reason.length > 10)).toBe(true);
    expect(ci?.conditional).toBe(false);
    const jenkins = answers.find((a) => names.get(a.principal) === 'jenkins nightly-backup');
    expect(jenkins?.conditional).toBe(true);
    expect(formatAccessPaths(jenkins ? [jenkins] : [], '')).toContain('[only if aws:SourceIp]');
  });
});
