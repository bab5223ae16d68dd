import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** A CloudTrail record as CloudTrail writes it, with the fields a test names over plausible defaults. */
export function cloudTrailRecord(
  fields: Record<string, unknown> & { eventID: string },
): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    eventTime: '2026-11-02T10:00:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.15.0',
    requestID: `req-${fields.eventID}`,
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEBOT',
      arn: 'arn:aws:iam::111122223333:user/ci-bot',
      accountId: '111122223333',
      accessKeyId: 'AKIAEXAMPLEKEY000001',
      userName: 'ci-bot',
    },
    ...fields,
  };
}

/**
 * One log file in CloudTrail's S3 layout under `root` (organization trails add the organization id
 * folder), gzipped as CloudTrail delivers it unless `gzip: false`. Returns its path.
 */
export function writeTrailFile(
  root: string,
  records: unknown[],
  options: {
    account?: string;
    region?: string;
    day?: string;
    name?: string;
    organization?: string;
    gzip?: boolean;
  } = {},
): string {
  const account = options.account ?? '111122223333';
  const region = options.region ?? 'us-east-1';
  const [y, m, d] = (options.day ?? '2026-11-02').split('-') as [string, string, string];
  const dir = join(
    root,
    'AWSLogs',
    ...(options.organization ? [options.organization] : []),
    account,
    'CloudTrail',
    region,
    y,
    m,
    d,
  );
  mkdirSync(dir, { recursive: true });
  const gzip = options.gzip ?? true;
  const path = join(
    dir,
    `${account}_CloudTrail_${region}_${y}${m}${d}T1000Z_${options.name ?? 'a'}.json${gzip ? '.gz' : ''}`,
  );
  const text = JSON.stringify({ Records: records });
  writeFileSync(path, gzip ? gzipSync(text) : text);
  return path;
}
