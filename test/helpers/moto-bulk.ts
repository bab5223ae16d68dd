import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { eachLimit } from '../../src/util/pool.js';
import { MOTO_ACCOUNT, MOTO_CREDENTIALS, MOTO_REGION } from './moto-environment.js';

/**
 * Many look-alike resources in moto, for tests and benchmarks of the live collector's per-resource
 * calls: buckets each with a policy (the account may read its objects) and a `name` tag, and users
 * each with one access key.
 */
export async function seedBulk(
  endpoint: string,
  names: { buckets: string[]; users: string[] },
): Promise<void> {
  const config = { endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS };
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  await eachLimit(names.buckets, 8, async (Bucket) => {
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(
      new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'name', Value: Bucket }] } }),
    );
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${MOTO_ACCOUNT}:root` },
              Action: 's3:GetObject',
              Resource: `arn:aws:s3:::${Bucket}/*`,
            },
          ],
        }),
      }),
    );
  });
  const iam = new IAMClient(config);
  await eachLimit(names.users, 8, async (UserName) => {
    await iam.send(new CreateUserCommand({ UserName }));
    await iam.send(new CreateAccessKeyCommand({ UserName }));
  });
}
