#!/usr/bin/env bash
# Writes a reachgraph Kubernetes snapshot (docs/snapshots.md, docs/kubernetes.md) with nothing but
# kubectl and jq, for audits where reachgraph itself never sees credentials. Read-only verbs only
# (docs/permissions.md). No secret value is ever written to disk: secrets are piped through jq,
# which drops data, stringData and the last-applied annotation before anything is written.
#
#   scripts/snapshot-kubernetes.sh --out DIR [--context NAME]... [--cluster NAME]
#
# Each context (default: the current one) is written to DIR/kubernetes/<cluster>/, the cluster
# named by the context (or --cluster, with one context). Add user-groups.json and cluster.json by
# hand where they apply (docs/kubernetes.md).
set -euo pipefail

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

OUT=""
CONTEXTS=()
CLUSTER=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --context) CONTEXTS+=("$2"); shift 2 ;;
    --cluster) CLUSTER="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "snapshot-kubernetes: unknown argument $1" >&2; usage 1 ;;
  esac
done
[ -n "$OUT" ] || { echo "snapshot-kubernetes: --out DIR is required" >&2; usage 1; }
command -v kubectl >/dev/null || { echo "snapshot-kubernetes: kubectl is not on PATH" >&2; exit 1; }
command -v jq >/dev/null || { echo "snapshot-kubernetes: jq is not on PATH" >&2; exit 1; }
[ ${#CONTEXTS[@]} -gt 0 ] || CONTEXTS=("$(kubectl config current-context)")
if [ -n "$CLUSTER" ] && [ ${#CONTEXTS[@]} -ne 1 ]; then
  echo "snapshot-kubernetes: --cluster names one cluster: give one --context" >&2; exit 1
fi

# The kinds listed, as in src/collectors/kubernetes/kinds.ts (a unit test keeps the two equal).
KINDS=(namespaces nodes serviceaccounts pods clusterroles clusterrolebindings roles rolebindings
  deployments daemonsets statefulsets replicasets jobs cronjobs certificatesigningrequests
  validatingwebhookconfigurations mutatingwebhookconfigurations services endpointslices)

for CONTEXT in "${CONTEXTS[@]}"; do
  NAME="${CLUSTER:-$CONTEXT}"
  case "$NAME" in *[:/\ ]*)
    echo "snapshot-kubernetes: cluster name \"$NAME\" holds \":\", \"/\" or a space: give --cluster NAME" >&2; exit 1 ;;
  esac
  DIR="$OUT/kubernetes/$NAME"
  mkdir -p "$DIR"
  K=(kubectl --context "$CONTEXT")
  for KIND in "${KINDS[@]}"; do
    if ! "${K[@]}" get "$KIND" -A -o json > "$DIR/$KIND.json.tmp" 2> "$DIR/$KIND.err"; then
      echo "snapshot-kubernetes: $NAME: $KIND not collected: $(cat "$DIR/$KIND.err")" >&2
      rm -f "$DIR/$KIND.json.tmp"
    else
      if [ "$KIND" = certificatesigningrequests ]; then
        jq 'del(.items[].spec.request, .items[].status.certificate)' "$DIR/$KIND.json.tmp" > "$DIR/$KIND.json"
        rm -f "$DIR/$KIND.json.tmp"
      else
        mv "$DIR/$KIND.json.tmp" "$DIR/$KIND.json"
      fi
    fi
    rm -f "$DIR/$KIND.err"
  done
  # Secrets: metadata and type only, stripped in the pipe before anything reaches the disk.
  if ! "${K[@]}" get secrets -A -o json \
    | jq '.items |= map({apiVersion, kind, type, metadata: (.metadata
            | del(.managedFields, .annotations["kubectl.kubernetes.io/last-applied-configuration"]))})' \
    > "$DIR/secrets.json"; then
    echo "snapshot-kubernetes: $NAME: secrets not collected" >&2
    rm -f "$DIR/secrets.json"
  fi
  # Only kube-system/aws-auth of the ConfigMaps, as a List.
  if AUTH=$("${K[@]}" get configmap aws-auth -n kube-system -o json 2>/dev/null); then
    printf '%s' "$AUTH" | jq '{apiVersion: "v1", kind: "List", items: [.]}' > "$DIR/configmaps.json"
  elif "${K[@]}" auth can-i get configmaps/aws-auth -n kube-system >/dev/null 2>&1; then
    echo '{"apiVersion": "v1", "kind": "List", "items": []}' > "$DIR/configmaps.json"
  fi
  # The service-account issuer (EKS IRSA), when the API server serves discovery.
  if ISSUER=$("${K[@]}" get --raw /.well-known/openid-configuration 2>/dev/null | jq -r '.issuer // empty'); then
    [ -z "$ISSUER" ] || jq -n --arg i "$ISSUER" '{oidcIssuer: $i}' > "$DIR/cluster.json"
  fi
  echo "snapshot-kubernetes: wrote $DIR" >&2
done
