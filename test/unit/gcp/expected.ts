import { join } from 'node:path';

/**
 * The hand-checked GCP organization of test/fixtures/gcp-org (its README explains each edge): every
 * derived edge as `TYPE from -> to (technique)`, and near misses that must not be there.
 */
export const GCP_FIXTURE_ROOT = join(import.meta.dirname, '../../fixtures/gcp-org');
/** The same organization as a Cloud Asset Inventory export (with its deny policies beside it). */
export const GCP_CAI_FIXTURE_ROOT = join(import.meta.dirname, '../../fixtures/gcp-org-cai');
/** The fixture's analysis time: after the auditors' 2019 window, before the keys' expiry. */
export const GCP_FIXTURE_AS_OF = new Date('2026-12-01T00:00:00Z');

const PROD = 'prod-app-123456';
const APP = `gcp:sa:app@${PROD}.iam.gserviceaccount.com`;
const DEPLOYER = `gcp:sa:deployer@${PROD}.iam.gserviceaccount.com`;
const COMPUTE = 'gcp:sa:123456789012-compute@developer.gserviceaccount.com';
const CI = 'gcp:sa:ci@dev-sandbox-654321.iam.gserviceaccount.com';
const BUCKET = 'gcp:storage:projects/_/buckets/prod-data-example';
const DB_SECRET = 'gcp:secretmanager:projects/123456789012/secrets/app-db-password';
const TOKEN_SECRET = 'gcp:secretmanager:projects/123456789012/secrets/billing-api-token';
const TOPIC = `gcp:pubsub:projects/${PROD}/topics/orders`;
const DM_AGENT = 'gcp:sa:123456789012@cloudservices.gserviceaccount.com';
const ORDERS_DB = `gcp:cloudsql:projects/${PROD}/instances/orders-db`;
const DEV = 'gcp:projects/dev-sandbox-654321';
const REPO =
  'gcp:principalset:principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/github/attribute.repository/example/deploy';

export const EXPECTED_EDGES: readonly string[] = [
  `ADMINISTERS gcp:user:admin@example.com -> gcp:folders/222222222222`,
  `ADMINISTERS gcp:user:admin@example.com -> gcp:organizations/111111111111`,
  `ADMINISTERS gcp:user:admin@example.com -> gcp:projects/dev-sandbox-654321`,
  `ADMINISTERS gcp:user:admin@example.com -> gcp:projects/prod-app-123456`,
  `ADMINISTERS gcp:user:dev@example.com -> gcp:projects/dev-sandbox-654321`,
  `CAN_ACCESS gcp:group:data-eng@example.com -> ${BUCKET}`,
  `CAN_ACCESS ${COMPUTE} -> ${TOPIC}`,
  `CAN_ACCESS ${COMPUTE} -> ${DB_SECRET}`,
  `CAN_ACCESS ${COMPUTE} -> ${TOKEN_SECRET}`,
  `CAN_ACCESS ${COMPUTE} -> ${BUCKET}`,
  `CAN_ACCESS ${APP} -> ${TOPIC}`,
  `CAN_ACCESS ${APP} -> ${DB_SECRET}`,
  `CAN_ACCESS ${APP} -> ${BUCKET}`,
  `CAN_ACCESS gcp:user:admin@example.com -> ${TOPIC}`,
  `CAN_ACCESS gcp:user:admin@example.com -> ${DB_SECRET}`,
  `CAN_ACCESS gcp:user:admin@example.com -> ${TOKEN_SECRET}`,
  `CAN_ACCESS gcp:user:admin@example.com -> gcp:storage:projects/_/buckets/dev-scratch-example`,
  `CAN_ACCESS gcp:user:admin@example.com -> ${BUCKET}`,
  `CAN_ACCESS gcp:user:dev@example.com -> gcp:storage:projects/_/buckets/dev-scratch-example`,
  `CAN_ACCESS gcp:user:release@example.com -> gcp:storage:projects/_/buckets/dev-scratch-example`,
  `CAN_ACCESS ${COMPUTE} -> ${ORDERS_DB}`,
  `CAN_ACCESS ${APP} -> ${ORDERS_DB}`,
  `CAN_ACCESS gcp:user:admin@example.com -> ${ORDERS_DB}`,
  `CAN_ACCESS ${DM_AGENT} -> ${TOPIC}`,
  `CAN_ACCESS ${DM_AGENT} -> ${DB_SECRET}`,
  `CAN_ACCESS ${DM_AGENT} -> ${TOKEN_SECRET}`,
  `CAN_ACCESS ${DM_AGENT} -> ${BUCKET}`,
  `CAN_ACCESS ${DM_AGENT} -> ${ORDERS_DB}`,
  `CAN_ACCESS public:gcp:allUsers -> gcp:storage:projects/_/buckets/dev-scratch-example`,
  `CAN_ESCALATE ${COMPUTE} -> ${APP} (gcp-actas-compute-instances-create)`,
  `CAN_ESCALATE ${COMPUTE} -> ${DEPLOYER} (gcp-actas-compute-instances-create)`,
  `CAN_ESCALATE ${CI} -> ${DEV} (gcp-project-setiampolicy)`,
  `CAN_ESCALATE ${COMPUTE} -> ${DM_AGENT} (gcp-deploymentmanager-service-agent)`,
  `CAN_ESCALATE ${DM_AGENT} -> ${APP} (gcp-actas-compute-instances-create)`,
  `CAN_ESCALATE ${DM_AGENT} -> ${DEPLOYER} (gcp-actas-compute-instances-create)`,
  `CAN_ESCALATE ${DM_AGENT} -> ${COMPUTE} (gcp-actas-compute-instances-create)`,
  `CAN_ESCALATE gcp:user:release@example.com -> ${DEV} (gcp-iam-roles-update)`,
  `CAN_ESCALATE gcp:user:release@example.com -> ${CI} (gcp-iam-roles-update)`,
  `CAN_ESCALATE gcp:group:platform@example.com -> ${REPO} (gcp-wif-provider-create)`,
  `CAN_ESCALATE gcp:user:admin@example.com -> ${REPO} (gcp-wif-provider-create)`,
  `CAN_ESCALATE ${DEPLOYER} -> ${COMPUTE} (gcp-actas-run-services-create)`,
  `CAN_ESCALATE ${DEPLOYER} -> ${APP} (gcp-actas-run-services-create)`,
  `CAN_ESCALATE gcp:user:admin@example.com -> ${COMPUTE} (gcp-serviceaccount-setiampolicy)`,
  `CAN_ESCALATE gcp:user:admin@example.com -> ${APP} (gcp-serviceaccount-setiampolicy)`,
  `CAN_ESCALATE gcp:user:admin@example.com -> ${CI} (gcp-serviceaccount-setiampolicy)`,
  `CAN_ESCALATE gcp:user:admin@example.com -> ${DEPLOYER} (gcp-serviceaccount-setiampolicy)`,
  `CAN_ESCALATE gcp:user:dev@example.com -> ${CI} (gcp-serviceaccount-setiampolicy)`,
  `CAN_IMPERSONATE ${DEPLOYER} -> ${APP}`,
  `CAN_IMPERSONATE gcp:user:admin@example.com -> ${COMPUTE}`,
  `CAN_IMPERSONATE gcp:user:admin@example.com -> ${APP}`,
  `CAN_IMPERSONATE gcp:user:admin@example.com -> ${CI}`,
  `CAN_IMPERSONATE gcp:user:admin@example.com -> ${DEPLOYER}`,
  `FEDERATES_TO ${REPO} -> ${DEPLOYER}`,
  // the GKE workload payments/api (pool prod-app-123456.svc.id.goog) as roles/iam.workloadIdentityUser of app@
  `FEDERATES_TO gcp:principalset:serviceAccount:prod-app-123456.svc.id.goog[payments/api] -> ${APP}`,
];

/** Near misses: each would be there if one rule were wrong (the README says which). */
export const ABSENT_EDGES: readonly string[] = [
  // the org deny policy takes serviceAccountKeys.create from everyone but admin@
  `CAN_IMPERSONATE gcp:user:dev@example.com -> ${CI}`,
  // the secretAccessor condition names app- secrets only
  `CAN_ACCESS ${APP} -> ${TOKEN_SECRET}`,
  // the auditors' binding expired in 2020
  `CAN_ACCESS gcp:group:auditors@example.com -> ${BUCKET}`,
  // a binding to a deleted principal grants nothing
  `CAN_ACCESS gcp:user:old-admin@example.com -> ${TOPIC}`,
  // the deployer does not escalate to itself
  `CAN_ESCALATE ${DEPLOYER} -> ${DEPLOYER} (gcp-actas-run-services-create)`,
  // the legacy Cloud Build service account holds no role in the project: nothing to gain through it
  `CAN_ESCALATE ${COMPUTE} -> gcp:sa:123456789012@cloudbuild.gserviceaccount.com (gcp-cloudbuild-service-agent)`,
  // deployer@ holds the organization's custom role deployer but may not update it
  `CAN_ESCALATE ${DEPLOYER} -> gcp:folders/222222222222 (gcp-iam-roles-update)`,
  // the owner administers the project: no escalation edge to it, nor through its service agent
  `CAN_ESCALATE gcp:user:admin@example.com -> ${DM_AGENT} (gcp-deploymentmanager-service-agent)`,
  // the Deployment Manager agent is no service account of the sandbox: dev@ creates deployments there for nothing
  `CAN_ESCALATE gcp:user:dev@example.com -> gcp:sa:654321654321@cloudservices.gserviceaccount.com (gcp-deploymentmanager-service-agent)`,
];
