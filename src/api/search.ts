import { ANY_NODE } from '../answers/filters.js';
import { searchQuery } from '../answers/search.js';
import { builder } from './builder.js';
import { EnvironmentEnum, ProviderEnum } from './enums.js';
import { ApiError } from './errors.js';
import type { NodeRow } from './graph.js';
import { NodeRef } from './node.js';
import { connectionComplexity, decodeCursor, pageSize, toPage } from './paging.js';
import { type NodeRecord, toNodeRecord } from './records.js';

/**
 * `search`: identities and resources by words of their name, id, provider, owner or tags, through
 * the full-text index (src/answers/search.ts writes the query), most relevant first. Relevance has
 * no keyset, so a cursor is the position in the answer; the index's order is stable while the
 * graph is not rewritten.
 */

const SearchCategoryEnum = builder.enumType('SearchCategory', {
  description: 'Identities (principals) or resources; a workload that is both is found under either.',
  values: { IDENTITY: { value: 'identity' }, RESOURCE: { value: 'resource' } },
});

export const SearchFilter = builder.inputType('SearchFilter', {
  description: 'Search hits matching every given field (a list field matches any of its values).',
  fields: (t) => ({
    category: t.field({ type: SearchCategoryEnum }),
    provider: t.field({ type: [ProviderEnum] }),
    kind: t.stringList({ description: 'Node kinds, e.g. ["AwsRole", "AwsS3Bucket"].' }),
    environment: t.field({ type: [EnvironmentEnum] }),
    nonHuman: t.boolean(),
    owner: t.stringList({ description: 'Owners (docs/owners.md), exactly.' }),
    tag: t.stringList({
      description:
        'Tags or labels: `key=value` exactly, or `key` for any value, e.g. ["team=payments", "env"].',
    }),
  }),
});

interface Hit extends NodeRecord {
  score: number;
}

const SearchHitRef = builder.objectRef<Hit>('SearchHit').implement({
  description: 'An identity or resource the search found, with its relevance.',
  fields: (t) => ({
    node: t.field({ type: NodeRef, resolve: (h) => h }),
    score: t.float({
      description: 'Lucene relevance: higher is closer; only the order means anything.',
      resolve: (h) => h.score,
    }),
  }),
});

const list = <T>(value: readonly T[] | null | undefined) => (value?.length ? [...value] : null);

builder.queryField('search', (t) =>
  t.connection(
    {
      type: SearchHitRef,
      description:
        'Identities and resources whose name, id (ARN, `gcp:sa:…`, `k8s:…`), provider, owner, tags or labels hold every word of `text` (a word typed whole, or the start of its pieces: `ci-dep` finds `ci-deploy`), most relevant first, an exact name first of all.',
      args: {
        text: t.arg.string({ required: true }),
        filter: t.arg({ type: SearchFilter }),
      },
      complexity: (args) => connectionComplexity(args),
      resolve: async (_root, args, { graph, limits }) => {
        const first = pageSize(args, limits.maxPageSize);
        const [position] = args.after ? decodeCursor(args.after, 1) : ['0'];
        const offset = Number(position);
        if (!Number.isSafeInteger(offset) || offset < 0)
          throw new ApiError(
            `invalid cursor "${args.after}": pass a cursor this API returned (pageInfo.endCursor)`,
          );
        const f = args.filter;
        const query = searchQuery(args.text, { provider: f?.provider, owner: f?.owner, tag: f?.tag });
        if (query === null) throw new ApiError('search text needs at least one letter or digit');
        const exact = {
          category: f?.category ?? null,
          providers: list(f?.provider),
          kinds: list(f?.kind),
          environments: list(f?.environment),
          nonHuman: f?.nonHuman ?? null,
          owners: list(f?.owner),
          tags: list(f?.tag),
        };
        // Without exact filters (a scoped token's included) every hit of the index is an answer: the
        // index stops at the page.
        const filtered = Object.values(exact).some((v) => v !== null) || graph.scope !== undefined;
        const rows = await graph.read<NodeRow & { score: number }>('search', {
          query,
          options: filtered ? {} : { limit: offset + first + 1 },
          ...exact,
          // Narrowed to a scoped token's units by the graph, like every answer's node filter.
          who: ANY_NODE,
          offset,
          limit: first + 1,
        });
        const hits = rows.map((row, i) => ({
          ...toNodeRecord(row),
          score: row.score,
          position: offset + i + 1,
        }));
        return toPage(hits, first, (h) => [String(h.position)], Boolean(args.after));
      },
    },
    { name: 'SearchConnection' },
    { name: 'SearchEdge' },
  ),
);
