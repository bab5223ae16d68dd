import { EC2Client, paginateDescribeInstances } from '@aws-sdk/client-ec2';
import { arr, isObj, labelBy, obj, optStr, ShapeError, str, tags } from '../documents.js';
import { allPages, record } from '../live-calls.js';
import { type AwsService, attribute, makeResource, perRegion, type RegionalReader } from './service.js';

const LIST = 'ec2-describe-instances';

/** EC2 instances, and the roles of their instance profiles. */
export const ec2: AwsService = {
  name: 'ec2',
  placement: 'region',
  snapshot: { documents: [LIST], perResource: [] },
  resources: [{ type: 'ec2-instance', kind: 'AwsEc2Instance', holds: 'workload' }],

  async collect({ scope, config, at }) {
    await record(scope, at(LIST), () =>
      allPages(paginateDescribeInstances({ client: new EC2Client(config) }, {})),
    );
  },

  transform: (ctx) => perRegion(ctx, LIST, instances),
};

const instances: RegionalReader = (ctx, document, source, region) =>
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
        const instanceRegion =
          region ?? /^[a-z]{2}(-[a-z]+)+-\d+/.exec(placement ?? '')?.[0] ?? ctx.topRegion(source);
        if (!instanceRegion)
          throw new ShapeError(
            `instance ${id} has no region (no region folder, no Placement, and no --region, single-region ec2-describe-regions.json or aws.region)`,
          );
        const instanceTags = tags(instance, 'Tags');
        const arn = `arn:${ctx.partition}:ec2:${instanceRegion}:${ctx.accountId}:instance/${id}`;
        const resource = makeResource(
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
