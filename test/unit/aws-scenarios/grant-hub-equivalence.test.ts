// Grant hubs are exact: on seeded random estates (CAN_ASSUME trust classes, CAN_ACCESS products),
// the hubs the analyzer writes expand
// (src/model/grants.ts expandGrants) to exactly the edges its per-pair mode writes — same pairs,
// same properties, same conditions, the same evidence records.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
import { describe, expect, it } from 'vitest';
import { syntheticAwsEnvironment } from '../../../bench/synthetic-aws.js';
import { denseAwsEnvironment } from '../../../bench/synthetic-aws-dense.js';
import { PREREQUISITE_CONDITION_KEY } from '../../../src/analyzers/aws-iam/escalation/prerequisites.js';
import { collectAws } from '../../../src/collectors/aws/collect.js';
import type { AwsEnvironment } from '../../../src/model/aws/environment.js';
import type { PolicyDocument } from '../../../src/model/aws/policy.js';
import { expandGrants, isGrantNode } from '../../../src/model/grants.js';
import type { Inventory, InventoryRelationship } from '../../../src/model/inventory.js';
import { validateInventory } from '../../../src/model/validate.js';
import { buildAwsInventory } from '../../../src/providers/aws/inventory.js';
import {
  account,
  allow,
  deny,
  doc,
  environment,
  group,
  groupArn,
  managed,
  resource,
  role,
  roleArn,
  trusts,
  user,
} from '../../helpers/aws-environment.js';
import { seededRandom } from '../../helpers/random.js';
import { MULTI_ACCOUNT } from '../aws-fixture/expected.js';
import { analyzeAws, organization, orgPolicy, withOrg } from './harness.js';

const A = '111111111111';
const B = '222222222222';
const MGMT = '333333333333';

/** One line per edge: type, ends, properties and evidence in a canonical order. */
function canonical(inventory: Pick<Inventory, 'relationships'>): string[] {
  const sorted = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  return inventory.relationships
    .map((r) =>
      JSON.stringify([
        r.type,
        r.from,
        r.to,
        sorted(r.properties ?? {}),
        (r.evidence ?? []).map((e) => JSON.stringify(sorted(e))).sort(),
      ]),
    )
    .sort();
}

/** The CAN_ESCALATE edges with their evidence in its order (combineLegs: member's, then target's). */
function escalations(inventory: Pick<Inventory, 'relationships'>): string[] {
  return inventory.relationships
    .filter((r) => r.type === 'CAN_ESCALATE')
    .map((r) =>
      JSON.stringify([
        r.from,
        r.to,
        Object.entries(r.properties ?? {}).sort(([a], [b]) => a.localeCompare(b)),
        r.evidence,
      ]),
    )
    .sort();
}

async function bothModes(env: AwsEnvironment) {
  const hubbed = await analyzeAws(env, { grantHubs: true });
  const pairs = await analyzeAws(env, { grantHubs: false });
  // The hubbed output is a valid inventory (Grant legs included).
  const inventory = validateInventory(buildAwsInventory(env, hubbed, { sourceName: 'test' }), 'hubs');
  expect(pairs.nodes.some(isGrantNode)).toBe(false);
  return {
    hubs: hubbed.nodes.filter(isGrantNode).length,
    legs: hubbed.edges.length,
    pairCount: pairs.edges.length,
    expanded: canonical(expandGrants({ nodes: hubbed.nodes, relationships: hubbed.edges } as Inventory)),
    perPair: canonical({ relationships: pairs.edges }),
    escalationsExpanded: escalations(
      expandGrants({ nodes: hubbed.nodes, relationships: hubbed.edges } as Inventory),
    ),
    escalationsPerPair: escalations({ relationships: pairs.edges }),
    // A pair that requires what may not exist is conditional on it, through a hub or not.
    unsettled: expandGrants({ nodes: hubbed.nodes, relationships: hubbed.edges } as Inventory)
      .relationships.filter(
        (r) =>
          r.type === 'CAN_ESCALATE' &&
          Array.isArray(r.properties?.requires) &&
          !(
            r.properties?.conditional === true &&
            (r.properties.conditions as string[]).includes(PREREQUISITE_CONDITION_KEY)
          ),
      )
      .map((r) => `${r.from} -> ${r.to}`),
    misjudged: expandGrants({ nodes: hubbed.nodes, relationships: hubbed.edges } as Inventory)
      .relationships.filter((r) => r.type === 'CAN_ESCALATE' && !r.properties?.chain && !heldAsTechniques(r))
      .map((r) => `${r.from} -> ${r.to}`),
    escalationHubs: hubbed.nodes.filter((n) => isGrantNode(n) && n.properties?.family === 'escalate').length,
    inventory,
  };
}

/**
 * A pair edge holds outright when the technique it names does (the techniques rank outright ones
 * first, analyze.ts `compareRank`), else it is conditional on every record's conditions: read
 * back from the records, each of which carries its technique's conditions.
 */
function heldAsTechniques(r: InventoryRelationship): boolean {
  const technique = String(r.properties?.technique);
  const records = r.evidence ?? [];
  const own = records.filter(
    (e) => e.reason?.startsWith(`${technique} `) || e.reason?.startsWith(`${technique}:`),
  );
  const conditions = (list: typeof records) => [...new Set(list.flatMap((e) => e.conditions ?? []))].sort();
  if (own.length === 0) return false;
  if (conditions(own).length === 0) return r.properties?.conditional !== true && !r.properties?.conditions;
  return (
    r.properties?.conditional === true &&
    JSON.stringify(r.properties.conditions) === JSON.stringify(conditions(records))
  );
}

const TRUSTS: PolicyDocument[] = [
  trusts({ AWS: [`arn:aws:iam::${A}:root`] }),
  trusts({ AWS: [A] }),
  trusts({ AWS: [`arn:aws:iam::${B}:root`] }),
  trusts({ AWS: ['*'] }),
  trusts(
    { AWS: [`arn:aws:iam::${A}:root`] },
    { Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } } },
  ),
  trusts({ AWS: ['*'] }, { Condition: { StringEquals: { 'sts:ExternalId': ['s3cr3t'] } } }),
  trusts({ AWS: ['*'] }, { Condition: { StringEquals: { 'aws:PrincipalAccount': [B] } } }),
  trusts({ AWS: [`arn:aws:iam::${A}:root`, `arn:aws:iam::${A}:user/u0`] }),
  doc(
    {
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { AWS: [`arn:aws:iam::${A}:root`, `arn:aws:iam::${B}:root`] },
    },
    { Effect: 'Deny', Action: 'sts:AssumeRole', Principal: { AWS: [`arn:aws:iam::${A}:user/u1`] } },
  ),
  trusts(
    { AWS: [`arn:aws:iam::${A}:root`] },
    { Condition: { StringEquals: { 'aws:ResourceTag/team': ['a'] } } },
  ),
  trusts({ Service: ['lambda.amazonaws.com'] }),
];

/** A caller's policy: wildcards, one role named, a Deny naming one role, tags, NotResource, conditions. */
function callerPolicy(pick: () => number, roles: string[]): PolicyDocument | undefined {
  const someRole = roles[Math.floor(pick() * roles.length)] as string;
  const choices: (PolicyDocument | undefined)[] = [
    undefined,
    doc(allow('sts:AssumeRole')),
    doc(allow('sts:AssumeRole', `arn:aws:iam::${A}:role/*`)),
    doc(allow('sts:AssumeRole', someRole)),
    doc(allow('sts:AssumeRole'), deny('sts:AssumeRole', someRole)),
    doc(allow('sts:*', '*', { Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } } })),
    doc(allow('sts:AssumeRole', '*', { Condition: { StringEquals: { 'aws:ResourceTag/team': ['a'] } } })),
    doc(
      allow('sts:AssumeRole', '*'),
      deny('sts:AssumeRole', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['false'] } } }),
    ),
    doc({ Effect: 'Allow', Action: 'sts:AssumeRole', NotResource: someRole } as never),
    doc(allow('*')),
  ];
  return choices[Math.floor(pick() * choices.length)];
}

function randomEstate(seed: number): AwsEnvironment {
  const pick = seededRandom(seed);
  const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const roleSpecs = [A, B].flatMap((acct) =>
    names(acct === A ? 'ra' : 'rb', 5 + Math.floor(pick() * 6)).map((name) => ({
      acct,
      name,
      trust: TRUSTS[Math.floor(pick() * TRUSTS.length)] as PolicyDocument,
      tags: (pick() < 0.5 ? { team: 'a' } : {}) as Record<string, string>,
    })),
  );
  const roleArns = roleSpecs.map((r) => roleArn(r.acct, r.name));
  const build = (acct: string) =>
    account(acct, {
      roles: roleSpecs
        .filter((r) => r.acct === acct)
        .map((r) => {
          const policy = callerPolicy(pick, roleArns);
          return role(acct, r.name, r.trust, { tags: r.tags, ...(policy ? { policy } : {}) });
        }),
      users: names('u', 3 + Math.floor(pick() * 4)).map((name) => {
        const policy = callerPolicy(pick, roleArns);
        return user(acct, name, policy ? { policy } : {});
      }),
    });
  return environment(build(A), build(B));
}

/** Managed policies principals share (what makes access products), by name. */
function accessPolicies(someBucket: string): Record<string, PolicyDocument> {
  return {
    full: doc(allow('s3:*')),
    read: doc(allow(['s3:Get*', 's3:List*'])),
    power: doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' } as never),
    team: doc(allow('s3:*', ['arn:aws:s3:::team-*', 'arn:aws:s3:::team-*/*'])),
    reports: doc(allow('s3:GetObject', 'arn:aws:s3:::*/reports/*')),
    office: doc(
      allow('s3:GetObject', '*', { Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } } }),
    ),
    denyOne: doc(deny('s3:*', [someBucket, `${someBucket}/*`])),
    denyWrites: doc(
      deny('s3:PutObject', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['false'] } } }),
    ),
    denyNotTeam: doc({ Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::team-*'] } as never),
    keys: doc(allow('kms:*')),
    // Writes its own policies: escalation's gains on resources it already lists.
    escalate: doc(allow('iam:PutUserPolicy'), allow('s3:ListBucket')),
  };
}

const BUCKET_POLICIES: ((arn: string) => PolicyDocument | undefined)[] = [
  () => undefined,
  () => undefined,
  (arn) => doc(deny('s3:DeleteObject', `${arn}/*`, { Principal: { AWS: [`arn:aws:iam::${A}:user/u0`] } })),
  (arn) => doc(allow('s3:GetObject', `${arn}/*`, { Principal: { AWS: [`arn:aws:iam::${B}:root`] } })),
  (arn) => doc(allow('s3:GetObject', `${arn}/*`, { Principal: '*' })),
  (arn) =>
    doc(
      allow('s3:ListBucket', arn, {
        Principal: '*',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': ['o-abc'] } },
      }),
    ),
  (arn) =>
    doc(
      deny('s3:*', [arn, `${arn}/*`], {
        Principal: '*',
        Condition: { Bool: { 'aws:SecureTransport': ['false'] } },
      }),
    ),
  (arn) => doc(allow('s3:PutObject', `${arn}/*`, { Principal: { AWS: [`arn:aws:iam::${A}:role/ra0`] } })),
];

function randomAccessEstate(seed: number): AwsEnvironment {
  const pick = seededRandom(seed);
  const one = <T>(items: T[]): T => items[Math.floor(pick() * items.length)] as T;
  const buckets = [A, B].flatMap((acct) =>
    Array.from({ length: 3 + Math.floor(pick() * 4) }, (_, i) => {
      const arn = `arn:aws:s3:::${one(['team', 'data', 'logs'])}-${acct.slice(0, 1)}${i}`;
      const policy = one(BUCKET_POLICIES)(arn);
      return resource('s3-bucket', arn, {
        accountId: acct,
        ...(policy ? { policy } : {}),
        attributes: pick() < 0.3 ? { restrictPublicBuckets: true, blockPublicPolicy: true } : {},
      });
    }),
  );
  const policies = accessPolicies((buckets[0] as { arn: string }).arn);
  const names = Object.keys(policies);
  const build = (acct: string) => {
    const arnOf = (name: string) => `arn:aws:iam::${acct}:policy/${name}`;
    // Mostly one common policy (what principals share), sometimes a second one of any kind.
    const common = ['full', 'read', 'power', 'team', 'escalate'];
    const attached = () => [...new Set([one(common), ...(pick() < 0.35 ? [one(names)] : [])])].map(arnOf);
    const boundary = () =>
      pick() < 0.2 ? { permissionsBoundaryArn: arnOf(one(['read', 'team', 'full'])) } : {};
    const groups = [group(acct, 'g0', { attachedPolicyArns: [arnOf('read')] })];
    const keyArn = `arn:aws:kms:us-east-1:${acct}:key/k-${acct.slice(0, 1)}`;
    return account(acct, {
      managedPolicies: Object.entries(policies).map(([name, document]) => managed(arnOf(name), document)),
      groups,
      roles: Array.from({ length: 4 + Math.floor(pick() * 6) }, (_, i) =>
        role(acct, `r${acct === A ? 'a' : 'b'}${i}`, trusts({ Service: ['lambda.amazonaws.com'] }), {
          attachedPolicyArns: attached(),
          ...boundary(),
        }),
      ),
      users: Array.from({ length: 4 + Math.floor(pick() * 6) }, (_, i) =>
        user(acct, `u${i}`, {
          attachedPolicyArns: pick() < 0.8 ? attached() : [],
          groupArns: pick() < 0.3 ? [groupArn(acct, 'g0')] : [],
          ...boundary(),
        }),
      ),
      resources: [
        ...buckets.filter((b) => b.accountId === acct),
        resource('kms-key', keyArn, {
          accountId: acct,
          policy: doc(allow('kms:*', '*', { Principal: { AWS: [`arn:aws:iam::${acct}:root`] } })),
        }),
      ],
    });
  };
  return environment(build(A), build(B));
}

describe('Grant hubs expand to exactly the per-pair edges', () => {
  it('on 40 seeded random estates (root and anyone trusts, conditions, Denies, tags, named roles)', async () => {
    let hubs = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const out = await bothModes(randomEstate(seed));
      expect(out.expanded, `seed ${seed}`).toEqual(out.perPair);
      hubs += out.hubs;
    }
    // The estates do factor: hubs were written, not only direct edges.
    expect(hubs).toBeGreaterThan(40);
  }, 120_000);

  it('CAN_ACCESS on 40 seeded random estates (shared statements, NotAction, Denies, boundaries, conditions, bucket policies, public access, escalation gains)', async () => {
    let hubs = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const out = await bothModes(randomAccessEstate(seed));
      expect(out.expanded, `seed ${seed}`).toEqual(out.perPair);
      expect(out.expanded.some((line) => line.startsWith('["CAN_ACCESS"'))).toBe(true);
      hubs += out.hubs;
    }
    expect(hubs).toBeGreaterThan(40);
  }, 240_000);

  it('CAN_ACCESS: an escalation gain on a resource held through a hub makes one edge, as per pair', async () => {
    // Two users share a policy listing every bucket and a read-only boundary, and may rewrite their
    // own policies: each gains read on buckets it already lists through the hub.
    const arnOf = (name: string) => `arn:aws:iam::${A}:policy/${name}`;
    const policies = accessPolicies('arn:aws:s3:::none');
    const env = environment(
      account(A, {
        managedPolicies: [
          managed(arnOf('escalate'), policies.escalate as PolicyDocument),
          managed(arnOf('bound'), doc(allow(['iam:PutUserPolicy', 's3:Get*', 's3:List*']))),
        ],
        users: ['u0', 'u1'].map((name) =>
          user(A, name, { attachedPolicyArns: [arnOf('escalate')], permissionsBoundaryArn: arnOf('bound') }),
        ),
        resources: ['data-1', 'data-2', 'data-3'].map((b) =>
          resource('s3-bucket', `arn:aws:s3:::${b}`, { accountId: A }),
        ),
      }),
    );
    const out = await bothModes(env);
    expect(out.expanded).toEqual(out.perPair);
    expect(out.perPair.filter((l) => l.startsWith('["CAN_ACCESS"') && l.includes('"via"'))).toHaveLength(6);
  });

  it('CAN_ACCESS: principals granted the same access through different policies share one hub, each leg naming its own policy', async () => {
    const arnOf = (name: string) => `arn:aws:iam::${A}:policy/${name}`;
    const buckets = ['data-1', 'data-2', 'data-3'].map((b) => `arn:aws:s3:::${b}`);
    const env = environment(
      account(A, {
        managedPolicies: [
          managed(arnOf('team-a'), doc(allow(['s3:*', 'sqs:*']))),
          managed(arnOf('team-b'), doc(allow(['dynamodb:*', 's3:*']))),
          managed(arnOf('power'), doc({ Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' } as never)),
        ],
        users: [
          user(A, 'u0', { attachedPolicyArns: [arnOf('team-a')] }),
          user(A, 'u1', { attachedPolicyArns: [arnOf('team-b')] }),
          user(A, 'u2', { attachedPolicyArns: [arnOf('power')] }),
        ],
        resources: buckets.map((arn) => resource('s3-bucket', arn, { accountId: A })),
      }),
    );
    const out = await bothModes(env);
    expect(out.expanded).toEqual(out.perPair);
    const hubbed = await analyzeAws(env, { grantHubs: true });
    const hubs = hubbed.nodes.filter((n) => isGrantNode(n) && n.properties?.family === 'access');
    expect(hubs).toHaveLength(1);
    const legs = hubbed.edges.filter((e) => e.type === 'CAN_ACCESS');
    expect(legs).toHaveLength(3 + 3);
    // Each member leg cites its own policy; each target leg names its bucket only.
    for (const [name, policy] of [
      ['u0', 'team-a'],
      ['u1', 'team-b'],
      ['u2', 'power'],
    ] as const)
      expect(
        legs.find((e) => e.from === `arn:aws:iam::${A}:user/${name}`)?.evidence.map((x) => x.ref),
      ).toEqual([arnOf(policy)]);
    expect(legs.filter((e) => isGrantNode({ kind: e.fromKind ?? '' })).map((e) => e.evidence)).toEqual(
      buckets.map((arn) => [{ source: 'identity-policy', ref: arn, reason: `on ${arn.slice(13)}` }]),
    );
  });

  it('on the synthetic benchmark estates (5 seeds)', async () => {
    let hubs = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const env = syntheticAwsEnvironment({ principals: 120, policies: 200, resources: 60, seed });
      const out = await bothModes(env);
      expect(out.expanded, `seed ${seed}`).toEqual(out.perPair);
      hubs += out.hubs;
    }
    expect(hubs).toBeGreaterThan(0);
  }, 120_000);

  it('CAN_ESCALATE on 30 seeded estates of workloads that may exist (services, conditions, Denies, roles that are their own targets)', async () => {
    let hubs = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const out = await bothModes(escalationEstate(seed));
      expect(out.expanded, `seed ${seed}`).toEqual(out.perPair);
      expect(out.escalationsExpanded, `seed ${seed}`).toEqual(out.escalationsPerPair);
      expect(out.unsettled, `seed ${seed}`).toEqual([]);
      expect(out.misjudged, `seed ${seed}`).toEqual([]);
      hubs += out.escalationHubs;
    }
    expect(hubs).toBeGreaterThan(30);
  }, 120_000);

  it('CAN_ESCALATE on 30 seeded estates of PassRole + create (patterns, iam:PassedToService, conditions, Denies, boundaries, instance profiles)', async () => {
    let hubs = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const out = await bothModes(passRoleEstate(seed));
      expect(out.expanded, `seed ${seed}`).toEqual(out.perPair);
      expect(out.escalationsExpanded, `seed ${seed}`).toEqual(out.escalationsPerPair);
      expect(out.misjudged, `seed ${seed}`).toEqual([]);
      hubs += out.escalationHubs;
    }
    expect(hubs).toBeGreaterThan(30);
  }, 120_000);

  it('CAN_ESCALATE on 40 seeded estates of IAM writes on principals (patterns, conditions, tag conditions, Denies, boundaries, SCPs, keys, passwords, service-linked roles)', async () => {
    let hubs = 0;
    let selfMembers = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const env = principalWriteEstate(seed);
      const out = await bothModes(env);
      expect(out.expanded, `seed ${seed}`).toEqual(out.perPair);
      expect(out.escalationsExpanded, `seed ${seed}`).toEqual(out.escalationsPerPair);
      expect(out.unsettled, `seed ${seed}`).toEqual([]);
      const hubbed = await analyzeAws(env, { grantHubs: true });
      // Each pair to a principal holds outright exactly when the technique it names does. (An edge
      // to the account, or one whose records include a chain through a what-if state, merges
      // findings of one technique that are outright and conditional, which its records cannot
      // tell apart.)
      const misjudged = expandGrants({ nodes: hubbed.nodes, relationships: hubbed.edges } as Inventory)
        .relationships.filter(
          (r) =>
            r.type === 'CAN_ESCALATE' &&
            r.to !== `aws:account:${A}` &&
            !r.evidence?.some((e) => e.ref.includes('#what-if') || e.reason.includes(', then (')) &&
            !heldAsTechniques(r),
        )
        .map((r) => `${r.from} -> ${r.to}`);
      expect(misjudged, `seed ${seed}`).toEqual([]);
      const writeHubs = new Set(
        hubbed.nodes
          .filter((n) => isGrantNode(n) && /iam-0(02|04|06|12)/.test(String(n.properties?.name)))
          .map((n) => n.id),
      );
      hubs += writeHubs.size;
      // Sources that are principals of their own class reach the others through ranges of it.
      selfMembers += hubbed.nodes.filter(
        (n) => writeHubs.has(n.id) && / of the \d+ (users|roles) /.test(String(n.properties?.name)),
      ).length;
    }
    expect(hubs).toBeGreaterThan(40);
    expect(selfMembers).toBeGreaterThan(0);
  }, 240_000);

  it('CAN_ESCALATE on the dense benchmark account (3 seeds)', async () => {
    let hubs = 0;
    for (let seed = 1; seed <= 3; seed++) {
      const out = await bothModes(denseAwsEnvironment({ roles: 40, seed }));
      expect(out.escalationsExpanded, `seed ${seed}`).toEqual(out.escalationsPerPair);
      expect(out.expanded, `seed ${seed}`).toEqual(out.perPair);
      hubs += out.escalationHubs;
    }
    expect(hubs).toBeGreaterThan(0);
  }, 120_000);
});

describe('the stored shape does not change what an edge says', () => {
  // Every CAN_ESCALATE explanation (technique, conditions, evidence records in their order) is the
  // same whether the analysis writes hubs or pairs, on the AWS fixture and the sample estate.
  for (const [name, dir] of [
    ['the multi-account fixture', MULTI_ACCOUNT],
    ['the sample estate', 'examples/sample-env'],
  ] as const)
    it(name, async () => {
      const out = await bothModes(await collectAws({ snapshotDir: dir }));
      expect(out.escalationsPerPair.length).toBeGreaterThan(0);
      expect(out.escalationsExpanded).toEqual(out.escalationsPerPair);
      expect(out.expanded).toEqual(out.perPair);
      expect(out.misjudged).toEqual([]);
    }, 60_000);
});

const SERVICES = ['tasks.apprunner.amazonaws.com', 'ecs-tasks.amazonaws.com', 'codebuild.amazonaws.com'];

/** A caller's policy for the workloads of those services: wildcards, conditions, a Deny, PassRole. */
function workloadPolicy(pick: () => number, roles: string[]): PolicyDocument | undefined {
  const someRole = roles[Math.floor(pick() * roles.length)] as string;
  const choices: (PolicyDocument | undefined)[] = [
    undefined,
    doc(allow('apprunner:UpdateService')),
    doc(allow(['apprunner:UpdateService', 'batch:SubmitJob'])),
    doc(allow('batch:SubmitJob', '*', { Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } } })),
    doc(allow('codebuild:StartBuild'), allow('codebuild:StartBuildBatch')),
    doc(allow(['apprunner:*', 'iam:PassRole', 'ecs:*'])),
    doc(allow('apprunner:UpdateService'), deny('iam:PassRole', someRole)),
    doc(allow('apprunner:UpdateService'), allow('sts:AssumeRole', someRole)),
    doc(allow(['batch:SubmitJob', 'iam:PassRole', 'batch:RegisterJobDefinition'])),
  ];
  return choices[Math.floor(pick() * choices.length)];
}

function escalationEstate(seed: number): AwsEnvironment {
  const pick = seededRandom(seed);
  const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const roleSpecs = names('r', 4 + Math.floor(pick() * 8)).map((name) => {
    const service = SERVICES[Math.floor(pick() * SERVICES.length)] as string;
    const trust =
      pick() < 0.2
        ? trusts({ AWS: [`arn:aws:iam::${A}:root`] })
        : pick() < 0.2
          ? trusts({ Service: [service] }, { Condition: { StringEquals: { 'aws:SourceAccount': [A] } } })
          : trusts({ Service: [service] });
    return { name, trust };
  });
  const roleArns = roleSpecs.map((r) => roleArn(A, r.name));
  return environment(
    account(A, {
      roles: roleSpecs.map((r) => {
        const policy = workloadPolicy(pick, roleArns);
        return role(A, r.name, r.trust, policy ? { policy } : {});
      }),
      users: names('u', 3 + Math.floor(pick() * 5)).map((name) => {
        const policy = workloadPolicy(pick, roleArns);
        return user(A, name, policy ? { policy } : {});
      }),
    }),
  );
}

const PASS_SERVICES = ['lambda.amazonaws.com', 'ec2.amazonaws.com', 'codebuild.amazonaws.com'];

/**
 * A caller's PassRole and create/start policy: every role, a pattern, iam:PassedToService, a
 * condition, a Deny (conditional or not) on one role, a tag condition; with the actions of new and
 * of existing workloads, so outright and conditional techniques meet on one pair.
 */
function passRolePolicy(pick: () => number, roles: string[]): PolicyDocument | undefined {
  const someRole = roles[Math.floor(pick() * roles.length)] as string;
  const service = PASS_SERVICES[Math.floor(pick() * PASS_SERVICES.length)] as string;
  const passes = [
    allow('iam:PassRole'),
    allow('iam:PassRole', `arn:aws:iam::${A}:role/r1*`),
    allow('iam:PassRole', '*', { Condition: { StringEquals: { 'iam:PassedToService': [service] } } }),
    allow('iam:PassRole', '*', { Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } } }),
    allow('iam:PassRole', '*', { Condition: { StringEquals: { 'iam:ResourceTag/team': ['a'] } } }),
  ];
  const creates = [
    allow(['lambda:CreateFunction', 'lambda:InvokeFunction']),
    allow([
      'lambda:CreateFunction',
      'lambda:InvokeFunction',
      'lambda:AddPermission',
      'lambda:UpdateFunctionCode',
    ]),
    allow(['ec2:RunInstances', 'iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile']),
    allow('ec2:RunInstances'),
    allow(['codebuild:CreateProject', 'codebuild:StartBuild', 'codebuild:StartBuildBatch']),
    allow('codebuild:StartBuild', '*', { Condition: { Bool: { 'aws:SecureTransport': ['true'] } } }),
  ];
  const denies = [
    undefined,
    deny('iam:PassRole', someRole),
    deny('iam:PassRole', someRole, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['false'] } } }),
  ];
  if (pick() < 0.15) return undefined;
  const statements = [
    passes[Math.floor(pick() * passes.length)],
    ...(pick() < 0.3 ? [allow('iam:PassRole', someRole)] : []),
    creates[Math.floor(pick() * creates.length)],
    ...(pick() < 0.4 ? [creates[Math.floor(pick() * creates.length)]] : []),
    denies[Math.floor(pick() * denies.length)],
  ].filter((x) => x !== undefined);
  return doc(...(statements as Parameters<typeof doc>));
}

function passRoleEstate(seed: number): AwsEnvironment {
  const pick = seededRandom(seed);
  const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const roleSpecs = names('r', 4 + Math.floor(pick() * 8)).map((name) => ({
    name,
    service: PASS_SERVICES[Math.floor(pick() * PASS_SERVICES.length)] as string,
    tags: (pick() < 0.5 ? { team: 'a' } : {}) as Record<string, string>,
    profile: pick() < 0.6,
    conditionalTrust: pick() < 0.15,
  }));
  const roleArns = roleSpecs.map((r) => roleArn(A, r.name));
  const boundary = `arn:aws:iam::${A}:policy/boundary`;
  return environment(
    account(A, {
      roles: roleSpecs.map((r) => {
        const policy = passRolePolicy(pick, roleArns);
        const trust = r.conditionalTrust
          ? trusts(
              { Service: [r.service] },
              { Condition: { ArnLike: { 'aws:SourceArn': ['arn:aws:*:*:*:x'] } } },
            )
          : trusts({ Service: [r.service] });
        return role(A, r.name, trust, {
          tags: r.tags,
          instanceProfileArns: r.profile ? [`arn:aws:iam::${A}:instance-profile/${r.name}`] : [],
          ...(policy ? { policy } : {}),
        });
      }),
      users: names('u', 3 + Math.floor(pick() * 5)).map((name) => {
        const policy = passRolePolicy(pick, roleArns);
        return user(A, name, {
          ...(policy ? { policy } : {}),
          ...(pick() < 0.2 ? { permissionsBoundaryArn: boundary } : {}),
        });
      }),
      managedPolicies: [
        managed(
          boundary,
          doc(
            allow('iam:PassRole', `arn:aws:iam::${A}:role/r1*`),
            allow(['lambda:*', 'ec2:*', 'codebuild:*']),
          ),
        ),
      ],
    }),
  );
}

/**
 * A principal's IAM writes on other principals: every role or user, a pattern, a second statement
 * naming one, NotResource, a condition, a tag condition on the target, a Deny (conditional or not,
 * on one target or by tag), with the writes that change policies (chains through what-if states).
 */
function principalWritePolicy(
  pick: () => number,
  roles: string[],
  users: string[],
): PolicyDocument | undefined {
  const one = <T>(items: T[]): T => items[Math.floor(pick() * items.length)] as T;
  const someRole = one(roles);
  const someUser = one(users);
  const someTarget = one([someRole, someUser]);
  const writes = [
    allow('iam:UpdateAssumeRolePolicy'),
    allow('iam:UpdateAssumeRolePolicy', `arn:aws:iam::${A}:role/r1*`),
    allow(['iam:CreateAccessKey', 'iam:CreateLoginProfile']),
    allow('iam:CreateAccessKey', `arn:aws:iam::${A}:user/*`),
    allow(['iam:CreateLoginProfile', 'iam:UpdateLoginProfile'], `arn:aws:iam::${A}:user/u1*`),
    allow(['iam:UpdateAssumeRolePolicy', 'iam:CreateAccessKey', 'iam:UpdateLoginProfile']),
    allow('iam:*'),
    allow('iam:CreateAccessKey', '*', { Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } } }),
    allow('iam:UpdateAssumeRolePolicy', '*', {
      Condition: { StringEquals: { 'iam:ResourceTag/team': ['a'] } },
    }),
    allow(['iam:UpdateAssumeRolePolicy', 'iam:CreateAccessKey'], '*', {
      Condition: { StringEquals: { 'aws:ResourceTag/team': ['a'] } },
    }),
    { Effect: 'Allow', Action: 'iam:CreateAccessKey', NotResource: someUser },
  ];
  const extras = [
    undefined,
    undefined,
    allow(['iam:UpdateAssumeRolePolicy', 'iam:CreateAccessKey'], someTarget),
    deny(['iam:UpdateAssumeRolePolicy', 'iam:CreateAccessKey', 'iam:CreateLoginProfile'], someTarget),
    deny('iam:*', someTarget, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['false'] } } }),
    deny('iam:*', '*', { Condition: { StringEquals: { 'iam:ResourceTag/team': ['b'] } } }),
    allow('iam:PutUserPolicy'),
    allow('iam:AttachRolePolicy', `arn:aws:iam::${A}:role/r1*`),
    // A workload that may exist running as any role trusting App Runner: the pair edges of those
    // roles merge both techniques (a cell of their own).
    allow('apprunner:UpdateService'),
  ];
  if (pick() < 0.2) return undefined;
  const statements = [one(writes), one(extras), ...(pick() < 0.3 ? [one(writes)] : [])].filter(
    (x) => x !== undefined,
  );
  return doc(...(statements as Parameters<typeof doc>));
}

function principalWriteEstate(seed: number): AwsEnvironment {
  const pick = seededRandom(seed);
  const one = <T>(items: T[]): T => items[Math.floor(pick() * items.length)] as T;
  const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const roleNames = names('r', 4 + Math.floor(pick() * 10));
  const userNames = names('u', 4 + Math.floor(pick() * 10));
  const roleArns = roleNames.map((n) => roleArn(A, n));
  const userArns = userNames.map((n) => `arn:aws:iam::${A}:user/${n}`);
  const tags = (): Record<string, string> => (pick() < 0.4 ? { team: one(['a', 'b']) } : {});
  const boundary = `arn:aws:iam::${A}:policy/boundary`;
  const bounded = () => (pick() < 0.15 ? { permissionsBoundaryArn: boundary } : {});
  const env = environment(
    account(A, {
      roles: roleNames.map((name) => {
        const policy = principalWritePolicy(pick, roleArns, userArns);
        const trust =
          pick() < 0.3
            ? trusts({ Service: ['tasks.apprunner.amazonaws.com'] })
            : trusts({ AWS: [`arn:aws:iam::${A}:root`] });
        return role(A, name, trust, {
          tags: tags(),
          serviceLinked: pick() < 0.1,
          ...bounded(),
          ...(policy ? { policy } : {}),
        });
      }),
      users: userNames.map((name) => {
        const policy = principalWritePolicy(pick, roleArns, userArns);
        const keys = Math.floor(pick() * 3);
        const password = one([true, false, undefined, false]);
        return user(A, name, {
          tags: tags(),
          accessKeys: Array.from({ length: keys }, (_, i) => ({
            accessKeyId: `AKIA${name.toUpperCase()}${i}`.padEnd(20, 'X'),
            status: 'Active' as const,
          })),
          ...(password === undefined ? {} : { hasConsolePassword: password }),
          ...bounded(),
          ...(policy ? { policy } : {}),
        });
      }),
      managedPolicies: [
        managed(
          boundary,
          doc(
            allow(
              ['iam:CreateAccessKey', 'iam:UpdateAssumeRolePolicy'],
              [`arn:aws:iam::${A}:role/r1*`, `arn:aws:iam::${A}:user/*`],
            ),
          ),
        ),
      ],
    }),
  );
  if (seed % 3 !== 0) return env;
  // An SCP that takes one write back on one principal, or under a condition.
  const scps = [
    { policy: orgPolicy('p-full', 'scp', doc(allow('*'))), targets: ['r-root', 'ou-workloads', A] },
    {
      policy: orgPolicy(
        'p-deny',
        'scp',
        seed % 2 === 0
          ? doc(deny('iam:UpdateAssumeRolePolicy', roleArns[0] as string))
          : doc(
              deny('iam:CreateAccessKey', '*', {
                Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['false'] } },
              }),
            ),
      ),
      targets: ['ou-workloads'],
    },
  ];
  return withOrg(env, organization(MGMT, [A], { serviceControlPolicies: scps }));
}
