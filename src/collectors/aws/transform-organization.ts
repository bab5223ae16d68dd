import type { AwsOrganizationData, OrganizationPolicyData } from '../../model/aws/environment.js';
import { arr, labelBy, type Obj, obj, optStr, type ScopeReader, str } from './documents.js';
import { parsePolicy } from './policies.js';
import { resourceFileName } from './raw.js';

/**
 * AWS Organizations (`aws/organization/`, read from the management or a delegated administrator
 * account): the account tree and the SCPs and RCPs attached along it.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
 */
export function transformOrganization(reader: ScopeReader): AwsOrganizationData | undefined {
  const described = reader.get('organizations-describe-organization');
  if (described === undefined) {
    reader.missing('organizations-describe-organization');
    return undefined;
  }
  const source = reader.file('organizations-describe-organization');
  const organization = reader.guard(source, () => {
    const o = obj(obj(described, 'the document').Organization, 'Organization');
    return {
      id: str(o, 'Id'),
      arn: str(o, 'Arn'),
      managementAccountId: str(o, 'MasterAccountId'),
      accounts: [],
      organizationalUnits: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    } satisfies AwsOrganizationData as AwsOrganizationData;
  });
  if (!organization) return undefined;

  const rootId = list(reader, 'organizations-list-roots', 'Roots', (r) => optStr(r, 'Id')).find(Boolean);
  if (rootId) organization.rootId = rootId;

  // Walk the tree from the root: OUs and accounts per parent.
  const accountParent = new Map<string, string>();
  const queue = rootId ? [rootId] : [];
  while (queue.length) {
    const parentId = queue.shift() as string;
    const units = childList(
      reader,
      'organizations-list-organizational-units-for-parent',
      parentId,
      'OrganizationalUnits',
      (ou) => {
        const id = optStr(ou, 'Id');
        const name = optStr(ou, 'Name');
        return id ? { id, parentId, ...(name ? { name } : {}) } : undefined;
      },
    );
    for (const unit of units) {
      if (organization.organizationalUnits.some((u) => u.id === unit.id)) continue;
      organization.organizationalUnits.push(unit);
      queue.push(unit.id);
    }
    const children = childList(reader, 'organizations-list-accounts-for-parent', parentId, 'Accounts', (a) =>
      optStr(a, 'Id'),
    );
    for (const id of children) accountParent.set(id, parentId);
  }
  organization.accounts = list(reader, 'organizations-list-accounts', 'Accounts', (account) => {
    const id = optStr(account, 'Id');
    const name = optStr(account, 'Name');
    return id
      ? { id, parentId: accountParent.get(id) ?? rootId ?? '', ...(name ? { name } : {}) }
      : undefined;
  });

  organization.serviceControlPolicies = policies(reader, 'SERVICE_CONTROL_POLICY', 'scp');
  organization.resourceControlPolicies = policies(reader, 'RESOURCE_CONTROL_POLICY', 'rcp');
  return organization;
}

/** Each item of a list document read by `read`; a malformed item is an error naming the file and the item. */
function list<T>(
  reader: ScopeReader,
  command: string,
  field: string,
  read: (item: Obj) => T | undefined,
): T[] {
  const document = reader.get(command);
  if (document === undefined) {
    reader.missing(command);
    return [];
  }
  return items(reader, document, reader.file(command), field, read);
}

function childList<T>(
  reader: ScopeReader,
  command: string,
  parentId: string,
  field: string,
  read: (item: Obj) => T | undefined,
): T[] {
  const document = reader.resource(command, parentId);
  if (document === undefined) return [];
  return items(reader, document, reader.file(`${command}/${resourceFileName(parentId)}`), field, read);
}

function items<T>(
  reader: ScopeReader,
  document: unknown,
  source: string,
  field: string,
  read: (item: Obj) => T | undefined,
): T[] {
  const list = reader.guard(source, () => arr(obj(document, 'the document'), field)) ?? [];
  return reader.each(list, source, labelBy(field, 'Id', 'Name'), read);
}

function policies(reader: ScopeReader, type: string, kind: 'scp' | 'rcp'): OrganizationPolicyData[] {
  const command = `organizations-list-policies-${type}`;
  const summaries = list(reader, command, 'Policies', (summary) => {
    const id = optStr(summary, 'Id');
    const arn = optStr(summary, 'Arn');
    const name = optStr(summary, 'Name');
    return id && arn ? { id, arn, name: name ?? id } : undefined;
  });
  return summaries.flatMap(({ id, arn, name }) => {
    const described = reader.resource('organizations-describe-policy', id);
    const source = reader.file(`organizations-describe-policy/${resourceFileName(id)}`);
    if (described === undefined) {
      reader.issue(
        'warning',
        source,
        `${kind.toUpperCase()} ${name} (${id}): no content collected, so it is left out`,
        arn,
      );
      return [];
    }
    const content = reader.guard(source, () =>
      optStr(obj(obj(described, 'the document').Policy, 'Policy'), 'Content'),
    );
    if (!content) return [];
    const document = parsePolicy(reader, content, source, `${kind.toUpperCase()} ${name} (${arn})`, kind);
    if (!document) return [];
    const targets = childList(reader, 'organizations-list-targets-for-policy', id, 'Targets', (t) =>
      optStr(t, 'TargetId'),
    );
    return [{ policy: { id: arn, name, kind, document }, targets }];
  });
}
