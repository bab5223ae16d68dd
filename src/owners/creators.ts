import { existsSync } from 'node:fs';
import { ActivityStore } from '../activity/store.js';

/**
 * The creators the activity logs name (docs/owners.md, "creator"): per created identity or
 * credential (as the graph names it), every logged creation, oldest first, with the event behind it.
 * The activity store records them at ingest (CreateRole, CreateUser, CreateAccessKey,
 * CreateServiceAccount, CreateServiceAccountKey, a Kubernetes create of a service account).
 */
export interface CreatorRecord {
  /** The identity whose call created it (as the graph names it). */
  creator: string;
  /** The real actor when the creator was impersonated or a role session of another identity. */
  origin: string | null;
  action: string;
  /** The log's id of the event (CloudTrail eventID, audit log insertId, Kubernetes auditID). */
  eventId: string;
  time: string;
  source: string;
}

export type Creators = ReadonlyMap<string, readonly CreatorRecord[]>;

/** The creators the store at `database` holds; none when there is no store there. */
export async function readCreators(database: string): Promise<Creators> {
  const creators = new Map<string, CreatorRecord[]>();
  if (!existsSync(database)) return creators;
  const store = await ActivityStore.open(database);
  try {
    for (const c of await store.creations()) {
      const list = creators.get(c.created) ?? [];
      list.push({
        creator: c.creator,
        origin: c.origin,
        action: c.action,
        eventId: c.eventId,
        time: c.time,
        source: c.source,
      });
      creators.set(c.created, list);
    }
  } finally {
    store.close();
  }
  return creators;
}
