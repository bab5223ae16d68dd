import type {
  AccessKeyMetadata,
  AwsGroupData,
  AwsRoleData,
  AwsUserData,
  InstanceProfileData,
  ManagedPolicyData,
  OidcProviderData,
  SamlProviderData,
} from '../../model/aws/environment.js';
import { partitionOfArn } from '../../model/aws/partitions.js';
import type { NamedPolicy } from '../../model/aws/policy.js';
import { parseCredentialReport } from './credential-report.js';
import {
  arr,
  checkOwnArn,
  labelBy,
  type Obj,
  obj,
  optDate,
  optNum,
  optStr,
  ownArn,
  requiredArr,
  type ScopeReader,
  str,
  strings,
  tags,
} from './documents.js';
import { parsePolicy } from './policies.js';
import { AUTHORIZATION_DETAILS, CREDENTIAL_REPORT } from './raw.js';

/**
 * IAM: users, groups, roles, managed policies and instance profiles from
 * `aws iam get-account-authorization-details` (shape:
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html),
 * completed by the credential report, access keys and identity providers.
 */
export interface IamData {
  partition: string;
  users: AwsUserData[];
  roles: AwsRoleData[];
  groups: AwsGroupData[];
  managedPolicies: ManagedPolicyData[];
  instanceProfiles: InstanceProfileData[];
}

/** `defaultPartition` is the account's when no ARN in the document names one (an empty account). */
export function transformAuthorizationDetails(
  reader: ScopeReader,
  accountId: string,
  document: unknown,
  defaultPartition: string,
): IamData {
  const source = `${reader.folder}/${AUTHORIZATION_DETAILS}.json`;
  const empty: IamData = {
    partition: defaultPartition,
    users: [],
    roles: [],
    groups: [],
    managedPolicies: [],
    instanceProfiles: [],
  };
  if (document === undefined) return empty;
  const details = reader.guard(source, () => obj(document, 'the document'));
  if (!details) return empty;
  if (details.IsTruncated === true) {
    reader.issue(
      'error',
      source,
      'IsTruncated is true: the file holds one page only (let the CLI merge the pages: no --max-items, no --no-paginate)',
    );
  }
  const partition = partitionOf(details) ?? defaultPartition;
  // Each list is required: a missing one is an error (the account is then incomplete and nothing
  // of it is cleaned), never "the account has none". The lists present are still read.
  const required = (key: string) => reader.guard(source, () => requiredArr(details, key)) ?? [];
  const groupLists = {
    groups: required('GroupDetailList'),
    users: required('UserDetailList'),
    roles: required('RoleDetailList'),
    policies: required('Policies'),
  };

  const groups = reader.each(groupLists.groups, source, labelBy('GroupDetailList', 'GroupName'), (g) => {
    const arn = ownArn(g, 'Arn', 'AwsGroup', accountId);
    const label = `group ${arn}`;
    const attachedPolicyArns = attachedArns(g, accountId);
    return {
      arn,
      name: str(g, 'GroupName'),
      path: optStr(g, 'Path') ?? '/',
      accountId,
      inlinePolicies: inlinePolicies(reader, g, 'GroupPolicyList', arn, label, source),
      attachedPolicyArns,
    } satisfies AwsGroupData;
  });
  const groupArnByName = new Map(groups.map((g) => [g.name, g.arn]));

  const users = reader.each(groupLists.users, source, labelBy('UserDetailList', 'UserName'), (u) => {
    const arn = ownArn(u, 'Arn', 'AwsUser', accountId);
    const label = `user ${arn}`;
    const attachedPolicyArns = attachedArns(u, accountId);
    const permissionsBoundaryArn = boundaryArn(u, accountId);
    const groupArns = strings(u, 'GroupList').map((name) => {
      const groupArn = groupArnByName.get(name);
      if (groupArn) return groupArn;
      reader.issue(
        'warning',
        source,
        `${label} is in group ${name}, which GroupDetailList does not list`,
        arn,
      );
      return `arn:${partition}:iam::${accountId}:group/${name}`;
    });
    const user: AwsUserData = {
      arn,
      name: str(u, 'UserName'),
      path: optStr(u, 'Path') ?? '/',
      accountId,
      tags: tags(u, 'Tags'),
      inlinePolicies: inlinePolicies(reader, u, 'UserPolicyList', arn, label, source),
      attachedPolicyArns,
      groupArns,
      accessKeys: [],
    };
    setOptional(user, 'uniqueId', optStr(u, 'UserId'));
    setOptional(user, 'createDate', optDate(u, 'CreateDate'));
    setOptional(user, 'permissionsBoundaryArn', permissionsBoundaryArn);
    return user;
  });

  const instanceProfiles = new Map<string, InstanceProfileData>();
  const roles = reader.each(groupLists.roles, source, labelBy('RoleDetailList', 'RoleName'), (r) => {
    const arn = ownArn(r, 'Arn', 'AwsRole', accountId);
    const label = `role ${arn}`;
    const attachedPolicyArns = attachedArns(r, accountId);
    const permissionsBoundaryArn = boundaryArn(r, accountId);
    const path = optStr(r, 'Path') ?? '/';
    if (r.AssumeRolePolicyDocument === undefined) {
      reader.issue(
        'error',
        source,
        `${label} has no AssumeRolePolicyDocument: nobody can be shown to assume it`,
        arn,
      );
    }
    const trust =
      r.AssumeRolePolicyDocument === undefined
        ? undefined
        : parsePolicy(reader, r.AssumeRolePolicyDocument, source, `${label}, trust policy`, 'trust');
    const profileArns = reader.each(
      arr(r, 'InstanceProfileList'),
      source,
      (item, i) => `${label}: ${labelBy('InstanceProfileList', 'InstanceProfileName')(item, i)}`,
      (p) => {
        const profileArn = str(p, 'Arn');
        const profile = instanceProfiles.get(profileArn) ?? {
          arn: profileArn,
          name: optStr(p, 'InstanceProfileName') ?? profileArn.slice(profileArn.lastIndexOf('/') + 1),
          roleArns: [],
        };
        for (const role of arr(p, 'Roles')) {
          const roleArn = obj(role, 'Roles[]').Arn;
          if (typeof roleArn === 'string' && !profile.roleArns.includes(roleArn))
            profile.roleArns.push(roleArn);
        }
        if (!profile.roleArns.includes(arn)) profile.roleArns.push(arn);
        instanceProfiles.set(profileArn, profile);
        return profileArn;
      },
    );
    const role: AwsRoleData = {
      arn,
      name: str(r, 'RoleName'),
      path,
      accountId,
      tags: tags(r, 'Tags'),
      inlinePolicies: inlinePolicies(reader, r, 'RolePolicyList', arn, label, source),
      attachedPolicyArns,
      trustPolicy: {
        id: `${arn}#trust`,
        name: 'trust policy',
        kind: 'trust',
        document: trust ?? { Statement: [] },
      },
      // Service-linked roles live under this path and are not restricted by SCPs:
      // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
      serviceLinked: path.startsWith('/aws-service-role/'),
      instanceProfileArns: profileArns,
    };
    setOptional(role, 'uniqueId', optStr(r, 'RoleId'));
    setOptional(role, 'createDate', optDate(r, 'CreateDate'));
    setOptional(role, 'permissionsBoundaryArn', permissionsBoundaryArn);
    setOptional(role, 'maxSessionDuration', optNum(r, 'MaxSessionDuration'));
    const lastUsed = r.RoleLastUsed === undefined ? undefined : obj(r.RoleLastUsed, 'RoleLastUsed');
    if (lastUsed) setOptional(role, 'lastUsedDate', optDate(lastUsed, 'LastUsedDate'));
    return role;
  });

  const managedPolicies = reader.each(
    groupLists.policies,
    source,
    labelBy('Policies', 'Arn', 'PolicyName'),
    (p) => managedPolicy(reader, p, source, accountId),
  );

  return {
    partition,
    users,
    roles,
    groups,
    managedPolicies,
    instanceProfiles: [...instanceProfiles.values()],
  };
}

function managedPolicy(reader: ScopeReader, p: Obj, source: string, accountId: string): ManagedPolicyData {
  const arn = ownArn(p, 'Arn', 'AwsPolicy', accountId);
  const name = optStr(p, 'PolicyName') ?? arn.slice(arn.lastIndexOf('/') + 1);
  const defaultVersionId = optStr(p, 'DefaultVersionId');
  const label = `managed policy ${arn}`;
  let document: NamedPolicy['document'] | undefined;
  let foundDefault = false;
  const otherVersions: ManagedPolicyData['otherVersions'] = [];
  reader.each(
    arr(p, 'PolicyVersionList'),
    source,
    (item, i) => `${label}: ${labelBy('PolicyVersionList', 'VersionId')(item, i)}`,
    (v) => {
      const versionId = str(v, 'VersionId');
      const isDefault = v.IsDefaultVersion === true || versionId === defaultVersionId;
      const parsed = parsePolicy(reader, v.Document, source, `${label}, version ${versionId}`, 'identity');
      if (isDefault) {
        foundDefault = true;
        document = parsed;
      } else if (parsed) otherVersions.push({ versionId, document: parsed });
      return versionId;
    },
  );
  if (!foundDefault) {
    reader.issue('error', source, `${label}: PolicyVersionList has no default version document`, arn);
  }
  const data: ManagedPolicyData = {
    arn,
    path: optStr(p, 'Path') ?? '/',
    policy: {
      id: arn,
      name,
      kind: /^arn:[^:]+:iam::aws:policy\//.test(arn) ? 'aws-managed' : 'customer-managed',
      document: document ?? { Statement: [] },
    },
    otherVersions,
  };
  setOptional(data, 'defaultVersionId', defaultVersionId);
  setOptional(data, 'attachmentCount', optNum(p, 'AttachmentCount'));
  return data;
}

function inlinePolicies(
  reader: ScopeReader,
  owner: Obj,
  listKey: string,
  ownerArn: string,
  ownerLabel: string,
  source: string,
): NamedPolicy[] {
  return reader.each(
    arr(owner, listKey),
    source,
    (item, i) => `${ownerLabel}: ${labelBy(listKey, 'PolicyName')(item, i)}`,
    (p) => {
      const name = str(p, 'PolicyName');
      const document = parsePolicy(
        reader,
        p.PolicyDocument,
        source,
        `${ownerLabel}, inline policy ${name}`,
        'identity',
      );
      if (!document) return undefined;
      return { id: `${ownerArn}#inline/${name}`, name, kind: 'inline', document } satisfies NamedPolicy;
    },
  );
}

/** Managed policies attached: the account's own or AWS managed ones (IAM attaches no others). */
function attachedArns(o: Obj, accountId: string): string[] {
  return arr(o, 'AttachedManagedPolicies').map((a, i) =>
    checkOwnArn(
      str(obj(a, `AttachedManagedPolicies[${i}]`), 'PolicyArn'),
      'AwsPolicy',
      accountId,
      `AttachedManagedPolicies[${i}].PolicyArn`,
    ),
  );
}

function boundaryArn(o: Obj, accountId: string): string | undefined {
  if (o.PermissionsBoundary === undefined || o.PermissionsBoundary === null) return undefined;
  const arn = optStr(obj(o.PermissionsBoundary, 'PermissionsBoundary'), 'PermissionsBoundaryArn');
  return arn === undefined
    ? undefined
    : checkOwnArn(arn, 'AwsPolicy', accountId, 'PermissionsBoundary.PermissionsBoundaryArn');
}

function partitionOf(details: Obj): string | undefined {
  for (const key of ['RoleDetailList', 'UserDetailList', 'GroupDetailList', 'Policies']) {
    const list = details[key];
    const first = Array.isArray(list) ? list[0] : undefined;
    const arn = first && typeof first === 'object' ? (first as Obj).Arn : undefined;
    if (typeof arn === 'string') return partitionOfArn(arn);
  }
  return undefined;
}

function setOptional<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/** Console password, MFA and key use from the credential report; key ids and last use per key. */
export function addCredentials(reader: ScopeReader, users: AwsUserData[]): void {
  const reportText = reader.get(CREDENTIAL_REPORT);
  if (reportText === undefined) reader.missing(CREDENTIAL_REPORT);
  const reportSource = `${reader.folder}/${CREDENTIAL_REPORT}.csv`;
  let rows: ReturnType<typeof parseCredentialReport> = [];
  if (reportText !== undefined) {
    try {
      if (typeof reportText !== 'string') throw new Error('expected CSV text');
      rows = parseCredentialReport(reportText);
    } catch (error) {
      reader.issue('error', reportSource, `malformed credential report: ${(error as Error).message}`);
    }
  }
  const byArn = new Map(rows.map((row) => [row.arn, row]));

  for (const user of users) {
    const row = byArn.get(user.arn);
    if (row) {
      setOptional(user, 'hasConsolePassword', row.passwordEnabled);
      setOptional(user, 'passwordLastUsed', row.passwordLastUsed);
      setOptional(user, 'mfaActive', row.mfaActive);
      user.activeAccessKeyCount = row.keys.filter((k) => k.active).length;
    }
    const listSource = `${reader.folder}/iam-list-access-keys/${user.name}.json`;
    const list = reader.resource('iam-list-access-keys', user.name);
    if (list === undefined) continue;
    user.accessKeys =
      reader.guard(listSource, () =>
        arr(obj(list, 'the document'), 'AccessKeyMetadata').map((item, i) => {
          const k = obj(item, `AccessKeyMetadata[${i}]`);
          const status = str(k, 'Status');
          const key: AccessKeyMetadata = {
            accessKeyId: str(k, 'AccessKeyId'),
            status: status === 'Active' ? 'Active' : 'Inactive',
          };
          setOptional(key, 'createDate', optDate(k, 'CreateDate'));
          addLastUsed(reader, key, row?.keys);
          return key;
        }),
      ) ?? [];
  }
}

function addLastUsed(
  reader: ScopeReader,
  key: AccessKeyMetadata,
  reportKeys: ReturnType<typeof parseCredentialReport>[number]['keys'] | undefined,
): void {
  const document = reader.resource('iam-get-access-key-last-used', key.accessKeyId);
  if (document !== undefined) {
    const source = `${reader.folder}/iam-get-access-key-last-used/${key.accessKeyId}.json`;
    reader.guard(source, () => {
      const lastUsed = obj(document, 'the document').AccessKeyLastUsed;
      if (lastUsed === undefined) return;
      const used = obj(lastUsed, 'AccessKeyLastUsed');
      setOptional(key, 'lastUsedDate', optDate(used, 'LastUsedDate'));
      const service = optStr(used, 'ServiceName');
      if (service && service !== 'N/A') key.lastUsedService = service;
    });
    return;
  }
  // Without get-access-key-last-used, the report's key whose rotation time is the key's creation time.
  // The report has whole seconds, the key list may have milliseconds.
  const seconds = (date: string | undefined) => (date ? Math.floor(Date.parse(date) / 1000) : Number.NaN);
  const created = seconds(key.createDate);
  const match = reportKeys?.find((k) => seconds(k.lastRotated) === created);
  if (match) {
    setOptional(key, 'lastUsedDate', match.lastUsedDate);
    setOptional(key, 'lastUsedService', match.lastUsedService);
  }
}

/** IAM OIDC and SAML identity providers. */
export function identityProviders(
  reader: ScopeReader,
  accountId: string,
): {
  oidcProviders: OidcProviderData[];
  samlProviders: SamlProviderData[];
} {
  const oidcList = reader.get('iam-list-open-id-connect-providers');
  if (oidcList === undefined) reader.missing('iam-list-open-id-connect-providers');
  const oidcSource = `${reader.folder}/iam-list-open-id-connect-providers.json`;
  const oidcProviders =
    oidcList === undefined
      ? []
      : reader.each(
          reader.guard(oidcSource, () => arr(obj(oidcList, 'the document'), 'OpenIDConnectProviderList')) ??
            [],
          oidcSource,
          labelBy('OpenIDConnectProviderList', 'Arn'),
          (p) => {
            const arn = ownArn(p, 'Arn', 'AwsOidcProvider', accountId);
            const name = arn.slice(arn.indexOf('oidc-provider/') + 'oidc-provider/'.length);
            const provider: OidcProviderData = { arn, url: name, clientIds: [] };
            const details = reader.resource('iam-get-open-id-connect-provider', name);
            if (details !== undefined) {
              reader.guard(`${reader.folder}/iam-get-open-id-connect-provider/${name}.json`, () => {
                const d = obj(details, 'the document');
                const url = optStr(d, 'Url');
                if (url) provider.url = url.replace(/^https:\/\//, '');
                provider.clientIds = strings(d, 'ClientIDList');
              });
            }
            return provider;
          },
        );

  const samlList = reader.get('iam-list-saml-providers');
  if (samlList === undefined) reader.missing('iam-list-saml-providers');
  const samlSource = `${reader.folder}/iam-list-saml-providers.json`;
  const samlProviders =
    samlList === undefined
      ? []
      : reader.each(
          reader.guard(samlSource, () => arr(obj(samlList, 'the document'), 'SAMLProviderList')) ?? [],
          samlSource,
          labelBy('SAMLProviderList', 'Arn'),
          (p) => {
            const arn = ownArn(p, 'Arn', 'AwsSamlProvider', accountId);
            return { arn, name: arn.slice(arn.indexOf('saml-provider/') + 'saml-provider/'.length) };
          },
        );
  return { oidcProviders, samlProviders };
}
