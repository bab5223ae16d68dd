import { compareCatalogueIds } from './catalogue-ids.js';
import { actOnExistingResourceTechniques } from './techniques/act-on-existing-resource.js';
import { changeTagsThenAct } from './techniques/change-tags-then-act.js';
import { cognitoidentity001PassRole } from './techniques/cognitoidentity-001-passrole-cognito-identity-setidentitypoolroles.js';
import { ecs007PassRole } from './techniques/ecs-007-passrole-ecs-starttask-registercontainerinstance.js';
import { ecsPassRoleUpdateService } from './techniques/ecs-passrole-updateservice.js';
import { iam001CreatePolicyVersion } from './techniques/iam-001-createpolicyversion.js';
import { iam002CreateAccessKey } from './techniques/iam-002-createaccesskey.js';
import { iam003CreateAccessKeyDeleteAccessKey } from './techniques/iam-003-createaccesskey-deleteaccesskey.js';
import { iam004CreateLoginProfile } from './techniques/iam-004-createloginprofile.js';
import { iam006UpdateLoginProfile } from './techniques/iam-006-updateloginprofile.js';
import { iam010AttachGroupPolicy } from './techniques/iam-010-attachgrouppolicy.js';
import { iam011PutGroupPolicy } from './techniques/iam-011-putgrouppolicy.js';
import { iam012UpdateAssumeRolePolicy } from './techniques/iam-012-updateassumerolepolicy.js';
import { iam013AddUserToGroup } from './techniques/iam-013-addusertogroup.js';
import { iam025DetachUserPolicy } from './techniques/iam-025-detachuserpolicy.js';
import { iam026DeleteUserPolicy } from './techniques/iam-026-deleteuserpolicy.js';
import { iamSetDefaultPolicyVersion } from './techniques/iam-setdefaultpolicyversion.js';
import { modifyAndActTechniques } from './techniques/modify-and-act.js';
import { modifyItselfTechniques } from './techniques/modify-itself.js';
import { passRoleAndRunTechniques } from './techniques/pass-role-and-run.js';
import type { EscalationTechnique } from './types.js';

/**
 * Every privilege-escalation technique reachgraph looks for: the rows of the four pattern tables
 * and the techniques with logic of their own, in catalogue order (IAM first). The order also
 * decides which technique names an edge that several techniques produce.
 */
export const TECHNIQUES: readonly EscalationTechnique[] = inCatalogueOrder([
  changeTagsThenAct,
  cognitoidentity001PassRole,
  ecs007PassRole,
  ecsPassRoleUpdateService,
  iam001CreatePolicyVersion,
  iam002CreateAccessKey,
  iam003CreateAccessKeyDeleteAccessKey,
  iam004CreateLoginProfile,
  iam006UpdateLoginProfile,
  iam010AttachGroupPolicy,
  iam011PutGroupPolicy,
  iam012UpdateAssumeRolePolicy,
  iam013AddUserToGroup,
  iam025DetachUserPolicy,
  iam026DeleteUserPolicy,
  iamSetDefaultPolicyVersion,
  ...modifyItselfTechniques,
  ...modifyAndActTechniques,
  ...passRoleAndRunTechniques,
  ...actOnExistingResourceTechniques,
]);

/** The techniques in catalogue order; an id, slug or alias declared by two of them is an error. */
export function inCatalogueOrder(techniques: readonly EscalationTechnique[]): EscalationTechnique[] {
  const seen = new Set<string>();
  for (const t of techniques) {
    for (const id of new Set([t.id, t.slug, ...(t.aliases ?? [])])) {
      if (seen.has(id)) throw new Error(`escalation technique id ${id} is declared twice`);
      seen.add(id);
    }
  }
  return [...techniques].sort((a, b) => compareCatalogueIds(a.id, b.id));
}

export function technique(id: string): EscalationTechnique | undefined {
  return TECHNIQUES.find((t) => t.id === id || t.slug === id || t.aliases?.includes(id));
}
