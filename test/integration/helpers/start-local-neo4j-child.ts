// Run by local-neo4j.test.ts as a separate Node process (node --import tsx): starts a non-detached
// local Neo4j, prints one JSON line {"pid":…,"uri":…} and then idles until it is killed. The test
// SIGKILLs this process and checks that the JVM notices its parent is gone and exits.
import { startLocalNeo4j } from '../../../src/local-neo4j/index.js';

const [dataDir, cacheDir] = process.argv.slice(2);
if (!dataDir || !cacheDir) {
  console.error('usage: start-local-neo4j-child.ts DATA_DIR CACHE_DIR');
  process.exit(2);
}

const server = await startLocalNeo4j({ dataDir, cacheDir, heapMb: 512, pageCacheMb: 64 });
console.log(JSON.stringify({ pid: server.pid, uri: server.uri }));
setInterval(() => {}, 60_000);
