import {
  GetResourcePolicyCommand,
  paginateListSecrets,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { eachLimit } from '../../../util/pool.js';
import { arr, labelBy, optStr, str, tags } from '../documents.js';
import { allPages, record } from '../live-calls.js';
import {
  type AwsService,
  attribute,
  ids,
  makeResource,
  perRegion,
  type RegionalReader,
  resourcePolicy,
  withPolicy,
} from './service.js';

const LIST = 'secretsmanager-list-secrets';
const POLICY = 'secretsmanager-get-resource-policy';

/** Secrets Manager: secret metadata and resource policies only, never secret values. */
export const secretsManager: AwsService = {
  name: 'secretsmanager',
  placement: 'region',
  snapshot: { documents: [LIST], perResource: [POLICY] },
  resources: [{ type: 'secret', kind: 'AwsSecret', holds: 'data', sensitivity: 'high' }],

  async collect({ scope, config, limit, at, one, ran }) {
    const client = new SecretsManagerClient(config);
    const secrets = (await record(scope, at(LIST), () => allPages(paginateListSecrets({ client }, {})))) as
      | { SecretList?: { Name?: string }[] }
      | undefined;
    ran(POLICY);
    await eachLimit(ids(secrets?.SecretList, 'Name'), limit, async (SecretId) => {
      await record(
        scope,
        one(POLICY, SecretId),
        () => client.send(new GetResourcePolicyCommand({ SecretId })),
        true,
      );
    });
  },

  transform: (ctx) => perRegion(ctx, LIST, secrets),
};

const secrets: RegionalReader = (ctx, document, source, region) =>
  ctx.reader.each(arr(document, 'SecretList'), source, labelBy('SecretList', 'Name', 'ARN'), (s) => {
    const arn = str(s, 'ARN');
    const name = str(s, 'Name');
    const secret = makeResource('secret', arn, name, ctx, region, tags(s, 'Tags'));
    attribute(secret, 'kmsKeyId', optStr(s, 'KmsKeyId'));
    return withPolicy(secret, resourcePolicy(ctx, POLICY, name, region, 'ResourcePolicy', arn, 'secret'));
  });
