import { describe, expect, it } from 'vitest';
import {
  CATALOGUE_EXCLUSIONS,
  CATALOGUE_IDS,
} from '../../../../src/analyzers/aws-iam/escalation/catalogue-ids.js';
import { TECHNIQUES, technique } from '../../../../src/analyzers/aws-iam/escalation/registry.js';

// Required actions of a few catalogue paths, written out from the catalogue independently of the
// technique definitions: ids that were once confused (ssm-001/002, ec2-003) or assigned by reading it.
const CATALOGUE_ACTIONS: Record<string, string[]> = {
  'ssm-001': ['ssm:StartSession'],
  'ssm-002': ['ssm:SendCommand'],
  'ec2-003': ['iam:PassRole', 'ec2:RequestSpotInstances'],
  'sagemaker-001': ['iam:PassRole', 'sagemaker:CreateNotebookInstance'],
  'sagemaker-002': ['iam:PassRole', 'sagemaker:CreateTrainingJob'],
  'sagemaker-003': ['iam:PassRole', 'sagemaker:CreateProcessingJob'],
  'sagemaker-004': ['sagemaker:CreatePresignedNotebookInstanceUrl'],
  'codebuild-002': ['codebuild:StartBuild'],
  'codebuild-003': ['codebuild:StartBuildBatch'],
  'codebuild-004': ['iam:PassRole', 'codebuild:CreateProject', 'codebuild:StartBuildBatch'],
  'cloudformation-002': ['cloudformation:UpdateStack'],
  'cloudformation-003': [
    'iam:PassRole',
    'cloudformation:CreateStackSet',
    'cloudformation:CreateStackInstances',
  ],
  'cloudformation-004': ['iam:PassRole', 'cloudformation:UpdateStackSet'],
  'cloudformation-005': ['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'],
  'batch-001': ['iam:PassRole', 'batch:RegisterJobDefinition', 'batch:SubmitJob'],
  'batch-002': ['batch:SubmitJob'],
  'glue-007': ['iam:PassRole', 'glue:CreateSession', 'glue:RunStatement'],
  'ecs-007': ['iam:PassRole', 'ecs:StartTask', 'ecs:RegisterContainerInstance'],
  'apprunner-002': ['apprunner:UpdateService'],
  'cognitoidentity-001': ['iam:PassRole', 'cognito-identity:SetIdentityPoolRoles'],
};

describe('pathfinding.cloud catalogue coverage', () => {
  it('lists each catalogue id once', () => {
    expect(new Set(CATALOGUE_IDS).size).toBe(CATALOGUE_IDS.length);
  });

  it('maps every catalogue id to a technique or to a documented exclusion, never both', () => {
    const unmapped = CATALOGUE_IDS.filter((id) => !technique(id) && !CATALOGUE_EXCLUSIONS[id]);
    expect(unmapped).toEqual([]);
    const both = Object.keys(CATALOGUE_EXCLUSIONS).filter((id) => technique(id));
    expect(both).toEqual([]);
    expect(Object.keys(CATALOGUE_EXCLUSIONS).every((id) => CATALOGUE_IDS.includes(id))).toBe(true);
  });

  it('uses catalogue-shaped ids (service-NNN) only for ids the catalogue has', () => {
    const claimed = TECHNIQUES.flatMap((t) => [t.id, ...(t.aliases ?? [])]).filter((id) =>
      /^[a-z0-9]+-\d{3}$/.test(id),
    );
    expect(claimed.filter((id) => !CATALOGUE_IDS.includes(id))).toEqual([]);
  });

  it.each(Object.entries(CATALOGUE_ACTIONS))('%s requires what the catalogue lists', (id, actions) => {
    expect([...(technique(id)?.requiredActions ?? [])].sort()).toEqual([...actions].sort());
  });
});
