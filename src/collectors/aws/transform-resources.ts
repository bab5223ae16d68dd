import type {
  AwsResourceData,
  AwsResourceType,
  InstanceProfileData,
  Tags,
} from '../../model/aws/environment.js';
import type { NamedPolicy, PolicyDocumentKind } from '../../model/aws/policy.js';
import {
  arr,
  isObj,
  labelBy,
  type Obj,
  obj,
  optBool,
  optStr,
  type ScopeReader,
  ShapeError,
  str,
  strings,
  tags,
} from './documents.js';
import { parsePolicy } from './policies.js';
import { perResource, regional } from './raw.js';

/**
 * Data and compute resources from the list/describe commands of each service, with their
 * resource-based policies and tags from the per-resource commands. Regional commands are read in
 * every region folder of the snapshot (and at the top of the account folder, where the region is
 * taken from the ARNs).
 */
interface Context {
  reader: ScopeReader;
  accountId: string;
  partition: string;
  profiles: Map<string, InstanceProfileData>;
}

export function transformResources(
  reader: ScopeReader,
  accountId: string,
  partition: string,
  instanceProfiles: InstanceProfileData[],
): AwsResourceData[] {
  const ctx: Context = {
    reader,
    accountId,
    partition,
    profiles: new Map(instanceProfiles.map((p) => [p.arn, p])),
  };
  return [
    ...s3Buckets(ctx),
    ...perRegion(ctx, 'kms-list-keys', kmsKeys),
    ...perRegion(ctx, 'secretsmanager-list-secrets', secrets),
    ...perRegion(ctx, 'dynamodb-list-tables', dynamodbTables),
    ...perRegion(ctx, 'rds-describe-db-instances', rdsInstances),
    ...perRegion(ctx, 'lambda-list-functions', lambdaFunctions),
    ...perRegion(ctx, 'ec2-describe-instances', ec2Instances),
    ...perRegion(ctx, 'glue-get-dev-endpoints', glueDevEndpoints),
    ...perRegion(ctx, 'sagemaker-list-notebook-instances', sagemakerNotebooks),
    ...perRegion(ctx, 'cloudformation-describe-stacks', cloudformationStacks),
    ...perRegion(ctx, 'codebuild-list-projects', codebuildProjects),
    ...perRegion(ctx, 'ecs-list-task-definitions', ecsTaskDefinitions),
  ];
}

type RegionalReader = (
  ctx: Context,
  document: Obj,
  source: string,
  region: string | undefined,
) => AwsResourceData[];

function perRegion(ctx: Context, command: string, read: RegionalReader): AwsResourceData[] {
  return ctx.reader.getRegional(command).flatMap(({ region, document }) => {
    const source = ctx.reader.file(regional(command, region));
    const top = ctx.reader.guard(source, () => obj(document, 'the document'));
    return top ? (ctx.reader.guard(source, () => read(ctx, top, source, region)) ?? []) : [];
  });
}

const regionOfArn = (arn: string): string | undefined => arn.split(':')[3] || undefined;

function make(
  type: AwsResourceType,
  arn: string,
  name: string,
  ctx: Context,
  region: string | undefined,
  resourceTags: Tags,
): AwsResourceData {
  const resource: AwsResourceData = { arn, type, name, accountId: ctx.accountId, tags: resourceTags };
  const r = region ?? regionOfArn(arn);
  if (r) resource.region = r;
  return resource;
}

function attribute(
  resource: AwsResourceData,
  key: string,
  value: string | number | boolean | undefined,
): void {
  if (value === undefined) return;
  resource.attributes ??= {};
  resource.attributes[key] = value;
}

/** The resource's policy from a per-resource document's field (`Policy`, `ResourcePolicy`), JSON text. */
function resourcePolicy(
  ctx: Context,
  command: string,
  resourceName: string,
  region: string | undefined,
  field: string,
  arn: string,
  label: string,
  kind: PolicyDocumentKind = 'resource',
): NamedPolicy | undefined {
  const document = ctx.reader.resource(command, resourceName, region);
  if (document === undefined) return undefined;
  const source = ctx.reader.file(perResource(command, resourceName, region));
  const text = ctx.reader.guard(source, () => optStr(obj(document, 'the document'), field));
  if (!text) return undefined;
  const parsed = parsePolicy(ctx.reader, text, source, `${label} ${arn}, ${field}`, kind);
  return parsed
    ? { id: `${arn}#policy`, name: `${label} policy`, kind: 'resource', document: parsed }
    : undefined;
}

function resourceTags(
  ctx: Context,
  command: string,
  resourceName: string,
  region: string | undefined,
  field: string,
): Tags {
  const document = ctx.reader.resource(command, resourceName, region);
  if (document === undefined) return {};
  const source = ctx.reader.file(perResource(command, resourceName, region));
  return ctx.reader.guard(source, () => tags(obj(document, 'the document'), field)) ?? {};
}

function withPolicy(resource: AwsResourceData, policy: NamedPolicy | undefined): AwsResourceData {
  if (policy) resource.policy = policy;
  return resource;
}

function s3Buckets(ctx: Context): AwsResourceData[] {
  const { reader } = ctx;
  const document = reader.get('s3api-list-buckets');
  if (document === undefined) {
    reader.missing('s3api-list-buckets');
    return [];
  }
  const source = reader.file('s3api-list-buckets');
  const list = reader.guard(source, () => arr(obj(document, 'the document'), 'Buckets')) ?? [];
  return reader.each(list, source, labelBy('Buckets', 'Name'), (b) => {
    const name = str(b, 'Name');
    const arn = `arn:${ctx.partition}:s3:::${name}`;
    const bucket = make(
      's3-bucket',
      arn,
      name,
      ctx,
      bucketRegion(ctx, b, name),
      resourceTags(ctx, 's3api-get-bucket-tagging', name, undefined, 'TagSet'),
    );
    const block = reader.resource('s3api-get-public-access-block', name);
    if (block !== undefined) {
      reader.guard(reader.file(perResource('s3api-get-public-access-block', name)), () => {
        const config = obj(
          obj(block, 'the document').PublicAccessBlockConfiguration,
          'PublicAccessBlockConfiguration',
        );
        for (const key of [
          'BlockPublicAcls',
          'IgnorePublicAcls',
          'BlockPublicPolicy',
          'RestrictPublicBuckets',
        ]) {
          attribute(bucket, key.charAt(0).toLowerCase() + key.slice(1), optBool(config, key));
        }
      });
    }
    return withPolicy(
      bucket,
      resourcePolicy(ctx, 's3api-get-bucket-policy', name, undefined, 'Policy', arn, 'bucket'),
    );
  });
}

/** ListBuckets may carry BucketRegion; GetBucketLocation answers null for us-east-1 and `EU` for eu-west-1. */
function bucketRegion(ctx: Context, bucket: Obj, name: string): string | undefined {
  const listed = optStr(bucket, 'BucketRegion');
  if (listed) return listed;
  const location = ctx.reader.resource('s3api-get-bucket-location', name);
  if (!isObj(location)) return undefined;
  const constraint = location.LocationConstraint;
  if (constraint === null || constraint === '' || constraint === undefined) return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return typeof constraint === 'string' ? constraint : undefined;
}

const kmsKeys: RegionalReader = (ctx, document, source, region) => {
  const aliases = new Map<string, string>();
  const aliasDocument = ctx.reader.get('kms-list-aliases', region);
  if (isObj(aliasDocument)) {
    for (const alias of arr(aliasDocument, 'Aliases')) {
      if (isObj(alias) && typeof alias.TargetKeyId === 'string' && typeof alias.AliasName === 'string') {
        if (!aliases.has(alias.TargetKeyId)) aliases.set(alias.TargetKeyId, alias.AliasName);
      }
    }
  }
  return ctx.reader.each(arr(document, 'Keys'), source, labelBy('Keys', 'KeyId'), (k) => {
    const keyId = str(k, 'KeyId');
    const describe = ctx.reader.resource('kms-describe-key', keyId, region);
    const metadata = isObj(describe) && isObj(describe.KeyMetadata) ? describe.KeyMetadata : undefined;
    const arn = optStr(k, 'KeyArn') ?? (metadata ? optStr(metadata, 'Arn') : undefined);
    if (!arn) throw new ShapeError(`key ${keyId} has no KeyArn`);
    const key = make(
      'kms-key',
      arn,
      aliases.get(keyId) ?? keyId,
      ctx,
      region,
      resourceTags(ctx, 'kms-list-resource-tags', keyId, region, 'Tags'),
    );
    attribute(key, 'keyId', keyId);
    if (metadata) {
      attribute(key, 'keyManager', optStr(metadata, 'KeyManager'));
      attribute(key, 'keyState', optStr(metadata, 'KeyState'));
    }
    // Key policies must allow even within the account; the engine is told by the resource type.
    return withPolicy(key, resourcePolicy(ctx, 'kms-get-key-policy', keyId, region, 'Policy', arn, 'key'));
  });
};

const secrets: RegionalReader = (ctx, document, source, region) =>
  ctx.reader.each(arr(document, 'SecretList'), source, labelBy('SecretList', 'Name', 'ARN'), (s) => {
    const arn = str(s, 'ARN');
    const name = str(s, 'Name');
    const secret = make('secret', arn, name, ctx, region, tags(s, 'Tags'));
    attribute(secret, 'kmsKeyId', optStr(s, 'KmsKeyId'));
    return withPolicy(
      secret,
      resourcePolicy(
        ctx,
        'secretsmanager-get-resource-policy',
        name,
        region,
        'ResourcePolicy',
        arn,
        'secret',
      ),
    );
  });

const dynamodbTables: RegionalReader = (ctx, document, source, region) =>
  strings(document, 'TableNames').flatMap((name) => {
    const describe = ctx.reader.resource('dynamodb-describe-table', name, region);
    const table = isObj(describe) && isObj(describe.Table) ? describe.Table : undefined;
    const arn =
      (table ? optStr(table, 'TableArn') : undefined) ??
      (region ? `arn:${ctx.partition}:dynamodb:${region}:${ctx.accountId}:table/${name}` : undefined);
    if (!arn) {
      ctx.reader.issue(
        'warning',
        source,
        `table ${name}: no region folder and no describe-table output, so no ARN`,
        name,
      );
      return [];
    }
    const resource = make(
      'dynamodb-table',
      arn,
      name,
      ctx,
      region,
      resourceTags(ctx, 'dynamodb-list-tags-of-resource', name, region, 'Tags'),
    );
    if (table) attribute(resource, 'status', optStr(table, 'TableStatus'));
    return [
      withPolicy(
        resource,
        resourcePolicy(ctx, 'dynamodb-get-resource-policy', name, region, 'Policy', arn, 'table'),
      ),
    ];
  });

const rdsInstances: RegionalReader = (ctx, document, source, region) =>
  ctx.reader.each(
    arr(document, 'DBInstances'),
    source,
    labelBy('DBInstances', 'DBInstanceIdentifier'),
    (d) => {
      const db = make(
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
      return db;
    },
  );

const lambdaFunctions: RegionalReader = (ctx, document, source, region) =>
  ctx.reader.each(arr(document, 'Functions'), source, labelBy('Functions', 'FunctionName'), (f) => {
    const name = str(f, 'FunctionName');
    const arn = str(f, 'FunctionArn');
    const fn = make(
      'lambda-function',
      arn,
      name,
      ctx,
      region,
      resourceTags(ctx, 'lambda-list-tags', name, region, 'Tags'),
    );
    const role = optStr(f, 'Role');
    if (role) fn.roleArns = [role];
    attribute(fn, 'runtime', optStr(f, 'Runtime'));
    return withPolicy(fn, resourcePolicy(ctx, 'lambda-get-policy', name, region, 'Policy', arn, 'function'));
  });

const ec2Instances: RegionalReader = (ctx, document, source, region) =>
  arr(document, 'Reservations').flatMap((reservation, r) =>
    ctx.reader.each(
      arr(obj(reservation, `Reservations[${r}]`), 'Instances'),
      source,
      (item, i) => labelBy(`Reservations[${r}].Instances`, 'InstanceId')(item, i),
      (instance) => {
        const id = str(instance, 'InstanceId');
        const placement = isObj(instance.Placement)
          ? optStr(instance.Placement, 'AvailabilityZone')
          : undefined;
        // An availability zone is its region plus a letter (us-east-1a) or a local-zone suffix.
        const instanceRegion = region ?? /^[a-z]{2}(-[a-z]+)+-\d+/.exec(placement ?? '')?.[0];
        if (!instanceRegion)
          throw new ShapeError(`instance ${id} has no region (no region folder, no Placement)`);
        const instanceTags = tags(instance, 'Tags');
        const arn = `arn:${ctx.partition}:ec2:${instanceRegion}:${ctx.accountId}:instance/${id}`;
        const resource = make(
          'ec2-instance',
          arn,
          instanceTags.Name || id,
          ctx,
          instanceRegion,
          instanceTags,
        );
        attribute(resource, 'instanceId', id);
        attribute(resource, 'state', isObj(instance.State) ? optStr(instance.State, 'Name') : undefined);
        const profileArn = isObj(instance.IamInstanceProfile)
          ? optStr(instance.IamInstanceProfile, 'Arn')
          : undefined;
        if (profileArn) {
          attribute(resource, 'instanceProfileArn', profileArn);
          const profile = ctx.profiles.get(profileArn);
          if (profile) resource.roleArns = [...profile.roleArns];
          else {
            ctx.reader.issue(
              'warning',
              source,
              `instance ${id} uses instance profile ${profileArn}, which no role lists`,
              arn,
            );
          }
        }
        return resource;
      },
    ),
  );

/** A regional ARN built from a name, for outputs that carry none; needs the region folder. */
function builtArn(
  ctx: Context,
  service: string,
  region: string | undefined,
  resource: string,
  source: string,
): string {
  if (!region) throw new ShapeError(`${source}: ${resource} has no ARN and the file is in no region folder`);
  return `arn:${ctx.partition}:${service}:${region}:${ctx.accountId}:${resource}`;
}

const glueDevEndpoints: RegionalReader = (ctx, document, source, region) =>
  ctx.reader.each(arr(document, 'DevEndpoints'), source, labelBy('DevEndpoints', 'EndpointName'), (e) => {
    const name = str(e, 'EndpointName');
    const endpoint = make(
      'glue-dev-endpoint',
      builtArn(ctx, 'glue', region, `devEndpoint/${name}`, source),
      name,
      ctx,
      region,
      {},
    );
    const role = optStr(e, 'RoleArn');
    if (role) endpoint.roleArns = [role];
    attribute(endpoint, 'status', optStr(e, 'Status'));
    return endpoint;
  });

const sagemakerNotebooks: RegionalReader = (ctx, document, source, region) =>
  ctx.reader.each(
    arr(document, 'NotebookInstances'),
    source,
    labelBy('NotebookInstances', 'NotebookInstanceName'),
    (n) => {
      const name = str(n, 'NotebookInstanceName');
      const notebook = make('sagemaker-notebook', str(n, 'NotebookInstanceArn'), name, ctx, region, {});
      attribute(notebook, 'status', optStr(n, 'NotebookInstanceStatus'));
      const describe = ctx.reader.resource('sagemaker-describe-notebook-instance', name, region);
      if (isObj(describe)) {
        const role = optStr(describe, 'RoleArn');
        if (role) notebook.roleArns = [role];
        attribute(notebook, 'rootAccess', optStr(describe, 'RootAccess'));
        attribute(notebook, 'directInternetAccess', optStr(describe, 'DirectInternetAccess'));
      }
      return notebook;
    },
  );

const cloudformationStacks: RegionalReader = (ctx, document, source, region) =>
  ctx.reader.each(arr(document, 'Stacks'), source, labelBy('Stacks', 'StackName'), (s) => {
    const stack = make(
      'cloudformation-stack',
      str(s, 'StackId'),
      str(s, 'StackName'),
      ctx,
      region,
      tags(s, 'Tags'),
    );
    const role = optStr(s, 'RoleARN');
    if (role) stack.roleArns = [role];
    attribute(stack, 'status', optStr(s, 'StackStatus'));
    return stack;
  });

const codebuildProjects: RegionalReader = (ctx, document, source, region) => {
  const names = strings(document, 'projects');
  const batch = ctx.reader.get('codebuild-batch-get-projects', region);
  const details = new Map<string, Obj>();
  if (isObj(batch)) {
    for (const project of arr(batch, 'projects')) {
      if (isObj(project) && typeof project.name === 'string') details.set(project.name, project);
    }
  }
  return names.flatMap((name) => {
    const detail = details.get(name);
    try {
      const arn =
        (detail ? optStr(detail, 'arn') : undefined) ??
        builtArn(ctx, 'codebuild', region, `project/${name}`, source);
      const project = make('codebuild-project', arn, name, ctx, region, detail ? tags(detail, 'tags') : {});
      const role = detail ? optStr(detail, 'serviceRole') : undefined;
      if (role) project.roleArns = [role];
      return [project];
    } catch (error) {
      if (!(error instanceof ShapeError)) throw error;
      ctx.reader.issue('error', source, `project ${name}: ${error.message}`, name);
      return [];
    }
  });
};

const ecsTaskDefinitions: RegionalReader = (ctx, document, _source, region) =>
  strings(document, 'taskDefinitionArns').map((arn) => {
    const familyRevision = arn.slice(arn.indexOf('task-definition/') + 'task-definition/'.length);
    const describe = ctx.reader.resource('ecs-describe-task-definition', familyRevision, region);
    const definition =
      isObj(describe) && isObj(describe.taskDefinition) ? describe.taskDefinition : undefined;
    const task = make(
      'ecs-task-definition',
      arn,
      familyRevision,
      ctx,
      region,
      isObj(describe) ? tags(describe, 'tags') : {},
    );
    if (definition) {
      const role = optStr(definition, 'taskRoleArn');
      if (role) task.roleArns = [role];
      attribute(task, 'executionRoleArn', optStr(definition, 'executionRoleArn'));
    }
    return task;
  });
