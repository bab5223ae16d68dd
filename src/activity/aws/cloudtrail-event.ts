import type { Shape } from '../json-shape.js';

/**
 * The CloudTrail record fields activity reads (CloudTrail record contents:
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html;
 * userIdentity: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
 * Every other field is ignored.
 */
export const CLOUDTRAIL_EVENT: Shape = {
  eventID: 'string',
  eventTime: 'string',
  eventSource: 'string',
  eventName: 'string',
  awsRegion: 'string',
  sourceIPAddress: 'string',
  userAgent: 'string',
  errorCode: 'string',
  recipientAccountId: 'string',
  userIdentity: {
    type: 'string',
    principalId: 'string',
    arn: 'string',
    accountId: 'string',
    accessKeyId: 'string',
    userName: 'string',
    invokedBy: 'string',
    identityProvider: 'string',
    sessionContext: {
      sourceIdentity: 'string',
      sessionIssuer: { type: 'string', arn: 'string', accountId: 'string', userName: 'string' },
      webIdFederationData: { federatedProvider: 'string' },
    },
  },
  resources: [{ ARN: 'string', type: 'string' }],
  requestParameters: { roleArn: 'string', bucketName: 'string' },
  // What a successful IAM create call made (CreateRole, CreateUser: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html,
  // API_CreateUser.html; CreateAccessKey: API_CreateAccessKey.html): CloudTrail logs the response.
  responseElements: {
    role: { arn: 'string' },
    user: { arn: 'string' },
    accessKey: { accessKeyId: 'string' },
  },
};
