import { forEachJsonLine, type LogFile, readLogText, withJsonLinesFile } from '../files.js';
import { shapeProblem } from '../json-shape.js';
import { type ActivityStore, type BatchResult, type Malformed, sqlString } from '../store.js';
import { CLOUDTRAIL_EVENT } from './cloudtrail-event.js';
import { CLOUDTRAIL_EVENT_TYPE, cloudtrailRows } from './cloudtrail-sql.js';

/**
 * The largest JSON document DuckDB reads directly (CloudTrail's are one document per file; DuckDB's
 * default limit is 16 MB, and it reserves buffers of twice this per thread). A larger file is read in
 * Node event by event, as a refused file is.
 */
const MAX_OBJECT_BYTES = 64 << 20;

const SOURCE = 'aws-cloudtrail';

/**
 * DuckDB reads a group of files of one layout and compression directly (gzip included), every event
 * cast to CLOUDTRAIL_EVENT_TYPE, as rows `(file, line, record, e)`. A trail file is one object whose
 * `Records` is the column: `records = true` says so. Left to detect it (`records = 'auto'`), DuckDB
 * samples the first files of the read (up to `maximum_sample_files`, 32) even with the columns given,
 * and a sample of a one-document file is the whole file: each of those files was parsed twice, half
 * again the read's CPU for a batch of 64 (measured, docs/performance.md).
 */
export function directInput(files: LogFile[]): string[] {
  const groups = new Map<string, LogFile[]>();
  for (const file of files) {
    const key = `${file.layout}:${file.gzip}`;
    groups.set(key, [...(groups.get(key) ?? []), file]);
  }
  return [...groups.values()].map((group) => {
    const [first] = group as [LogFile];
    const list = `[${group.map((f) => sqlString(f.path)).join(', ')}]`;
    const common = `filename = true, compression = '${first.gzip ? 'gzip' : 'uncompressed'}', maximum_object_size = ${MAX_OBJECT_BYTES}`;
    if (first.layout === 'records')
      return `SELECT filename AS file, NULL::BIGINT AS line, generate_subscripts(Records, 1) AS record, unnest(Records) AS e
        FROM read_json(${list}, columns = {Records: '${CLOUDTRAIL_EVENT_TYPE}[]'}, format = 'unstructured',
          records = true, ${common})`;
    return `SELECT filename AS file, NULL::BIGINT AS line, NULL::BIGINT AS record, json AS e
      FROM read_json(${list}, columns = {json: '${CLOUDTRAIL_EVENT_TYPE}'}, records = false,
        format = 'newline_delimited', ${common})`;
  });
}

/** What reading one file event by event gave: the events DuckDB will accept, and what was skipped. */
export interface CheckedFile {
  /** JSON lines `{"file", "line", "record", "e"}`, one per acceptable event. */
  lines: string[];
  malformed: Malformed[];
  /** Set when nothing of the file could be read (a truncated archive, a document that is not JSON). */
  failure?: string;
}

/**
 * Read one file in Node, event by event, when DuckDB refused it as a whole: a line that is not JSON, an
 * event whose fields have the wrong shape, is named (file:line, or the record's index in a document)
 * and skipped; the rest is kept. A truncated or corrupt gzip archive, or a document that does not
 * parse, fails the whole file: nothing of it is counted, so a later complete copy counts in full.
 */
export async function checkFile(file: LogFile): Promise<CheckedFile> {
  const read = await readLogText(file);
  if ('failure' in read) return { lines: [], malformed: [], failure: read.failure };
  const { text } = read;
  const lines: string[] = [];
  const malformed: Malformed[] = [];
  const take = (event: unknown, at: { line?: number; record?: number }) => {
    const problem =
      event === null || typeof event !== 'object' || Array.isArray(event)
        ? 'not a JSON object'
        : shapeProblem(event, CLOUDTRAIL_EVENT);
    if (problem) malformed.push({ file: file.path, ...at, reason: problem });
    else
      lines.push(
        JSON.stringify({ file: file.path, line: at.line ?? null, record: at.record ?? null, e: event }),
      );
  };
  if (file.layout === 'lines') {
    forEachJsonLine(file.path, text, (event, line) => take(event, { line }), malformed);
    return { lines, malformed };
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { lines: [], malformed: [], failure: `not a JSON document: ${(error as Error).message}` };
  }
  const key = file.layout === 'records' ? 'Records' : 'Events';
  const items = (document as Record<string, unknown>)[key];
  if (!Array.isArray(items)) return { lines: [], malformed: [], failure: `"${key}" is not an array` };
  for (const [i, item] of items.entries()) {
    if (file.layout === 'records') {
      take(item, { record: i + 1 });
      continue;
    }
    // lookup-events prints each event's record as a JSON string in CloudTrailEvent
    // (https://docs.aws.amazon.com/cli/latest/reference/cloudtrail/lookup-events.html).
    const raw = (item as { CloudTrailEvent?: unknown } | null)?.CloudTrailEvent;
    if (typeof raw !== 'string') {
      malformed.push({ file: file.path, record: i + 1, reason: 'no CloudTrailEvent string' });
      continue;
    }
    try {
      take(JSON.parse(raw), { record: i + 1 });
    } catch (error) {
      malformed.push({
        file: file.path,
        record: i + 1,
        reason: `CloudTrailEvent is not JSON: ${(error as Error).message}`,
      });
    }
  }
  return { lines, malformed };
}

export interface ReadOutcome extends BatchResult {
  filesRead: number;
  failed: { file: string; reason: string }[];
}

/**
 * Aggregate files into the store, a batch at a time: DuckDB reads the batch directly; when it refuses
 * it (one bad file fails the whole read), each file is tried on its own, and a file DuckDB still
 * refuses is read event by event in Node (`checkFile`). Each file is counted and recorded in the
 * ledger in the same transaction, or not at all.
 */
export async function readCloudTrailFiles(
  store: ActivityStore,
  runId: string,
  files: LogFile[],
  options: { batchFiles?: number; onBatch?: (done: number) => void } = {},
): Promise<ReadOutcome> {
  const outcome: ReadOutcome = {
    events: 0,
    duplicates: 0,
    unresolved: 0,
    malformed: 0,
    filesRead: 0,
    failed: [],
  };
  const add = (r: BatchResult, filesRead: number) => {
    outcome.events += r.events;
    outcome.duplicates += r.duplicates;
    outcome.unresolved += r.unresolved;
    outcome.malformed += r.malformed;
    outcome.filesRead += filesRead;
  };
  const batchFiles = options.batchFiles ?? 64;
  let done = 0;
  for (let i = 0; i < files.length; i += batchFiles) {
    const batch = files.slice(i, i + batchFiles);
    const direct = batch.filter((f) => f.layout !== 'events');
    const checked = batch.filter((f) => f.layout === 'events');
    if (direct.length > 0) {
      try {
        add(await addDirect(store, runId, direct), direct.length);
      } catch {
        // One file refused the batch: try each alone, so only the refused one is read in Node.
        for (const file of direct) {
          try {
            add(await addDirect(store, runId, [file]), 1);
          } catch {
            checked.push(file);
          }
        }
      }
    }
    for (const file of checked) {
      const result = await addChecked(store, runId, file);
      if (result.failure) outcome.failed.push({ file: file.path, reason: result.failure });
      else add(result, 1);
    }
    done += batch.length;
    options.onBatch?.(done);
  }
  if (outcome.failed.length > 0)
    await store.addMalformed(
      runId,
      SOURCE,
      outcome.failed.map((f) => ({ file: f.file, reason: f.reason })),
    );
  return outcome;
}

async function addDirect(store: ActivityStore, runId: string, files: LogFile[]): Promise<BatchResult> {
  const input = directInput(files).join('\nUNION ALL\n');
  return store.addBatch(
    SOURCE,
    runId,
    cloudtrailRows(input),
    files.map((f) => ({ ...f, malformed: [] })),
    { refuseEmpty: true },
  );
}

async function addChecked(
  store: ActivityStore,
  runId: string,
  file: LogFile,
): Promise<BatchResult & { failure?: string }> {
  const checked = await checkFile(file);
  if (checked.failure)
    return { events: 0, duplicates: 0, unresolved: 0, malformed: 0, failure: checked.failure };
  return withJsonLinesFile(checked.lines, (temp) => {
    const input = temp
      ? `SELECT file, line, record, e FROM read_json(${sqlString(temp)}, columns = {file: 'VARCHAR',
           line: 'BIGINT', record: 'BIGINT', e: '${CLOUDTRAIL_EVENT_TYPE}'}, format = 'newline_delimited',
           maximum_object_size = ${MAX_OBJECT_BYTES})`
      : `SELECT NULL::VARCHAR AS file, NULL::BIGINT AS line, NULL::BIGINT AS record,
           NULL::${CLOUDTRAIL_EVENT_TYPE} AS e WHERE false`;
    return store.addBatch(SOURCE, runId, cloudtrailRows(input), [{ ...file, malformed: checked.malformed }]);
  });
}
