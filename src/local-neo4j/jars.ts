import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NEO4J_VERSION, neo4jToolsDir } from './paths.js';
import { lastLines, runCollecting } from './process-output.js';

export interface EnsureNeo4jJarsOptions {
  cacheDir: string;
  onProgress?: (message: string) => void;
  /** Environment for mvn (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
}

// Written last, inside the temporary directory before it is renamed into place: a version
// directory without it is not ours to trust.
const MARKER = 'complete.json';
const MVN_TIMEOUT_MS = 15 * 60_000;

/** `<cacheDir>/neo4j-<version>`: the version directory holding lib/ and the marker. */
export function neo4jInstallDir(cacheDir: string): string {
  return join(cacheDir, `neo4j-${NEO4J_VERSION}`);
}

/**
 * Makes sure the Neo4j jars are in `<cacheDir>/neo4j-<version>/lib` and returns that directory.
 * The first call fetches them with Maven (~120 MB); later calls return at once.
 */
export async function ensureNeo4jJars(options: EnsureNeo4jJarsOptions): Promise<string> {
  const finalDir = neo4jInstallDir(options.cacheDir);
  const libDir = join(finalDir, 'lib');
  if (existsSync(join(finalDir, MARKER))) return libDir;

  // A version directory without the marker can only come from something other than this code
  // (our rename is atomic and the marker is already inside); clear it rather than trust it. The
  // marker is checked again here in case another process renamed its copy in since the check above.
  if (existsSync(finalDir) && !existsSync(join(finalDir, MARKER))) {
    await rm(finalDir, { recursive: true, force: true });
  }

  await mkdir(options.cacheDir, { recursive: true });
  options.onProgress?.(
    `Fetching Neo4j ${NEO4J_VERSION} from Maven Central into ${finalDir} (first use only, ~120 MB)…`,
  );

  // Fetch beside the final directory (same filesystem, so rename is atomic): two processes fetching
  // at once each fill their own directory and neither ever sees a half-filled one.
  const tempDir = `${finalDir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const jarCount = await fetchWithMaven(join(tempDir, 'lib'), options.env);
    await writeFile(
      join(tempDir, MARKER),
      `${JSON.stringify({ version: NEO4J_VERSION, jars: jarCount, fetchedAt: new Date().toISOString() })}\n`,
    );
    try {
      await rename(tempDir, finalDir);
    } catch (error) {
      // Lost the race: another process renamed its complete copy in first. Use the winner's.
      if (existsSync(join(finalDir, MARKER))) return libDir;
      throw error;
    }
    return libDir;
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
}

async function fetchWithMaven(outputDir: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const pom = join(neo4jToolsDir(), 'pom.xml');
  const args = [
    '-B',
    '-q',
    '-Dstyle.color=never',
    '-f',
    pom,
    'dependency:copy-dependencies',
    `-Dneo4j.lib.dir=${outputDir}`,
  ];
  let result: Awaited<ReturnType<typeof runCollecting>>;
  try {
    result = await runCollecting('mvn', args, { env, timeoutMs: MVN_TIMEOUT_MS });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        `Maven 3 (mvn) is needed to fetch Neo4j ${NEO4J_VERSION} for the local server, and it is not on PATH — ` +
          'install Maven 3, or set NEO4J_URI to use an existing Neo4j server.',
      );
    }
    throw error;
  }
  if (result.code !== 0) {
    const how = result.signal ? `was stopped by ${result.signal}` : `exited with code ${result.code}`;
    throw new Error(
      `Fetching Neo4j ${NEO4J_VERSION} with Maven failed: mvn ${how}.\n` +
        `Command: mvn ${args.join(' ')}\n` +
        `Last output:\n${lastLines(result.output, 30) || '(none)'}`,
    );
  }
  const jars = existsSync(outputDir) ? (await readdir(outputDir)).filter((f) => f.endsWith('.jar')) : [];
  // The pinned dependency resolves to ~213 jars; far fewer means Maven did not do what we think.
  if (!jars.some((f) => f.startsWith(`neo4j-kernel-${NEO4J_VERSION}`))) {
    throw new Error(
      `Maven finished but ${outputDir} holds no neo4j-kernel-${NEO4J_VERSION} jar (${jars.length} jars).\n` +
        `Last output:\n${lastLines(result.output, 30) || '(none)'}`,
    );
  }
  return jars.length;
}
