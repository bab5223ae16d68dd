import { apprunner002 } from './techniques/apprunner-updateservice.js';
import { batch002 } from './techniques/batch-submitjob.js';
import { bedrock004 } from './techniques/bedrockagentcore-invokeagentruntimecommand.js';
import { bedrock007 } from './techniques/bedrockagentcore-startbrowsersession.js';
import { bedrock002 } from './techniques/bedrockagentcore-startcodeinterpretersession.js';
import { cloudformation005 } from './techniques/cloudformation-createchangeset-executechangeset.js';
import { cloudformation002 } from './techniques/cloudformation-updatestack.js';
import { codebuild002 } from './techniques/codebuild-startbuild.js';
import { codebuild003 } from './techniques/codebuild-startbuildbatch.js';
import { codedeploy001 } from './techniques/codedeploy-createdeployment.js';
import { ec2004 } from './techniques/ec2-createlaunchtemplateversion-modifylaunchtemplate.js';
import { ec2002 } from './techniques/ec2-modifyinstanceattribute-stopinstances-startinstances.js';
import { ec2InstanceConnectSendSshPublicKey } from './techniques/ec2instanceconnect-sendsshpublickey.js';
import { ecs006 } from './techniques/ecs-executecommand-describetasks.js';
import { glue002 } from './techniques/glue-updatedevendpoint.js';
import { iam001CreatePolicyVersion } from './techniques/iam-001-create-policy-version.js';
import { iam002CreateAccessKey } from './techniques/iam-002-create-access-key.js';
import { iam003CreateAccessKeyDeleteAccessKey } from './techniques/iam-003-create-access-key-delete-access-key.js';
import { iam004CreateLoginProfile } from './techniques/iam-004-create-login-profile.js';
import { iam005PutRolePolicy } from './techniques/iam-005-put-role-policy.js';
import { iam006UpdateLoginProfile } from './techniques/iam-006-update-login-profile.js';
import { iam007PutUserPolicy } from './techniques/iam-007-put-user-policy.js';
import { iam008AttachUserPolicy } from './techniques/iam-008-attach-user-policy.js';
import { iam009AttachRolePolicy } from './techniques/iam-009-attach-role-policy.js';
import { iam010AttachGroupPolicy } from './techniques/iam-010-attach-group-policy.js';
import { iam011PutGroupPolicy } from './techniques/iam-011-put-group-policy.js';
import { iam012UpdateAssumeRolePolicy } from './techniques/iam-012-update-assume-role-policy.js';
import { iam013AddUserToGroup } from './techniques/iam-013-add-user-to-group.js';
import { iam014AttachRolePolicyAssumeRole } from './techniques/iam-014-attachrolepolicy-assumerole.js';
import { iam015AttachUserPolicyCreateAccessKey } from './techniques/iam-015-attachuserpolicy-createaccesskey.js';
import { iam016CreatePolicyVersionAssumeRole } from './techniques/iam-016-createpolicyversion-assumerole.js';
import { iam017PutRolePolicyAssumeRole } from './techniques/iam-017-putrolepolicy-assumerole.js';
import { iam018PutUserPolicyCreateAccessKey } from './techniques/iam-018-putuserpolicy-createaccesskey.js';
import { iam019AttachRolePolicyUpdateAssumeRolePolicy } from './techniques/iam-019-attachrolepolicy-updateassumerolepolicy.js';
import { iam020CreatePolicyVersionUpdateAssumeRolePolicy } from './techniques/iam-020-createpolicyversion-updateassumerolepolicy.js';
import { iam021PutRolePolicyUpdateAssumeRolePolicy } from './techniques/iam-021-putrolepolicy-updateassumerolepolicy.js';
import { iam022DeleteUserPermissionsBoundary } from './techniques/iam-022-delete-permissions-boundary.js';
import { iam023DeleteRolePermissionsBoundaryAssumeRole } from './techniques/iam-023-deleterolepermissionsboundary-assumerole.js';
import { iam024PutUserPermissionsBoundary } from './techniques/iam-024-put-user-permissions-boundary.js';
import { iam025DetachUserPolicy } from './techniques/iam-025-detach-user-policy.js';
import { iam026DeleteUserPolicy } from './techniques/iam-026-delete-user-policy.js';
import { iamSetDefaultPolicyVersion } from './techniques/iam-set-default-policy-version.js';
import { lambda003 } from './techniques/lambda-updatefunctioncode.js';
import { lambda005 } from './techniques/lambda-updatefunctioncode-addpermission.js';
import { lambda004 } from './techniques/lambda-updatefunctioncode-invokefunction.js';
import { apprunner001PassRole } from './techniques/passrole-apprunner-createservice.js';
import { batch003PassRole } from './techniques/passrole-batch-createcomputeenvironment-createjobqueue.js';
import { batch001PassRole } from './techniques/passrole-batch-registerjobdefinition-submitjob.js';
import { bedrock003PassRole } from './techniques/passrole-bedrockagentcore-createagentruntime.js';
import { bedrock006PassRole } from './techniques/passrole-bedrockagentcore-createbrowser.js';
import { bedrock001PassRole } from './techniques/passrole-bedrockagentcore-createcodeinterpreter.js';
import { bedrock005PassRole } from './techniques/passrole-bedrockagentcore-createharness.js';
import { braket001PassRole } from './techniques/passrole-braket-createjob.js';
import { cloudformation001PassRole } from './techniques/passrole-cloudformation-createstack.js';
import { cloudformation003PassRole } from './techniques/passrole-cloudformation-createstackset-createstackinstances.js';
import { cloudformation004PassRole } from './techniques/passrole-cloudformation-updatestackset.js';
import { codebuild001PassRole } from './techniques/passrole-codebuild-createproject-startbuild.js';
import { codebuild004PassRole } from './techniques/passrole-codebuild-createproject-startbuildbatch.js';
import { cognitoidentity001PassRole } from './techniques/passrole-cognitoidentity-setidentitypoolroles.js';
import { datapipeline001PassRole } from './techniques/passrole-datapipeline-createpipeline.js';
import { ec2003PassRole } from './techniques/passrole-ec2-requestspotinstances.js';
import { ec2001PassRole } from './techniques/passrole-ec2-runinstances.js';
import { ecs001PassRole } from './techniques/passrole-ecs-createcluster-registertaskdefinition-createservice.js';
import { ecs002PassRole } from './techniques/passrole-ecs-createcluster-registertaskdefinition-runtask.js';
import { ecs003PassRole } from './techniques/passrole-ecs-registertaskdefinition-createservice.js';
import { ecs004PassRole } from './techniques/passrole-ecs-registertaskdefinition-runtask.js';
import { ecs005PassRole } from './techniques/passrole-ecs-registertaskdefinition-starttask.js';
import { ecs008PassRole } from './techniques/passrole-ecs-runtask.js';
import { ecs009PassRole } from './techniques/passrole-ecs-starttask.js';
import { ecs007PassRole } from './techniques/passrole-ecs-starttask-registercontainerinstance.js';
import { emr001PassRole } from './techniques/passrole-emr-runjobflow.js';
import { emrserverless001PassRole } from './techniques/passrole-emrserverless-createapplication-startjobrun.js';
import { gamelift001PassRole } from './techniques/passrole-gamelift-createbuild-createfleet.js';
import { glue001PassRole } from './techniques/passrole-glue-createdevendpoint.js';
import { glue004PassRole } from './techniques/passrole-glue-createjob-createtrigger.js';
import { glue003PassRole } from './techniques/passrole-glue-createjob-startjobrun.js';
import { glue007PassRole } from './techniques/passrole-glue-createsession-runstatement.js';
import { glue006PassRole } from './techniques/passrole-glue-updatejob-createtrigger.js';
import { glue005PassRole } from './techniques/passrole-glue-updatejob-startjobrun.js';
import { imagebuilder001PassRole } from './techniques/passrole-imagebuilder-createimage.js';
import { kinesisanalytics001PassRole } from './techniques/passrole-kinesisanalytics-createapplication-startapplication.js';
import { lambda006PassRole } from './techniques/passrole-lambda-createfunction-addpermission.js';
import { lambda002PassRole } from './techniques/passrole-lambda-createfunction-createeventsourcemapping.js';
import { lambda001PassRole } from './techniques/passrole-lambda-createfunction-invokefunction.js';
import { omics001PassRole } from './techniques/passrole-omics-createworkflow-startrun.js';
import { sagemaker001PassRole } from './techniques/passrole-sagemaker-createnotebookinstance.js';
import { sagemaker003PassRole } from './techniques/passrole-sagemaker-createprocessingjob.js';
import { sagemaker002PassRole } from './techniques/passrole-sagemaker-createtrainingjob.js';
import { ssm003PassRole } from './techniques/passrole-ssm-createdocument-startautomationexecution.js';
import { sagemaker004 } from './techniques/sagemaker-createpresignednotebookinstanceurl.js';
import { sagemaker005 } from './techniques/sagemaker-updatenotebookinstance-lifecycleconfig.js';
import { ssm002 } from './techniques/ssm-sendcommand.js';
import { ssm001 } from './techniques/ssm-startsession.js';
import type { EscalationTechnique } from './types.js';

/**
 * Every privilege-escalation technique reachgraph looks for, in catalogue order (IAM first). The
 * order also decides which technique names an edge that several techniques produce.
 */
export const TECHNIQUES: readonly EscalationTechnique[] = checked([
  iam001CreatePolicyVersion,
  iam002CreateAccessKey,
  iam003CreateAccessKeyDeleteAccessKey,
  iam004CreateLoginProfile,
  iam005PutRolePolicy,
  iam006UpdateLoginProfile,
  iam007PutUserPolicy,
  iam008AttachUserPolicy,
  iam009AttachRolePolicy,
  iam010AttachGroupPolicy,
  iam011PutGroupPolicy,
  iam012UpdateAssumeRolePolicy,
  iam013AddUserToGroup,
  iam014AttachRolePolicyAssumeRole,
  iam015AttachUserPolicyCreateAccessKey,
  iam016CreatePolicyVersionAssumeRole,
  iam017PutRolePolicyAssumeRole,
  iam018PutUserPolicyCreateAccessKey,
  iam019AttachRolePolicyUpdateAssumeRolePolicy,
  iam020CreatePolicyVersionUpdateAssumeRolePolicy,
  iam021PutRolePolicyUpdateAssumeRolePolicy,
  iam022DeleteUserPermissionsBoundary,
  iam023DeleteRolePermissionsBoundaryAssumeRole,
  iam024PutUserPermissionsBoundary,
  iam025DetachUserPolicy,
  iam026DeleteUserPolicy,
  iamSetDefaultPolicyVersion,
  apprunner001PassRole,
  apprunner002,
  batch001PassRole,
  batch002,
  batch003PassRole,
  bedrock001PassRole,
  bedrock002,
  bedrock003PassRole,
  bedrock004,
  bedrock005PassRole,
  bedrock006PassRole,
  bedrock007,
  braket001PassRole,
  cloudformation001PassRole,
  cloudformation002,
  cloudformation003PassRole,
  cloudformation004PassRole,
  cloudformation005,
  codebuild001PassRole,
  codebuild002,
  codebuild003,
  codebuild004PassRole,
  codedeploy001,
  cognitoidentity001PassRole,
  datapipeline001PassRole,
  ec2001PassRole,
  ec2002,
  ec2003PassRole,
  ec2004,
  ec2InstanceConnectSendSshPublicKey,
  ecs001PassRole,
  ecs002PassRole,
  ecs003PassRole,
  ecs004PassRole,
  ecs005PassRole,
  ecs006,
  ecs007PassRole,
  ecs008PassRole,
  ecs009PassRole,
  emr001PassRole,
  emrserverless001PassRole,
  gamelift001PassRole,
  glue001PassRole,
  glue002,
  glue003PassRole,
  glue004PassRole,
  glue005PassRole,
  glue006PassRole,
  glue007PassRole,
  imagebuilder001PassRole,
  kinesisanalytics001PassRole,
  lambda001PassRole,
  lambda002PassRole,
  lambda003,
  lambda004,
  lambda005,
  lambda006PassRole,
  omics001PassRole,
  sagemaker001PassRole,
  sagemaker002PassRole,
  sagemaker003PassRole,
  sagemaker004,
  sagemaker005,
  ssm001,
  ssm002,
  ssm003PassRole,
]);

function checked(techniques: EscalationTechnique[]): EscalationTechnique[] {
  const seen = new Set<string>();
  for (const t of techniques) {
    for (const id of new Set([t.id, t.slug, ...(t.aliases ?? [])])) {
      if (seen.has(id)) throw new Error(`escalation technique id ${id} is declared twice`);
      seen.add(id);
    }
  }
  return techniques;
}

export function technique(id: string): EscalationTechnique | undefined {
  return TECHNIQUES.find((t) => t.id === id || t.slug === id || t.aliases?.includes(id));
}
