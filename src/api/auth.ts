import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { ApiToken } from '../config/api.js';

/**
 * Bearer tokens: the server only knows their SHA-256, so a leaked configuration file grants
 * nothing. Tokens are 256 random bits, which makes an unsalted fast hash safe here (there is no
 * dictionary to try against it).
 */
export const TOKEN_PREFIX = 'rg_';

export function newToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The name of the configured token the `Authorization: Bearer …` header carries, else null. */
export function authenticate(authorization: string | null, tokens: readonly ApiToken[]): string | null {
  return configuredToken(authorization, tokens)?.name ?? null;
}

/** The configured token (name, hash, scope) the `Authorization: Bearer …` header carries, else null. */
export function configuredToken(authorization: string | null, tokens: readonly ApiToken[]): ApiToken | null {
  const match = authorization?.match(/^Bearer\s+(\S+)\s*$/i);
  if (!match?.[1]) return null;
  const presented = Buffer.from(hashToken(match[1]), 'hex');
  let found: ApiToken | null = null;
  // Compare against every hash in constant time, so timing tells nothing about which one matched.
  for (const token of tokens) {
    const expected = Buffer.from(token.sha256, 'hex');
    if (expected.length === presented.length && timingSafeEqual(expected, presented)) found ??= token;
  }
  return found;
}

/**
 * The address to bind for a configured host: an IPv6 address may be written in brackets, as in a
 * URL (`[::1]`), and is bound without them; brackets around anything else are an error.
 */
export function bindAddress(host: string): string {
  const bracketed = /^\[(.*)\]$/.exec(host);
  const address = bracketed ? (bracketed[1] as string) : host;
  if ((bracketed && isIP(address) !== 6) || /[[\]]/.test(address))
    throw new Error(
      `host "${host}": brackets only enclose an IPv6 address ("[::1]"); give a host name, an IPv4 address or an IPv6 address`,
    );
  return address;
}

/** Loopback addresses only: 127.0.0.0/8, ::1, and the name localhost. */
export function isLoopback(host: string): boolean {
  const h = bindAddress(host).toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || h.startsWith('::ffff:127.');
  return false;
}

/**
 * Demo mode answers without a token, so it is only allowed where nobody else can connect; a server
 * that accepts no token at all is refused outside demo mode.
 */
export function checkAccessMode(options: { host: string; demo: boolean; tokens: readonly ApiToken[] }): void {
  if (options.demo && !isLoopback(options.host))
    throw new Error(
      `demo mode answers without a token, so it only binds to a loopback address (127.0.0.1, ::1, localhost); refusing to serve on ${options.host}. Drop --demo and configure tokens (reachgraph token create) to serve on other addresses.`,
    );
  if (!options.demo && options.tokens.length === 0)
    throw new Error(
      'no API tokens configured: create one with `reachgraph token create --name NAME` and add its hash to api.tokens (or REACHGRAPH_API_TOKENS), or run `reachgraph serve --demo` on loopback for a local demo',
    );
}
