import { createRequire } from 'node:module';

/**
 * Bolt sends a message as chunks of up to 65,535 bytes each
 * (https://neo4j.com/docs/bolt/current/bolt/message/#chunking). The JavaScript driver (6.3) fills
 * chunks of 1,400 bytes and writes each one to the socket as it fills (`Chunker` in
 * neo4j-driver-bolt-connection's lib/channel/chunking.js, a fixed default with no driver setting),
 * so a load's batch of several megabytes is thousands of socket writes, each read again by the
 * server's Bolt network threads. With chunks of the protocol's largest size, the dense account's load
 * at 2,000 roles cost those threads 4.2–4.5 CPU s instead of 14–48, and the JVM 12–43 % less CPU
 * (docs/performance.md, "Bolt chunks of 64 KB").
 *
 * The driver's `Chunker` takes its buffer size as a constructor argument: this makes the class the
 * driver constructs pass the largest one. Only where the bytes of a message are cut changes, never
 * what is sent. A driver whose internals are not where this expects them is left as it is.
 */
export const BOLT_CHUNK_BYTES = 65_535;

type ChunkerClass = (new (channel: unknown, bufferSize?: number) => object) & { [LARGE]?: true };

/** Marks the class put in place, shared by every copy of this module a process loads. */
const LARGE = Symbol.for('reachgraph.largeBoltChunks');

let applied: boolean | undefined;

/** Makes every connection the driver opens from now on write chunks of `BOLT_CHUNK_BYTES`; true if it could. */
export function useLargeBoltChunks(): boolean {
  if (applied !== undefined) return applied;
  applied = false;
  try {
    // Resolved from the driver's own place, so this is the module instance the driver loaded.
    const driverEntry = createRequire(import.meta.url).resolve('neo4j-driver');
    const chunking = createRequire(driverEntry)('neo4j-driver-bolt-connection/lib/channel/chunking.js') as {
      Chunker?: ChunkerClass;
    };
    const Chunker = chunking.Chunker;
    if (typeof Chunker !== 'function' || Chunker.length < 2) return applied;
    if (!Chunker[LARGE]) {
      class LargeChunker extends Chunker {
        static override readonly [LARGE] = true as const;
        constructor(channel: unknown, bufferSize?: number) {
          super(channel, bufferSize ?? BOLT_CHUNK_BYTES);
        }
      }
      chunking.Chunker = LargeChunker;
    }
    applied = true;
  } catch {
    // Another driver layout: its own chunk size stays.
  }
  return applied;
}
