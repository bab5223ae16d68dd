import type { CollectionIssue } from '../../model/collection-issue.js';
import type { KindFile } from './kinds.js';

/**
 * What the Kubernetes collector gets before the pure transform (transform.ts): per cluster, the
 * items of each collected List as read (a snapshot file or the live API's pages), with where they
 * came from, so that every problem names its file or API path. A kind absent from `lists` was not
 * collected. The live collector and the snapshot reader produce this same shape.
 */
export interface RawList {
  /** The file (snapshot) or API path (live) the items came from. */
  source: string;
  items: unknown[];
}

export interface KubernetesRawCluster {
  name: string;
  /** The API server URL (live). */
  server?: string;
  lists: Partial<Record<KindFile, RawList>>;
  /** The users file (`user-groups.json`) or the config's mapping, unchecked. */
  userGroups?: { source: string; value: unknown };
  /** The cluster file (`cluster.json`) or what the live API served, unchecked. */
  cluster?: { source: string; value: unknown };
  /** Problems met getting the data (a file that could not be read, a List that could not be listed). */
  issues: CollectionIssue[];
}

export interface KubernetesRaw {
  clusters: KubernetesRawCluster[];
}
