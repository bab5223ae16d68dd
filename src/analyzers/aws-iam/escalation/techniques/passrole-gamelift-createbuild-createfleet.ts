import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const gamelift001PassRole = passRoleTechnique({
  id: 'gamelift-001',
  slug: 'iam-passrole-gamelift-createbuild-createfleet',
  name: 'iam:PassRole + gamelift:CreateBuild + gamelift:CreateFleet + gamelift:RequestUploadCredentials',
  attack: 'T1578.002',
  description:
    "Uploads its own game server build and passes a role to a new GameLift fleet as instance role; the server process runs its code with the role's credentials.",
  references: [
    pathfinding('gamelift-001'),
    PASSROLE_DOC,
    {
      title: 'Amazon GameLift Servers: access AWS resources from a fleet',
      url: 'https://docs.aws.amazon.com/gameliftservers/latest/developerguide/gamelift-sdk-server-resources.html',
    },
  ],
  // The fleet instance role trusts gamelift.amazonaws.com (the catalogue says ec2.amazonaws.com), per
  // https://docs.aws.amazon.com/gameliftservers/latest/developerguide/gamelift-sdk-server-resources.html
  service: 'gamelift.amazonaws.com',
  actions: ['gamelift:CreateBuild', 'gamelift:CreateFleet', 'gamelift:RequestUploadCredentials'],
  runs: 'a new GameLift fleet running its build',
});
