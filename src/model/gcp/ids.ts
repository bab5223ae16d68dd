/**
 * Node ids and scopes of GCP objects (the formats are declared with their kinds in node-kinds.ts). One
 * home, so the collector's nodes and the analyzer's edges always name the same node. Data resources
 * are named `gcp:<service>:<relative resource name>`, the service being the first label of the API's
 * host in the resource's full name (https://cloud.google.com/iam/docs/full-resource-names).
 */
export const gcpIds = {
  /** `organizations/123`, `folders/456`, `projects/my-project`. */
  container: (name: string) => `gcp:${name}`,
  serviceAccount: (email: string) => `gcp:sa:${email.toLowerCase()}`,
  serviceAccountKey: (email: string, keyId: string) => `gcp:sakey:${email.toLowerCase()}:${keyId}`,
  user: (email: string) => `gcp:user:${email.toLowerCase()}`,
  group: (email: string) => `gcp:group:${email.toLowerCase()}`,
  domain: (domain: string) => `gcp:domain:${domain.toLowerCase()}`,
  /** A `principal://` or `principalSet://` identifier, as bindings write it. */
  principalSet: (uri: string) => `gcp:principalset:${uri}`,
  pool: (name: string) => `gcp:wipool:${name}`,
  poolProvider: (name: string) => `gcp:wiprovider:${name}`,
  role: (name: string) => `gcp:role:${name}`,
  /** A data resource: `gcp:storage:projects/_/buckets/b`, `gcp:pubsub:projects/p/topics/t`… */
  resource: (service: string, relativeName: string) => `gcp:${service}:${relativeName}`,
  public: (member: 'allUsers' | 'allAuthenticatedUsers') => `public:gcp:${member}`,
} as const;

/** The scope of an organization, folder or project: `gcp:<project id>`, `gcp:organizations/<n>`, `gcp:folders/<n>`. */
export function gcpScope(container: string): string {
  return container.startsWith('projects/')
    ? `gcp:${container.slice('projects/'.length)}`
    : `gcp:${container}`;
}
