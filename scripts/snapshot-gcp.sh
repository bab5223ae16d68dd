#!/usr/bin/env bash
# Writes a reachgraph GCP snapshot (docs/snapshots.md, docs/gcp.md) with the Cloud SDK alone (gcloud,
# and bq for BigQuery), for audits where reachgraph itself never sees credentials. Read-only commands
# only (docs/permissions.md); service-account keys are listed, never created, so no key material is
# ever written.
#
#   scripts/snapshot-gcp.sh --out DIR [--organization ID] [--folder ID]... [--project ID]... [--no-groups]
#   scripts/snapshot-gcp.sh --out DIR --cai --organization ID [--no-groups]
#
# Writes DIR/gcp/organization/, DIR/gcp/folders/<id>/ and DIR/gcp/projects/<id>/ as listed in
# src/collectors/gcp/layout.ts. Without --project, every project gcloud lists is written. With --cai,
# writes the organization's Cloud Asset Inventory (DIR/gcp/cai/, two `gcloud asset list` calls) and the
# deny policies of the organization and of each folder and project in it beside it. Either way, the
# members of every group the policies name (nested groups followed) go to DIR/gcp/organization/groups/
# (Cloud Identity; --no-groups skips them).
set -euo pipefail

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

OUT=""; ORG=""; FOLDERS=(); PROJECTS=(); CAI=0; WITH_GROUPS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --organization) ORG="$2"; shift 2 ;;
    --folder) FOLDERS+=("$2"); shift 2 ;;
    --project) PROJECTS+=("$2"); shift 2 ;;
    --cai) CAI=1; shift ;;
    --no-groups) WITH_GROUPS=0; shift ;;
    -h|--help) usage 0 ;;
    *) echo "snapshot-gcp: unknown argument $1" >&2; usage 1 ;;
  esac
done
[ -n "$OUT" ] || { echo "snapshot-gcp: --out DIR is required" >&2; usage 1; }
command -v gcloud >/dev/null || { echo "snapshot-gcp: gcloud is not on PATH" >&2; exit 1; }

# One JSON array of `gcloud … describe` outputs, one per name read from stdin.
describe_each() { local first=1; echo "["; while read -r name; do [ -n "$name" ] || continue
  [ $first -eq 1 ] || echo ","; first=0; "$@" "$name" --format=json; done; echo "]"; }

# Deny policies attached to a resource (IAM v2), each in full.
deny_policies() { local point="cloudresourcemanager.googleapis.com/$1"
  gcloud iam policies list --attachment-point="$point" --kind=denypolicies --format='value(name.basename())' 2>/dev/null |
    describe_each gcloud iam policies get --attachment-point="$point" --kind=denypolicies; }

# A JSON string of one line of text (gcloud's error messages).
json_string() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\t'/ }; s=${s//$'\r'/ }; printf '"%s"' "${s//$'\n'/ }"; }

# Cloud Identity group members (GROUPS_FOLDER in src/collectors/gcp/layout.ts): for every group the
# written policies name (`group:G` in allow policies, `principalSet://goog/group/G` in deny policies),
# `gcloud identity groups memberships list` into organization/groups/G.json, then the same for each
# member of type GROUP, once each. A group whose members gcloud cannot list (permission denied, a
# group of another customer) is written as {"unreadable": "<gcloud's error>"}: its members are
# unknown, which is not the same as none.
group_members() {
  [ "$WITH_GROUPS" -eq 1 ] || return 0
  local d="$OUT/gcp/organization/groups" queue=() group file err
  mkdir -p "$d"
  mapfile -t queue < <(grep -rhoE '"group:[^"]+"|principalSet://goog/group/[^"]+' "$OUT/gcp" 2>/dev/null |
    sed -E 's#^"group:##; s#"$##; s#^principalSet://goog/group/##' | tr '[:upper:]' '[:lower:]' | sort -u)
  while [ ${#queue[@]} -gt 0 ]; do
    group="${queue[0]}"; queue=("${queue[@]:1}")
    file="$d/$group.json"
    [ -e "$file" ] && continue
    if gcloud identity groups memberships list --group-email="$group" --format=json >"$file.tmp" 2>"$file.err"; then
      mv "$file.tmp" "$file"
      mapfile -t -O "${#queue[@]}" queue < <(gcloud identity groups memberships list --group-email="$group" \
        --filter='type=GROUP' --format='value(preferredMemberKey.id)' | tr '[:upper:]' '[:lower:]')
    else
      err=$(grep -v '^[[:space:]]*$' "$file.err" | head -n 1)
      echo "snapshot-gcp: the members of group $group cannot be read: ${err:-no message}" >&2
      printf '{"unreadable": %s}\n' "$(json_string "${err:-gcloud identity groups memberships list failed}")" >"$file"
      rm -f "$file.tmp"
    fi
    rm -f "$file.err"
  done
}

if [ "$CAI" -eq 1 ]; then
  [ -n "$ORG" ] || { echo "snapshot-gcp: --cai needs --organization ID" >&2; exit 1; }
  # The asset types reachgraph reads (CAI_ASSET_TYPES in src/collectors/gcp/layout.ts).
  types=cloudresourcemanager.googleapis.com/Organization,cloudresourcemanager.googleapis.com/Folder,cloudresourcemanager.googleapis.com/Project,iam.googleapis.com/ServiceAccount,iam.googleapis.com/ServiceAccountKey,iam.googleapis.com/Role,iam.googleapis.com/WorkloadIdentityPool,iam.googleapis.com/WorkloadIdentityPoolProvider,storage.googleapis.com/Bucket,bigquery.googleapis.com/Dataset,secretmanager.googleapis.com/Secret,cloudkms.googleapis.com/CryptoKey,pubsub.googleapis.com/Topic,sqladmin.googleapis.com/Instance
  d="$OUT/gcp/cai"; mkdir -p "$d"
  for content in resource iam-policy; do
    gcloud asset list --organization "$ORG" --asset-types="$types" --content-type="$content" --format=json >"$d/$content.json.tmp"
    mv "$d/$content.json.tmp" "$d/$content.json"
  done
  # Cloud Asset Inventory exports no deny policies: they sit beside the export, one file per level.
  mkdir -p "$OUT/gcp/organization"
  deny_policies "organizations/$ORG" >"$OUT/gcp/organization/deny-policies.json"
  for folder in $(gcloud asset list --organization "$ORG" --asset-types=cloudresourcemanager.googleapis.com/Folder --format='value(name.basename())'); do
    mkdir -p "$OUT/gcp/folders/$folder"; deny_policies "folders/$folder" >"$OUT/gcp/folders/$folder/deny-policies.json"
  done
  for project in $(gcloud asset list --organization "$ORG" --asset-types=cloudresourcemanager.googleapis.com/Project --format='value(resource.data.projectId)'); do
    mkdir -p "$OUT/gcp/projects/$project"; deny_policies "projects/$project" >"$OUT/gcp/projects/$project/deny-policies.json"
  done
  group_members
  echo "snapshot-gcp: wrote $OUT/gcp (Cloud Asset Inventory form)"
  exit 0
fi

[ ${#PROJECTS[@]} -gt 0 ] || mapfile -t PROJECTS < <(gcloud projects list --format='value(projectId)')
if [ -n "$ORG" ]; then
  d="$OUT/gcp/organization"; mkdir -p "$d"
  gcloud organizations describe "$ORG" --format=json >"$d/describe.json"
  gcloud organizations get-iam-policy "$ORG" --format=json >"$d/iam-policy.json"
  deny_policies "organizations/$ORG" >"$d/deny-policies.json"
  gcloud iam roles list --organization "$ORG" --format='value(name.basename())' |
    describe_each gcloud iam roles describe --organization "$ORG" >"$d/custom-roles.json"
fi

for folder in "${FOLDERS[@]}"; do
  d="$OUT/gcp/folders/$folder"; mkdir -p "$d"
  gcloud resource-manager folders describe "$folder" --format=json >"$d/describe.json"
  gcloud resource-manager folders get-iam-policy "$folder" --format=json >"$d/iam-policy.json"
  deny_policies "folders/$folder" >"$d/deny-policies.json"
done

for project in "${PROJECTS[@]}"; do
  d="$OUT/gcp/projects/$project"; mkdir -p "$d"
  gcloud projects describe "$project" --format=json >"$d/describe.json"
  gcloud projects get-iam-policy "$project" --format=json >"$d/iam-policy.json"
  deny_policies "projects/$project" >"$d/deny-policies.json"
  gcloud iam roles list --project "$project" --format='value(name.basename())' |
    describe_each gcloud iam roles describe --project "$project" >"$d/custom-roles.json"
  gcloud iam service-accounts list --project "$project" --format=json >"$d/service-accounts.json"
  mkdir -p "$d/service-account-keys" "$d/service-account-iam-policies"
  for email in $(gcloud iam service-accounts list --project "$project" --format='value(email)'); do
    gcloud iam service-accounts keys list --iam-account "$email" --format=json >"$d/service-account-keys/$email.json"
    gcloud iam service-accounts get-iam-policy "$email" --format=json >"$d/service-account-iam-policies/$email.json"
  done
  # When each key last authenticated (Policy Analyzer; optional: without the API its last use is unknown).
  if gcloud policy-intelligence query-activity --activity-type=serviceAccountKeyLastAuthentication \
    --project="$project" --format=json >"$d/service-account-key-last-authentication.json.tmp" 2>/dev/null; then
    mv "$d/service-account-key-last-authentication.json.tmp" "$d/service-account-key-last-authentication.json"
  else
    rm -f "$d/service-account-key-last-authentication.json.tmp"
    echo "snapshot-gcp: keys' last authentication of $project not read (Policy Analyzer API)" >&2
  fi
  gcloud iam workload-identity-pools list --location=global --project "$project" --format=json >"$d/workload-identity-pools.json"
  mkdir -p "$d/workload-identity-providers"
  for pool in $(gcloud iam workload-identity-pools list --location=global --project "$project" --format='value(name.basename())'); do
    gcloud iam workload-identity-pools providers list --workload-identity-pool "$pool" --location=global \
      --project "$project" --format=json >"$d/workload-identity-providers/$pool.json"
  done
  gcloud storage buckets list --project "$project" --format=json >"$d/buckets.json"
  mkdir -p "$d/bucket-iam-policies"
  for bucket in $(gcloud storage buckets list --project "$project" --format='value(name)'); do
    gcloud storage buckets get-iam-policy "gs://$bucket" --format=json >"$d/bucket-iam-policies/$bucket.json"
  done
  gcloud secrets list --project "$project" --format=json >"$d/secrets.json"
  mkdir -p "$d/secret-iam-policies"
  for secret in $(gcloud secrets list --project "$project" --format='value(name.basename())'); do
    gcloud secrets get-iam-policy "$secret" --project "$project" --format=json >"$d/secret-iam-policies/$secret.json"
  done
  gcloud pubsub topics list --project "$project" --format=json >"$d/pubsub-topics.json"
  mkdir -p "$d/pubsub-topic-iam-policies"
  for topic in $(gcloud pubsub topics list --project "$project" --format='value(name.basename())'); do
    gcloud pubsub topics get-iam-policy "$topic" --project "$project" --format=json >"$d/pubsub-topic-iam-policies/$topic.json"
  done
  # Cloud SQL: no per-instance IAM policy (project bindings decide).
  gcloud sql instances list --project "$project" --format=json >"$d/sql-instances.json"
  mkdir -p "$d/kms-key-iam-policies"; keys="["; sep=""
  for ring in $(gcloud kms keyrings list --location=- --project "$project" --format='value(name)' 2>/dev/null); do
    loc=$(echo "$ring" | cut -d/ -f4); ringid=$(basename "$ring")
    listed=$(gcloud kms keys list --keyring "$ringid" --location "$loc" --project "$project" --format=json)
    inner=$(echo "$listed" | sed '1s/^\[//; $s/\]$//')
    if [ -n "$(echo "$inner" | tr -d '[:space:]')" ]; then keys+="$sep$inner"; sep=","; fi
    for key in $(gcloud kms keys list --keyring "$ringid" --location "$loc" --project "$project" --format='value(name.basename())'); do
      gcloud kms keys get-iam-policy "$key" --keyring "$ringid" --location "$loc" --project "$project" --format=json \
        >"$d/kms-key-iam-policies/$loc.$ringid.$key.json"
    done
  done
  echo "$keys]" >"$d/kms-keys.json"
  if command -v bq >/dev/null; then
    bq ls --project_id "$project" --format=json >"$d/bigquery-datasets.json"
    mkdir -p "$d/bigquery-dataset-iam-policies"
    for dataset in $(bq ls --project_id "$project" --format=json | grep -o '"datasetId": *"[^"]*"' | cut -d'"' -f4); do
      bq get-iam-policy --format=prettyjson "$project:$dataset" >"$d/bigquery-dataset-iam-policies/$dataset.json"
    done
  fi
done
group_members
echo "snapshot-gcp: wrote $OUT/gcp"
