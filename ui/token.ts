/**
 * The API token the explorer sends, kept in sessionStorage: it lasts as long as the tab and is never
 * written to disk by the explorer. A server in demo mode (loopback only) asks for none.
 */
const KEY = 'reachgraph.token';

export function readToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null; // storage disabled (a sandboxed frame): the token lives in memory only
  }
}

let memory: string | null = null;

export function saveToken(token: string): void {
  memory = token;
  try {
    sessionStorage.setItem(KEY, token);
  } catch {
    // storage disabled: keep it in memory
  }
}

export function clearToken(): void {
  memory = null;
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // storage disabled
  }
}

/** The token to send: the stored one, else one given in this page's life. */
export function currentToken(): string | null {
  return readToken() ?? memory;
}
