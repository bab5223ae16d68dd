// What test/setup/neo4j-global.ts hands to tests through `inject('neo4j')`.
declare module 'vitest' {
  export interface ProvidedContext {
    neo4j: { uri: string; user: string; password: string; database: string };
  }
}

export {};
