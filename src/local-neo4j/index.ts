// A local Neo4j Community server without Docker: jars fetched once from Maven Central into the
// user's cache, run in a JVM by tools/neo4j/Launcher.java. Used when NEO4J_URI is not set.
export { type EnsureNeo4jJarsOptions, ensureNeo4jJars, neo4jInstallDir } from './jars.js';
export { findJava, type JavaRuntime, MIN_JAVA_MAJOR, parseJavaVersion } from './java.js';
export { type LocalPaths, localPaths, NEO4J_VERSION, neo4jToolsDir } from './paths.js';
export {
  DEFAULT_READY_TIMEOUT_MS,
  type LocalNeo4jHandle,
  launcherLogPath,
  SHORT_RUN_JVM_FLAGS,
  type StartLocalNeo4jOptions,
  startLocalNeo4j,
} from './server.js';
export {
  isProcessAlive,
  readServerState,
  removeServerState,
  type ServerState,
  serverStatePath,
  stopServer,
  waitForExit,
  writeServerState,
} from './state.js';
