import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/**
 * The directory holding reachgraph's package.json. Walking up from this module (rather than using a
 * fixed "../..") finds it both from src/ (tsx, vitest) and from the compiled dist/.
 */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
        if (pkg.name === 'reachgraph') {
          cachedRoot = dir;
          return dir;
        }
      } catch {
        // an unreadable or foreign package.json: keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`Cannot find reachgraph's package.json above ${fileURLToPath(import.meta.url)}`);
    }
    dir = parent;
  }
}
