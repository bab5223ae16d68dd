import type { PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { type GraphQLClient, gql } from '../graphql.js';
import {
  hopsText,
  levelText,
  nameCell,
  type ReachNode,
  type ReachPage,
  type ReachRow,
  ReachTable,
} from './reach-table.js';

interface Data {
  node: { id: string; name: string; kind: string } | null;
  reachableFrom: {
    edges: { node: { to: ReachNode; levels: string[]; length: number; conditional: boolean } }[];
    pageInfo: { hasNextPage: boolean };
  };
}

const BLAST_RADIUS = gql<
  Data,
  { identity: string; first: number }
>(`query ReachgraphBlastRadius($identity: ID!, $first: Int) {
  node(id: $identity) { id name kind }
  reachableFrom(identity: $identity, first: $first) {
    edges { node { to { id name kind provider environment sensitivity } levels length conditional } }
    pageInfo { hasNextPage }
  }
}`);

/**
 * `<reachgraph-blast-radius identity="arn:aws:iam::…:role/…">`: what one identity can reach, and
 * how (docs/portals.md): each resource with its environment, the access levels and the hops.
 */
@customElement('reachgraph-blast-radius')
export class BlastRadius extends ReachTable {
  @property() accessor identity = '';
  protected subject(): string {
    return this.identity;
  }

  protected subjectChanged(changed: PropertyValues<this>): boolean {
    return changed.has('identity');
  }

  protected heading(): string {
    return `What ${this.subjectName() || this.identity || 'the identity'} can reach`;
  }

  protected columns(): string[] {
    return ['Resource', 'Environment', 'Access', 'Route'];
  }

  protected cells(row: ReachRow): unknown[] {
    return [
      nameCell(row.node),
      (row.node.environment ?? 'unknown').toLowerCase(),
      levelText(row.levels),
      hopsText(row),
    ];
  }

  protected explorerPath(): string {
    return `/identity/${encodeURIComponent(this.identity)}`;
  }

  protected async ask(client: GraphQLClient, signal: AbortSignal): Promise<ReachPage> {
    const data = await client.request(
      BLAST_RADIUS,
      { identity: this.identity, first: this.first },
      { signal },
    );
    return {
      subject: data.node?.name ?? null,
      hasNextPage: data.reachableFrom.pageInfo.hasNextPage,
      rows: data.reachableFrom.edges.map(({ node }) => ({
        node: node.to,
        levels: node.levels,
        hops: node.length - 1,
        conditional: node.conditional,
      })),
    };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'reachgraph-blast-radius': BlastRadius;
  }
}
