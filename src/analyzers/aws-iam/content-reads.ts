/**
 * The actions AWS's catalogue classes as `Read` that return a resource's content (the data it
 * holds) rather than its configuration. AWS's access level `Read` covers both: `s3:GetObject`
 * and `s3:GetBucketPolicy`, `secretsmanager:GetSecretValue` and `secretsmanager:DescribeSecret`
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html,
 * "Access level"). reachgraph's `read` level means reading the data; every other catalogue `Read`
 * action only shows metadata and counts as `list`, the level of seeing what exists and how it is set
 * up. Answers about reaching data rest on this split, so it is one table, checked against the
 * catalogue by a unit test (every entry is a `Read` action AWS knows).
 *
 * Actions AWS classes as `Write` that hand out content (`kms:Decrypt`, `kms:GenerateDataKey`) keep
 * the `write` level, which answers rank above `read`.
 */
const CONTENT_READS: Readonly<Record<string, readonly string[]>> = {
  // Object content (GetObject, its versions and torrents, the replication read of a version):
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
  s3: [
    'GetObject',
    'GetObjectVersion',
    'GetObjectTorrent',
    'GetObjectVersionTorrent',
    'GetObjectVersionForReplication',
  ],
  // The secret value; DescribeSecret, GetResourcePolicy and ListSecretVersionIds never return it:
  // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
  secretsmanager: ['GetSecretValue', 'BatchGetSecretValue'],
  // Items, by key, query, scan, PartiQL SELECT, vector search, the table's stream and replication reads:
  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/api-permissions-reference.html
  dynamodb: [
    'GetItem',
    'BatchGetItem',
    'Query',
    'Scan',
    'PartiQLSelect',
    'SearchVectors',
    'GetRecords',
    'ReadDataForReplication',
  ],
  // Messages: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
  sqs: ['ReceiveMessage'],
  // Image manifests and layers (a pull): https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-pull.html
  ecr: ['BatchGetImage', 'GetDownloadUrlForLayer'],
  // Parameter values (SecureString decrypted with the key's permission); DescribeParameters is List:
  // https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html
  ssm: ['GetParameter', 'GetParameters', 'GetParametersByPath', 'GetParameterHistory'],
  // Mounting reads the files; ReplicationRead copies them:
  // https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html
  elasticfilesystem: ['ClientMount', 'ReplicationRead'],
  // HTTP GET/HEAD on the domain's indices, and cross-cluster reads:
  // https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html
  es: ['ESHttpGet', 'ESHttpHead', 'ESCrossClusterGet'],
  // The archive a retrieval job produced: https://docs.aws.amazon.com/amazonglacier/latest/dev/api-job-output-get.html
  glacier: ['GetJobOutput'],
  // The function's code (a download link) and its configuration's environment variables, a common
  // home of credentials: https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html
  lambda: ['GetFunction', 'GetFunctionConfiguration'],
};

const LOWER = new Set(
  Object.entries(CONTENT_READS).flatMap(([service, actions]) =>
    actions.map((a) => `${service}:${a}`.toLowerCase()),
  ),
);

/** Does this catalogue `Read` action (`service:Action`, any case) return the resource's content? */
export function readsContent(action: string): boolean {
  return LOWER.has(action.toLowerCase());
}

/** Every content-read action, `service:Action` as spelled here (for the catalogue check). */
export function contentReadActions(): string[] {
  return Object.entries(CONTENT_READS).flatMap(([service, actions]) => actions.map((a) => `${service}:${a}`));
}
