import { css, html, nothing } from 'lit';
import { customElement } from 'lit/decorators.js';
import { api } from '../api.js';
import type { GraphEdge, GraphNode } from '../components/path-graph.js';
import '../components/path-graph.js';
import { gql } from '../graphql.js';
import { links } from '../links.js';
import { Loader } from '../load.js';
import { Page } from '../page.js';
import { defineRoute } from '../router.js';
import { shared } from '../styles.js';
import { enumLabel, providerLabel, renderLoad } from '../views.js';

defineRoute({
  path: '/path',
  tag: 'rg-path-page',
  title: () => 'Route',
});

interface PathNode {
  id: string;
  name: string;
  kind: string;
  /** Present on identities only: how the page tells the two apart. */
  nonHuman?: boolean;
}

interface Evidence {
  source: string;
  ref: string;
  statement: string | null;
  reason: string;
  conditions: string[];
}

interface Hop {
  from: PathNode;
  to: PathNode;
  edge: {
    id: string;
    type: string;
    reason: string | null;
    conditional: boolean;
    conditions: string[];
    actions: string[];
    levels: string[];
    technique: string | null;
    requires: string[];
    evidence: Evidence[];
    kind: {
      meaning: string;
      attack: { id: string; name: string; url: string } | null;
      help: {
        general: string;
        abuse: string;
        remediation: string;
        references: { title: string; url: string }[];
      } | null;
    };
  };
}

interface PathAnswer {
  from: PathNode & { provider: string | null };
  to: PathNode & { provider: string | null; environment: string; sensitivity: string };
  length: number;
  levels: string[];
  conditional: boolean;
  hops: Hop[];
}

const NODE = 'id name kind ... on Identity { nonHuman }';

const PATH = gql<{ path: PathAnswer | null }, { from: string; to: string }>(`
query ExplorerPath($from: ID!, $to: ID!) {
  path(from: $from, to: $to) {
    from { id name kind provider nonHuman }
    to { id name kind provider environment sensitivity }
    length levels conditional
    hops {
      from { ${NODE} }
      to { ${NODE} }
      edge {
        id type reason conditional conditions actions levels technique requires
        evidence { source ref statement reason conditions }
        kind {
          meaning
          attack { id name url }
          help { general abuse remediation references { title url } }
        }
      }
    }
  }
}`);

function nodeHref(node: PathNode): string {
  return node.nonHuman === undefined ? links.resource(node.id) : links.identity(node.id);
}

/** How many actions to list before "and N more". */
const SHOWN_ACTIONS = 12;

/**
 * One route from an identity to a resource, drawn left to right, then hop by hop: the edge's reason,
 * its evidence (the policy, binding or object and the statement that creates it), its conditions,
 * the ATT&CK technique, and the edge help (what it means, how it is abused, how to remove it).
 */
@customElement('rg-path-page')
export class PathPage extends Page {
  static override styles = [
    shared,
    css`
      ol.hops {
        padding-left: 1.25rem;
      }
      ol.hops > li {
        margin: 0 0 1.25rem;
        padding-left: 0.25rem;
      }
      .hop-title {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .edge-type {
        font-family: var(--rg-mono);
        font-size: 0.9em;
        padding: 0 0.35rem;
        border: 1px solid var(--rg-border);
        border-radius: 4px;
      }
      dl.hop {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.2rem 1rem;
        margin: 0.4rem 0;
      }
      dl.hop dt {
        font-weight: 600;
        color: var(--rg-muted);
      }
      dl.hop dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      ul.evidence {
        margin: 0;
        padding-left: 1.1rem;
      }
      details {
        margin-top: 0.4rem;
      }
      summary {
        cursor: pointer;
        color: var(--rg-link);
      }
      .help p {
        margin: 0.3rem 0;
      }
      rg-path-graph {
        margin: 0.5rem 0 1.25rem;
      }
    `,
  ];

  private get from(): string {
    return this.query.get('from') ?? '';
  }

  private get to(): string {
    return this.query.get('to') ?? '';
  }

  private readonly path = new Loader(
    this,
    () => `${this.from}|${this.to}`,
    async (signal) => {
      if (!this.from || !this.to) return null;
      return (await api.request(PATH, { from: this.from, to: this.to }, { signal })).path;
    },
  );

  override render() {
    if (!this.from || !this.to)
      return html`<h1>Route</h1>
        <p>
          A route needs an identity and a resource: open one from an identity's blast radius
          (<a href=${links.search()}>search</a> for it).
        </p>`;
    return renderLoad(
      this.path.state,
      (path) => (path ? this.renderPath(path) : this.renderNone()),
      'Finding the route',
    );
  }

  private renderNone() {
    return html`<h1>No route</h1>
      <p>
        <a href=${links.identity(this.from)} class="mono">${this.from}</a> cannot reach
        <a href=${links.resource(this.to)} class="mono">${this.to}</a> within the hop limit.
      </p>`;
  }

  private renderPath(path: PathAnswer) {
    const nodes: GraphNode[] = [];
    const seen = new Set<string>();
    const add = (node: PathNode) => {
      if (seen.has(node.id)) return;
      seen.add(node.id);
      nodes.push({
        id: node.id,
        label: node.name,
        kind: node.kind,
        role: node.nonHuman === undefined ? 'resource' : 'identity',
        href: nodeHref(node),
      });
    };
    const edges: GraphEdge[] = path.hops.map((hop) => {
      add(hop.from);
      add(hop.to);
      return {
        id: hop.edge.id,
        source: hop.from.id,
        target: hop.to.id,
        label: hop.edge.type,
        conditional: hop.edge.conditional,
      };
    });
    const names = [path.hops[0]?.from.name ?? path.from.name, ...path.hops.map((h) => h.to.name)];
    const hopCount = path.length - 1;
    return html`
      <h1>
        <a href=${links.identity(path.from.id)}>${path.from.name}</a> →
        <a href=${links.resource(path.to.id)}>${path.to.name}</a>
      </h1>
      <p>
        ${path.from.name} reaches ${path.to.name} (${path.to.kind}, ${providerLabel(path.to.provider)},
        ${enumLabel(path.to.environment)}) with <strong>${path.levels.map(enumLabel).join(', ')}</strong> access
        through ${hopCount === 0 ? 'its own permissions' : `${hopCount} hop${hopCount === 1 ? '' : 's'}`}${
          path.conditional
            ? html`, <strong>only under conditions</strong> that could not be decided offline`
            : ''
        }.
      </p>
      <rg-path-graph
        .nodes=${nodes}
        .edges=${edges}
        label=${`Route: ${names.join(' → ')}`}
      ></rg-path-graph>
      <h2 id="hops">Hop by hop</h2>
      <ol class="hops" aria-labelledby="hops">
        ${path.hops.map((hop) => this.renderHop(hop))}
      </ol>
    `;
  }

  private renderHop(hop: Hop) {
    const { edge } = hop;
    const attack = edge.kind.attack;
    const actions = edge.actions.slice(0, SHOWN_ACTIONS);
    return html`<li class="hop">
      <div class="hop-title">
        <a href=${nodeHref(hop.from)}>${hop.from.name}</a>
        <span class="edge-type">${edge.type}</span>
        <a href=${nodeHref(hop.to)}>${hop.to.name}</a>
      </div>
      <dl class="hop">
        <dt>Means</dt>
        <dd>${edge.kind.meaning}</dd>
        ${edge.reason ? html`<dt>Why</dt><dd>${edge.reason}</dd>` : nothing}
        ${
          edge.levels.length
            ? html`<dt>Access</dt><dd>${edge.levels.map(enumLabel).join(', ')}</dd>`
            : nothing
        }
        ${
          actions.length
            ? html`<dt>Actions</dt>
                <dd class="mono">
                  ${actions.join(', ')}${edge.actions.length > actions.length ? ` and ${edge.actions.length - actions.length} more` : ''}
                </dd>`
            : nothing
        }
        <dt>Conditions</dt>
        <dd>
          ${
            edge.conditional
              ? html`<strong>Holds only if</strong> these cannot stop it: <span class="mono">${edge.conditions.join(', ')}</span>`
              : 'none: holds unconditionally'
          }
        </dd>
        ${edge.technique ? html`<dt>Technique</dt><dd class="mono">${edge.technique}</dd>` : nothing}
        ${
          attack
            ? html`<dt>ATT&CK</dt>
                <dd><a href=${attack.url} rel="noreferrer" target="_blank">${attack.id} ${attack.name}</a></dd>`
            : nothing
        }
        ${edge.requires.length ? html`<dt>Also needs</dt><dd>${edge.requires.join('; ')}</dd>` : nothing}
        <dt>Evidence</dt>
        <dd>
          <ul class="evidence">
            ${edge.evidence.map(
              (e) => html`<li>
                <span class="mono">${e.ref}${e.statement ? ` ${e.statement}` : ''}</span>
                <span class="muted">(${e.source})</span>: ${e.reason}${
                  e.conditions.length
                    ? html` <span class="muted">under ${e.conditions.join(', ')}</span>`
                    : nothing
                }
              </li>`,
            )}
          </ul>
        </dd>
      </dl>
      ${
        edge.kind.help
          ? html`<details class="help">
              <summary>About ${edge.type}: how it is abused, how to remove it</summary>
              <p>${edge.kind.help.general}</p>
              <p><strong>Abuse.</strong> ${edge.kind.help.abuse}</p>
              <p><strong>Removal.</strong> ${edge.kind.help.remediation}</p>
              ${
                edge.kind.help.references.length
                  ? html`<ul>
                      ${edge.kind.help.references.map(
                        (r) =>
                          html`<li><a href=${r.url} rel="noreferrer" target="_blank">${r.title}</a></li>`,
                      )}
                    </ul>`
                  : nothing
              }
            </details>`
          : nothing
      }
    </li>`;
  }
}
