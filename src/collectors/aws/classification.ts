import type { AwsResourceType, AwsUserData, Tags } from '../../model/aws/environment.js';
import type { Environment, NhiType, Sensitivity } from '../../model/properties.js';
import { NHI_TYPES } from '../../model/properties.js';
import { RESOURCE_KINDS } from './services/registry.js';

/**
 * How AWS principals and resources are classified: which identities are non-human (and what
 * kind), which environment a node belongs to, and how sensitive a data store is. Every rule is
 * data with a default, so a configuration file can override any part of it.
 */
export interface AwsClassificationOptions {
  /** Account id → environment, used when a node's own tags do not say. */
  accountEnvironments?: Record<string, Environment>;
  /** Tag keys naming the environment, matched case-insensitively. */
  environmentTagKeys?: string[];
  /** Words (in tag values and names) meaning each environment. */
  environmentWords?: Partial<Record<Exclude<Environment, 'unknown'>, string[]>>;
  /** Tag keys naming data sensitivity, matched case-insensitively. */
  sensitivityTagKeys?: string[];
  /** Tag values (lower case) → sensitivity. */
  sensitivityTagValues?: Record<string, Sensitivity>;
  /** Words in a resource name meaning a sensitivity, tried after tags. */
  sensitivityWords?: Partial<Record<Exclude<Sensitivity, 'unknown'>, string[]>>;
  /** Sensitivity by resource type, when neither tags nor name decide. */
  sensitivityByType?: Partial<Record<AwsResourceType, Sensitivity>>;
  /** Tag keys whose value names a user's NHI type (`ci-pipeline`, `bot`… or `human`). */
  nhiTypeTagKeys?: string[];
  /** Regular expressions (case-insensitive) on IAM user names → NHI type, tried in order. */
  userNameRules?: { pattern: string; nhiType: NhiType }[];
  /** Collection time, for credential ages (default: now). */
  now?: Date;
}

const DEFAULT_AWS_CLASSIFICATION: Required<Omit<AwsClassificationOptions, 'now'>> = {
  accountEnvironments: {},
  environmentTagKeys: ['env', 'environment', 'stage'],
  environmentWords: {
    production: ['prod', 'production', 'prd', 'live'],
    staging: ['staging', 'stage', 'stg', 'uat', 'preprod'],
    development: ['dev', 'develop', 'development', 'test', 'testing', 'qa', 'sandbox', 'sbx'],
  },
  sensitivityTagKeys: ['data-classification', 'sensitivity', 'classification'],
  sensitivityTagValues: {
    restricted: 'high',
    confidential: 'high',
    secret: 'high',
    pii: 'high',
    phi: 'high',
    pci: 'high',
    high: 'high',
    critical: 'high',
    internal: 'medium',
    private: 'medium',
    medium: 'medium',
    public: 'low',
    low: 'low',
  },
  sensitivityWords: {
    high: [
      'pii',
      'customer',
      'customers',
      'payment',
      'payments',
      'card',
      'cards',
      'billing',
      'finance',
      'ssn',
      'credential',
      'credentials',
      'secret',
      'secrets',
      'password',
      'passwords',
      'backup',
      'backups',
      'users',
      'orders',
      'patients',
      'health',
    ],
    low: [
      'log',
      'logs',
      'logging',
      'tmp',
      'temp',
      'cache',
      'artifact',
      'artifacts',
      'public',
      'static',
      'assets',
      'website',
    ],
  },
  // Each service declares the sensitivity of its data stores (src/collectors/aws/services/).
  sensitivityByType: Object.fromEntries(
    [...RESOURCE_KINDS.values()].flatMap((r) => (r.sensitivity ? [[r.type, r.sensitivity]] : [])),
  ),
  nhiTypeTagKeys: ['nhi-type', 'nhitype', 'identity-type'],
  userNameRules: [
    {
      pattern:
        '(^|[-_.@])(ci|cd|cicd|github|gitlab|jenkins|circleci|buildkite|bitbucket|pipeline|deploy|deployer|terraform|atlantis|spinnaker|argocd)($|[-_.@\\d])',
      nhiType: 'ci-pipeline',
    },
    {
      pattern: '(^|[-_.@])(bot|robot|svc|service|automation|integration|app|api)($|[-_.@\\d])',
      nhiType: 'bot',
    },
  ],
};

/** Options merged over the defaults (maps merged key by key, lists replaced). */
export function classificationOptions(
  options: AwsClassificationOptions = {},
): Required<AwsClassificationOptions> {
  const d = DEFAULT_AWS_CLASSIFICATION;
  return {
    accountEnvironments: { ...d.accountEnvironments, ...options.accountEnvironments },
    environmentTagKeys: options.environmentTagKeys ?? d.environmentTagKeys,
    environmentWords: { ...d.environmentWords, ...options.environmentWords },
    sensitivityTagKeys: options.sensitivityTagKeys ?? d.sensitivityTagKeys,
    sensitivityTagValues: { ...d.sensitivityTagValues, ...options.sensitivityTagValues },
    sensitivityWords: { ...d.sensitivityWords, ...options.sensitivityWords },
    sensitivityByType: { ...d.sensitivityByType, ...options.sensitivityByType },
    nhiTypeTagKeys: options.nhiTypeTagKeys ?? d.nhiTypeTagKeys,
    userNameRules: options.userNameRules ?? d.userNameRules,
    now: options.now ?? new Date(),
  };
}

type Options = Required<AwsClassificationOptions>;

/** Lower-case words of a name: `prod-orders_v2` → prod, orders, v2; `ProdOrders` → prod, orders. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function tagValue(tags: Tags, keys: string[]): string | undefined {
  const wanted = new Set(keys.map((k) => k.toLowerCase()));
  for (const [key, value] of Object.entries(tags)) if (wanted.has(key.toLowerCase())) return value;
  return undefined;
}

function environmentOfWords(list: string[], options: Options): Environment | undefined {
  for (const environment of ['production', 'staging', 'development'] as const) {
    const known = options.environmentWords[environment] ?? [];
    if (list.some((w) => known.includes(w))) return environment;
  }
  return undefined;
}

/**
 * Environment: the node's environment tag, then the account → environment map, then words in the
 * node's name, then words in the account's alias; else `unknown`.
 */
export function classifyEnvironment(
  node: { name: string; tags: Tags; accountId: string },
  accountAlias: string | undefined,
  options: Options,
): Environment {
  const tagged = tagValue(node.tags, options.environmentTagKeys);
  if (tagged !== undefined) {
    const fromTag = environmentOfWords(words(tagged), options);
    if (fromTag) return fromTag;
  }
  const mapped = options.accountEnvironments[node.accountId];
  if (mapped) return mapped;
  return (
    environmentOfWords(words(node.name), options) ??
    (accountAlias ? environmentOfWords(words(accountAlias), options) : undefined) ??
    'unknown'
  );
}

/** Sensitivity of a data resource: its classification tag, then words in its name, then its type. */
export function classifySensitivity(
  resource: { name: string; tags: Tags; type: AwsResourceType },
  options: Options,
): Sensitivity {
  const tagged = tagValue(resource.tags, options.sensitivityTagKeys);
  if (tagged !== undefined) {
    const value = options.sensitivityTagValues[tagged.toLowerCase()];
    if (value) return value;
  }
  const nameWords = words(resource.name);
  for (const sensitivity of ['high', 'medium', 'low'] as const) {
    const known = options.sensitivityWords[sensitivity] ?? [];
    if (nameWords.some((w) => known.includes(w))) return sensitivity;
  }
  return options.sensitivityByType[resource.type] ?? 'unknown';
}

export interface NhiClassification {
  nonHuman: boolean;
  nhiType?: NhiType;
  /** Which rule decided, for explanations. */
  rule: string;
}

/**
 * IAM users: a tag naming the type wins; then name rules; then credentials: active access keys
 * without a console password mean a program (an API key); a console password means a person.
 */
export function classifyUser(user: AwsUserData, options: Options): NhiClassification {
  const tagged = tagValue(user.tags, options.nhiTypeTagKeys)?.toLowerCase();
  if (tagged && (NHI_TYPES as readonly string[]).includes(tagged)) {
    const nhiType = tagged as NhiType;
    return nhiType === 'human'
      ? { nonHuman: false, rule: `tag ${tagged}` }
      : { nonHuman: true, nhiType, rule: `tag ${tagged}` };
  }
  const activeKeys = Math.max(
    user.accessKeys.filter((k) => k.status === 'Active').length,
    user.activeAccessKeyCount ?? 0,
  );
  for (const rule of options.userNameRules) {
    if (new RegExp(rule.pattern, 'i').test(user.name) && user.hasConsolePassword !== true) {
      return { nonHuman: true, nhiType: rule.nhiType, rule: `name matches ${rule.pattern}` };
    }
  }
  if (activeKeys > 0 && user.hasConsolePassword !== true) {
    return { nonHuman: true, nhiType: 'api-key', rule: 'active access keys, no console password' };
  }
  return { nonHuman: false, rule: user.hasConsolePassword ? 'console password' : 'no rule matched' };
}

/** Whole days between an ISO date and `now` (never negative). */
export function ageDays(isoDate: string | undefined, now: Date): number | undefined {
  if (!isoDate) return undefined;
  const time = Date.parse(isoDate);
  if (Number.isNaN(time)) return undefined;
  return Math.max(0, Math.floor((now.getTime() - time) / 86_400_000));
}
