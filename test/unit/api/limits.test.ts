import { afterAll, describe, expect, it } from 'vitest';
import { ApiGraph } from '../../../src/api/graph.js';
import { decodeCursor, encodeCursor, pageSize } from '../../../src/api/paging.js';
import { edgeId, kindsForId, parseEdgeId } from '../../../src/api/records.js';
import { neo4jQueryCount, offlineApi, post } from './helpers.js';

const api = offlineApi({ maxDepth: 8, maxComplexity: 2000 });
afterAll(() => api.executor.close());

/** A query nesting `edges` `levels` times: each level multiplies the cost by the page size. */
function nested(levels: number, first = 10): string {
  let selection = 'id';
  for (let i = 0; i < levels; i++)
    selection = `edges(first: ${first}) { edges { node { to { id ${selection} } } } }`;
  return `{ identities(first: ${first}) { edges { node { ${selection} } } } }`;
}

describe('query limits', () => {
  it('rejects an abusive nested query before anything runs', async () => {
    const response = await post(api, nested(6));
    const body = await response.json();
    expect(body.data).toBeUndefined();
    expect(body.errors.map((e: { message: string }) => e.message).join('\n')).toMatch(
      /Query depth of \d+ exceeds max depth of 8/,
    );
    expect(await neo4jQueryCount(api)).toBe(0);
  });

  it('rejects a query whose estimated cost exceeds the limit, counting the requested page sizes', async () => {
    const query = `query($n: Int) { identities(first: $n) { edges { node { id edges(first: $n) { edges { node { id } } } } } } }`;
    const body = await (await post(api, query, { variables: { n: 100 } })).json();
    expect(body.errors[0].message).toMatch(/Query complexity of \d+ exceeds max complexity of 2000/);
    expect(await neo4jQueryCount(api)).toBe(0);
  });

  it('lets a shallow, cheap query through to the graph (which is unreachable here)', async () => {
    const body = await (await post(api, '{ identities(first: 5) { edges { node { id } } } }')).json();
    // Past the limits, into the resolver: the driver error is masked, never shown to clients.
    expect(body.errors[0].message).toBe('Unexpected error.');
    expect(await neo4jQueryCount(api)).toBe(1);
  });

  it('turns introspection off when configured', async () => {
    const closed = offlineApi({ introspection: false });
    const body = await (await post(closed, '{ __schema { queryType { name } } }')).json();
    expect(body.errors[0].message).toMatch(/introspection/i);
    const open = await (await post(api, '{ __schema { queryType { name } } }')).json();
    expect(open.data.__schema.queryType.name).toBe('Query');
    await closed.executor.close();
  });

  it('counts every alias: thousands of aliased lookups are refused before anything runs', async () => {
    const api = offlineApi({ maxDepth: 8, maxComplexity: 2000 });
    const lookups = Array.from(
      { length: 5000 },
      (_, i) => `n${i}: node(id: "arn:aws:iam::1:role/r${i}") { id }`,
    );
    const body = await (await post(api, `{ ${lookups.join(' ')} }`)).json();
    expect(body.data).toBeUndefined();
    const messages = body.errors.map((e: { message: string }) => e.message).join('\n');
    expect(messages).toMatch(/selects 5000 top-level fields \(each alias counts\); the limit is 20/);
    expect(messages).toMatch(/Query complexity of 5\d{4} exceeds max complexity of 2000/);
    expect(body.errors[0].extensions.code).toBe('QUERY_TOO_BROAD');

    const searches = Array.from(
      { length: 760 },
      (_, i) => `s${i}: whoCanReach(resource: "arn:aws:s3:::b", first: 1) { edges { cursor } }`,
    );
    const wide = await (await post(api, `{ ${searches.join(' ')} }`)).json();
    expect(wide.errors[0].message).toMatch(/selects 760 top-level fields/);
    expect(await neo4jQueryCount(api)).toBe(0);
    await api.executor.close();
  });

  it('counts top-level fields selected through fragments, and lets a request within the limit run', async () => {
    const spread = `query { ...Two ... on Query { c: node(id: "arn:aws:iam::111111111111:role/x") { id } } }
      fragment Two on Query { a: node(id: "arn:aws:iam::111111111111:role/x") { id } b: node(id: "arn:aws:iam::111111111111:role/y") { id } }`;
    const narrow = offlineApi({ maxRootFields: 2 });
    const body = await (await post(narrow, spread)).json();
    expect(body.errors[0].message).toMatch(/selects 3 top-level fields.*the limit is 2/);
    expect(await neo4jQueryCount(narrow)).toBe(0);
    await narrow.executor.close();
    const within = await (await post(api, spread)).json();
    // Past the limits into the resolvers (the graph is unreachable here).
    expect(within.errors[0].message).toBe('Unexpected error.');
  });

  it('bounds a request in total: once its deadline has passed no query starts, with a clear error', async () => {
    const graph = new ApiGraph(api.executor, { timeoutMs: 15_000, requestTimeoutMs: 50 });
    const expired = graph.forRequest(Date.now() - 1_000);
    expect(expired.executor.deadline).toBeLessThan(Date.now());
    await expect(expired.node('arn:aws:iam::111111111111:role/r', ['principal'])).rejects.toMatchObject({
      message: expect.stringMatching(/the request ran past its time limit of 50 ms/),
      extensions: { code: 'REQUEST_TIMEOUT' },
    });
    // A request's graph never outlives the deadline it was given, and the shared one has none.
    expect(graph.executor.deadline).toBeUndefined();
    expect(expired.executor.withDeadline(Date.now() + 60_000).deadline).toBe(expired.executor.deadline);
  });

  it('strips "Did you mean" hints, which name schema fields, when introspection is off', async () => {
    const probe =
      '{ identitie(first: 1) { edges { cursor } } resources(filter: {environment: PROD}) { edges { cursor } } }';
    const closed = offlineApi({ introspection: false });
    const hidden = await (await post(closed, probe)).json();
    const hiddenText = hidden.errors.map((e: { message: string }) => e.message).join('\n');
    expect(hiddenText).toMatch(/Cannot query field "identitie" on type "Query"\./);
    expect(hiddenText).not.toMatch(/Did you mean|identities|PRODUCTION/);
    await closed.executor.close();
    const open = await (await post(api, probe)).json();
    expect(open.errors.map((e: { message: string }) => e.message).join('\n')).toMatch(
      /Did you mean "identities"/,
    );
  });

  it('refuses pages larger than the configured size and backward pagination, with clear errors', () => {
    expect(pageSize({ first: 100 }, 100)).toBe(100);
    expect(pageSize({}, 100)).toBe(20);
    expect(() => pageSize({ first: 101 }, 100)).toThrow('first 101 exceeds the page size limit of 100');
    expect(() => pageSize({ last: 5 }, 100)).toThrow(/backward pagination/);
  });

  it('rejects maxHops beyond the cap before running anything', async () => {
    const body = await (
      await post(
        api,
        '{ paths(from: {nonHuman: true}, to: {environment: PRODUCTION}, maxHops: 7) { edges { cursor } } }',
      )
    ).json();
    expect(body.errors[0].message).toBe('maxHops 7 exceeds the limit of 6');
  });
});

describe('ids and cursors', () => {
  it('edge ids round-trip, even when node ids contain the separator', () => {
    const edge = {
      type: 'CAN_ASSUME',
      from: { id: 'custom:ci:job|nightly' },
      to: { id: 'arn:aws:iam::1:role/x' },
    };
    expect(parseEdgeId(edgeId(edge), ['CAN_ACCESS', 'CAN_ASSUME'])).toEqual({
      from: 'custom:ci:job|nightly',
      type: 'CAN_ASSUME',
      to: 'arn:aws:iam::1:role/x',
    });
    expect(parseEdgeId('a|NOPE|b', ['CAN_ASSUME'])).toBeUndefined();
  });

  it('cursors round-trip and a forged one is a clear error', () => {
    expect(decodeCursor(encodeCursor(['a', 'b']), 2)).toEqual(['a', 'b']);
    expect(() => decodeCursor('not-a-cursor', 2)).toThrow(/invalid cursor/);
    expect(() => decodeCursor(encodeCursor(['a']), 2)).toThrow(/invalid cursor/);
  });

  it('ids find their kind through the id formats of the vocabulary', () => {
    expect(kindsForId('arn:aws:iam::111111111111:role/deploy', ['principal']).map((k) => k.label)).toEqual([
      'AwsRole',
    ]);
    expect(kindsForId('arn:aws:s3:::prod-data', ['resource']).map((k) => k.label)).toEqual(['AwsS3Bucket']);
    expect(kindsForId('arn:aws:s3:::prod-data', ['principal'])).toEqual([]);
  });
});
