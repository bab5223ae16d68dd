// biome-ignore-all lint/style/noNonNullAssertion: the sample report holds these entries; a missing one fails the test either way.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { formatReport } from '../../src/reports/format/index.js';
import { launchChromium } from '../helpers/browser.js';
import { sampleReport } from '../helpers/report.js';

/**
 * The HTML report as a reader gets it: a file opened in headless Chromium, offline. Names carry
 * markup that would run if anything were left unescaped.
 */

const HOSTILE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">';
const work = mkdtempSync(join(tmpdir(), 'reachgraph-report-html-'));
const artifacts = join(packageRoot(), 'test-artifacts');
const file = join(work, 'report.html');
const pageUrl = pathToFileURL(file).href;

let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
const requests: string[] = [];
const dialogs: string[] = [];

beforeAll(async () => {
  const report = sampleReport();
  const oidc = report.findings.find((f) => f.ruleId === 'oidc-trust-any-subject')!;
  oidc.subject.name = HOSTILE;
  oidc.message = `${HOSTILE} trusts any repository`;
  writeFileSync(file, formatReport(report, 'html'));

  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Every request is recorded; anything but the report file itself is refused, never sent.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    requests.push(url);
    return url === pageUrl ? route.continue() : route.abort();
  });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(pageUrl, { waitUntil: 'load' });
});

afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

/** The texts of one column of a table's body rows. */
async function column(tableSelector: string, index: number): Promise<string[]> {
  return page
    .locator(`${tableSelector} tbody tr`)
    .evaluateAll(
      (rows, i) => rows.map((row) => (row as HTMLTableRowElement).cells[i]?.textContent?.trim() ?? ''),
      index,
    );
}

describe('HTML report in Chromium', () => {
  it('loads with no console error, no request beyond the file, and runs nothing from the graph', async () => {
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([pageUrl]);
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator('#findings table tbody').textContent()).toContain(
      '<script>window.pwned = 1</script>',
    );
  });

  it('renders the path diagram with the expected node labels', async () => {
    const article = page.locator('article.finding').first();
    const svg = article.locator('svg.path-diagram');
    const box = await svg.boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect(box?.height).toBeGreaterThan(30);
    for (const name of ['ci-deploy', 'tooling-admin', 'prod-deploy', 'prod-payments-bucket']) {
      const label = svg.locator('text.node-name', { hasText: new RegExp(`^${name}$`) });
      const labelBox = await label.boundingBox();
      expect(labelBox?.width, name).toBeGreaterThan(0);
      expect(labelBox?.height, name).toBeGreaterThan(0);
      // The label lies inside the diagram.
      expect(labelBox!.x).toBeGreaterThanOrEqual(box!.x);
      expect(labelBox!.x + labelBox!.width).toBeLessThanOrEqual(box!.x + box!.width + 1);
    }
    const edges = await svg
      .locator('g.edge path')
      .evaluateAll((paths) => paths.map((p) => (p as SVGPathElement).getTotalLength()));
    expect(edges).toHaveLength(3);
    for (const length of edges) expect(length).toBeGreaterThan(10);
  });

  it('sorts a table by clicking a header, and by the keyboard', async () => {
    const table = '#findings table.findings-table';
    const header = page.locator(`${table} thead th`, { hasText: 'Rule' });
    const before = await column(table, 1);
    await header.locator('button').click();
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    const ascending = await column(table, 1);
    expect(ascending).toEqual([...before].sort((a, b) => a.localeCompare(b)));
    expect(ascending).not.toEqual(before);
    await header.locator('button').focus();
    await page.keyboard.press('Enter');
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    expect(await column(table, 1)).toEqual([...ascending].reverse());

    // Severity sorts by rank, not by the label's alphabet.
    await page.locator(`${table} thead th button`, { hasText: 'Severity' }).click();
    const severities = await column(table, 0);
    expect(severities[0]?.toLowerCase()).toBe('critical');
    expect(severities.at(-1)?.toLowerCase()).toBe('low');
  });

  it('opens the evidence of a hop with one click', async () => {
    const details = page.locator('article.finding').first().locator('ol.hops details').first();
    expect(await details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    await details.locator('summary').click();
    expect(await details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    const evidence = details.locator('li').first();
    expect(await evidence.isVisible()).toBe(true);
    expect(await evidence.textContent()).toContain('ci-assume-tooling');
  });

  it('saves a screenshot', async () => {
    mkdirSync(artifacts, { recursive: true });
    await page.locator('#changes').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, 'report-html.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
  });
});
