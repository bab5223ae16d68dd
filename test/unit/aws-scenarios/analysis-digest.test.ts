// The analysis's whole output, pinned: every edge (type, ends, properties, evidence in its order),
// every node, finding and issue the analyzer gives for the sample estate, the AWS fixtures and the
// dense benchmark account at 40 roles (two seeds), as one line per record with a digest of its
// content. A change meant to keep the output (a faster evaluation, a smaller representation) must
// leave every line as it is; a failing run names the edges whose line moved. A change meant to
// alter the output updates the files with `npx vitest run --project unit -u <this file>`, and its
// diff shows the edges it changed.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analysisLines as lines } from '../../../bench/analysis-lines.js';
import { denseAwsEnvironment } from '../../../bench/synthetic-aws-dense.js';
import { collectAws } from '../../../src/collectors/aws/collect.js';
import type { AwsEnvironment } from '../../../src/model/aws/environment.js';
import { analyzeAws } from './harness.js';

const root = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
/** A fixed analysis time, so time conditions are decided the same way on every run. */
const AS_OF = new Date('2026-06-01T00:00:00Z');

const SNAPSHOTS: [string, string][] = [
  ['sample-estate', 'examples/sample-env'],
  ['multi-account', 'test/fixtures/aws/multi-account'],
  ['collector-basic', 'test/fixtures/aws-collector/basic'],
  ['collector-data-stores', 'test/fixtures/aws-collector/data-stores'],
  ['eks-access', 'test/fixtures/eks-access'],
];

async function check(name: string, environment: AwsEnvironment, grantHubs = true): Promise<void> {
  const analysis = await analyzeAws(environment, { asOf: AS_OF, grantHubs });
  await expect(lines(analysis)).toMatchFileSnapshot(`./analysis-digest/${name}.txt`);
}

describe('the analysis output is unchanged', () => {
  it.each(SNAPSHOTS)(
    '%s',
    async (name, dir) => {
      await check(name, await collectAws({ snapshotDir: root(dir) }));
    },
    60_000,
  );

  it.each([1, 2])(
    'the dense account, 40 roles, seed %i',
    async (seed) => {
      await check(`dense-40-seed-${seed}`, denseAwsEnvironment({ roles: 40, seed }));
    },
    60_000,
  );

  it('the dense account, 40 roles, seed 1, one edge per pair', async () => {
    await check('dense-40-seed-1-per-pair', denseAwsEnvironment({ roles: 40, seed: 1 }), false);
  }, 60_000);
});
