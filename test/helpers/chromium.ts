import { accessSync, constants } from 'node:fs';

/** Names another Chromium or Chrome binary for the tests that open pages in a browser. */
export const CHROMIUM_ENV = 'REACHGRAPH_CHROMIUM';
/** Where Debian's and Ubuntu's `chromium` package installs it. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/**
 * The browser binary playwright-core drives (it bundles none). A missing one fails the test with what
 * to install rather than playwright's launch error, because `npm test` is meant to run everything.
 */
export function chromiumExecutable(env: NodeJS.ProcessEnv = process.env): string {
  const path = env[CHROMIUM_ENV] || DEFAULT_CHROMIUM;
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(
      `No Chromium at ${path}${env[CHROMIUM_ENV] ? ` (${CHROMIUM_ENV})` : ''}: install it (Debian/Ubuntu: apt-get install chromium) or set ${CHROMIUM_ENV} to a Chromium or Chrome binary`,
    );
  }
  return path;
}
