import { paginateDescribeDBInstances, RDSClient } from '@aws-sdk/client-rds';
import { arr, labelBy, optBool, optStr, str, tags } from '../documents.js';
import { allPages, record } from '../live-calls.js';
import { type AwsService, attribute, makeResource, perRegion, type RegionalReader } from './service.js';

const LIST = 'rds-describe-db-instances';

/** RDS database instances (their tags come with the list). */
export const rds: AwsService = {
  name: 'rds',
  placement: 'region',
  snapshot: { documents: [LIST], perResource: [] },
  resources: [{ type: 'rds-instance', kind: 'AwsRdsInstance', holds: 'data', sensitivity: 'medium' }],

  async collect({ scope, config, at }) {
    await record(scope, at(LIST), () =>
      allPages(paginateDescribeDBInstances({ client: new RDSClient(config) }, {})),
    );
  },

  transform: (ctx) => perRegion(ctx, LIST, instances),
};

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
      // IAM database authentication: rds-db:connect names the instance by its DbiResourceId, and
      // works only when it is enabled
      // (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html).
      attribute(db, 'dbiResourceId', optStr(d, 'DbiResourceId'));
      attribute(db, 'iamDatabaseAuthentication', optBool(d, 'IAMDatabaseAuthenticationEnabled'));
      return db;
    },
  );
