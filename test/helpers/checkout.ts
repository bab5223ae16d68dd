import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { packageRoot } from '../../src/package-root.js';

/**
 * A throw-away copy of this checkout as a fresh clone after `npm ci && npm run build` holds it: the
 * files git tracks (or would, untracked but not ignored), the built dist/, node_modules (linked) and a
 * git repository of its own, so tools that read .gitignore see what they would in a real clone.
 */
export function copyCheckout(): string {
  const root = packageRoot();
  const dist = join(root, 'dist');
  if (!existsSync(dist)) throw new Error(`${dist} does not exist: run \`npm run build\` first`);
  const copy = mkdtempSync(join(tmpdir(), 'reachgraph-checkout-'));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
    .split('\0')
    // A tracked file deleted in the working tree is listed but is not there to copy.
    .filter((file) => file !== '' && existsSync(join(root, file)));
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(root, file), join(copy, file));
  }
  cpSync(dist, join(copy, 'dist'), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  execFileSync('git', ['init', '--quiet'], { cwd: copy });
  return copy;
}
