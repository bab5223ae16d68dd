// What test/setup/neo4j-global.ts hands to tests through `inject('neo4j')`.
declare module 'vitest' {
  export interface ProvidedContext {
    neo4j: { uri: string; user: string; password: string; database: string };
    /** How long the shared local Neo4j took to be ready, in ms; 0 when NEO4J_URI names a server. */
    neo4jStartMs: number;
  }
}

export {};
