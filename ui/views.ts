import { html, nothing, type TemplateResult } from 'lit';
import { UnauthenticatedError } from './graphql.js';
import type { LoadState } from './load.js';

/** A request's state as a status line, an alert, or what `ready` draws from its value. */
export function renderLoad<T>(state: LoadState<T>, ready: (value: T) => unknown, what = 'Loading'): unknown {
  if (state.status === 'loading') return html`<p class="status" role="status">${what}…</p>`;
  if (state.status === 'error') return failure(state.error);
  return ready(state.value);
}

export function failure(error: Error): TemplateResult {
  const message =
    error instanceof UnauthenticatedError ? 'The API needs a token to answer this page.' : error.message;
  return html`<p class="error" role="alert">${message}</p>`;
}

/** An enum value as a reader writes it: PRODUCTION → production, CI_PIPELINE → CI pipeline. */
export function enumLabel(value: string | null | undefined): string {
  if (!value) return '';
  const words = value.toLowerCase().replace(/_/g, ' ');
  return words
    .replace(/\bci\b/, 'CI')
    .replace(/\bapi\b/, 'API')
    .replace(/\boidc\b/, 'OIDC');
}

/** Providers by their own names. */
export function providerLabel(value: string | null | undefined): string {
  const names: Record<string, string> = {
    AWS: 'AWS',
    GCP: 'GCP',
    KUBERNETES: 'Kubernetes',
    OIDC: 'OIDC',
    CUSTOM: 'custom',
    EXTERNAL: 'external',
  };
  return value ? (names[value] ?? value) : '';
}

/** A date (ISO-8601) as its day, or nothing. */
export function day(value: string | null | undefined): unknown {
  if (!value) return nothing;
  return html`<time datetime=${value}>${value.slice(0, 10)}</time>`;
}

/** An identity's kind with its non-human type: `AwsRole (CI pipeline)`. */
export function kindWithType(identity: { kind: string; nhiType?: string | null }): unknown {
  return html`${identity.kind}${identity.nhiType ? html` <span class="muted">(${enumLabel(identity.nhiType)})</span>` : nothing}`;
}

/** An identity's owner; a non-human identity without one reads "unowned", a person nothing. */
export function ownerText(identity: { owner: string | null; nonHuman: boolean }): unknown {
  return identity.owner ?? (identity.nonHuman ? html`<span class="muted">unowned</span>` : '');
}
