import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { BOLT_CHUNK_BYTES, useLargeBoltChunks } from '../../../src/graph/bolt-chunks.js';

interface ChunkerLike {
  writeInt8(value: number): void;
  messageBoundary(): void;
  flush(): void;
}

/** The Chunker the driver's connections construct (its channel index), writing into a list. */
function driverChunker(writes: number[], bufferSize?: number): ChunkerLike {
  const fromDriver = createRequire(createRequire(import.meta.url).resolve('neo4j-driver'));
  const { Chunker } = fromDriver('neo4j-driver-bolt-connection/lib/channel') as {
    Chunker: new (channel: unknown, bufferSize?: number) => ChunkerLike;
  };
  return new Chunker({ write: (buffer: { length: number }) => writes.push(buffer.length) }, bufferSize);
}

/** One Bolt message of `size` bytes through a chunker: the sizes of the socket writes. */
function send(size: number, bufferSize?: number): number[] {
  const writes: number[] = [];
  const chunker = driverChunker(writes, bufferSize);
  for (let i = 0; i < size; i++) chunker.writeInt8(i % 100);
  chunker.messageBoundary();
  chunker.flush();
  return writes;
}

describe('Bolt chunks of the protocol’s largest size', () => {
  it('makes a 200 KB message four socket writes instead of ~150, each within one chunk’s limit', () => {
    // The driver's own size (1,400 bytes), which an earlier file of this worker may have replaced.
    const before = send(200_000, 1_400);
    expect(before.length).toBeGreaterThan(140);
    expect(useLargeBoltChunks()).toBe(true);
    const after = send(200_000);
    expect(after.length).toBe(4);
    // A chunk's size is a 16-bit field: its header and data never pass 65,535 bytes.
    for (const bytes of after) expect(bytes).toBeLessThanOrEqual(BOLT_CHUNK_BYTES);
    // The same bytes go out: the data, a 2-byte header per chunk and the 2-byte message end.
    const total = (writes: number[]) => writes.reduce((a, b) => a + b, 0);
    expect(total(after) - 2 * 4 - 2).toBe(200_000);
    expect(total(before) - 2 * before.length - 2).toBe(200_000);
  });

  it('is applied once', () => {
    expect(useLargeBoltChunks()).toBe(true);
    expect(send(10).length).toBe(1);
  });
});
