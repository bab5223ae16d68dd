// Seeds one account of the AWS environment model (IAM principals, policies, OIDC providers and
// buckets) into moto through the AWS SDK, so that the live collector can read the very estate a
// snapshot of the same model describes (bench/sync-dense.ts, the live-versus-snapshot test).
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateAccountAliasCommand,
  CreateGroupCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { AwsAccountData } from '../src/model/aws/environment.js';
import type { NamedPolicy, PolicyDocument } from '../src/model/aws/policy.js';
import { eachLimit } from '../src/util/pool.js';
import { cliDocument } from './synthetic-aws.js';
import { DENSE_REGION } from './synthetic-aws-dense.js';

/** moto accepts any credentials. */
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** Creates the account's IAM principals, policies and buckets in moto, `concurrency` calls at a time; returns the number of calls. */
export async function seedAccount(
  endpoint: string,
  account: AwsAccountData,
  concurrency: number,
): Promise<number> {
  const config = { endpoint, region: DENSE_REGION, credentials: MOTO_CREDENTIALS };
  const iam = new IAMClient(config);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const text = (document: PolicyDocument) => JSON.stringify(cliDocument(document));
  const tags = (t: Record<string, string>) => Object.entries(t).map(([Key, Value]) => ({ Key, Value }));
  const name = (arn: string) => arn.split('/').pop() as string;
  // moto 5.x keeps no user boundary (CreateUser ignores PermissionsBoundary and
  // PutUserPermissionsBoundary is not implemented): seeding one would silently lose it.
  const bounded = account.users.find((u) => u.permissionsBoundaryArn);
  if (bounded) throw new Error(`moto cannot hold the permissions boundary of user ${bounded.arn}`);
  let calls = 0;
  const send = async (client: IAMClient | S3Client, command: unknown) => {
    calls++;
    // biome-ignore lint/suspicious/noExplicitAny: one helper for two clients' commands
    await (client as any).send(command);
  };
  const all = <T>(items: T[], fn: (item: T) => Promise<void>) => eachLimit(items, concurrency, fn);
  const inline = (items: NamedPolicy[], put: (p: NamedPolicy) => unknown) =>
    Promise.all(items.map((p) => send(iam, put(p))));

  if (account.alias) await send(iam, new CreateAccountAliasCommand({ AccountAlias: account.alias }));
  await all(account.oidcProviders, (p) =>
    send(
      iam,
      new CreateOpenIDConnectProviderCommand({
        Url: `https://${p.url}`,
        ClientIDList: p.clientIds,
        ThumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
      }),
    ),
  );
  await all(account.managedPolicies, (m) =>
    send(
      iam,
      new CreatePolicyCommand({ PolicyName: m.policy.name, PolicyDocument: text(m.policy.document) }),
    ),
  );
  await all(account.groups, async (g) => {
    await send(iam, new CreateGroupCommand({ GroupName: g.name }));
    await Promise.all(
      g.attachedPolicyArns.map((PolicyArn) =>
        send(iam, new AttachGroupPolicyCommand({ GroupName: g.name, PolicyArn })),
      ),
    );
    await inline(
      g.inlinePolicies,
      (p) =>
        new PutGroupPolicyCommand({
          GroupName: g.name,
          PolicyName: p.name,
          PolicyDocument: text(p.document),
        }),
    );
  });
  await all(account.roles, async (r) => {
    await send(
      iam,
      new CreateRoleCommand({
        RoleName: r.name,
        AssumeRolePolicyDocument: text(r.trustPolicy.document),
        Tags: tags(r.tags),
        ...(r.permissionsBoundaryArn ? { PermissionsBoundary: r.permissionsBoundaryArn } : {}),
      }),
    );
    await Promise.all(
      r.attachedPolicyArns.map((PolicyArn) =>
        send(iam, new AttachRolePolicyCommand({ RoleName: r.name, PolicyArn })),
      ),
    );
    await inline(
      r.inlinePolicies,
      (p) =>
        new PutRolePolicyCommand({ RoleName: r.name, PolicyName: p.name, PolicyDocument: text(p.document) }),
    );
  });
  await all(account.users, async (u) => {
    await send(
      iam,
      new CreateUserCommand({
        UserName: u.name,
        Tags: tags(u.tags),
      }),
    );
    await Promise.all([
      ...u.groupArns.map((g) =>
        send(iam, new AddUserToGroupCommand({ UserName: u.name, GroupName: name(g) })),
      ),
      ...u.attachedPolicyArns.map((PolicyArn) =>
        send(iam, new AttachUserPolicyCommand({ UserName: u.name, PolicyArn })),
      ),
      ...u.accessKeys.map(() => send(iam, new CreateAccessKeyCommand({ UserName: u.name }))),
    ]);
    await inline(
      u.inlinePolicies,
      (p) =>
        new PutUserPolicyCommand({ UserName: u.name, PolicyName: p.name, PolicyDocument: text(p.document) }),
    );
  });
  await all(account.resources, async (b) => {
    await send(s3, new CreateBucketCommand({ Bucket: b.name }));
    await send(s3, new PutBucketTaggingCommand({ Bucket: b.name, Tagging: { TagSet: tags(b.tags) } }));
    if (b.policy)
      await send(s3, new PutBucketPolicyCommand({ Bucket: b.name, Policy: text(b.policy.document) }));
  });
  return calls;
}
