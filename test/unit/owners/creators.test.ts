import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestCloudTrail } from '../../../src/activity/aws/ingest.js';
import { gcpCreated } from '../../../src/activity/gcp/audit-log.js';
import { k8sCreated } from '../../../src/activity/kubernetes/audit-event.js';
import { ActivityStore } from '../../../src/activity/store.js';
import type { InventoryNode, InventoryRelationship } from '../../../src/model/inventory.js';
import { type Creators, readCreators } from '../../../src/owners/creators.js';
import { OwnersFileSchema } from '../../../src/owners/owners-file.js';
import { parseOwnerCandidates, resolveOwners } from '../../../src/owners/resolve.js';
import { cloudTrailRecord, writeTrailFile } from '../../helpers/cloudtrail.js';

// The creator from the activity logs as an owner source (docs/owners.md): who created an identity
// or its key, recorded at ingest in a real DuckDB store, then a candidate after the repository of a
// CI identity and before the inherited scope owner, with its event and confidence.

const ACCOUNT = '111111111111';
const role = (name: string, extra: Record<string, unknown> = {}): InventoryNode => ({
  id: `arn:aws:iam::${ACCOUNT}:role/${name}`,
  kind: 'AwsRole',
  scope: `aws:${ACCOUNT}`,
  properties: { name, nonHuman: true, nhiType: 'role', accountId: ACCOUNT, ...extra },
});
const record = (creator: string, eventId = 'e1', origin: string | null = null) => ({
  creator,
  origin,
  action: 'iam:CreateRole',
  eventId,
  time: '2026-11-01T08:00:00Z',
  source: 'aws-cloudtrail',
});

describe('the creator from activity logs', () => {
  it('is recorded at ingest for CreateRole, CreateUser and CreateAccessKey, never for a refused call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'creators-'));
    try {
      const admin = { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT };
      const iam = (eventID: string, eventName: string, responseElements: unknown, errorCode?: string) =>
        cloudTrailRecord({
          eventID,
          recipientAccountId: ACCOUNT,
          userIdentity: admin,
          eventSource: 'iam.amazonaws.com',
          eventName,
          responseElements,
          ...(errorCode ? { errorCode } : {}),
        });
      const trail = join(dir, 'trail');
      writeTrailFile(
        trail,
        [
          iam('c1', 'CreateRole', { role: { arn: `arn:aws:iam::${ACCOUNT}:role/etl` } }),
          iam('c2', 'CreateUser', { user: { arn: `arn:aws:iam::${ACCOUNT}:user/bot` } }),
          iam('c3', 'CreateAccessKey', {
            accessKey: { accessKeyId: 'AKIABOT0000000000001', userName: 'bot' },
          }),
          iam('c4', 'CreateRole', null, 'AccessDenied'),
        ],
        { account: ACCOUNT },
      );
      const database = join(dir, 'activity.duckdb');
      const store = await ActivityStore.open(database);
      try {
        await ingestCloudTrail(store, [trail], { now: new Date('2026-11-10T00:00:00Z') });
        // Ingesting the same file again adds no creation twice.
        await ingestCloudTrail(store, [trail], { now: new Date('2026-11-10T00:00:00Z') });
      } finally {
        store.close();
      }
      const creators = await readCreators(database);
      expect(
        [...creators].map(([created, list]) => [created, list.map((c) => [c.creator, c.eventId])]),
      ).toEqual([
        [`arn:aws:iam::${ACCOUNT}:role/etl`, [[admin.arn, 'c1']]],
        [`arn:aws:iam::${ACCOUNT}:user/bot`, [[admin.arn, 'c2']]],
        ['aws:key:AKIABOT0000000000001', [[admin.arn, 'c3']]],
      ]);
      expect(await readCreators(join(dir, 'none.duckdb'))).toEqual(new Map());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names what GCP and Kubernetes audit logs say was created', () => {
    const entry = (
      methodName: string,
      response?: { email?: string; name?: string },
      request?: { account_id?: string },
    ) => ({
      logName: 'projects/p1/logs/cloudaudit.googleapis.com%2Factivity',
      resource: { labels: { project_id: 'p1' } },
      protoPayload: { methodName, ...(response ? { response } : {}), ...(request ? { request } : {}) },
    });
    expect(
      gcpCreated(
        entry('google.iam.admin.v1.CreateServiceAccount', { email: 'Etl@p1.iam.gserviceaccount.com' }),
      ),
    ).toBe('gcp:sa:etl@p1.iam.gserviceaccount.com');
    expect(
      gcpCreated(entry('google.iam.admin.v1.CreateServiceAccount', undefined, { account_id: 'job' })),
    ).toBe('gcp:sa:job@p1.iam.gserviceaccount.com');
    expect(
      gcpCreated(
        entry('google.iam.admin.v1.CreateServiceAccountKey', {
          name: 'projects/p1/serviceAccounts/etl@p1.iam.gserviceaccount.com/keys/abc123',
        }),
      ),
    ).toBe('gcp:sakey:etl@p1.iam.gserviceaccount.com:abc123');
    expect(gcpCreated(entry('google.iam.admin.v1.GetServiceAccount', {}))).toBeNull();
    const create = {
      verb: 'create',
      objectRef: { resource: 'serviceaccounts', namespace: 'ci', name: 'deployer' },
    };
    expect(k8sCreated('prod', create)).toBe('k8s:prod:ci:sa:deployer');
    expect(
      k8sCreated('prod', { ...create, objectRef: { ...create.objectRef, subresource: 'token' } }),
    ).toBeNull();
    expect(k8sCreated('prod', { ...create, responseStatus: { code: 403 } })).toBeNull();
  });

  it('comes after the repository and before the inherited owner, a person or the owner of a non-human creator', () => {
    const file = {
      name: 'owners.yaml',
      owners: OwnersFileSchema.parse({
        rules: [
          { owner: 'platform', account: ACCOUNT },
          { owner: 'data', id: `arn:aws:iam::${ACCOUNT}:role/provisioner` },
        ],
      }),
    };
    const etl = role('etl');
    const job = role('job');
    const bot: InventoryNode = {
      id: `arn:aws:iam::${ACCOUNT}:user/bot`,
      kind: 'AwsUser',
      scope: `aws:${ACCOUNT}`,
      properties: { name: 'bot', nonHuman: true, nhiType: 'bot', accountId: ACCOUNT },
    };
    const key: InventoryNode = {
      id: 'aws:key:AKIA1',
      kind: 'AwsAccessKey',
      scope: `aws:${ACCOUNT}`,
      properties: {},
    };
    const provisioner = role('provisioner');
    const edges: InventoryRelationship[] = [
      { type: 'HAS_CREDENTIAL', from: bot.id, to: key.id, properties: {}, evidence: [] },
    ];
    const creators: Creators = new Map([
      [etl.id, [record(`arn:aws:iam::${ACCOUNT}:user/alice`), record(provisioner.id, 'e2')]],
      [job.id, [record(provisioner.id, 'e3', 'bob@example.com')]],
      [key.id, [record(provisioner.id, 'e4')]],
    ]);
    const { nodes } = resolveOwners(
      { nodes: [etl, job, bot, key, provisioner], relationships: edges },
      { file, creators },
    );
    const byId = new Map(nodes.map((n) => [n.id, n.properties]));
    const etlOwner = byId.get(etl.id);
    expect(etlOwner).toMatchObject({ owner: 'alice', ownerConfidence: 'medium', ownerConflict: true });
    expect(String(etlOwner?.ownerSource)).toContain(
      '(iam:CreateRole, event e1 at 2026-11-01T08:00:00Z, aws-cloudtrail log)',
    );
    expect(
      parseOwnerCandidates(etlOwner?.ownerCandidates).map((c) => [c.owner, c.step, c.confidence]),
    ).toEqual([
      ['alice', 'creator', 'medium'],
      ['data', 'creator', 'low'],
      ['platform', 'inherited', 'medium'],
    ]);
    // A role session acting for a person names the person.
    expect(byId.get(job.id)).toMatchObject({ owner: 'bob@example.com', ownerType: 'person' });
    // A key's creator stands for its holder's owner, with low confidence.
    expect(byId.get(bot.id)).toMatchObject({ owner: 'data', ownerConfidence: 'low' });
    expect(String(byId.get(bot.id)?.ownerSource)).toContain('created its credential aws:key:AKIA1');
    // Without creators the step gives nothing: the scope owner as before.
    const { nodes: plain } = resolveOwners({ nodes: [etl], relationships: [] }, { file });
    expect(plain[0]?.properties.owner).toBe('platform');
  });
});
