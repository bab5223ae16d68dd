import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Collectors and analyzers both stand on the shared model (`src/model/`) and never import each
 * other: a collector's output is the model, an analyzer's input is the model. This keeps each
 * provider's collector and analyzer replaceable and testable on their own.
 */
const SRC = resolve(import.meta.dirname, '../../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every `from '…'` / `import('…')` specifier of a file, resolved to a path under src/. */
function importedPaths(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\(\s*)'(\.[^']+)'/g)].map((m) => m[1] as string);
  return specifiers.map((s) => relative(SRC, resolve(dirname(file), s)));
}

function crossings(from: string, forbidden: string): string[] {
  return sourceFiles(join(SRC, from)).flatMap((file) =>
    importedPaths(file)
      .filter((path) => path === forbidden || path.startsWith(`${forbidden}/`))
      .map((path) => `${relative(SRC, file)} imports ${path}`),
  );
}

describe('layering: collectors and analyzers share the model, not each other', () => {
  it('no collector imports an analyzer', () => {
    expect(crossings('collectors', 'analyzers')).toEqual([]);
  });

  it('no analyzer imports a collector', () => {
    expect(crossings('analyzers', 'collectors')).toEqual([]);
  });

  it('the model imports neither', () => {
    expect([...crossings('model', 'collectors'), ...crossings('model', 'analyzers')]).toEqual([]);
  });

  it('finds an import when there is one (the check itself works)', () => {
    expect(crossings('collectors', 'model').length).toBeGreaterThan(0);
  });
});
