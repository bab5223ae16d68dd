import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectGcp } from '../../../src/collectors/gcp/collect.js';
import { type GcpEnvironment, groupMembershipState } from '../../../src/model/gcp/environment.js';
import { packageRoot } from '../../../src/package-root.js';

// scripts/snapshot-gcp.sh with a stand-in `gcloud` (and `bq`) first on PATH: the stand-in answers
// the calls the script makes for one organization and one project as gcloud prints them, and logs
// each call. The script must write the members of every group the policies name, follow nested
// groups once each, and mark a group whose members gcloud refuses to list; the reader must read it.

const run = promisify(execFile);

/** gcloud's answers, by the arguments of the call (`*` globs); anything else lists nothing. */
const FAKE_GCLOUD = `#!/usr/bin/env bash
echo "$*" >>"$FAKE_LOG"
case "$*" in
  "organizations describe 111 --format=json")
    echo '{"name": "organizations/111", "displayName": "example.com", "lifecycleState": "ACTIVE"}' ;;
  "organizations get-iam-policy 111 --format=json")
    echo '{"bindings": [{"role": "roles/viewer", "members": ["group:Data@example.com"]}], "etag": "BwA", "version": 1}' ;;
  "iam policies list --attachment-point=cloudresourcemanager.googleapis.com/organizations/111 "*)
    echo 'no-contractors' ;;
  "iam policies get "*" no-contractors --format=json")
    cat <<'JSON'
{
  "name": "policies/cloudresourcemanager.googleapis.com%2Forganizations%2F111/denypolicies/no-contractors",
  "rules": [{"denyRule": {"deniedPrincipals": ["principalSet://goog/group/contractors@example.com"], "deniedPermissions": ["storage.googleapis.com/objects.get"]}}]
}
JSON
    ;;
  "projects describe acme-p1 --format=json")
    echo '{"projectId": "acme-p1", "projectNumber": "100", "name": "acme-p1", "parent": {"type": "organization", "id": "111"}, "lifecycleState": "ACTIVE"}' ;;
  "projects get-iam-policy acme-p1 --format=json")
    echo '{"bindings": [{"role": "roles/storage.objectViewer", "members": ["group:platform@example.com", "user:ann@example.com"]}], "etag": "BwB", "version": 1}' ;;
  "identity groups memberships list --group-email=data@example.com --format=json")
    cat <<'JSON'
[
  {
    "name": "groups/01/memberships/1",
    "preferredMemberKey": {
      "id": "ann@example.com"
    },
    "roles": [{"name": "MEMBER"}],
    "type": "USER"
  },
  {
    "name": "groups/01/memberships/2",
    "preferredMemberKey": {
      "id": "Platform@example.com"
    },
    "roles": [{"name": "MEMBER"}],
    "type": "GROUP"
  }
]
JSON
    ;;
  "identity groups memberships list --group-email=data@example.com --filter=type=GROUP --format=value(preferredMemberKey.id)")
    echo 'Platform@example.com' ;;
  "identity groups memberships list --group-email=platform@example.com --format=json")
    cat <<'JSON'
[
  {
    "name": "groups/02/memberships/1",
    "preferredMemberKey": {
      "id": "deployer@acme-p1.iam.gserviceaccount.com"
    },
    "roles": [{"name": "MEMBER"}],
    "type": "SERVICE_ACCOUNT"
  },
  {
    "name": "groups/02/memberships/2",
    "preferredMemberKey": {
      "id": "data@example.com"
    },
    "roles": [{"name": "MEMBER"}],
    "type": "GROUP"
  }
]
JSON
    ;;
  "identity groups memberships list --group-email=platform@example.com --filter=type=GROUP --format=value(preferredMemberKey.id)")
    echo 'data@example.com' ;;
  "identity groups memberships list --group-email=contractors@example.com "*)
    echo 'ERROR: (gcloud.identity.groups.memberships.list) PERMISSION_DENIED: The caller does not have permission "quoted"' >&2
    exit 1 ;;
  *"--format=json"*) echo '[]' ;;
esac
`;

let work: string;
let out: string;
let calls: string[];
let stderr: string;
let environment: GcpEnvironment;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'reachgraph-gcp-script-'));
  const bin = join(work, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'gcloud'), FAKE_GCLOUD);
  await writeFile(join(bin, 'bq'), '#!/usr/bin/env bash\necho "[]"\n');
  await Promise.all(['gcloud', 'bq'].map((name) => chmod(join(bin, name), 0o755)));
  out = join(work, 'snapshot');
  const log = join(work, 'calls.log');
  ({ stderr } = await run(
    'bash',
    [
      join(packageRoot(), 'scripts', 'snapshot-gcp.sh'),
      '--out',
      out,
      '--organization',
      '111',
      '--project',
      'acme-p1',
    ],
    { env: { ...process.env, PATH: [bin, process.env.PATH ?? ''].join(delimiter), FAKE_LOG: log } },
  ));
  calls = (await readFile(log, 'utf8')).trim().split('\n');
  environment = await collectGcp({ snapshotDir: out });
}, 60_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('scripts/snapshot-gcp.sh: Cloud Identity group members', () => {
  it('writes one file per group the policies name, nested groups followed once each', async () => {
    const groups = join(out, 'gcp', 'organization', 'groups');
    expect((await readdir(groups)).sort()).toEqual([
      'contractors@example.com.json',
      'data@example.com.json',
      'platform@example.com.json',
    ]);
    const listings = calls.filter(
      (c) => c.startsWith('identity groups memberships list') && c.endsWith('--format=json'),
    );
    expect(listings.sort()).toEqual([
      'identity groups memberships list --group-email=contractors@example.com --format=json',
      'identity groups memberships list --group-email=data@example.com --format=json',
      'identity groups memberships list --group-email=platform@example.com --format=json',
    ]);
  });

  it('marks a group whose members gcloud cannot list as unreadable, with gcloud’s error', async () => {
    const marker = JSON.parse(
      await readFile(join(out, 'gcp', 'organization', 'groups', 'contractors@example.com.json'), 'utf8'),
    );
    expect(marker).toEqual({
      unreadable:
        'ERROR: (gcloud.identity.groups.memberships.list) PERMISSION_DENIED: The caller does not have permission "quoted"',
    });
    expect(stderr).toContain('the members of group contractors@example.com cannot be read');
  });

  it('is read back: members as IAM names them, the unreadable group as unknown, never as empty', () => {
    const groups = environment.groups;
    expect(groups?.get('data@example.com')?.members).toEqual([
      'user:ann@example.com',
      'group:platform@example.com',
    ]);
    expect(groups?.get('platform@example.com')?.members).toEqual([
      'serviceAccount:deployer@acme-p1.iam.gserviceaccount.com',
      'group:data@example.com',
    ]);
    const states = Object.fromEntries(
      [...(groups?.values() ?? [])].map((g) => [g.email, groupMembershipState(g)]),
    );
    expect(states).toEqual({
      'contractors@example.com': 'unreadable',
      'data@example.com': 'complete',
      'platform@example.com': 'complete',
    });
    expect(environment.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(environment.issues).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        object: 'group contractors@example.com',
        message: expect.stringContaining(
          'could not be read (ERROR: (gcloud.identity.groups.memberships.list) PERMISSION_DENIED',
        ),
      }),
    );
    expect(environment.containers.get('projects/acme-p1')?.parent).toBe('organizations/111');
  });

  it('--no-groups writes no group files', async () => {
    const plain = join(work, 'plain');
    await run(
      'bash',
      [
        join(packageRoot(), 'scripts', 'snapshot-gcp.sh'),
        '--out',
        plain,
        '--organization',
        '111',
        '--project',
        'acme-p1',
        '--no-groups',
      ],
      {
        env: {
          ...process.env,
          PATH: [join(work, 'bin'), process.env.PATH ?? ''].join(delimiter),
          FAKE_LOG: join(work, 'plain.log'),
        },
      },
    );
    expect(await readdir(join(plain, 'gcp', 'organization'))).not.toContain('groups');
  });
});
