import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const bedrock006PassRole = passRoleTechnique({
  id: 'bedrock-006',
  slug: 'iam-passrole-bedrockagentcore-createbrowser',
  name: 'iam:PassRole + bedrock-agentcore:CreateBrowser + bedrock-agentcore:StartBrowserSession + bedrock-agentcore:ConnectBrowserAutomationStream',
  attack: 'T1648',
  description:
    "Passes a role that trusts bedrock-agentcore.amazonaws.com to a new Bedrock AgentCore custom browser, drives it over the automation stream to read the role's credentials from the metadata service and acts with them.",
  references: [
    pathfinding('bedrock-006'),
    PASSROLE_DOC,
    {
      title: 'BeyondTrust: privilege escalation paths in AWS AgentCore',
      url: 'https://www.beyondtrust.com/blog/entry/aws-agentcore-privilege-escalation',
    },
  ],
  service: 'bedrock-agentcore.amazonaws.com',
  actions: [
    'bedrock-agentcore:CreateBrowser',
    'bedrock-agentcore:StartBrowserSession',
    'bedrock-agentcore:ConnectBrowserAutomationStream',
  ],
  runs: 'a new Bedrock AgentCore custom browser',
});
