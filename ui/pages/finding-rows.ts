import { html, nothing } from 'lit';
import { links } from '../links.js';
import { day, enumLabel } from '../views.js';

/** A finding as the findings and changes pages read it. */
export interface FindingRow {
  fingerprint: string;
  severity: string;
  status: string;
  category: string;
  title: string;
  message: string;
  owner: string | null;
  firstSeen: string;
  conditional: boolean;
  rule: { id: string; title: string };
  subject: FindingNode;
  target: FindingNode | null;
}

interface FindingNode {
  id: string;
  kind: string;
  name: string;
  node: { __typename: string; nonHuman?: boolean; environment?: string } | null;
}

export const FINDING_FIELDS = `fingerprint severity status category title message owner firstSeen conditional
  rule { id title }
  subject { id kind name node { __typename ... on Identity { nonHuman } ... on Resource { environment } } }
  target { id kind name node { __typename ... on Identity { nonHuman } ... on Resource { environment } } }`;

/** A node a finding names: a link to its page while the graph still has it, else its name. */
function nodeLink(n: FindingNode | null) {
  if (!n) return nothing;
  if (n.node && 'nonHuman' in n.node) return html`<a href=${links.identity(n.id)}>${n.name}</a>`;
  if (n.node) return html`<a href=${links.resource(n.id)}>${n.name}</a>`;
  return html`<span title=${n.id}>${n.name}</span>`;
}

export function findingTable(rows: readonly FindingRow[], caption: string) {
  return html`<table class="findings">
    <caption class="visually-hidden">${caption}</caption>
    <thead>
      <tr>
        <th scope="col">Severity</th>
        <th scope="col">Finding</th>
        <th scope="col">Subject</th>
        <th scope="col">Target</th>
        <th scope="col">Owner</th>
        <th scope="col">First seen</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (f) => html`<tr>
          <td><span class="badge severity-${f.severity.toLowerCase()}">${enumLabel(f.severity)}</span></td>
          <td>
            <div>${f.title}${f.conditional ? html` <span class="badge">conditional</span>` : nothing}</div>
            <div class="muted">${f.message}</div>
            <div class="muted mono">${f.rule.id}</div>
          </td>
          <td class="name">${nodeLink(f.subject)}</td>
          <td class="name">
            ${nodeLink(f.target)}
            ${
              f.target && f.category === 'REACH' && f.subject.node && f.target.node
                ? html`<div><a href=${links.path(f.subject.id, f.target.id)} aria-label="Route from ${f.subject.name} to ${f.target.name}">route</a></div>`
                : nothing
            }
          </td>
          <td>${f.owner ?? html`<span class="muted">unowned</span>`}</td>
          <td>${day(f.firstSeen)}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}
