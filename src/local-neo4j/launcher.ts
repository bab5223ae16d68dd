import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, delimiter, dirname, join } from 'node:path';
import type { JavaRuntime } from './java.js';
import { neo4jToolsDir } from './paths.js';
import { isProcessAlive } from './process-alive.js';
import { runCollecting } from './process-output.js';

/**
 * How the JVM runs tools/neo4j/Launcher.java, fastest first:
 *
 * 1. From a jar compiled once by the JDK's own compiler and jar tool (in the jars' cache, keyed by
 *    the launcher's text and the JDK), not in single-file source mode, which compiles it on every
 *    start (JEP 330).
 * 2. With a class-data archive of the server's classes (AppCDS's dynamic archive, JEP 350): the
 *    first server started from the jar writes it when it exits (`-XX:ArchiveClassesAtExit`), later
 *    ones map it (`-XX:SharedArchiveFile`) instead of loading and verifying ~10,000 classes from
 *    the jars. On the 2-core machine, to Bolt ready: 6.3–6.9 s and 10.4–10.9 CPU s in source mode,
 *    4.4–4.8 s and 7.5–8.1 from the jar, 2.9–3.1 s and 4.9–5.5 with the archive
 *    (docs/performance.md, "The local server's start").
 *
 * An archive is written under a temporary name and renamed into place only after its JVM exited
 * cleanly (`keepArchive`, by whoever stops it): the JVM aborts on a truncated archive, so only a
 * whole one ever has the final name.
 * Whatever goes wrong falls back to the step before: a compile that fails (the source mode then
 * says why in Java's own words), or a JVM that exits during startup with an archive option and
 * starts without it (`withoutArchive`: the archive is forgotten only then, never for a start that
 * fails either way).
 */
export interface LaunchPlan {
  /** The JVM options that select the archive, if any. */
  jvmFlags: string[];
  /** The class path and the main class (or source file), in the order `java` takes them. */
  main: string[];
  /** The archive this JVM writes when it exits, to keep once it exited cleanly (`keepArchive`). */
  writesArchive?: WrittenArchive;
  /**
   * When the JVM exited during startup with an archive option: the plan to try again without it,
   * and `forget`, to call only once that retry has started (the option was the cause, not a locked
   * store or a busy port), which drops the archive or stops asking for one. Undefined without an
   * archive option.
   */
  withoutArchive?: { plan: LaunchPlan; forget(): Promise<void> };
}

/** Where a JVM writes its archive at exit, and the name it gets once whole. */
export interface WrittenArchive {
  written: string;
  archive: string;
}

/** After the JVM that wrote it exited cleanly (not killed): the archive under its final name. */
export async function keepArchive({ written, archive }: WrittenArchive): Promise<void> {
  // A detached server's names come back from its state file: never rename anything else.
  if (basename(archive) !== ARCHIVE || !written.startsWith(`${archive}.tmp-`)) return;
  if (((await stat(written).catch(() => undefined))?.size ?? 0) > 0) await rename(written, archive);
  else await rm(written, { force: true });
}

const ARCHIVE = 'classes.jsa';
// Written when a JVM could not start with an archive option but could without: this JDK cannot
// write or map one (no base CDS archive, for one), so the option is not tried again.
const NO_ARCHIVE = 'no-archive';
const TOOL_TIMEOUT_MS = 120_000;

export async function launchPlan(options: {
  java: JavaRuntime;
  /** The Neo4j jars' directory (ensureNeo4jJars). */
  libDir: string;
  env: NodeJS.ProcessEnv;
  onProgress?: ((message: string) => void) | undefined;
}): Promise<LaunchPlan> {
  const source = join(neo4jToolsDir(), 'Launcher.java');
  const classpath = join(options.libDir, '*'); // expanded by java itself, not a shell
  const dir = await launcherDir(options.java, options.libDir, source);
  const jar = join(dir, 'launcher.jar');
  if (!existsSync(jar) && !(await compileLauncher(options.java, options.libDir, source, dir, options)))
    return { jvmFlags: [], main: ['-cp', classpath, source] };
  const plain: LaunchPlan = { jvmFlags: [], main: ['-cp', `${classpath}${delimiter}${jar}`, 'Launcher'] };
  const archive = join(dir, ARCHIVE);
  if (existsSync(archive)) {
    await removeAbandoned(dir);
    return {
      ...plain,
      jvmFlags: [`-XX:SharedArchiveFile=${archive}`],
      withoutArchive: { plan: plain, forget: () => rm(archive, { force: true }) },
    };
  }
  if (existsSync(join(dir, NO_ARCHIVE))) return plain;
  const written = `${archive}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  return {
    ...plain,
    jvmFlags: [`-XX:ArchiveClassesAtExit=${written}`],
    writesArchive: { written, archive },
    withoutArchive: {
      plan: plain,
      forget: async () => {
        await rm(written, { force: true });
        await writeFile(join(dir, NO_ARCHIVE), 'the JVM did not start with -XX:ArchiveClassesAtExit\n');
      },
    },
  };
}

/** Archives being written by a process that is gone (killed before its JVM exited cleanly). */
async function removeAbandoned(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    const pid = Number(/^classes\.jsa\.tmp-(\d+)-/.exec(name)?.[1]);
    if (pid && !isProcessAlive(pid)) await rm(join(dir, name), { force: true });
  }
}

/** `<jars' version dir>/launcher-<digest of the launcher's text and the JDK>`. */
async function launcherDir(java: JavaRuntime, libDir: string, source: string): Promise<string> {
  const digest = createHash('sha256')
    .update(await readFile(source))
    .update(`\u0000${java.version}\u0000${await realpath(java.javaPath)}`)
    .digest('hex')
    .slice(0, 16);
  return join(dirname(libDir), `launcher-${digest}`);
}

/**
 * The JDK's compiler and jar tool run by the same `java` (its `jdk.compiler` and `jdk.jartool`
 * modules, which a runtime that can run the source mode has too), into a temporary directory renamed
 * into place (two processes compiling at once each fill their own; the first rename wins). False,
 * leaving nothing behind, when either fails.
 */
async function compileLauncher(
  java: JavaRuntime,
  libDir: string,
  source: string,
  dir: string,
  options: { env: NodeJS.ProcessEnv; onProgress?: ((message: string) => void) | undefined },
): Promise<boolean> {
  options.onProgress?.('Compiling the local Neo4j launcher (first use of this Java only)…');
  const temp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const run = (module: string, args: string[]) =>
    runCollecting(java.javaPath, ['-m', module, ...args], {
      env: options.env,
      timeoutMs: TOOL_TIMEOUT_MS,
    }).then(
      (r) => r.code === 0,
      () => false,
    );
  // The jars one by one: a class path wildcard is expanded by the `java` launcher's own -cp only.
  const jars = (await readdir(libDir)).filter((n) => n.endsWith('.jar')).map((n) => join(libDir, n));
  try {
    await mkdir(temp, { recursive: true });
    const classes = join(temp, 'classes');
    const ok =
      (await run('jdk.compiler/com.sun.tools.javac.Main', [
        '-nowarn',
        '-cp',
        jars.join(delimiter),
        '-d',
        classes,
        source,
      ])) &&
      (await run('jdk.jartool/sun.tools.jar.Main', [
        '--create',
        '--file',
        join(temp, 'launcher.jar'),
        '-C',
        classes,
        '.',
      ]));
    if (!ok) return false;
    await rm(classes, { recursive: true, force: true });
    await rename(temp, dir).catch((error: NodeJS.ErrnoException) => {
      // Lost the race to another process: its jar is the same.
      if (!existsSync(join(dir, 'launcher.jar'))) throw error;
    });
    return true;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
