import { chmodSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import neo4j from 'neo4j-driver';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ensureNeo4jJars,
  findJava,
  type LocalNeo4jHandle,
  localPaths,
  neo4jInstallDir,
  startLocalNeo4j,
} from '../../src/local-neo4j/index.js';
import { keepArchive, launchPlan } from '../../src/local-neo4j/launcher.js';

// How the local server's JVM runs its launcher (src/local-neo4j/launcher.ts): compiled once into a
// jar, a class-data archive written by the first server that exits cleanly and mapped by the next,
// and every way that can go wrong falling back to a server that still starts.

const sharedCache = process.env.REACHGRAPH_CACHE_DIR ?? localPaths().cacheDir;
const small = { heapMb: 512, pageCacheMb: 64 };
const temps: string[] = [];
const handles: LocalNeo4jHandle[] = [];

async function temp(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** The launcher directory the first test filled (jar and archive), to copy into later caches. */
let compiled: string | undefined;

/**
 * A cache of its own whose jars are the shared ones (a symlink): its launcher and archive are its
 * own. `copy` copies in the first test's jar (and archive), so that a test need not compile again.
 */
async function privateCache(
  options: { copy?: ('launcher.jar' | 'classes.jsa')[] } = {},
): Promise<{ cacheDir: string; libDir: string }> {
  const shared = await ensureNeo4jJars({ cacheDir: sharedCache });
  const cacheDir = await temp('reachgraph-launcher-cache-');
  const install = neo4jInstallDir(cacheDir);
  await mkdir(install, { recursive: true });
  symlinkSync(shared, join(install, 'lib'));
  await copyFile(join(dirname(shared), 'complete.json'), join(install, 'complete.json'));
  if (options.copy && compiled) {
    const dir = join(install, basename(compiled));
    await mkdir(dir);
    for (const name of options.copy) await copyFile(join(compiled, name), join(dir, name));
  }
  return { cacheDir, libDir: join(install, 'lib') };
}

/**
 * A JAVA_HOME whose bin/java is a script running the real java (so its real path, which keys the
 * launcher's directory, is the script's), failing when given an argument starting with `refuse`.
 */
async function wrappedJava(refuse: string): Promise<NodeJS.ProcessEnv> {
  const real = await realpath((await findJava()).javaPath);
  const home = await temp('reachgraph-java-home-');
  await mkdir(join(home, 'bin'));
  writeFileSync(
    join(home, 'bin', 'java'),
    `#!/bin/sh\nfor a in "$@"; do case "$a" in ${refuse}*) echo "refused $a" >&2; exit 1;; esac; done\nexec "${real}" "$@"\n`,
  );
  chmodSync(join(home, 'bin', 'java'), 0o755);
  return { ...process.env, JAVA_HOME: home };
}

const launcherDirOf = async (libDir: string) =>
  (await readdir(dirname(libDir)))
    .filter((n) => n.startsWith('launcher-'))
    .map((n) => join(dirname(libDir), n));

async function answers(handle: LocalNeo4jHandle): Promise<number> {
  const driver = neo4j.driver(handle.uri, neo4j.auth.basic('neo4j', ''));
  try {
    const { records } = await driver.executeQuery('RETURN 7 AS seven');
    return records[0]?.get('seven').toNumber();
  } finally {
    await driver.close();
  }
}

const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\u0000');

afterAll(async () => {
  await Promise.all(handles.map((h) => h.stop()));
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })));
});

const noJava = await findJava().then(
  () => false,
  () => true,
);

describe.skipIf(noJava || process.platform !== 'linux')('the local server’s launcher', () => {
  it('is compiled once into a jar; the first server writes the class archive at a clean stop, the next maps it', async () => {
    const { cacheDir, libDir } = await privateCache();
    const progress: string[] = [];
    const first = await startLocalNeo4j({
      dataDir: await temp('reachgraph-launcher-data-'),
      cacheDir,
      ...small,
      onProgress: (m) => progress.push(m),
    });
    handles.push(first);
    expect(progress[0]).toMatch(/Compiling the local Neo4j launcher/);
    const [dir] = await launcherDirOf(libDir);
    expect(existsSync(join(dir as string, 'launcher.jar'))).toBe(true);
    compiled = dir;
    const firstArgs = cmdline(first.pid);
    expect(firstArgs).toContain('Launcher');
    expect(firstArgs.some((a) => a.startsWith('-XX:ArchiveClassesAtExit='))).toBe(true);
    expect(await answers(first)).toBe(7);
    // Written only once the JVM has exited cleanly, under its final name.
    expect(existsSync(join(dir as string, 'classes.jsa'))).toBe(false);
    await first.stop();
    expect(existsSync(join(dir as string, 'classes.jsa'))).toBe(true);
    expect((await readdir(dir as string)).filter((n) => n.includes('.tmp-'))).toEqual([]);

    progress.length = 0;
    const second = await startLocalNeo4j({
      dataDir: await temp('reachgraph-launcher-data-'),
      cacheDir,
      ...small,
      onProgress: (m) => progress.push(m),
    });
    handles.push(second);
    expect(progress.join('\n')).not.toMatch(/Compiling/);
    expect(cmdline(second.pid)).toContain(`-XX:SharedArchiveFile=${join(dir as string, 'classes.jsa')}`);
    expect(await answers(second)).toBe(7);
    await second.stop();
  });

  it('starts without an archive the JVM cannot map (a truncated one), and forgets it', async () => {
    const { cacheDir, libDir } = await privateCache({ copy: ['launcher.jar', 'classes.jsa'] });
    const start = async () => {
      const server = await startLocalNeo4j({
        dataDir: await temp('reachgraph-launcher-data-'),
        cacheDir,
        ...small,
      });
      handles.push(server);
      return server;
    };
    if (!compiled) await (await start()).stop(); // run alone: compile and write one
    const [dir] = await launcherDirOf(libDir);
    const archive = join(dir as string, 'classes.jsa');
    // Its first megabyte only: the JVM aborts on it (a wrong header it would merely ignore).
    const head = readFileSync(archive).subarray(0, 1 << 20);
    await rm(archive);
    writeFileSync(archive, head);
    const server = await start();
    expect(await answers(server)).toBe(7);
    expect(cmdline(server.pid).some((a) => a.includes('SharedArchiveFile'))).toBe(false);
    expect(existsSync(archive)).toBe(false);
    await server.stop();
  });

  it('starts without writing an archive on a JVM that refuses to write one, and does not try again', async () => {
    const { cacheDir, libDir } = await privateCache();
    const env = await wrappedJava('-XX:ArchiveClassesAtExit');
    const server = await startLocalNeo4j({
      dataDir: await temp('reachgraph-launcher-data-'),
      cacheDir,
      ...small,
      env,
    });
    handles.push(server);
    expect(await answers(server)).toBe(7);
    await server.stop();
    const [dir] = await launcherDirOf(libDir);
    expect(existsSync(join(dir as string, 'no-archive'))).toBe(true);
    expect(existsSync(join(dir as string, 'classes.jsa'))).toBe(false);
    const again = await launchPlan({ java: await findJava(env), libDir, env });
    expect(again.jvmFlags).toEqual([]);
    expect(again.main.at(-1)).toBe('Launcher');
  });

  it('keeps its archive, and asks for one again, after a start that fails for another reason (a locked store)', async () => {
    const { cacheDir, libDir } = await privateCache({ copy: ['launcher.jar'] });
    const dataDir = await temp('reachgraph-launcher-data-');
    const start = async () => {
      const server = await startLocalNeo4j({ dataDir, cacheDir, ...small });
      handles.push(server);
      return server;
    };
    const writing = await start(); // with -XX:ArchiveClassesAtExit
    await expect(start()).rejects.toThrow(/locked by another/);
    const [dir] = await launcherDirOf(libDir);
    expect(await readdir(dir as string)).toEqual(['launcher.jar']);
    await writing.stop();
    expect(existsSync(join(dir as string, 'classes.jsa'))).toBe(true);

    const mapping = await start(); // with -XX:SharedArchiveFile
    await expect(start()).rejects.toThrow(/locked by another/);
    expect((await readdir(dir as string)).sort()).toEqual(['classes.jsa', 'launcher.jar']);
    await mapping.stop();
  });

  it('runs the launcher from its source when it cannot be compiled', async () => {
    const { libDir } = await privateCache();
    // `java -m jdk.compiler/…` refused, as on a runtime without the compiler module.
    const env = await wrappedJava('-m');
    const plan = await launchPlan({ java: await findJava(env), libDir, env });
    expect(plan.main.at(-1)).toMatch(/tools\/neo4j\/Launcher\.java$/);
    expect(plan.jvmFlags).toEqual([]);
    expect(await launcherDirOf(libDir)).toEqual([]);
  });

  it('keeps only an archive written under its own temporary name', async () => {
    const dir = await temp('reachgraph-launcher-keep-');
    const other = join(dir, 'precious.txt');
    writeFileSync(other, 'x');
    await keepArchive({ written: other, archive: join(dir, 'classes.jsa') });
    await keepArchive({ written: join(dir, 'classes.jsa.tmp-1-ab'), archive: join(dir, 'other.jsa') });
    expect(await readdir(dir)).toEqual(['precious.txt']);
    writeFileSync(join(dir, 'classes.jsa.tmp-1-ab'), 'archive');
    await keepArchive({ written: join(dir, 'classes.jsa.tmp-1-ab'), archive: join(dir, 'classes.jsa') });
    expect((await readdir(dir)).sort()).toEqual(['classes.jsa', 'precious.txt']);
  });
});
