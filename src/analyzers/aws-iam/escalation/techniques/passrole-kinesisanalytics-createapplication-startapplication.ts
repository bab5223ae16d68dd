import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const kinesisanalytics001PassRole = passRoleTechnique({
  id: 'kinesisanalytics-001',
  slug: 'iam-passrole-kinesisanalytics-createapplication-startapplication',
  name: 'iam:PassRole + kinesisanalytics:CreateApplication + kinesisanalytics:StartApplication',
  attack: 'T1648',
  description:
    "Passes a role that trusts kinesisanalytics.amazonaws.com as service execution role of a new Managed Apache Flink application and runs its own code with the role's credentials.",
  references: [
    pathfinding('kinesisanalytics-001'),
    PASSROLE_DOC,
    {
      title: 'Managed Service for Apache Flink security best practices',
      url: 'https://docs.aws.amazon.com/managed-flink/latest/java/security-best-practices.html',
    },
  ],
  service: 'kinesisanalytics.amazonaws.com',
  actions: ['kinesisanalytics:CreateApplication', 'kinesisanalytics:StartApplication'],
  runs: 'a new Managed Apache Flink application',
});
