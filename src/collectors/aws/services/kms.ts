import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  KMSClient,
  paginateListAliases,
  paginateListKeys,
  paginateListResourceTags,
} from '@aws-sdk/client-kms';
import { eachLimit } from '../../../util/pool.js';
import { arr, isObj, labelBy, optStr, ShapeError, str } from '../documents.js';
import { allPages, record } from '../live-calls.js';
import {
  type AwsService,
  attribute,
  ids,
  makeResource,
  perRegion,
  type RegionalReader,
  resourcePolicy,
  resourceTags,
  withPolicy,
} from './service.js';

const LIST = 'kms-list-keys';
const ALIASES = 'kms-list-aliases';
const DESCRIBE = 'kms-describe-key';
const POLICY = 'kms-get-key-policy';
const TAGS = 'kms-list-resource-tags';

/** KMS keys: their key policies, descriptions, tags and aliases (the first alias names the key). */
export const kms: AwsService = {
  name: 'kms',
  placement: 'region',
  snapshot: { documents: [LIST, ALIASES], perResource: [DESCRIBE, POLICY, TAGS] },
  resources: [{ type: 'kms-key', kind: 'AwsKmsKey', holds: 'data', sensitivity: 'high' }],

  async collect({ scope, config, limit, at, one, ran }) {
    const client = new KMSClient(config);
    const keys = (await record(scope, at(LIST), () => allPages(paginateListKeys({ client }, {})))) as
      | { Keys?: { KeyId?: string }[] }
      | undefined;
    await record(scope, at(ALIASES), () => allPages(paginateListAliases({ client }, {})));
    ran(DESCRIBE, POLICY, TAGS);
    await eachLimit(ids(keys?.Keys, 'KeyId'), limit, async (KeyId) => {
      await record(scope, one(DESCRIBE, KeyId), () => client.send(new DescribeKeyCommand({ KeyId })));
      await record(scope, one(POLICY, KeyId), () =>
        client.send(new GetKeyPolicyCommand({ KeyId, PolicyName: 'default' })),
      );
      await record(scope, one(TAGS, KeyId), () => allPages(paginateListResourceTags({ client }, { KeyId })));
    });
  },

  transform: (ctx) => perRegion(ctx, LIST, keys),
};

const keys: RegionalReader = (ctx, document, source, region) => {
  const aliases = new Map<string, string[]>();
  const aliasDocument = ctx.reader.get(ALIASES, region);
  if (isObj(aliasDocument)) {
    for (const alias of arr(aliasDocument, 'Aliases')) {
      if (isObj(alias) && typeof alias.TargetKeyId === 'string' && typeof alias.AliasName === 'string') {
        const list = aliases.get(alias.TargetKeyId);
        if (list) list.push(alias.AliasName);
        else aliases.set(alias.TargetKeyId, [alias.AliasName]);
      }
    }
  }
  return ctx.reader.each(arr(document, 'Keys'), source, labelBy('Keys', 'KeyId'), (k) => {
    const keyId = str(k, 'KeyId');
    const describe = ctx.reader.resource(DESCRIBE, keyId, region);
    const metadata = isObj(describe) && isObj(describe.KeyMetadata) ? describe.KeyMetadata : undefined;
    const arn = optStr(k, 'KeyArn') ?? (metadata ? optStr(metadata, 'Arn') : undefined);
    if (!arn) throw new ShapeError(`key ${keyId} has no KeyArn`);
    const key = makeResource(
      'kms-key',
      arn,
      aliases.get(keyId)?.[0] ?? keyId,
      ctx,
      region,
      resourceTags(ctx, TAGS, keyId, region, 'Tags'),
    );
    attribute(key, 'keyId', keyId);
    // Every alias: a SecureString parameter or a queue may name its key by any of them.
    const names = aliases.get(keyId);
    if (names && names.length > 1) {
      key.attributes ??= {};
      key.attributes.aliases = names;
    }
    if (metadata) {
      attribute(key, 'keyManager', optStr(metadata, 'KeyManager'));
      attribute(key, 'keyState', optStr(metadata, 'KeyState'));
    }
    // Key policies must allow even within the account; the engine is told by the resource type.
    return withPolicy(key, resourcePolicy(ctx, POLICY, keyId, region, 'Policy', arn, 'key'));
  });
};
