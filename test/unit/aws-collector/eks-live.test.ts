import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsRaw, AwsRawScope } from '../../../src/collectors/aws/raw.js';
import { perResource, regional } from '../../../src/collectors/aws/raw.js';
import { eks } from '../../../src/collectors/aws/services/eks.js';
import { liveContext } from '../../../src/collectors/aws/services/service.js';
import { readAwsSnapshot } from '../../../src/collectors/aws/snapshot.js';
import { transformAws } from '../../../src/collectors/aws/transform.js';

// moto (5.2) has no EKS access entries or Pod Identity, so the live path is checked against a
// loopback server that answers the EKS REST API with the fixture's recorded JSON: the documents
// the SDK calls write must give the same clusters as the snapshot files.

const FIXTURE = join(import.meta.dirname, '..', '..', 'fixtures', 'eks-access');
const A = '111111111111';
const REGION = 'us-east-1';

let snapshot: AwsRaw;
let server: Server;
let endpoint: string;
const requests: string[] = [];

/** The fixture document an EKS REST path stands for. */
function documentFor(scope: AwsRawScope, path: string): unknown {
  const parts = path.split('?')[0]?.split('/').filter(Boolean).map(decodeURIComponent) ?? [];
  const at = (command: string, resource?: string) =>
    scope.documents[
      resource === undefined ? regional(command, REGION) : perResource(command, resource, REGION)
    ];
  const [, cluster, sub, id, tail] = parts;
  if (parts.length === 1) return at('eks-list-clusters');
  if (!cluster) return undefined;
  if (parts.length === 2) return at('eks-describe-cluster', cluster);
  if (sub === 'access-entries' && !id) return at('eks-list-access-entries', cluster);
  if (sub === 'access-entries' && id && tail === 'access-policies')
    return at('eks-list-associated-access-policies', `${cluster}/${id}`);
  if (sub === 'access-entries' && id) return at('eks-describe-access-entry', `${cluster}/${id}`);
  if (sub === 'pod-identity-associations' && !id) return at('eks-list-pod-identity-associations', cluster);
  if (sub === 'pod-identity-associations' && id)
    return at('eks-describe-pod-identity-association', `${cluster}/${id}`);
  return undefined;
}

beforeAll(async () => {
  snapshot = await readAwsSnapshot(FIXTURE);
  const scope = snapshot.accounts[A] as AwsRawScope;
  server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    const document = documentFor(scope, request.url ?? '');
    response.writeHead(document === undefined ? 404 : 200, { 'content-type': 'application/json' });
    // The REST API sends timestamps as epoch seconds, where the CLI prints ISO dates.
    const wire = (key: string, value: unknown) =>
      /At$/.test(key) && typeof value === 'string' ? Date.parse(value) / 1000 : value;
    response.end(JSON.stringify(document ?? { message: 'not found' }, wire));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('EKS, live through @aws-sdk/client-eks', () => {
  it('collects the same clusters, access entries and associations as the snapshot holds', async () => {
    const live: AwsRawScope = { documents: {}, ran: [], errors: {} };
    const config = {
      region: REGION,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      maxAttempts: 1,
      retryMode: 'adaptive' as const,
      endpoint,
    };
    await eks.collect(liveContext(live, config, { accountId: A, region: REGION, endpoint, limit: 2 }));
    expect(live.errors).toEqual({});
    const snapshotScope = snapshot.accounts[A] as AwsRawScope;
    const others = Object.fromEntries(
      Object.entries(snapshotScope.documents).filter(([name]) => !name.includes('eks-')),
    );
    const fromLive = transformAws({
      accounts: { [A]: { ...live, documents: { ...others, ...live.documents } } },
    });
    const fromSnapshot = transformAws(snapshot);
    expect(fromLive.accounts[0]?.eksClusters).toEqual(fromSnapshot.accounts[0]?.eksClusters);
    expect(fromSnapshot.accounts[0]?.eksClusters?.[0]?.accessEntries).toHaveLength(3);
    // Only reads: list and describe calls.
    expect(requests.every((r) => r.startsWith('GET '))).toBe(true);
    expect(requests.some((r) => r.includes('/access-policies'))).toBe(true);
  });
});
