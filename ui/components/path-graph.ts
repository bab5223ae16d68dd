import type cytoscape from 'cytoscape';
import { css, html, LitElement, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { navigate } from '../router.js';

/**
 * Cytoscape.js and dagre are most of the explorer's weight (about 150 KB of 170 KB gzipped): they
 * load, as a chunk of their own, when the first graph is drawn, so the search page starts small.
 */
let renderer: Promise<typeof cytoscape> | undefined;
function loadRenderer(): Promise<typeof cytoscape> {
  renderer ??= Promise.all([import('cytoscape'), import('cytoscape-dagre')]).then(
    ([{ default: cytoscape }, { default: dagre }]) => {
      cytoscape.use(dagre);
      return cytoscape;
    },
  );
  return renderer;
}

/**
 * Cytoscape puts a one-rule <style> into the document's head unless an element with this id is
 * there; a page under `default-src 'self'` refuses inline styles, so a placeholder stands in for it
 * and the container's own stylesheet (below) gives the `position: relative` the rule would.
 */
const CYTOSCAPE_STYLESHEET_ID = '__________cytoscape_stylesheet';

export interface GraphNode {
  id: string;
  /** The node's name. */
  label: string;
  /** Its kind (AwsRole …), shown under the name. */
  kind: string;
  /** Identities, resources and what lies between are drawn apart. */
  role: 'identity' | 'resource';
  /** Its page: a click on the node goes there. */
  href?: string;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** The relationship type (CAN_ASSUME …). */
  label: string;
  /** Holds only under conditions that cannot be decided offline: drawn dashed. */
  conditional?: boolean;
}

/**
 * A small graph drawn left to right in layers (Cytoscape.js with the dagre layout): one route, or a
 * few. The canvas is a picture for sighted readers, labelled as one; the page shows the same hops as
 * text next to it. It draws what it is given; pages keep that to a route, never a whole blast radius.
 */
@customElement('rg-path-graph')
export class PathGraph extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    .graph {
      position: relative;
      width: 100%;
      height: var(--rg-graph-height, 150px);
      border: 1px solid var(--rg-border);
      border-radius: 8px;
      background: var(--rg-bg);
    }
  `;

  @property({ attribute: false }) accessor nodes: GraphNode[] = [];
  @property({ attribute: false }) accessor edges: GraphEdge[] = [];
  /** What the picture shows, for readers who cannot see it. */
  @property() accessor label = '';
  @query('.graph') accessor container!: HTMLDivElement;

  private cy: cytoscape.Core | undefined;
  private readonly resize = new ResizeObserver(() => this.fit());
  private readonly themeChange = matchMedia('(prefers-color-scheme: dark)');

  override connectedCallback(): void {
    super.connectedCallback();
    this.themeChange.addEventListener('change', this.restyle);
  }

  override disconnectedCallback(): void {
    this.themeChange.removeEventListener('change', this.restyle);
    this.resize.disconnect();
    this.cy?.destroy();
    this.cy = undefined;
    super.disconnectedCallback();
  }

  protected override render() {
    return html`<div class="graph" role="img" aria-label=${this.label}></div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('nodes') || changed.has('edges')) void this.draw();
  }

  private readonly restyle = (): void => {
    this.cy?.style(this.stylesheet());
  };

  private color(name: string): string {
    return getComputedStyle(this).getPropertyValue(name).trim() || '#888';
  }

  private stylesheet(): cytoscape.StylesheetJson {
    const fg = this.color('--rg-fg');
    const bg = this.color('--rg-bg');
    return [
      {
        selector: 'node',
        style: {
          shape: 'round-rectangle',
          width: 180,
          height: 54,
          label: 'data(text)',
          'text-wrap': 'wrap',
          'text-max-width': '168px',
          'text-valign': 'center',
          'text-halign': 'center',
          'font-family': this.color('--rg-font'),
          'font-size': 12,
          color: fg,
          'background-color': this.color('--rg-node'),
          'border-width': 2,
          'border-color': this.color('--rg-node-border'),
        },
      },
      {
        selector: 'node[role = "resource"]',
        style: {
          'background-color': this.color('--rg-node-resource'),
          'border-color': this.color('--rg-node-resource-border'),
        },
      },
      { selector: 'node[href]', style: { cursor: 'pointer' } } as unknown as cytoscape.StylesheetJsonBlock,
      {
        selector: 'edge',
        style: {
          width: 2,
          'curve-style': 'bezier',
          'target-arrow-shape': 'triangle',
          'line-color': this.color('--rg-muted'),
          'target-arrow-color': this.color('--rg-muted'),
          label: 'data(label)',
          'font-family': this.color('--rg-mono'),
          'font-size': 10,
          color: fg,
          'text-background-color': bg,
          'text-background-opacity': 1,
          'text-background-padding': '2px',
        },
      },
      { selector: 'edge[?conditional]', style: { 'line-style': 'dashed' } },
    ];
  }

  private async draw(): Promise<void> {
    const cytoscape = await loadRenderer();
    if (!this.isConnected) return;
    this.cy?.destroy();
    if (!document.getElementById(CYTOSCAPE_STYLESHEET_ID)) {
      const placeholder = document.createElement('meta');
      placeholder.id = CYTOSCAPE_STYLESHEET_ID;
      document.head.append(placeholder);
    }
    this.cy = cytoscape({
      container: this.container,
      elements: [
        ...this.nodes.map((n) => ({
          data: {
            id: n.id,
            text: `${n.label}\n${n.kind}`,
            role: n.role,
            ...(n.href ? { href: n.href } : {}),
          },
        })),
        ...this.edges.map((e) => ({
          data: {
            id: e.id,
            source: e.source,
            target: e.target,
            label: e.label,
            conditional: !!e.conditional,
          },
        })),
      ],
      style: this.stylesheet(),
      layout: {
        name: 'dagre',
        rankDir: 'LR',
        nodeSep: 30,
        rankSep: 90,
        padding: 16,
      } as cytoscape.LayoutOptions,
      userZoomingEnabled: false,
      userPanningEnabled: false,
      boxSelectionEnabled: false,
      autoungrabify: true,
      autounselectify: true,
    });
    this.cy.on('tap', 'node[href]', (event) => navigate(String(event.target.data('href'))));
    this.resize.disconnect();
    this.resize.observe(this.container);
    this.dataset.drawn = 'true';
  }

  private fit(): void {
    if (!this.cy) return;
    this.cy.resize();
    this.cy.fit(undefined, 16);
    // Never larger than life: a two-node route stays at its natural size.
    if (this.cy.zoom() > 1) {
      this.cy.zoom(1);
      this.cy.center();
    }
  }
}
