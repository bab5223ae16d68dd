import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { type FileHandle, open, type stat } from 'node:fs/promises';
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
  const small = await readSmallFile(path, limit);
  if (small !== undefined) return typeof small === 'string' ? small : fail(small.problem);
  const opened = await openSnapshotFile(path);
  if ('error' in opened) return fail(opened.error);
  const { handle, size } = opened;
  try {
    const text = await readOpened(
      size,
      limit,
      async (buffer, offset, length, position) =>
        (await handle.read(buffer, offset, length, position)).bytesRead,
    );
    return typeof text === 'string' ? text : fail(text.problem);
  } catch (error) {
    return fail(`cannot read: ${(error as Error).message}`);
  } finally {
    await handle.close();
  }
}

/**
 * Below this size a snapshot file is read with synchronous calls: an organization's snapshot is tens
 * of thousands of files of a few hundred bytes, and each of the five asynchronous calls that read one
 * (open, stat, two reads, close) costs more in the thread pool's hand-offs and promises than the
 * read itself. A file this small holds the event loop for microseconds; larger ones are read as before.
 */
const SMALL_FILE_BYTES = 256 * 1024;
/** Synchronous reads between two turns of the event loop, so other work (a live collection) goes on. */
const SMALL_FILES_PER_TURN = 256;
let smallFilesRead = 0;

/**
 * A small regular file's text, read as `readSnapshotFile` reads it (opened non-blocking, checked on
 * the descriptor, at most `limit` bytes); a problem (without the path); or undefined when the file is
 * not a small regular file, for the caller to read as it reads any other.
 */
async function readSmallFile(path: string, limit: number): Promise<string | { problem: string } | undefined> {
  if (++smallFilesRead % SMALL_FILES_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { problem: `cannot open: ${(error as Error).message}` };
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile() || info.size > SMALL_FILE_BYTES) return undefined;
    return await readOpened(info.size, limit, (buffer, offset, length, position) =>
      readSync(fd, buffer, offset, length, position),
    );
  } catch (error) {
    return { problem: `cannot read: ${(error as Error).message}` };
  } finally {
    closeSync(fd);
  }
}

/**
 * The text of an opened regular file of `size` bytes (as its descriptor said), at most `limit` bytes,
 * read by `read` (synchronous or not); or what is wrong with it (without the path).
 */
async function readOpened(
  size: number,
  limit: number,
  read: (buffer: Buffer, offset: number, length: number, position: number) => number | Promise<number>,
): Promise<string | { problem: string }> {
  if (size > limit) return { problem: `${size} bytes, above the limit of ${limit} bytes` };
  // Read at most limit + 1 bytes: a file that grew after the check is still refused, not read on.
  const buffer = Buffer.alloc(Math.min(size, limit) + 1);
  let length = 0;
  for (;;) {
    const bytesRead = await read(buffer, length, buffer.length - length, length);
    if (bytesRead === 0) break;
    length += bytesRead;
    if (length === buffer.length) break;
  }
  if (length > size) return { problem: 'changed while being read' };
  return buffer.subarray(0, length).toString('utf8');
}

/**
 * A snapshot file opened for reading when it is a regular file, with its size; otherwise what it is
 * (without the path). Opened non-blocking, so that opening a FIFO returns at once, and checked on
 * the open handle, so that what is checked is what is read. The caller closes the handle.
 */
export async function openSnapshotFile(
  path: string,
): Promise<{ handle: FileHandle; size: number } | { error: string }> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { error: `cannot open: ${(error as Error).message}` };
  }
  try {
    const info = await handle.stat();
    if (info.isFile()) return { handle, size: info.size };
    await handle.close();
    return { error: `not a regular file (${fileType(info)}): only regular files are read` };
  } catch (error) {
    await handle.close();
    return { error: `cannot read: ${(error as Error).message}` };
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

/** One line of a line-oriented snapshot file (1-based), or its length when above the line limit. */
export type SnapshotLine = { line: number; text: string } | { line: number; tooLong: number };

/**
 * Reads a regular file line by line (`\n` or `\r\n`), streaming: a file of any size is read in
 * chunks, and only one line is held at a time. A line longer than `maxLineBytes` is reported by its
 * length, never assembled. A last line without a newline (a truncated file) is still given. Returns
 * the problem with the file itself (not regular, unreadable), naming the path.
 */
export async function readSnapshotLines(
  path: string,
  maxLineBytes: number,
  onLine: (line: SnapshotLine) => void,
): Promise<{ error: string } | undefined> {
  const opened = await openSnapshotFile(path);
  if ('error' in opened) return { error: `${path}: ${opened.error}` };
  const { handle } = opened;
  let parts: Buffer[] = [];
  let pending = 0;
  let line = 0;
  const emit = () => {
    line += 1;
    if (pending > maxLineBytes) onLine({ line, tooLong: pending });
    else {
      const text = (parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts)).toString('utf8');
      onLine({ line, text: text.endsWith('\r') ? text.slice(0, -1) : text });
    }
    parts = [];
    pending = 0;
  };
  try {
    for await (const chunk of handle.createReadStream({ autoClose: false, highWaterMark: 1 << 20 })) {
      const buffer = chunk as Buffer;
      let start = 0;
      for (;;) {
        const newline = buffer.indexOf(10, start);
        const piece = buffer.subarray(start, newline === -1 ? buffer.length : newline);
        pending += piece.length;
        // Past the limit the line's bytes are counted, not kept.
        if (pending <= maxLineBytes) parts.push(piece);
        else parts = [];
        if (newline === -1) break;
        emit();
        start = newline + 1;
      }
    }
    if (pending > 0) emit();
    return undefined;
  } catch (error) {
    return { error: `${path}: cannot read: ${(error as Error).message}` };
  } finally {
    await handle.close();
  }
}
