import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';

/** Every folder under src/, as `src/a/b/`. */
function folders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      return [`${relative(packageRoot(), path)}/`, ...folders(path)];
    });
}

describe('docs/architecture.md', () => {
  const doc = readFileSync(join(packageRoot(), 'docs', 'architecture.md'), 'utf8');
  const rows = new Set([...doc.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]));

  it('describes every folder under src/ in its layout table, or the folder that holds it', () => {
    const missing = folders(join(packageRoot(), 'src')).filter((folder) => {
      // A folder is covered by its own row or by a described parent that names it (`escalation/`).
      if (rows.has(folder)) return false;
      const parts = folder.split('/').filter(Boolean);
      for (let i = parts.length - 1; i > 1; i--) {
        const parent = `${parts.slice(0, i).join('/')}/`;
        const row = doc.split('\n').find((line) => line.startsWith(`| \`${parent}\` |`));
        if (row?.includes(`${parts.slice(i).join('/')}/`)) return false;
      }
      return true;
    });
    expect(missing).toEqual([]);
  });

  it('names no folder under src/ that does not exist', () => {
    const existing = new Set(folders(join(packageRoot(), 'src')));
    const stale = [...rows].filter(
      (row) => row?.startsWith('src/') && row.endsWith('/') && !existing.has(row),
    );
    expect(stale).toEqual([]);
  });
});
