import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { runCollecting } from './process-output.js';

/** Neo4j 5.26 runs on Java 17 and 21; 17 is the floor. */
export const MIN_JAVA_MAJOR = 17;

export interface JavaRuntime {
  /** Absolute path of the java executable. */
  javaPath: string;
  /** As printed by `java -version`, e.g. "17.0.15". */
  version: string;
  major: number;
}

const JAVA_EXE = process.platform === 'win32' ? 'java.exe' : 'java';
const ADVICE = 'install OpenJDK 17 or newer, or set NEO4J_URI to use an existing Neo4j server';

/**
 * Finds a Java 17+ runtime: JAVA_HOME/bin/java if JAVA_HOME is set and has one, else `java` on PATH.
 * `env` is a parameter (default process.env) so tests can simulate a machine without Java.
 */
export async function findJava(env: NodeJS.ProcessEnv = process.env): Promise<JavaRuntime> {
  const javaHome = env.JAVA_HOME?.trim();
  const fromHome = javaHome ? join(javaHome, 'bin', JAVA_EXE) : undefined;
  const javaPath = (fromHome && (await isExecutable(fromHome)) ? fromHome : undefined) ?? (await onPath(env));

  if (!javaPath) {
    const home = javaHome ? `JAVA_HOME (${javaHome}) has no bin/${JAVA_EXE}` : 'JAVA_HOME is unset';
    throw new Error(
      `Java ${MIN_JAVA_MAJOR} or newer is needed to run the local Neo4j; found none on PATH and ${home} — ${ADVICE}.`,
    );
  }

  const result = await runCollecting(javaPath, ['-version'], { env, timeoutMs: 30_000 }).catch(
    (error: Error) => {
      throw new Error(`Cannot run ${javaPath} -version (${error.message}) — ${ADVICE}.`);
    },
  );
  const version = parseJavaVersion(result.output);
  if (result.code !== 0 || !version) {
    throw new Error(
      `Cannot tell the Java version of ${javaPath} (\`java -version\` said: ${result.output.trim() || 'nothing'}) — ${ADVICE}.`,
    );
  }
  if (version.major < MIN_JAVA_MAJOR) {
    throw new Error(
      `Java ${MIN_JAVA_MAJOR} or newer is needed to run the local Neo4j; ${javaPath} is Java ${version.major} ` +
        `(${version.version}) — ${ADVICE} (point JAVA_HOME at it if several are installed).`,
    );
  }
  return { javaPath, ...version };
}

/**
 * Parses `java -version` output (printed on stderr): `openjdk version "17.0.15" 2025-04-15`,
 * `java version "1.8.0_392"` (old scheme: major 8), `openjdk version "21" 2023-09-19`.
 */
export function parseJavaVersion(output: string): { version: string; major: number } | undefined {
  const match = /version "([^"]+)"/.exec(output);
  const version = match?.[1];
  if (!version) return undefined;
  const parts = version.split(/[._+-]/);
  const first = Number.parseInt(parts[0] ?? '', 10);
  const major = first === 1 ? Number.parseInt(parts[1] ?? '', 10) : first;
  return Number.isFinite(major) ? { version, major } : undefined;
}

async function onPath(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, JAVA_EXE);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
