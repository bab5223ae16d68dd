import {
  CognitoIdentityClient,
  DescribeIdentityPoolCommand,
  GetIdentityPoolRolesCommand,
  paginateListIdentityPools,
} from '@aws-sdk/client-cognito-identity';
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

const LIST = 'cognito-identity-list-identity-pools';
const DESCRIBE = 'cognito-identity-describe-identity-pool';
const ROLES = 'cognito-identity-get-identity-pool-roles';

/** The largest page `ListIdentityPools` accepts (it requires a page size). */
const PAGE = 60;

/**
 * Cognito identity pools: whether they admit unauthenticated identities, whether the basic
 * (classic) flow is on, their login providers and the roles they hand out. They are facts for the
 * federation analysis (who can obtain a role's credentials through a pool), not graph nodes.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools.html
 */
export const cognitoIdentity: AwsService = {
  name: 'cognito-identity',
  placement: 'region',
  snapshot: { documents: [LIST], perResource: [DESCRIBE, ROLES] },
  resources: [],

  async collect({ scope, config, limit, at, one, ran }) {
    const client = new CognitoIdentityClient(config);
    const pools = (await record(scope, at(LIST), () =>
      allPages(paginateListIdentityPools({ client }, { MaxResults: PAGE })),
    )) as { IdentityPools?: { IdentityPoolId?: string }[] } | undefined;
    ran(DESCRIBE, ROLES);
    await eachLimit(pools?.IdentityPools ?? [], limit, async ({ IdentityPoolId }) => {
      if (!IdentityPoolId) return;
      await record(scope, one(DESCRIBE, IdentityPoolId), () =>
        client.send(new DescribeIdentityPoolCommand({ IdentityPoolId })),
      );
      await record(scope, one(ROLES, IdentityPoolId), () =>
        client.send(new GetIdentityPoolRolesCommand({ IdentityPoolId })),
      );
    });
  },

  transform: (ctx) => perRegion(ctx, LIST, pools),
};

const pools: RegionalReader = (ctx, document, source, region) =>
  ctx.reader.each(
    arr(document, 'IdentityPools'),
    source,
    labelBy('IdentityPools', 'IdentityPoolId'),
    (item) => {
      const id = str(item, 'IdentityPoolId');
      // A pool id starts with its region (`us-east-1:…`), so a file at the top still has one.
      const poolRegion = region ?? id.slice(0, id.indexOf(':'));
      const arn = builtArn(ctx, 'cognito-identity', poolRegion, `identitypool/${id}`, source);
      const describeSource = ctx.reader.file(perResource(DESCRIBE, id, region));
      const described = ctx.reader.resource(DESCRIBE, id, region);
      const config =
        described === undefined
          ? undefined
          : ctx.reader.guard(describeSource, () => obj(described, 'the document'));
      const pool = makeResource(
        'cognito-identity-pool',
        arn,
        optStr(item, 'IdentityPoolName') ?? id,
        ctx,
        poolRegion,
        config ? tags(config, 'IdentityPoolTags') : {},
      );
      attribute(pool, 'identityPoolId', id);
      if (config) {
        ctx.reader.guard(describeSource, () => {
          attribute(
            pool,
            'allowUnauthenticatedIdentities',
            optBool(config, 'AllowUnauthenticatedIdentities') ?? false,
          );
          attribute(pool, 'allowClassicFlow', optBool(config, 'AllowClassicFlow') ?? false);
          const providers = isObj(config.SupportedLoginProviders)
            ? Object.keys(config.SupportedLoginProviders)
            : [];
          attribute(pool, 'loginProviders', providers);
          const userPools = arr(config, 'CognitoIdentityProviders').flatMap((p, i) => {
            const provider = obj(p, `CognitoIdentityProviders[${i}]`);
            const name = optStr(provider, 'ProviderName');
            return name ? [name] : [];
          });
          attribute(pool, 'userPoolProviders', userPools);
        });
      }
      const roles = ctx.reader.resource(ROLES, id, region);
      if (roles !== undefined) {
        const rolesSource = ctx.reader.file(perResource(ROLES, id, region));
        ctx.reader.guard(rolesSource, () => {
          const top = obj(roles, 'the document');
          const basic = isObj(top.Roles) ? top.Roles : {};
          attribute(pool, 'authenticatedRole', optStr(basic, 'authenticated'));
          attribute(pool, 'unauthenticatedRole', optStr(basic, 'unauthenticated'));
          attribute(pool, 'ruleRoles', ruleRoles(top));
          attribute(pool, 'tokenRoleMapping', tokenMapping(top));
        });
      }
      return pool;
    },
  );

/**
 * Roles named by rule-based role mappings: an authenticated identity whose claims match a rule
 * gets that rule's role (https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html).
 */
function ruleRoles(document: Record<string, unknown>): string[] {
  const mappings = isObj(document.RoleMappings) ? document.RoleMappings : {};
  const out = new Set<string>();
  for (const [provider, mapping] of Object.entries(mappings)) {
    const m = obj(mapping, `RoleMappings.${provider}`);
    const rules = isObj(m.RulesConfiguration) ? arr(m.RulesConfiguration, 'Rules') : [];
    rules.forEach((rule, i) => {
      const role = optStr(obj(rule, `RoleMappings.${provider}.Rules[${i}]`), 'RoleARN');
      if (role) out.add(role);
    });
  }
  return [...out].sort();
}

/** Providers whose tokens choose the role (`Type: Token`: the `cognito:preferred_role` claim). */
function tokenMapping(document: Record<string, unknown>): string[] {
  const mappings = isObj(document.RoleMappings) ? document.RoleMappings : {};
  return Object.entries(mappings)
    .filter(([, m]) => isObj(m) && m.Type === 'Token')
    .map(([provider]) => provider)
    .sort();
}
