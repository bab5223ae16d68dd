import { paginateDescribeDBClusters, paginateDescribeDBInstances, RDSClient } from '@aws-sdk/client-rds';
import type { AwsResourceData } from '../../../model/aws/environment.js';
import { arr, labelBy, optBool, optStr, str, tags } from '../documents.js';
import { allPages, record } from '../live-calls.js';
import { type AwsService, attribute, makeResource, perRegion, type RegionalReader } from './service.js';

const LIST = 'rds-describe-db-instances';
const CLUSTERS = 'rds-describe-db-clusters';

/** RDS database instances and clusters (their tags come with the lists). */
export const rds: AwsService = {
  name: 'rds',
  placement: 'region',
  snapshot: { documents: [LIST, CLUSTERS], perResource: [] },
  resources: [
    { type: 'rds-instance', kind: 'AwsRdsInstance', holds: 'data', sensitivity: 'medium' },
    { type: 'rds-cluster', kind: 'AwsRdsCluster', holds: 'data', sensitivity: 'medium' },
  ],

  async collect({ scope, config, at }) {
    const client = new RDSClient(config);
    await record(scope, at(LIST), () => allPages(paginateDescribeDBInstances({ client }, {})));
    await record(scope, at(CLUSTERS), () => allPages(paginateDescribeDBClusters({ client }, {})));
  },

  transform: (ctx) => [...perRegion(ctx, LIST, instances), ...perRegion(ctx, CLUSTERS, clusters)],
};

/**
 * IAM database authentication: rds-db:connect names an instance by its DbiResourceId and a cluster
 * by its DbClusterResourceId (`cluster-…`), and works only when it is enabled
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html).
 */
function iamAuthentication(
  db: AwsResourceData,
  resourceId: string | undefined,
  enabled: boolean | undefined,
): void {
  attribute(db, 'dbiResourceId', resourceId);
  attribute(db, 'iamDatabaseAuthentication', enabled);
}

const instances: RegionalReader = (ctx, document, source, region) =>
  ctx.reader.each(
    arr(document, 'DBInstances'),
    source,
    labelBy('DBInstances', 'DBInstanceIdentifier'),
    (d) => {
      const db = makeResource(
        'rds-instance',
        str(d, 'DBInstanceArn'),
        str(d, 'DBInstanceIdentifier'),
        ctx,
        region,
        tags(d, 'TagList'),
      );
      attribute(db, 'engine', optStr(d, 'Engine'));
      attribute(db, 'storageEncrypted', optBool(d, 'StorageEncrypted'));
      attribute(db, 'publiclyAccessible', optBool(d, 'PubliclyAccessible'));
      iamAuthentication(db, optStr(d, 'DbiResourceId'), optBool(d, 'IAMDatabaseAuthenticationEnabled'));
      return db;
    },
  );

const clusters: RegionalReader = (ctx, document, source, region) =>
  ctx.reader.each(arr(document, 'DBClusters'), source, labelBy('DBClusters', 'DBClusterIdentifier'), (d) => {
    const db = makeResource(
      'rds-cluster',
      str(d, 'DBClusterArn'),
      str(d, 'DBClusterIdentifier'),
      ctx,
      region,
      tags(d, 'TagList'),
    );
    attribute(db, 'engine', optStr(d, 'Engine'));
    attribute(db, 'storageEncrypted', optBool(d, 'StorageEncrypted'));
    iamAuthentication(db, optStr(d, 'DbClusterResourceId'), optBool(d, 'IAMDatabaseAuthenticationEnabled'));
    return db;
  });
