import type { AttackTechnique } from '../../model/attack.js';

/**
 * The GCP privilege-escalation techniques a CAN_ESCALATE edge names in `technique` (or a CAN_ACCESS
 * edge in `via`), each with its MITRE ATT&CK technique and the Google documentation that makes it
 * work. One table: the analysis, docs/gcp-escalation.md (generated) and the reports read it. Rhino
 * Security Labs' public list of GCP privilege-escalation methods
 * (https://rhinosecuritylabs.com/gcp/privilege-escalation-google-cloud-platform-part-1/, part 2, and
 * https://github.com/RhinoSecurityLabs/GCP-IAM-Privilege-Escalation) is the floor; docs/gcp.md says
 * which technique covers each of its methods. Permission names are case-sensitive
 * (`iam.serviceAccounts.actAs`, never the lower-case `serviceaccounts` of some published lists).
 */
export interface GcpTechnique {
  id: string;
  title: string;
  attack: AttackTechnique;
  /** The permissions, as groups: every group needs one of its permissions. */
  needs: readonly (readonly string[])[];
  /** Where the permissions are checked and what the edge goes to (documentation). */
  edge: string;
  /** What else must exist that the collection does not show: the edge is conditional on it. */
  requires?: string;
  /** The Google documentation behind it. */
  reference: string;
}

const ACCOUNT_CLOUD_ROLES: AttackTechnique = {
  id: 'T1098.003',
  name: 'Account Manipulation: Additional Cloud Roles',
};
const CLOUD_CREDENTIALS: AttackTechnique = {
  id: 'T1098.001',
  name: 'Account Manipulation: Additional Cloud Credentials',
};
const SERVERLESS: AttackTechnique = { id: 'T1648', name: 'Serverless Execution' };
const CREATE_INSTANCE: AttackTechnique = {
  id: 'T1578.002',
  name: 'Modify Cloud Compute Infrastructure: Create Cloud Instance',
};
const SSH_KEYS: AttackTechnique = { id: 'T1098.004', name: 'Account Manipulation: SSH Authorized Keys' };
const ELEVATION: AttackTechnique = { id: 'T1548', name: 'Abuse Elevation Control Mechanism' };

const ACT_AS_EDGE = 'CAN_ESCALATE → the service account: actAs on it, the rest on its project';
const EXISTING_INSTANCE = 'a Compute Engine instance of the project running as the service account';

/**
 * Running code as a service account needs `iam.serviceAccounts.actAs` on it plus the permission to
 * create (or change) what runs the code, and where the docs say so to start or call it
 * (https://cloud.google.com/iam/docs/service-account-permissions#user-role). `needs` are checked on
 * the service account's project.
 */
export const RUN_AS_TECHNIQUES = [
  {
    id: 'gcp-actas-compute-instances-create',
    title: 'create a Compute Engine instance running as the service account',
    attack: CREATE_INSTANCE,
    needs: [['compute.instances.create']],
    edge: ACT_AS_EDGE,
    reference:
      'https://cloud.google.com/compute/docs/access/service-accounts#associating_a_service_account_to_an_instance',
  },
  {
    id: 'gcp-actas-compute-instances-setmetadata',
    title:
      'set a startup script or SSH key in the metadata of an instance running as the service account (or project-wide)',
    attack: SSH_KEYS,
    needs: [['compute.instances.setMetadata', 'compute.projects.setCommonInstanceMetadata']],
    edge: ACT_AS_EDGE,
    requires: EXISTING_INSTANCE,
    reference: 'https://cloud.google.com/compute/docs/connect/add-ssh-keys#metadata',
  },
  {
    id: 'gcp-actas-compute-oslogin',
    title: 'log in with OS Login administrator rights to an instance running as the service account',
    attack: { id: 'T1021.004', name: 'Remote Services: SSH' },
    needs: [['compute.instances.osAdminLogin']],
    edge: ACT_AS_EDGE,
    requires: `${EXISTING_INSTANCE}, with OS Login`,
    reference: 'https://cloud.google.com/compute/docs/oslogin/set-up-oslogin#grant-iam-roles',
  },
  {
    id: 'gcp-actas-compute-instances-setserviceaccount',
    title: 'attach the service account to an existing instance, then run code on it through its metadata',
    attack: { id: 'T1578', name: 'Modify Cloud Compute Infrastructure' },
    needs: [
      ['compute.instances.setServiceAccount'],
      ['compute.instances.setMetadata', 'compute.projects.setCommonInstanceMetadata'],
    ],
    edge: ACT_AS_EDGE,
    requires: 'a Compute Engine instance in the project',
    reference: 'https://cloud.google.com/compute/docs/instances/change-service-account',
  },
  {
    id: 'gcp-actas-cloudfunctions-create',
    title: 'deploy a Cloud Function running as the service account, then call it',
    attack: SERVERLESS,
    needs: [
      ['cloudfunctions.functions.create'],
      ['cloudfunctions.functions.call', 'cloudfunctions.functions.setIamPolicy'],
    ],
    edge: ACT_AS_EDGE,
    reference: 'https://cloud.google.com/functions/docs/reference/iam/roles',
  },
  {
    id: 'gcp-actas-cloudfunctions-update',
    title: 'replace the code of an existing Cloud Function and make it run as the service account',
    attack: SERVERLESS,
    needs: [['cloudfunctions.functions.update'], ['cloudfunctions.functions.sourceCodeSet']],
    edge: ACT_AS_EDGE,
    requires: 'a Cloud Function in the project',
    reference: 'https://cloud.google.com/functions/docs/reference/iam/roles',
  },
  {
    id: 'gcp-actas-run-services-create',
    title: 'deploy a Cloud Run service running as the service account, then invoke it',
    attack: SERVERLESS,
    needs: [['run.services.create'], ['run.routes.invoke', 'run.services.setIamPolicy']],
    edge: ACT_AS_EDGE,
    reference: 'https://cloud.google.com/run/docs/securing/service-identity',
  },
  {
    id: 'gcp-actas-run-services-update',
    title:
      'deploy a new revision of an existing Cloud Run service running as the service account, then invoke it',
    attack: SERVERLESS,
    needs: [['run.services.update'], ['run.routes.invoke', 'run.services.setIamPolicy']],
    edge: ACT_AS_EDGE,
    requires: 'a Cloud Run service in the project',
    reference: 'https://cloud.google.com/run/docs/securing/service-identity',
  },
  {
    id: 'gcp-actas-run-jobs-create',
    title: 'create a Cloud Run job running as the service account, then run it',
    attack: SERVERLESS,
    needs: [['run.jobs.create'], ['run.jobs.run', 'run.jobs.runWithOverrides']],
    edge: ACT_AS_EDGE,
    reference: 'https://cloud.google.com/run/docs/configuring/jobs/service-identity',
  },
  {
    id: 'gcp-actas-run-jobs-update',
    title: 'change an existing Cloud Run job to run as the service account, then run it',
    attack: SERVERLESS,
    needs: [['run.jobs.update'], ['run.jobs.run', 'run.jobs.runWithOverrides']],
    edge: ACT_AS_EDGE,
    requires: 'a Cloud Run job in the project',
    reference: 'https://cloud.google.com/run/docs/configuring/jobs/service-identity',
  },
  {
    id: 'gcp-actas-cloudbuild-builds-create',
    title: 'start a Cloud Build build running as the service account',
    attack: SERVERLESS,
    needs: [['cloudbuild.builds.create']],
    edge: ACT_AS_EDGE,
    reference:
      'https://cloud.google.com/build/docs/securing-builds/configure-user-specified-service-accounts',
  },
  {
    id: 'gcp-actas-cloudscheduler-jobs-create',
    title: 'create a Cloud Scheduler job that calls Google APIs as the service account',
    attack: { id: 'T1053', name: 'Scheduled Task/Job' },
    needs: [['cloudscheduler.jobs.create']],
    edge: ACT_AS_EDGE,
    reference: 'https://cloud.google.com/scheduler/docs/http-target-auth',
  },
  {
    id: 'gcp-actas-dataflow-jobs-create',
    title: 'start a Dataflow job whose workers run as the service account',
    attack: SERVERLESS,
    needs: [['dataflow.jobs.create']],
    edge: ACT_AS_EDGE,
    reference: 'https://cloud.google.com/dataflow/docs/concepts/security-and-permissions',
  },
  {
    id: 'gcp-actas-dataproc-clusters-create',
    title: 'create a Dataproc cluster whose VMs run as the service account',
    attack: CREATE_INSTANCE,
    needs: [['dataproc.clusters.create']],
    edge: ACT_AS_EDGE,
    reference: 'https://cloud.google.com/dataproc/docs/concepts/configuring-clusters/service-accounts',
  },
  {
    id: 'gcp-actas-composer-environments-create',
    title: 'create a Cloud Composer environment running as the service account',
    attack: SERVERLESS,
    needs: [['composer.environments.create']],
    edge: ACT_AS_EDGE,
    reference: 'https://cloud.google.com/composer/docs/composer-2/access-control',
  },
  {
    id: 'gcp-actas-notebooks-instances-create',
    title: 'create a Vertex AI Workbench instance running as the service account',
    attack: CREATE_INSTANCE,
    needs: [['notebooks.instances.create']],
    edge: ACT_AS_EDGE,
    reference: 'https://cloud.google.com/vertex-ai/docs/workbench/instances/manage-access-jupyterlab',
  },
  {
    id: 'gcp-actas-aiplatform-customjobs-create',
    title: 'run a Vertex AI custom training job as the service account',
    attack: SERVERLESS,
    needs: [['aiplatform.customJobs.create']],
    edge: ACT_AS_EDGE,
    reference: 'https://cloud.google.com/vertex-ai/docs/general/custom-service-account',
  },
] as const satisfies readonly GcpTechnique[];

export type RunAsTechnique = (typeof RUN_AS_TECHNIQUES)[number];

/**
 * Services that run what the caller submits as a Google-managed service agent of the project, with
 * no actAs on it: whoever may submit acts with the agent's roles. The edge goes to the agent (a
 * `GcpServiceAccount` node), whose own edges carry on, and only when the agent holds a role in the
 * project (otherwise the deployment can do nothing).
 */
export interface ServiceAgentTechnique extends GcpTechnique {
  /** The agent's email from the project number. */
  agent: (projectNumber: string) => string;
}

export const SERVICE_AGENT_TECHNIQUES = [
  {
    id: 'gcp-deploymentmanager-service-agent',
    title:
      'create a Deployment Manager deployment: it creates resources and grants roles as the project’s Google APIs service agent',
    attack: ELEVATION,
    needs: [['deploymentmanager.deployments.create']],
    edge: 'CAN_ESCALATE → PROJECT_NUMBER@cloudservices.gserviceaccount.com, when it holds a role in the project',
    reference:
      'https://cloud.google.com/deployment-manager/docs/access-control#access_control_for_deployment_manager',
    agent: (n: string) => `${n}@cloudservices.gserviceaccount.com`,
  },
  {
    id: 'gcp-cloudbuild-service-agent',
    title: 'start a Cloud Build build with the legacy Cloud Build service account',
    attack: SERVERLESS,
    needs: [['cloudbuild.builds.create']],
    edge: 'CAN_ESCALATE → PROJECT_NUMBER@cloudbuild.gserviceaccount.com, when it holds a role in the project',
    reference: 'https://cloud.google.com/build/docs/cloud-build-service-account',
    agent: (n: string) => `${n}@cloudbuild.gserviceaccount.com`,
  },
] as const satisfies readonly ServiceAgentTechnique[];

/** Setting an allow policy grants anything to anyone, the caller included (https://cloud.google.com/iam/docs/granting-changing-revoking-access). */
export const SET_IAM_POLICY_TECHNIQUES = {
  serviceAccount: {
    id: 'gcp-serviceaccount-setiampolicy',
    title: 'grant oneself a token-creating role on the service account',
    attack: ACCOUNT_CLOUD_ROLES,
    needs: [['iam.serviceAccounts.setIamPolicy']],
    edge: 'CAN_ESCALATE → the service account',
    reference: 'https://cloud.google.com/iam/docs/manage-access-service-accounts',
    permission: 'iam.serviceAccounts.setIamPolicy',
  },
  project: {
    id: 'gcp-project-setiampolicy',
    title: 'grant oneself any role on the project',
    attack: ACCOUNT_CLOUD_ROLES,
    needs: [['resourcemanager.projects.setIamPolicy']],
    edge: 'CAN_ESCALATE {self} → the project (ADMINISTERS instead for roles/owner)',
    reference: 'https://cloud.google.com/iam/docs/granting-changing-revoking-access',
    permission: 'resourcemanager.projects.setIamPolicy',
  },
  folder: {
    id: 'gcp-folder-setiampolicy',
    title: 'grant oneself any role on the folder and everything under it',
    attack: ACCOUNT_CLOUD_ROLES,
    needs: [['resourcemanager.folders.setIamPolicy']],
    edge: 'CAN_ESCALATE {self} → the folder and each folder and project under it',
    reference: 'https://cloud.google.com/iam/docs/granting-changing-revoking-access',
    permission: 'resourcemanager.folders.setIamPolicy',
  },
  organization: {
    id: 'gcp-organization-setiampolicy',
    title: 'grant oneself any role on the organization and everything under it',
    attack: ACCOUNT_CLOUD_ROLES,
    needs: [['resourcemanager.organizations.setIamPolicy']],
    edge: 'CAN_ESCALATE {self} → the organization and each folder and project under it',
    reference: 'https://cloud.google.com/iam/docs/granting-changing-revoking-access',
    permission: 'resourcemanager.organizations.setIamPolicy',
  },
} as const satisfies Record<string, GcpTechnique & { permission: string }>;

/**
 * Updating a custom role one holds adds any permission a custom role may contain to one's own grants,
 * wherever the role is bound (https://cloud.google.com/iam/docs/creating-custom-roles#editing_an_existing_custom_role,
 * https://cloud.google.com/iam/docs/custom-roles-permissions-support: the `setIamPolicy` of projects,
 * folders and organizations, and `iam.serviceAccounts.getAccessToken`, are supported). `iam.roles.update`
 * is checked on the role's parent, the organization or project that defines it.
 */
export const ROLE_UPDATE_TECHNIQUE = {
  id: 'gcp-iam-roles-update',
  title: 'add permissions to a custom role one holds',
  attack: ACCOUNT_CLOUD_ROLES,
  needs: [['iam.roles.update']],
  edge: 'CAN_ESCALATE {self} → each project, folder, organization (setIamPolicy) or service account (getAccessToken) where the role is bound to the source; iam.roles.update on the role’s organization or project',
  reference: 'https://cloud.google.com/iam/docs/creating-custom-roles#editing_an_existing_custom_role',
  permission: 'iam.roles.update',
} as const satisfies GcpTechnique & { permission: string };

/**
 * A new (or changed) provider in a workload identity pool issues tokens for subjects and attributes
 * the attacker's own identity provider asserts, through an attribute mapping the attacker writes:
 * every `principal://` and `principalSet://` of the pool is then within reach, a broad `…/*` set
 * first of all (https://cloud.google.com/iam/docs/workload-identity-federation#mapping,
 * https://cloud.google.com/iam/docs/best-practices-for-using-workload-identity-federation#avoid-subject-collisions).
 * The IAM dataset writes these permissions in their v2 form; both forms are accepted.
 */
export const POOL_PROVIDER_TECHNIQUE = {
  id: 'gcp-wif-provider-create',
  title: 'add (or change) a provider of a workload identity pool to become one of its principals',
  attack: { id: 'T1484.002', name: 'Domain or Tenant Policy Modification: Trust Modification' },
  needs: [
    [
      'iam.workloadIdentityPoolProviders.create',
      'iam.googleapis.com/workloadIdentityPoolProviders.create',
      'iam.workloadIdentityPoolProviders.update',
      'iam.googleapis.com/workloadIdentityPoolProviders.update',
    ],
  ],
  edge: 'CAN_ESCALATE → each principal and principal set of the pool that a binding names; on the pool’s project (update: when the pool has a provider)',
  reference: 'https://cloud.google.com/iam/docs/manage-workload-identity-pools-providers#add-provider',
} as const satisfies GcpTechnique;

/**
 * An HMAC key for a service account signs Cloud Storage XML API requests as that account, and
 * `storage.hmacKeys.create` on a project lets one create it for the project's service accounts with
 * no right on the account itself (https://cloud.google.com/storage/docs/authentication/hmackeys).
 * What it gains is the account's access to buckets: CAN_ACCESS edges with `via`.
 */
export const HMAC_KEY_TECHNIQUE = {
  id: 'gcp-storage-hmackeys-create',
  title: 'create an HMAC key for a service account of the project and use its Cloud Storage access',
  attack: CLOUD_CREDENTIALS,
  needs: [['storage.hmacKeys.create']],
  edge: 'CAN_ACCESS {via} → each bucket a service account of the project reaches, with that account’s levels',
  reference: 'https://cloud.google.com/storage/docs/authentication/managing-hmackeys#create',
} as const satisfies GcpTechnique;

export const GCP_TECHNIQUES: readonly GcpTechnique[] = [
  ...Object.values(SET_IAM_POLICY_TECHNIQUES),
  ROLE_UPDATE_TECHNIQUE,
  ...RUN_AS_TECHNIQUES,
  ...SERVICE_AGENT_TECHNIQUES,
  POOL_PROVIDER_TECHNIQUE,
  HMAC_KEY_TECHNIQUE,
];

const BY_ID = new Map(GCP_TECHNIQUES.map((t) => [t.id, t]));

export function gcpTechnique(id: string): GcpTechnique {
  const technique = BY_ID.get(id);
  if (!technique) throw new Error(`unknown GCP technique ${id}`);
  return technique;
}
