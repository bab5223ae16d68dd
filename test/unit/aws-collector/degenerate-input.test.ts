import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeAws } from '../../../src/analyzers/aws-iam/analyze.js';
import { readAwsSnapshot } from '../../../src/collectors/aws/snapshot.js';
import { type TransformOptions, transformAws } from '../../../src/collectors/aws/transform.js';
import type { AwsAccountData, AwsEnvironment } from '../../../src/model/aws/environment.js';
import { validateInventory } from '../../../src/model/validate.js';
import { buildAwsInventory } from '../../../src/providers/aws/inventory.js';

/**
 * Degenerate and malformed snapshots: a required file that claims an empty account, another
 * account's file, one bad record among good ones, a top-level regional file without ARNs.
 */

const FIXTURE = join(import.meta.dirname, '../../fixtures/aws-collector/basic');
const A = '111122223333';
const B = '444455556666';
const DETAILS = 'iam-get-account-authorization-details.json';

const temporary: string[] = [];
afterEach(async () => {
  for (const dir of temporary.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A copy of the fixture (and, with `second`, the same account again as account B), changed by `edit`. */
async function snapshot(edit: (dir: string) => Promise<void>, second = false): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'reachgraph-aws-degenerate-'));
  temporary.push(dir);
  await cp(FIXTURE, dir, { recursive: true });
  if (second) await copyAccount(join(dir, 'aws', A), join(dir, 'aws', B));
  await edit(dir);
  return dir;
}

/** Account A's folder as account B: every file with A's id replaced by B's. */
async function copyAccount(from: string, to: string): Promise<void> {
  await cp(from, to, { recursive: true });
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else await writeFile(path, (await readFile(path, 'utf8')).replaceAll(A, B));
    }
  };
  await walk(to);
}

// biome-ignore lint/suspicious/noExplicitAny: tests edit free-form CLI JSON in place.
type CliDocument = Record<string, any>;

async function editJson(path: string, change: (document: CliDocument) => CliDocument | undefined) {
  const document = JSON.parse(await readFile(path, 'utf8'));
  await writeFile(path, JSON.stringify(change(document) ?? document));
}

async function read(dir: string, options: TransformOptions = {}): Promise<AwsEnvironment> {
  return transformAws(await readAwsSnapshot(dir), options);
}

const accountOf = (env: AwsEnvironment, id = A) =>
  env.accounts.find((a) => a.accountId === id) as AwsAccountData;
const errorsOf = (account: AwsAccountData) => account.issues.filter((i) => i.severity === 'error');

/** The inventory a sync would load, validated: throws as the sync would. */
async function inventoryOf(env: AwsEnvironment) {
  const analysis = await analyzeAws(env);
  return validateInventory(buildAwsInventory(env, analysis, { sourceName: 'test' }), 'test').inventory;
}

const completeness = async (env: AwsEnvironment) =>
  Object.fromEntries((await inventoryOf(env)).scopes.map((s) => [s.id, s.complete]));

describe('a required file that claims less than a whole account', () => {
  it('refuses `{}` as the authorization details: every required list is an error, the account incomplete', async () => {
    const env = await read(await snapshot((dir) => writeFile(join(dir, 'aws', A, DETAILS), '{}')));
    const account = accountOf(env);
    expect(errorsOf(account).map((i) => i.message)).toEqual([
      'GroupDetailList must be a list (it is required), got nothing',
      'UserDetailList must be a list (it is required), got nothing',
      'RoleDetailList must be a list (it is required), got nothing',
      'Policies must be a list (it is required), got nothing',
    ]);
    expect(errorsOf(account)[0]?.source).toBe(`aws/${A}/${DETAILS}`);
    expect((await completeness(env))[`aws:${A}`]).toBe(false);
  });

  it('refuses `"RoleDetailList": null` but still reads the lists that are there', async () => {
    const env = await read(
      await snapshot((dir) =>
        editJson(join(dir, 'aws', A, DETAILS), (d) => {
          d.RoleDetailList = null;
          return d;
        }),
      ),
    );
    const account = accountOf(env);
    expect(errorsOf(account).map((i) => i.message)).toEqual([
      'RoleDetailList must be a list (it is required), got null',
    ]);
    expect(account.roles).toEqual([]);
    expect(account.users.length).toBeGreaterThan(0);
    expect((await completeness(env))[`aws:${A}`]).toBe(false);
  });

  it('accepts empty lists: an account may have no roles', async () => {
    const env = await read(
      await snapshot((dir) =>
        editJson(join(dir, 'aws', A, DETAILS), (d) => {
          d.RoleDetailList = [];
          return d;
        }),
      ),
    );
    expect(errorsOf(accountOf(env))).toEqual([]);
    expect((await completeness(env))[`aws:${A}`]).toBe(true);
  });

  it("refuses another account's file in an account's folder, principal by principal", async () => {
    const dir = await snapshot(async (d) => {
      // Account B's authorization details copied into A's folder.
      await cp(join(d, 'aws', B, DETAILS), join(d, 'aws', A, DETAILS));
    }, true);
    const env = await read(dir);
    const a = accountOf(env);
    expect(a.users).toEqual([]);
    expect(a.roles).toEqual([]);
    expect(a.groups).toEqual([]);
    // AWS managed policies belong to no account and are kept; B's own are not.
    expect(a.managedPolicies.every((p) => p.arn.startsWith('arn:aws:iam::aws:'))).toBe(true);
    const roleError = errorsOf(a).find((i) => i.object?.startsWith('RoleDetailList[0]'));
    expect(roleError?.message).toContain(
      `Arn "arn:aws:iam::${B}:role/deploy" belongs to account ${B}, not to account ${A} whose folder it is in`,
    );
    expect(await completeness(env)).toMatchObject({ [`aws:${A}`]: false, [`aws:${B}`]: true });
  });
});

describe('the live collector’s documents', () => {
  it('are held to the same required lists: a response without RoleDetailList is an error', () => {
    // What the live collector records is the raw document the transform reads (src/collectors/aws/live.ts).
    const env = transformAws({
      accounts: {
        [A]: {
          documents: {
            'iam-get-account-authorization-details': {
              UserDetailList: [],
              GroupDetailList: [],
              Policies: [],
            },
          },
          ran: [],
          errors: {},
        },
      },
    });
    expect(errorsOf(accountOf(env)).map((i) => i.message)).toEqual([
      'RoleDetailList must be a list (it is required), got nothing',
    ]);
  });
});

describe('one bad record', () => {
  it('skips only that object, names the file and the object, clips a 1 MB value, and loads every other account', async () => {
    const huge = `arn:aws:iam::${B}:role/${'x'.repeat(1_000_000)}:`;
    const dir = await snapshot(
      (d) =>
        editJson(join(d, 'aws', B, DETAILS), (details) => {
          details.RoleDetailList[0].Arn = 'not-an-arn';
          details.RoleDetailList[1].Arn = huge.replace('arn:aws:iam', 'arn:aws:s3');
          return details;
        }),
      true,
    );
    const env = await read(dir);
    const b = accountOf(env, B);
    const errors = errorsOf(b);
    expect(errors.map((i) => [i.source, i.object])).toEqual([
      [`aws/${B}/${DETAILS}`, 'RoleDetailList[0] (RoleName "deploy")'],
      [`aws/${B}/${DETAILS}`, 'RoleDetailList[1] (RoleName "web")'],
    ]);
    expect(errors[0]?.message).toMatch(
      /Arn "not-an-arn" is not an ARN of the form arn:aws:iam::<account>:role\//,
    );
    expect(errors[1]?.message.length).toBeLessThan(600);
    expect(errors[1]?.message).toMatch(/… \(\d{7} characters\) is not an ARN/);
    expect(b.roles.map((r) => r.name)).toEqual(['AWSServiceRoleForSupport']);
    expect(b.users.length).toBeGreaterThan(0);
    // The run goes on: A is complete, B incomplete (nothing of B is cleaned), the inventory is valid.
    expect(await completeness(env)).toMatchObject({ [`aws:${A}`]: true, [`aws:${B}`]: false });
  });

  it('skips a user whose attached policy ARN is malformed, instead of failing the inventory', async () => {
    const env = await read(
      await snapshot((dir) =>
        editJson(join(dir, 'aws', A, DETAILS), (d) => {
          d.UserDetailList[0].AttachedManagedPolicies = [{ PolicyName: 'x', PolicyArn: 'policy-x' }];
          return d;
        }),
      ),
    );
    const [error] = errorsOf(accountOf(env));
    expect(error?.message).toContain('AttachedManagedPolicies[0].PolicyArn "policy-x" is not an ARN');
    await expect(inventoryOf(env)).resolves.toBeDefined();
  });

  it('skips a resource whose ARN is of another account, naming its file', async () => {
    const dir = await snapshot((d) =>
      editJson(join(d, 'aws', A, 'eu-west-1', 'lambda-list-functions.json'), (document) => {
        document.Functions[0].FunctionArn = document.Functions[0].FunctionArn.replace(A, B);
        return document;
      }),
    );
    const [error] = errorsOf(accountOf(await read(dir)));
    expect(error?.source).toBe(`aws/${A}/eu-west-1/lambda-list-functions.json`);
    expect(error?.message).toContain(`belongs to account ${B}, not to account ${A}`);
  });

  it('names the organization file when an item is malformed (Id as an object)', async () => {
    const dir = await snapshot((d) =>
      editJson(join(d, 'aws', 'organization', 'organizations-list-roots.json'), (document) => {
        document.Roots[0].Id = { nested: true };
        return document;
      }),
    );
    const env = await read(dir);
    expect(env.issues.filter((i) => i.severity === 'error')).toEqual([
      expect.objectContaining({
        source: 'aws/organization/organizations-list-roots.json',
        object: 'Roots[0] (Name "Root")',
        message: 'Roots[0] (Name "Root"): Id must be a string, got an object',
      }),
    ]);
    expect(env.organization?.id).toBe('o-exampleorg1');
  });
});

describe('a regional file at the top of an account folder, its items without ARNs', () => {
  const glue = { DevEndpoints: [{ EndpointName: 'dev', RoleArn: `arn:aws:iam::${A}:role/web` }] };
  const withGlue = (regions?: string[]) =>
    snapshot(async (dir) => {
      await writeFile(join(dir, 'aws', A, 'glue-get-dev-endpoints.json'), JSON.stringify(glue));
      if (regions)
        await writeFile(
          join(dir, 'aws', A, 'ec2-describe-regions.json'),
          JSON.stringify({ Regions: regions.map((RegionName) => ({ RegionName })) }),
        );
    });
  const endpoint = (env: AwsEnvironment) =>
    accountOf(env).resources.find((r) => r.type === 'glue-dev-endpoint');
  const said = (env: AwsEnvironment) =>
    accountOf(env)
      .issues.filter((i) => i.source === `aws/${A}/glue-get-dev-endpoints.json`)
      .map((i) => `${i.severity}: ${i.message}`);

  it('is an error naming the file only when nothing decides the region', async () => {
    const env = await read(await withGlue(['eu-west-1', 'us-east-1']));
    expect(endpoint(env)).toBeUndefined();
    expect(said(env)).toEqual([
      expect.stringMatching(
        /^error: DevEndpoints\[0\] \(EndpointName "dev"\): devEndpoint\/dev has no ARN, the file is in no region folder, and nothing says its region/,
      ),
    ]);
  });

  it('takes --region first, and says so', async () => {
    const env = await read(await withGlue(['eu-west-1']), { region: 'ap-south-1', homeRegion: 'us-east-2' });
    expect(endpoint(env)?.arn).toBe(`arn:aws:glue:ap-south-1:${A}:devEndpoint/dev`);
    expect(endpoint(env)?.region).toBe('ap-south-1');
    expect(said(env)).toEqual([
      'info: a regional file at the top of the account folder: its items are taken to be in ap-south-1 (from --region)',
    ]);
  });

  it('then the one region of ec2-describe-regions.json', async () => {
    const env = await read(await withGlue(['eu-west-1']), { homeRegion: 'us-east-2' });
    expect(endpoint(env)?.arn).toBe(`arn:aws:glue:eu-west-1:${A}:devEndpoint/dev`);
    expect(said(env)[0]).toContain(`eu-west-1 (the only region in aws/${A}/ec2-describe-regions.json)`);
  });

  it('then the configured home region', async () => {
    const env = await read(await withGlue(['eu-west-1', 'us-east-1']), { homeRegion: 'us-east-2' });
    expect(endpoint(env)?.arn).toBe(`arn:aws:glue:us-east-2:${A}:devEndpoint/dev`);
    expect(said(env)[0]).toContain('us-east-2 (the configured home region, aws.region)');
    expect(errorsOf(accountOf(env))).toEqual([]);
  });

  it('leaves files in region folders to their folder', async () => {
    const dir = await snapshot(async (d) => {
      await writeFile(join(d, 'aws', A, 'eu-west-1', 'glue-get-dev-endpoints.json'), JSON.stringify(glue));
    });
    const env = await read(dir, { region: 'ap-south-1' });
    expect(endpoint(env)?.arn).toBe(`arn:aws:glue:eu-west-1:${A}:devEndpoint/dev`);
    expect(said(env)).toEqual([]);
  });
});

describe('statements without Sid in reasons', () => {
  it('names a statement with no or an empty Sid by its index, as the evidence does', async () => {
    const dir = await snapshot((d) =>
      editJson(join(d, 'aws', A, DETAILS), (details) => {
        const role = details.RoleDetailList.find((r: CliDocument) => r.RoleName === 'deploy');
        role.AssumeRolePolicyDocument.Statement[0].Sid = '';
        return details;
      }),
    );
    const env = await read(dir);
    const analysis = await analyzeAws(env);
    const evidence = analysis.edges
      .filter((e) => e.to === `arn:aws:iam::${A}:role/deploy`)
      .flatMap((e) => e.evidence);
    expect(evidence.length).toBeGreaterThan(0);
    for (const e of evidence) {
      expect(e.reason).not.toContain('(statement )');
      expect(e.reason).toContain('(statement #0)');
      expect(e.statement).toBe('#0');
    }
  });
});
