#!/usr/bin/env bash
# Writes a reachgraph AWS snapshot (docs/snapshots.md) with nothing but the AWS CLI, for audits
# where reachgraph itself never sees credentials. Read-only calls only (docs/permissions.md).
#
#   scripts/snapshot-aws.sh --out DIR [--profile P] [--region R]... [--endpoint-url URL] [--jobs N]
#
# One run collects the account of the credentials in use, into DIR/aws/<account-id>/, and the
# organization into DIR/aws/organization/ when the account may read it. Run it once per account
# (profile). Without --region, every region enabled in the account is collected. --endpoint-url
# (default: $AWS_ENDPOINT_URL) sends every call to one endpoint, e.g. a local stand-in for AWS.
# --jobs (default: $SNAPSHOT_AWS_JOBS, else 8) per-resource calls run at once; throttled calls are
# retried with backoff (AWS_RETRY_MODE standard, AWS_MAX_ATTEMPTS 10, unless set).
set -euo pipefail
# mapfile needs bash 4, and empty arrays under `set -u` bash 4.4 (macOS ships 3.2: brew install bash).
if [ "${BASH_VERSINFO[0]}" -lt 4 ] || { [ "${BASH_VERSINFO[0]}" -eq 4 ] && [ "${BASH_VERSINFO[1]}" -lt 4 ]; }; then
  echo "snapshot-aws: bash 4.4 or later is needed (this is bash $BASH_VERSION)" >&2
  exit 1
fi

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

OUT=""
REGIONS=()
COMMON=()
ENDPOINT="${AWS_ENDPOINT_URL:-}"
JOBS="${SNAPSHOT_AWS_JOBS:-8}"
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --profile) COMMON+=(--profile "$2"); shift 2 ;;
    --region) REGIONS+=("$2"); shift 2 ;;
    --endpoint-url) ENDPOINT="$2"; shift 2 ;;
    --jobs) JOBS="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "snapshot-aws: unknown argument $1" >&2; usage 2 ;;
  esac
done
[ -n "$OUT" ] || { echo "snapshot-aws: --out DIR is required" >&2; usage 2; }
[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || { echo "snapshot-aws: --jobs takes a positive whole number, got $JOBS" >&2; exit 2; }
# Passed explicitly on every call: the CLI v1 honours AWS_ENDPOINT_URL for most services but not
# for all (its rds commands still go to rds.amazonaws.com).
[ -z "$ENDPOINT" ] || COMMON+=(--endpoint-url "$ENDPOINT")
# The CLI's standard retry mode backs off on throttling with jitter
# (https://docs.aws.amazon.com/cli/v1/userguide/cli-configure-retries.html).
export AWS_RETRY_MODE="${AWS_RETRY_MODE:-standard}" AWS_MAX_ATTEMPTS="${AWS_MAX_ATTEMPTS:-10}"
command -v aws >/dev/null || { echo "snapshot-aws: the AWS CLI (aws) is not installed" >&2; exit 1; }

HOME_REGION="${REGIONS[0]:-${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}}"
awscli() { aws "${COMMON[@]}" --region "$HOME_REGION" "$@"; }

ACCOUNT="$(awscli sts get-caller-identity --query Account --output text)"
DIR="$OUT/aws/$ACCOUNT"
mkdir -p "$DIR"
echo "snapshot-aws: account $ACCOUNT into $DIR" >&2

# A resource name as one file name: % / : percent-encoded (the reader decodes them).
encode() { local s="${1//%/%25}"; s="${s//\//%2F}"; printf '%s' "${s//:/%3A}"; }

# save BASE NAME [--absent-ok] -- aws args…: stdout to BASE/NAME.json; on failure stderr to BASE/NAME.error.
# With --absent-ok, "no such policy/tags" means the resource has none and nothing is written.
save() {
  local base="$1" name="$2" absent_ok=""; shift 2
  if [ "$1" = "--absent-ok" ]; then absent_ok=1; shift; fi
  [ "$1" = "--" ] && shift
  local file="$base/$name"
  mkdir -p "$(dirname "$file")"
  if aws "${COMMON[@]}" "$@" --output json >"$file.json.tmp" 2>"$file.stderr.tmp"; then
    if [ -s "$file.json.tmp" ]; then mv "$file.json.tmp" "$file.json"; else rm -f "$file.json.tmp"; fi
    rm -f "$file.stderr.tmp"
  else
    rm -f "$file.json.tmp"
    if [ -n "$absent_ok" ] && grep -qE 'NoSuch(BucketPolicy|TagSet|PublicAccessBlockConfiguration)|OwnershipControlsNotFoundError|ResourceNotFoundException|PolicyNotFound|RepositoryPolicyNotFoundException' "$file.stderr.tmp"; then
      rm -f "$file.stderr.tmp"
    else
      mv "$file.stderr.tmp" "$file.error"
      echo "snapshot-aws: $name failed: $(head -c 300 "$file.error")" >&2
    fi
  fi
}

# spawn CMD…: runs one per-resource step in the background, at most $JOBS at once. Each step writes
# its own files (through a temporary file and a rename), so steps never share a file.
RUNNING=0
spawn() {
  if [ "$RUNNING" -ge "$JOBS" ]; then wait -n || true; RUNNING=$((RUNNING - 1)); fi
  "$@" </dev/null &
  RUNNING=$((RUNNING + 1))
}
# settle: waits for every step spawned so far.
settle() { wait || true; RUNNING=0; }

# names ARGS…: the values a --query selects, one per line (a second, list-only call).
names() { aws "${COMMON[@]}" "$@" --output text 2>/dev/null | tr '\t' '\n' | grep -v -e '^None$' -e '^$' || true; }

# ── Global: IAM, STS, S3 ───────────────────────────────────────────────────────────────────────
save "$DIR" sts-get-caller-identity -- --region "$HOME_REGION" sts get-caller-identity
# The CLI follows every page itself and prints them merged.
save "$DIR" iam-get-account-authorization-details -- --region "$HOME_REGION" iam get-account-authorization-details
save "$DIR" iam-list-account-aliases -- --region "$HOME_REGION" iam list-account-aliases

# The credential report: generate (IAM's own read), wait until complete, decode its CSV.
for _ in $(seq 1 20); do
  [ "$(awscli iam generate-credential-report --query State --output text 2>/dev/null || echo FAILED)" = COMPLETE ] && break
  sleep 2
done
if content="$(awscli iam get-credential-report --query Content --output text 2>"$DIR/iam-credential-report.error.tmp")"; then
  printf '%s' "$content" | base64 -d >"$DIR/iam-credential-report.csv.tmp"
  mv "$DIR/iam-credential-report.csv.tmp" "$DIR/iam-credential-report.csv"
  rm -f "$DIR/iam-credential-report.error.tmp"
else
  mv "$DIR/iam-credential-report.error.tmp" "$DIR/iam-credential-report.error"
fi

mkdir -p "$DIR/iam-list-access-keys" "$DIR/iam-get-access-key-last-used"
user_keys() {
  local user="$1" key
  save "$DIR" "iam-list-access-keys/$(encode "$user")" -- --region "$HOME_REGION" iam list-access-keys --user-name "$user"
  for key in $(names --region "$HOME_REGION" iam list-access-keys --user-name "$user" --query 'AccessKeyMetadata[].AccessKeyId'); do
    save "$DIR" "iam-get-access-key-last-used/$key" -- --region "$HOME_REGION" iam get-access-key-last-used --access-key-id "$key"
  done
}
for user in $(names --region "$HOME_REGION" iam list-users --query 'Users[].UserName'); do
  spawn user_keys "$user"
done

save "$DIR" iam-list-open-id-connect-providers -- --region "$HOME_REGION" iam list-open-id-connect-providers
mkdir -p "$DIR/iam-get-open-id-connect-provider"
for arn in $(names --region "$HOME_REGION" iam list-open-id-connect-providers --query 'OpenIDConnectProviderList[].Arn'); do
  spawn save "$DIR" "iam-get-open-id-connect-provider/$(encode "${arn#*:oidc-provider/}")" -- \
    --region "$HOME_REGION" iam get-open-id-connect-provider --open-id-connect-provider-arn "$arn"
done
save "$DIR" iam-list-saml-providers -- --region "$HOME_REGION" iam list-saml-providers

save "$DIR" s3api-list-buckets -- --region "$HOME_REGION" s3api list-buckets
# The account's Block Public Access settings; none configured is "nothing blocked". S3 Control sends
# the call to <account id>.<endpoint host>, which an endpoint given as an IP address cannot take: the
# settings then stay uncollected (reachgraph says so), as in the SDK collector.
ENDPOINT_HOST="${ENDPOINT#*://}"; ENDPOINT_HOST="${ENDPOINT_HOST%%/*}"; ENDPOINT_HOST="${ENDPOINT_HOST%:*}"
if [ -n "$ENDPOINT" ] && [[ "$ENDPOINT_HOST" =~ ^[0-9.]+$|^\[ ]]; then
  echo "snapshot-aws: s3control-get-public-access-block skipped: S3 Control cannot be reached through the IP endpoint $ENDPOINT" >&2
else
  save "$DIR" s3control-get-public-access-block --absent-ok -- \
    --region "$HOME_REGION" s3control get-public-access-block --account-id "$ACCOUNT"
fi
for command in get-bucket-policy get-bucket-tagging get-bucket-location get-public-access-block get-bucket-acl get-bucket-ownership-controls; do
  mkdir -p "$DIR/s3api-$command"
done
for bucket in $(names --region "$HOME_REGION" s3api list-buckets --query 'Buckets[].Name'); do
  spawn save "$DIR" "s3api-get-bucket-policy/$bucket" --absent-ok -- --region "$HOME_REGION" s3api get-bucket-policy --bucket "$bucket"
  spawn save "$DIR" "s3api-get-bucket-tagging/$bucket" --absent-ok -- --region "$HOME_REGION" s3api get-bucket-tagging --bucket "$bucket"
  spawn save "$DIR" "s3api-get-bucket-location/$bucket" -- --region "$HOME_REGION" s3api get-bucket-location --bucket "$bucket"
  spawn save "$DIR" "s3api-get-public-access-block/$bucket" --absent-ok -- \
    --region "$HOME_REGION" s3api get-public-access-block --bucket "$bucket"
  spawn save "$DIR" "s3api-get-bucket-acl/$bucket" -- --region "$HOME_REGION" s3api get-bucket-acl --bucket "$bucket"
  # No ownership controls (OwnershipControlsNotFoundError) means ACLs are enabled.
  spawn save "$DIR" "s3api-get-bucket-ownership-controls/$bucket" --absent-ok -- \
    --region "$HOME_REGION" s3api get-bucket-ownership-controls --bucket "$bucket"
done

# ── Regional services, one folder per region ───────────────────────────────────────────────────
# Per-resource steps of several calls, run by `spawn` in the region $R (with ${r[@]}) of the loop.
dynamodb_table() {
  local table="$1" arn
  save "$R" "dynamodb-describe-table/$table" -- "${r[@]}" dynamodb describe-table --table-name "$table"
  arn="$(aws "${COMMON[@]}" "${r[@]}" dynamodb describe-table --table-name "$table" --query Table.TableArn --output text 2>/dev/null || true)"
  if [ -n "$arn" ] && [ "$arn" != None ]; then
    save "$R" "dynamodb-list-tags-of-resource/$table" -- "${r[@]}" dynamodb list-tags-of-resource --resource-arn "$arn"
    save "$R" "dynamodb-get-resource-policy/$table" --absent-ok -- "${r[@]}" dynamodb get-resource-policy --resource-arn "$arn"
  fi
}
opensearch_domain() {
  local domain="$1" arn
  save "$R" "opensearch-describe-domain/$domain" -- "${r[@]}" opensearch describe-domain --domain-name "$domain"
  arn="$(aws "${COMMON[@]}" "${r[@]}" opensearch describe-domain --domain-name "$domain" --query DomainStatus.ARN --output text 2>/dev/null || true)"
  if [ -n "$arn" ] && [ "$arn" != None ]; then
    save "$R" "opensearch-list-tags/$domain" -- "${r[@]}" opensearch list-tags --arn "$arn"
  fi
}
ecs_cluster() {
  local cluster="$1" cluster_name="${1##*/}" service
  save "$R" "ecs-list-services/$(encode "$cluster_name")" -- "${r[@]}" ecs list-services --cluster "$cluster"
  save "$R" "ecs-list-container-instances/$(encode "$cluster_name")" -- \
    "${r[@]}" ecs list-container-instances --cluster "$cluster"
  for service in $(names "${r[@]}" ecs list-services --cluster "$cluster" --query 'serviceArns[]'); do
    save "$R" "ecs-describe-services/$(encode "$cluster_name/${service##*/}")" -- \
      "${r[@]}" ecs describe-services --cluster "$cluster" --services "$service" --include TAGS
  done
}

eks_cluster() {
  local cluster="$1" principal association
  save "$R" "eks-describe-cluster/$(encode "$cluster")" -- "${r[@]}" eks describe-cluster --name "$cluster"
  save "$R" "eks-list-access-entries/$(encode "$cluster")" -- "${r[@]}" eks list-access-entries --cluster-name "$cluster"
  for principal in $(names "${r[@]}" eks list-access-entries --cluster-name "$cluster" --query 'accessEntries[]'); do
    save "$R" "eks-describe-access-entry/$(encode "$cluster/$principal")" -- \
      "${r[@]}" eks describe-access-entry --cluster-name "$cluster" --principal-arn "$principal"
    save "$R" "eks-list-associated-access-policies/$(encode "$cluster/$principal")" -- \
      "${r[@]}" eks list-associated-access-policies --cluster-name "$cluster" --principal-arn "$principal"
  done
  save "$R" "eks-list-pod-identity-associations/$(encode "$cluster")" -- \
    "${r[@]}" eks list-pod-identity-associations --cluster-name "$cluster"
  for association in $(names "${r[@]}" eks list-pod-identity-associations --cluster-name "$cluster" --query 'associations[].associationId'); do
    save "$R" "eks-describe-pod-identity-association/$(encode "$cluster/$association")" -- \
      "${r[@]}" eks describe-pod-identity-association --cluster-name "$cluster" --association-id "$association"
  done
}

if [ ${#REGIONS[@]} -eq 0 ]; then
  save "$DIR" ec2-describe-regions -- --region "$HOME_REGION" ec2 describe-regions
  mapfile -t REGIONS < <(names --region "$HOME_REGION" ec2 describe-regions --query 'Regions[].RegionName' | sort)
fi

for region in "${REGIONS[@]}"; do
  echo "snapshot-aws: region $region" >&2
  R="$DIR/$region"
  r=(--region "$region")
  mkdir -p "$R"/{kms-describe-key,kms-get-key-policy,kms-list-resource-tags,secretsmanager-get-resource-policy}
  mkdir -p "$R"/{dynamodb-describe-table,dynamodb-list-tags-of-resource,dynamodb-get-resource-policy}
  mkdir -p "$R"/{lambda-get-policy,lambda-list-tags,lambda-get-function-url-config}
  mkdir -p "$R"/{sagemaker-describe-notebook-instance,ecs-describe-task-definition}
  mkdir -p "$R"/{sqs-get-queue-attributes,sqs-list-queue-tags,sns-get-topic-attributes,sns-list-tags-for-resource}
  mkdir -p "$R"/{ecr-get-repository-policy,ecr-list-tags-for-resource,ssm-list-tags-for-resource}
  mkdir -p "$R"/{efs-describe-file-system-policy,opensearch-describe-domain,opensearch-list-tags}
  mkdir -p "$R"/{glacier-get-vault-access-policy,glacier-list-tags-for-vault}

  save "$R" kms-list-keys -- "${r[@]}" kms list-keys
  save "$R" kms-list-aliases -- "${r[@]}" kms list-aliases
  for key in $(names "${r[@]}" kms list-keys --query 'Keys[].KeyId'); do
    spawn save "$R" "kms-describe-key/$key" -- "${r[@]}" kms describe-key --key-id "$key"
    spawn save "$R" "kms-get-key-policy/$key" -- "${r[@]}" kms get-key-policy --key-id "$key" --policy-name default
    spawn save "$R" "kms-list-resource-tags/$key" -- "${r[@]}" kms list-resource-tags --key-id "$key"
  done

  # Secret metadata and resource policies only; never get-secret-value.
  save "$R" secretsmanager-list-secrets -- "${r[@]}" secretsmanager list-secrets
  while IFS= read -r secret; do
    [ -n "$secret" ] || continue
    spawn save "$R" "secretsmanager-get-resource-policy/$(encode "$secret")" --absent-ok -- \
      "${r[@]}" secretsmanager get-resource-policy --secret-id "$secret"
  done < <(names "${r[@]}" secretsmanager list-secrets --query 'SecretList[].Name')

  save "$R" dynamodb-list-tables -- "${r[@]}" dynamodb list-tables
  for table in $(names "${r[@]}" dynamodb list-tables --query 'TableNames[]'); do
    spawn dynamodb_table "$table"
  done

  save "$R" rds-describe-db-instances -- "${r[@]}" rds describe-db-instances
  save "$R" rds-describe-db-clusters -- "${r[@]}" rds describe-db-clusters

  save "$R" sqs-list-queues -- "${r[@]}" sqs list-queues
  # ListQueues answers nothing at all (not an empty list) in a region without queues.
  [ -e "$R/sqs-list-queues.json" ] || [ -e "$R/sqs-list-queues.error" ] || echo '{"QueueUrls": []}' >"$R/sqs-list-queues.json"
  for url in $(names "${r[@]}" sqs list-queues --query 'QueueUrls[]'); do
    queue="${url##*/}"
    spawn save "$R" "sqs-get-queue-attributes/$queue" -- "${r[@]}" sqs get-queue-attributes --queue-url "$url" --attribute-names All
    spawn save "$R" "sqs-list-queue-tags/$queue" -- "${r[@]}" sqs list-queue-tags --queue-url "$url"
  done

  save "$R" sns-list-topics -- "${r[@]}" sns list-topics
  for topic in $(names "${r[@]}" sns list-topics --query 'Topics[].TopicArn'); do
    spawn save "$R" "sns-get-topic-attributes/${topic##*:}" -- "${r[@]}" sns get-topic-attributes --topic-arn "$topic"
    spawn save "$R" "sns-list-tags-for-resource/${topic##*:}" -- "${r[@]}" sns list-tags-for-resource --resource-arn "$topic"
  done

  save "$R" ecr-describe-repositories -- "${r[@]}" ecr describe-repositories
  while read -r repository arn; do
    [ -n "$repository" ] || continue
    spawn save "$R" "ecr-get-repository-policy/$(encode "$repository")" --absent-ok -- \
      "${r[@]}" ecr get-repository-policy --repository-name "$repository"
    spawn save "$R" "ecr-list-tags-for-resource/$(encode "$repository")" -- "${r[@]}" ecr list-tags-for-resource --resource-arn "$arn"
  done < <(aws "${COMMON[@]}" "${r[@]}" ecr describe-repositories --query 'repositories[].[repositoryName,repositoryArn]' --output text 2>/dev/null || true)

  # Parameter metadata and tags only; never get-parameter.
  save "$R" ssm-describe-parameters -- "${r[@]}" ssm describe-parameters
  for parameter in $(names "${r[@]}" ssm describe-parameters --query 'Parameters[].Name'); do
    spawn save "$R" "ssm-list-tags-for-resource/$(encode "$parameter")" -- \
      "${r[@]}" ssm list-tags-for-resource --resource-type Parameter --resource-id "$parameter"
  done

  save "$R" efs-describe-file-systems -- "${r[@]}" efs describe-file-systems
  for fs in $(names "${r[@]}" efs describe-file-systems --query 'FileSystems[].FileSystemId'); do
    spawn save "$R" "efs-describe-file-system-policy/$fs" --absent-ok -- "${r[@]}" efs describe-file-system-policy --file-system-id "$fs"
  done

  save "$R" opensearch-list-domain-names -- "${r[@]}" opensearch list-domain-names
  for domain in $(names "${r[@]}" opensearch list-domain-names --query 'DomainNames[].DomainName'); do
    spawn opensearch_domain "$domain"
  done

  save "$R" apigateway-get-rest-apis -- "${r[@]}" apigateway get-rest-apis

  save "$R" glacier-list-vaults -- "${r[@]}" glacier list-vaults --account-id -
  for vault in $(names "${r[@]}" glacier list-vaults --account-id - --query 'VaultList[].VaultName'); do
    spawn save "$R" "glacier-get-vault-access-policy/$vault" --absent-ok -- \
      "${r[@]}" glacier get-vault-access-policy --account-id - --vault-name "$vault"
    spawn save "$R" "glacier-list-tags-for-vault/$vault" -- "${r[@]}" glacier list-tags-for-vault --account-id - --vault-name "$vault"
  done

  save "$R" lambda-list-functions -- "${r[@]}" lambda list-functions
  while read -r name arn; do
    [ -n "$name" ] || continue
    spawn save "$R" "lambda-get-policy/$name" --absent-ok -- "${r[@]}" lambda get-policy --function-name "$name"
    spawn save "$R" "lambda-list-tags/$name" -- "${r[@]}" lambda list-tags --resource "$arn"
    spawn save "$R" "lambda-get-function-url-config/$name" --absent-ok -- "${r[@]}" lambda get-function-url-config --function-name "$name"
  done < <(aws "${COMMON[@]}" "${r[@]}" lambda list-functions --query 'Functions[].[FunctionName,FunctionArn]' --output text 2>/dev/null || true)

  save "$R" ec2-describe-instances -- "${r[@]}" ec2 describe-instances
  save "$R" glue-get-dev-endpoints -- "${r[@]}" glue get-dev-endpoints
  save "$R" sagemaker-list-notebook-instances -- "${r[@]}" sagemaker list-notebook-instances
  for notebook in $(names "${r[@]}" sagemaker list-notebook-instances --query 'NotebookInstances[].NotebookInstanceName'); do
    spawn save "$R" "sagemaker-describe-notebook-instance/$notebook" -- \
      "${r[@]}" sagemaker describe-notebook-instance --notebook-instance-name "$notebook"
  done
  save "$R" cloudformation-describe-stacks -- "${r[@]}" cloudformation describe-stacks
  save "$R" codebuild-list-projects -- "${r[@]}" codebuild list-projects
  mapfile -t projects < <(names "${r[@]}" codebuild list-projects --query 'projects[]')
  # batch-get-projects takes at most 100 names; larger accounts get the first 100 here.
  if [ ${#projects[@]} -gt 0 ]; then
    spawn save "$R" codebuild-batch-get-projects -- "${r[@]}" codebuild batch-get-projects --names "${projects[@]:0:100}"
  fi
  save "$R" ecs-list-task-definitions -- "${r[@]}" ecs list-task-definitions
  for definition in $(names "${r[@]}" ecs list-task-definitions --query 'taskDefinitionArns[]'); do
    spawn save "$R" "ecs-describe-task-definition/$(encode "${definition#*:task-definition/}")" -- \
      "${r[@]}" ecs describe-task-definition --task-definition "$definition" --include TAGS
  done
  # Clusters, their container instances and services (one describe-services per service: one file each).
  mkdir -p "$R"/{ecs-list-services,ecs-describe-services,ecs-list-container-instances}
  save "$R" ecs-list-clusters -- "${r[@]}" ecs list-clusters
  for cluster in $(names "${r[@]}" ecs list-clusters --query 'clusterArns[]'); do
    spawn ecs_cluster "$cluster"
  done

  # Cognito identity pools (unauthenticated access, flows, roles) and user pools (self sign-up).
  mkdir -p "$R"/{cognito-identity-describe-identity-pool,cognito-identity-get-identity-pool-roles,cognito-idp-describe-user-pool}
  save "$R" cognito-identity-list-identity-pools -- "${r[@]}" cognito-identity list-identity-pools --max-results 60
  for pool in $(names "${r[@]}" cognito-identity list-identity-pools --max-results 60 --query 'IdentityPools[].IdentityPoolId'); do
    spawn save "$R" "cognito-identity-describe-identity-pool/$(encode "$pool")" -- \
      "${r[@]}" cognito-identity describe-identity-pool --identity-pool-id "$pool"
    spawn save "$R" "cognito-identity-get-identity-pool-roles/$(encode "$pool")" -- \
      "${r[@]}" cognito-identity get-identity-pool-roles --identity-pool-id "$pool"
  done
  save "$R" cognito-idp-list-user-pools -- "${r[@]}" cognito-idp list-user-pools --max-results 60
  for pool in $(names "${r[@]}" cognito-idp list-user-pools --max-results 60 --query 'UserPools[].Id'); do
    spawn save "$R" "cognito-idp-describe-user-pool/$(encode "$pool")" -- "${r[@]}" cognito-idp describe-user-pool --user-pool-id "$pool"
  done

  # EKS clusters: access entries with their access policies, and pod identity associations.
  mkdir -p "$R"/{eks-describe-cluster,eks-list-access-entries,eks-describe-access-entry,eks-list-associated-access-policies}
  mkdir -p "$R"/{eks-list-pod-identity-associations,eks-describe-pod-identity-association}
  save "$R" eks-list-clusters -- "${r[@]}" eks list-clusters
  for cluster in $(names "${r[@]}" eks list-clusters --query 'clusters[]'); do
    spawn eks_cluster "$cluster"
  done
done

settle

# ── Organization, when this account may read it ────────────────────────────────────────────────
if awscli organizations list-roots --output json >/dev/null 2>&1; then
  echo "snapshot-aws: organization" >&2
  O="$OUT/aws/organization"
  mkdir -p "$O"/{organizations-list-organizational-units-for-parent,organizations-list-accounts-for-parent}
  mkdir -p "$O"/{organizations-describe-policy,organizations-list-targets-for-policy}
  o=(--region "$HOME_REGION")
  save "$O" organizations-describe-organization -- "${o[@]}" organizations describe-organization
  save "$O" organizations-list-roots -- "${o[@]}" organizations list-roots
  save "$O" organizations-list-accounts -- "${o[@]}" organizations list-accounts
  mapfile -t queue < <(names "${o[@]}" organizations list-roots --query 'Roots[].Id')
  while [ ${#queue[@]} -gt 0 ]; do
    parent="${queue[0]}"
    queue=("${queue[@]:1}")
    save "$O" "organizations-list-organizational-units-for-parent/$parent" -- \
      "${o[@]}" organizations list-organizational-units-for-parent --parent-id "$parent"
    save "$O" "organizations-list-accounts-for-parent/$parent" -- \
      "${o[@]}" organizations list-accounts-for-parent --parent-id "$parent"
    mapfile -t -O "${#queue[@]}" queue < <(names "${o[@]}" organizations list-organizational-units-for-parent \
      --parent-id "$parent" --query 'OrganizationalUnits[].Id')
  done
  for type in SERVICE_CONTROL_POLICY RESOURCE_CONTROL_POLICY; do
    save "$O" "organizations-list-policies-$type" -- "${o[@]}" organizations list-policies --filter "$type"
    for policy in $(names "${o[@]}" organizations list-policies --filter "$type" --query 'Policies[].Id'); do
      spawn save "$O" "organizations-describe-policy/$policy" -- "${o[@]}" organizations describe-policy --policy-id "$policy"
      spawn save "$O" "organizations-list-targets-for-policy/$policy" -- \
        "${o[@]}" organizations list-targets-for-policy --policy-id "$policy"
    done
  done
fi

settle
echo "snapshot-aws: done: $DIR" >&2
