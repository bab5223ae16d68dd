import neo4j, { type Driver, type ManagedTransaction, type Session } from 'neo4j-driver';
import type { CypherFile } from './cypher-files.js';
import { mapDriverError } from './errors.js';
import { fromNeo4j, toNeo4jParams } from './values.js';

/** Where the graph lives. `password` empty means no authentication (the local server). */
export interface Neo4jTarget {
  uri: string;
  user: string;
  password: string;
  database: string;
}

export interface QueryOptions {
  /** What is being done, for error messages and transaction metadata. */
  action?: string;
  timeoutMs?: number;
  metadata?: Record<string, string>;
}

export interface ServerInfo {
  version: string;
  edition: string;
  address: string;
}

type Row = Record<string, unknown>;
type Query = string | CypherFile;

/** One statement after another inside a transaction, with the same conversions as `read`/`write`. */
export interface GraphTransaction {
  run<T = Row>(query: Query, params?: Row): Promise<T[]>;
}

/**
 * The one way into Neo4j. Sessions are always closed, the database is always explicit, reads and
 * writes go through managed transactions (which the driver retries on transient errors, such as a
 * leader switch or a deadlock, with exponential backoff for up to `maxRetryTimeMs`), driver errors
 * become one-line GraphErrors, parameters are converted once (whole numbers to Integers, Dates to
 * DateTimes) and results come back as plain values (see values.ts). No driver type leaves here.
 */
export class GraphExecutor {
  private constructor(
    readonly target: Neo4jTarget,
    private readonly driver: Driver,
  ) {}

  static connect(target: Neo4jTarget, options: { maxRetryTimeMs?: number } = {}): GraphExecutor {
    const auth = target.password ? neo4j.auth.basic(target.user, target.password) : undefined;
    const driver = neo4j.driver(target.uri, auth, {
      maxTransactionRetryTime: options.maxRetryTimeMs ?? 30_000,
      connectionAcquisitionTimeout: 60_000,
      disableLosslessIntegers: false,
      userAgent: 'reachgraph',
    });
    return new GraphExecutor(target, driver);
  }

  /** Wait until the server answers, retrying until the timeout; returns what it is. */
  async verify(timeoutMs = 30_000): Promise<ServerInfo> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const info = await this.driver.getServerInfo({ database: this.target.database });
        const [row] = await this.read<{ version: string; edition: string }>(
          'CALL dbms.components() YIELD versions, edition RETURN versions[0] AS version, edition',
          {},
          { action: 'checking the server version' },
        );
        return {
          version: row?.version ?? 'unknown',
          edition: row?.edition ?? 'unknown',
          address: info.address ?? '',
        };
      } catch (error) {
        if (Date.now() > deadline) throw mapDriverError(error, this.context('connecting'));
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  read<T = Row>(query: Query, params: Row = {}, options: QueryOptions = {}): Promise<T[]> {
    return this.transaction('READ', (tx) => tx.run<T>(query, params), options);
  }

  write<T = Row>(query: Query, params: Row = {}, options: QueryOptions = {}): Promise<T[]> {
    return this.transaction('WRITE', (tx) => tx.run<T>(query, params), options);
  }

  /** Several statements in one transaction; `work` may be re-run on a transient error, so keep it idempotent. */
  async transaction<T>(
    mode: 'READ' | 'WRITE',
    work: (tx: GraphTransaction) => Promise<T>,
    options: QueryOptions = {},
  ): Promise<T> {
    const action = options.action ?? (mode === 'READ' ? 'reading the graph' : 'writing the graph');
    const config = {
      timeout: options.timeoutMs,
      metadata: { app: 'reachgraph', action, ...options.metadata },
    };
    const session = this.session(mode);
    try {
      const run = (tx: ManagedTransaction) =>
        work({ run: <R>(query: Query, params?: Row) => runIn<R>(tx, query, params) });
      return mode === 'READ'
        ? await session.executeRead(run, config)
        : await session.executeWrite(run, config);
    } catch (error) {
      throw mapDriverError(error, this.context(action));
    } finally {
      await session.close();
    }
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  private session(mode: 'READ' | 'WRITE'): Session {
    return this.driver.session({
      database: this.target.database,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
    });
  }

  private context(action: string) {
    return { uri: this.target.uri, database: this.target.database, action };
  }
}

async function runIn<T>(tx: ManagedTransaction, query: Query, params: Row = {}): Promise<T[]> {
  const text = typeof query === 'string' ? query : query.text;
  const result = await tx.run(text, toNeo4jParams(params));
  return result.records.map((record) => fromNeo4j(record.toObject()) as T);
}
