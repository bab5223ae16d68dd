/**
 * Privilege escalation in GCP, after Rhino Security Labs' public list of GCP privilege-escalation
 * methods (https://rhinosecuritylabs.com/gcp/privilege-escalation-google-cloud-platform-part-1/) and
 * Google's own description of service-account use
 * (https://cloud.google.com/iam/docs/service-account-permissions): running code as a service account
 * needs `iam.serviceAccounts.actAs` on it plus the permission to create the thing that runs the code
 * (and, where the docs say so, to start or call it). Each technique lists its permissions on the
 * service account's project as groups: every group needs one of its permissions.
 */
export interface RunAsTechnique {
  id: string;
  title: string;
  attack: string;
  /** Each inner list: any one of these permissions. */
  needs: readonly (readonly string[])[];
  reference: string;
}

export const RUN_AS_TECHNIQUES: readonly RunAsTechnique[] = [
  {
    id: 'gcp-actas-compute-instances-create',
    title: 'create a Compute Engine instance running as the service account',
    attack: 'T1578.002',
    needs: [['compute.instances.create']],
    reference:
      'https://cloud.google.com/compute/docs/access/service-accounts#associating_a_service_account_to_an_instance',
  },
  {
    id: 'gcp-actas-cloudfunctions-create',
    title: 'deploy a Cloud Function running as the service account, then call it',
    attack: 'T1648',
    needs: [
      ['cloudfunctions.functions.create'],
      ['cloudfunctions.functions.call', 'cloudfunctions.functions.setIamPolicy'],
    ],
    reference: 'https://cloud.google.com/functions/docs/reference/iam/roles',
  },
  {
    id: 'gcp-actas-run-services-create',
    title: 'deploy a Cloud Run service running as the service account, then invoke it',
    attack: 'T1648',
    needs: [['run.services.create'], ['run.routes.invoke', 'run.services.setIamPolicy']],
    reference: 'https://cloud.google.com/run/docs/securing/service-identity',
  },
  {
    id: 'gcp-actas-run-jobs-create',
    title: 'create a Cloud Run job running as the service account, then run it',
    attack: 'T1648',
    needs: [['run.jobs.create'], ['run.jobs.run', 'run.jobs.runWithOverrides']],
    reference: 'https://cloud.google.com/run/docs/configuring/jobs/service-identity',
  },
  {
    id: 'gcp-actas-cloudbuild-builds-create',
    title: 'start a Cloud Build build running as the service account',
    attack: 'T1648',
    needs: [['cloudbuild.builds.create']],
    reference:
      'https://cloud.google.com/build/docs/securing-builds/configure-user-specified-service-accounts',
  },
  {
    id: 'gcp-actas-cloudscheduler-jobs-create',
    title: 'create a Cloud Scheduler job that calls Google APIs as the service account',
    attack: 'T1053',
    needs: [['cloudscheduler.jobs.create']],
    reference: 'https://cloud.google.com/scheduler/docs/http-target-auth',
  },
  {
    id: 'gcp-actas-deploymentmanager-deployments-create',
    title: 'create a Deployment Manager deployment, which acts as the project’s Google APIs service agent',
    attack: 'T1648',
    needs: [['deploymentmanager.deployments.create']],
    reference: 'https://cloud.google.com/deployment-manager/docs/access-control',
  },
  {
    id: 'gcp-actas-dataflow-jobs-create',
    title: 'start a Dataflow job whose workers run as the service account',
    attack: 'T1648',
    needs: [['dataflow.jobs.create']],
    reference: 'https://cloud.google.com/dataflow/docs/concepts/security-and-permissions',
  },
  {
    id: 'gcp-actas-dataproc-clusters-create',
    title: 'create a Dataproc cluster whose VMs run as the service account',
    attack: 'T1578.002',
    needs: [['dataproc.clusters.create']],
    reference: 'https://cloud.google.com/dataproc/docs/concepts/configuring-clusters/service-accounts',
  },
  {
    id: 'gcp-actas-composer-environments-create',
    title: 'create a Cloud Composer environment running as the service account',
    attack: 'T1648',
    needs: [['composer.environments.create']],
    reference: 'https://cloud.google.com/composer/docs/composer-2/access-control',
  },
  {
    id: 'gcp-actas-notebooks-instances-create',
    title: 'create a Vertex AI Workbench instance running as the service account',
    attack: 'T1578.002',
    needs: [['notebooks.instances.create']],
    reference: 'https://cloud.google.com/vertex-ai/docs/workbench/instances/manage-access-jupyterlab',
  },
];

/** Setting an allow policy grants anything to anyone, the caller included (https://cloud.google.com/iam/docs/granting-changing-revoking-access). */
export const SET_IAM_POLICY_TECHNIQUES = {
  serviceAccount: { id: 'gcp-serviceaccount-setiampolicy', permission: 'iam.serviceAccounts.setIamPolicy' },
  project: { id: 'gcp-project-setiampolicy', permission: 'resourcemanager.projects.setIamPolicy' },
  folder: { id: 'gcp-folder-setiampolicy', permission: 'resourcemanager.folders.setIamPolicy' },
  organization: {
    id: 'gcp-organization-setiampolicy',
    permission: 'resourcemanager.organizations.setIamPolicy',
  },
} as const;
