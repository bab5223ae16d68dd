/**
 * The IAM permission a Cloud Audit Logs `methodName` needed, for the methods whose name is not the
 * permission itself. Cloud Storage logs its calls by permission (`storage.objects.get`); most other
 * services log the RPC (`google.iam.admin.v1.CreateServiceAccountKey`), and each service's permissions
 * reference maps the RPC to its permission. Only methods on what the analysis grants (data resources,
 * service accounts) are listed; another method is compared as it is logged.
 */
const METHOD_PERMISSIONS: Record<string, string> = {
  // https://cloud.google.com/iam/docs/service-account-permissions and
  // https://cloud.google.com/iam/docs/reference/credentials/rest
  'google.iam.admin.v1.CreateServiceAccountKey': 'iam.serviceAccountKeys.create',
  'google.iam.admin.v1.DeleteServiceAccountKey': 'iam.serviceAccountKeys.delete',
  'google.iam.admin.v1.ListServiceAccountKeys': 'iam.serviceAccountKeys.list',
  'google.iam.admin.v1.CreateServiceAccount': 'iam.serviceAccounts.create',
  'google.iam.admin.v1.DeleteServiceAccount': 'iam.serviceAccounts.delete',
  'google.iam.admin.v1.GetServiceAccount': 'iam.serviceAccounts.get',
  'google.iam.admin.v1.SetIAMPolicy': 'iam.serviceAccounts.setIamPolicy',
  'google.iam.credentials.v1.IAMCredentials.GenerateAccessToken': 'iam.serviceAccounts.getAccessToken',
  'google.iam.credentials.v1.IAMCredentials.GenerateIdToken': 'iam.serviceAccounts.getOpenIdToken',
  'google.iam.credentials.v1.IAMCredentials.SignBlob': 'iam.serviceAccounts.signBlob',
  'google.iam.credentials.v1.IAMCredentials.SignJwt': 'iam.serviceAccounts.signJwt',
  GenerateAccessToken: 'iam.serviceAccounts.getAccessToken',
  GenerateIdToken: 'iam.serviceAccounts.getOpenIdToken',
  SignBlob: 'iam.serviceAccounts.signBlob',
  SignJwt: 'iam.serviceAccounts.signJwt',
  // https://cloud.google.com/secret-manager/docs/access-control
  'google.cloud.secretmanager.v1.SecretManagerService.AccessSecretVersion': 'secretmanager.versions.access',
  'google.cloud.secretmanager.v1.SecretManagerService.GetSecret': 'secretmanager.secrets.get',
  'google.cloud.secretmanager.v1.SecretManagerService.ListSecrets': 'secretmanager.secrets.list',
  'google.cloud.secretmanager.v1.SecretManagerService.AddSecretVersion': 'secretmanager.versions.add',
  // https://cloud.google.com/bigquery/docs/access-control#bigquery-permissions
  'google.cloud.bigquery.v2.TableDataService.List': 'bigquery.tables.getData',
  'google.cloud.bigquery.v2.TableService.GetTable': 'bigquery.tables.get',
  'google.cloud.bigquery.v2.TableService.InsertTable': 'bigquery.tables.create',
  'google.cloud.bigquery.v2.DatasetService.GetDataset': 'bigquery.datasets.get',
  'google.cloud.bigquery.v2.JobService.InsertJob': 'bigquery.jobs.create',
  'tabledata.list': 'bigquery.tables.getData',
  'jobservice.insert': 'bigquery.jobs.create',
  'datasetservice.get': 'bigquery.datasets.get',
  'tableservice.get': 'bigquery.tables.get',
  // https://cloud.google.com/kms/docs/reference/permissions-and-roles
  Decrypt: 'cloudkms.cryptoKeyVersions.useToDecrypt',
  Encrypt: 'cloudkms.cryptoKeyVersions.useToEncrypt',
  // https://cloud.google.com/pubsub/docs/access-control#permissions
  'google.pubsub.v1.Publisher.Publish': 'pubsub.topics.publish',
  'google.pubsub.v1.Subscriber.Pull': 'pubsub.subscriptions.consume',
  'google.pubsub.v1.Subscriber.StreamingPull': 'pubsub.subscriptions.consume',
};

/** The permission one logged method needed: from the table, else the method as it is logged. */
export function gcpPermissionOf(methodName: string): string {
  return METHOD_PERMISSIONS[methodName] ?? methodName;
}

/** Whether a logged method name is (or maps to) an IAM permission (`service.resource.verb`). */
export function isGcpPermission(name: string): boolean {
  return /^[a-z][a-zA-Z0-9]*\.[a-zA-Z0-9]+\.[a-zA-Z0-9]+$/.test(name);
}
