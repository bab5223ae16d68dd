import { DEFAULT_PARTITION, PARTITION } from '../../../model/aws/partitions.js';
import type { RequestPrincipal } from '../engine/types.js';

/**
 * Graph ids of principals that are not collected IAM users or roles, and the request principal
 * each stands for: an account root (`arn:aws:iam::<acct>:root`), a service
 * (`aws:service:<service>`), anyone (`public:aws`), or a principal as a policy names it
 * (`external:<ARN, account id or web identity domain>`, or a bare IAM ARN outside the collected data).
 */

export const PUBLIC_AWS = 'public:aws';

/** An account's root ARN, in the partition of the policy or account that names it. */
export const accountRootArn = (accountId: string, partition: string) =>
  `arn:${partition}:iam::${accountId}:root`;
export const servicePrincipalId = (service: string) => `aws:service:${service.toLowerCase()}`;

/**
 * The ExternalPrincipal id for a principal as a policy names it. A bare account id and its root
 * ARN are one principal, so both become the root ARN, in the partition of the policy naming it
 * (trust and resource policies never reach across partitions).
 */
export function externalPrincipalId(value: string, partition: string): string {
  return `external:${/^\d{12}$/.test(value) ? accountRootArn(value, partition) : value}`;
}

const ROOT = new RegExp(`^arn:(${PARTITION}):iam::(\\d{12}):root$`);
const IAM = new RegExp(`^arn:(${PARTITION}):iam::(\\d{12}):(user|role)/.+$`);
const SESSION = new RegExp(`^arn:(${PARTITION}):sts::(\\d{12}):assumed-role/([^/]+)/.+$`);
const PROVIDER = new RegExp(`^arn:(${PARTITION}):iam::(\\d{12}):(oidc-provider|saml-provider)/.+$`);

/** The account a principal value names as a whole: a bare account id or its root ARN. */
export function accountNamed(value: string): string | undefined {
  return /^\d{12}$/.test(value) ? value : ROOT.exec(value)?.[2];
}

/** The account and role name of a role session ARN (`arn:…:sts::<account>:assumed-role/<role>/<session>`). */
export function sessionNamed(value: string): { accountId: string; roleName: string } | undefined {
  const m = SESSION.exec(value);
  return m ? { accountId: m[2] as string, roleName: m[3] as string } : undefined;
}
/** A web identity provider a trust names by domain (`cognito-identity.amazonaws.com`, `accounts.google.com`). */
const WEB_IDENTITY_DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

/** The request principal a non-collected principal id stands for; undefined when unrecognized. */
export function requestPrincipalForId(id: string): RequestPrincipal | undefined {
  if (id === PUBLIC_AWS) return { arn: '*', kind: 'anonymous' };
  if (id.startsWith('aws:service:')) {
    const service = id.slice('aws:service:'.length);
    return { arn: service, kind: 'service', service };
  }
  const value = id.startsWith('external:') ? id.slice('external:'.length) : id;
  if (/^\d{12}$/.test(value))
    return { arn: accountRootArn(value, DEFAULT_PARTITION), kind: 'root', accountId: value };
  let m = ROOT.exec(value);
  if (m) return { arn: value, kind: 'root', accountId: m[2] as string };
  m = IAM.exec(value);
  if (m) return { arn: value, kind: m[3] === 'user' ? 'user' : 'role', accountId: m[2] as string };
  m = SESSION.exec(value);
  if (m)
    return {
      arn: `arn:${m[1]}:iam::${m[2]}:role/${m[3]}`,
      kind: 'role',
      accountId: m[2] as string,
      sessionArn: value,
    };
  m = PROVIDER.exec(value);
  if (m) return { arn: value, kind: 'federated', service: value };
  if (WEB_IDENTITY_DOMAIN.test(value)) return { arn: value, kind: 'federated', service: value };
  return undefined;
}
