import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DetectorContext, median, robustSpread } from '../../../src/activity/anomalies/detectors.js';
import { anomalyRules, detectAnomalies, reviewFindings } from '../../../src/activity/anomalies/index.js';
import { userAgentFamily, withinKnownNetworks } from '../../../src/activity/anomalies/patterns.js';
import type { BaselineFigures, IdentityReview, ReviewRow } from '../../../src/activity/anomalies/review.js';
import { ActivityStore } from '../../../src/activity/store.js';
import type { RuleDeclaration } from '../../../src/reports/types.js';

// Each detector on small synthetic days: what it reports, and that a steady identity reports nothing.

const ID = 'arn:aws:iam::111122223333:role/ci-deploy';
const DAY = '2026-11-01';
const rules = anomalyRules();
const rule = (id: string): RuleDeclaration[] => rules.filter((r) => r.id === id);

const SEEN = {
  seenAction: true,
  seenActionResource: true,
  seenContainer: true,
  seenNetwork: true,
  seenRegion: true,
  seenUserAgent: true,
};

function row(fields: Partial<ReviewRow> = {}): ReviewRow {
  return {
    identity: ID,
    identityType: 'AssumedRole',
    source: 'aws-cloudtrail',
    account: '111122223333',
    origin: null,
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::artifacts/build.zip',
    network: '10.0.1.0/24',
    region: 'us-east-1',
    userAgent: 'aws-sdk-go-v2/1.30.0 os/linux',
    outcome: 'success',
    count: 100,
    firstTime: `${DAY}T01:00:00Z`,
    lastTime: `${DAY}T23:00:00Z`,
    hours: 0xffffff,
    samples: [{ time: `${DAY}T01:00:00Z`, id: 'evt-1' }],
    ...SEEN,
    ...fields,
  };
}

function review(rows: ReviewRow[], baseline: Partial<BaselineFigures> = {}): IdentityReview {
  return {
    identity: ID,
    day: DAY,
    rows,
    baseline: {
      windowStart: '2026-10-02',
      windowEnd: '2026-10-31',
      coveredDays: 30,
      activeDays: 30,
      volume: Array.from({ length: 30 }, (_, i) => 95 + (i % 11)),
      denied: Array(30).fill(0),
      errorRate: 0,
      hours: 0xffffff,
      lastActivityBefore: '2026-10-31T23:00:00Z',
      ...baseline,
    },
  };
}

const PROD_BUCKET = 'arn:aws:s3:::prod-payments';
const graph: DetectorContext = {
  environmentOf: (id) =>
    id === PROD_BUCKET ? 'production' : id === 'arn:aws:s3:::artifacts' ? 'development' : undefined,
  grantedOf: () => [
    {
      type: 'CAN_ACCESS',
      target: PROD_BUCKET,
      levels: ['read'],
      actions: ['s3:GetObject'],
      environment: 'production',
    },
    {
      type: 'CAN_ASSUME',
      target: 'arn:aws:iam::111122223333:role/admin',
      levels: null,
      actions: null,
      environment: null,
    },
  ],
};

describe('a steady identity', () => {
  it('raises no anomaly under any rule, its usual day against its usual baseline', () => {
    const day = review([
      row(),
      row({ action: 'sts:AssumeRole', resource: 'arn:aws:iam::111122223333:role/deploy', count: 2 }),
      row({
        action: 'secretsmanager:GetSecretValue',
        resource: 'arn:aws:secretsmanager:us-east-1:1:secret:x',
        count: 1,
      }),
      row({ action: 's3:GetObject', resource: `${PROD_BUCKET}/k`, outcome: 'denied', count: 1 }),
    ]);
    expect(reviewFindings(day, rules, graph)).toEqual([]);
  });
});

describe('first-time sensitive action', () => {
  it('reports an action never called in the baseline, refused attempts included', () => {
    const [finding, ...rest] = reviewFindings(
      review([
        row(),
        row({
          action: 'iam:CreateAccessKey',
          resource: null,
          outcome: 'denied',
          count: 2,
          seenAction: false,
        }),
      ]),
      rule('anomaly-first-sensitive-action'),
    );
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      ruleId: 'anomaly-first-sensitive-action',
      severity: 'high',
      category: 'anomaly',
      subject: { id: ID, kind: 'AwsRole', name: 'ci-deploy' },
      facts: { day: DAY, action: 'iam:CreateAccessKey', outcomes: '2 denied' },
    });
    expect(finding?.events).toEqual([
      {
        time: `${DAY}T01:00:00Z`,
        action: 'iam:CreateAccessKey',
        resource: null,
        source: '10.0.1.0/24',
        region: 'us-east-1',
        userAgent: 'aws-sdk-go-v2/1.30.0 os/linux',
        outcome: 'denied',
        requestId: 'evt-1',
      },
    ]);
  });

  it('reports a role assumed for the first time, not one assumed before, nor a usual action', () => {
    const admin = 'arn:aws:iam::111122223333:role/admin';
    const found = reviewFindings(
      review([
        row({ action: 'sts:AssumeRole', resource: admin, seenActionResource: false }),
        row({ action: 'sts:AssumeRole', resource: 'arn:aws:iam::111122223333:role/deploy' }),
        row({ action: 's3:ListBucket', seenAction: false }),
      ]),
      rule('anomaly-first-sensitive-action'),
    );
    expect(found.map((f) => f.target?.id)).toEqual([admin]);
  });

  it('says nothing over a baseline the logs cover too briefly', () => {
    const found = reviewFindings(
      review([row({ action: 'iam:CreateAccessKey', seenAction: false })], { coveredDays: 3 }),
      rule('anomaly-first-sensitive-action'),
    );
    expect(found).toEqual([]);
  });

  it('matches GCP methods and Kubernetes verbs', () => {
    const found = reviewFindings(
      review([
        row({ action: 'google.iam.admin.v1.CreateServiceAccountKey', seenAction: false }),
        row({ action: 'create rbac.authorization.k8s.io/clusterrolebindings', seenAction: false }),
        row({ action: 'get secrets', seenAction: false }),
        row({ action: 'get pods', seenAction: false }),
      ]),
      rule('anomaly-first-sensitive-action'),
    );
    expect(found.map((f) => f.facts.action).sort()).toEqual([
      'create rbac.authorization.k8s.io/clusterrolebindings',
      'get secrets',
      'google.iam.admin.v1.CreateServiceAccountKey',
    ]);
  });
});

describe('first access to a production resource', () => {
  it('reports a production bucket first read, as the bucket, not a known one nor a development one', () => {
    const found = reviewFindings(
      review([
        row({ resource: `${PROD_BUCKET}/2026/ledger.csv`, seenContainer: false }),
        row({ resource: 'arn:aws:s3:::artifacts/new.zip', seenContainer: false }),
        row({ resource: `${PROD_BUCKET}/denied`, outcome: 'denied', seenContainer: false }),
      ]),
      rule('anomaly-first-production-access'),
      graph,
    );
    expect(found.map((f) => [f.target?.id, f.facts.environment])).toEqual([[PROD_BUCKET, 'production']]);
  });

  it('needs an identity with a history', () => {
    const day = review([row({ resource: `${PROD_BUCKET}/x`, seenContainer: false })], { activeDays: 1 });
    expect(reviewFindings(day, rule('anomaly-first-production-access'), graph)).toEqual([]);
  });
});

describe('new source network, region, user agent', () => {
  it('reports a new /24, not one inside a known CIDR, nor a service name', () => {
    const rows = [
      row({ network: '203.0.113.0/24', seenNetwork: false }),
      row({ network: '192.168.7.0/24', seenNetwork: false }),
      row({ network: 'AWS Internal', seenNetwork: false }),
    ];
    const [network] = rule('anomaly-new-source-network') as [RuleDeclaration];
    const found = reviewFindings(review(rows), [
      { ...network, parameters: { ...network.parameters, knownNetworks: ['192.168.0.0/16'] } },
    ]);
    expect(found.map((f) => f.facts.network)).toEqual(['203.0.113.0/24']);
  });

  it('reports a new region and a new tool, not a new version of the same tool', () => {
    const found = reviewFindings(
      review([
        row({ region: 'ap-southeast-2', seenRegion: false }),
        row({ userAgent: 'aws-sdk-go-v2/1.31.0 os/linux', seenUserAgent: true }),
        row({ userAgent: 'python-requests/2.31', seenUserAgent: false }),
      ]),
      [...rule('anomaly-new-region'), ...rule('anomaly-new-user-agent')],
    );
    expect(found.map((f) => [f.ruleId, f.facts.region ?? f.facts.userAgent])).toEqual([
      ['anomaly-new-region', 'ap-southeast-2'],
      ['anomaly-new-user-agent', 'python-requests'],
    ]);
  });

  it('tells user-agent families and known networks', () => {
    expect(userAgentFamily('aws-cli/2.15.3 Python/3.11.6 Linux/6.1')).toBe('aws-cli');
    expect(userAgentFamily('[Boto3/1.34.1 md/Botocore#1.34.1]')).toBe('boto3');
    expect(userAgentFamily('kubectl/v1.29.0 (linux/amd64) kubernetes/3f7a50f')).toBe('kubectl');
    expect(withinKnownNetworks('10.1.2.0/24', ['10.0.0.0/8'])).toBe(true);
    expect(withinKnownNetworks('10.1.2.0/24', ['10.1.3.0/24'])).toBe(false);
    expect(withinKnownNetworks('2001:db8:0::/48', ['2001:db8::/32'])).toBe(true);
  });
});

describe('unusual hours', () => {
  const office = (1 << 9) | (1 << 13) | (1 << 17);
  it('reports calls at hours the baseline never held, with the events of those hours', () => {
    const [finding] = reviewFindings(
      review(
        [
          row({
            hours: office | (1 << 3),
            samples: [
              { time: `${DAY}T03:12:00Z`, id: 'night' },
              { time: `${DAY}T09:00:00Z`, id: 'day' },
            ],
          }),
        ],
        { hours: office },
      ),
      rule('anomaly-new-active-hours'),
    );
    expect(finding?.facts).toMatchObject({ hours: '03:00', usualHours: '09:00, 13:00, 17:00' });
    expect(finding?.events?.map((e) => e.requestId)).toEqual(['night']);
  });

  it('not within usual hours, nor close to them, nor without hours known', () => {
    const r = rule('anomaly-new-active-hours');
    expect(reviewFindings(review([row({ hours: 1 << 11 })], { hours: office }), r)).toEqual([]);
    expect(reviewFindings(review([row({ hours: 1 << 13 })], { hours: office }), r)).toEqual([]);
    expect(reviewFindings(review([row({ hours: null })], { hours: office }), r)).toEqual([]);
    expect(reviewFindings(review([row({ hours: 1 << 3 })], { hours: null }), r)).toEqual([]);
  });
});

describe('burst of refused calls', () => {
  const denied = (n: number, actions: number) =>
    Array.from({ length: actions }, (_, i) =>
      row({ action: `iam:List${i}`, outcome: 'denied', count: Math.ceil(n / actions), seenAction: false }),
    );

  it('reports enumeration: many refusals over many actions', () => {
    const [finding] = reviewFindings(review([row(), ...denied(40, 8)]), rule('anomaly-access-denied-burst'));
    expect(finding?.facts).toMatchObject({ denied: 40, distinctActions: 8, baselineMedian: 0 });
  });

  it('not a workload refused the same way every day, nor a few refusals', () => {
    const steady = review([row(), ...denied(40, 8)], { denied: Array(30).fill(40) });
    expect(reviewFindings(steady, rule('anomaly-access-denied-burst'))).toEqual([]);
    expect(reviewFindings(review([row(), ...denied(6, 3)]), rule('anomaly-access-denied-burst'))).toEqual([]);
  });
});

describe('volume spike', () => {
  it('reports a day far above the identity’s own median', () => {
    const [finding] = reviewFindings(review([row({ count: 2_000 })]), rule('anomaly-volume-spike'));
    expect(finding?.facts).toMatchObject({ events: 2_000 });
    expect(finding?.facts.baselineMedian).toBeGreaterThan(95);
  });

  it('not a busy identity’s ordinary day, nor a quiet one’s small rise', () => {
    const busy = review([row({ count: 60_000 })], {
      volume: Array.from({ length: 30 }, (_, i) => 50_000 + (i % 7) * 2_000),
    });
    expect(reviewFindings(busy, rule('anomaly-volume-spike'))).toEqual([]);
    const quiet = review([row({ count: 40 })], { volume: Array(30).fill(4) });
    expect(reviewFindings(quiet, rule('anomaly-volume-spike'))).toEqual([]);
  });

  it('median and MAD', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(robustSpread([10, 10, 10], 1)).toBe(1);
    expect(robustSpread([1, 2, 3, 4, 100], 0)).toBeCloseTo(1.4826);
  });
});

describe('dormant identity active again', () => {
  it('reports calls after a long silence the logs cover', () => {
    const [finding] = reviewFindings(
      review([row()], {
        activeDays: 0,
        volume: Array(30).fill(0),
        lastActivityBefore: '2026-09-01T10:00:00Z',
      }),
      rule('anomaly-dormant-identity-active'),
    );
    expect(finding?.facts).toMatchObject({ idleDays: 60, lastActivityBefore: '2026-09-01T10:00:00Z' });
  });

  it('from the provider’s record when the logs never saw the identity', () => {
    const context: DetectorContext = {
      ...graph,
      recordedUseOf: () => ({ lastUsedAt: null, createdAt: '2024-03-04T10:00:00Z' }),
    };
    const [finding] = reviewFindings(
      review([row()], { activeDays: 0, volume: Array(30).fill(0), lastActivityBefore: null }),
      rule('anomaly-dormant-identity-active'),
      context,
    );
    expect(finding?.facts).toMatchObject({
      from: 'provider record',
      lastActivityBefore: '2024-03-04T10:00:00Z',
    });
  });

  it('not after a short pause, not an identity never seen, not over a gap in the logs', () => {
    const r = rule('anomaly-dormant-identity-active');
    expect(reviewFindings(review([row()], { lastActivityBefore: '2026-10-29T10:00:00Z' }), r)).toEqual([]);
    expect(reviewFindings(review([row()], { lastActivityBefore: null }), r)).toEqual([]);
    expect(
      reviewFindings(review([row()], { coveredDays: 5, lastActivityBefore: '2026-09-01T10:00:00Z' }), r),
    ).toEqual([]);
  });
});

describe('non-human identity doing human things', () => {
  it('reports a console sign-in and a browser, once', () => {
    const found = reviewFindings(
      review([
        row({ action: 'signin:ConsoleLogin', resource: null, seenAction: false }),
        row({ action: 's3:ListBuckets', userAgent: 'Mozilla/5.0 (X11)', seenUserAgent: false }),
      ]),
      rule('anomaly-non-human-human-activity'),
    );
    expect(found.map((f) => f.facts.actions)).toEqual(['s3:ListBuckets, signin:ConsoleLogin']);
    const again = review([row({ action: 'signin:ConsoleLogin', resource: null })]);
    expect(reviewFindings(again, rule('anomaly-non-human-human-activity'))).toEqual([]);
  });
});

describe('reachable path exercised for the first time', () => {
  it('reports the first use of a production access edge and of an assume edge', () => {
    const found = reviewFindings(
      review([
        row({ resource: `${PROD_BUCKET}/a`, seenContainer: false }),
        row({
          action: 'sts:AssumeRole',
          resource: 'arn:aws:iam::111122223333:role/admin',
          seenActionResource: false,
        }),
      ]),
      rule('anomaly-path-first-exercised'),
      graph,
    );
    expect(found.map((f) => [f.facts.edge, f.target?.id])).toEqual([
      ['CAN_ACCESS', PROD_BUCKET],
      ['CAN_ASSUME', 'arn:aws:iam::111122223333:role/admin'],
    ]);
  });

  it('needs the graph’s edges', () => {
    const day = review([row({ resource: `${PROD_BUCKET}/a`, seenContainer: false })]);
    expect(reviewFindings(day, rule('anomaly-path-first-exercised'))).toEqual([]);
  });
});

describe('fingerprints', () => {
  it('name the rule, identity, day and what is new, so a suppression covers that anomaly only', () => {
    const day = review([row({ action: 'iam:CreateAccessKey', seenAction: false })]);
    const [a] = reviewFindings(day, rule('anomaly-first-sensitive-action'));
    const [b] = reviewFindings(day, rule('anomaly-first-sensitive-action'));
    const [c] = reviewFindings({ ...day, day: '2026-11-02' }, rule('anomaly-first-sensitive-action'));
    expect(a?.fingerprint).toBe(b?.fingerprint);
    expect(a?.fingerprint).not.toBe(c?.fingerprint);
  });
});

describe('detectAnomalies over a real DuckDB store', () => {
  let store: ActivityStore;
  beforeEach(async () => {
    store = await ActivityStore.open(':memory:');
  });
  afterEach(() => store.close());

  const steady = 'arn:aws:iam::111122223333:role/steady';
  const leaked = 'arn:aws:iam::111122223333:user/ci-bot';

  /** 30 days of the same calls for both identities, then a day the CI key is used from elsewhere. */
  async function seed(): Promise<void> {
    await store.connection.run(`
      INSERT INTO daily (day, source, account, identity, identity_type, action, resource, network, region,
        user_agent, outcome, count, first_time, last_time, hours, samples)
      SELECT d::DATE, 'aws-cloudtrail', '111122223333', i, 'IAMUser', 's3:GetObject',
        'arn:aws:s3:::artifacts/x', '10.0.1.0/24', 'us-east-1', 'aws-cli/2.15.0', 'success',
        90 + (hash(i || d::VARCHAR) % 20)::BIGINT, d + INTERVAL 9 HOUR, d + INTERVAL 17 HOUR, 0, NULL
      FROM range(TIMESTAMP '2026-10-02', TIMESTAMP '2026-11-02', INTERVAL 1 DAY) t(d), (VALUES ('${steady}'), ('${leaked}')) v(i)`);
    await store.connection.run(`
      INSERT INTO daily (day, source, account, identity, identity_type, action, resource, network, region,
        user_agent, outcome, count, first_time, last_time, hours, samples)
      VALUES ('2026-11-01', 'aws-cloudtrail', '111122223333', '${leaked}', 'IAMUser', 'iam:CreateAccessKey',
        NULL, '198.51.100.0/24', 'us-east-1', 'python-requests/2.31', 'success', 1,
        TIMESTAMP '2026-11-01 03:12:00', TIMESTAMP '2026-11-01 03:12:00', 8,
        [{'time': TIMESTAMP '2026-11-01 03:12:00', 'id': 'req-123'}])`);
    await store.connection.run(`
      INSERT INTO coverage_days SELECT 'aws-cloudtrail', '111122223333', day, sum(count), min(first_time),
        max(last_time) FROM daily GROUP BY day`);
  }

  it('reports the leaked key’s new network, tool and key creation with its request id, and nothing of the steady role', async () => {
    await seed();
    const run = await detectAnomalies(store);
    expect(run.days).toEqual([{ day: '2026-11-01', identities: 2 }]);
    expect(run.findings.map((f) => [f.ruleId, f.subject.id]).sort()).toEqual([
      ['anomaly-first-sensitive-action', leaked],
      ['anomaly-new-source-network', leaked],
      ['anomaly-new-user-agent', leaked],
    ]);
    const key = run.findings.find((f) => f.ruleId === 'anomaly-first-sensitive-action');
    expect(key?.events?.[0]).toMatchObject({ time: '2026-11-01T03:12:00Z', requestId: 'req-123' });
    expect(key?.facts).toMatchObject({ baselineWindow: '2026-10-02..2026-10-31', baselineCoveredDays: 30 });
  });

  it('reviews several days, each against its own baseline, and one identity alone', async () => {
    await seed();
    const run = await detectAnomalies(store, { day: '2026-11-01', days: 3, identity: steady });
    expect(run.days.map((d) => d.day)).toEqual(['2026-10-30', '2026-10-31', '2026-11-01']);
    expect(run.findings).toEqual([]);
  });

  it('an empty store has nothing to review', async () => {
    expect(await detectAnomalies(store)).toEqual({ days: [], baselineDays: 30, findings: [] });
  });
});
