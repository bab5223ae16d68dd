import {
  GetVaultAccessPolicyCommand,
  GlacierClient,
  ListTagsForVaultCommand,
  paginateListVaults,
} from '@aws-sdk/client-glacier';
import { eachLimit } from '../../../util/pool.js';
import { arr, labelBy, str } from '../documents.js';
import { allPages, record } from '../live-calls.js';
import {
  type AwsService,
  ids,
  makeResource,
  perRegion,
  type RegionalReader,
  resourcePolicy,
  resourceTags,
  withPolicy,
} from './service.js';

const LIST = 'glacier-list-vaults';
const POLICY = 'glacier-get-vault-access-policy';
const TAGS = 'glacier-list-tags-for-vault';
/** `-` names the account of the credentials in use (Glacier's API requires the account id). */
const ACCOUNT = '-';

/** S3 Glacier vaults: their vault access policies and tags. */
export const glacier: AwsService = {
  name: 'glacier',
  placement: 'region',
  snapshot: { documents: [LIST], perResource: [POLICY, TAGS] },
  resources: [{ type: 'glacier-vault', kind: 'AwsGlacierVault', holds: 'data', sensitivity: 'medium' }],

  async collect({ scope, config, limit, at, one, ran }) {
    const client = new GlacierClient(config);
    const list = (await record(scope, at(LIST), () =>
      allPages(paginateListVaults({ client }, { accountId: ACCOUNT })),
    )) as { VaultList?: { VaultName?: string }[] } | undefined;
    ran(POLICY, TAGS);
    await eachLimit(ids(list?.VaultList, 'VaultName'), limit, async (vaultName) => {
      await record(
        scope,
        one(POLICY, vaultName),
        () => client.send(new GetVaultAccessPolicyCommand({ accountId: ACCOUNT, vaultName })),
        true,
      );
      await record(scope, one(TAGS, vaultName), () =>
        client.send(new ListTagsForVaultCommand({ accountId: ACCOUNT, vaultName })),
      );
    });
  },

  transform: (ctx) => perRegion(ctx, LIST, vaults),
};

const vaults: RegionalReader = (ctx, document, source, region) =>
  ctx.reader.each(arr(document, 'VaultList'), source, labelBy('VaultList', 'VaultName'), (v) => {
    const name = str(v, 'VaultName');
    const arn = str(v, 'VaultARN');
    const vault = makeResource(
      'glacier-vault',
      arn,
      name,
      ctx,
      region,
      resourceTags(ctx, TAGS, name, region, 'Tags'),
    );
    return withPolicy(vault, resourcePolicy(ctx, POLICY, name, region, 'policy.Policy', arn, 'vault'));
  });
