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
