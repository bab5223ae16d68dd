import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ALERT_EVENTS, type AlertPayload } from './message.js';

/**
 * Undelivered alerts, one JSON file per pending delivery, so none is lost between runs. Files are
 * written atomically (temporary file + rename). A delivery in progress is claimed by renaming its
 * file to `*.sending`, so two runs sharing the directory never send the same item twice; a claim
 * left behind by a crashed process is released after an hour. Unreadable files are renamed to
 * `*.invalid` and reported, never deleted.
 */

export interface OutboxItem {
  /** Also the X-Reachgraph-Delivery id of webhook deliveries: stable across retries. */
  id: string;
  /** Name of the sink the alert is for. */
  sink: string;
  sinkType: 'slack' | 'webhook' | 'email';
  /** Scheduler job the alert belongs to (jobs sharing an outbox handle only their own items). */
  job: string | null;
  event: AlertPayload['event'];
  payload: AlertPayload;
  /** Tries so far, over all runs. */
  attempts: number;
  lastError: string;
  createdAt: string;
  updatedAt: string;
}

const OutboxItemSchema = z.object({
  id: z.string().min(1),
  sink: z.string().min(1),
  sinkType: z.enum(['slack', 'webhook', 'email']),
  job: z.string().nullable(),
  event: z.enum(ALERT_EVENTS),
  payload: z
    .object({ schemaVersion: z.literal(1), event: z.enum(ALERT_EVENTS), findings: z.array(z.unknown()) })
    .passthrough(),
  attempts: z.number().int().min(0),
  lastError: z.string(),
  createdAt: z.string().min(1),
  updatedAt: z.string().min(1),
});

export interface OutboxEntry {
  /** The file's path while pending (`*.json`). */
  file: string;
  item: OutboxItem;
}

const PENDING = '.json';
const SENDING = '.sending';
const STALE_CLAIM_MS = 60 * 60 * 1000;

export class Outbox {
  constructor(readonly dir: string) {}

  /** Pending items, oldest first, plus warnings about files that could not be read. */
  async pending(): Promise<{ entries: OutboxEntry[]; warnings: string[] }> {
    const names = await this.names();
    await this.releaseStaleClaims(names);
    const entries: OutboxEntry[] = [];
    const warnings: string[] = [];
    for (const name of (await this.names()).filter((n) => n.endsWith(PENDING)).sort()) {
      const file = join(this.dir, name);
      try {
        const parsed = OutboxItemSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
        if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'unexpected shape');
        entries.push({ file, item: parsed.data as unknown as OutboxItem });
      } catch (error) {
        if (isMissing(error)) continue; // claimed by another run meanwhile
        const reason = error instanceof Error ? error.message : String(error);
        await rename(file, `${file}.invalid`).catch(() => undefined);
        warnings.push(`outbox file ${file} is not a pending alert (${reason}); renamed to ${name}.invalid`);
      }
    }
    entries.sort((a, b) => a.item.createdAt.localeCompare(b.item.createdAt) || a.file.localeCompare(b.file));
    return { entries, warnings };
  }

  /** Stores a new pending item (atomically). */
  async add(item: OutboxItem): Promise<OutboxEntry> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = join(this.dir, `${item.createdAt.replace(/[^0-9]/g, '').slice(0, 17)}-${item.id}${PENDING}`);
    await writeAtomically(file, item);
    return { file, item };
  }

  /** Takes an item for delivery; false when another run took it first. */
  async claim(entry: OutboxEntry): Promise<boolean> {
    try {
      await rename(entry.file, `${entry.file}${SENDING}`);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  /** Delivered: the claimed item is gone for good. */
  async complete(entry: OutboxEntry): Promise<void> {
    await unlink(`${entry.file}${SENDING}`).catch((error) => {
      if (!isMissing(error)) throw error;
    });
  }

  /** Still undelivered: the updated item is pending again. */
  async release(entry: OutboxEntry, item: OutboxItem): Promise<void> {
    await writeAtomically(entry.file, item);
    await this.complete(entry);
  }

  private async names(): Promise<string[]> {
    try {
      return await readdir(this.dir);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  private async releaseStaleClaims(names: string[]): Promise<void> {
    const now = Date.now();
    for (const name of names.filter((n) => n.endsWith(`${PENDING}${SENDING}`))) {
      const claimed = join(this.dir, name);
      const info = await stat(claimed).catch(() => null);
      if (info && now - info.mtimeMs > STALE_CLAIM_MS) {
        await rename(claimed, claimed.slice(0, -SENDING.length)).catch(() => undefined);
      }
    }
  }
}

export function newOutboxItem(
  sink: { name: string; type: OutboxItem['sinkType'] },
  payload: AlertPayload,
  now: Date,
): OutboxItem {
  const at = now.toISOString();
  return {
    id: randomUUID(),
    sink: sink.name,
    sinkType: sink.type,
    job: payload.job,
    event: payload.event,
    payload,
    attempts: 0,
    lastError: '',
    createdAt: at,
    updatedAt: at,
  };
}

async function writeAtomically(file: string, item: OutboxItem): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(item, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, file);
}

function isMissing(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ENOENT';
}
