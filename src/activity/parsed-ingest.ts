import { forEachJsonLine, type LogFile, readLogText, withJsonLinesFile } from './files.js';
import { type IngestRunResult, type ReadTotals, runIngest } from './ingest-run.js';
import { type ActivitySource, type ActivityStore, type Malformed, sqlString } from './store.js';

/**
 * One event as the aggregates take it, resolved in Node by a source's reader (the columns of
 * `ActivityStore.addBatch`; `ip` becomes the source network in SQL, as for CloudTrail). An event
 * whose `identity` is null is unresolved: counted, and listed with `principalId` and `reason`.
 */
export interface ActivityRow {
  eventId: string | null;
  /** ISO 8601; null or unparseable makes the event malformed (named by the store). */
  time: string | null;
  account: string | null;
  identity: string | null;
  identityType: string | null;
  /** Who really acted when `identity` is impersonated or delegated to (the chain, real actor first). */
  origin: string | null;
  action: string | null;
  resource: string | null;
  ip: string | null;
  region: string | null;
  userAgent: string | null;
  outcome: 'success' | 'denied' | 'error';
  principalId: string;
  unresolvedReason: string | null;
  /**
   * The identity or credential a successful call created (a service account, its key, a Kubernetes
   * service account), as the graph names it: the call's identity is its creator (owner evidence,
   * docs/owners.md). Absent for every other call.
   */
  created?: string | null;
}

/** What a source's reader makes of one parsed event: a row, nothing (not an event it counts), or why it is malformed. */
export type RowOf = (event: Record<string, unknown>) => ActivityRow | { malformed: string } | undefined;

export type ParsedIngestResult = IngestRunResult<
  ActivitySource,
  {
    /** Entries that are not events the source counts (another log in a sink export, an earlier audit stage). */
    ignored: number;
  }
>;

interface ParsedFile {
  lines: string[];
  malformed: Malformed[];
  ignored: number;
  failure?: string;
}

/** A file nothing is read from, with why. */
function unreadable(failure: string): ParsedFile {
  return { lines: [], malformed: [], ignored: 0, failure };
}

/** The file's text as one JSON document, or the file's failure when it does not parse. */
function parseDocument(text: string): { document: unknown } | ParsedFile {
  try {
    return { document: JSON.parse(text) };
  } catch (error) {
    return unreadable(`not a JSON document: ${(error as Error).message}`);
  }
}

/**
 * Parse one file in Node: a JSON array of events (as `gcloud logging read --format=json` prints) or
 * JSON lines (as log sinks and audit backends write), gzipped or not. A line or array element that
 * is not a JSON object, or that `rowOf` refuses, is named (file:line, or the element's index) and
 * skipped; a file that cannot be decompressed, or an array document that does not parse, fails whole.
 *
 * With `cloudWatch`, events delivered through CloudWatch Logs (EKS control-plane logs,
 * https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html) are read as well: the
 * output of `aws logs filter-log-events` / `get-log-events`, a document `{"events": [{"message": "<event
 * as a JSON string>"}, …]}` (https://docs.aws.amazon.com/cli/latest/reference/logs/filter-log-events.html),
 * and a CloudWatch Logs export to S3, whose lines are `<ISO 8601 time> <message>`
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/S3Export.html).
 */
export async function parseFile(
  file: LogFile,
  rowOf: RowOf,
  options: { cloudWatch?: boolean } = {},
): Promise<ParsedFile> {
  const read = await readLogText(file);
  if ('failure' in read) return unreadable(read.failure);
  const text = read.text.replace(/^\uFEFF/, '');
  const parsed: ParsedFile = { lines: [], malformed: [], ignored: 0 };
  const take = (event: unknown, at: { line?: number; record?: number }) => {
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      parsed.malformed.push({ file: file.path, ...at, reason: 'not a JSON object' });
      return;
    }
    const row = rowOf(event as Record<string, unknown>);
    if (row === undefined) parsed.ignored++;
    else if ('malformed' in row) parsed.malformed.push({ file: file.path, ...at, reason: row.malformed });
    else
      parsed.lines.push(
        JSON.stringify({ file: file.path, line: at.line ?? null, record: at.record ?? null, ...row }),
      );
  };
  const start = text.trimStart();
  if (options.cloudWatch && /^\{\s*"events"\s*:/.test(start)) {
    const whole = parseDocument(text);
    if (!('document' in whole)) return whole;
    const events = (whole.document as { events?: unknown }).events;
    if (!Array.isArray(events)) return unreadable('"events" is not an array');
    for (const [i, item] of events.entries()) {
      const message = (item as { message?: unknown } | null)?.message;
      try {
        if (typeof message !== 'string') throw new Error('no message string');
        take(JSON.parse(message), { record: i + 1 });
      } catch (error) {
        parsed.malformed.push({
          file: file.path,
          record: i + 1,
          reason: `message: ${(error as Error).message}`,
        });
      }
    }
    return parsed;
  }
  if (start.startsWith('[')) {
    const whole = parseDocument(text);
    if (!('document' in whole)) return whole;
    for (const [i, item] of (whole.document as unknown[]).entries()) take(item, { record: i + 1 });
    return parsed;
  }
  // A CloudWatch Logs export line is `<ISO 8601 time> <event>`: the time goes before the event is parsed.
  const exported = options.cloudWatch
    ? (line: string) => line.replace(/^\d{4}-\d\d-\d\dT\S+ (?=\{)/, '')
    : undefined;
  forEachJsonLine(file.path, text, (event, line) => take(event, { line }), parsed.malformed, exported);
  return parsed;
}

/** The columns `ActivityStore.addBatch` aggregates, from the JSON lines `parseFile` wrote to `path`. */
function rowsSql(path: string): string {
  const columns = {
    file: 'VARCHAR',
    line: 'BIGINT',
    record: 'BIGINT',
    eventId: 'VARCHAR',
    time: 'VARCHAR',
    account: 'VARCHAR',
    identity: 'VARCHAR',
    identityType: 'VARCHAR',
    origin: 'VARCHAR',
    action: 'VARCHAR',
    resource: 'VARCHAR',
    ip: 'VARCHAR',
    region: 'VARCHAR',
    userAgent: 'VARCHAR',
    outcome: 'VARCHAR',
    principalId: 'VARCHAR',
    unresolvedReason: 'VARCHAR',
    created: 'VARCHAR',
  };
  const spec = Object.entries(columns)
    .map(([name, type]) => `${name}: '${type}'`)
    .join(', ');
  return `SELECT file, line, record, eventId AS event_id,
      TRY_CAST(rtrim(time, 'Z') AS TIMESTAMP) AS event_time, account, identity, identityType AS identity_type,
      NULL::VARCHAR AS access_key, origin, action, resource, network_of(ip) AS network, region,
      left(userAgent, 256) AS user_agent, outcome, principalId AS principal_id, unresolvedReason AS unresolved_reason,
      created
    FROM read_json(${sqlString(path)}, columns = {${spec}}, format = 'newline_delimited')`;
}

const EMPTY_ROWS = `SELECT NULL::VARCHAR AS file, NULL::BIGINT AS line, NULL::BIGINT AS record,
  NULL::VARCHAR AS event_id, NULL::TIMESTAMP AS event_time, NULL::VARCHAR AS account, NULL::VARCHAR AS identity,
  NULL::VARCHAR AS identity_type, NULL::VARCHAR AS access_key, NULL::VARCHAR AS origin, NULL::VARCHAR AS action,
  NULL::VARCHAR AS resource, NULL::VARCHAR AS network, NULL::VARCHAR AS region, NULL::VARCHAR AS user_agent,
  NULL::VARCHAR AS outcome, NULL::VARCHAR AS principal_id, NULL::VARCHAR AS unresolved_reason,
  NULL::VARCHAR AS created WHERE false`;

/**
 * Ingest the files under `paths` that the store has not read before (by content's SHA-256), each
 * parsed in Node by `rowOf` and aggregated with its ledger row in one transaction, so a file is wholly
 * counted or not at all; an event id already counted for the source is not counted again. Audit logs
 * of GCP and Kubernetes are far smaller than an organization's CloudTrail, so they are not read by
 * DuckDB directly as CloudTrail is; the aggregates, ledger, coverage and retention are the same.
 */
export async function ingestParsed(
  store: ActivityStore,
  source: ActivitySource,
  paths: string[],
  accept: (path: string) => boolean,
  rowOf: RowOf,
  options: {
    now?: Date;
    retentionDays?: number;
    onProgress?: (message: string) => void;
    cloudWatch?: boolean;
  } = {},
): Promise<ParsedIngestResult> {
  return runIngest(
    store,
    source,
    paths,
    accept,
    async (runId, fresh) => {
      const totals: ReadTotals = { filesRead: 0, failed: [], events: 0, duplicates: 0, unresolved: 0 };
      let ignored = 0;
      for (const [i, file] of fresh.entries()) {
        const parsed = await parseFile(file, rowOf, { cloudWatch: options.cloudWatch ?? false });
        if (parsed.failure) {
          totals.failed.push({ file: file.path, reason: parsed.failure });
          continue;
        }
        const result = await withJsonLinesFile(parsed.lines, (temp) =>
          store.addBatch(source, runId, temp ? rowsSql(temp) : EMPTY_ROWS, [
            { ...file, malformed: parsed.malformed },
          ]),
        );
        totals.filesRead++;
        totals.events += result.events;
        totals.duplicates += result.duplicates;
        totals.unresolved += result.unresolved;
        ignored += parsed.ignored;
        options.onProgress?.(`read ${i + 1}/${fresh.length} files`);
      }
      if (totals.failed.length > 0) await store.addMalformed(runId, source, totals.failed);
      return { totals, extra: { ignored } };
    },
    options,
  );
}

/** Log files by name: JSON, JSON lines, gzipped or not. */
export function isJsonLogFile(path: string): boolean {
  return /\.(json|jsonl|ndjson|log)(\.gz)?$/i.test(path);
}
