import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeReachability } from '../../src/reachability/compute.js';
import {
  artifactsDir,
  type OfflineExplorer,
  openOfflineExplorer,
  seriousViolations,
} from '../helpers/browser.js';
import { neo4jEnv, runCli } from '../helpers/cli.js';
import { loadSampleInventory, testExecutor, testNeo4j } from '../helpers/graph.js';

/**
 * The explorer's resource, findings and changes pages in headless Chromium, offline, against
 * `reachgraph serve --demo` over the sample inventory with two recorded reports (`reachgraph
 * report`): between them ci-deploy got an owner (two findings removed) and billing-export-role a
 * new access to the production database password (two paths added). Every page is checked with
 * axe-core (no serious or critical violation) and kept as a screenshot in test-artifacts/.
 */

const executor = testExecutor();
const neo4j = testNeo4j();
const work = mkdtempSync(join(tmpdir(), 'reachgraph-explorer-pages-'));
const artifacts = artifactsDir('explorer');
/** The WCAG 2.1 A and AA rules the pages are held to. */
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21aa'];

const A = '111111111111';
const B = '222222222222';
const ids = {
  bucket: 'arn:aws:s3:::prod-payments-bucket',
  secret: `arn:aws:secretsmanager:eu-west-1:${B}:secret:prod/db-password-AbCdEf`,
  ciDeploy: `arn:aws:iam::${A}:user/ci-deploy`,
  billingRole: `arn:aws:iam::${B}:role/billing-export-role`,
};

let explorer: OfflineExplorer | undefined;
let origin = '';
let page: Page;
let firstReport = '';
let elsewhere: string[] = [];
let errors: string[] = [];

async function report(): Promise<string> {
  const result = await runCli(['report', '--format', 'json'], neo4jEnv(neo4j, { HOME: work }), work, 400_000);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { id: string }).id;
}

beforeAll(async () => {
  const { runId } = await loadSampleInventory(executor);
  await computeReachability(executor, { runId });
  firstReport = await report();
  await executor.write(
    `MATCH (u {id: $id}) SET u.owner = 'payments', u.ownerSource = 'owners file', u.ownerConfidence = 'high'`,
    {
      id: ids.ciDeploy,
    },
  );
  await executor.write(
    `MATCH (a:AwsRole {id: $from}), (b:AwsSecret {id: $to})
     CREATE (a)-[:CAN_ACCESS {levels: ['read'], actions: ['secretsmanager:GetSecretValue'], conditional: false,
       reason: 'identity policy grants secretsmanager:GetSecretValue', scope: 'aws:${B}'}]->(b)`,
    { from: ids.billingRole, to: ids.secret },
  );
  await computeReachability(executor, {});
  await report();
  explorer = await openOfflineExplorer(neo4jEnv(neo4j, { HOME: work }), work);
  ({ origin, page, elsewhere, errors } = explorer);
}, 900_000);

afterAll(async () => {
  await explorer?.close();
  await executor.close();
  rmSync(work, { recursive: true, force: true });
});

const cells = (selector: string) => page.locator(selector).allTextContents();

describe('the resource page', () => {
  it('shows who can reach a resource in counts, then non-human identities before humans, with hops and routes', async () => {
    await page.goto(`${origin}/ui/resource/${encodeURIComponent(ids.bucket)}`, { waitUntil: 'load' });
    const heading = page.locator('rg-resource-page h2#who');
    await heading.waitFor();
    expect((await heading.textContent())?.replace(/\s+/g, ' ')).toContain(
      'Who can reach it: 6 identities (5 non-human, 1 human)',
    );
    expect(await page.title()).toBe('Resource: prod-payments-bucket · reachgraph');
    const nonHuman = await cells('rg-resource-page table.reachers.nonHuman td.name');
    expect([...nonHuman].sort()).toEqual(
      ['billing-export', 'billing-export-role', 'ci-deploy', 'prod-deploy', 'tooling-admin'].sort(),
    );
    expect(await cells('rg-resource-page table.reachers.human td.name')).toEqual(['alice']);
    // Non-human identities come first on the page.
    const order = await page
      .locator('rg-resource-page table.reachers')
      .evaluateAll((tables) => tables.map((t) => t.className));
    expect(order).toEqual(['reachers nonHuman', 'reachers human']);
    // Hops per row: ci-deploy reaches the bucket through two roles.
    const ciRow = page.locator('rg-resource-page table.reachers.nonHuman tr', { hasText: /^\s*ci-deploy/ });
    expect(await ciRow.locator('td.hops').textContent()).toBe('2');
    expect(await ciRow.getByRole('link', { name: 'Route from ci-deploy' }).getAttribute('href')).toBe(
      `/ui/path?from=${encodeURIComponent(ids.ciDeploy)}&to=${encodeURIComponent(ids.bucket)}`,
    );
    expect(await seriousViolations(page, WCAG)).toEqual([]);
    await page.screenshot({ path: join(artifacts, 'resource.png'), fullPage: true });

    // Drill-down from a count: the identities that can write, still non-human first.
    await page.locator('rg-resource-page table.counts').getByRole('link', { name: 'write' }).click();
    await page.waitForURL(/level=WRITE/);
    await page.locator('rg-resource-page p', { hasText: 'Narrowed to' }).waitFor();
    expect([...(await cells('rg-resource-page table.reachers.nonHuman td.name'))].sort()).toEqual(
      ['ci-deploy', 'prod-deploy', 'tooling-admin'].sort(),
    );
    expect(await cells('rg-resource-page table.reachers.human td.name')).toEqual(['alice']);
    expect(elsewhere).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('the findings page', () => {
  it('filters by rule, severity and new since a report, and links to the identity and the route', async () => {
    await page.goto(`${origin}/ui/findings`, { waitUntil: 'load' });
    await page.locator('rg-findings-page table.findings').waitFor();
    expect(await page.title()).toBe('Findings · reachgraph');
    expect(await page.locator('rg-findings-page table.findings tbody tr').count()).toBe(25);

    await page.getByLabel('Rule').selectOption('nhi-reaches-production-data');
    await page.getByLabel('Severity').selectOption('CRITICAL');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/rule=nhi-reaches-production-data&severity=CRITICAL/);
    await page.locator('rg-findings-page table.findings').waitFor();
    const subjects = await cells('rg-findings-page table.findings tbody td.name:nth-child(3)');
    expect([...subjects].sort()).toEqual(
      [
        'backup-operator',
        'ci-deploy',
        'github acme/payments@main',
        'github-actions-deploy',
        'prod-deploy',
        'tooling-admin',
      ].sort(),
    );
    expect(await cells('rg-findings-page table.findings tbody td:first-child')).toEqual(
      Array(6).fill('critical'),
    );

    // New since the first report: the two paths to the database password the second one found.
    await page.goto(`${origin}/ui/findings?newSince=${encodeURIComponent(firstReport)}`);
    await page.locator('rg-findings-page table.findings').waitFor();
    const rows = page.locator('rg-findings-page table.findings tbody tr');
    expect(await rows.count()).toBe(2);
    const row = rows.filter({ hasText: 'billing-export-role' });
    expect(
      await row.getByRole('link', { name: 'billing-export-role', exact: true }).getAttribute('href'),
    ).toBe(`/ui/identity/${encodeURIComponent(ids.billingRole)}`);
    expect(
      await row
        .getByRole('link', { name: 'Route from billing-export-role to prod/db-password' })
        .getAttribute('href'),
    ).toBe(`/ui/path?from=${encodeURIComponent(ids.billingRole)}&to=${encodeURIComponent(ids.secret)}`);
    expect(await seriousViolations(page, WCAG)).toEqual([]);
    await page.screenshot({ path: join(artifacts, 'findings.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});

describe('the changes page', () => {
  it('shows what the last report added and removed', async () => {
    await page.goto(`${origin}/ui/changes`, { waitUntil: 'load' });
    await page.locator('rg-changes-page section[aria-labelledby="added"] table.findings').waitFor();
    expect(await page.title()).toBe('Changes · reachgraph');
    const summary = (await page.locator('rg-changes-page p').first().textContent())?.replace(/\s+/g, ' ');
    expect(summary).toContain(`against ${firstReport}`);
    expect(summary).toContain('2 added, 2 removed, 29 unchanged');
    const added = await cells('rg-changes-page section[aria-labelledby="added"] tbody td.name:nth-child(3)');
    expect([...added].sort()).toEqual(['billing-export', 'billing-export-role']);
    const removed = page.locator('rg-changes-page section[aria-labelledby="removed"] tbody tr');
    expect(await removed.count()).toBe(2);
    const removedRules = await removed.locator('td:nth-child(2) .mono').allTextContents();
    expect([...removedRules].sort()).toEqual([
      'nhi-without-owner',
      'unowned-nhi-reaches-production-or-escalates',
    ]);
    for (const name of await removed.locator('td.name:nth-child(3)').allTextContents())
      expect(name).toBe('ci-deploy');
    expect(await seriousViolations(page, WCAG)).toEqual([]);
    await page.screenshot({ path: join(artifacts, 'changes.png'), fullPage: true });
    expect(elsewhere).toEqual([]);
    expect(errors).toEqual([]);
  });
});
