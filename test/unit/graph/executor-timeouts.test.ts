import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_NOT_ANSWERING } from '../../../src/graph/errors.js';
import {
  ACQUISITION_RETRY_DELAY_MS,
  BATCH_ACQUISITION_RETRIES,
  CONNECTION_ACQUISITION_TIMEOUT_MS,
  GraphExecutor,
} from '../../../src/graph/executor.js';

/** A port that accepts connections and never answers: a server that hangs or a black-holed host. */
let silent: Server;
const sockets: Socket[] = [];
let port = 0;

beforeAll(async () => {
  silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  port = (silent.address() as { port: number }).port;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

describe('a Neo4j that does not answer', () => {
  it('fails an attempt once getting a connection takes too long, not after the driver default of 60 s', async () => {
    const executor = GraphExecutor.connect(
      { uri: `bolt://127.0.0.1:${port}`, user: 'neo4j', password: '', database: 'neo4j' },
      { maxRetryTimeMs: 0 },
    );
    const started = Date.now();
    try {
      await expect(executor.read('RETURN 1', {}, { action: 'probing' })).rejects.toThrow(
        /probing: Neo4j at bolt:\/\/127\.0\.0\.1:\d+ \(database "neo4j"\) did not answer within 10 s: .*hung/,
      );
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(CONNECTION_ACQUISITION_TIMEOUT_MS - 500);
      expect(took).toBeLessThan(CONNECTION_ACQUISITION_TIMEOUT_MS + 5_000);
    } finally {
      await executor.close();
    }
  }, 30_000);

  const silentExecutor = (acquisitionMs: number) =>
    GraphExecutor.connect(
      { uri: `bolt://127.0.0.1:${port}`, user: 'neo4j', password: '', database: 'neo4j' },
      { maxRetryTimeMs: 0, connectionAcquisitionTimeoutMs: acquisitionMs },
    );

  it("fails a batch at its first attempt, naming the server, though it may retry a busy process's acquisitions", async () => {
    // Before: each of the 1 + 4 attempts waited out the acquisition timeout (5 × 10 s + 3.75 s of
    // backoff ≈ 54 s for a load's batch); the event loop turned freely all along, so the server is
    // the one not answering, and the batch fails after one timeout.
    const executor = silentExecutor(400);
    const started = Date.now();
    try {
      const error = await executor
        .write('RETURN 1', {}, { action: 'loading a batch', acquisitionRetries: BATCH_ACQUISITION_RETRIES })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toMatchObject({ code: SERVER_NOT_ANSWERING, retryable: false });
      expect((error as Error).message).toMatch(
        /^loading a batch: Neo4j at bolt:\/\/127\.0\.0\.1:\d+ \(database "neo4j"\) did not answer within 400 ms: it accepts connections but does not answer/,
      );
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(350);
      expect(took).toBeLessThan(400 + ACQUISITION_RETRY_DELAY_MS + 1_000);
    } finally {
      await executor.close();
    }
  }, 30_000);

  it('still retries an acquisition the process itself held up, then fails on the server', async () => {
    // The first attempt's wait is spent with the event loop held up (as by the summary's search):
    // it may be this process's fault, so the transaction starts again; the second attempt waits
    // with the loop free and fails on the server.
    const executor = silentExecutor(200);
    const started = Date.now();
    try {
      const written = executor.write('RETURN 1', {}, { action: 'writing while busy', acquisitionRetries: 2 });
      setImmediate(() => {
        const until = Date.now() + 600;
        while (Date.now() < until);
      });
      await expect(written).rejects.toMatchObject({ code: SERVER_NOT_ANSWERING });
      // Two attempts: the busy one (600 ms), the backoff, and a second acquisition timeout.
      expect(Date.now() - started).toBeGreaterThanOrEqual(600 + ACQUISITION_RETRY_DELAY_MS + 150);
    } finally {
      await executor.close();
    }
  }, 30_000);

  it('fails verify() at the first unanswered connection instead of trying again until its timeout', async () => {
    const executor = silentExecutor(300);
    const started = Date.now();
    try {
      await expect(executor.verify(20_000)).rejects.toMatchObject({ code: SERVER_NOT_ANSWERING });
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await executor.close();
    }
  }, 30_000);
});
