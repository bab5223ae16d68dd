import { join } from 'node:path';
import envPaths from 'env-paths';
import { packageRoot } from '../package-root.js';

/** The Neo4j release the local server runs; keep in step with tools/neo4j/pom.xml. */
export const NEO4J_VERSION = '5.26.30';

export interface LocalPaths {
  /** Fetched jars live here (safe to delete: refetched on next use). */
  cacheDir: string;
  /** The local server's store, logs and state file live here. */
  dataDir: string;
}

/** Per-user directories (e.g. ~/.cache/reachgraph, ~/.local/share/reachgraph on Linux). */
export function localPaths(overrides: Partial<LocalPaths> = {}): LocalPaths {
  // suffix '' so the folders are plain "reachgraph", not "reachgraph-nodejs".
  const paths = envPaths('reachgraph', { suffix: '' });
  return {
    cacheDir: overrides.cacheDir ?? paths.cache,
    dataDir: overrides.dataDir ?? paths.data,
  };
}

/** tools/neo4j: the pom.xml that fetches the jars and the Launcher.java that runs them. */
export function neo4jToolsDir(): string {
  return join(packageRoot(), 'tools', 'neo4j');
}
