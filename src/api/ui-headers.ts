import { frameHeaders } from './frame-ancestors.js';

/**
 * The response headers of everything under /ui (the explorer's page and its assets), in one place.
 *
 * - Content-Security-Policy `default-src 'self'`: the page loads scripts, styles, images and data
 *   (GraphQL) from the server itself and nothing else, so a name in the graph that slipped past
 *   escaping could still run no script and send nothing elsewhere; `object-src 'none'`,
 *   `base-uri 'none'` and `form-action 'self'` close what default-src leaves open
 *   (https://www.w3.org/TR/CSP3/#directive-default-src, https://developer.mozilla.org/docs/Web/HTTP/Headers/Content-Security-Policy).
 * - `frame-ancestors 'none'`: no other site may frame the explorer (clickjacking); it is not covered by
 *   default-src (https://www.w3.org/TR/CSP3/#directive-frame-ancestors). X-Frame-Options DENY says the
 *   same to browsers without CSP level 2. The origins in `api.frameAncestors` (portals) may frame it
 *   and only they; then no X-Frame-Options is sent (frame-ancestors.ts).
 * - `X-Content-Type-Options: nosniff`: a browser runs a file as script or style only with that content
 *   type (https://fetch.spec.whatwg.org/#x-content-type-options-header).
 * - `Referrer-Policy: no-referrer`: an explorer URL names identities and resources; links out
 *   (ATT&CK, provider documentation) do not carry it.
 */
export interface UiHeaderOptions {
  /** The response's Content-Type. */
  contentType: string;
  /** Cache-Control: `no-cache` (revalidate by ETag) unless given. */
  cacheControl?: string;
  /** The file's ETag, when it has one. */
  etag?: string;
  /** Origins allowed to frame the explorer (`api.frameAncestors`); none by default. */
  frameAncestors?: readonly string[];
}

export const UI_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function uiHeaders(options: UiHeaderOptions): Headers {
  const frame = frameHeaders(options.frameAncestors ?? []);
  const headers = new Headers({
    'content-type': options.contentType,
    'cache-control': options.cacheControl ?? 'no-cache',
    'content-security-policy': UI_CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", frame.directive),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  if (frame.xFrameOptions) headers.set('x-frame-options', frame.xFrameOptions);
  if (options.etag) headers.set('etag', options.etag);
  return headers;
}
