// What test/setup/neo4j-global.ts hands to tests through `inject(...)`.
declare module 'vitest' {
  export interface ProvidedContext {
    /** One Neo4j per test worker (or the one NEO4J_URI names); tests take theirs with `testNeo4j()`. */
    neo4jServers: { uri: string; user: string; password: string; database: string }[];
    /** How long the shared local Neo4j servers took to be ready, in ms; 0 when NEO4J_URI names a server. */
    neo4jStartMs: number;
  }
}

export {};
