// Builds the explorer (ui/, served by `reachgraph serve` under /ui) into dist/ui: index.html, one
// JavaScript bundle (app.js) and one stylesheet (app.css), minified, with nothing fetched from
// elsewhere at run time. Plain JavaScript so that it runs wherever `tsc` does (npm run build,
// prepare, the Docker build stage) without a TypeScript loader. `--watch` rebuilds on change.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'ui');
const out = join(root, 'dist', 'ui');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const options = {
  absWorkingDir: root,
  entryPoints: [
    { in: join(source, 'main.ts'), out: 'app' },
    { in: join(source, 'app.css'), out: 'app' },
    // The portal elements (<reachgraph-blast-radius>, <reachgraph-who-can-reach>), a bundle of their own
    // so a portal page loads them without the explorer (docs/portals.md).
    { in: join(source, 'elements', 'index.ts'), out: 'elements' },
  ],
  // app.js and app.css: fixed names, so an embedding page can name them; the server revalidates them by ETag.
  entryNames: '[name]',
  // What a page loads only when it needs it (the graph renderer) is a chunk named by its content.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outdir: out,
  bundle: true,
  format: 'esm',
  target: 'es2022',
  platform: 'browser',
  minify: !watch,
  sourcemap: watch ? 'inline' : false,
  legalComments: 'eof',
  tsconfig: join(source, 'tsconfig.json'),
  logLevel: 'warning',
  plugins: [
    {
      name: 'index-html',
      setup(build) {
        build.onEnd((result) => {
          if (result.errors.length === 0) copyFileSync(join(source, 'index.html'), join(out, 'index.html'));
        });
      },
    },
  ],
};

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
  process.stdout.write(`watching ${relative(root, source)}/ → ${relative(root, out)}/\n`);
} else {
  await esbuild.build(options);
  if (process.argv.includes('--sizes'))
    for (const name of [
      'app.js',
      'app.css',
      'elements.js',
      'index.html',
      ...readdirSync(join(out, 'chunks')).map((c) => `chunks/${c}`),
    ]) {
      const bytes = readFileSync(join(out, name));
      process.stdout.write(
        `${name}: ${(bytes.length / 1024).toFixed(1)} KiB, ${(gzipSync(bytes).length / 1024).toFixed(1)} KiB gzipped\n`,
      );
    }
}
