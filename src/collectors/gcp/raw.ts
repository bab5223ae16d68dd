import type { CollectionIssue } from '../../model/collection-issue.js';
import type { GcpContainerKind } from '../../model/gcp/environment.js';
import type { LevelFile, ResourceFolder } from './layout.js';

/**
 * What a GCP source gives the transform: the documents as the APIs (or gcloud) return them, each with
 * where it was read. Both snapshot forms (gcloud files, a Cloud Asset Inventory export) give this
 * shape, and the live APIs give the same, so one transform serves every source.
 */
export interface RawDocument {
  /** The file (snapshot) or API call (live) it came from. */
  source: string;
  value: unknown;
  /**
   * For a list assembled from several records (a Cloud Asset Inventory export, one asset a line):
   * where each item was read (`file:line`), so that a problem with an item names its own line.
   */
  sources?: readonly string[];
}

/** One organization, folder or project as read. */
export interface GcpRawLevel {
  kind: GcpContainerKind;
  /** Its folder name: the folder number or the project id (`organization` for the organization). */
  id: string;
  files: Partial<Record<LevelFile, RawDocument>>;
  /** Per-resource documents by resource (a service account's email, a bucket's name…). */
  resources: Partial<Record<ResourceFolder, Record<string, RawDocument>>>;
}

export interface GcpRaw {
  /** The snapshot's own predefined roles (`gcp/roles.json`), when present. */
  roles?: RawDocument;
  levels: GcpRawLevel[];
  /** Cloud Identity group memberships by group email (`organization/groups/<email>.json`), when collected. */
  groups?: Record<string, RawDocument>;
  issues: CollectionIssue[];
}
