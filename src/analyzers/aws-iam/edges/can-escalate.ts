import { createAuthorizer, EnvironmentAuthorizer } from '../authorizer/environment-authorizer.js';
import { findEscalations } from '../escalation/analyze.js';
import { TECHNIQUES } from '../escalation/registry.js';
import type { Authorizer, EdgeFamily } from '../types.js';

/**
 * CAN_ESCALATE: a principal can gain another principal's privileges, or make itself administrator
 * of its account, through a privilege-escalation technique (docs/aws-escalation.md lists them).
 */
export const canEscalate: EdgeFamily = {
  name: 'can-escalate',
  emits: ['CAN_ESCALATE', 'CAN_ACCESS'],
  description:
    'Privilege escalation: the source can obtain the target principal’s credentials or run code as it, or (edge to an AwsAccount) make itself administrator of the account. One edge per (source, target); its technique, ATT&CK id and evidence name how. The techniques are listed in docs/aws-escalation.md. Sources that reach a class of targets alike share Grant hubs (grant:aws:<account>:escalate:<digest>, one per cell of classes, set of techniques and conditional or not): the roles of an account trusting a service (a workload that may exist; PassRole + create a workload when the caller’s PassRole decision is the same for every such role), and the users or roles of the caller’s account its Resource patterns name for an IAM write on them (iam:UpdateAssumeRolePolicy, iam:CreateAccessKey, iam:CreateLoginProfile, iam:UpdateLoginProfile) when its decision is the same for every one the technique applies to. The source’s side of the evidence (its decision for the class) is on its member leg, each target’s side (a record naming it) on its target leg; a source that is itself a target of the class joins hubs of the class without it.',
  derive(authorizer, options = {}) {
    const whatIf = withWhatIf(authorizer);
    return findEscalations(whatIf, TECHNIQUES, {
      grantHubs: options.grantHubs ?? false,
      // Facts derived over another authorizer are not this one's.
      ...(whatIf === authorizer && options.facts ? { facts: options.facts } : {}),
    });
  },
};

/** The environment authorizer answers what-if questions; any other gets one built over its environment. */
function withWhatIf(authorizer: Authorizer): EnvironmentAuthorizer {
  return authorizer instanceof EnvironmentAuthorizer ? authorizer : createAuthorizer(authorizer.environment);
}
