/**
 * The API group and scope of Kubernetes v1.32's built-in resources, as `kubectl api-resources`
 * lists them (https://kubernetes.io/docs/reference/kubernetes-api/). kubectl resolves a resource
 * name through the server's discovery; offline, this table does it for the built-in ones, and any
 * other resource (a custom resource) is named with its group, `RESOURCE.GROUP`, as kubectl accepts.
 * A request for a cluster-scoped resource carries no namespace, so a RoleBinding never grants it.
 */
interface BuiltInResource {
  group: string;
  namespaced: boolean;
}

const r = (group: string, namespaced: boolean, names: string[]) =>
  names.map((name) => [name, { group, namespaced }] as const);

const BUILT_IN = new Map<string, BuiltInResource>([
  ...r('', true, [
    'bindings',
    'configmaps',
    'endpoints',
    'events',
    'limitranges',
    'persistentvolumeclaims',
    'pods',
    'podtemplates',
    'replicationcontrollers',
    'resourcequotas',
    'secrets',
    'serviceaccounts',
    'services',
  ]),
  ...r('', false, ['componentstatuses', 'namespaces', 'nodes', 'persistentvolumes']),
  ...r('admissionregistration.k8s.io', false, [
    'mutatingwebhookconfigurations',
    'validatingadmissionpolicies',
    'validatingadmissionpolicybindings',
    'validatingwebhookconfigurations',
  ]),
  ...r('apiextensions.k8s.io', false, ['customresourcedefinitions']),
  ...r('apiregistration.k8s.io', false, ['apiservices']),
  ...r('apps', true, ['controllerrevisions', 'daemonsets', 'deployments', 'replicasets', 'statefulsets']),
  ...r('authentication.k8s.io', false, ['selfsubjectreviews', 'tokenreviews']),
  ...r('authorization.k8s.io', true, ['localsubjectaccessreviews']),
  ...r('authorization.k8s.io', false, [
    'selfsubjectaccessreviews',
    'selfsubjectrulesreviews',
    'subjectaccessreviews',
  ]),
  ...r('autoscaling', true, ['horizontalpodautoscalers']),
  ...r('batch', true, ['cronjobs', 'jobs']),
  ...r('certificates.k8s.io', false, ['certificatesigningrequests']),
  ...r('coordination.k8s.io', true, ['leases']),
  ...r('discovery.k8s.io', true, ['endpointslices']),
  ...r('flowcontrol.apiserver.k8s.io', false, ['flowschemas', 'prioritylevelconfigurations']),
  ...r('networking.k8s.io', true, ['ingresses', 'networkpolicies']),
  ...r('networking.k8s.io', false, ['ingressclasses']),
  ...r('node.k8s.io', false, ['runtimeclasses']),
  ...r('policy', true, ['poddisruptionbudgets']),
  ...r('rbac.authorization.k8s.io', true, ['rolebindings', 'roles']),
  ...r('rbac.authorization.k8s.io', false, ['clusterrolebindings', 'clusterroles']),
  ...r('scheduling.k8s.io', false, ['priorityclasses']),
  ...r('storage.k8s.io', true, ['csistoragecapacities']),
  ...r('storage.k8s.io', false, ['csidrivers', 'csinodes', 'storageclasses', 'volumeattachments']),
]);

/** The API group and scope of a built-in resource (`pods` → core, namespaced), undefined for any other. */
export function builtInResource(resource: string): BuiltInResource | undefined {
  return BUILT_IN.get(resource);
}

/** A resource named on the command line: `pods`, `pods/exec`, `deployments.apps`, `widgets.example.com/status`. */
export interface ResourceName {
  resource: string;
  subresource?: string;
  apiGroup: string;
  /** Whether requests for it carry a namespace; undefined for a resource this table does not know. */
  namespaced: boolean | undefined;
}

/**
 * Reads `RESOURCE[.GROUP][/SUBRESOURCE]`. A built-in resource may omit its group; any other needs
 * it. Errors name the text and the problem.
 */
export function parseResourceName(text: string): ResourceName {
  const match = /^([a-z0-9-]+)((?:\.[a-z0-9-]+)*)(?:\/([a-z0-9-]+))?$/.exec(text);
  if (!match)
    throw new Error(
      `"${text}": expected RESOURCE[.GROUP][/SUBRESOURCE], such as pods, pods/exec or deployments.apps`,
    );
  const [, resource = '', dotted = '', subresource] = match;
  const group = dotted.slice(1);
  const known = BUILT_IN.get(resource);
  if (!group && !known)
    throw new Error(
      `"${text}": ${resource} is not a built-in resource of Kubernetes v1.32; name its API group as RESOURCE.GROUP (for example widgets.example.com)`,
    );
  const apiGroup = group || (known?.group ?? '');
  // A built-in resource named with another group is another resource (a custom one).
  const namespaced = known && known.group === apiGroup ? known.namespaced : undefined;
  return { resource, apiGroup, namespaced, ...(subresource ? { subresource } : {}) };
}
