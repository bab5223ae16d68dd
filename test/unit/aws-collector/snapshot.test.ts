import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AwsRaw } from '../../../src/collectors/aws/raw.js';
import { parseDocumentName, perResource, resourceFileName } from '../../../src/collectors/aws/raw.js';
import { readAwsSnapshot, writeAwsSnapshot } from '../../../src/collectors/aws/snapshot.js';

const temporary: string[] = [];
afterEach(async () => {
  for (const dir of temporary.splice(0)) await rm(dir, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'reachgraph-aws-snapshot-'));
  temporary.push(dir);
  return dir;
}

const raw: AwsRaw = {
  accounts: {
    '111122223333': {
      documents: {
        'iam-get-account-authorization-details': { UserDetailList: [], RoleDetailList: [] },
        'iam-credential-report': 'user,arn\n',
        [perResource('secretsmanager-get-resource-policy', 'prod/db/password', 'eu-west-1')]: {
          Name: 'prod/db/password',
        },
        [perResource('ecs-describe-task-definition', 'web:3', 'eu-west-1')]: { taskDefinition: {} },
        'eu-west-1/lambda-list-functions': { Functions: [] },
      },
      ran: [
        's3api-get-bucket-policy',
        'eu-west-1/secretsmanager-get-resource-policy',
        'eu-west-1/ecs-describe-task-definition',
      ],
      errors: { 'eu-west-1/rds-describe-db-instances': 'AccessDeniedException: no' },
    },
  },
  organization: {
    documents: { 'organizations-describe-organization': { Organization: { Id: 'o-1' } } },
    ran: [],
    errors: {},
  },
};

describe('snapshot directories', () => {
  it('reads back exactly what was written', async () => {
    const dir = await tempDir();
    await writeAwsSnapshot(raw, dir);
    const back = await readAwsSnapshot(dir);
    expect(back.organization).toEqual(raw.organization);
    const account = back.accounts['111122223333'];
    expect(account?.documents).toEqual(raw.accounts['111122223333']?.documents);
    expect(account?.errors).toEqual(raw.accounts['111122223333']?.errors);
    expect(account?.ran.sort()).toEqual([...(raw.accounts['111122223333']?.ran ?? [])].sort());
  });

  it('writes the CLI layout: JSON per command, CSV report, one file per resource, .error for a failed call', async () => {
    const dir = await tempDir();
    await writeAwsSnapshot(raw, dir);
    const account = join(dir, 'aws', '111122223333');
    expect((await readdir(account)).sort()).toEqual([
      'eu-west-1',
      'iam-credential-report.csv',
      'iam-get-account-authorization-details.json',
      's3api-get-bucket-policy',
    ]);
    expect(await readdir(join(account, 'eu-west-1/secretsmanager-get-resource-policy'))).toEqual([
      'prod%2Fdb%2Fpassword.json',
    ]);
    expect(await readdir(join(account, 'eu-west-1/ecs-describe-task-definition'))).toEqual(['web%3A3.json']);
    expect(await readFile(join(account, 'eu-west-1/rds-describe-db-instances.error'), 'utf8')).toBe(
      'AccessDeniedException: no\n',
    );
    // Four-space indentation, like the AWS CLI.
    expect(await readFile(join(account, 'eu-west-1/lambda-list-functions.json'), 'utf8')).toBe(
      '{\n    "Functions": []\n}\n',
    );
  });

  it('names a malformed file instead of failing the whole read', async () => {
    const dir = await tempDir();
    await writeAwsSnapshot(raw, dir);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'aws/111122223333/eu-west-1/lambda-list-functions.json'), '{"Functions": [');
    const back = await readAwsSnapshot(dir);
    expect(back.accounts['111122223333']?.errors['eu-west-1/lambda-list-functions']).toMatch(
      /eu-west-1\/lambda-list-functions\.json: malformed JSON/,
    );
    expect(back.accounts['111122223333']?.documents['iam-get-account-authorization-details']).toBeDefined();
  });

  it('names the file and the line and column of invalid JSON', async () => {
    const dir = await tempDir();
    await writeAwsSnapshot(raw, dir);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      join(dir, 'aws/111122223333/eu-west-1/lambda-list-functions.json'),
      '{\n  "Functions" []\n}',
    );
    const back = await readAwsSnapshot(dir);
    expect(back.accounts['111122223333']?.errors['eu-west-1/lambda-list-functions']).toMatch(
      /lambda-list-functions\.json: malformed JSON \(truncated\?\): .* \(line 2, column 15\)$/,
    );
  });

  it('reads only regular files: a dangling link, a directory, a FIFO and a device are errors naming the path', async () => {
    const dir = await tempDir();
    await writeAwsSnapshot(raw, dir);
    const account = join(dir, 'aws/111122223333');
    const { mkdir: makeDir, symlink } = await import('node:fs/promises');
    await symlink(join(account, 'gone.json'), join(account, 'iam-list-account-aliases.json'));
    await makeDir(join(account, 's3api-list-buckets.json'));
    execFileSync('mkfifo', [join(account, 'iam-list-saml-providers.json')]);
    await symlink('/dev/zero', join(account, 'iam-list-open-id-connect-providers.json'));
    const started = Date.now();
    const back = await readAwsSnapshot(dir);
    expect(Date.now() - started).toBeLessThan(5_000);
    const errors = back.accounts['111122223333']?.errors ?? {};
    expect(errors['iam-list-account-aliases']).toMatch(
      new RegExp(`^${account}/iam-list-account-aliases\\.json: cannot open: ENOENT`),
    );
    expect(errors['s3api-list-buckets']).toBe(
      `${account}/s3api-list-buckets.json: not a regular file (a directory): only regular files are read`,
    );
    expect(errors['iam-list-saml-providers']).toBe(
      `${account}/iam-list-saml-providers.json: not a regular file (a FIFO): only regular files are read`,
    );
    expect(errors['iam-list-open-id-connect-providers']).toBe(
      `${account}/iam-list-open-id-connect-providers.json: not a regular file (a device): only regular files are read`,
    );
    // The rest of the account is still read.
    expect(back.accounts['111122223333']?.documents['iam-get-account-authorization-details']).toBeDefined();
  });

  it('refuses a file above the size limit, naming it, and reads one at the limit', async () => {
    const dir = await tempDir();
    await writeAwsSnapshot(raw, dir);
    const path = join(dir, 'aws/111122223333/eu-west-1/lambda-list-functions.json');
    const size = (await stat(path)).size;
    const over = await readAwsSnapshot(dir, { maxFileBytes: size - 1 });
    expect(over.accounts['111122223333']?.errors['eu-west-1/lambda-list-functions']).toBe(
      `${path}: ${size} bytes, above the limit of ${size - 1} bytes`,
    );
    const at = await readAwsSnapshot(dir, { maxFileBytes: size });
    expect(at.accounts['111122223333']?.documents['eu-west-1/lambda-list-functions']).toEqual({
      Functions: [],
    });
  });

  it('does not follow a link to a folder, so a link to a parent cannot loop', async () => {
    const dir = await tempDir();
    await writeAwsSnapshot(raw, dir);
    const { symlink } = await import('node:fs/promises');
    await symlink('..', join(dir, 'aws/111122223333/eu-west-1/loop'));
    const back = await readAwsSnapshot(dir);
    expect(Object.keys(back.accounts['111122223333']?.documents ?? {}).some((n) => n.includes('loop'))).toBe(
      false,
    );
  });

  it('records a dangling link named like an account as not collected, and reads the others', async () => {
    const dir = await tempDir();
    await writeAwsSnapshot(raw, dir);
    const { symlink } = await import('node:fs/promises');
    await symlink(join(dir, 'nowhere'), join(dir, 'aws/444455556666'));
    const back = await readAwsSnapshot(dir);
    expect(Object.keys(back.accounts)).toEqual(['111122223333']);
    expect(back.failures).toEqual([
      expect.stringMatching(new RegExp(`^${dir}/aws/444455556666: cannot read the folder: ENOENT`)),
    ]);
  });

  it('refuses a directory without AWS account folders, saying what it expected', async () => {
    const dir = await tempDir();
    await expect(readAwsSnapshot(dir)).rejects.toThrow(/cannot read the AWS snapshot folder/);
    await mkdir(join(dir, 'aws', 'not-an-account'), { recursive: true });
    await expect(readAwsSnapshot(dir)).rejects.toThrow(/no account folder \(aws\/<12-digit account id>\/\)/);
  });

  it('encodes resource names into one path segment and decodes them back', () => {
    expect(resourceFileName('a/b:c%d')).toBe('a%2Fb%3Ac%25d');
    expect(parseDocumentName(perResource('kms-get-key-policy', 'k/1', 'us-east-1'))).toEqual({
      region: 'us-east-1',
      command: 'kms-get-key-policy',
      resource: 'k/1',
    });
    expect(parseDocumentName('iam-get-account-authorization-details')).toEqual({
      command: 'iam-get-account-authorization-details',
    });
  });
});
