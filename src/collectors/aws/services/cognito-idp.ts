import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  paginateListUserPools,
} from '@aws-sdk/client-cognito-identity-provider';
import { eachLimit } from '../../../util/pool.js';
import { arr, isObj, labelBy, obj, optBool, optStr, str, tags } from '../documents.js';
import { allPages, record } from '../live-calls.js';
import { perResource } from '../raw.js';
import {
  type AwsService,
  attribute,
  builtArn,
  makeResource,
  perRegion,
  type RegionalReader,
} from './service.js';

const LIST = 'cognito-idp-list-user-pools';
const DESCRIBE = 'cognito-idp-describe-user-pool';

/** The largest page `ListUserPools` accepts (it requires a page size). */
const PAGE = 60;

/**
 * Cognito user pools: whether anyone may sign up. A user pool that is an identity pool's login
 * provider and lets users sign themselves up (`AdminCreateUserConfig.AllowAdminCreateUserOnly`
 * false) gives anyone an authenticated identity of that identity pool
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html).
 * Facts for the federation analysis, not graph nodes.
 */
export const cognitoIdp: AwsService = {
  name: 'cognito-idp',
  placement: 'region',
  snapshot: { documents: [LIST], perResource: [DESCRIBE] },
  resources: [],

  async collect({ scope, config, limit, at, one, ran }) {
    const client = new CognitoIdentityProviderClient(config);
    const pools = (await record(scope, at(LIST), () =>
      allPages(paginateListUserPools({ client }, { MaxResults: PAGE })),
    )) as { UserPools?: { Id?: string }[] } | undefined;
    ran(DESCRIBE);
    await eachLimit(pools?.UserPools ?? [], limit, async ({ Id }) => {
      if (!Id) return;
      await record(scope, one(DESCRIBE, Id), () =>
        client.send(new DescribeUserPoolCommand({ UserPoolId: Id })),
      );
    });
  },

  transform: (ctx) => perRegion(ctx, LIST, userPools),
};

const userPools: RegionalReader = (ctx, document, source, region) =>
  ctx.reader.each(arr(document, 'UserPools'), source, labelBy('UserPools', 'Id'), (item) => {
    const id = str(item, 'Id');
    // A user pool id starts with its region (`us-east-1_…`).
    const poolRegion = region ?? id.slice(0, id.indexOf('_'));
    const described = ctx.reader.resource(DESCRIBE, id, region);
    const describeSource = ctx.reader.file(perResource(DESCRIBE, id, region));
    const config =
      described === undefined
        ? undefined
        : ctx.reader.guard(describeSource, () => obj(obj(described, 'the document').UserPool, 'UserPool'));
    const arn =
      (config && optStr(config, 'Arn')) ?? builtArn(ctx, 'cognito-idp', poolRegion, `userpool/${id}`, source);
    const pool = makeResource(
      'cognito-user-pool',
      arn,
      optStr(item, 'Name') ?? id,
      ctx,
      poolRegion,
      config ? tags(config, 'UserPoolTags') : {},
    );
    attribute(pool, 'userPoolId', id);
    if (config) {
      ctx.reader.guard(describeSource, () => {
        const admin = isObj(config.AdminCreateUserConfig) ? config.AdminCreateUserConfig : {};
        // Self sign-up is on unless only administrators may create users.
        attribute(pool, 'selfSignUp', !(optBool(admin, 'AllowAdminCreateUserOnly') ?? false));
      });
    }
    return pool;
  });
