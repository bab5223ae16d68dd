import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { constants, gunzip, gunzipSync } from 'node:zlib';
import type { LedgerFile, Malformed } from './store.js';

const gunzipAsync = promisify(gunzip);

/**
 * How a log file holds its events: one JSON document with an array of them (`{"Records": [...]}`, as
 * CloudTrail delivers to S3; `{"Events": [...]}`, as `aws cloudtrail lookup-events` prints), or one
 * event per line (JSON lines, as log sinks and audit backends write).
 */
export type FileLayout = 'records' | 'events' | 'lines';

export interface LogFile extends LedgerFile {
  gzip: boolean;
  layout: FileLayout;
}

/**
 * Every file under `paths` (a file is taken as it is, a directory walked in name order) that `accept`
 * admits; a path that does not exist is named in `missing`.
 */
export async function discoverFiles(
  paths: string[],
  accept: (path: string) => boolean,
): Promise<{ files: string[]; missing: string[] }> {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && accept(path)) files.push(path);
    }
  };
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) missing.push(path);
    else if (info.isDirectory()) await walk(path);
    else files.push(path);
  }
  return { files: [...new Set(files)], missing };
}

/** Size, SHA-256 of the bytes as stored, and layout (read from the first bytes, decompressed if gzip). */
export async function describeFile(path: string): Promise<LogFile> {
  const hash = createHash('sha256');
  let head: Buffer | undefined;
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const bytes = chunk as Buffer;
    if (!head) head = bytes.subarray(0, 65_536);
    size += bytes.length;
    hash.update(bytes);
  }
  const start = head ?? Buffer.alloc(0);
  const gzip = start.length >= 2 && start[0] === 0x1f && start[1] === 0x8b;
  let text = '';
  try {
    // A sync flush decompresses what the first bytes hold without requiring the end of the stream.
    text = (gzip ? gunzipSync(start, { finishFlush: constants.Z_SYNC_FLUSH }) : start).toString(
      'utf8',
      0,
      4096,
    );
  } catch {
    // Unreadable: the reader names the file when it fails to read it.
  }
  return { path, size, sha256: hash.digest('hex'), gzip, layout: layoutOf(text) };
}

export function layoutOf(head: string): FileLayout {
  const match = head.replace(/^\uFEFF/, '').match(/^\s*\{\s*"(Records|Events)"\s*:/);
  if (match?.[1] === 'Records') return 'records';
  if (match?.[1] === 'Events') return 'events';
  return 'lines';
}

/**
 * A log file's whole text, decompressed when it is gzip, or why it cannot be read: a truncated or
 * corrupt archive fails the whole file, so nothing of it is counted and a later complete copy counts
 * in full.
 */
export async function readLogText(file: LogFile): Promise<{ text: string } | { failure: string }> {
  try {
    const bytes = await readFile(file.path);
    return { text: (file.gzip ? await gunzipAsync(bytes) : bytes).toString('utf8') };
  } catch (error) {
    return { failure: `cannot be read: ${(error as Error).message}` };
  }
}

/**
 * Each non-empty line of JSON-lines text, parsed and handed to `take` with its line number; a line
 * that is not JSON is named (file:line) in `malformed` and skipped. `prepare` rewrites a trimmed
 * line before it is parsed.
 */
export function forEachJsonLine(
  path: string,
  text: string,
  take: (event: unknown, line: number) => void,
  malformed: Malformed[],
  prepare: (line: string) => string = (line) => line,
): void {
  for (const [i, raw] of text.split('\n').entries()) {
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    let event: unknown;
    try {
      event = JSON.parse(prepare(trimmed));
    } catch (error) {
      malformed.push({ file: path, line: i + 1, reason: `not JSON: ${(error as Error).message}` });
      continue;
    }
    take(event, i + 1);
  }
}

/**
 * Run `use` with `lines` written as a JSON-lines file in a directory of its own (for DuckDB's
 * `read_json`), or with `undefined` when there is none; the directory is removed afterwards.
 */
export async function withJsonLinesFile<T>(
  lines: string[],
  use: (path: string | undefined) => Promise<T>,
): Promise<T> {
  if (lines.length === 0) return use(undefined);
  const dir = await mkdtemp(join(tmpdir(), 'reachgraph-activity-'));
  try {
    const path = join(dir, 'events.jsonl');
    await writeFile(path, `${lines.join('\n')}\n`);
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
