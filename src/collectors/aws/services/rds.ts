import { paginateDescribeDBClusters, paginateDescribeDBInstances, RDSClient } from '@aws-sdk/client-rds';
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

/** How DescribeDBInstances and DescribeDBClusters name the same facts. */
interface Fields {
  type: 'rds-instance' | 'rds-cluster';
  list: string;
  arn: string;
  id: string;
  /** The resource id rds-db:connect names: DbiResourceId, or a cluster's DbClusterResourceId (`cluster-…`). */
  resourceId: string;
}

/**
 * A database of either list, with its engine, encryption and IAM database authentication:
 * rds-db:connect names it by its resource id and works only when IAM authentication is enabled
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html).
 */
const databases =
  (f: Fields): RegionalReader =>
  (ctx, document, source, region) =>
    ctx.reader.each(arr(document, f.list), source, labelBy(f.list, f.id), (d) => {
      const db = makeResource(f.type, str(d, f.arn), str(d, f.id), ctx, region, tags(d, 'TagList'));
      attribute(db, 'engine', optStr(d, 'Engine'));
      attribute(db, 'storageEncrypted', optBool(d, 'StorageEncrypted'));
      attribute(db, 'publiclyAccessible', optBool(d, 'PubliclyAccessible'));
      attribute(db, 'dbiResourceId', optStr(d, f.resourceId));
      attribute(db, 'iamDatabaseAuthentication', optBool(d, 'IAMDatabaseAuthenticationEnabled'));
      return db;
    });

const instances = databases({
  type: 'rds-instance',
  list: 'DBInstances',
  arn: 'DBInstanceArn',
  id: 'DBInstanceIdentifier',
  resourceId: 'DbiResourceId',
});

const clusters = databases({
  type: 'rds-cluster',
  list: 'DBClusters',
  arn: 'DBClusterArn',
  id: 'DBClusterIdentifier',
  resourceId: 'DbClusterResourceId',
});
