import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP proxy in front of moto, for what moto does not do by itself: the latency of the
 * real API (a delay before each call is forwarded) and throttling (a canned error answer instead
 * of forwarding). Every SDK client and the AWS CLI take it as their endpoint.
 */

/** One AWS call as the proxy sees it: the operation is read from the protocol's own place. */
export interface ProxiedCall {
  method: string;
  /** Path and query string, e.g. `/my-bucket?policy`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** `Action=` of query-protocol calls (IAM, STS, SNS), `X-Amz-Target` of JSON ones, else undefined. */
  action: string | undefined;
}

/** An answer the proxy gives instead of forwarding. */
export interface CannedAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface AwsProxyOptions {
  /** moto's endpoint. */
  target: string;
  /** Milliseconds to wait before forwarding each call (emulated API latency). */
  delayMs?: (call: ProxiedCall) => number;
  /** An error answer for a call, or undefined to forward it. */
  fault?: (call: ProxiedCall) => CannedAnswer | undefined;
}

export interface AwsProxy {
  endpoint: string;
  /** Calls forwarded to moto, and calls answered with a canned error. */
  readonly counts: { forwarded: number; faulted: number };
  stop(): Promise<void>;
}

function actionOf(headers: IncomingHttpHeaders, body: string): string | undefined {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.lastIndexOf('.') + 1);
  const type = headers['content-type'] ?? '';
  if (type.includes('x-www-form-urlencoded')) return new URLSearchParams(body).get('Action') ?? undefined;
  return undefined;
}

export async function startAwsProxy(options: AwsProxyOptions): Promise<AwsProxy> {
  const target = new URL(options.target);
  const counts = { forwarded: 0, faulted: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = raw.toString('utf8');
      const call: ProxiedCall = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body,
        action: actionOf(req.headers, body),
      };
      const answer = () => {
        const canned = options.fault?.(call);
        if (canned) {
          counts.faulted++;
          res.writeHead(canned.status, canned.headers).end(canned.body);
          return;
        }
        counts.forwarded++;
        const upstream = httpRequest(
          {
            host: target.hostname,
            port: target.port,
            method: call.method,
            path: call.url,
            headers: req.headers,
          },
          (response) => {
            res.writeHead(response.statusCode ?? 502, response.headers);
            response.pipe(res);
          },
        );
        upstream.on('error', (error) => res.writeHead(502).end(String(error)));
        upstream.end(raw);
      };
      const delay = options.delayMs?.(call) ?? 0;
      if (delay > 0) setTimeout(answer, delay);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Throttling answers in each protocol's own form, as the SDK's retry strategy classifies them
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html): S3's 503
 * `SlowDown` (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html), the query
 * protocol's `Throttling` (IAM, https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html)
 * and the JSON protocols' 429 `TooManyRequestsException`.
 */
export const THROTTLED = {
  s3: (): CannedAnswer => ({
    status: 503,
    headers: { 'content-type': 'application/xml' },
    body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>R</RequestId></Error>',
  }),
  query: (): CannedAnswer => ({
    status: 400,
    headers: { 'content-type': 'text/xml' },
    body: '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>R</RequestId></ErrorResponse>',
  }),
  json: (): CannedAnswer => ({
    status: 429,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'TooManyRequestsException' },
    body: '{"__type":"TooManyRequestsException","message":"Rate exceeded"}',
  }),
};
