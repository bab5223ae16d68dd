import { createHmac, timingSafeEqual } from 'node:crypto';
import { MIN_WEBHOOK_SECRET_LENGTH, type WebhookSink } from './config.js';
import { type FetchLike, postJson } from './http.js';
import type { AlertPayload } from './message.js';
import { DeliveryError } from './retry.js';

/**
 * Generic JSON webhook. The body is the AlertPayload as JSON; it is signed with HMAC-SHA256 over
 * the string `${timestamp}.${body}` (timestamp = the X-Reachgraph-Timestamp header, Unix seconds;
 * body = the exact bytes sent), so a receiver can reject both tampered bodies and replays of old
 * deliveries. docs/alerts.md shows how a receiver verifies it.
 */

export const SIGNATURE_HEADER = 'x-reachgraph-signature';
export const TIMESTAMP_HEADER = 'x-reachgraph-timestamp';
export const EVENT_HEADER = 'x-reachgraph-event';
export const DELIVERY_HEADER = 'x-reachgraph-delivery';

/** The string that is signed: `${timestamp}.${body}`. */
export function signedContent(timestamp: string, body: string | Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`${timestamp}.`, 'utf8'),
    Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
  ]);
}

/** `sha256=<hex HMAC-SHA256 of "${timestamp}.${body}">`. */
export function signWebhook(secret: string, timestamp: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(signedContent(timestamp, body)).digest('hex')}`;
}

/**
 * Receiver-side check (used by the tests, and usable by TypeScript receivers): constant-time
 * comparison, and the timestamp must lie within `toleranceSeconds` of `now`.
 */
export function verifyWebhookSignature(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: string | Buffer,
  options: { now?: Date; toleranceSeconds?: number } = {},
): boolean {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp || !/^\d+$/.test(timestamp)) return false;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body), 'utf8');
  const actual = Buffer.from(signature, 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** The key: the literal `secret`, or the environment variable `secretEnv` read now. */
export function webhookSecret(sink: WebhookSink, env: NodeJS.ProcessEnv): string {
  if (sink.secret !== undefined) return sink.secret;
  const value = sink.secretEnv ? env[sink.secretEnv] : undefined;
  if (!value) {
    throw new DeliveryError(
      `webhook sink "${sink.name}": environment variable ${sink.secretEnv} is not set, so the delivery cannot be signed`,
      false,
    );
  }
  if (value.length < MIN_WEBHOOK_SECRET_LENGTH)
    throw new DeliveryError(
      `webhook sink "${sink.name}": environment variable ${sink.secretEnv} holds a key of ${value.length} characters; use at least ${MIN_WEBHOOK_SECRET_LENGTH}, so the signature cannot be forged by guessing the key`,
      false,
    );
  return value;
}

export interface WebhookDelivery {
  /** Stable across retries, so receivers can drop duplicates. */
  deliveryId: string;
  now: Date;
  env: NodeJS.ProcessEnv;
  fetch?: FetchLike;
}

export async function sendWebhook(
  sink: WebhookSink,
  payload: AlertPayload,
  delivery: WebhookDelivery,
): Promise<void> {
  const secret = webhookSecret(sink, delivery.env);
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(delivery.now.getTime() / 1000));
  // Configured headers first: the signature headers always win.
  const headers: Record<string, string> = {
    ...lowercaseKeys(sink.headers ?? {}),
    'user-agent': 'reachgraph',
    [EVENT_HEADER]: payload.event,
    [DELIVERY_HEADER]: delivery.deliveryId,
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
  };
  await postJson(`webhook sink "${sink.name}"`, sink.url, body, headers, delivery.fetch);
}

function lowercaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
}
