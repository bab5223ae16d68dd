import type { AwsOrganizationData, OrganizationPolicyData } from '../../model/aws/environment.js';
import { arr, labelBy, obj, optStr, type ScopeReader, str } from './documents.js';
import { parsePolicy } from './policies.js';

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

  const roots = list(reader, 'organizations-list-roots', 'Roots');
  const rootId = roots.map((r) => optStr(r, 'Id')).find(Boolean);
  if (rootId) organization.rootId = rootId;

  // Walk the tree from the root: OUs and accounts per parent.
  const accountParent = new Map<string, string>();
  const queue = rootId ? [rootId] : [];
  while (queue.length) {
    const parentId = queue.shift() as string;
    for (const ou of childList(
      reader,
      'organizations-list-organizational-units-for-parent',
      parentId,
      'OrganizationalUnits',
    )) {
      const id = optStr(ou, 'Id');
      if (!id || organization.organizationalUnits.some((u) => u.id === id)) continue;
      const name = optStr(ou, 'Name');
      organization.organizationalUnits.push({ id, parentId, ...(name ? { name } : {}) });
      queue.push(id);
    }
    for (const account of childList(reader, 'organizations-list-accounts-for-parent', parentId, 'Accounts')) {
      const id = optStr(account, 'Id');
      if (id) accountParent.set(id, parentId);
    }
  }
  for (const account of list(reader, 'organizations-list-accounts', 'Accounts')) {
    const id = optStr(account, 'Id');
    if (!id) continue;
    const name = optStr(account, 'Name');
    organization.accounts.push({
      id,
      parentId: accountParent.get(id) ?? rootId ?? '',
      ...(name ? { name } : {}),
    });
  }

  organization.serviceControlPolicies = policies(reader, 'SERVICE_CONTROL_POLICY', 'scp');
  organization.resourceControlPolicies = policies(reader, 'RESOURCE_CONTROL_POLICY', 'rcp');
  return organization;
}

function list(reader: ScopeReader, command: string, field: string): Record<string, unknown>[] {
  const document = reader.get(command);
  if (document === undefined) {
    reader.missing(command);
    return [];
  }
  const source = reader.file(command);
  const items = reader.guard(source, () => arr(obj(document, 'the document'), field)) ?? [];
  return reader.each(items, source, labelBy(field, 'Id', 'Name'), (item) => item);
}

function childList(
  reader: ScopeReader,
  command: string,
  parentId: string,
  field: string,
): Record<string, unknown>[] {
  const document = reader.resource(command, parentId);
  if (document === undefined) return [];
  const source = reader.file(`${command}/${parentId}`);
  const items = reader.guard(source, () => arr(obj(document, 'the document'), field)) ?? [];
  return reader.each(items, source, labelBy(field, 'Id', 'Name'), (item) => item);
}

function policies(reader: ScopeReader, type: string, kind: 'scp' | 'rcp'): OrganizationPolicyData[] {
  const command = `organizations-list-policies-${type}`;
  return list(reader, command, 'Policies').flatMap((summary) => {
    const id = optStr(summary, 'Id');
    const arn = optStr(summary, 'Arn');
    if (!id || !arn) return [];
    const name = optStr(summary, 'Name') ?? id;
    const described = reader.resource('organizations-describe-policy', id);
    const source = reader.file(`organizations-describe-policy/${id}`);
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
    const targets = childList(reader, 'organizations-list-targets-for-policy', id, 'Targets')
      .map((t) => optStr(t, 'TargetId'))
      .filter((t): t is string => t !== undefined);
    return [{ policy: { id: arn, name, kind, document }, targets }];
  });
}
