import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue, listValue } from '@duckdb/node-api';
import type { Config } from '../config/schema.js';
import { localPaths } from '../local-neo4j/paths.js';
import { CLOUDTRAIL_MACROS } from './aws/cloudtrail-sql.js';
import { NETWORK_MACROS } from './network.js';

/** The log sources the store holds, one name each (the `source` column). */
export type ActivitySource = 'aws-cloudtrail' | 'gcp-audit' | 'kubernetes-audit';

/** The store's file: configured, else activity/activity.duckdb under the user's data directory. */
export function activityDatabasePath(config: Config): string {
  return config.activity.database ?? join(localPaths().dataDir, 'activity', 'activity.duckdb');
}

/** A file as the ledger knows it: re-ingesting the same content never counts it twice. */
export interface LedgerFile {
  path: string;
  size: number;
  sha256: string;
}

/** One event the readers could not take, named by file and line (or record index in a document). */
export interface Malformed {
  file: string;
  line?: number;
  record?: number;
  reason: string;
}

export interface BatchResult {
  events: number;
  duplicates: number;
  unresolved: number;
  malformed: number;
}

export interface Coverage {
  source: string;
  account: string;
  firstEvent: string;
  lastEvent: string;
  days: number;
  events: number;
}

export interface UnresolvedActor {
  source: string;
  account: string;
  actorType: string;
  principalId: string;
  reason: string;
  count: number;
  lastTime: string;
}

/** One logged creation of an identity or credential (`ActivityStore.creations`). */
export interface Creation {
  source: ActivitySource;
  /** The created identity or credential, as the graph names it. */
  created: string;
  /** The identity whose call created it; `origin` the real actor when it was impersonated or delegated. */
  creator: string;
  origin: string | null;
  action: string;
  account: string | null;
  eventId: string;
  time: string;
}

export interface IdentityActivity {
  identity: string;
  lastActivity: string;
  events: number;
}

const TABLES = [
  // Every file read, by content: a file already here (same sha256) is skipped, whatever its path.
  `CREATE TABLE IF NOT EXISTS ingested_files (
     sha256 VARCHAR PRIMARY KEY, path VARCHAR NOT NULL, size BIGINT NOT NULL, source VARCHAR NOT NULL,
     run_id VARCHAR NOT NULL, ingested_at TIMESTAMP NOT NULL, events BIGINT NOT NULL, malformed BIGINT NOT NULL)`,
  // Per-day aggregates: one row per day and distinct combination, the count and the first/last time.
  `CREATE TABLE IF NOT EXISTS daily (
     day DATE NOT NULL, source VARCHAR NOT NULL, account VARCHAR, identity VARCHAR, identity_type VARCHAR,
     access_key VARCHAR, origin VARCHAR, action VARCHAR, resource VARCHAR, network VARCHAR, region VARCHAR,
     user_agent VARCHAR, outcome VARCHAR, count BIGINT NOT NULL,
     first_time TIMESTAMP NOT NULL, last_time TIMESTAMP NOT NULL)`,
  // The event ids already counted, per day (retained as the aggregates are), so a record delivered twice counts once.
  `CREATE TABLE IF NOT EXISTS event_ids (day DATE NOT NULL, source VARCHAR NOT NULL, event_id VARCHAR NOT NULL)`,
  // What the logs cover: per source, account and day, the first and last event seen.
  `CREATE TABLE IF NOT EXISTS coverage_days (
     source VARCHAR NOT NULL, account VARCHAR NOT NULL, day DATE NOT NULL, events BIGINT NOT NULL,
     first_event TIMESTAMP NOT NULL, last_event TIMESTAMP NOT NULL, PRIMARY KEY (source, account, day))`,
  `CREATE TABLE IF NOT EXISTS unresolved_actors (
     source VARCHAR NOT NULL, account VARCHAR NOT NULL, actor_type VARCHAR NOT NULL, principal_id VARCHAR NOT NULL,
     reason VARCHAR NOT NULL, count BIGINT NOT NULL, first_time TIMESTAMP NOT NULL, last_time TIMESTAMP NOT NULL,
     PRIMARY KEY (source, account, actor_type, principal_id, reason))`,
  // The long-term key an unresolved actor's calls were made with, when they name one (added after the
  // table: a store made before keeps its rows, without the key).
  `ALTER TABLE unresolved_actors ADD COLUMN IF NOT EXISTS access_key VARCHAR`,
  // The UTC hours of the day the row's events fall in (bit h = hour h) and a few of its events (time and
  // event id: CloudTrail's eventID, the audit log's insertId, the Kubernetes auditID), so a baseline
  // knows an identity's active hours and an anomaly names the events behind it. Added after the table:
  // rows of a store made before have neither (NULL), and the baselines treat their hours as unknown.
  `ALTER TABLE daily ADD COLUMN IF NOT EXISTS hours INTEGER`,
  `ALTER TABLE daily ADD COLUMN IF NOT EXISTS samples STRUCT(time TIMESTAMP, id VARCHAR)[]`,
  // Who created which identity or credential: one row per successful create call (CreateRole,
  // CreateUser, CreateAccessKey, CreateServiceAccount, CreateServiceAccountKey, a Kubernetes create of
  // a service account), with the event behind it. Owner evidence (docs/owners.md), kept whatever the
  // aggregates' retention: one small row per created identity, and the creator does not age out.
  `CREATE TABLE IF NOT EXISTS creations (
     source VARCHAR NOT NULL, created VARCHAR NOT NULL, creator VARCHAR NOT NULL, origin VARCHAR,
     action VARCHAR NOT NULL, account VARCHAR, event_id VARCHAR NOT NULL, event_time TIMESTAMP NOT NULL,
     PRIMARY KEY (source, created, event_id))`,
  `CREATE TABLE IF NOT EXISTS malformed (
     run_id VARCHAR NOT NULL, source VARCHAR NOT NULL, file VARCHAR NOT NULL, line BIGINT, record BIGINT,
     reason VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ingest_runs (
     run_id VARCHAR PRIMARY KEY, source VARCHAR NOT NULL, started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP,
     files_read BIGINT, files_skipped BIGINT, files_failed BIGINT, events BIGINT, duplicates BIGINT,
     malformed BIGINT, unresolved BIGINT)`,
];

/** Files a direct read gave no event from: each must be checked before it is recorded as read. */
export class EmptyFilesError extends Error {
  constructor(readonly files: string[]) {
    super(`no event read from ${files.join(', ')}`);
  }
}

/** The columns of `daily`, in the order every insert names them. */
const DAILY_COLUMNS = `day, source, account, identity, identity_type, access_key, origin, action, resource, network,
  region, user_agent, outcome, count, first_time, last_time, hours, samples`;

/** The columns that make a `daily` row's combination: the rows `compact` merges agree on all of them. */
const DAILY_KEY = `day, source, account, identity, identity_type, access_key, origin, action, resource, network,
  region, user_agent, outcome`;

/** Events kept per aggregate row as samples (the earliest ones). */
export const SAMPLES_PER_ROW = 5;

/**
 * A group's earliest events, by time then event id (an event without an id after those with one):
 * `min(arg, n)` keeps the n smallest in a bounded heap per group, ascending, where an ordered
 * `list(… ORDER BY …)[1:n]` sorted every event of the group (four times the cost of the rest of the
 * aggregate, measured).
 */
const EARLIEST_SAMPLES = `min({'time': event_time, 'id': event_id}, ${SAMPLES_PER_ROW})`;

const iso = (column: string) => `strftime(${column}, '%Y-%m-%dT%H:%M:%SZ')`;

/** A SQL string literal (file paths inlined into a table function, which takes no parameters). */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * The activity store: one DuckDB file of per-day aggregates, the ledger of ingested files, coverage,
 * unresolved actors and malformed input. Raw events are never kept: a batch of them is read into a
 * temporary table, aggregated, and dropped.
 */
export class ActivityStore {
  /** The first day a batch of this connection added events to (the days `compact` must merge). */
  touchedSince: string | undefined;

  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    readonly path: string,
  ) {}

  static async open(
    path: string,
    options: { memoryLimit?: string; threads?: number } = {},
  ): Promise<ActivityStore> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const settings: Record<string, string> = {
      memory_limit: options.memoryLimit ?? '1GB',
      preserve_insertion_order: 'false',
    };
    if (options.threads) settings.threads = String(options.threads);
    const instance = await DuckDBInstance.create(path, settings);
    const connection = await instance.connect();
    const store = new ActivityStore(instance, connection, path);
    for (const statement of [...TABLES, ...NETWORK_MACROS, ...CLOUDTRAIL_MACROS])
      await connection.run(statement);
    return store;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  async rows<T>(sql: string, values?: Record<string, DuckDBValue>): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, values);
    return reader.getRowObjectsJson() as T[];
  }

  /** The files of `files` whose content was already ingested. */
  async knownFiles(files: LedgerFile[]): Promise<Set<string>> {
    if (files.length === 0) return new Set();
    const rows = await this.rows<{ sha256: string }>(
      `SELECT sha256 FROM ingested_files WHERE list_contains($hashes::VARCHAR[], sha256)`,
      { hashes: listValue(files.map((f) => f.sha256)) },
    );
    return new Set(rows.map((r) => r.sha256));
  }

  async beginRun(runId: string, source: ActivitySource, startedAt: Date): Promise<void> {
    await this.connection.run(
      'INSERT INTO ingest_runs (run_id, source, started_at) VALUES ($run, $source, $at::TIMESTAMP)',
      { run: runId, source, at: startedAt.toISOString().replace('Z', '') },
    );
  }

  async finishRun(
    runId: string,
    counts: {
      filesRead: number;
      filesSkipped: number;
      filesFailed: number;
      events: number;
      duplicates: number;
      malformed: number;
      unresolved: number;
    },
  ): Promise<void> {
    await this.connection.run(
      `UPDATE ingest_runs SET finished_at = now()::TIMESTAMP, files_read = $filesRead, files_skipped = $filesSkipped,
         files_failed = $filesFailed, events = $events, duplicates = $duplicates, malformed = $malformed,
         unresolved = $unresolved WHERE run_id = $run`,
      { run: runId, ...counts },
    );
  }

  /**
   * Aggregate one batch of events, in one transaction with the ledger rows of its files, so a file is
   * either wholly counted and recorded or not at all. `rowsSql` yields the columns of `cloudtrailRows`.
   * Within the batch and against every event id already counted, a repeated event id counts once; an
   * event without a valid time is malformed. With `refuseEmpty`, a file that gave no event at all is
   * refused (EmptyFilesError) before anything is written: DuckDB reads a gzip archive cut short
   * inside its first block as empty, without an error, so the caller checks such a file itself.
   */
  async addBatch(
    source: ActivitySource,
    runId: string,
    rowsSql: string,
    files: (LedgerFile & { malformed: Malformed[] })[],
    options: { refuseEmpty?: boolean } = {},
  ): Promise<BatchResult> {
    const c = this.connection;
    await c.run(`CREATE OR REPLACE TEMP TABLE batch AS SELECT *, event_time::DATE AS day FROM (${rowsSql})`);
    // An event naming only a long-term access key takes the identity the key's other events name
    // (looked up only when the batch has such an event: it reads the whole of the aggregates).
    const [orphans] = await this.rows<{ n: string }>(
      'SELECT count(*) AS n FROM batch WHERE identity IS NULL AND access_key IS NOT NULL',
    );
    if (Number(orphans?.n ?? 0) > 0)
      await c.run(
        `UPDATE batch SET identity = owners.identity FROM (
        SELECT access_key, any_value(identity) AS identity FROM (
          SELECT access_key, identity FROM batch WHERE identity IS NOT NULL AND access_key IS NOT NULL
          UNION ALL
          SELECT DISTINCT access_key, identity FROM daily
          WHERE source = $source AND identity IS NOT NULL AND access_key IS NOT NULL)
        GROUP BY access_key) owners
      WHERE batch.identity IS NULL AND batch.access_key = owners.access_key`,
        { source },
      );
    const perFile = new Map(
      (
        await this.rows<{ file: string; events: string; untimed: string }>(
          `SELECT file, count(*) FILTER (WHERE event_time IS NOT NULL) AS events,
             count(*) FILTER (WHERE event_time IS NULL) AS untimed FROM batch GROUP BY file`,
        )
      ).map((r) => [r.file, r]),
    );
    const empty = files.filter((f) => !perFile.has(f.path)).map((f) => f.path);
    if (options.refuseEmpty && empty.length > 0) {
      await c.run('DROP TABLE IF EXISTS batch');
      throw new EmptyFilesError(empty);
    }
    await c.run('BEGIN TRANSACTION');
    try {
      await c.run(
        `INSERT INTO malformed SELECT $run, $source, file, line, record,
           'no valid eventTime' || coalesce(' (eventID ' || event_id || ')', '')
         FROM batch WHERE event_time IS NULL`,
        { run: runId, source },
      );
      // What is not counted leaves the batch, which then holds the events to aggregate: an event
      // without a valid time, an event id already counted, and every repeat of an id after its first
      // row in the batch. A record delivered twice carries the same eventTime, so an id is looked up
      // among the ids of its own day only: the join reads the days the batch covers, not every id
      // retained. Only the rows removed are touched (no copy of the batch's columns).
      await c.run(
        `DELETE FROM batch WHERE rowid IN (
           SELECT rowid FROM batch WHERE event_time IS NULL
           UNION ALL
           SELECT b.rowid FROM batch b
           WHERE b.event_id IS NOT NULL AND b.event_time IS NOT NULL AND EXISTS (
             SELECT 1 FROM event_ids x WHERE x.source = $source AND x.day = b.day AND x.event_id = b.event_id)
           UNION ALL
           SELECT b.rowid FROM batch b JOIN (
             SELECT event_id, min(rowid) AS first FROM batch
             WHERE event_id IS NOT NULL AND event_time IS NOT NULL
             GROUP BY event_id HAVING count(*) > 1) r USING (event_id)
           WHERE b.event_time IS NOT NULL AND b.rowid <> r.first)`,
        { source },
      );
      const [kept] = await this.rows<{ fresh: string; unresolved: string; since: string | null }>(
        `SELECT count(*) AS fresh, count(*) FILTER (WHERE identity IS NULL) AS unresolved,
           strftime(min(day), '%Y-%m-%d') AS since FROM batch`,
      );
      if (kept?.since && (!this.touchedSince || kept.since < this.touchedSince))
        this.touchedSince = kept.since;
      await c.run(
        `INSERT INTO daily (${DAILY_COLUMNS})
         SELECT day, $source, account, identity, identity_type, access_key, origin, action,
           resource, network, region, user_agent, outcome, count(*), min(event_time), max(event_time),
           bit_or(1::INTEGER << hour(event_time)::INTEGER),
           ${EARLIEST_SAMPLES}
         FROM batch GROUP BY ALL`,
        { source },
      );
      await c.run(
        'INSERT INTO event_ids SELECT day, $source, event_id FROM batch WHERE event_id IS NOT NULL',
        { source },
      );
      await c.run(
        `INSERT INTO coverage_days
         SELECT $source, coalesce(account, ''), day, count(*), min(event_time), max(event_time) FROM batch GROUP BY ALL
         ON CONFLICT DO UPDATE SET events = events + excluded.events,
           first_event = least(first_event, excluded.first_event), last_event = greatest(last_event, excluded.last_event)`,
        { source },
      );
      await c.run(
        `INSERT INTO unresolved_actors (source, account, actor_type, principal_id, reason, count, first_time,
           last_time, access_key)
         SELECT $source, coalesce(account, ''), coalesce(identity_type, ''), principal_id, unresolved_reason,
           count(*), min(event_time), max(event_time), any_value(access_key)
         FROM batch WHERE identity IS NULL GROUP BY ALL
         ON CONFLICT DO UPDATE SET count = count + excluded.count,
           first_time = least(first_time, excluded.first_time), last_time = greatest(last_time, excluded.last_time),
           access_key = coalesce(excluded.access_key, access_key)`,
        { source },
      );
      await c.run(
        `INSERT INTO creations
         SELECT $source, created, identity, origin, action, account,
           coalesce(event_id, file || ':' || coalesce(line, record)), event_time
         FROM batch WHERE created IS NOT NULL AND identity IS NOT NULL AND outcome = 'success'
         ON CONFLICT DO NOTHING`,
        { source },
      );
      const malformed = files.flatMap((f) => f.malformed);
      if (malformed.length > 0) await this.addMalformed(runId, source, malformed);
      // The batch's files in one statement (the lists are unnested side by side, one row per file).
      await c.run(
        `INSERT INTO ingested_files
         SELECT unnest($sha::VARCHAR[]), unnest($path::VARCHAR[]), unnest($size::BIGINT[]), $source, $run,
           now()::TIMESTAMP, unnest($events::BIGINT[]), unnest($malformed::BIGINT[])`,
        {
          sha: listValue(files.map((f) => f.sha256)),
          path: listValue(files.map((f) => f.path)),
          size: listValue(files.map((f) => String(f.size))),
          source,
          run: runId,
          events: listValue(files.map((f) => String(perFile.get(f.path)?.events ?? 0))),
          malformed: listValue(
            files.map((f) => String(f.malformed.length + Number(perFile.get(f.path)?.untimed ?? 0))),
          ),
        },
      );
      await c.run('COMMIT');
      const untimed = [...perFile.values()].reduce((n, r) => n + Number(r.untimed), 0);
      const timed = [...perFile.values()].reduce((n, r) => n + Number(r.events), 0);
      return {
        events: Number(kept?.fresh ?? 0),
        duplicates: timed - Number(kept?.fresh ?? 0),
        unresolved: Number(kept?.unresolved ?? 0),
        malformed: untimed + malformed.length,
      };
    } catch (error) {
      await c.run('ROLLBACK');
      throw error;
    } finally {
      await c.run('DROP TABLE IF EXISTS batch');
    }
  }

  /** Malformed input of files that were not read at all (a truncated archive), or of a batch. */
  async addMalformed(runId: string, source: ActivitySource, rows: Malformed[]): Promise<void> {
    const appender = await this.connection.createAppender('malformed');
    for (const row of rows) {
      appender.appendVarchar(runId);
      appender.appendVarchar(source);
      appender.appendVarchar(row.file);
      if (row.line === undefined) appender.appendNull();
      else appender.appendBigInt(BigInt(row.line));
      if (row.record === undefined) appender.appendNull();
      else appender.appendBigInt(BigInt(row.record));
      appender.appendVarchar(row.reason);
      appender.endRow();
    }
    appender.closeSync();
  }

  /**
   * Merge the rows each batch appended for the same day and combination into one, over the days
   * `since` and after, so the table grows with distinct combinations, not with batches. Only the rows
   * whose combination occurs more than once are rewritten: they are found by a hash of the
   * combination (a collision only groups rows that then stay apart, grouped by their real columns),
   * so a run whose batches added distinct combinations rewrites nothing.
   */
  async compact(since: string): Promise<void> {
    const c = this.connection;
    await c.run('BEGIN TRANSACTION');
    try {
      await c.run(
        `CREATE OR REPLACE TEMP TABLE repeated AS
         WITH keyed AS (
           SELECT rowid AS id, hash(${DAILY_KEY}) AS k FROM daily WHERE day >= $since::DATE)
         SELECT id FROM keyed WHERE k IN (SELECT k FROM keyed GROUP BY k HAVING count(*) > 1)`,
        { since },
      );
      await c.run(
        `CREATE OR REPLACE TEMP TABLE merged AS
         SELECT * EXCLUDE (count, first_time, last_time, hours, samples), sum(count)::BIGINT AS count,
           min(first_time) AS first_time, max(last_time) AS last_time, bit_or(hours) AS hours,
           list_sort(flatten(list(samples) FILTER (WHERE samples IS NOT NULL)))[1:${SAMPLES_PER_ROW}] AS samples
         FROM daily WHERE rowid IN (SELECT id FROM repeated) GROUP BY ALL`,
      );
      await c.run('DELETE FROM daily WHERE rowid IN (SELECT id FROM repeated)');
      await c.run(`INSERT INTO daily (${DAILY_COLUMNS}) SELECT ${DAILY_COLUMNS} FROM merged`);
      await c.run('DROP TABLE merged');
      await c.run('DROP TABLE repeated');
      await c.run('COMMIT');
    } catch (error) {
      await c.run('ROLLBACK');
      throw error;
    }
  }

  /** Drop the aggregates, event ids and coverage of days older than the retention window. */
  async applyRetention(now: Date, retentionDays: number): Promise<void> {
    const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString().slice(0, 10);
    for (const table of ['daily', 'event_ids', 'coverage_days'])
      await this.connection.run(`DELETE FROM ${table} WHERE day < $cutoff::DATE`, { cutoff });
  }

  async coverage(source?: ActivitySource): Promise<Coverage[]> {
    const rows = await this.rows<{
      source: string;
      account: string;
      first_event: string;
      last_event: string;
      days: string;
      events: string;
    }>(
      `SELECT source, account, ${iso('min(first_event)')} AS first_event, ${iso('max(last_event)')} AS last_event,
         count(*) AS days, sum(events) AS events
       FROM coverage_days WHERE $source IS NULL OR source = $source GROUP BY ALL ORDER BY source, account`,
      { source: source ?? null },
    );
    return rows.map((r) => ({
      source: r.source,
      account: r.account,
      firstEvent: r.first_event,
      lastEvent: r.last_event,
      days: Number(r.days),
      events: Number(r.events),
    }));
  }

  async unresolvedActors(source?: ActivitySource): Promise<UnresolvedActor[]> {
    const rows = await this.rows<{
      source: string;
      account: string;
      actor_type: string;
      principal_id: string;
      reason: string;
      count: string;
      last_time: string;
    }>(
      `SELECT source, account, actor_type, principal_id, reason, count, ${iso('last_time')} AS last_time
       FROM unresolved_actors WHERE $source IS NULL OR source = $source ORDER BY count DESC, principal_id`,
      { source: source ?? null },
    );
    return rows.map((r) => ({
      source: r.source,
      account: r.account,
      actorType: r.actor_type,
      principalId: r.principal_id,
      reason: r.reason,
      count: Number(r.count),
      lastTime: r.last_time,
    }));
  }

  async malformedOf(runId: string): Promise<Malformed[]> {
    const rows = await this.rows<{
      file: string;
      line: string | null;
      record: string | null;
      reason: string;
    }>('SELECT file, line, record, reason FROM malformed WHERE run_id = $run ORDER BY file, line, record', {
      run: runId,
    });
    return rows.map((r) => ({
      file: r.file,
      ...(r.line === null ? {} : { line: Number(r.line) }),
      ...(r.record === null ? {} : { record: Number(r.record) }),
      reason: r.reason,
    }));
  }

  /** Each identity's last event over the retained aggregates (successful or not: any use is activity). */
  async lastActivity(): Promise<IdentityActivity[]> {
    const rows = await this.rows<{ identity: string; last: string; events: string }>(
      `SELECT identity, ${iso('max(last_time)')} AS last, sum(count) AS events
       FROM daily WHERE identity IS NOT NULL GROUP BY identity ORDER BY identity`,
    );
    return rows.map((r) => ({ identity: r.identity, lastActivity: r.last, events: Number(r.events) }));
  }

  /** One identity's calls over the retained aggregates, by action, resource and outcome. */
  async callsOf(
    identity: string,
  ): Promise<
    { action: string; resource: string | null; outcome: string; count: number; lastTime: string }[]
  > {
    const rows = await this.rows<{
      action: string;
      resource: string | null;
      outcome: string;
      count: string;
      last: string;
    }>(
      `SELECT action, resource, outcome, sum(count) AS count, ${iso('max(last_time)')} AS last
       FROM daily WHERE identity = $identity GROUP BY ALL ORDER BY action, resource NULLS FIRST, outcome`,
      { identity },
    );
    return rows.map((r) => ({
      action: r.action,
      resource: r.resource,
      outcome: r.outcome,
      count: Number(r.count),
      lastTime: r.last,
    }));
  }

  /** Every identity's successful calls over the retained aggregates, by action and resource. */
  async successfulCalls(): Promise<
    { identity: string; action: string; resource: string | null; count: number; lastTime: string }[]
  > {
    const rows = await this.rows<{
      identity: string;
      action: string;
      resource: string | null;
      count: string;
      last: string;
    }>(
      `SELECT identity, action, resource, sum(count) AS count, ${iso('max(last_time)')} AS last
       FROM daily WHERE outcome = 'success' AND identity IS NOT NULL AND action IS NOT NULL
       GROUP BY ALL ORDER BY identity, action, resource NULLS FIRST`,
    );
    return rows.map((r) => ({
      identity: r.identity,
      action: r.action,
      resource: r.resource,
      count: Number(r.count),
      lastTime: r.last,
    }));
  }

  /** Every successful call made through a delegation chain, by chain and the account used. */
  /**
   * Who created each identity or credential the logs saw created: every creation, oldest first per
   * created id (a role deleted and created again has two creators; both are kept).
   */
  async creations(): Promise<Creation[]> {
    const rows = await this.rows<{
      source: string;
      created: string;
      creator: string;
      origin: string | null;
      action: string;
      account: string | null;
      event_id: string;
      time: string;
    }>(
      `SELECT source, created, creator, origin, action, account, event_id, ${iso('event_time')} AS time
       FROM creations ORDER BY created, event_time, event_id`,
    );
    return rows.map((r) => ({
      source: r.source as ActivitySource,
      created: r.created,
      creator: r.creator,
      origin: r.origin,
      action: r.action,
      account: r.account,
      eventId: r.event_id,
      time: r.time,
    }));
  }

  async delegations(): Promise<{ origin: string; identity: string; count: number; lastTime: string }[]> {
    const rows = await this.rows<{ origin: string; identity: string; count: string; last: string }>(
      `SELECT origin, identity, sum(count) AS count, ${iso('max(last_time)')} AS last
       FROM daily WHERE outcome = 'success' AND identity IS NOT NULL AND origin IS NOT NULL
       GROUP BY ALL ORDER BY origin, identity`,
    );
    return rows.map((r) => ({
      origin: r.origin,
      identity: r.identity,
      count: Number(r.count),
      lastTime: r.last,
    }));
  }

  /**
   * Successful calls made through a delegation chain in which the identity delegated (GCP
   * impersonation chains, Kubernetes impersonation), by chain and the account used.
   */
  async delegatedThrough(
    identity: string,
  ): Promise<{ origin: string; identity: string; count: number; lastTime: string }[]> {
    const rows = await this.rows<{ origin: string; identity: string; count: string; last: string }>(
      `SELECT origin, identity, sum(count) AS count, ${iso('max(last_time)')} AS last
       FROM daily
       WHERE outcome = 'success' AND identity IS NOT NULL
         AND (origin = $identity OR starts_with(origin, $identity || ' > ') OR contains(origin, ' > ' || $identity || ' > '))
       GROUP BY ALL ORDER BY origin, identity`,
      { identity },
    );
    return rows.map((r) => ({
      origin: r.origin,
      identity: r.identity,
      count: Number(r.count),
      lastTime: r.last,
    }));
  }

  /** The accounts one identity's calls were logged in. */
  async accountsOf(identity: string): Promise<string[]> {
    const rows = await this.rows<{ account: string }>(
      `SELECT DISTINCT coalesce(account, '') AS account FROM daily WHERE identity = $identity ORDER BY account`,
      { identity },
    );
    return rows.map((r) => r.account);
  }

  /** The long-term access keys of calls no identity was resolved for. */
  async unresolvedKeys(): Promise<string[]> {
    const rows = await this.rows<{ access_key: string }>(
      `SELECT DISTINCT access_key FROM daily WHERE identity IS NULL AND access_key IS NOT NULL ORDER BY access_key`,
    );
    return rows.map((r) => r.access_key);
  }

  /**
   * Attribute the calls made with these keys, which no event named an owner of, to the IAM users the
   * graph says own them (the collected `AwsAccessKey` nodes); their actors are no longer unresolved.
   */
  async attributeKeys(owners: { accessKeyId: string; userArn: string }[]): Promise<number> {
    let attributed = 0;
    for (const { accessKeyId, userArn } of owners) {
      const reader = await this.connection.runAndReadAll(
        `UPDATE daily SET identity = $user WHERE identity IS NULL AND access_key = $key`,
        { user: userArn, key: accessKeyId },
      );
      attributed += Number(reader.rowsChanged);
      await this.connection.run(
        `DELETE FROM unresolved_actors WHERE actor_type = 'IAMUser' AND access_key = $key`,
        { key: accessKeyId },
      );
    }
    return attributed;
  }

  /** Each long-term access key's last use over the retained aggregates. */
  async accessKeyLastUse(): Promise<{ accessKeyId: string; lastUsed: string; events: number }[]> {
    const rows = await this.rows<{ access_key: string; last: string; events: string }>(
      `SELECT access_key, ${iso('max(last_time)')} AS last, sum(count) AS events
       FROM daily WHERE access_key IS NOT NULL GROUP BY access_key ORDER BY access_key`,
    );
    return rows.map((r) => ({ accessKeyId: r.access_key, lastUsed: r.last, events: Number(r.events) }));
  }
}
