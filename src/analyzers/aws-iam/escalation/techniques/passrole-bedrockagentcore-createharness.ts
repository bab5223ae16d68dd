import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const bedrock005PassRole = passRoleTechnique({
  id: 'bedrock-005',
  slug: 'iam-passrole-bedrockagentcore-createharness',
  name: 'iam:PassRole + bedrock-agentcore:CreateHarness + bedrock-agentcore:CreateAgentRuntime + bedrock-agentcore:CreateAgentRuntimeEndpoint + bedrock-agentcore:CreateWorkloadIdentity + bedrock-agentcore:GetAgentRuntime + bedrock-agentcore:GetHarness + bedrock-agentcore:InvokeAgentRuntimeCommand',
  attack: 'T1648',
  description:
    "Passes a role that trusts bedrock-agentcore.amazonaws.com to a new Bedrock AgentCore harness (a runtime with a managed agent), runs its own shell commands in it and acts with the role's credentials.",
  references: [
    pathfinding('bedrock-005'),
    PASSROLE_DOC,
    {
      title: 'BeyondTrust: privilege escalation paths in AWS AgentCore',
      url: 'https://www.beyondtrust.com/blog/entry/aws-agentcore-privilege-escalation',
    },
  ],
  service: 'bedrock-agentcore.amazonaws.com',
  actions: [
    'bedrock-agentcore:CreateHarness',
    'bedrock-agentcore:CreateAgentRuntime',
    'bedrock-agentcore:CreateAgentRuntimeEndpoint',
    'bedrock-agentcore:CreateWorkloadIdentity',
    'bedrock-agentcore:GetAgentRuntime',
    'bedrock-agentcore:GetHarness',
    'bedrock-agentcore:InvokeAgentRuntimeCommand',
  ],
  runs: 'a new Bedrock AgentCore harness',
  requires: ['a Bedrock foundation model enabled in the account (not collected)'],
});
