/**
 * Who may show the explorer in a frame: the CSP `frame-ancestors` directive of every /ui response,
 * from `api.frameAncestors` (origins checked by the config schema). Empty, the default: `'none'`,
 * no page may frame it (clickjacking). Listed origins may, and only they
 * (https://www.w3.org/TR/CSP3/#directive-frame-ancestors: every ancestor frame must match).
 *
 * X-Frame-Options is sent only as `DENY` with an empty list, for browsers without CSP level 2: it
 * cannot name several origins (`ALLOW-FROM` is obsolete and ignored), and where a CSP carries
 * `frame-ancestors` browsers ignore it anyway
 * (https://html.spec.whatwg.org/multipage/document-lifecycle.html#the-x-frame-options-header), so
 * with an allow-list it is left out rather than contradict the CSP.
 */
export interface FrameHeaders {
  /** The directive for the Content-Security-Policy header, e.g. `frame-ancestors 'none'`. */
  directive: string;
  /** The X-Frame-Options value, or null to send none. */
  xFrameOptions: 'DENY' | null;
}

export function frameHeaders(origins: readonly string[]): FrameHeaders {
  const listed = [...new Set(origins)];
  return listed.length === 0
    ? { directive: "frame-ancestors 'none'", xFrameOptions: 'DENY' }
    : { directive: `frame-ancestors ${listed.join(' ')}`, xFrameOptions: null };
}
