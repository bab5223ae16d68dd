import type { CollectionIssue } from '../../model/collection-issue.js';
import type { GcpContainerKind } from '../../model/gcp/environment.js';
import { gcpScope } from '../../model/gcp/ids.js';
import { GROUP_UNREADABLE_KEY, type LevelFile, type ResourceFolder } from './layout.js';
import { connectGcp, type GcpApi, GcpCallError, type GcpConnectOptions } from './live-api.js';
import type { GcpRaw, GcpRawLevel, RawDocument } from './raw.js';

/**
 * The live GCP collector: the organization, folders and projects in scope read through the Google
 * Cloud APIs into the documents a snapshot holds (raw.ts), so the one transform serves both. Each
 * document is the API's own answer (a list's items gathered over every page), as the gcloud command of
 * layout.ts prints it. A call that fails is an error issue naming the call and the object, and marks
 * that scope incomplete; the rest is read. An API not enabled in a project is a warning, and what it
 * serves is not collected there. Key material is never asked for: key listing returns metadata only.
 */
export interface GcpLiveOptions extends GcpConnectOptions {
  /** The organization number: the organization, and (with no folders or projects named) everything under it. */
  organization?: string;
  /** Folder numbers: each folder and everything under it. */
  folders?: string[];
  /** Project ids: these projects. With no organization, folder or project named, every project the credentials list. */
  projects?: string[];
  /** Items asked per page (default 500; every API caps it at its own maximum). */
  pageSize?: number;
  /**
   * Also read, from the Cloud Identity API, the members of every group the collected policies name
   * (nested groups followed): the snapshot's `organization/groups/`. Off by default: it needs the
   * Cloud Identity API and a Groups Reader admin role (docs/permissions.md).
   */
  groupMembers?: boolean;
  onProgress?: (message: string) => void;
}

type Data = Record<string, unknown>;

interface Level {
  kind: GcpContainerKind;
  id: string;
  /** The relative resource name: `organizations/1`, `folders/2`, `projects/p`. */
  name: string;
  scope: string;
  describe?: RawDocument;
}

const FOLDER_ID = /^\d+$/;

export async function getGcpLive(options: GcpLiveOptions): Promise<GcpRaw> {
  for (const id of [...(options.organization ? [options.organization] : []), ...(options.folders ?? [])])
    if (!FOLDER_ID.test(id)) throw new Error(`gcp: "${id}" is not an organization or folder number`);
  const api = await connectGcp(options);
  const collector = new Collector(api, options);
  const levels = await collector.hierarchy();
  const raw: GcpRaw = { levels: [], issues: collector.issues };
  const read = await Promise.all(levels.map((level) => collector.level(level)));
  raw.levels.push(...read);
  if (options.groupMembers) {
    const groups = await collector.groupMembers(groupsNamed(read));
    if (groups) raw.groups = groups;
  }
  return raw;
}

/** The groups the policies read name: `group:G` in allow policies, `principalSet://goog/group/G` in deny policies. */
export function groupsNamed(levels: readonly GcpRawLevel[]): string[] {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      const email = /^(?:group:|principalSet:\/\/goog\/group\/)([^@\s]+@[^@\s]+)$/.exec(value)?.[1];
      if (email) found.add(email.toLowerCase());
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  for (const level of levels) {
    for (const document of Object.values(level.files)) walk(document?.value);
    for (const documents of Object.values(level.resources))
      for (const document of Object.values(documents ?? {})) walk(document.value);
  }
  return [...found].sort();
}

/** https://cloud.google.com/identity/docs/reference/rest */
const CLOUD_IDENTITY = 'cloudidentity.googleapis.com';

class Collector {
  readonly issues: CollectionIssue[] = [];
  private readonly pageSize: number;

  constructor(
    private readonly api: GcpApi,
    private readonly options: GcpLiveOptions,
  ) {
    this.pageSize = options.pageSize ?? 500;
  }

  /** Runs one read; a failure is an issue naming `source` and `object` (undefined is returned). */
  private async read<T>(source: string, object: string, run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof GcpCallError)) throw error;
      const disabled = error.reason === 'SERVICE_DISABLED' || error.reason === 'ACCESS_NOT_CONFIGURED';
      this.issues.push({
        severity: disabled ? 'warning' : 'error',
        source,
        object,
        message: disabled ? `the API is not enabled: not collected (${error.message})` : error.message,
      });
      return undefined;
    }
  }

  /**
   * The members of `groups` and of the groups nested in them, each group once
   * (https://cloud.google.com/identity/docs/how-to/query-memberships): `groups.lookup` by email, then
   * `groups.memberships.list` (FULL view: each member's `type`), as `gcloud identity groups memberships
   * list` prints them. A group whose members cannot be read (not found, permission denied: a group of
   * another customer, or no Groups Reader role) is recorded as unreadable, its members unknown, never
   * none. With the API not enabled, a warning, and no group is read.
   */
  async groupMembers(groups: readonly string[]): Promise<Record<string, RawDocument> | undefined> {
    const out: Record<string, RawDocument> = {};
    const seen = new Set(groups);
    let wave = [...groups];
    let disabled = false;
    while (wave.length > 0 && !disabled) {
      const next: string[] = [];
      await Promise.all(
        wave.map(async (email) => {
          const source = `cloudidentity.groups.memberships.list ${email}`;
          try {
            const found = await this.api.call(() =>
              this.api.rest(CLOUD_IDENTITY, 'v1/groups:lookup', { params: { 'groupKey.id': email } }),
            );
            const memberships = await this.api.list('memberships', (pageToken) =>
              this.api.rest(CLOUD_IDENTITY, `v1/${String(found.name)}/memberships`, {
                params: {
                  view: 'FULL',
                  pageSize: Math.min(this.pageSize, 500),
                  ...(pageToken ? { pageToken } : {}),
                },
              }),
            );
            out[email] = { source, value: memberships };
            for (const member of memberships) {
              const key = member.preferredMemberKey as { id?: unknown } | undefined;
              const nested = typeof key?.id === 'string' ? key.id.toLowerCase() : undefined;
              if (member.type === 'GROUP' && nested && !seen.has(nested)) {
                seen.add(nested);
                next.push(nested);
              }
            }
          } catch (error) {
            if (!(error instanceof GcpCallError)) throw error;
            if (error.reason === 'SERVICE_DISABLED' || error.reason === 'ACCESS_NOT_CONFIGURED') {
              disabled = true;
              return;
            }
            out[email] = { source, value: { [GROUP_UNREADABLE_KEY]: error.message } };
          }
        }),
      );
      wave = next.sort();
    }
    if (disabled) {
      this.issues.push({
        severity: 'warning',
        source: `${CLOUD_IDENTITY} groups.lookup`,
        object: 'gcp',
        message:
          'the Cloud Identity API is not enabled for the credentials’ project: group members not collected (their members are unknown)',
      });
      return undefined;
    }
    return sortedRecord(out);
  }

  private document(
    source: string,
    object: string,
    run: () => Promise<unknown>,
  ): Promise<RawDocument | undefined> {
    return this.read(source, object, async () => ({ source, value: await run() }));
  }

  /**
   * The levels in scope, organization first, then folders by number and projects by id (the
   * snapshot reader's order): the named ones and, under an organization or folder, every active
   * folder and project beneath it.
   */
  async hierarchy(): Promise<Level[]> {
    const { organization, folders = [], projects = [] } = this.options;
    const levels: Level[] = [];
    const below: string[] = [];
    if (organization) {
      const name = `organizations/${organization}`;
      const describe = await this.document(
        `cloudresourcemanager.organizations.get ${name}`,
        gcpScope(name),
        () => this.api.call(() => this.api.crm3.organizations.get({ name })),
      );
      if (describe)
        levels.push({ kind: 'organization', id: 'organization', name, scope: gcpScope(name), describe });
      if (folders.length === 0 && projects.length === 0) below.push(name);
    }
    for (const id of folders) {
      const name = `folders/${id}`;
      const describe = await this.document(`cloudresourcemanager.folders.get ${name}`, gcpScope(name), () =>
        this.api.call(() => this.api.crm3.folders.get({ name })),
      );
      if (!describe) continue;
      levels.push({ kind: 'folder', id, name, scope: gcpScope(name), describe });
      below.push(name);
    }
    // Breadth first down the folder tree (folders.list gives one level of children).
    for (let index = 0; index < below.length; index++) {
      const parent = below[index] as string;
      const source = `cloudresourcemanager.folders.list parent=${parent}`;
      const children = await this.read(source, gcpScope(parent), () =>
        this.api.list('folders', (pageToken) =>
          this.api.crm3.folders.list({
            parent,
            pageSize: this.pageSize,
            ...(pageToken ? { pageToken } : {}),
          }),
        ),
      );
      for (const folder of children ?? []) {
        const name = String(folder.name);
        const id = name.slice('folders/'.length);
        if (!FOLDER_ID.test(id) || levels.some((l) => l.name === name)) continue;
        levels.push({ kind: 'folder', id, name, scope: gcpScope(name), describe: { source, value: folder } });
        below.push(name);
      }
    }
    // Projects in v1's form, the one `gcloud projects describe` prints (the transform reads both).
    const listed = async (filter: string | undefined, object: string) => {
      const source = `cloudresourcemanager.projects.list${filter ? ` filter=${filter}` : ''}`;
      const found = await this.read(source, object, () =>
        this.api.list('projects', (pageToken) =>
          this.api.crm1.projects.list({
            filter: `lifecycleState:ACTIVE${filter ? ` ${filter}` : ''}`,
            pageSize: this.pageSize,
            ...(pageToken ? { pageToken } : {}),
          }),
        ),
      );
      return (found ?? []).map((value) => ({ id: String(value.projectId), document: { source, value } }));
    };
    const found: { id: string; document: RawDocument }[] = [];
    for (const parent of below) {
      const [type, id] = parent.split('/') as [string, string];
      found.push(...(await listed(`parent.type:${type.slice(0, -1)} parent.id:${id}`, gcpScope(parent))));
    }
    for (const projectId of projects) {
      const source = `cloudresourcemanager.projects.get ${projectId}`;
      const document = await this.document(source, gcpScope(`projects/${projectId}`), () =>
        this.api.call(() => this.api.crm1.projects.get({ projectId })),
      );
      if (document) found.push({ id: projectId, document });
    }
    if (!organization && folders.length === 0 && projects.length === 0)
      found.push(...(await listed(undefined, 'gcp')));
    const seen = new Set<string>();
    for (const { id, document } of found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      if (seen.has(id)) continue;
      seen.add(id);
      const name = `projects/${id}`;
      levels.push({ kind: 'project', id, name, scope: gcpScope(name), describe: document });
    }
    const folderLevels = levels
      .filter((l) => l.kind === 'folder')
      .sort((a, b) => Number(a.id) - Number(b.id) || (a.id < b.id ? -1 : 1));
    return [
      ...levels.filter((l) => l.kind === 'organization'),
      ...folderLevels,
      ...levels.filter((l) => l.kind === 'project'),
    ];
  }

  /** One level's documents: its policies, and for a project its identities and data resources. */
  async level(level: Level): Promise<GcpRawLevel> {
    if (level.kind === 'project') this.options.onProgress?.(`gcp: collecting ${level.name}`);
    const raw: GcpRawLevel = { kind: level.kind, id: level.id, files: {}, resources: {} };
    if (level.describe) raw.files.describe = level.describe;
    const file = (key: LevelFile, document: Promise<RawDocument | undefined>) =>
      document.then((d) => {
        if (d) raw.files[key] = d;
      });
    const tasks: Promise<void>[] = [
      file('iamPolicy', this.allowPolicy(level)),
      file('denyPolicies', this.denyPolicies(level)),
    ];
    if (level.kind !== 'folder') tasks.push(file('customRoles', this.customRoles(level)));
    if (level.kind === 'project') tasks.push(...this.projectParts(level, raw));
    await Promise.all(tasks);
    return raw;
  }

  private allowPolicy(level: Level): Promise<RawDocument | undefined> {
    const resource = level.name;
    const requestBody = { options: { requestedPolicyVersion: 3 } };
    const crm = this.api.crm3;
    const call =
      level.kind === 'organization'
        ? () => crm.organizations.getIamPolicy({ resource, requestBody })
        : level.kind === 'folder'
          ? () => crm.folders.getIamPolicy({ resource, requestBody })
          : () => crm.projects.getIamPolicy({ resource, requestBody });
    const kind = level.kind === 'organization' ? 'organizations' : `${level.kind}s`;
    return this.document(`cloudresourcemanager.${kind}.getIamPolicy ${resource}`, level.scope, () =>
      this.api.call(call),
    );
  }

  /** IAM v2 deny policies attached to the level (https://cloud.google.com/iam/docs/deny-access#list), each in full. */
  private denyPolicies(level: Level): Promise<RawDocument | undefined> {
    const parent = `policies/${encodeURIComponent(`cloudresourcemanager.googleapis.com/${level.name}`)}/denypolicies`;
    const source = `iam.policies.listPolicies ${parent}`;
    return this.document(source, level.scope, async () => {
      const listed = await this.api.list('policies', (pageToken) =>
        this.api.iam2.policies.listPolicies({
          parent,
          pageSize: this.pageSize,
          ...(pageToken ? { pageToken } : {}),
        }),
      );
      return Promise.all(
        listed.map((policy) =>
          this.api.call(() => this.api.iam2.policies.get({ name: String(policy.name) })),
        ),
      );
    });
  }

  /** Custom roles with their permissions, deleted ones included (they grant nothing, and say so). */
  private customRoles(level: Level): Promise<RawDocument | undefined> {
    const parent = level.name;
    const roles =
      level.kind === 'organization' ? this.api.iam1.organizations.roles : this.api.iam1.projects.roles;
    return this.document(`iam.${level.kind}s.roles.list ${parent}`, level.scope, () =>
      this.api.list('roles', (pageToken) =>
        roles.list({
          parent,
          view: 'FULL',
          showDeleted: true,
          pageSize: Math.min(this.pageSize, 1000),
          ...(pageToken ? { pageToken } : {}),
        }),
      ),
    );
  }

  /** A project's lists, each with its per-item documents (keys, policies, providers). */
  private projectParts(level: Level, raw: GcpRawLevel): Promise<void>[] {
    const project = level.id;
    const scope = level.scope;
    const api = this.api;
    const page = (pageToken: string | undefined) => ({
      pageSize: this.pageSize,
      ...(pageToken ? { pageToken } : {}),
    });
    /** A list document, then per item the documents of `perItem`'s folders. */
    const listed = async (
      key: LevelFile,
      source: string,
      list: () => Promise<Data[]>,
      perItem: [
        ResourceFolder,
        (item: Data) => { resource: string; source: string; run: () => Promise<unknown> } | undefined,
      ][] = [],
    ) => {
      const items = await this.read(source, scope, list);
      if (!items) return;
      raw.files[key] = { source, value: items };
      for (const [folder, of] of perItem) {
        const documents: Record<string, RawDocument> = {};
        await Promise.all(
          items.map(async (item) => {
            const call = of(item);
            if (!call) return;
            const document = await this.document(call.source, `${scope} ${call.resource}`, call.run);
            if (document) documents[call.resource] = document;
          }),
        );
        raw.resources[folder] = sortedRecord(documents);
      }
    };
    const policyOf =
      (
        prefix: string,
        fullName: (item: Data) => string | undefined,
        resourceOf: (name: string) => string | undefined,
        get: (name: string) => Promise<{ data: unknown }>,
      ) =>
      (item: Data) => {
        const name = fullName(item);
        const resource = name ? resourceOf(name) : undefined;
        if (!name || !resource) return undefined;
        return { resource, source: `${prefix} ${name}`, run: () => api.call(() => get(name)) };
      };
    const v3 = { 'options.requestedPolicyVersion': 3 };
    /** The policy of a listed item by its `name`, on an API read by REST path (`v1/<name>:getIamPolicy`). */
    const restPolicy = (prefix: string, host: string, resourceOf: (name: string) => string | undefined) =>
      policyOf(
        prefix,
        (item) => (typeof item.name === 'string' ? item.name : undefined),
        resourceOf,
        (name) => api.rest(host, `v1/${name}:getIamPolicy`, { params: v3 }),
      );
    const lastPart = (name: string) => name.slice(name.lastIndexOf('/') + 1) || undefined;
    return [
      listed(
        'serviceAccounts',
        `iam.projects.serviceAccounts.list projects/${project}`,
        () =>
          api.list('accounts', (t) =>
            api.iam1.projects.serviceAccounts.list({
              name: `projects/${project}`,
              ...page(t),
              pageSize: Math.min(this.pageSize, 100),
            }),
          ),
        [
          [
            'serviceAccountKeys',
            policyOf(
              'iam.projects.serviceAccounts.keys.list',
              (a) =>
                typeof a.email === 'string' ? `projects/${project}/serviceAccounts/${a.email}` : undefined,
              lastPart,
              // Metadata only: keys.list never returns private key material; it is dropped all the same.
              async (name) => {
                const answer = await api.iam1.projects.serviceAccounts.keys.list({ name });
                const keys = ((answer.data as Data).keys as Data[] | undefined) ?? [];
                return { data: keys.map(({ privateKeyData: _key, ...metadata }) => metadata) };
              },
            ),
          ],
          [
            'serviceAccountPolicies',
            policyOf(
              'iam.projects.serviceAccounts.getIamPolicy',
              (a) =>
                typeof a.email === 'string' ? `projects/${project}/serviceAccounts/${a.email}` : undefined,
              lastPart,
              (resource) => api.iam1.projects.serviceAccounts.getIamPolicy({ resource, ...v3 }),
            ),
          ],
        ],
      ),
      listed(
        'pools',
        `iam.projects.locations.workloadIdentityPools.list projects/${project}/locations/global`,
        () =>
          api.list('workloadIdentityPools', (t) =>
            api.iam1.projects.locations.workloadIdentityPools.list({
              parent: `projects/${project}/locations/global`,
              ...page(t),
            }),
          ),
        [
          [
            'poolProviders',
            policyOf(
              'iam.projects.locations.workloadIdentityPools.providers.list',
              (p) => (typeof p.name === 'string' ? p.name : undefined),
              lastPart,
              async (parent) => ({
                data: await api.list('workloadIdentityPoolProviders', (t) =>
                  api.iam1.projects.locations.workloadIdentityPools.providers.list({ parent, ...page(t) }),
                ),
              }),
            ),
          ],
        ],
      ),
      listed(
        'bucket',
        `storage.buckets.list project=${project}`,
        () =>
          api.list('items', (t) =>
            api.storage.buckets.list({ project, maxResults: this.pageSize, ...(t ? { pageToken: t } : {}) }),
          ),
        [
          [
            'bucketPolicies',
            policyOf(
              'storage.buckets.getIamPolicy',
              (b) => (typeof b.name === 'string' ? b.name : undefined),
              (name) => name,
              (bucket) => api.storage.buckets.getIamPolicy({ bucket, optionsRequestedPolicyVersion: 3 }),
            ),
          ],
        ],
      ),
      listed(
        'secret',
        `secretmanager.projects.secrets.list projects/${project}`,
        () =>
          api.list('secrets', (t) =>
            api.secrets.projects.secrets.list({ parent: `projects/${project}`, ...page(t) }),
          ),
        [
          [
            'secretPolicies',
            policyOf(
              'secretmanager.projects.secrets.getIamPolicy',
              (s) => (typeof s.name === 'string' ? s.name : undefined),
              lastPart,
              (resource) => api.secrets.projects.secrets.getIamPolicy({ resource, ...v3 }),
            ),
          ],
        ],
      ),
      listed(
        'topic',
        `pubsub.projects.topics.list projects/${project}`,
        () =>
          api.list('topics', (t) => api.rest(PUBSUB, `v1/projects/${project}/topics`, { params: page(t) })),
        [['topicPolicies', restPolicy('pubsub.projects.topics.getIamPolicy', PUBSUB, lastPart)]],
      ),
      listed(
        'kmsKey',
        `cloudkms.projects.locations.keyRings.cryptoKeys.list projects/${project}`,
        () => this.kmsKeys(project),
        [
          [
            'kmsKeyPolicies',
            restPolicy('cloudkms.projects.locations.keyRings.cryptoKeys.getIamPolicy', KMS, kmsKeyFile),
          ],
        ],
      ),
      listed(
        'dataset',
        `bigquery.datasets.list projects/${project}`,
        () =>
          api.list('datasets', (t) =>
            api.rest(BIGQUERY, `bigquery/v2/projects/${project}/datasets`, {
              params: { maxResults: this.pageSize, ...(t ? { pageToken: t } : {}) },
            }),
          ),
        [
          [
            'datasetPolicies',
            policyOf(
              'bigquery.datasets.get',
              (d) => {
                const ref = d.datasetReference as Data | undefined;
                return typeof ref?.datasetId === 'string'
                  ? `projects/${project}/datasets/${ref.datasetId}`
                  : undefined;
              },
              lastPart,
              async (name) => {
                const answer = await api.rest(BIGQUERY, `bigquery/v2/${name}`, {
                  params: { accessPolicyVersion: 3 },
                });
                return { data: datasetPolicy(answer.data as Data, project) };
              },
            ),
          ],
        ],
      ),
      // Cloud SQL instances have no IAM policy of their own: project bindings decide (layout.ts).
      listed('sqlInstance', `cloudsql.instances.list projects/${project}`, () =>
        api.list('items', (t) =>
          api.rest(SQLADMIN, `v1/projects/${project}/instances`, {
            params: { maxResults: this.pageSize, ...(t ? { pageToken: t } : {}) },
          }),
        ),
      ),
    ];
  }

  /** Every key of every key ring in every KMS location of the project (as `gcloud kms keyrings list --location=-`). */
  private async kmsKeys(project: string): Promise<Data[]> {
    const api = this.api;
    const page = (t: string | undefined) => ({
      params: { pageSize: this.pageSize, ...(t ? { pageToken: t } : {}) },
    });
    const locations = await api.list('locations', (t) =>
      api.rest(KMS, `v1/projects/${project}/locations`, page(t)),
    );
    const rings = (
      await Promise.all(
        locations.map((l) =>
          api.list('keyRings', (t) => api.rest(KMS, `v1/${String(l.name)}/keyRings`, page(t))),
        ),
      )
    ).flat();
    return (
      await Promise.all(
        rings.map((r) =>
          api.list('cryptoKeys', (t) => api.rest(KMS, `v1/${String(r.name)}/cryptoKeys`, page(t))),
        ),
      )
    ).flat();
  }
}

const PUBSUB = 'pubsub.googleapis.com';
const KMS = 'cloudkms.googleapis.com';
const BIGQUERY = 'bigquery.googleapis.com';
const SQLADMIN = 'sqladmin.googleapis.com';

/** A KMS key's policy file name: `<location>.<key ring>.<key>` (layout.ts). */
function kmsKeyFile(name: string): string | undefined {
  const match = /^projects\/[^/]+\/locations\/([^/]+)\/keyRings\/([^/]+)\/cryptoKeys\/([^/]+)$/.exec(name);
  return match ? `${match[1]}.${match[2]}.${match[3]}` : undefined;
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * A dataset's access list as the IAM policy `bq get-iam-policy` prints: BigQuery keeps dataset access
 * in `Dataset.access` (read with `accessPolicyVersion=3` so conditional entries keep their condition,
 * https://cloud.google.com/bigquery/docs/reference/rest/v2/datasets#Dataset.FIELDS.access). Its
 * legacy roles map to `roles/bigquery.dataOwner|dataEditor|dataViewer`, `userByEmail`,
 * `groupByEmail`, `domain` and `iamMember` to IAM members, the special groups to `allAuthenticatedUsers`
 * and the project convenience values (`projectOwner:P`…); authorized views, routines and datasets are
 * not principals and are left out.
 */
export function datasetPolicy(dataset: Data, project: string): Data {
  const legacy: Record<string, string> = {
    OWNER: 'roles/bigquery.dataOwner',
    WRITER: 'roles/bigquery.dataEditor',
    READER: 'roles/bigquery.dataViewer',
  };
  const special: Record<string, string> = {
    projectOwners: `projectOwner:${project}`,
    projectWriters: `projectEditor:${project}`,
    projectReaders: `projectViewer:${project}`,
    allAuthenticatedUsers: 'allAuthenticatedUsers',
  };
  const bindings = new Map<string, { role: string; members: string[]; condition?: unknown }>();
  for (const entry of Array.isArray(dataset.access) ? (dataset.access as Data[]) : []) {
    const role = typeof entry.role === 'string' ? (legacy[entry.role] ?? entry.role) : undefined;
    const member =
      typeof entry.userByEmail === 'string'
        ? `user:${entry.userByEmail}`
        : typeof entry.groupByEmail === 'string'
          ? `group:${entry.groupByEmail}`
          : typeof entry.domain === 'string'
            ? `domain:${entry.domain}`
            : typeof entry.iamMember === 'string'
              ? entry.iamMember
              : typeof entry.specialGroup === 'string'
                ? special[entry.specialGroup]
                : undefined;
    if (!role || !member) continue;
    const key = JSON.stringify([role, entry.condition ?? null]);
    const binding = bindings.get(key) ?? {
      role,
      members: [],
      ...(entry.condition ? { condition: entry.condition } : {}),
    };
    binding.members.push(member);
    bindings.set(key, binding);
  }
  return {
    bindings: [...bindings.values()],
    ...(typeof dataset.etag === 'string' ? { etag: dataset.etag } : {}),
  };
}
