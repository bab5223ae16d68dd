import { gcpPermissionOf } from './gcp/method-permissions.js';

/**
 * One way to compare a granted action with the actions logged, whatever the provider: the graph's
 * access edges name AWS actions (`s3:GetObject`), GCP permissions (`storage.objects.get`) and
 * Kubernetes verb + resource (`get secrets`, `write secrets`); the store names the call as its log
 * does (docs/activity.md).
 */

export type ActionProvider = 'aws' | 'gcp' | 'kubernetes';

/** The provider an action name belongs to, from its shape. */
export function actionProvider(action: string): ActionProvider {
  if (action.includes(' ')) return 'kubernetes';
  if (/^[A-Za-z0-9-]+:/.test(action)) return 'aws';
  return 'gcp';
}

/** The name a logged call compares under: AWS actions in lower case (IAM matches them so), GCP methods as their permission. */
export function usedActionName(action: string): string {
  switch (actionProvider(action)) {
    case 'aws':
      return action.toLowerCase();
    case 'gcp':
      return gcpPermissionOf(action);
    default:
      return action;
  }
}

/**
 * The Kubernetes verbs a write grant covers, and the read verbs each read grant covers: the analysis
 * writes `write secrets` for any of create/update/patch/delete, and `list secrets` where listing
 * returns every secret's content (https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets).
 */
const K8S_COVERS: Record<string, string[]> = {
  write: ['create', 'update', 'patch', 'delete', 'deletecollection', 'write'],
  list: ['list', 'watch', 'get'],
  get: ['get'],
};

/** Whether a granted action was used by one of the used actions (each named by `usedActionName`). */
export function grantedActionUsed(granted: string, used: Set<string>): boolean {
  switch (actionProvider(granted)) {
    case 'aws':
      return used.has(granted.toLowerCase());
    case 'gcp':
      return used.has(granted);
    default: {
      const [verb = '', resource = ''] = granted.split(' ');
      const verbs = K8S_COVERS[verb] ?? [verb];
      return verbs.some((v) => used.has(`${v} ${resource}`));
    }
  }
}

/** The service an action belongs to: the AWS prefix, the GCP service, the Kubernetes resource. */
export function serviceOf(action: string): string {
  switch (actionProvider(action)) {
    case 'aws':
      return action.slice(0, action.indexOf(':')).toLowerCase();
    case 'gcp': {
      const name = gcpPermissionOf(action);
      const parts = name.split('.');
      // An RPC name not in the table (`google.cloud.run.v2.Services.GetService`): the service after `google.cloud.`/`google.`.
      if (parts[0] === 'google') return (parts[1] === 'cloud' ? parts[2] : parts[1]) ?? name;
      return parts[0] ?? name;
    }
    default:
      return action.split(' ')[1] ?? action;
  }
}
