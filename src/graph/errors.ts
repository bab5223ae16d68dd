import { Neo4jError } from 'neo4j-driver';
import { ReachgraphError } from '../errors.js';

/** A Neo4j failure explained in one line: what was being done, against which server, and what to check. */
export class GraphError extends ReachgraphError {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'GraphError';
  }
}

/** The code of the GraphError for a server that accepts connections and does not answer. */
export const SERVER_NOT_ANSWERING = 'reachgraph.ServerNotAnswering';

/** The server could not be reached (down, restarting, unreachable network, hung). */
export function isUnreachable(error: unknown): boolean {
  return (
    error instanceof GraphError &&
    (error.code === 'ServiceUnavailable' ||
      error.code === 'SessionExpired' ||
      error.code === SERVER_NOT_ANSWERING)
  );
}

/**
 * Getting a connection from the driver's pool (or opening one) took longer than its acquisition
 * timeout: no transaction began, nothing was sent. The driver's own retries leave it alone (it is
 * no transient server error); it comes from a server that does not answer, or from a process that
 * kept its event loop busy for that long, so that the connection's handshake could not go on.
 */
export function isAcquisitionTimeout(error: unknown): boolean {
  const cause = error instanceof GraphError ? error.cause : error;
  return cause instanceof Error && cause.message.startsWith('Connection acquisition timed out');
}

/**
 * A connection acquisition that timed out while this process was free to read the server's answer
 * (GraphExecutor tells the two apart by its event loop): the server accepted the TCP connection,
 * or holds pooled ones, and did not answer the Bolt handshake or give a connection back in time.
 * Not retryable: a hung or overloaded server would only make the caller wait as long again.
 */
export function serverNotAnswering(error: unknown, context: ErrorContext, timeoutMs: number): GraphError {
  const seconds = timeoutMs >= 1_000 ? `${Math.round(timeoutMs / 100) / 10} s` : `${timeoutMs} ms`;
  return new GraphError(
    `${context.action}: Neo4j at ${context.uri} (database "${context.database}") did not answer within ${seconds}: ` +
      'it accepts connections but does not answer on them (the Bolt handshake), so it is hung or overloaded. ' +
      'Check the server (reachgraph db status, its logs) or NEO4J_URI',
    SERVER_NOT_ANSWERING,
    false,
    { cause: error },
  );
}

export interface ErrorContext {
  uri: string;
  database: string;
  /** What the caller was doing, e.g. "loading AwsRole nodes (batch 3/10)". */
  action: string;
}

export function mapDriverError(error: unknown, context: ErrorContext): GraphError {
  if (error instanceof GraphError) return error;
  const code = error instanceof Neo4jError ? error.code : undefined;
  const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
  const retryable = error instanceof Neo4jError && Neo4jError.isRetryable(error);
  const at = `Neo4j at ${context.uri} (database "${context.database}")`;
  let message: string;
  switch (code) {
    case 'ServiceUnavailable':
    case 'SessionExpired':
      message = `${context.action}: ${at} is unreachable: ${detail}. Is the server running? (reachgraph db status)`;
      break;
    case 'Neo.ClientError.Security.Unauthorized':
    case 'Neo.ClientError.Security.AuthenticationRateLimit':
      message = `${context.action}: ${at} rejected the credentials: check NEO4J_USER and NEO4J_PASSWORD`;
      break;
    case 'Neo.ClientError.Database.DatabaseNotFound':
      message = `${context.action}: ${at}: the database does not exist; check NEO4J_DATABASE`;
      break;
    case 'Neo.ClientError.Transaction.TransactionTimedOut':
    case 'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration':
      message = `${context.action}: the query ran past its time limit on ${at}`;
      break;
    case 'Neo.ClientError.Schema.ConstraintValidationFailed':
      message = `${context.action}: a uniqueness constraint on ${at} rejected the write: ${detail}`;
      break;
    default:
      message = `${context.action}: ${at} failed${code ? ` (${code})` : ''}: ${detail}`;
  }
  return new GraphError(message, code, retryable, { cause: error });
}
