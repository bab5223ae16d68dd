import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECTION_ACQUISITION_TIMEOUT_MS, GraphExecutor } from '../../../src/graph/executor.js';

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
        /probing: Neo4j at bolt:\/\/127\.0\.0\.1:\d+ \(database "neo4j"\)/,
      );
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(CONNECTION_ACQUISITION_TIMEOUT_MS - 500);
      expect(took).toBeLessThan(CONNECTION_ACQUISITION_TIMEOUT_MS + 5_000);
    } finally {
      await executor.close();
    }
  }, 30_000);
});
