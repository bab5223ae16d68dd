/**
 * Prerequisites of catalogue techniques that the collector does not gather, and why: the edges of
 * these techniques carry `requires`. Printed in docs/aws-escalation.md; the list to start from when
 * adding collection.
 */
export const UNCOLLECTED_PREREQUISITES: readonly { techniques: string; what: string; why: string }[] = [
  {
    techniques: 'apprunner-002',
    what: 'an App Runner service running as the role',
    why: 'App Runner is not collected (no SDK client in the dependencies yet); `apprunner list-services` + `describe-service` would decide it',
  },
  {
    techniques: 'batch-001, batch-002',
    what: 'a job queue and compute environment; a job definition running as the role',
    why: 'AWS Batch is not collected (no SDK client in the dependencies yet); `batch describe-job-queues`, `describe-compute-environments`, `describe-job-definitions`',
  },
  {
    techniques: 'bedrock-002, bedrock-004, bedrock-007',
    what: 'a Bedrock AgentCore code interpreter, runtime or browser running as the role',
    why: 'AgentCore resources are not collected (new service, no SDK client in the dependencies)',
  },
  {
    techniques: 'bedrock-005',
    what: 'a foundation model enabled in the account',
    why: 'model access is granted per model and region through the console or Marketplace; no read-only call lists it reliably',
  },
  {
    techniques: 'cloudformation-004',
    what: 'a StackSet with an administration role',
    why: 'StackSets are not collected yet; `cloudformation list-stack-sets` + `describe-stack-set` would decide it (the client is installed: cheap to add)',
  },
  {
    techniques: 'codedeploy-001',
    what: 'an EC2 instance in a CodeDeploy deployment group',
    why: 'CodeDeploy is not collected (no SDK client in the dependencies yet); deployment groups name their instances by tag filters',
  },
  {
    techniques: 'ec2-004',
    what: 'an EC2 launch template with an instance profile',
    why: 'launch templates are not collected yet; `ec2 describe-launch-templates` + `describe-launch-template-versions` (the client is installed: cheap to add)',
  },
  {
    techniques: 'ecs-006',
    what: 'a running ECS task with ECS Exec enabled',
    why: 'tasks are short-lived; `ecs list-tasks` + `describe-tasks` gives a moment, not a configuration',
  },
  {
    techniques: 'glue-005, glue-006',
    what: 'an existing Glue job',
    why: 'Glue jobs are not collected yet; `glue get-jobs` (the client is installed: cheap to add)',
  },
];

/** The section of docs/aws-escalation.md on state the attacker changes and on what is not collected. */
export function uncollectedMarkdown(): string[] {
  return [
    '## State the attacker changes',
    '',
    'Conditions on tags (`aws:PrincipalTag/…`, `aws:ResourceTag/…`, `iam:ResourceTag/…`, `ec2:ResourceTag/…`,',
    'any `<service>:ResourceTag/…`) are decided on the collected tags. A principal that may change such a tag',
    '(`iam:TagUser`/`iam:TagRole` on itself or on a role, `ec2:CreateTags`, `<service>:TagResource`, or the',
    '`Untag*`/`DeleteTags` actions to remove one) can satisfy them: `change-tags-then-act` proposes, from each',
    'statement that conditions on a tag key, the value that satisfies it (or removing a tag a Deny keys on), asks',
    'whether the principal may make that tag request (with `aws:RequestTag` and `aws:TagKeys`), and then asks',
    '`sts:AssumeRole`, the administrator check and every other technique again with the new tag. What holds only',
    'after the change (or held only conditionally before) is an edge whose evidence names the tag step and the',
    'conditioned statement. An ECS service pointed at a new task definition is `ecs-passrole-updateservice`; a',
    'role added to an instance profile (`iam:AddRoleToInstanceProfile`) is the instance-profile prerequisite of',
    'ec2-001 and ec2-003 (`requires`).',
    '',
    '## Prerequisites the collector does not gather',
    '',
    'These techniques report what must exist in `requires` because the collector cannot yet tell:',
    '',
    '| techniques | prerequisite | why |',
    '|---|---|---|',
    ...UNCOLLECTED_PREREQUISITES.map((p) => `| ${p.techniques} | ${p.what} | ${p.why} |`),
    '',
    'Decided from the collection: ECS clusters, their container instances and task definitions (ecs-003, ecs-004,',
    'ecs-005, ecs-007, ecs-008, ecs-009), ECS services',
    '(`ecs-passrole-updateservice`), every resource list the existing-resource techniques name, and Cognito',
    'identity pools (cognitoidentity-001 picks a pool the role’s trust admits; the `cognito-identity-pools`',
    'edge family decides, with the user pools, who reaches a role through a pool).',
  ];
}
