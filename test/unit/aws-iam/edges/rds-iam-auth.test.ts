import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizer } from '../../../../src/analyzers/aws-iam/authorizer/environment-authorizer.js';
import { catalogAction, loadCatalog } from '../../../../src/analyzers/aws-iam/catalog.js';
import { canAccess } from '../../../../src/analyzers/aws-iam/edges/can-access.js';
import { DATA_RESOURCES } from '../../../../src/analyzers/aws-iam/edges/data-resources.js';
import type { AwsResourceData } from '../../../../src/model/aws/environment.js';
import type { PolicyDocument } from '../../../../src/model/aws/policy.js';
import {
  account,
  allow,
  doc,
  environment,
  resource,
  role,
  roleArn,
  trusts,
} from '../../../helpers/aws-environment.js';

// IAM database authentication: rds-db:connect on a DB user of an instance, by its DbiResourceId,
// only where IAM authentication is enabled
// (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html).

const ACCOUNT = '123456789012';
const REGION = 'us-east-2';
const DB = `arn:aws:rds:${REGION}:${ACCOUNT}:db:orders`;
const DBI = 'db-ABCDEFGHIJKL01234';
const dbUser = (user: string, id = DBI) => `arn:aws:rds-db:${REGION}:${ACCOUNT}:dbuser:${id}/${user}`;
const APP = roleArn(ACCOUNT, 'app');

beforeAll(() => loadCatalog());

function instance(attributes: Record<string, string | boolean>): AwsResourceData {
  return { ...resource('rds-instance', DB, { attributes }), region: REGION };
}

function derive(policy: PolicyDocument, db: AwsResourceData) {
  const out = canAccess.derive(
    createAuthorizer(
      environment(
        account(ACCOUNT, {
          roles: [role(ACCOUNT, 'app', trusts({ Service: ['ec2.amazonaws.com'] }), { policy })],
          resources: [db],
        }),
      ),
    ),
  );
  return out.edges.find((e) => e.from === APP && e.to === DB);
}

const enabled = { dbiResourceId: DBI, iamDatabaseAuthentication: true };

describe('rds-db:connect (IAM database authentication)', () => {
  it('is in the action catalogue with the resource type the data resource names', () => {
    const related = DATA_RESOURCES['rds-instance']?.related ?? [];
    expect(related.length).toBeGreaterThan(0);
    for (const r of related) expect(catalogAction(r.action)?.resourceTypes).toContain(r.resourceType);
  });

  it('a login as a named DB user reads and changes the data, and the evidence names the user', () => {
    const e = derive(doc(allow('rds-db:connect', dbUser('app'))), instance(enabled));
    expect(e?.properties).toMatchObject({ levels: ['read', 'write'], actions: ['rds-db:connect'] });
    expect(e?.properties.conditional).toBeFalsy();
    expect(e?.evidence.map((x) => x.reason).join(' ')).toContain(
      'allows rds-db:connect on orders as db user "app"',
    );
  });

  it('the AWS documentation example with wildcards (any user of any instance) names any db user', () => {
    const e = derive(
      doc(allow('rds-db:connect', `arn:aws:rds-db:${REGION}:*:dbuser:*/*`)),
      instance(enabled),
    );
    expect(e?.properties.levels).toEqual(['read', 'write']);
    expect(e?.evidence.map((x) => x.reason).join(' ')).toContain('as any db user (*)');
  });

  it('a DB user ARN of another instance (another DbiResourceId) gives nothing', () => {
    expect(
      derive(doc(allow('rds-db:connect', dbUser('app', 'db-OTHER0000000000'))), instance(enabled)),
    ).toBeUndefined();
  });

  it('an instance without IAM database authentication gives no edge', () => {
    const db = instance({ dbiResourceId: DBI, iamDatabaseAuthentication: false });
    expect(derive(doc(allow('rds-db:connect', dbUser('*'))), db)).toBeUndefined();
  });

  it('when IAM authentication was not collected the edge is conditional on a pseudo condition', () => {
    const e = derive(doc(allow('rds-db:connect', dbUser('app'))), instance({ dbiResourceId: DBI }));
    expect(e?.properties.conditional).toBe(true);
    expect(JSON.stringify(e?.evidence)).toContain('rds:IAMDatabaseAuthenticationEnabled');
  });

  it('rds-db:connect is never decided on the instance ARN with the RDS actions of the same statement', () => {
    const e = derive(doc(allow(['rds:DescribeDBInstances', 'rds-db:connect'], DB)), instance(enabled));
    expect(e?.properties.actions).toEqual(['rds:DescribeDBInstances']);
    expect(e?.properties.levels).toEqual(['list']);
  });

  it('Action "*" on "*" logs in as any user as well as managing the instance', () => {
    const e = derive(doc(allow('*', '*')), instance(enabled));
    expect(e?.properties.actions).toContain('rds-db:connect');
    expect(e?.properties.levels).toEqual(expect.arrayContaining(['read', 'write']));
  });
});

describe('rds-db:connect on an Aurora cluster', () => {
  const CLUSTER = `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:reports`;
  const CLUSTER_ID = 'cluster-ABCDEFGHIJKL01234';
  const cluster = (iamDatabaseAuthentication: boolean): AwsResourceData => ({
    ...resource('rds-cluster', CLUSTER, {
      attributes: { dbiResourceId: CLUSTER_ID, iamDatabaseAuthentication },
    }),
    region: REGION,
  });
  const derive = (db: AwsResourceData) =>
    canAccess
      .derive(
        createAuthorizer(
          environment(
            account(ACCOUNT, {
              roles: [
                role(ACCOUNT, 'app', trusts({ Service: ['ec2.amazonaws.com'] }), {
                  policy: doc(allow('rds-db:connect', dbUser('analyst', CLUSTER_ID))),
                }),
              ],
              resources: [db],
            }),
          ),
        ),
      )
      .edges.find((e) => e.from === APP && e.to === CLUSTER);

  it('a login by the cluster resource id reaches the cluster’s data', () => {
    const e = derive(cluster(true));
    expect(e).toMatchObject({ toKind: 'AwsRdsCluster', properties: { levels: ['read', 'write'] } });
    expect(e?.evidence.map((x) => x.reason).join(' ')).toContain('as db user "analyst"');
  });

  it('not when the cluster does not accept IAM logins', () => {
    expect(derive(cluster(false))).toBeUndefined();
  });
});
