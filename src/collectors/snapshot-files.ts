import { constants } from 'node:fs';
import { open, type stat } from 'node:fs/promises';
import { jsonPosition } from '../model/aws/policy-parser.js';

/**
 * Reading one file of a snapshot directory, for every provider's reader: only regular files (a FIFO
 * would block, a link to a device never end), each up to a size limit, every problem naming the path.
 */

/** The largest snapshot file read by default: far above any real CLI output, far below V8's string limit. */
export const DEFAULT_SNAPSHOT_FILE_LIMIT = 512 * 1024 * 1024;

/**
 * A regular file's text, at most `limit` bytes; anything else is an error naming the path. Opened
 * non-blocking, so that opening a FIFO returns at once, and checked on the open handle, so that
 * what is checked is what is read.
 */
export async function readSnapshotFile(path: string, limit: number): Promise<string | { error: string }> {
  const fail = (problem: string) => ({ error: `${path}: ${problem}` });
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return fail(`cannot open: ${(error as Error).message}`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return fail(`not a regular file (${fileType(info)}): only regular files are read`);
    if (info.size > limit) return fail(`${info.size} bytes, above the limit of ${limit} bytes`);
    // Read at most limit + 1 bytes: a file that grew after the check is still refused, not read on.
    const buffer = Buffer.alloc(Math.min(info.size, limit) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) break;
    }
    if (length > info.size) return fail('changed while being read');
    return buffer.subarray(0, length).toString('utf8');
  } catch (error) {
    return fail(`cannot read: ${(error as Error).message}`);
  } finally {
    await handle.close();
  }
}

function fileType(info: Awaited<ReturnType<typeof stat>>): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a file';
}

/** A snapshot file's JSON, read as `readSnapshotFile` reads (regular files, size limit), or what is wrong with it. */
export async function readSnapshotJson(
  path: string,
  limit: number,
): Promise<{ value: unknown } | { error: string }> {
  const text = await readSnapshotFile(path, limit);
  if (typeof text !== 'string') return { error: text.error.slice(path.length + 2) };
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    return { error: `malformed JSON (truncated?): ${message}${jsonPosition(text, message)}` };
  }
}
