import { GraphQLError } from './graphql.js';

/**
 * An error the caller can act on (bad argument, limit exceeded, unknown id, query timeout). Yoga
 * passes GraphQLErrors through unmasked; any other error becomes "Unexpected error." so driver
 * messages (server addresses, internals) never reach a client.
 */
export class ApiError extends GraphQLError {
  constructor(message: string, code = 'BAD_REQUEST') {
    super(message, { extensions: { code } });
    this.name = 'ApiError';
  }
}

/**
 * Runs an answers-layer check or question whose bad-input errors are worded for the CLI
 * (`--cluster: no cluster named …`), and gives them to the caller as ApiErrors without the dashes.
 */
export function badRequestFrom<T>(ask: () => T): T {
  try {
    return ask();
  } catch (error) {
    throw new ApiError((error as Error).message.replace(/^--/, ''));
  }
}
