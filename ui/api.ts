import { GraphQLClient } from './graphql.js';
import { currentToken } from './token.js';

/** Fired on window when the API refuses the token: the app shell asks for one. */
export const UNAUTHENTICATED_EVENT = 'rg-unauthenticated';

/** The explorer's client: /graphql on its own origin, with the token of this tab. */
export const api = new GraphQLClient({
  endpoint: '/graphql',
  token: currentToken,
  onUnauthenticated: (error) =>
    window.dispatchEvent(new CustomEvent(UNAUTHENTICATED_EVENT, { detail: error })),
});
