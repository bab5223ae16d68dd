/**
 * EKS clusters as the EKS API describes them: the facts that decide who enters a cluster from AWS
 * and which AWS role a pod may become. Read by the cross-provider rules
 * (src/analyzers/cross-provider/eks-*.ts); the Kubernetes objects themselves come from the
 * Kubernetes provider.
 */

/** `accessConfig.authenticationMode` (https://docs.aws.amazon.com/eks/latest/userguide/grant-k8s-access.html#set-cam). */
export type EksAuthenticationMode = 'API' | 'API_AND_CONFIG_MAP' | 'CONFIG_MAP';

export interface EksAccessPolicyAssociation {
  /** `arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`. */
  policyArn: string;
  /** `cluster`, or `namespace` with the namespaces (a trailing `*` is a prefix match). */
  accessScope: { type: 'cluster' | 'namespace'; namespaces: string[] };
}

export interface EksAccessEntry {
  accessEntryArn?: string;
  principalArn: string;
  /** STANDARD, EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX, HYBRID_LINUX… */
  type: string;
  username?: string;
  kubernetesGroups: string[];
  accessPolicies: EksAccessPolicyAssociation[];
}

export interface EksPodIdentityAssociation {
  associationArn?: string;
  associationId: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  /** Set when the role is assumed in another account through role chaining. */
  targetRoleArn?: string;
}

export interface EksClusterData {
  arn: string;
  name: string;
  accountId: string;
  region?: string;
  /** `identity.oidc.issuer`. */
  oidcIssuer?: string;
  endpoint?: string;
  /** Absent when describe-cluster did not say (clusters created before access entries: CONFIG_MAP). */
  authenticationMode?: EksAuthenticationMode;
  accessEntries: EksAccessEntry[];
  podIdentityAssociations: EksPodIdentityAssociation[];
  /** Which of the cluster's lists were read (a list not read is unknown, not empty). */
  collected: { accessEntries: boolean; podIdentityAssociations: boolean };
}
