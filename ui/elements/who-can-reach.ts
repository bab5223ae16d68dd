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
  whoCanReach: {
    edges: { node: { from: ReachNode; levels: string[]; length: number; conditional: boolean } }[];
    pageInfo: { hasNextPage: boolean };
  };
}

const WHO_CAN_REACH = gql<
  Data,
  { resource: string; first: number }
>(`query ReachgraphWhoCanReach($resource: ID!, $first: Int) {
  node(id: $resource) { id name kind }
  whoCanReach(resource: $resource, first: $first) {
    edges { node { from { id name kind provider nonHuman } levels length conditional } }
    pageInfo { hasNextPage }
  }
}`);

/**
 * `<reachgraph-who-can-reach resource="arn:aws:s3:::bucket">`: every identity that can reach one
 * resource (docs/portals.md), non-human ones first, with the access levels and the hops.
 */
@customElement('reachgraph-who-can-reach')
export class WhoCanReach extends ReachTable {
  @property() accessor resource = '';
  protected subject(): string {
    return this.resource;
  }

  protected subjectChanged(changed: PropertyValues<this>): boolean {
    return changed.has('resource');
  }

  protected heading(): string {
    return `Who can reach ${this.subjectName() || this.resource || 'the resource'}`;
  }

  protected columns(): string[] {
    return ['Identity', 'Type', 'Access', 'Route'];
  }

  protected cells(row: ReachRow): unknown[] {
    return [
      nameCell(row.node),
      row.node.nonHuman ? 'non-human' : 'human',
      levelText(row.levels),
      hopsText(row),
    ];
  }

  protected explorerPath(): string {
    return `/resource/${encodeURIComponent(this.resource)}`;
  }

  protected async ask(client: GraphQLClient, signal: AbortSignal): Promise<ReachPage> {
    const data = await client.request(
      WHO_CAN_REACH,
      { resource: this.resource, first: this.first },
      { signal },
    );
    const rows = data.whoCanReach.edges.map(({ node }) => ({
      node: node.from,
      levels: node.levels,
      hops: node.length - 1,
      conditional: node.conditional,
    }));
    // Non-human identities first (the page keeps the API's order within each group).
    rows.sort((a, b) => Number(b.node.nonHuman === true) - Number(a.node.nonHuman === true));
    return { subject: data.node?.name ?? null, hasNextPage: data.whoCanReach.pageInfo.hasNextPage, rows };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'reachgraph-who-can-reach': WhoCanReach;
  }
}
