import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeAws } from '../../../src/analyzers/aws-iam/analyze.js';
import type { DerivedEdge } from '../../../src/analyzers/aws-iam/types.js';
import { collectAws } from '../../../src/collectors/aws/collect.js';
import { allIssues } from '../../../src/collectors/aws/transform.js';
import { validateInventory } from '../../../src/model/validate.js';
import { buildAwsInventory } from '../../../src/providers/aws/inventory.js';
import { MULTI_ACCOUNT } from './expected.js';

// The multi-account snapshot rewritten into AWS GovCloud (US) and China: the same estate must give
// the same edges, with every id in the snapshot's own partition
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html). In China the service
// principals are written with the partition's suffix (`lambda.amazonaws.com.cn`), as some services
// there name themselves.

interface Rewrite {
  partition: string;
  regions: Record<string, string>;
  serviceSuffix?: string;
}

const GOV: Rewrite = {
  partition: 'aws-us-gov',
  regions: { 'us-east-1': 'us-gov-west-1', 'eu-west-1': 'us-gov-east-1' },
};
const CHINA: Rewrite = {
  partition: 'aws-cn',
  regions: { 'us-east-1': 'cn-north-1', 'eu-west-1': 'cn-northwest-1' },
  serviceSuffix: '.amazonaws.com.cn',
};

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

function rewriteText(text: string, rewrite: Rewrite): string {
  let out = text
    .replaceAll('arn:aws:', `arn:${rewrite.partition}:`)
    .replaceAll('arn%3Aaws%3A', `arn%3A${rewrite.partition}%3A`);
  for (const [from, to] of Object.entries(rewrite.regions)) out = out.replaceAll(from, to);
  if (rewrite.serviceSuffix) out = out.replace(/\.amazonaws\.com(?![.\w])/g, rewrite.serviceSuffix);
  return out;
}

/** The inverse of `rewriteText`. */
function commercial(text: string, rewrite: Rewrite): string {
  let out = text.replaceAll(`arn:${rewrite.partition}:`, 'arn:aws:');
  for (const [from, to] of Object.entries(rewrite.regions)) out = out.replaceAll(to, from);
  return rewrite.serviceSuffix ? out.replaceAll(rewrite.serviceSuffix, '.amazonaws.com') : out;
}

/** A copy of the fixture with ARNs, regions (contents and folder names) and service names rewritten. */
function rewrittenSnapshot(rewrite: Rewrite): string {
  const dir = mkdtempSync(join(tmpdir(), `reachgraph-${rewrite.partition}-`));
  temporary.push(dir);
  cpSync(MULTI_ACCOUNT, dir, { recursive: true });
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      let child = join(path, name);
      const renamed = rewrite.regions[name];
      if (renamed) {
        renameSync(child, join(path, renamed));
        child = join(path, renamed);
      }
      if (statSync(child).isDirectory()) walk(child);
      else writeFileSync(child, rewriteText(readFileSync(child, 'utf8'), rewrite));
    }
  };
  walk(dir);
  return dir;
}

const key = (e: DerivedEdge) => `${e.type} ${e.from} -> ${e.to}`;

async function analyzed(snapshotDir: string) {
  const env = await collectAws({ snapshotDir });
  const analysis = await analyzeAws(env);
  return { env, analysis };
}

describe.each([GOV, CHINA])('the multi-account snapshot in partition $partition', (rewrite) => {
  let original: Awaited<ReturnType<typeof analyzed>>;
  let moved: Awaited<ReturnType<typeof analyzed>>;

  it('is collected without error, in its partition', async () => {
    original = await analyzed(MULTI_ACCOUNT);
    moved = await analyzed(rewrittenSnapshot(rewrite));
    expect(allIssues(moved.env).filter((i) => i.severity === 'error')).toEqual([]);
    expect(moved.env.accounts.map((a) => a.partition)).toEqual(
      moved.env.accounts.map(() => rewrite.partition),
    );
  }, 120_000);

  it('gives the same edges, with the same evidence, as the commercial original', () => {
    // Read back into the commercial partition: reasons name services as the techniques do (the global form).
    const expected = original.analysis.edges.map((e) => JSON.stringify(e)).sort();
    expect(moved.analysis.edges.map((e) => commercial(JSON.stringify(e), rewrite)).sort()).toEqual(expected);
    expect(moved.analysis.edges.filter((e) => e.type === 'RUNS_AS').length).toBeGreaterThan(0);
  });

  it('names account roots and outside accounts in its own partition, never in aws', () => {
    const ids = [
      ...moved.analysis.nodes.map((n) => n.id),
      ...moved.analysis.edges.flatMap((e) => [e.from, e.to]),
    ];
    expect(ids.filter((id) => id.includes('arn:aws:'))).toEqual([]);
    expect(ids).toContain(`arn:${rewrite.partition}:iam::111111111111:root`);
    expect(ids).toContain(`external:arn:${rewrite.partition}:iam::999999999999:root`);
    expect(new Set(moved.analysis.edges.map(key))).toEqual(
      new Set(original.analysis.edges.map((e) => rewriteText(key(e), rewrite))),
    );
  });

  it('builds an inventory the validator accepts', () => {
    const inventory = buildAwsInventory(moved.env, moved.analysis, { sourceName: 'partition test' });
    const valid = validateInventory(inventory, 'partition test');
    expect(valid.nodes.some((n) => n.id.startsWith(`arn:${rewrite.partition}:iam::`))).toBe(true);
  });
});
