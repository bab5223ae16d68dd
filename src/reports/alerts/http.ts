import { DeliveryError } from './retry.js';

export type FetchLike = typeof fetch;

export const HTTP_TIMEOUT_MS = 10_000;

/** HTTP statuses worth another try: request timeout, rate limit, server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * POSTs a JSON body; resolves on 2xx, else throws a DeliveryError. Error messages name the sink,
 * never the URL (a Slack webhook URL is itself a credential). Redirects are not followed: a signed
 * delivery goes only where it was configured to go.
 */
export async function postJson(
  label: string,
  url: string,
  body: string,
  headers: Record<string, string>,
  fetchImpl: FetchLike = fetch,
  timeoutMs: number = HTTP_TIMEOUT_MS,
): Promise<void> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new DeliveryError(`${label}: request failed (${networkReason(error, timeoutMs)})`, true);
  }
  const text = await response.text().catch(() => '');
  if (response.status >= 200 && response.status < 300) return;
  const detail = text.trim().slice(0, 200);
  throw new DeliveryError(
    `${label}: HTTP ${response.status}${detail ? ` ${JSON.stringify(detail)}` : ''}`,
    isRetryableStatus(response.status),
  );
}

function networkReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  // undici reports "fetch failed" with the socket error as the cause (ECONNREFUSED, ENOTFOUND…).
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
