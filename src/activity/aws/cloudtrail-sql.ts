import { duckdbType } from '../json-shape.js';
import { CLOUDTRAIL_EVENT } from './cloudtrail-event.js';

/** The DuckDB type CloudTrail records are read with. */
export const CLOUDTRAIL_EVENT_TYPE = duckdbType(CLOUDTRAIL_EVENT);

/**
 * DuckDB macros of the AWS identity rules, created on each connection of the store. One home for
 * them: the ingest runs them over every event, and the unit tests run them over hand-written records.
 *
 * `aws_identity(ui)` names the identity an event's `userIdentity` stands for, as the graph names it
 * (node ids of docs/graph-model.md), following the `userIdentity.type` values of
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html:
 * - `IAMUser`: the user's ARN. An event carrying only the access key id (a failed sign-in may) is
 *   resolved afterwards through the key's other events (`aws_key_owner`).
 * - `AssumedRole`: temporary credentials from `AssumeRole*`: the role, which
 *   `sessionContext.sessionIssuer` names with its path. When a role session assumes another role (role
 *   chaining) the issuer is the *last* role, the one whose permissions the call used; the origin of the
 *   chain is kept apart as `sourceIdentity`, which AWS carries along every hop of the chain
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html).
 *   Without an issuer, the role is read from the session ARN `arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`
 *   (its path is lost there).
 * - `Role`: a role acting as itself (some services log it so): its ARN.
 * - `FederatedUser`: a `GetFederationToken` session: the IAM user who issued it (`sessionIssuer`).
 * - `Root`: the account's root user, `arn:aws:iam::ACCOUNT:root`.
 * - `AWSService`: a service acting with its service principal (`invokedBy`), `aws:service:NAME`,
 *   lower-cased as the analysis names service principals (`servicePrincipalId`): AWS compares service
 *   principal names case-insensitively, and the graph holds one node per service.
 * - `AWSAccount`: a call from another account through its credentials that CloudTrail does not detail:
 *   that account, as `arn:aws:iam::ACCOUNT:root`.
 * - `WebIdentityUser` (`AssumeRoleWithWebIdentity`): the federated subject, `oidc:ISSUER HOST:SUBJECT`
 *   (`identityProvider` is the OIDC provider, its ARN or host; `userName` the token's `sub`).
 * - `SAMLUser` (`AssumeRoleWithSAML`): the federated subject, `external:PROVIDER ARN:USER`.
 * Anything else (`IdentityCenterUser`, `Unknown`, a missing userIdentity) is unresolved: counted and
 * listed by `aws_unresolved_reason`, never dropped.
 */
export const CLOUDTRAIL_MACROS = [
  `CREATE OR REPLACE TEMP MACRO aws_partition(arn) AS
     coalesce(regexp_extract(arn, '^arn:(aws[a-z-]*):', 1), 'aws')`,
  `CREATE OR REPLACE TEMP MACRO aws_role_of_session(arn) AS
     CASE WHEN regexp_full_match(arn, 'arn:[a-z-]+:sts::[0-9]{12}:assumed-role/[^/]+/.*')
       THEN regexp_replace(arn, '^arn:([a-z-]+):sts::([0-9]{12}):assumed-role/([^/]+)/.*$', 'arn:\\1:iam::\\2:role/\\3')
     END`,
  `CREATE OR REPLACE TEMP MACRO aws_provider_host(p) AS
     regexp_replace(regexp_replace(p, '^arn:[a-z-]+:iam::[0-9]{12}:oidc-provider/', ''), '^https://', '')`,
  `CREATE OR REPLACE TEMP MACRO aws_identity(ui) AS
     CASE ui.type
       WHEN 'IAMUser' THEN ui.arn
       WHEN 'AssumedRole' THEN coalesce(
         CASE WHEN ui.sessionContext.sessionIssuer.type = 'Role' THEN ui.sessionContext.sessionIssuer.arn END,
         aws_role_of_session(ui.arn))
       WHEN 'Role' THEN ui.arn
       WHEN 'FederatedUser' THEN
         CASE WHEN ui.sessionContext.sessionIssuer.type = 'IAMUser' THEN ui.sessionContext.sessionIssuer.arn END
       WHEN 'Root' THEN coalesce(ui.arn, 'arn:aws:iam::' || ui.accountId || ':root')
       WHEN 'AWSService' THEN 'aws:service:' || lower(ui.invokedBy)
       WHEN 'AWSAccount' THEN 'arn:' || aws_partition(ui.arn) || ':iam::' || ui.accountId || ':root'
       WHEN 'WebIdentityUser' THEN 'oidc:' || aws_provider_host(ui.identityProvider) || ':' || ui.userName
       WHEN 'SAMLUser' THEN 'external:' || ui.identityProvider || ':' || ui.userName
     END`,
  `CREATE OR REPLACE TEMP MACRO aws_unresolved_reason(ui) AS
     CASE
       WHEN ui IS NULL THEN 'no userIdentity'
       WHEN ui.type IS NULL THEN 'userIdentity without type'
       WHEN ui.type NOT IN ('IAMUser', 'AssumedRole', 'Role', 'FederatedUser', 'Root', 'AWSService',
                            'AWSAccount', 'WebIdentityUser', 'SAMLUser')
         THEN 'userIdentity type ' || ui.type || ' is not resolved'
       ELSE 'userIdentity ' || ui.type || ' without the fields that name it'
     END`,
  // A long-term access key (AKIA…) belongs to one IAM user (or the root user); temporary keys (ASIA…)
  // to one session only, and are not kept (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html).
  `CREATE OR REPLACE TEMP MACRO aws_long_term_key(k) AS CASE WHEN starts_with(k, 'AKIA') THEN k END`,
  // CloudTrail's errorCode on a refused call (AccessDenied, AccessDeniedException,
  // Client.UnauthorizedOperation, UnauthorizedOperation…); any other code is an error, none a success.
  `CREATE OR REPLACE TEMP MACRO aws_outcome(code) AS
     CASE WHEN code IS NULL THEN 'success'
          WHEN regexp_matches(code, 'AccessDenied|Unauthorized|Forbidden|NotAuthorized') THEN 'denied'
          ELSE 'error' END`,
  // The IAM action of a call: the service prefix of eventSource (`s3.amazonaws.com` → `s3`) and the
  // eventName. The two agree for most services (not all: monitoring.amazonaws.com is `cloudwatch:`).
  `CREATE OR REPLACE TEMP MACRO aws_action(source, name) AS split_part(source, '.', 1) || ':' || name`,
  // The resource: the first of `resources` that is not the caller's access key (AssumeRole lists the
  // key and the role), else the role an STS call names, else the bucket of an S3 call.
  `CREATE OR REPLACE TEMP MACRO aws_resource(e) AS coalesce(
     list_filter(e.resources, lambda r: coalesce(r.type, '') <> 'AWS::IAM::AccessKey')[1]."ARN",
     e.requestParameters.roleArn,
     CASE WHEN e.eventSource = 's3.amazonaws.com' AND e.requestParameters.bucketName IS NOT NULL
       THEN 'arn:aws:s3:::' || e.requestParameters.bucketName END)`,
  // The identity or credential a successful IAM create call made, as the graph names it (role and
  // user ARNs from the response; an access key as its node, aws:key:ID): its creator is the caller.
  `CREATE OR REPLACE TEMP MACRO aws_created(e) AS
     CASE WHEN e.errorCode IS NULL AND e.eventSource = 'iam.amazonaws.com' THEN
       CASE e.eventName
         WHEN 'CreateRole' THEN e.responseElements.role.arn
         WHEN 'CreateServiceLinkedRole' THEN e.responseElements.role.arn
         WHEN 'CreateUser' THEN e.responseElements.user.arn
         WHEN 'CreateAccessKey' THEN 'aws:key:' || e.responseElements.accessKey.accessKeyId
       END
     END`,
];

/**
 * One row per event: the fields the aggregates group by, from a relation `input(file, line, record, e)`
 * where `e` is a CloudTrail record of CLOUDTRAIL_EVENT_TYPE.
 */
export function cloudtrailRows(input: string): string {
  return `SELECT
    file, line, record,
    e.eventID AS event_id,
    TRY_CAST(rtrim(e.eventTime, 'Z') AS TIMESTAMP) AS event_time,
    coalesce(e.recipientAccountId, e.userIdentity.accountId) AS account,
    aws_identity(e.userIdentity) AS identity,
    e.userIdentity.type AS identity_type,
    aws_long_term_key(e.userIdentity.accessKeyId) AS access_key,
    coalesce(e.userIdentity.sessionContext.sourceIdentity,
             e.userIdentity.sessionContext.webIdFederationData.federatedProvider) AS origin,
    aws_action(e.eventSource, e.eventName) AS action,
    aws_resource(e) AS resource,
    network_of(e.sourceIPAddress) AS network,
    e.awsRegion AS region,
    left(e.userAgent, 256) AS user_agent,
    aws_outcome(e.errorCode) AS outcome,
    coalesce(e.userIdentity.principalId, e.userIdentity.arn, '') AS principal_id,
    aws_unresolved_reason(e.userIdentity) AS unresolved_reason,
    aws_created(e) AS created
  FROM (${input})`;
}
