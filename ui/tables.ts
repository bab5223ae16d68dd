import { html } from 'lit';
import type { IdentityRow, ResourceRow } from './data.js';
import { links } from './links.js';
import { enumLabel, kindWithType, ownerText, providerLabel } from './views.js';

/** Identities as a table, each name linking to its page; the caption is for screen readers. */
export function identityTable(rows: IdentityRow[], caption: string) {
  return html`<table class="identities">
    <caption class="visually-hidden">${caption}</caption>
    <thead>
      <tr>
        <th scope="col">Name</th>
        <th scope="col">Type</th>
        <th scope="col">Provider</th>
        <th scope="col">Environment</th>
        <th scope="col">Owner</th>
        <th scope="col">Scope</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (row) => html`<tr>
          <td class="name"><a href=${links.identity(row.id)}>${row.name}</a></td>
          <td>${kindWithType(row)}</td>
          <td>${providerLabel(row.provider)}</td>
          <td>${enumLabel(row.environment)}</td>
          <td>${ownerText(row)}</td>
          <td class="mono">${row.scope ?? ''}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

/** Resources as a table, each name linking to its page. */
export function resourceTable(rows: ResourceRow[], caption: string) {
  return html`<table class="resources">
    <caption class="visually-hidden">${caption}</caption>
    <thead>
      <tr>
        <th scope="col">Name</th>
        <th scope="col">Type</th>
        <th scope="col">Provider</th>
        <th scope="col">Environment</th>
        <th scope="col">Sensitivity</th>
        <th scope="col">Scope</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (row) => html`<tr>
          <td class="name"><a href=${links.resource(row.id)}>${row.name}</a></td>
          <td>${row.kind}</td>
          <td>${providerLabel(row.provider)}</td>
          <td>${enumLabel(row.environment)}</td>
          <td>${enumLabel(row.sensitivity)}</td>
          <td class="mono">${row.scope ?? ''}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}
