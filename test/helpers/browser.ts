import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Frame,
  type Page,
} from 'playwright-core';
import { packageRoot } from '../../src/package-root.js';
import { chromiumExecutable } from './chromium.js';
import { startServe, stopChild } from './cli.js';

/** Headless Chromium for the tests that open pages (`chromiumExecutable` names the binary). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(), args: ['--no-sandbox'] });
}

/** `test-artifacts/NAME/` (git-ignored), created: where a browser test keeps its screenshots. */
export function artifactsDir(name: string): string {
  const dir = join(packageRoot(), 'test-artifacts', name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

let axeSource: string | undefined;

/**
 * axe-core's serious and critical violations on a page or frame as it stands (shadow roots included),
 * over every rule, or over the rules of `tags` (WCAG levels such as `wcag2aa`). The script goes in
 * through the DevTools protocol, which the page's content security policy does not govern.
 */
export async function seriousViolations(target: Page | Frame, tags?: readonly string[]): Promise<string[]> {
  axeSource ??= readFileSync(join(packageRoot(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await target.evaluate(axeSource);
  const options = tags ? { runOnly: { type: 'tag', values: [...tags] } } : { resultTypes: ['violations'] };
  const violations = await target.evaluate(async (options) => {
    const axe = (
      window as unknown as {
        axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    return (await axe.run(document, options)).violations;
  }, options);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}

/**
 * A browser context with no internet: every request to another origin than `origin` is refused, and
 * recorded in `elsewhere`.
 */
export async function offlineContext(
  browser: Browser,
  origin: string,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; elsewhere: string[] }> {
  const context = await browser.newContext(options);
  const elsewhere: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    elsewhere.push(url);
    return route.abort('internetdisconnected');
  });
  return { context, elsewhere };
}

/** `reachgraph serve --demo` and one Chromium page that may reach nothing but the server. */
export interface OfflineExplorer {
  server: { child: ChildProcess; url: string };
  origin: string;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Requests to any other origin: refused, and recorded here. */
  elsewhere: string[];
  /** Uncaught page errors and console errors (CSP violations and failed requests show as these). */
  errors: string[];
  /** The browser closed and the server stopped. */
  close(): Promise<void>;
}

/**
 * `reachgraph serve --demo --port 0` with `env` in `cwd`, and headless Chromium at 1280×900 with no
 * internet: every request to another origin than the server's is refused and recorded.
 */
export async function openOfflineExplorer(env: NodeJS.ProcessEnv, cwd: string): Promise<OfflineExplorer> {
  const server = await startServe(['--demo', '--port', '0'], env, cwd);
  const origin = new URL(server.url).origin;
  const browser = await launchChromium().catch(async (error: unknown) => {
    await stopChild(server.child);
    throw error;
  });
  const { context, elsewhere } = await offlineContext(browser, origin, {
    viewport: { width: 1280, height: 900 },
  });
  const errors: string[] = [];
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return {
    server,
    origin,
    browser,
    context,
    page,
    elsewhere,
    errors,
    close: async () => {
      await browser.close();
      await stopChild(server.child);
    },
  };
}
