import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import RelayPlugin from '@pothos/plugin-relay';
import type { ApiContext } from './context.js';

/**
 * The schema builder and its plugins, in a deliberate order: relay first (connections, page
 * info, cursors), then complexity, so the cost of every field, connections included, is known to
 * the validation rule that rejects expensive queries before they run (see limits.ts).
 */
export const builder = new SchemaBuilder<{
  Context: ApiContext;
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  plugins: [RelayPlugin, ComplexityPlugin],
  defaultFieldNullability: false,
  relay: {
    // Node ids are the graph's own stable ids (ARNs, gcp:sa:…), not opaque base64: notebooks and
    // portals pass them around and into other tools.
    encodeGlobalID: (_typename, id) => String(id),
    decodeGlobalID: (globalID) => ({ typename: 'Node', id: globalID }),
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    clientMutationId: 'omit',
    cursorType: 'String',
    // A connection's cost is its page size times its selection (see paging.ts), counted once here.
    edgesFieldOptions: { nullable: false, complexity: { field: 1, multiplier: 1 } },
    nodeFieldOptions: { nullable: false },
  },
  complexity: {
    defaultComplexity: 1,
    defaultListMultiplier: 10,
  },
});

builder.queryType({ description: 'Which non-human identities can reach what, and how.' });
