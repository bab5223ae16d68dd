import neo4j, { type Driver, type ManagedTransaction, type Session } from 'neo4j-driver';
import { DEFAULT_MAX_RETRY_TIME_MS } from '../config/schema.js';
import { useLargeBoltChunks } from './bolt-chunks.js';
import type { CypherFile } from './cypher-files.js';
import {
  GraphError,
  isAcquisitionTimeout,
  mapDriverError,
  SERVER_NOT_ANSWERING,
  serverNotAnswering,
} from './errors.js';
import { startLoopWatch, stopLoopWatch } from './event-loop.js';
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
  /**
   * Start the transaction again, up to this many times, when getting a connection for it timed out
   * while this process's event loop was held up (default 0). Nothing was sent then, so any
   * transaction may be retried; a caller that computes while its writes wait for connections asks
   * for it, since a process busy with other work may not turn its event loop in time to finish a
   * connection's handshake (isAcquisitionTimeout). When the loop turned freely all along the server
   * did not answer, and the transaction fails at once (serverNotAnswering), retries or not.
   */
  acquisitionRetries?: number;
}

export interface ServerInfo {
  version: string;
  edition: string;
  address: string;
}

type Row = Record<string, unknown>;
type Query = string | CypherFile;

/** Opening a TCP connection. */
export const CONNECTION_TIMEOUT_MS = 5_000;
/** Getting a usable connection: from the pool, or a new one with its Bolt handshake. */
export const CONNECTION_ACQUISITION_TIMEOUT_MS = 10_000;

/**
 * An acquisition that timed out is put down to this process, and retried, when its event loop did
 * not turn for at least this share of the acquisition timeout at a stretch; otherwise to the server.
 */
export const BUSY_STALL_SHARE = 0.25;

/** The first wait before a transaction whose connection acquisition timed out starts again; it doubles. */
export const ACQUISITION_RETRY_DELAY_MS = 250;

/**
 * acquisitionRetries for the batches of a load and of the summary: a busy machine slows them down
 * (waits of 0.25 + 0.5 + 1 + 2 s between attempts) instead of failing them.
 */
export const BATCH_ACQUISITION_RETRIES = 4;

/** The code of the GraphError a transaction gets when the executor's deadline has passed. */
export const DEADLINE_PASSED = 'reachgraph.DeadlinePassed';

/** One statement after another inside a transaction, with the same conversions as `read`/`write`. */
export interface GraphTransaction extends GraphWriter {
  run<T = Row>(query: Query, params?: Row): Promise<T[]>;
}

/**
 * What writes a statement: the executor (a transaction of its own) or an open transaction (one
 * statement of it), so the same record and cleanup code can run alone or as part of one commit.
 */
export interface GraphWriter {
  write<T = Row>(query: Query, params?: Row, options?: QueryOptions): Promise<T[]>;
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
    /** How long getting a connection may take (the driver's connectionAcquisitionTimeout). */
    private readonly acquisitionTimeoutMs: number,
    /** Epoch ms after which no transaction starts and by which every running one is timed out. */
    readonly deadline?: number,
  ) {}

  static connect(
    target: Neo4jTarget,
    options: { maxRetryTimeMs?: number; connectionAcquisitionTimeoutMs?: number } = {},
  ): GraphExecutor {
    const auth = target.password ? neo4j.auth.basic(target.user, target.password) : undefined;
    const acquisitionTimeoutMs = options.connectionAcquisitionTimeoutMs ?? CONNECTION_ACQUISITION_TIMEOUT_MS;
    useLargeBoltChunks();
    const driver = neo4j.driver(target.uri, auth, {
      maxTransactionRetryTime: options.maxRetryTimeMs ?? DEFAULT_MAX_RETRY_TIME_MS,
      // A server that is gone or hangs must fail an attempt in seconds, not after the driver's 30 s
      // connect and 60 s acquisition timeouts (see DEFAULT_MAX_RETRY_TIME_MS for the retries).
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      // The TCP connect is bounded by connectionTimeout, but the Bolt handshake after it only by
      // this: a server that accepts and never answers fails an attempt after it.
      connectionAcquisitionTimeout: acquisitionTimeoutMs,
      disableLosslessIntegers: false,
      userAgent: 'reachgraph',
    });
    return new GraphExecutor(target, driver, acquisitionTimeoutMs);
  }

  /**
   * The same connection with a deadline (epoch ms): each transaction's timeout is cut to the time
   * left, and none starts once it has passed, so the whole of a piece of work (an API request) is
   * bounded, not only each query. Closing it closes the shared driver: close the original only.
   */
  withDeadline(deadline: number): GraphExecutor {
    return new GraphExecutor(
      this.target,
      this.driver,
      this.acquisitionTimeoutMs,
      Math.min(deadline, this.deadline ?? deadline),
    );
  }

  /**
   * Wait until the server answers, retrying until the timeout (a server starting up refuses
   * connections for a while); returns what it is. A server that accepts connections and does not
   * answer fails at once (serverNotAnswering): waiting for it again would only repeat that.
   */
  async verify(timeoutMs = 30_000): Promise<ServerInfo> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const watch = startLoopWatch();
      try {
        const info = await this.driver.getServerInfo({ database: this.target.database }).catch((error) => {
          throw this.acquisitionFailure(error, stopLoopWatch(watch), 'connecting') ?? error;
        });
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
        if (error instanceof GraphError && error.code === SERVER_NOT_ANSWERING) throw error;
        if (Date.now() > deadline) throw mapDriverError(error, this.context('connecting'));
        await new Promise((resolve) => setTimeout(resolve, 500));
      } finally {
        stopLoopWatch(watch);
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
    const retries = options.acquisitionRetries ?? 0;
    for (let attempt = 0; ; attempt++) {
      const watch = startLoopWatch();
      try {
        return await this.attempt(mode, work, options, action);
      } catch (error) {
        const stalledMs = stopLoopWatch(watch);
        if (!isAcquisitionTimeout(error)) throw error;
        // The loop turned freely: the server did not answer, and would not on a second try.
        const notAnswering = this.acquisitionFailure(error, stalledMs, action);
        if (notAnswering) throw notAnswering;
        if (attempt >= retries) throw error;
        await new Promise((resolve) => setTimeout(resolve, ACQUISITION_RETRY_DELAY_MS * 2 ** attempt));
      } finally {
        stopLoopWatch(watch);
      }
    }
  }

  /**
   * For a connection acquisition that timed out while this process's event loop never stood still
   * for BUSY_STALL_SHARE of the timeout: the error naming the server that did not answer. Undefined
   * for any other error, or when the loop was held up long enough to be the cause.
   */
  private acquisitionFailure(error: unknown, stalledMs: number, action: string): GraphError | undefined {
    if (!isAcquisitionTimeout(error) || stalledMs >= BUSY_STALL_SHARE * this.acquisitionTimeoutMs)
      return undefined;
    return serverNotAnswering(error, this.context(action), this.acquisitionTimeoutMs);
  }

  private async attempt<T>(
    mode: 'READ' | 'WRITE',
    work: (tx: GraphTransaction) => Promise<T>,
    options: QueryOptions,
    action: string,
  ): Promise<T> {
    const config = {
      timeout: this.timeLeft(action, options.timeoutMs),
      metadata: { app: 'reachgraph', action, ...options.metadata },
    };
    const session = this.session(mode);
    try {
      const run = (tx: ManagedTransaction) => {
        // Waiting for a pooled connection may have used up the time left.
        this.timeLeft(action, options.timeoutMs);
        const run = <R>(query: Query, params?: Row) => runIn<R>(tx, query, params);
        return work({ run, write: run });
      };
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

  /** The transaction timeout: the requested one, cut to what is left before the deadline. */
  private timeLeft(action: string, timeoutMs: number | undefined): number | undefined {
    if (this.deadline === undefined) return timeoutMs;
    const left = Math.floor(this.deadline - Date.now());
    // A timeout of 0 would mean "none" to the server.
    if (left < 1)
      throw new GraphError(`${action}: the time allowed for this work has run out`, DEADLINE_PASSED, false);
    return Math.min(timeoutMs ?? left, left);
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
