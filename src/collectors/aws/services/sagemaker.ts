import {
  DescribeNotebookInstanceCommand,
  paginateListNotebookInstances,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { eachLimit } from '../../../util/pool.js';
import { arr, isObj, labelBy, optStr, str } from '../documents.js';
import { allPages, record } from '../live-calls.js';
import { type AwsService, attribute, ids, makeResource, perRegion, type RegionalReader } from './service.js';

const LIST = 'sagemaker-list-notebook-instances';
const DESCRIBE = 'sagemaker-describe-notebook-instance';

/** SageMaker notebook instances, and the roles they run as (from their descriptions). */
export const sagemaker: AwsService = {
  name: 'sagemaker',
  placement: 'region',
  snapshot: { documents: [LIST], perResource: [DESCRIBE] },
  resources: [{ type: 'sagemaker-notebook', kind: 'AwsSageMakerNotebook', holds: 'workload' }],

  async collect({ scope, config, limit, at, one, ran }) {
    const client = new SageMakerClient(config);
    const notebooks = (await record(scope, at(LIST), () =>
      allPages(paginateListNotebookInstances({ client }, {})),
    )) as { NotebookInstances?: { NotebookInstanceName?: string }[] } | undefined;
    ran(DESCRIBE);
    await eachLimit(
      ids(notebooks?.NotebookInstances, 'NotebookInstanceName'),
      limit,
      async (NotebookInstanceName) => {
        await record(scope, one(DESCRIBE, NotebookInstanceName), () =>
          client.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName })),
        );
      },
    );
  },

  transform: (ctx) => perRegion(ctx, LIST, notebooks),
};

const notebooks: RegionalReader = (ctx, document, source, region) =>
  ctx.reader.each(
    arr(document, 'NotebookInstances'),
    source,
    labelBy('NotebookInstances', 'NotebookInstanceName'),
    (n) => {
      const name = str(n, 'NotebookInstanceName');
      const notebook = makeResource(
        'sagemaker-notebook',
        str(n, 'NotebookInstanceArn'),
        name,
        ctx,
        region,
        {},
      );
      attribute(notebook, 'status', optStr(n, 'NotebookInstanceStatus'));
      const describe = ctx.reader.resource(DESCRIBE, name, region);
      if (isObj(describe)) {
        const role = optStr(describe, 'RoleArn');
        if (role) notebook.roleArns = [role];
        attribute(notebook, 'rootAccess', optStr(describe, 'RootAccess'));
        attribute(notebook, 'directInternetAccess', optStr(describe, 'DirectInternetAccess'));
      }
      return notebook;
    },
  );
