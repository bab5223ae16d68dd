import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/file.js';
import { loadConfig } from '../../src/config/load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'reachgraph-config-'));
const file = (content: string) => {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, content);
  return path;
};

describe('loadConfig', () => {
  it('has working defaults', () => {
    const config = loadConfig({ env: {} });
    expect(config.neo4j).toEqual({
      user: 'neo4j',
      password: '',
      database: 'neo4j',
      connectTimeoutMs: 30_000,
    });
    expect(config.load.batchSize).toBe(5_000);
    expect(config.log.level).toBe('warn');
  });

  it('layers defaults < file < environment', () => {
    const path = file(
      JSON.stringify({ neo4j: { uri: 'bolt://db:7687', database: 'access' }, load: { batchSize: 2000 } }),
    );
    const config = loadConfig({
      file: path,
      env: { NEO4J_DATABASE: 'other', REACHGRAPH_BATCH_SIZE: '1000' },
    });
    expect(config.neo4j).toMatchObject({ uri: 'bolt://db:7687', database: 'other' });
    expect(config.load.batchSize).toBe(1000);
  });

  it('names the key, its origin and what was expected', () => {
    expect(() => loadConfig({ env: { REACHGRAPH_BATCH_SIZE: '0' } })).toThrow(
      /load\.batchSize \(from environment variable REACHGRAPH_BATCH_SIZE\): Too small: expected number to be >=1, got "0"/,
    );
    expect(() => loadConfig({ env: { NEO4J_URI: 'http://localhost:7474' } })).toThrow(
      /neo4j\.uri \(from environment variable NEO4J_URI\): expected a bolt:\/\/ or neo4j:\/\/ URI/,
    );
    const path = file(JSON.stringify({ log: { level: 'loud' } }));
    expect(() => loadConfig({ file: path, env: {} })).toThrow(
      new RegExp(`log\\.level \\(from config file ${path}\\)`),
    );
  });

  it('rejects unknown keys and unreadable or malformed files', () => {
    expect(() => loadConfig({ file: file('{"neo4j": {"url": "x"}}'), env: {} })).toThrow(
      /Unrecognized key: "url"/,
    );
    expect(() => loadConfig({ file: file('[1]'), env: {} })).toThrow(ConfigError);
    expect(() => loadConfig({ file: file('{'), env: {} })).toThrow(/not a valid JSON object/);
    expect(() => loadConfig({ file: join(dir, 'nope.json'), env: {} })).toThrow(/nope\.json: cannot be read/);
  });

  it('finds the file through REACHGRAPH_CONFIG', () => {
    const path = file(JSON.stringify({ load: { batchSize: 42 } }));
    expect(loadConfig({ env: { REACHGRAPH_CONFIG: path } }).load.batchSize).toBe(42);
  });

  it('puts a command’s own defaults below the file and the environment', () => {
    const defaults = { log: { level: 'info' as const } };
    expect(loadConfig({ env: {}, defaults }).log.level).toBe('info');
    const path = file(JSON.stringify({ log: { level: 'error' } }));
    expect(loadConfig({ file: path, env: {}, defaults }).log.level).toBe('error');
    expect(loadConfig({ file: path, env: { REACHGRAPH_LOG_LEVEL: 'debug' }, defaults }).log.level).toBe(
      'debug',
    );
  });
});
